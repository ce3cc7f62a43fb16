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
    data_contracts: bool = True
    """``metadata``/``ruleSet`` on schemas and the data-contract fields of ``/config/{s}`` are
    stored (CP 7.4+); else ignored, as a server without them ignores unknown fields."""
    mode_endpoints: bool = True
    """``/mode`` endpoints exist (CP 5.2+; absent on some other implementations)."""
    honours_paging: bool = True
    """``offset``/``limit`` on ``GET /schemas`` are applied (Karapace ignores them)."""
    honours_latest_only: bool = True
    """``latestOnly`` on ``GET /schemas`` is applied (older servers list every version)."""
    honours_prefix: bool = True
    """``subjectPrefix`` on ``GET /schemas`` is applied (Karapace ignores it)."""
    mode_writes: bool = True
    """``PUT``/``DELETE`` on ``/mode`` are served; else 405 (Karapace reads modes only)."""
    subject_mode_falls_back: bool = False
    """``GET /mode/{s}`` of a subject without its own mode answers the global mode (Karapace);
    an unknown subject is 40401."""
    sorted_schema_text: bool = False
    """Stored schema text is re-serialised with sorted keys and no whitespace (Karapace)."""
    always_verbose: bool = False
    """An incompatible compatibility test says why even without ``verbose=true`` (Karapace)."""
    forwarding_errors: int = 0
    """The first N writes are answered 500 / 50003 "Error while forwarding the request to the
    master", as Karapace does for about ten seconds after it starts."""
    refuses_error_records: bool = False
    """Registering a record of ``"type": "error"`` answers 500 (Karapace)."""
    strict_avro_names: bool = False
    """Names with ``-`` and enum defaults outside the symbols are refused with 42201 (Karapace
    built on the PyPI ``avro`` package)."""
    lookup_validates_first: bool = False
    """``POST /subjects/{s}`` parses the schema before it looks for the subject, so a schema
    this server cannot store is 42201 even for a new subject (no preset claims it: not
    verified for any implementation)."""
    base_path: str = ""
    """The API's path on the server (Apicurio: ``/apis/ccompat/v7``)."""
    latency: float = 0.0
    """Seconds added to every request."""
    port: int = 0
    """The port on 127.0.0.1; 0 picks a free one."""
    basic_auth: tuple[str, str] | None = None
    bearer_token: str | None = None
