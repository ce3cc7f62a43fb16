"""Where the CLI's registry configuration comes from, until ``aurum_sr.config.load_config``
lands: the ``--registry`` flag, else ``SCHEMA_REGISTRY_URL``, else the embedded default, with
credentials from ``SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO`` (``user:password``),
``SCHEMA_REGISTRY_USERNAME`` / ``SCHEMA_REGISTRY_PASSWORD`` and
``SCHEMA_REGISTRY_BEARER_TOKEN``. One small helper, so it can be rewired in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping

from aurum_sr.config import DEFAULT_REGISTRY, SchemaRegistryConfig
from aurum_sr.secrets import Secret


def registry_config(
    registry: str | None, *, environ: Mapping[str, str] | None = None
) -> SchemaRegistryConfig:
    """The registry configuration for a command given ``--registry`` (or None)."""
    env = os.environ if environ is None else environ
    url = registry or env.get("SCHEMA_REGISTRY_URL") or DEFAULT_REGISTRY
    username = env.get("SCHEMA_REGISTRY_USERNAME") or None
    password = env.get("SCHEMA_REGISTRY_PASSWORD") or None
    user_info = env.get("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO")
    if user_info and ":" in user_info:
        username, password = user_info.split(":", 1)
    token = env.get("SCHEMA_REGISTRY_BEARER_TOKEN") or None
    return SchemaRegistryConfig(
        base_url=url,
        username=username,
        password=Secret(password) if password is not None else None,
        bearer_token=Secret(token) if token else None,
    )
