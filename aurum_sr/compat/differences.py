"""Where registry implementations disagree on a verdict: the known classes, found in a change.

The local checker models Confluent's Java checker. Other implementations differ in a few known
classes (docs/registries.md): Karapace's Python checker resolves aliases differently, refuses
records of ``"type": "error"``, and — depending on the Avro library its build uses — names the
specification forbids. :func:`verdict_differences` says which classes a registration falls in,
so the plan can follow the target (or mark the verdict implementation-dependent). Pure.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any

from aurum_sr.capabilities import Implementation
from aurum_sr.formats.avro.parse import strictness_problems


class VerdictClass(str, Enum):
    """A kind of schema change whose verdict (or acceptance) differs between implementations."""

    ALIAS_NAMES_OTHER_FIELD = "alias_names_other_field"
    """A reader field matches a writer field by name and, by an alias, another writer field."""
    RENAME_BY_UNQUALIFIED_ALIAS = "rename_by_unqualified_alias"
    """A named type renamed, the old name kept as an alias without its namespace."""
    ERROR_RECORD = "error_record"
    """A record declared as ``"type": "error"``."""
    NON_SPEC_NAMES = "non_spec_names"
    """A name the Avro specification forbids (``-``), or an enum default outside its symbols."""


@dataclass(frozen=True)
class _Named:
    fullname: str
    namespace: str
    node: dict[str, Any]


def _named_types(node: Any, namespace: str = "") -> Iterator[_Named]:
    """Every named type (record, error, enum, fixed) in a parsed schema, with its full name."""
    if isinstance(node, list):
        for branch in node:
            yield from _named_types(branch, namespace)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind in ("record", "error", "enum", "fixed") and isinstance(node.get("name"), str):
        name = node["name"]
        own = node.get("namespace")
        space = own if isinstance(own, str) else namespace
        if "." in name:
            space = name.rpartition(".")[0]
            fullname = name
        else:
            fullname = f"{space}.{name}" if space else name
        yield _Named(fullname, space, node)
        for field in node.get("fields") or ():
            if isinstance(field, dict):
                yield from _named_types(field.get("type"), space)
        return
    if kind == "array":
        yield from _named_types(node.get("items"), namespace)
    elif kind == "map":
        yield from _named_types(node.get("values"), namespace)
    elif isinstance(kind, (dict, list)):
        yield from _named_types(kind, namespace)


def _parsed(schema_str: str) -> Any:
    try:
        return json.loads(schema_str)
    except json.JSONDecodeError:
        return None


def _field_names(node: dict[str, Any]) -> set[str]:
    return {f["name"] for f in node.get("fields") or () if isinstance(f, dict) and "name" in f}


def _aliases(node: dict[str, Any]) -> list[str]:
    found = node.get("aliases")
    return [a for a in found if isinstance(a, str)] if isinstance(found, list) else []


def verdict_differences(new: str, previous: Iterable[str]) -> frozenset[VerdictClass]:
    """The classes registering ``new`` after ``previous`` (schema texts) falls in."""
    reader = _parsed(new)
    if reader is None:
        return frozenset()
    found: set[VerdictClass] = set()
    readers = list(_named_types(reader))
    if any(n.node.get("type") == "error" for n in readers):
        found.add(VerdictClass.ERROR_RECORD)
    if strictness_problems(new):
        found.add(VerdictClass.NON_SPEC_NAMES)
    for old in previous:
        writers = {n.fullname: n for n in _named_types(_parsed(old))}
        for named in readers:
            writer = writers.get(named.fullname)
            if writer is None:
                unqualified = [a for a in _aliases(named.node) if "." not in a]
                if any(
                    (f"{named.namespace}.{a}" if named.namespace else a) in writers
                    for a in unqualified
                ):
                    found.add(VerdictClass.RENAME_BY_UNQUALIFIED_ALIAS)
                continue
            written = _field_names(writer.node)
            for field in named.node.get("fields") or ():
                if not isinstance(field, dict) or field.get("name") not in written:
                    continue
                if any(a in written and a != field["name"] for a in _aliases(field)):
                    found.add(VerdictClass.ALIAS_NAMES_OTHER_FIELD)
    return frozenset(found)


class TargetBehaviour(str, Enum):
    """What a registry implementation does with a change of one :class:`VerdictClass`."""

    SAME = "same"
    """As Confluent's Java checker (the local verdict)."""
    DIFFERS = "differs"
    """Known to give another verdict: the registry's own answer decides."""
    CANNOT_STORE = "cannot_store"
    """Known to refuse the schema on registration, whatever the verdict."""
    UNKNOWN = "unknown"
    """Not verified for this implementation (or depends on how it was built)."""


_KARAPACE = {
    VerdictClass.ALIAS_NAMES_OTHER_FIELD: TargetBehaviour.DIFFERS,
    VerdictClass.RENAME_BY_UNQUALIFIED_ALIAS: TargetBehaviour.DIFFERS,
    VerdictClass.ERROR_RECORD: TargetBehaviour.CANNOT_STORE,
    # Refused by builds on the PyPI avro package, accepted on Aiven's fork.
    VerdictClass.NON_SPEC_NAMES: TargetBehaviour.UNKNOWN,
}


def target_behaviour(
    implementation: Implementation, verdict_class: VerdictClass
) -> TargetBehaviour:
    """What ``implementation`` is known to do with a change of ``verdict_class``
    (docs/registries.md, "Verdicts that differ between implementations")."""
    if implementation in (
        Implementation.CONFLUENT,
        Implementation.CONFLUENT_CLOUD,
        Implementation.SNAPSHOT,
    ):
        return TargetBehaviour.SAME
    if implementation is Implementation.KARAPACE:
        return _KARAPACE[verdict_class]
    return TargetBehaviour.UNKNOWN
