"""Configuration: where the registry is, how to authenticate, and how strict to be.

Precedence, lowest first: defaults < config file (``aurum-sr.toml`` or ``[tool.aurum-sr]`` in
``pyproject.toml``) < environment (``SCHEMA_REGISTRY_*``) < command-line flags. Secrets are held
as :class:`~aurum_sr.secrets.Secret` and never print.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aurum_sr.errors import ConfigError
from aurum_sr.model import CompatibilityLevel
from aurum_sr.secrets import Secret, mask_url, split_userinfo

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
    """``SchemaRegistryManager.register_subject`` checks compatibility locally before writing."""
    enforce_contracts: bool = False
    """``register_subject`` refuses subjects the contracts (``contracts_path``) do not list as
    present. Off by default for the imperative API; plan/apply always enforce the contracts."""
    fail_on_incompatible: bool = True
    """With ``enforce_compatibility``: an incompatible schema is refused before anything is
    written. When False, the local verdict is only logged and the registry decides."""
    fail_on_missing_contract: bool = False
    """``validate``: schema files no contract lists are errors (like ``--strict``). With
    ``enforce_contracts``: a missing contracts file is an error instead of no enforcement."""
    contracts_path: str = "contracts/contracts.yml"
    validate_schema: bool = True
    """``register_subject`` parses the schema locally (as the registry will) before writing."""
    validate_references: bool = True
    """With ``validate_schema``: references are resolved against the registry first."""
    username: str | None = None
    password: Secret | None = None
    bearer_token: Secret | None = None
    ssl_verify: bool = True
    ca_bundle: str | None = None
    client_cert: str | None = None
    client_key: str | None = None
    extra_headers: tuple[tuple[str, str], ...] = ()
    """Static headers sent with every request (values are treated as secrets in output)."""
    max_workers: int = 16
    """Requests in flight at once while reading the registry. 16 measured best with 12 on the
    2-core benchmark machine at 5 ms per request (8 was 10-15% slower at 1,000 and 10,000
    subjects); a remote registry with more latency gains more from it."""
    cache_ttl_seconds: float = 300.0
    log_level: str = "WARNING"
    connect_timeout_seconds: float = 5.0
    max_retries: int = 3
    retry_max_seconds: float = 30.0
    """The cap on the total time spent retrying one request."""
    deadline_seconds: float = 120.0
    """The most one answer may take, from sending the request to its last byte
    (``timeout_seconds`` bounds each read; this bounds a registry that trickles its answer)."""
    max_response_bytes: int = 64 * 1024 * 1024
    """The largest answer accepted from the registry, counted after decompression."""
    flavor: str | None = None
    """The registry implementation (``confluent``, ``confluent-cloud``, ``karapace``,
    ``redpanda``, ``apicurio``), for registries that hide what they are: its capabilities are
    taken as known instead of discovered (docs/registries.md)."""

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


CONFIG_FILE = "aurum-sr.toml"
PYPROJECT = "pyproject.toml"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_SECRET_FIELDS = frozenset({"password", "bearer_token", "extra_headers"})
_FIELDS: dict[str, type] = {
    "base_url": str,
    "default_compatibility_mode": CompatibilityLevel,
    "timeout_seconds": float,
    "enforce_compatibility": bool,
    "enforce_contracts": bool,
    "fail_on_incompatible": bool,
    "fail_on_missing_contract": bool,
    "contracts_path": str,
    "validate_schema": bool,
    "validate_references": bool,
    "username": str,
    "password": Secret,
    "bearer_token": Secret,
    "ssl_verify": bool,
    "ca_bundle": str,
    "client_cert": str,
    "client_key": str,
    "extra_headers": dict,
    "max_workers": int,
    "cache_ttl_seconds": float,
    "log_level": str,
    "connect_timeout_seconds": float,
    "max_retries": int,
    "retry_max_seconds": float,
    "deadline_seconds": float,
    "max_response_bytes": int,
    "flavor": str,
}
_ENV_FIELDS = {
    "SCHEMA_REGISTRY_URL": "base_url",
    "SCHEMA_REGISTRY_USERNAME": "username",
    "SCHEMA_REGISTRY_PASSWORD": "password",
    "SCHEMA_REGISTRY_BEARER_TOKEN": "bearer_token",
    "SCHEMA_REGISTRY_LOG_LEVEL": "log_level",
}
_USER_INFO = "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO"


def load_config(
    root: str | os.PathLike[str] = ".",
    *,
    overrides: Mapping[str, object] | None = None,
    environ: Mapping[str, str] | None = None,
    env: str | None = None,
) -> SchemaRegistryConfig:
    """The configuration in force, lowest precedence first: defaults < ``aurum-sr.toml`` (or
    ``[tool.aurum-sr]`` in ``pyproject.toml``) under ``root`` < environment < ``overrides``.

    With ``env`` (``--env NAME``), the ``[environments.NAME]`` table's registry settings replace
    the top-level ones *and* the ``SCHEMA_REGISTRY_*`` URL and credential variables: the named
    environment decides where the run goes, its credentials come from the variables it names
    (see :func:`environment_values`); the top level's credentials and ``extra_headers`` are not
    used, its TLS keys apply unless the environment sets its own.

    ``overrides`` maps field names to values (command-line flags); ``None`` values are ignored.
    ``environ`` defaults to ``os.environ``. Credentials in a URL (``https://user:pass@host``) are
    moved into ``username``/``password`` and the URL is cleaned.

    Raises:
        ConfigError: an unreadable file, an unknown key (with a did-you-mean), or a value of the
            wrong type; the message never contains a secret.
    """
    values: dict[str, object] = {}
    file_values, source = _file_values(Path(root))
    tables = file_values.pop(ENVIRONMENTS, None)
    order = file_values.pop(PROMOTION, None)
    text = _source_text(Path(root)) if tables is not None or order is not None else ""
    process = os.environ if environ is None else environ
    ambient = _env_values(process)
    if order is not None:
        _promotion(order, environment_names(tables, source, text), source, text)
    if env is not None:
        chosen = environment_values(tables, env, source, process, text)
        # The top level's credentials belong to the top level's registry: never sent elsewhere.
        file_values = {
            k: v for k, v in file_values.items() if str(k).replace("-", "_") not in _CREDENTIALS
        }
        file_values.update(chosen)
        ambient = {k: v for k, v in ambient.items() if k not in _REGISTRY_FIELDS}
    elif tables is not None:
        environment_names(tables, source, text)  # a malformed table is an error even unused
    for layer, where in (
        (file_values, source),
        (ambient, "the environment"),
        ({k: v for k, v in (overrides or {}).items() if v is not None}, "the command line"),
    ):
        values.update(_checked(layer, where))
    return SchemaRegistryConfig(**values)  # type: ignore[arg-type]


def base_url_source(
    root: str | os.PathLike[str] = ".", *, environ: Mapping[str, str] | None = None
) -> str | None:
    """Where ``base_url`` is set under ``root`` without command-line flags: the environment
    (``SCHEMA_REGISTRY_URL``), the config file's name, or None when only the embedded default
    (:data:`DEFAULT_REGISTRY`) applies.

    Raises:
        ConfigError: an unreadable config file.
    """
    env = os.environ if environ is None else environ
    if env.get("SCHEMA_REGISTRY_URL"):
        return "SCHEMA_REGISTRY_URL"
    file_values, source = _file_values(Path(root))
    if any(str(key).replace("-", "_") == "base_url" for key in file_values):
        return source
    return None


ENVIRONMENTS = "environments"
ALL_ENVIRONMENTS = "all"
"""Reserved for running every environment at once (not supported yet)."""
_REGISTRY_FIELDS = frozenset({"base_url", "username", "password", "bearer_token"})
_CREDENTIALS = frozenset({"username", "password", "bearer_token", "extra_headers"})
_TLS_KEYS = ("ssl_verify", "ca_bundle", "client_cert", "client_key")
_CREDENTIAL_ENV_KEYS = ("basic_auth_user_info_env", "bearer_token_env")
_OVERLAY_KEYS = (
    "compatibility",
    "compatibility_overrides",
    "include",
    "exclude",
    "include_tags",
    "subject_prefix",
    "context",
    "deletes",
)
_ENVIRONMENT_KEYS = ("base_url", *_CREDENTIAL_ENV_KEYS, *_TLS_KEYS, "snapshot", *_OVERLAY_KEYS)
PROMOTION = "promotion"
DELETE_POLICIES = ("allow", "never")
"""``deletes`` in an environment: ``allow`` (apply --allow-delete decides) or ``never`` (the
environment's plan blocks every delete)."""
_LITERAL_SECRETS = {
    "password": "basic_auth_user_info_env",
    "basic_auth_user_info": "basic_auth_user_info_env",
    "bearer_token": "bearer_token_env",
    "extra_headers": "bearer_token_env",
}
_ENV_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Overlay:
    """How one environment's registry differs from what the contracts say, checked for types
    only: the subjects it names are checked against the contracts when it is applied
    (:func:`aurum_sr.desired.overlay.apply_overlay`)."""

    compatibility: CompatibilityLevel | None = None
    """The level every subject of the environment gets, whatever its contract says."""
    compatibility_overrides: tuple[tuple[str, CompatibilityLevel], ...] = ()
    """Per subject (contract name): its level in this environment; wins over ``compatibility``."""
    include: tuple[str, ...] = ()
    """Globs (``fnmatch``) over contract subject names: the environment holds only these."""
    exclude: tuple[str, ...] = ()
    """Globs over contract subject names the environment does not hold."""
    include_tags: tuple[str, ...] = ()
    """The environment holds only subjects with one of these contract tags."""
    subject_prefix: str = ""
    """Put before every subject name in this registry (a ``context = "NAME"`` is the prefix
    ``:.NAME:``, a Confluent context)."""
    deletes: str = "allow"
    """One of :data:`DELETE_POLICIES`."""
    locations: tuple[tuple[str, str], ...] = ()
    """Where each subject or glob the overlay names is written (``file:line``), for errors."""

    def location(self, token: str, fallback: str) -> str:
        """Where ``token`` (a subject or glob of this overlay) is written, else ``fallback``."""
        return dict(self.locations).get(token, fallback)


@dataclass(frozen=True)
class Environment:
    """One ``[environments.NAME]`` table, checked: secrets only by variable name."""

    name: str
    base_url: str
    basic_auth_user_info_env: str | None = None
    bearer_token_env: str | None = None
    tls: tuple[tuple[str, object], ...] = ()
    snapshot: str | None = None
    overlay: Overlay = Overlay()
    where: str = ""
    """The table in the configuration file, e.g. ``aurum-sr.toml:12 [environments.prod]``."""


def environment_names(
    tables: object, source: str = CONFIG_FILE, text: str = ""
) -> dict[str, Environment]:
    """Every environment the ``[environments]`` table ``tables`` defines, checked; ``text`` is
    the configuration file's text, for the line numbers in errors.

    Raises:
        ConfigError: a malformed table, a reserved or bad name, an unknown key (did you mean),
            a literal secret, no ``base_url``, or a value of the wrong type.
    """
    if tables is None:
        return {}
    if not isinstance(tables, Mapping):
        raise ConfigError(
            f"{source}: {ENVIRONMENTS} must be a table of [{ENVIRONMENTS}.NAME] tables",
            hint=f'write [{ENVIRONMENTS}.prod] then base_url = "https://..." below it',
        )
    return {
        str(name): _environment(str(name), table, source, _Lines(text, str(name)))
        for name, table in tables.items()
    }


class _Lines:
    """Line numbers of one environment's table and the keys and strings in it. ``tomllib``
    gives values, not positions; the table's header and its keys are found in the text."""

    def __init__(self, text: str, name: str) -> None:
        self.lines = text.splitlines()
        header = re.compile(
            r"^\s*\[\s*(?:tool\.aurum-sr\.)?"
            + ENVIRONMENTS
            + r"\.(?:\"?)"
            + re.escape(name)
            + r"(?:\"?)\s*(\.[^\]]*)?\]"
        )
        self.own: list[int] = []  # 1-based numbers of the lines inside the table (and subtables)
        self.header = 0
        inside = False
        for number, line in enumerate(self.lines, 1):
            if line.lstrip().startswith("["):
                found = header.match(line)
                inside = found is not None
                if found and not self.header:
                    self.header = number
            elif inside:
                self.own.append(number)

    def of_key(self, key: str) -> int:
        pattern = re.compile(r"^\s*\"?" + re.escape(key).replace("_", "[_-]") + r"\"?\s*=")
        for number in self.own:
            if pattern.match(self.lines[number - 1]):
                return number
        return self.header

    def of_string(self, value: str) -> int:
        quoted = (f'"{value}"', f"'{value}'")
        for number in self.own:
            if any(q in self.lines[number - 1] for q in quoted):
                return number
        return self.header

    def where(self, source: str, name: str, line: int) -> str:
        file, _, table = source.partition(" ")
        place = f"{file}:{line}" if line else file
        return f"{place} [{(table.strip('[]') + '.') if table else ''}{ENVIRONMENTS}.{name}]"


def _environment(name: str, table: object, source: str, lines: _Lines) -> Environment:
    where = lines.where(source, name, lines.header)
    if name == ALL_ENVIRONMENTS or not _ENV_NAME.fullmatch(name):
        raise ConfigError(
            f"{where}: {name!r} cannot name an environment",
            hint=f"use letters, digits, '.', '-', '_'; {ALL_ENVIRONMENTS!r} is reserved",
        )
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: must be a table", hint='give it base_url = "https://..."')
    values: dict[str, object] = {}
    for raw_key, value in table.items():
        key = str(raw_key).replace("-", "_")
        at = lines.where(source, name, lines.of_key(str(raw_key)))
        if key in _LITERAL_SECRETS:
            raise ConfigError(
                f"{at}: {raw_key} holds a secret, and secrets never go in the file "
                "(the value was not read)",
                hint=f"put it in an environment variable and name the variable: "
                f'{_LITERAL_SECRETS[key]} = "VARIABLE_NAME"',
            )
        if key not in _ENVIRONMENT_KEYS:
            close = difflib.get_close_matches(key, list(_ENVIRONMENT_KEYS), n=1, cutoff=0.6)
            raise ConfigError(
                f"{at}: unknown key {raw_key!r}",
                hint=f"did you mean {close[0]!r}?"
                if close
                else f"known keys: {', '.join(_ENVIRONMENT_KEYS)}",
            )
        values[key] = value
    url = values.get("base_url")
    if not isinstance(url, str) or not url.strip():
        at = where if url is None else lines.where(source, name, lines.of_key("base_url"))
        raise ConfigError(
            f"{at}: no base_url" if url is None else f"{at}: base_url must be a URL",
            hint='give the registry: base_url = "https://HOST:PORT" (or "file:PATH")',
        )
    if split_userinfo(url)[2] is not None:
        raise ConfigError(
            f"{where}: base_url {mask_url(url)!r} holds a password, and secrets never go in "
            "the file",
            hint='drop it from the URL and name a variable: basic_auth_user_info_env = "VAR"',
        )
    for key in _CREDENTIAL_ENV_KEYS:
        variable = values.get(key)
        if variable is not None and (
            not isinstance(variable, str) or not _VARIABLE_NAME.fullmatch(variable)
        ):
            raise ConfigError(
                f"{where}: {key} must be the NAME of an environment variable, not {variable!r}",
                hint=f'e.g. {key} = "{name.upper().replace("-", "_")}_SR_AUTH"',
            )
    snapshot = values.get("snapshot")
    if snapshot is not None and not isinstance(snapshot, str):
        raise ConfigError(f"{where}: snapshot must be a file path, not {snapshot!r}")
    tls = {key: values[key] for key in _TLS_KEYS if key in values}
    return Environment(
        name=name,
        base_url=_checked({"base_url": url}, where)["base_url"],  # type: ignore[arg-type]
        basic_auth_user_info_env=values.get("basic_auth_user_info_env"),  # type: ignore[arg-type]
        bearer_token_env=values.get("bearer_token_env"),  # type: ignore[arg-type]
        tls=tuple(_checked(tls, where).items()),
        snapshot=snapshot,
        overlay=_overlay(values, lambda key: lines.where(source, name, lines.of_key(key)), lines),
        where=where,
    )


def _overlay(values: Mapping[str, object], at: Any, lines: _Lines) -> Overlay:
    """The overlay keys of one environment's ``values``, their types checked; ``at(key)`` is
    where ``key`` is written."""
    allowed = [level.value for level in CompatibilityLevel]

    def level(value: object, where: str, key: str) -> CompatibilityLevel:
        if isinstance(value, str) and value.upper() in allowed:
            return CompatibilityLevel(value.upper())
        raise ConfigError(
            f"{where}: {key} must be one of {', '.join(allowed)}, not {value!r}",
            hint=f'e.g. {key} = "BACKWARD"',
        )

    def strings(key: str) -> tuple[str, ...]:
        value = values.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(
                f"{at(key)}: {key} must be a list of strings, not {value!r}",
                hint=f'e.g. {key} = ["aurum.iso.*"]',
            )
        return tuple(value)

    compatibility = values.get("compatibility")
    overrides = values.get("compatibility_overrides", {})
    if not isinstance(overrides, Mapping):
        raise ConfigError(
            f"{at('compatibility_overrides')}: compatibility_overrides must be a table of "
            "subject to level",
            hint='e.g. compatibility_overrides = { "orders-value" = "FULL" }',
        )
    locations: dict[str, str] = {}
    for key in ("include", "exclude", "include_tags"):
        for token in strings(key):
            locations.setdefault(token, _at_line(lines, token, at(key)))
    levels: list[tuple[str, CompatibilityLevel]] = []
    for subject, value in overrides.items():
        where = _at_line(lines, str(subject), at("compatibility_overrides"))
        locations.setdefault(str(subject), where)
        levels.append((str(subject), level(value, where, f"compatibility_overrides.{subject}")))
    prefix = values.get("subject_prefix")
    context = values.get("context")
    if prefix is not None and context is not None:
        raise ConfigError(
            f"{at('context')}: subject_prefix and context exclude each other",
            hint="a context is the prefix :.NAME: — keep one of them",
        )
    for key, value in (("subject_prefix", prefix), ("context", context)):
        if value is not None and (
            not isinstance(value, str) or not value or any(c in value for c in "/ \t")
        ):
            raise ConfigError(
                f"{at(key)}: {key} must be a non-empty name without '/' or spaces, not {value!r}",
                hint=f'e.g. {key} = "dev"' if key == "context" else f'e.g. {key} = "dev."',
            )
    deletes = values.get("deletes", "allow")
    if deletes not in DELETE_POLICIES:
        raise ConfigError(
            f"{at('deletes')}: deletes must be one of {', '.join(DELETE_POLICIES)}, "
            f"not {deletes!r}",
            hint='e.g. deletes = "never" (the environment\'s plans block every delete)',
        )
    return Overlay(
        compatibility=None
        if compatibility is None
        else level(compatibility, at("compatibility"), "compatibility"),
        compatibility_overrides=tuple(sorted(levels)),
        include=strings("include"),
        exclude=strings("exclude"),
        include_tags=strings("include_tags"),
        subject_prefix=f":.{context}:" if isinstance(context, str) else str(prefix or ""),
        deletes=str(deletes),
        locations=tuple(sorted(locations.items())),
    )


def _at_line(lines: _Lines, token: str, fallback: str) -> str:
    """``fallback`` (``file:line [table]``) with the line of the string ``token`` instead."""
    line = lines.of_string(token)
    if not line or line == lines.header:
        return fallback
    file, _, table = fallback.partition(" ")
    return f"{file.rsplit(':', 1)[0] if ':' in file else file}:{line} {table}".rstrip()


def several(spec: str | None) -> bool:
    """Whether ``--env`` names several environments (``all``, or ``dev,prod``)."""
    return spec is not None and (spec == ALL_ENVIRONMENTS or "," in spec)


def find_environment(
    tables: object, name: str, source: str = CONFIG_FILE, text: str = ""
) -> Environment:
    """The environment ``name`` of ``tables``.

    Raises:
        ConfigError: ``all`` or several names (not supported by the commands that call this),
            an unknown name (did you mean), or a bad table.
    """
    if several(name):
        raise ConfigError(
            f"--env {name}: several environments in one run are not supported yet by this "
            "command (plan and drift take them)",
            hint="apply one environment at a time: --env NAME",
        )
    known = environment_names(tables, source, text)
    if name not in known:
        close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
        raise ConfigError(
            f"--env {name}: no [{ENVIRONMENTS}.{name}] in {source}",
            hint=f"did you mean {close[0]!r}?"
            if close
            else (
                f"known environments: {', '.join(sorted(known))}"
                if known
                else f'define it: [{ENVIRONMENTS}.{name}] with base_url = "https://..."'
            ),
        )
    return known[name]


def configured_environment(root: str | os.PathLike[str], name: str) -> Environment:
    """The environment ``name`` of the configuration file under ``root``.

    Raises:
        ConfigError: as :func:`find_environment`, or an unreadable file.
    """
    file_values, source = _file_values(Path(root))
    text = _source_text(Path(root))
    return find_environment(file_values.get(ENVIRONMENTS), name, source, text)


def configured_environments(root: str | os.PathLike[str]) -> dict[str, Environment]:
    """Every environment of the configuration file under ``root``, by name.

    Raises:
        ConfigError: as :func:`environment_names`, or an unreadable file.
    """
    file_values, source = _file_values(Path(root))
    return environment_names(file_values.get(ENVIRONMENTS), source, _source_text(Path(root)))


def selected_environments(root: str | os.PathLike[str], spec: str) -> tuple[Environment, ...]:
    """The environments ``--env SPEC`` names: ``all`` (every one), or names separated by
    commas; in promotion order when ``promotion`` is set, else in the order written.

    Raises:
        ConfigError: an unknown name (did you mean), a name given twice, no environments, or a
            bad table or promotion order.
    """
    file_values, source = _file_values(Path(root))
    text = _source_text(Path(root))
    tables = file_values.get(ENVIRONMENTS)
    known = environment_names(tables, source, text)
    order = promotion_order(root)
    if spec == ALL_ENVIRONMENTS:
        if not known:
            raise ConfigError(
                f"--env {ALL_ENVIRONMENTS}: {source} defines no [{ENVIRONMENTS}.NAME] table",
                hint=f'define them: [{ENVIRONMENTS}.dev] with base_url = "https://..."',
            )
        names = list(known)
    else:
        names = [n.strip() for n in spec.split(",")]
        for name in names:
            if names.count(name) > 1 or not name or name == ALL_ENVIRONMENTS:
                raise ConfigError(
                    f"--env {spec}: {name!r} is given twice"
                    if name and name != ALL_ENVIRONMENTS
                    else f"--env {spec}: {name!r} is not an environment name",
                    hint="name each environment once: --env dev,staging,prod (or --env all)",
                )
            find_environment(tables, name, source, text)  # did you mean
    rank = {name: i for i, name in enumerate(order)}
    names.sort(key=lambda n: rank.get(n, len(rank)))
    return tuple(known[n] for n in names)


def promotion_order(root: str | os.PathLike[str]) -> tuple[str, ...]:
    """The ``promotion`` list under ``root`` (empty when not set), checked.

    Raises:
        ConfigError: not a list of names, an unknown environment (did you mean), or a repeat;
            the message names the file and line.
    """
    file_values, source = _file_values(Path(root))
    order = file_values.get(PROMOTION)
    if order is None:
        return ()
    text = _source_text(Path(root))
    return _promotion(
        order, environment_names(file_values.get(ENVIRONMENTS), source, text), source, text
    )


def _promotion(
    order: object, known: Mapping[str, Environment], source: str, text: str
) -> tuple[str, ...]:
    file, _, table = source.partition(" ")
    line = next(
        (
            n
            for n, row in enumerate(text.splitlines(), 1)
            if re.match(r"\s*" + PROMOTION + r"\s*=", row)
        ),
        0,
    )
    where = f"{file}:{line}{' ' + table if table else ''}" if line else source
    if not isinstance(order, list) or not all(isinstance(n, str) for n in order):
        raise ConfigError(
            f"{where}: {PROMOTION} must be a list of environment names, not {order!r}",
            hint=f'e.g. {PROMOTION} = ["dev", "staging", "prod"]',
        )
    seen: set[str] = set()
    for name in order:
        if name in seen:
            raise ConfigError(
                f"{where}: {PROMOTION} names {name!r} twice",
                hint="each environment appears once, in the order changes reach them",
            )
        seen.add(name)
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
            raise ConfigError(
                f"{where}: {PROMOTION} names {name!r}, which no [{ENVIRONMENTS}.{name}] defines",
                hint=f"did you mean {close[0]!r}?"
                if close
                else f"known environments: {', '.join(sorted(known)) or 'none'}",
            )
    return tuple(order)


def environment_values(
    tables: object, name: str, source: str, environ: Mapping[str, str], text: str = ""
) -> dict[str, object]:
    """The configuration values environment ``name`` sets: its URL, TLS settings and the
    credentials read from the variables it names.

    Raises:
        ConfigError: as :func:`find_environment`; a named variable that is unset or empty, or
            (user info) not ``USER:PASSWORD`` -- the message names the variable, never a value.
    """
    found = find_environment(tables, name, source, text)
    values: dict[str, object] = {"base_url": found.base_url, **dict(found.tls)}
    where = found.where or f"{source} [{ENVIRONMENTS}.{name}]"
    for key in _CREDENTIAL_ENV_KEYS:
        variable = getattr(found, key)
        if variable is None:
            continue
        value = environ.get(variable, "")
        if not value:
            raise ConfigError(
                f"--env {name}: the credential variable {variable} is not set ({key} in {where})",
                hint=f"export {variable} before running, or fix {key}",
            )
        if key == "bearer_token_env":
            values["bearer_token"] = Secret(value)
            continue
        user, sep, password = value.partition(":")
        if not sep:
            raise ConfigError(
                f"--env {name}: {variable} must be USER:PASSWORD (no ':' found)",
                hint=f"set {variable} as USER:PASSWORD",
            )
        values["username"] = user
        values["password"] = Secret(password)
    return values


def _file_values(root: Path) -> tuple[dict[str, object], str]:
    own = root / CONFIG_FILE
    if own.is_file():
        return _read_toml(own), CONFIG_FILE
    pyproject = root / PYPROJECT
    if pyproject.is_file():
        tool = _read_toml(pyproject).get("tool", {})
        section = tool.get("aurum-sr", {}) if isinstance(tool, dict) else {}
        if not isinstance(section, dict):
            raise ConfigError(f"{PYPROJECT}: [tool.aurum-sr] must be a table")
        return section, f"{PYPROJECT} [tool.aurum-sr]"
    return {}, CONFIG_FILE


def _source_text(root: Path) -> str:
    """The text of the configuration file :func:`_file_values` reads ("" when none)."""
    for name in (CONFIG_FILE, PYPROJECT):
        path = root / name
        if path.is_file():
            try:
                return path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return ""
    return ""


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
            return data
    except OSError as exc:
        raise ConfigError(f"{path.name}: cannot read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path.name}: not valid TOML: {exc}", hint="fix the syntax at the position given"
        ) from exc


def _env_values(environ: Mapping[str, str]) -> dict[str, object]:
    values: dict[str, object] = {}
    user_info = environ.get(_USER_INFO)
    if user_info:
        user, sep, password = user_info.partition(":")
        if not sep:
            raise ConfigError(
                f"{_USER_INFO} must be user:password (no ':' found)",
                hint="set it as USER:PASSWORD, or use SCHEMA_REGISTRY_USERNAME and "
                "SCHEMA_REGISTRY_PASSWORD",
            )
        values["username"] = user
        values["password"] = password
    for name, field_name in _ENV_FIELDS.items():
        if environ.get(name):
            values[field_name] = environ[name]
    return values


def _checked(layer: Mapping[str, object], where: str) -> dict[str, object]:
    """``layer``'s values converted to the field types, credentials moved out of the URL."""
    values: dict[str, object] = {}
    for raw_key, value in layer.items():
        key = str(raw_key).replace("-", "_")
        if key not in _FIELDS:
            close = difflib.get_close_matches(key, list(_FIELDS), n=1, cutoff=0.6)
            raise ConfigError(
                f"{where}: unknown configuration key {raw_key!r}",
                hint=f"did you mean {close[0]!r}?"
                if close
                else f"known keys: {', '.join(_FIELDS)}",
            )
        values[key] = _convert(key, value, where)
    url = values.get("base_url")
    if isinstance(url, str):
        clean, user, password = _split_credentials(url, where)
        values["base_url"] = clean
        if user is not None:
            values.setdefault("username", user)
        if password is not None:
            values.setdefault("password", Secret(password))
    return values


def _convert(key: str, value: object, where: str) -> object:
    kind = _FIELDS[key]
    shown = "(hidden)" if key in _SECRET_FIELDS else repr(value)
    is_text = isinstance(value, str)

    def wrong(expected: str) -> ConfigError:
        return ConfigError(f"{where}: {key} must be {expected}, not {shown}")

    if kind is bool:
        if isinstance(value, bool):
            return value
        if is_text and str(value).lower() in ("true", "1", "yes", "false", "0", "no"):
            return str(value).lower() in ("true", "1", "yes")
        raise wrong("true or false")
    if kind is int or kind is float:
        if isinstance(value, bool):
            raise wrong("a number")
        try:
            number = kind(value) if isinstance(value, (int, float, str)) else None
        except ValueError:
            number = None
        if number is None or (kind is int and isinstance(value, float)) or number < 0:
            raise wrong("a whole number" if kind is int else "a number")
        return number
    if kind is CompatibilityLevel:
        allowed = [level.value for level in CompatibilityLevel]
        if is_text and str(value).upper() in allowed:
            return CompatibilityLevel(str(value).upper())
        raise ConfigError(
            f"{where}: {key} must be one of {', '.join(allowed)}, not {shown}",
        )
    if kind is Secret:
        if isinstance(value, Secret):
            return value
        if is_text:
            return Secret(str(value))
        raise wrong("a string")
    if kind is dict:
        if isinstance(value, Mapping) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            return tuple(sorted(value.items()))
        if isinstance(value, tuple):
            return value
        raise wrong("a table of header name to string value")
    if not is_text:
        raise wrong("a string")
    if key == "flavor":
        from aurum_sr.capabilities import Implementation, implementation_named

        found = implementation_named(str(value))
        if found is None or found is Implementation.SNAPSHOT:
            names = ", ".join(
                i.value
                for i in Implementation
                if i not in (Implementation.UNKNOWN, Implementation.SNAPSHOT)
            )
            raise ConfigError(
                f"{where}: flavor must be one of {names}, not {shown}",
                hint='e.g. flavor = "karapace" (see docs/registries.md)',
            )
        return found.value
    if key == "log_level":
        level = str(value).upper()
        if level not in LOG_LEVELS:
            raise ConfigError(
                f"{where}: log_level must be one of {', '.join(LOG_LEVELS)}, not {shown}"
            )
        return level
    return value


def _split_credentials(url: str, where: str) -> tuple[str, str | None, str | None]:
    # The credentials come out first: a password holding ``/``, ``#`` or ``?`` would otherwise
    # end the host early, fail the URL's validation, and be printed in the error.
    clean, user, password = split_userinfo(url)
    try:
        parts = urlsplit(clean)
        parts.port  # noqa: B018 - validates the port
    except ValueError as exc:
        raise ConfigError(
            f"{where}: base_url {mask_url(url)!r} is not a valid URL",
            hint="use http(s)://host:port, file:PATH or memory:; percent-encode a password's "
            "special characters, or set SCHEMA_REGISTRY_PASSWORD instead",
        ) from exc
    return clean, user, password
