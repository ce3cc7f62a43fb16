"""The CLI's registry configuration: ``aurum_sr.config.load_config`` (config file < environment,
e.g. ``SCHEMA_REGISTRY_URL`` and the credential variables) with the ``--registry`` flag on top.
One small helper, so every command gets its registry the same way."""

from __future__ import annotations

from collections.abc import Mapping

from aurum_sr.config import SchemaRegistryConfig, load_config


def registry_config(
    registry: str | None, *, environ: Mapping[str, str] | None = None, root: str = "."
) -> SchemaRegistryConfig:
    """The registry configuration for a command given ``--registry`` (or None)."""
    return load_config(root, overrides={"base_url": registry}, environ=environ)
