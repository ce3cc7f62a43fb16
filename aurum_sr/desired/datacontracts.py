"""The data-contract keys of a subject in contracts.yml: what the registry stores with every
version (``registry_metadata``, ``rule_set``) and the subject's data-contract configuration
(``default_metadata``, ``override_metadata``, ``default_rule_set``, ``override_rule_set``,
``compatibility_group``, ``alias``).

The keys are the registry's own, in snake_case (``domain_rules`` for ``domainRules``,
``on_failure`` for ``onFailure``); the values mean what they mean to the registry (see
docs/contracts.md). Every problem is reported with its position; a bad rule is left out and the
rest is still read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aurum_sr.datacontracts import (
    RULE_ACTIONS,
    RULE_TYPES,
    ContractConfig,
    Metadata,
    Rule,
    RuleKind,
    RuleMode,
    RuleSet,
    merge_metadata,
)
from aurum_sr.desired.diagnostics import Collector, did_you_mean
from aurum_sr.desired.yaml_io import Position, item_position, key_position, value_position

if TYPE_CHECKING:
    from aurum_sr.desired.contracts import _Reader

METADATA_KEYS = ("properties", "tags", "sensitive")
RULE_SET_KEYS = ("domain_rules", "migration_rules")
RULE_KEYS = (
    "name",
    "doc",
    "kind",
    "mode",
    "type",
    "expr",
    "params",
    "tags",
    "on_success",
    "on_failure",
    "disabled",
)
CONFIG_KEYS = (
    "default_metadata",
    "override_metadata",
    "default_rule_set",
    "override_rule_set",
    "compatibility_group",
    "alias",
)
SUBJECT_KEYS = ("registry_metadata", "rule_set", "context", *CONFIG_KEYS)
"""The keys of a subject entry this module reads."""

_NEEDS_EXPR = ("CEL", "CEL_FIELD", "JSONATA")


@dataclass
class DataContractEntry:
    """A subject's data-contract keys as read, with where each tag path is written."""

    metadata: Metadata | None = None
    rule_set: RuleSet | None = None
    config: ContractConfig | None = None
    """``None`` when the entry names none of :data:`CONFIG_KEYS` (the registry's is left
    alone); else every one, those not written cleared."""
    tag_paths: list[tuple[str, str, Position]] = field(default_factory=list)
    """``(key, field path, position)`` of every metadata tag path, for the schema check."""


def read_data_contract(item: Mapping[Any, Any], reader: _Reader, where: str) -> DataContractEntry:
    """The data-contract keys of one subject entry (every problem reported to ``reader``)."""
    entry = DataContractEntry()
    if "context" in item:
        reader.diags.error(
            "not-supported",
            f"context in {where} is not supported yet",
            reader.path,
            key_position(item, "context"),
            "keep the subject in the default context for now; schema contexts are planned",
        )
    entry.metadata = _metadata(item, "registry_metadata", reader, where, entry)
    entry.rule_set = _rule_set(item, "rule_set", reader, where)
    if any(key in item for key in CONFIG_KEYS):
        entry.config = ContractConfig(
            default_metadata=_metadata(item, "default_metadata", reader, where, entry),
            override_metadata=_metadata(item, "override_metadata", reader, where, entry),
            default_rule_set=_rule_set(item, "default_rule_set", reader, where),
            override_rule_set=_rule_set(item, "override_rule_set", reader, where),
            compatibility_group=reader.string(item, "compatibility_group", where),
            alias=reader.string(item, "alias", where),
        ).normalized()
    return entry


def _string_map(
    raw: Mapping[Any, Any], key: str, reader: _Reader, where: str
) -> dict[str, str] | None:
    value = raw.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        reader.type_error(raw, key, where, "a mapping of strings", value)
        return None
    out: dict[str, str] = {}
    for name, text in value.items():
        if not isinstance(name, str) or not isinstance(text, str):
            reader.diags.error(
                "invalid-type",
                f"{key} {name!r} in {where} must map a string to a string",
                reader.path,
                value_position(value, name),
                'quote numbers, dates and booleans: `retention: "7"`',
            )
            continue
        out[name] = text
    return out


def _metadata(
    item: Mapping[Any, Any], key: str, reader: _Reader, where: str, entry: DataContractEntry
) -> Metadata | None:
    raw = item.get(key)
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        reader.type_error(item, key, where, "a mapping with properties, tags and sensitive", raw)
        return None
    inner = f"{key} of {where}"
    reader.check_keys(raw, METADATA_KEYS, inner)
    properties = _string_map(raw, "properties", reader, inner) or {}
    tags: dict[str, tuple[str, ...]] = {}
    raw_tags = raw.get("tags")
    if raw_tags is not None and not isinstance(raw_tags, Mapping):
        reader.type_error(raw, "tags", inner, "a mapping of field path to tags", raw_tags)
    elif raw_tags is not None:
        for path in raw_tags:
            if not isinstance(path, str) or not path.strip():
                reader.diags.error(
                    "invalid-type",
                    f"tag path {path!r} in {inner} must be a field path",
                    reader.path,
                    key_position(raw_tags, path),
                    "write the field's full path, e.g. `com.acme.Order.email` or `**.email`",
                )
                continue
            tags[path] = reader.string_list(raw_tags, path, f"tags of {path!r} in {inner}")
            entry.tag_paths.append((key, path, key_position(raw_tags, path)))
    sensitive = reader.string_list(raw, "sensitive", inner)
    return Metadata.of(properties=properties, tags=tags, sensitive=sensitive)


