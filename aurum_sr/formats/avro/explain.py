"""Explaining an incompatible reader/writer pair: where, what, and how to fix it.

The verdict always comes from :class:`~.reader_writer.RegistryChecker`. This module
only explains it: it walks the reader and writer side by side, descends only into sub-pairs the
checker found incompatible, and names each failing spot with the checker's incompatibility kind,
a JSON pointer into the *reader* schema, a readable field path, one sentence and a concrete fix.

(The port's own result merges every message and location into unordered sets, so which message
belongs to which location is lost; the walk recovers that pairing.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aurum_sr.formats.avro.reader_writer import (
    AMBIGUOUS_FIELD,
    RegistryChecker,
    enum_default_is_usable,
    kind_of,
    names_match,
    writer_fields_for,
)
from aurum_sr.formats.result import Direction

NAME_MISMATCH = "name_mismatch"
FIXED_SIZE_MISMATCH = "fixed_size_mismatch"
MISSING_ENUM_SYMBOLS = "missing_enum_symbols"
READER_FIELD_MISSING_DEFAULT_VALUE = "reader_field_missing_default_value"
TYPE_MISMATCH = "type_mismatch"
MISSING_UNION_BRANCH = "missing_union_branch"

PROMOTIONS = {
    "int": ("long", "float", "double"),
    "long": ("float", "double"),
    "float": ("double",),
    "string": ("bytes",),
    "bytes": ("string",),
}


@dataclass(frozen=True)
class Finding:
    """One failing spot of one reader/writer pair (direction-specific, version-free)."""

    kind: str
    location: str
    field_path: str
    message: str
    recommendation: str


def type_label(schema: Any) -> str:
    """A short human name for a schema: ``string``, ``record aurum.Order``, ``array<long>``."""
    kind = kind_of(schema)
    if kind in ("record", "enum", "fixed"):
        return f"{kind} {schema.fullname}"
    if kind == "array":
        return f"array<{type_label(schema.items)}>"
    if kind == "map":
        return f"map<{type_label(schema.values)}>"
    if kind == "union":
        return "[" + ", ".join(type_label(s) for s in schema.schemas) + "]"
    return kind


def type_json(schema: Any) -> str:
    """The schema as compact JSON, named types by full name (for recommendations)."""
    kind = kind_of(schema)
    if kind in ("record", "enum", "fixed"):
        return json.dumps(schema.fullname)
    if kind == "union":
        return "[" + ", ".join(type_json(s) for s in schema.schemas) + "]"
    if kind in ("array", "map"):
        inner = type_json(schema.items if kind == "array" else schema.values)
        key = "items" if kind == "array" else "values"
        return f'{{"type": "{kind}", "{key}": {inner}}}'
    return json.dumps(kind)


def _pointer(base: str, *tokens: str) -> str:
    escaped = (t.replace("~", "~0").replace("/", "~1") for t in tokens)
    return base + "".join(f"/{t}" for t in escaped)


def _short(name: str) -> str:
    return name.rpartition(".")[2]


class Explainer:
    """Walks one incompatible (reader, writer) pair checked in one direction."""

    def __init__(self, checker: RegistryChecker, direction: Direction) -> None:
        self.checker = checker
        self.direction = direction
        self.findings: list[Finding] = []
        self._seen: set[tuple[int, int]] = set()

    @property
    def _backward(self) -> bool:
        return self.direction is Direction.NEW_READS_OLD

    def explain(self, reader: Any, writer: Any) -> list[Finding]:
        root = reader.name if kind_of(reader) in ("record", "enum", "fixed") else kind_of(reader)
        self._walk(reader, writer, "", root)
        return self.findings

    def _add(self, kind: str, location: str, path: str, message: str, fix: str) -> None:
        self.findings.append(Finding(kind, location or "/", path, message, fix))

    def _walk(self, reader: Any, writer: Any, ptr: str, path: str) -> None:
        key = (id(reader), id(writer))
        if key in self._seen or self.checker.compatible(reader, writer):
            return
        self._seen.add(key)
        r_kind, w_kind = kind_of(reader), kind_of(writer)
        if r_kind == w_kind:
            if r_kind == "array":
                self._walk(reader.items, writer.items, _pointer(ptr, "items"), path + "[]")
            elif r_kind == "map":
                self._walk(reader.values, writer.values, _pointer(ptr, "values"), path + "{}")
            elif r_kind == "union":
                for branch in writer.schemas:
                    self._reader_union(reader, branch, ptr, path)
            elif r_kind in ("record", "enum", "fixed"):
                self._named(reader, writer, ptr, path)
            return
        if w_kind == "union":
            for branch in writer.schemas:
                self._walk(reader, branch, ptr, path)
        elif r_kind == "union":
            self._reader_union(reader, writer, ptr, path)
        else:
            self._type_mismatch(reader, writer, ptr, path)

    def _reader_union(self, union: Any, writer: Any, ptr: str, path: str) -> None:
        """A writer type (or writer union branch) that no reader branch can read."""
        if any(self.checker.compatible(branch, writer) for branch in union.schemas):
            return
        # Explain through the branch the writer type evolved from, when there is one.
        for i, branch in enumerate(union.schemas):
            if _counterparts(branch, writer):
                self._walk(branch, writer, _pointer(ptr, str(i)), path)
                return
        label = type_label(writer)
        if self._backward:
            message = (
                f"`{path}` no longer accepts {label}, which data written with the old schema "
                "may hold."
            )
            fix = f"keep the {label} branch in the union of `{path}`"
        else:
            message = f"`{path}` now accepts {label}, which readers of the old schema cannot read."
            fix = (
                f"upgrade every consumer to a schema whose union includes {label} before producers "
                f"write it (register that step under BACKWARD), or publish a new subject "
                f"`…v2` and dual-write"
            )
        self._add(MISSING_UNION_BRANCH, ptr, path, message, fix)

    def _named(self, reader: Any, writer: Any, ptr: str, path: str) -> None:
        kind = kind_of(reader)
        if not names_match(reader, writer):
            old, new = (writer, reader) if self._backward else (reader, writer)
            if self._backward:
                message = (
                    f"{kind} `{old.fullname}` is renamed to `{new.fullname}` without an alias, so "
                    "the new schema cannot read data written under the old name."
                )
                fix = f"add alias `{old.fullname}` to the renamed {kind} `{new.fullname}`"
            else:
                message = (
                    f"{kind} `{old.fullname}` is renamed to `{new.fullname}`; readers of the old "
                    "schema do not know the new name (aliases only help the new reader)."
                )
                fix = (
                    f"keep the name `{old.fullname}`, or publish the renamed type under a new "
                    f"subject `…v2` and dual-write"
                )
            self._add(NAME_MISMATCH, _pointer(ptr, "name"), path, message, fix)
        if kind == "fixed":
            if reader.size != writer.size:
                old_size, new_size = (
                    (writer.size, reader.size) if self._backward else (reader.size, writer.size)
                )
                message = (
                    f"fixed `{reader.fullname}` at `{path}` changes size from {old_size} to "
                    f"{new_size} bytes; a fixed size can never change."
                )
                fix = (
                    f"keep size {old_size}; for {new_size}-byte values add a new field with a new "
                    f"fixed type and a default, or publish a new subject `…v2` and dual-write"
                )
                self._add(FIXED_SIZE_MISMATCH, _pointer(ptr, "size"), path, message, fix)
        elif kind == "enum":
            self._enum(reader, writer, ptr, path)
        else:
            self._record(reader, writer, ptr, path)

    def _enum(self, reader: Any, writer: Any, ptr: str, path: str) -> None:
        missing = [s for s in writer.symbols if s not in set(reader.symbols)]
        if not missing or enum_default_is_usable(reader):
            return
        symbols = ", ".join(f"`{s}`" for s in missing)
        name = _short(reader.fullname)
        if self._backward:
            message = (
                f"enum `{name}` at `{path}` drops {symbols}, which data written with the old "
                "schema may hold, and the new enum has no default symbol."
            )
            fix = f"keep {symbols} in enum `{name}`, or add a default symbol to enum `{name}`"
        else:
            message = (
                f"enum `{name}` at `{path}` adds {symbols}, which readers of the old schema do not "
                "know, and the old enum has no default symbol."
            )
            fix = (
                f"add a default symbol to enum `{name}` (e.g. `UNKNOWN`) in a version of its own "
                "and let consumers upgrade, then add the new symbols"
            )
        self._add(MISSING_ENUM_SYMBOLS, _pointer(ptr, "symbols"), path, message, fix)

    def _record(self, reader: Any, writer: Any, ptr: str, path: str) -> None:
        writer_fields = self.checker.fields_of(writer)
        for i, reader_field in enumerate(reader.fields):
            matches = writer_fields_for(reader_field, writer_fields)
            if len(matches) == 1 and self.checker.compatible(reader_field.type, matches[0].type):
                continue
            field_ptr = _pointer(ptr, "fields", str(i))
            field_path = f"{path}.{reader_field.name}"
            if len(matches) > 1:
                names = ", ".join(f"`{f.name}`" for f in matches)
                extra = ", ".join(f"`{f.name}`" for f in matches[1:])
                self._add(
                    AMBIGUOUS_FIELD,
                    field_ptr,
                    field_path,
                    f"field `{field_path}` matches several writer fields ({names}) through its "
                    "aliases, which the registry's checker rejects.",
                    f"remove alias {extra} from `{reader_field.name}`",
                )
            elif matches:
                self._walk(
                    reader_field.type, matches[0].type, _pointer(field_ptr, "type"), field_path
                )
            elif not reader_field.has_default:
                matched = {
                    f.name for r in reader.fields for f in writer_fields_for(r, writer_fields)
                }
                unmatched = [f for f in writer.fields if f.name not in matched]
                self._missing_default(reader_field, unmatched, writer, field_ptr, field_path)

    def _missing_default(
        self, field: Any, unmatched: list[Any], writer: Any, ptr: str, path: str
    ) -> None:
        name = field.name
        if kind_of(field.type) == "enum" and field.type.props.get("default"):
            # Java compares the enum with the writer record here; explain it as a missing value.
            kind = TYPE_MISMATCH
            ptr = _pointer(ptr, "type")
        else:
            kind = READER_FIELD_MISSING_DEFAULT_VALUE
        renamed = [f.name for f in unmatched if self.checker.compatible(field.type, f.type)]
        if self._backward:
            message = (
                f"new field `{path}` has no default, so the new schema cannot read data written "
                "without it."
            )
            if kind_of(field.type) == "union":
                default_fix = f"give `{name}` a default matching the first branch of its union"
            else:
                default_fix = (
                    f"give `{name}` a default of null and make its type "
                    f'["null", {type_json(field.type)}]'
                )
            fix = (
                f"add alias `{renamed[0]}` to the renamed field `{name}`, or {default_fix}"
                if renamed
                else default_fix
            )
        else:
            message = (
                f"field `{path}` is missing from the new schema and has no default in the old "
                "one, so readers of the old schema cannot read new data."
            )
            fix = (
                f"keep `{name}` in the new schema; to retire it, first register a version giving "
                f"`{name}` a default, then remove it"
            )
            if renamed:
                fix += f" (a rename to `{renamed[0]}` is never forward compatible)"
        self._add(kind, ptr, path, message, fix)

    def _type_mismatch(self, reader: Any, writer: Any, ptr: str, path: str) -> None:
        old, new = (writer, reader) if self._backward else (reader, writer)
        old_label, new_label = type_label(old), type_label(new)
        if not self._backward and kind_of(writer) == "null":
            message = (
                f"`{path}` can now be null, which readers of the old schema ({old_label}) "
                "cannot read."
            )
            fix = (
                f"keep `{path}` non-nullable and add a new optional field (type "
                f'["null", {type_json(old)}], default null) instead'
            )
        elif self._backward and kind_of(writer) == "null":
            message = (
                f"`{path}` no longer accepts null, which data written with the old schema may hold."
            )
            fix = f'keep `{path}` nullable: ["null", {type_json(reader)}] with default null'
        elif self._backward:
            message = (
                f"`{path}` changes from {old_label} to {new_label}; the new schema cannot read "
                f"the {old_label} values already written."
            )
            fix = self._type_fix(path, old, new)
        else:
            message = (
                f"`{path}` changes from {old_label} to {new_label}; readers of the old schema "
                f"cannot read {new_label} values."
            )
            fix = self._type_fix(path, old, new)
        self._add(TYPE_MISMATCH, ptr, path, message, fix)

    def _type_fix(self, path: str, old: Any, new: Any) -> str:
        wider = PROMOTIONS.get(kind_of(old), ())
        if self._backward and wider:
            options = ", ".join(wider)
            return (
                f"keep `{path}` as {type_label(old)} or widen it to one of {options}; otherwise "
                "add a new field with the new type and a default, and dual-write"
            )
        return (
            f"keep `{path}` as {type_label(old)}; add a new field with the new type and a "
            f"default and dual-write, or publish a new subject `…v2` and dual-write"
        )


def _counterparts(reader_branch: Any, writer: Any) -> bool:
    """Whether a reader union branch is the one ``writer`` evolved from (same kind and, for named
    types, the same unqualified name or an alias)."""
    r_kind, w_kind = kind_of(reader_branch), kind_of(writer)
    if r_kind != w_kind or r_kind == "union":
        return False
    if r_kind in ("record", "enum", "fixed"):
        return bool(reader_branch.name == writer.name or names_match(reader_branch, writer))
    return r_kind in ("array", "map")


def raw_findings(result: Any) -> list[Finding]:
    """A last resort when the walk finds nothing: the checker's own messages and locations."""
    kinds = sorted({getattr(k, "value", str(k)) for k in result.incompatibilities}) or ["unknown"]
    return [
        Finding(
            kinds[0],
            location,
            "",
            f"the checker reports: {'; '.join(sorted(result.messages))}",
            "review the change against the resolution rules",
        )
        for location in sorted(result.locations)
    ]
