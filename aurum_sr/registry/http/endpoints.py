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

from aurum_sr.datacontracts import ContractConfig
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
    registered = wire.registered_from_wire(body, subject=subject)
    return Entity(registered, "deleted" in body)


def _page(body: Any) -> list[Entity]:
    return [_entity(e) for e in body]


def get_metadata_version(t: Transport) -> str | None:
    """``GET /v1/metadata/version``: the server's version (CP 7.0.4+)."""
    meta = t.get("/v1/metadata/version")
    return str(meta.get("version")) if isinstance(meta, dict) else None


def get_subjects(t: Transport, *, deleted: bool = False, prefix: str | None = None) -> list[str]:
    """``GET /subjects``: subject names as the server lists them."""
    names: list[str] = t.get(
        "/subjects",
        convert=lambda b: wire.str_list(b, "the subject list"),
        deleted=_flag(deleted),
        subject_prefix=prefix or None,
    )
    return names


def get_versions(t: Transport, subject: str, *, deleted: bool = False) -> list[int]:
    """``GET /subjects/{s}/versions``, ascending."""
    body: list[int] = t.get(
        path("subjects", subject, "versions"),
        subject=subject,
        convert=lambda b: wire.int_list(b, "the version list"),
        deleted=_flag(deleted),
    )
    return sorted(body)


def get_version(
    t: Transport, subject: str, version: VersionSpec, *, deleted: bool = False
) -> Entity:
    """``GET /subjects/{s}/versions/{v}``."""
    entity: Entity = t.get(
        path("subjects", subject, "versions", version),
        subject=subject,
        convert=lambda b: _entity(b, subject),
        deleted=_flag(deleted),
    )
    return entity


def get_schema_by_id(t: Transport, schema_id: int) -> Schema:
    """``GET /schemas/ids/{id}``."""
    schema: Schema = t.get(path("schemas", "ids", schema_id), convert=wire.schema_from_wire)
    return schema


def get_referenced_by(t: Transport, subject: str, version: int) -> list[int]:
    """``GET /subjects/{s}/versions/{v}/referencedby``: ids of the schemas referencing it."""
    ids: list[int] = t.get(
        path("subjects", subject, "versions", version, "referencedby"),
        subject=subject,
        convert=lambda b: wire.int_list(b, "the referencedby list"),
    )
    return ids


def get_id_versions(t: Transport, schema_id: int) -> list[tuple[str, int]]:
    """``GET /schemas/ids/{id}/versions``: the subject versions holding schema ``schema_id``."""
    pairs: list[tuple[str, int]] = t.get(
        path("schemas", "ids", schema_id, "versions"),
        convert=lambda b: wire.subject_versions(b, "the versions of a schema id"),
    )
    return pairs


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
    params: dict[str, Any] = {
        "subject_prefix": prefix or None,
        "deleted": _flag(deleted),
        "latest_only": _flag(latest_only),
        "offset": offset,
        "limit": limit,
    }
    page = t.get("/schemas", **params)
    if not isinstance(page, list):
        raise EndpointMissingError(
            f"registry {t.name} answered GET /schemas with something else than a list",
            registry=t.name,
        )
    # Every entry must name its subject and version: the answer is validated as a whole.
    entries: list[Entity] = t.validate("GET", "/schemas", page, _page)
    return entries


def lookup(
    t: Transport, subject: str, schema: Schema, *, normalize: bool = False, deleted: bool = False
) -> RegisteredSchema:
    """``POST /subjects/{s}``: the version of ``subject`` holding ``schema``."""
    found: RegisteredSchema = t.call(
        "POST",
        path("subjects", subject),
        params=wire.query(normalize=_flag(normalize), deleted=_flag(deleted)),
        body=wire.schema_to_wire(schema),
        subject=subject,
        convert=lambda b: wire.registered_from_wire(b, subject=subject),
    )
    return found


def get_config(
    t: Transport, subject: str | None = None, *, default_to_global: bool = False
) -> CompatibilityLevel | None:
    """``GET /config`` or ``GET /config/{s}``; None for a subject whose configuration holds
    data-contract settings but no level of its own."""
    target = "/config" if subject is None else path("config", subject)
    level: CompatibilityLevel | None = t.get(
        target,
        subject=subject,
        convert=wire.compatibility_from_wire if subject is None else _subject_level,
        default_to_global=_flag(default_to_global) if subject is not None else None,
    )
    return level