def _rule_set(item: Mapping[Any, Any], key: str, reader: _Reader, where: str) -> RuleSet | None:
    raw = item.get(key)
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        reader.type_error(item, key, where, "a mapping with domain_rules and migration_rules", raw)
        return None
    inner = f"{key} of {where}"
    reader.check_keys(raw, RULE_SET_KEYS, inner)
    seen: dict[str, Position] = {}
    lists: dict[str, tuple[Rule, ...]] = {}
    for list_key in RULE_SET_KEYS:
        value = raw.get(list_key)
        if value is None:
            lists[list_key] = ()
            continue
        if not isinstance(value, list):
            reader.type_error(raw, list_key, inner, "a list of rules", value)
            lists[list_key] = ()
            continue
        found: list[Rule] = []
        for index, rule_raw in enumerate(value):
            rule = _rule(value, index, rule_raw, list_key, reader, inner)
            if rule is None:
                continue
            position = item_position(value, index)
            if rule.name in seen:
                reader.diags.error(
                    "duplicate-rule",
                    f"rule {rule.name!r} appears twice in {inner}",
                    reader.path,
                    position,
                    f"the registry refuses a rule set with two rules of one name; the first is "
                    f"at line {seen[rule.name][0]}: rename or merge them",
                )
                continue
            seen[rule.name] = position
            found.append(rule)
        lists[list_key] = tuple(found)
    return RuleSet(migration_rules=lists["migration_rules"], domain_rules=lists["domain_rules"])


def _rule(
    seq: list[Any], index: int, raw: object, list_key: str, reader: _Reader, where: str
) -> Rule | None:
    position = item_position(seq, index)
    if not isinstance(raw, Mapping):
        reader.diags.error(
            "invalid-type",
            f"{list_key}[{index}] of {where} must be a mapping",
            reader.path,
            position,
            "write each rule as `- name: <name>` followed by kind, mode, type and expr",
        )
        return None
    name = raw.get("name")
    rule_where = f"rule {name!r} of {where}" if isinstance(name, str) else f"{list_key}[{index}]"
    before = len(reader.diags.items)
    reader.check_keys(raw, RULE_KEYS, rule_where)
    name = reader.string(raw, "name", rule_where)
    for required in ("name", "kind", "mode", "type"):
        if raw.get(required) is None:
            reader.diags.error(
                "invalid-structure",
                f"{rule_where} has no {required}",
                reader.path,
                position,
                _REQUIRED_HINT[required],
            )
    kind = reader.choice(raw, "kind", rule_where, RuleKind)
    mode = reader.choice(raw, "mode", rule_where, RuleMode)
    migration = list_key == "migration_rules"
    if mode is not None and mode.migration is not migration:
        allowed = "UPGRADE, DOWNGRADE, UPDOWN" if migration else "WRITE, READ, WRITEREAD"
        reader.diags.error(
            "invalid-value",
            f"mode {mode.value} of {rule_where} does not fit a "
            f"{'migration' if migration else 'domain'} rule",
            reader.path,
            value_position(raw, "mode"),
            f"{list_key.replace('_', ' ')} run in {allowed}; move the rule to the other list "
            "or change its mode",
        )
    rule_type = reader.string(raw, "type", rule_where)
    if rule_type is not None and rule_type not in RULE_TYPES:
        folded = [t for t in RULE_TYPES if t.lower() == rule_type.lower()]
        reader.diags.error(
            "invalid-value",
            f"type {rule_type!r} of {rule_where} is not a rule executor the serializers ship",
            reader.path,
            value_position(raw, "type"),
            f"write it as {folded[0]!r}"
            if folded
            else (did_you_mean(rule_type, RULE_TYPES) or f"known types: {', '.join(RULE_TYPES)}"),
        )
    expr = reader.string(raw, "expr", rule_where)
    if rule_type in _NEEDS_EXPR and expr is None and "expr" not in raw:
        reader.diags.error(
            "invalid-structure",
            f"{rule_where} is a {rule_type} rule without expr",
            reader.path,
            position,
            "give the expression the rule evaluates, e.g. `expr: message.amount > 0`",
        )
    on_success = _action(raw, "on_success", mode, reader, rule_where)
    on_failure = _action(raw, "on_failure", mode, reader, rule_where)
    params = _string_map(raw, "params", reader, rule_where)
    tags = reader.string_list(raw, "tags", rule_where)
    disabled = reader.boolean(raw, "disabled", rule_where)
    if len(reader.diags.items) > before or name is None or kind is None or mode is None:
        return None
    assert rule_type is not None
    return Rule(
        name=name,
        kind=kind,
        mode=mode,
        type=rule_type,
        doc=reader.string(raw, "doc", rule_where),
        tags=tuple(sorted(set(tags))),
        params=tuple(sorted((params or {}).items())),
        expr=expr,
        on_success=on_success,
        on_failure=on_failure,
        disabled=bool(disabled),
    )


