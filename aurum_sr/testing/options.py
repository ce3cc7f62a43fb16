"""How the test server behaves: which server it imitates, and how it runs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ServerOptions:
    """How closely to mimic which server (see :mod:`aurum_sr.testing.flavors` for presets)."""

    server_version: str = "7.6.1"
    bulk_listing: bool = True
    """``GET /schemas`` exists (CP 6.1+)."""
    deleted_flag: bool = True
    """Entities carry ``deleted`` and always ``schemaType`` (CP 8.0+)."""
    subject_setting_codes: bool = True
    """40408/40409 for "no subject-level config/mode" (CP 7.0+); else 40401."""
    metadata_endpoint: bool = True
    """``GET /v1/metadata/version`` exists (CP 7.0.4+)."""
    combined_compatibility: bool = True
    """``POST /compatibility/subjects/{s}/versions`` (all versions) exists (CP 7.0+)."""
    register_returns_version: bool = True
    """Register answers ``{id, version, schema}`` (CP 7.5+); else ``{id}`` only."""
    mode_endpoints: bool = True
    """``/mode`` endpoints exist (CP 5.2+; absent on some other implementations)."""
    honours_paging: bool = True
    """``offset``/``limit`` on ``GET /schemas`` are applied (Karapace ignores them)."""
    honours_latest_only: bool = True
    """``latestOnly`` on ``GET /schemas`` is applied (older servers list every version)."""
    latency: float = 0.0
    """Seconds added to every request."""
    port: int = 0
    """The port on 127.0.0.1; 0 picks a free one."""
    basic_auth: tuple[str, str] | None = None
    bearer_token: str | None = None
