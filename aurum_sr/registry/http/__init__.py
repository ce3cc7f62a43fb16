"""The Confluent Schema Registry REST API client, by responsibility.

* :mod:`~aurum_sr.registry.http.session` — who we are and how we connect: the
  ``requests.Session``, its connection pool, authentication, TLS and proxy settings;
* :mod:`~aurum_sr.registry.http.transport` — one request: sent from a prepared template, retried,
  and its answer decoded or mapped to a typed error (:mod:`aurum_sr.registry.codes`);
* :mod:`~aurum_sr.registry.http.endpoints` — one function per REST endpoint, the wire JSON
  converted by :mod:`aurum_sr.registry.wire`;
* :mod:`~aurum_sr.registry.http.listing` — reading many subjects: the bulk listing, paged, with
  the per-subject fallback;
* :mod:`~aurum_sr.registry.http.client` — :class:`HttpRegistry`, the registry protocol over them,
  and what each answer means (the fallbacks for older servers and other implementations).
"""

from __future__ import annotations

from aurum_sr.registry.http.client import HttpRegistry
from aurum_sr.registry.http.listing import PAGE_SIZE
from aurum_sr.registry.http.session import USER_AGENT, split_userinfo
from aurum_sr.registry.http.transport import EndpointMissingError

__all__ = ["PAGE_SIZE", "USER_AGENT", "EndpointMissingError", "HttpRegistry", "split_userinfo"]
