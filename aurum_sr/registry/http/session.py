"""The connection to one registry: a ``requests.Session`` with its pool, authentication and TLS.

Everything that decides *who we are* and *how we connect* is settled here, once: basic auth
(configured, or from the URL's userinfo, or ``~/.netrc``), a bearer token, extra headers, the CA
bundle and client certificate, proxies. Every value that authenticates is collected in
:attr:`Session.secrets` so that whatever the client prints can be redacted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import requests
from requests.adapters import HTTPAdapter

from aurum_sr import run
from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.errors import ConfigError
from aurum_sr.registry import wire
from aurum_sr.registry.http import deadline
from aurum_sr.secrets import basic_token, mask_url
from aurum_sr.secrets import split_userinfo as secrets_split

USER_AGENT = "aurum-sr"


@dataclass(frozen=True)
class Session:
    """A ready session for one registry."""

    http: requests.Session
    base: str
    """The registry's base URL without credentials and without a trailing ``/``."""
    name: str
    """The registry's URL as it may be printed (credentials masked)."""
    secrets: tuple[str, ...]
    """Every credential the session sends (to redact from anything shown)."""


class _RegistrySession(requests.Session):
    """A session that forwards no secret-bearing header on a redirect to another host.

    requests drops ``Authorization`` there (basic auth, a bearer token, URL credentials); the
    configured extra headers (an API key, a tenant token) follow the same rule.
    """

    secret_headers: tuple[str, ...] = ()

    def rebuild_auth(
        self, prepared_request: requests.PreparedRequest, response: requests.Response
    ) -> None:
        super().rebuild_auth(prepared_request, response)  # type: ignore[no-untyped-call]
        old = response.request.url if response.request is not None else None
        new = prepared_request.url
        if old and new and self.should_strip_auth(old, new):  # type: ignore[no-untyped-call]
            for name in ("Authorization", *self.secret_headers):
                prepared_request.headers.pop(name, None)


def split_userinfo(url: str) -> tuple[str, tuple[str, str] | None]:
    """``url`` without its ``user:password@`` part, and that part (see
    :func:`aurum_sr.secrets.split_userinfo`)."""
    clean, user, password = secrets_split(url)
    if user is None and password is None:
        return url, None
    return clean, (user or "", password or "")


def open_session(config: SchemaRegistryConfig) -> Session:
    """A session for the registry of ``config``: a pool of ``max_workers`` keep-alive
    connections, its credentials, TLS settings and the environment's proxy settings.

    Raises:
        ConfigError: both basic auth and a bearer token are configured.
    """
    base, userinfo = split_userinfo(config.base_url)
    base = base.rstrip("/")
    name = mask_url(config.base_url)
    secrets: list[str] = []

    session = _RegistrySession()
    adapter = HTTPAdapter(
        pool_connections=2, pool_maxsize=max(1, config.max_workers), max_retries=0, pool_block=True
    )
    deadline.install(adapter)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update(
        {
            "Content-Type": wire.CONTENT_TYPE,
            "Accept": wire.ACCEPT,
            "User-Agent": USER_AGENT,
            run.REQUEST_HEADER: run.run_id(),
        }
    )
    password = config.password.reveal() if config.password else None
    if config.username and password is not None:
        session.auth = (config.username, password)
        secrets.append(password)
    elif userinfo is not None:
        session.auth = userinfo
        secrets.append(userinfo[1])
    if config.bearer_token:
        if session.auth is not None:
            raise ConfigError(
                f"registry {name}: both basic auth and a bearer token are configured",
                hint="configure only one of them",
            )
        token = config.bearer_token.reveal()
        session.headers["Authorization"] = f"Bearer {token}"
        secrets.append(token)
    for key, value in config.extra_headers:
        session.headers[key] = value
        secrets.append(value)
    session.secret_headers = tuple(key for key, _ in config.extra_headers)
    session.verify = config.ca_bundle if config.ca_bundle else config.ssl_verify
    _settle_environment(session, base)
    if isinstance(session.auth, tuple):  # ~/.netrc credentials are secrets too
        secrets.append(session.auth[1])
        secrets.append(basic_token(*session.auth))
    if config.client_cert:
        session.cert = (
            (config.client_cert, config.client_key) if config.client_key else config.client_cert
        )
    return Session(http=session, base=base, name=name, secrets=tuple(secrets))


def _settle_environment(session: requests.Session, base: str) -> None:
    """Read the environment's HTTP settings once, for the one registry this session talks to.

    With ``trust_env`` on, requests re-reads them on every request: it walks the whole process
    environment twice for proxies (and once more for ``no_proxy``), looks for a CA bundle variable
    and stats ``~/.netrc`` — a quarter to a third of the client's CPU per request. Every
    request here goes to the same scheme, host and port, so one lookup gives the same answers:
    ``HTTP(S)_PROXY``/``NO_PROXY`` for the registry's host, ``REQUESTS_CA_BUNDLE`` or
    ``CURL_CA_BUNDLE`` when verification is on and no CA bundle is configured (a configured
    ``ca_bundle`` or ``ssl_verify = false`` wins), and ``~/.netrc`` credentials when no other
    authentication is configured.
    """
    session.proxies.update(requests.utils.get_environ_proxies(base))
    if session.verify is True:
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if bundle:
            session.verify = bundle
    if session.auth is None and "Authorization" not in session.headers:
        session.auth = requests.utils.get_netrc_auth(base)
    session.trust_env = False