_REQUIRED_HINT = {
    "name": "every rule needs a name, unique in its rule set",
    "kind": "kind is CONDITION (check a message) or TRANSFORM (change it)",
    "mode": "mode says when the rule runs: WRITE, READ, WRITEREAD (domain rules) or UPGRADE, "
    "DOWNGRADE, UPDOWN (migration rules)",
    "type": f"type names the executor: {', '.join(RULE_TYPES)}",
}


def _action(
    raw: Mapping[Any, Any], key: str, mode: RuleMode | None, reader: _Reader, where: str
) -> str | None:
    text = reader.string(raw, key, where)
    if text is None:
        return None
    parts = [p.strip() for p in text.split(",")]
    bad = [p for p in parts if p not in RULE_ACTIONS]
    too_many = len(parts) > 2 or (len(parts) == 2 and mode is not None and not mode.two_way)
    if bad or too_many:
        reader.diags.error(
            "invalid-value",
            f"{key} {text!r} of {where} is not an action",
            reader.path,
            value_position(raw, key),
            f"actions are {', '.join(RULE_ACTIONS)}; UPDOWN and WRITEREAD rules may name two, "
            "one per direction (`NONE,ERROR`)",
        )
        return None
    return ",".join(parts)


def with_annotations(
    metadata: Metadata | None, owner: str | None, description: str | None, tags: tuple[str, ...]
) -> Metadata | None:
    """``metadata`` with the local annotations as properties under it (``owner``,
    ``description``, ``tags`` comma-joined): what ``annotations_to_metadata: true`` sends.
    A property ``registry_metadata`` names itself wins."""
    properties = {
        key: value
        for key, value in (
            ("owner", owner),
            ("description", description),
            ("tags", ",".join(tags) if tags else None),
        )
        if value is not None
    }
    if not properties:
        return metadata
    return merge_metadata(Metadata.of(properties=properties), metadata)


# -- field paths --------------------------------------------------------------------------------


def field_paths(data: Any) -> set[str]:
    """Every field's full path in an Avro schema (``<record full name>.<field name>``),
    nested records included: what a metadata tag path names."""
    paths: set[str] = set()
    seen: set[str] = set()

    def full(name: str, namespace: str) -> str:
        return name if "." in name or not namespace else f"{namespace}.{name}"

    def walk(node: Any, namespace: str) -> None:
        if isinstance(node, list):
            for branch in node:
                walk(branch, namespace)
            return
        if not isinstance(node, Mapping):
            return
        kind = node.get("type")
        if kind in ("record", "error") and isinstance(node.get("name"), str):
            ns = node.get("namespace")
            name = full(node["name"], ns if isinstance(ns, str) else namespace)
            if name in seen:
                return
            seen.add(name)
            inner_ns = name.rpartition(".")[0]
            for f in node.get("fields") or ():
                if isinstance(f, Mapping) and isinstance(f.get("name"), str):
                    paths.add(f"{name}.{f['name']}")
                    walk(f.get("type"), inner_ns)
            return
        if kind == "array":
            walk(node.get("items"), namespace)
        elif kind == "map":
            walk(node.get("values"), namespace)
        elif isinstance(kind, (Mapping, list)):
            walk(kind, namespace)

    walk(data, "")
    return paths


def path_pattern(path: str) -> re.Pattern[str]:
    """A tag path as the registry matches it: ``**`` any run of characters, ``*`` any within
    one dotted segment, ``?`` one character."""
    out = []
    index = 0
    while index < len(path):
        if path.startswith("**", index):
            out.append(".*")
            index += 2
        elif path[index] == "*":
            out.append("[^.]*")
            index += 1
        elif path[index] == "?":
            out.append("[^.]")
            index += 1
        else:
            out.append(re.escape(path[index]))
            index += 1
    return re.compile("".join(out))


def check_tag_paths(
    subject: str, entry: DataContractEntry, data: Any, diags: Collector, path: str
) -> None:
    """Report a metadata tag path that names no field of the subject's schema."""
    if not entry.tag_paths:
        return
    fields = field_paths(data)
    for key, tag_path, position in entry.tag_paths:
        pattern = path_pattern(tag_path)
        if any(pattern.fullmatch(f) for f in fields):
            continue
        close = did_you_mean(tag_path, sorted(fields))
        diags.error(
            "unknown-field-path",
            f"{key} of subject {subject!r} tags {tag_path!r}, a field its schema does not have",
            path,
            position,
            close or f"field paths of this schema: {', '.join(sorted(fields)[:8]) or 'none'}",
        )
