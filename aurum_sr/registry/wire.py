"""The registry's JSON on the wire ⇄ our frozen model, in one place.

The REST API speaks camelCase (``schemaType``, ``compatibilityLevel``, ``subjectPrefix``) and
omits fields that are empty or default (``schemaType`` is left out for AVRO before CP 8.0). Both
the HTTP client and the in-process test server convert through these functions, so the two can
never disagree about a field name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from aurum_sr.model import CompatibilityLevel, Mode, RegisteredSchema, Schema, SchemaReference
from aurum_sr.model import SchemaType as SchemaType

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
ACCEPT = (
    "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, "
    "application/json; q=0.5"
)

_CAMEL_BOUNDARY = re.compile(r"(?<!^)(?=[A-Z])")


def to_snake(name: str) -> str:
    """``schemaType`` → ``schema_type``."""
    return _CAMEL_BOUNDARY.sub("_", name).lower()


def to_camel(name: str) -> str:
    """``schema_type`` → ``schemaType``."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def query(**params: object) -> dict[str, str]:
    """Query parameters in the registry's spelling: camelCase names, ``true``/``false``
    booleans, ``None`` left out."""
    out: dict[str, str] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[to_camel(key)] = "true" if value else "false"
        else:
            out[to_camel(key)] = str(value)
    return out


def reference_to_wire(ref: SchemaReference) -> dict[str, Any]:
    return {"name": ref.name, "subject": ref.subject, "version": ref.version}


def reference_from_wire(data: Mapping[str, Any]) -> SchemaReference:
    return SchemaReference(
        name=str(data["name"]), subject=str(data["subject"]), version=int(data["version"])
    )


def schema_type_from_wire(value: object) -> SchemaType:
    """A missing ``schemaType`` means AVRO."""
    if value is None or value == "":
        return SchemaType.AVRO
    return SchemaType(str(value).upper())


def schema_from_wire(data: Mapping[str, Any]) -> Schema:
    """A schema from any registry response that carries ``schema`` (and maybe ``schemaType``
    and ``references``)."""
    return Schema(
        schema_str=str(data["schema"]),
        schema_type=schema_type_from_wire(data.get("schemaType")),
        references=tuple(reference_from_wire(r) for r in data.get("references") or ()),
    )


def schema_to_wire(
    schema: Schema,
    *,
    schema_id: int | None = None,
    version: int | None = None,
    omit_avro_type: bool = False,
) -> dict[str, Any]:
    """The body of a register / lookup / compatibility request."""
    body: dict[str, Any] = {"schema": schema.schema_str}
    if not (omit_avro_type and schema.schema_type is SchemaType.AVRO):
        body["schemaType"] = schema.schema_type.value
    if schema.references:
        body["references"] = [reference_to_wire(r) for r in schema.references]
    if schema_id is not None:
        body["id"] = schema_id
    if version is not None:
        body["version"] = version
    return body


def registered_from_wire(
    data: Mapping[str, Any], *, deleted: bool | None = None, subject: str | None = None
) -> RegisteredSchema:
    """A version entity (``GET …/versions/{v}``, lookup, ``GET /schemas`` entries).

    ``deleted`` overrides the entity's own ``deleted`` flag (CP 8.0+ only sends one).
    """
    flag = deleted if deleted is not None else bool(data.get("deleted", False))
    return RegisteredSchema(
        subject=str(data.get("subject", subject or "")),
        version=int(data["version"]),
        schema_id=int(data["id"]),
        schema=schema_from_wire(data),
        deleted=flag,
    )


def registered_to_wire(
    registered: RegisteredSchema, *, omit_avro_type: bool = False, with_deleted: bool = True
) -> dict[str, Any]:
    """The version entity a server returns."""
    body: dict[str, Any] = {
        "subject": registered.subject,
        "version": registered.version,
        "id": registered.schema_id,
    }
    body.update(schema_to_wire(registered.schema, omit_avro_type=omit_avro_type))
    if with_deleted:
        body["deleted"] = registered.deleted
    return body


def compatibility_from_wire(data: Mapping[str, Any]) -> CompatibilityLevel:
    """``GET /config`` answers ``compatibilityLevel``; PUT echoes ``compatibility``."""
    value = data.get("compatibilityLevel", data.get("compatibility"))
    return CompatibilityLevel(str(value).upper())


def compatibility_to_wire(level: CompatibilityLevel) -> dict[str, Any]:
    """The body of ``PUT /config[/{subject}]`` (note: ``compatibility``, not ``…Level``)."""
    return {"compatibility": level.value}


def mode_from_wire(data: Mapping[str, Any]) -> Mode:
    return Mode(str(data["mode"]).upper())


def mode_to_wire(mode: Mode) -> dict[str, Any]:
    return {"mode": mode.value}


def verdict_messages(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The ``messages`` of a compatibility answer (strings, whatever the server sent)."""
    raw = data.get("messages") or ()
    if isinstance(raw, str):
        return (raw,)
    if isinstance(raw, Sequence):
        return tuple(str(m) for m in raw)
    return ()


def error_body(error_code: int, message: str) -> dict[str, Any]:
    """The registry's error body."""
    return {"error_code": int(error_code), "message": message}
