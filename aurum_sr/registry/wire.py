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

from aurum_sr.datacontracts import ContractConfig, Metadata, Rule, RuleKind, RuleMode, RuleSet
from aurum_sr.model import CompatibilityLevel, Mode, RegisteredSchema, Schema, SchemaReference
from aurum_sr.model import SchemaType as SchemaType

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
ACCEPT = (
    "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, "
    "application/json; q=0.5"
)

_CAMEL_BOUNDARY = re.compile(r"(?<!^)(?=[A-Z])")


class WireError(ValueError):
    """JSON that does not have the shape the registry's API documents (a list where an object
    belongs, a missing field, a version that is not an integer, an unknown level or mode)."""


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    return {dict: "an object", list: "a list", str: "a string", int: "an integer"}.get(
        type(value), f"a {type(value).__name__}"
    )


def expect_object(data: object, what: str) -> Mapping[str, Any]:
    """``data`` when it is a JSON object."""
    if not isinstance(data, Mapping):
        raise WireError(f"{what} must be an object, not {_kind(data)}")
    return data


def expect_list(data: object, what: str) -> list[Any]:
    """``data`` when it is a JSON array."""
    if not isinstance(data, list):
        raise WireError(f"{what} must be a list, not {_kind(data)}")
    return data


def expect_int(value: object, what: str) -> int:
    """``value`` when it is a JSON integer (not a boolean, not a string of digits)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise WireError(f"{what} must be an integer, not {_kind(value)}")
    return value


def expect_str(value: object, what: str) -> str:
    """``value`` when it is a JSON string."""
    if not isinstance(value, str):
        raise WireError(f"{what} must be a string, not {_kind(value)}")
    return value


def int_list(data: object, what: str) -> list[int]:
    """A JSON array of integers (version numbers, schema ids)."""
    return [expect_int(v, f"each entry of {what}") for v in expect_list(data, what)]


def str_list(data: object, what: str) -> list[str]:
    """A JSON array of strings (subject names)."""
    return [expect_str(v, f"each entry of {what}") for v in expect_list(data, what)]


def subject_versions(data: object, what: str) -> list[tuple[str, int]]:
    """A JSON array of ``{"subject": ..., "version": ...}`` objects
    (``GET /schemas/ids/{id}/versions``)."""
    out = []
    for entry in expect_list(data, what):
        item = expect_object(entry, f"each entry of {what}")
        out.append(
            (
                expect_str(item.get("subject"), f"subject in {what}"),
                expect_int(item.get("version"), f"version in {what}"),
            )
        )
    return out


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


def reference_from_wire(data: object) -> SchemaReference:
    ref = expect_object(data, "a reference")
    return SchemaReference(
        name=expect_str(ref.get("name"), "a reference's name"),
        subject=expect_str(ref.get("subject"), "a reference's subject"),
        version=expect_int(ref.get("version"), "a reference's version"),
    )


def schema_type_from_wire(value: object) -> SchemaType:
    """A missing ``schemaType`` means AVRO."""
    if value is None or value == "":
        return SchemaType.AVRO
    kind: SchemaType = _member(SchemaType, value, "schemaType")
    return kind


def _member(enum: Any, value: object, what: str) -> Any:
    try:
        return enum(expect_str(value, what).upper())
    except ValueError:
        known = ", ".join(m.value for m in enum)
        raise WireError(f"{what} {value!r} is none of {known}") from None


def schema_from_wire(data: object) -> Schema:
    """A schema from any registry response that carries ``schema`` (and maybe ``schemaType``
    and ``references``)."""
    body = expect_object(data, "the answer")
    refs = body.get("references")
    return Schema(
        schema_str=expect_str(body.get("schema"), "'schema'"),
        schema_type=schema_type_from_wire(body.get("schemaType")),
        references=tuple(reference_from_wire(r) for r in expect_list(refs, "'references'"))
        if refs
        else (),
        metadata=metadata_from_wire(body.get("metadata"), "'metadata'"),
        rule_set=rule_set_from_wire(body.get("ruleSet"), "'ruleSet'"),
    )


def _string_map(data: object, what: str) -> dict[str, str]:
    raw = expect_object(data, what) if data is not None else {}
    return {
        expect_str(k, f"a key of {what}"): expect_str(v, f"{what}[{k!r}]") for k, v in raw.items()
    }


def metadata_from_wire(data: object, what: str = "metadata") -> Metadata | None:
    """``{"properties": {...}, "tags": {path: [...]}, "sensitive": [...]}``; null is None."""
    if data is None:
        return None
    body = expect_object(data, what)
    tags = expect_object(body.get("tags") or {}, f"tags of {what}")
    return Metadata.of(
        properties=_string_map(body.get("properties"), f"properties of {what}"),
        tags={
            expect_str(path, f"a tag path of {what}"): str_list(t, f"tags of {path!r}")
            for path, t in tags.items()
        },
        sensitive=str_list(body.get("sensitive") or [], f"sensitive of {what}"),
    )


def metadata_to_wire(metadata: Metadata) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if metadata.tags:
        body["tags"] = {path: list(tags) for path, tags in metadata.tags}
    if metadata.properties:
        body["properties"] = dict(metadata.properties)
    if metadata.sensitive:
        body["sensitive"] = list(metadata.sensitive)
    return body


def rule_from_wire(data: object, what: str) -> Rule:
    body = expect_object(data, what)
    name = expect_str(body.get("name"), f"the name of {what}")
    where = f"rule {name!r}"
    optional = {
        key: expect_str(body[key], f"{key} of {where}") if body.get(key) is not None else None
        for key in ("doc", "expr", "onSuccess", "onFailure")
    }
    disabled = body.get("disabled", False)
    if not isinstance(disabled, bool):
        raise WireError(f"disabled of {where} must be a boolean, not {_kind(disabled)}")
    return Rule(
        name=name,
        kind=_member(RuleKind, body.get("kind", "TRANSFORM"), f"kind of {where}"),
        mode=_member(RuleMode, body.get("mode"), f"mode of {where}"),
        type=expect_str(body.get("type"), f"type of {where}"),
        doc=optional["doc"],
        tags=tuple(sorted(set(str_list(body.get("tags") or [], f"tags of {where}")))),
        params=tuple(sorted(_string_map(body.get("params"), f"params of {where}").items())),
        expr=optional["expr"],
        on_success=optional["onSuccess"],
        on_failure=optional["onFailure"],
        disabled=disabled,
    )


def rule_to_wire(rule: Rule) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": rule.name,
        "kind": rule.kind.value,
        "mode": rule.mode.value,
        "type": rule.type,
    }
    if rule.doc is not None:
        body["doc"] = rule.doc
    if rule.tags:
        body["tags"] = list(rule.tags)
    if rule.params:
        body["params"] = dict(rule.params)
    for key, value in (("expr", rule.expr), ("onSuccess", rule.on_success)):
        if value is not None:
            body[key] = value
    if rule.on_failure is not None:
        body["onFailure"] = rule.on_failure
    if rule.disabled:
        body["disabled"] = True
    return body


def rule_set_from_wire(data: object, what: str = "ruleSet") -> RuleSet | None:
    """``{"migrationRules": [...], "domainRules": [...]}``; null is None."""
    if data is None:
        return None
    body = expect_object(data, what)
    return RuleSet(
        migration_rules=tuple(
            rule_from_wire(r, f"a migration rule of {what}")
            for r in expect_list(body.get("migrationRules") or [], f"migrationRules of {what}")
        ),
        domain_rules=tuple(
            rule_from_wire(r, f"a domain rule of {what}")
            for r in expect_list(body.get("domainRules") or [], f"domainRules of {what}")
        ),
    )


def rule_set_to_wire(rule_set: RuleSet) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if rule_set.migration_rules:
        body["migrationRules"] = [rule_to_wire(r) for r in rule_set.migration_rules]
    if rule_set.domain_rules:
        body["domainRules"] = [rule_to_wire(r) for r in rule_set.domain_rules]
    return body


CONTRACT_CONFIG_FIELDS = (
    "defaultMetadata",
    "overrideMetadata",
    "defaultRuleSet",
    "overrideRuleSet",
    "compatibilityGroup",
    "alias",
)
"""The data-contract fields of a subject's configuration, in the registry's spelling."""


def contract_config_from_wire(data: object) -> ContractConfig:
    """The data-contract part of a ``GET /config/{subject}`` answer."""
    body = expect_object(data, "the answer")
    optional = {
        key: expect_str(body[key], f"'{key}'") if body.get(key) is not None else None
        for key in ("compatibilityGroup", "alias")
    }
    return ContractConfig(
        default_metadata=metadata_from_wire(body.get("defaultMetadata"), "'defaultMetadata'"),
        override_metadata=metadata_from_wire(body.get("overrideMetadata"), "'overrideMetadata'"),
        default_rule_set=rule_set_from_wire(body.get("defaultRuleSet"), "'defaultRuleSet'"),
        override_rule_set=rule_set_from_wire(body.get("overrideRuleSet"), "'overrideRuleSet'"),
        compatibility_group=optional["compatibilityGroup"],
        alias=optional["alias"],
    ).normalized()


def contract_config_to_wire(config: ContractConfig) -> dict[str, Any]:
    """The data-contract fields of a ``PUT /config/{subject}`` body (or a ``GET`` answer):
    only those set."""
    body: dict[str, Any] = {}
    for key, metadata in (
        ("defaultMetadata", config.default_metadata),
        ("overrideMetadata", config.override_metadata),
    ):
        if metadata is not None:
            body[key] = metadata_to_wire(metadata)
    for key, rule_set in (
        ("defaultRuleSet", config.default_rule_set),
        ("overrideRuleSet", config.override_rule_set),
    ):
        if rule_set is not None:
            body[key] = rule_set_to_wire(rule_set)
    if config.compatibility_group is not None:
        body["compatibilityGroup"] = config.compatibility_group
    if config.alias is not None:
        body["alias"] = config.alias
    return body


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
    if schema.metadata is not None:
        body["metadata"] = metadata_to_wire(schema.metadata)
    if schema.rule_set is not None:
        body["ruleSet"] = rule_set_to_wire(schema.rule_set)
    if schema_id is not None:
        body["id"] = schema_id
    if version is not None:
        body["version"] = version
    return body


def registered_from_wire(
    data: object, *, deleted: bool | None = None, subject: str | None = None
) -> RegisteredSchema:
    """A version entity (``GET …/versions/{v}``, lookup, ``GET /schemas`` entries); ``subject``
    is the one asked about, used when the entity does not name one (a ``GET /schemas`` entry,
    asked about no subject, must).

    ``deleted`` overrides the entity's own ``deleted`` flag (CP 8.0+ only sends one).
    """
    body = expect_object(data, "a version")
    flag = deleted if deleted is not None else body.get("deleted", False) is True
    named = body.get("subject", subject)
    return RegisteredSchema(
        subject=expect_str(named, "a version's subject"),
        version=expect_int(body.get("version"), "a version's 'version'"),
        schema_id=expect_int(body.get("id"), "a version's 'id'"),
        schema=schema_from_wire(body),
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


def compatibility_from_wire(data: object) -> CompatibilityLevel:
    """``GET /config`` answers ``compatibilityLevel``; PUT echoes ``compatibility``."""
    body = expect_object(data, "the answer")
    value = body.get("compatibilityLevel", body.get("compatibility"))
    level: CompatibilityLevel = _member(CompatibilityLevel, value, "the compatibility level")
    return level


def compatibility_to_wire(level: CompatibilityLevel) -> dict[str, Any]:
    """The body of ``PUT /config[/{subject}]`` (note: ``compatibility``, not ``…Level``)."""
    return {"compatibility": level.value}


def mode_from_wire(data: object) -> Mode:
    mode: Mode = _member(Mode, expect_object(data, "the answer").get("mode"), "the mode")
    return mode


def mode_to_wire(mode: Mode) -> dict[str, Any]:
    return {"mode": mode.value}


def verdict_messages(data: object) -> tuple[str, ...]:
    """The ``messages`` of a compatibility answer (strings, whatever the server sent)."""
    raw = expect_object(data, "the answer").get("messages") or ()
    if isinstance(raw, str):
        return (raw,)
    if isinstance(raw, Sequence):
        return tuple(str(m) for m in raw)
    return ()


def error_body(error_code: int, message: str) -> dict[str, Any]:
    """The registry's error body."""
    return {"error_code": int(error_code), "message": message}
