"""Configuration: where the registry is, how to authenticate, and how strict to be.

Precedence, lowest first: defaults < config file (``aurum-sr.toml`` or ``[tool.aurum-sr]`` in
``pyproject.toml``) < environment (``SCHEMA_REGISTRY_*``) < command-line flags. Secrets are held
as :class:`~aurum_sr.secrets.Secret` and never print.
"""

from __future__ import annotations

from dataclasses import dataclass

from aurum_sr.model import CompatibilityLevel
from aurum_sr.secrets import Secret, mask_url

DEFAULT_REGISTRY = "file:registry/snapshot.json"
"""The embedded default: the repository's registry snapshot file, no server needed."""


@dataclass(frozen=True)
class SchemaRegistryConfig:
    """How to reach a registry and how strictly to check what is sent to it.

    ``base_url`` is an ``http(s)://`` URL of a Confluent-compatible registry, or
    ``file:PATH`` for a snapshot file (the embedded default).
    """

    base_url: str = DEFAULT_REGISTRY
    default_compatibility_mode: CompatibilityLevel = CompatibilityLevel.BACKWARD
    timeout_seconds: float = 30.0
    enforce_compatibility: bool = True
    enforce_contracts: bool = True
    fail_on_incompatible: bool = True
    fail_on_missing_contract: bool = False
    contracts_path: str = "contracts/contracts.yml"
    validate_schema: bool = True
    validate_references: bool = True
    username: str | None = None
    password: Secret | None = None
    bearer_token: Secret | None = None
    ssl_verify: bool = True
    ca_bundle: str | None = None
    client_cert: str | None = None
    client_key: str | None = None
    extra_headers: tuple[tuple[str, str], ...] = ()
    """Static headers sent with every request (values are treated as secrets in output)."""
    max_workers: int = 8
    cache_ttl_seconds: float = 300.0
    log_level: str = "WARNING"
    connect_timeout_seconds: float = 5.0
    max_retries: int = 3
    retry_max_seconds: float = 30.0
    """The cap on the total time spent retrying one request."""

    def __post_init__(self) -> None:
        if isinstance(self.password, str):
            object.__setattr__(self, "password", Secret(self.password))
        if isinstance(self.bearer_token, str):
            object.__setattr__(self, "bearer_token", Secret(self.bearer_token))
        if isinstance(self.default_compatibility_mode, str):
            object.__setattr__(
                self,
                "default_compatibility_mode",
                CompatibilityLevel(self.default_compatibility_mode.upper()),
            )

    @property
    def safe_url(self) -> str:
        """``base_url`` with credentials masked."""
        return mask_url(self.base_url)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={value!r}"
            for name, value in (
                ("base_url", self.safe_url),
                ("username", self.username),
                ("password", self.password),
                ("bearer_token", self.bearer_token),
                ("ssl_verify", self.ssl_verify),
                ("max_workers", self.max_workers),
            )
        )
        return f"SchemaRegistryConfig({shown})"

    __str__ = __repr__