def put_config(t: Transport, level: CompatibilityLevel, subject: str | None = None) -> None:
    """``PUT /config`` or ``PUT /config/{s}``."""
    target = "/config" if subject is None else path("config", subject)
    t.call("PUT", target, body=wire.compatibility_to_wire(level), subject=subject)


def _subject_level(body: Any) -> CompatibilityLevel | None:
    answer = wire.expect_object(body, "the answer")
    if answer.get("compatibilityLevel", answer.get("compatibility")) is None and any(
        answer.get(key) is not None for key in wire.CONTRACT_CONFIG_FIELDS
    ):
        return None
    return wire.compatibility_from_wire(answer)


def get_contract_config(t: Transport, subject: str) -> ContractConfig:
    """The data-contract part of ``GET /config/{s}`` (CP 7.4+)."""
    found: ContractConfig = t.get(
        path("config", subject), subject=subject, convert=wire.contract_config_from_wire
    )
    return found


def put_contract_config(t: Transport, subject: str, config: ContractConfig) -> None:
    """``PUT /config/{s}`` with every data-contract field (null clears one); the
    compatibility level is not sent, so the registry keeps it."""
    body = dict.fromkeys(wire.CONTRACT_CONFIG_FIELDS)
    body.update(wire.contract_config_to_wire(config))
    t.call("PUT", path("config", subject), body=body, subject=subject)


def delete_config(t: Transport, subject: str) -> None:
    """``DELETE /config/{s}`` (CP 7.0+)."""
    t.call("DELETE", path("config", subject), subject=subject)


def get_mode(t: Transport, subject: str | None = None, *, default_to_global: bool = False) -> Mode:
    """``GET /mode`` or ``GET /mode/{s}``."""
    target = "/mode" if subject is None else path("mode", subject)
    mode: Mode = t.get(
        target,
        subject=subject,
        convert=wire.mode_from_wire,
        default_to_global=_flag(default_to_global) if subject is not None else None,
    )
    return mode


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
    verdict: RemoteVerdict = t.call(
        "POST",
        target,
        params=wire.query(verbose=True),
        body=wire.schema_to_wire(schema),
        subject=subject,
        convert=_verdict,
    )
    return verdict


def _verdict(body: Any) -> RemoteVerdict:
    answer = wire.expect_object(body, "the answer")
    return RemoteVerdict(
        is_compatible=answer.get("is_compatible") is True,
        messages=wire.verdict_messages(answer),
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

    def registered(data: Any) -> Registered:
        body = wire.expect_object(data, "the answer")
        new_id = wire.expect_int(body.get("id"), "the new schema's 'id'")
        if "version" not in body:
            return Registered(new_id, None)
        number = wire.expect_int(body["version"], "the new version's 'version'")
        stored = wire.schema_from_wire(body) if "schema" in body else schema
        return Registered(new_id, RegisteredSchema(subject, number, new_id, stored))

    answer: Registered = t.call(
        "POST",
        path("subjects", subject, "versions"),
        params=wire.query(normalize=_flag(normalize)),
        body=wire.schema_to_wire(schema, schema_id=schema_id, version=version),
        subject=subject,
        convert=registered,
    )
    return answer


def delete_subject(t: Transport, subject: str, *, permanent: bool = False) -> list[int]:
    """``DELETE /subjects/{s}``: the versions deleted, ascending."""
    body: list[int] = t.call(
        "DELETE",
        path("subjects", subject),
        params=wire.query(permanent=_flag(permanent)),
        subject=subject,
        convert=lambda b: wire.int_list(b or [], "the deleted versions"),
    )
    return sorted(body)


def delete_version(t: Transport, subject: str, version: int, *, permanent: bool = False) -> int:
    """``DELETE /subjects/{s}/versions/{v}``: the version deleted."""
    deleted: int = t.call(
        "DELETE",
        path("subjects", subject, "versions", version),
        params=wire.query(permanent=_flag(permanent)),
        subject=subject,
        convert=lambda b: wire.expect_int(b, "the deleted version"),
    )
    return deleted
