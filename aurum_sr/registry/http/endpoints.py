"""The registry's REST endpoints, one function each: the request's path, parameters and body in,
our model out (through :mod:`aurum_sr.registry.wire`, the one module that knows the JSON).

Each function makes exactly one request and raises what the registry answered (typed, see
:class:`~aurum_sr.registry.http.transport.Transport`); deciding what an answer means for the
caller — "no subject-level setting", "an older server without this endpoint" — is the client's
job (:mod:`aurum_sr.registry.http.client`), not theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aurum_sr.model import CompatibilityLevel, Mode, RegisteredSchema, Schema
from aurum_sr.registry import wire
from aurum_sr.registry.http.transport import EndpointMissingError, Transport, path
from aurum_sr.registry.protocol import RemoteVerdict, VersionSpec


def _flag(value: bool) -> bool | None:
    """A boolean query parameter: sent when true, left out (the default) when false."""
    return True if value else None


@dataclass(frozen=True)
class Entity:
    """A version entity as the server sent it (``GET …/versions/{v}``, ``GET /schemas``)."""

    registered: RegisteredSchema
    flagged: bool
    """The server said whether the version is soft-deleted (CP 8.0+); when False,
    ``registered.deleted`` is only a default."""


def _entity(body: Any, subject: str | None = None) -> Entity:
    return Entity(wire.registered_from_wire(body, subject=subject), "deleted" in body)


def get_metadata_version(t: Transport) -> str | None:
    """``GET /v1/metadata/version``: the server's version (CP 7.0.4+)."""
    meta = t.get("/v1/metadata/version")
    return str(meta.get("version")) if isinstance(meta, dict) else None


def get_subjects(t: Transport, *, deleted: bool = False, prefix: str | None = None) -> list[str]:
    """``GET /subjects``: subject names as the server lists them."""
    names = t.get("/subjects", deleted=_flag(deleted), subject_prefix=prefix or None) or []
    return [str(n) for n in names]


def get_versions(t: Transport, subject: str, *, deleted: bool = False) -> list[int]:
    """``GET /subjects/{s}/versions``, ascending."""
    body = t.get(path("subjects", subject, "versions"), subject=subject, deleted=_flag(deleted))
    return sorted(int(v) for v in body or [])


def get_version(
    t: Transport, subject: str, version: VersionSpec, *, deleted: bool = False
) -> Entity:
    """``GET /subjects/{s}/versions/{v}``."""
    body = t.get(
        path("subjects", subject, "versions", version), subject=subject, deleted=_flag(deleted)
    )
    return _entity(body, subject)


def get_schema_by_id(t: Transport, schema_id: int) -> Schema:
    """``GET /schemas/ids/{id}``."""
    return wire.schema_from_wire(t.get(path("schemas", "ids", schema_id)))


def get_schemas(
    t: Transport,
    *,
    prefix: str = "",
    deleted: bool = False,
    latest_only: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> list[Entity]:
    """``GET /schemas`` (CP 6.1+): one page of version entities.

    Raises:
        EndpointMissingError: the server has no such listing (or answers it with something else
            than a list).
    """
    page = t.get(
        "/schemas",
        subject_prefix=prefix or None,
        deleted=_flag(deleted),
        latest_only=_flag(latest_only),
        offset=offset,
        limit=limit,
    )
    if not isinstance(page, list):
        raise EndpointMissingError(
            f"registry {t.name} answered GET /schemas with something else than a list",
            registry=t.name,
        )
    return [_entity(e, str(e["subject"])) for e in page]


def lookup(
    t: Transport, subject: str, schema: Schema, *, normalize: bool = False, deleted: bool = False
) -> RegisteredSchema:
    """``POST /subjects/{s}``: the version of ``subject`` holding ``schema``."""
    body = t.call(
        "POST",
        path("subjects", subject),
        params=wire.query(normalize=_flag(normalize), deleted=_flag(deleted)),
        body=wire.schema_to_wire(schema),
        subject=subject,
    )
    return wire.registered_from_wire(body, subject=subject)


def get_config(
    t: Transport, subject: str | None = None, *, default_to_global: bool = False
) -> CompatibilityLevel:
    """``GET /config`` or ``GET /config/{s}``."""
    if subject is None:
        return wire.compatibility_from_wire(t.get("/config"))
    body = t.get(
        path("config", subject), subject=subject, default_to_global=_flag(default_to_global)
    )
    return wire.compatibility_from_wire(body)


def put_config(t: Transport, level: CompatibilityLevel, subject: str | None = None) -> None:
    """``PUT /config`` or ``PUT /config/{s}``."""
    target = "/config" if subject is None else path("config", subject)
    t.call("PUT", target, body=wire.compatibility_to_wire(level), subject=subject)


def delete_config(t: Transport, subject: str) -> None:
    """``DELETE /config/{s}`` (CP 7.0+)."""
    t.call("DELETE", path("config", subject), subject=subject)


def get_mode(t: Transport, subject: str | None = None, *, default_to_global: bool = False) -> Mode:
    """``GET /mode`` or ``GET /mode/{s}``."""
    if subject is None:
        return wire.mode_from_wire(t.get("/mode"))
    body = t.get(path("mode", subject), subject=subject, default_to_global=_flag(default_to_global))
    return wire.mode_from_wire(body)


def put_mode(t: Transport, mode: Mode, subject: str | None = None, *, force: bool = False) -> None:
    """``PUT /mode`` or ``PUT /mode/{s}``."""
    target = "/mode" if subject is None else path("mode", subject)
    t.call(
        "PUT",
        target,
        params=wire.query(force=_flag(force)),
        body=wire.mode_to_wire(mode),
        subject=subject,
    )


def delete_mode(t: Transport, subject: str) -> None:
    """``DELETE /mode/{s}`` (CP 7.0+)."""
    t.call("DELETE", path("mode", subject), subject=subject)


def post_compatibility(
    t: Transport, subject: str, schema: Schema, *, version: VersionSpec | None = None
) -> RemoteVerdict:
    """``POST /compatibility/subjects/{s}/versions[/{v}]?verbose=true``: without ``version``,
    against every version the subject's level requires (CP 7.0+)."""
    segments: tuple[str | int, ...] = ("compatibility", "subjects", subject, "versions")
    target = path(*segments) if version is None else path(*segments, version)
    body = t.call(
        "POST",
        target,
        params=wire.query(verbose=True),
        body=wire.schema_to_wire(schema),
        subject=subject,
    )
    return RemoteVerdict(
        is_compatible=bool(body.get("is_compatible", False)),
        messages=wire.verdict_messages(body),
    )


@dataclass(frozen=True)
class Registered:
    """What ``POST /subjects/{s}/versions`` answered."""

    schema_id: int
    registered: RegisteredSchema | None
    """The version holding the schema, when the server said (CP 7.5+; Karapace and older
    servers answer only the id)."""


def register(
    t: Transport,
    subject: str,
    schema: Schema,
    *,
    normalize: bool = False,
    schema_id: int | None = None,
    version: int | None = None,
) -> Registered:
    """``POST /subjects/{s}/versions``."""
    body = t.call(
        "POST",
        path("subjects", subject, "versions"),
        params=wire.query(normalize=_flag(normalize)),
        body=wire.schema_to_wire(schema, schema_id=schema_id, version=version),
        subject=subject,
    )
    new_id = int(body["id"])
    if "version" not in body:
        return Registered(new_id, None)
    stored = wire.schema_from_wire(body) if "schema" in body else schema
    return Registered(new_id, RegisteredSchema(subject, int(body["version"]), new_id, stored))


def delete_subject(t: Transport, subject: str, *, permanent: bool = False) -> list[int]:
    """``DELETE /subjects/{s}``: the versions deleted, ascending."""
    body = t.call(
        "DELETE",
        path("subjects", subject),
        params=wire.query(permanent=_flag(permanent)),
        subject=subject,
    )
    return sorted(int(v) for v in body or [])


def delete_version(t: Transport, subject: str, version: int, *, permanent: bool = False) -> int:
    """``DELETE /subjects/{s}/versions/{v}``: the version deleted."""
    body = t.call(
        "DELETE",
        path("subjects", subject, "versions", version),
        params=wire.query(permanent=_flag(permanent)),
        subject=subject,
    )
    return int(body)
