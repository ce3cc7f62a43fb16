"""Python source for Pydantic models of Avro subjects: deterministic, static, ``mypy --strict``
clean.

The same text serves both outputs: ``aurum-sr codegen`` writes it to a file, and
:func:`aurum_sr.codegen.get_model` executes it for one subject. Every string taken from a schema
(docs, names, defaults) enters the source through ``repr`` or as a sanitised identifier, so a
schema cannot inject code.

Naming: a named type becomes a class (records, enums) or a type alias (fixed) named after its
short Avro name; when two different types share a short name, the namespace is folded in; when
one full name has two different definitions (two subjects disagree), later ones get a numeric
suffix. Subjects whose top-level type is not a record get a root model named after the subject.
"""

from __future__ import annotations

import datetime as dt
import decimal
import keyword
import math
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aurum_sr.codegen.runtime import AvroRecord
from aurum_sr.codegen.types import (
    ArrayType,
    AvroType,
    DecimalType,
    Definition,
    EnumDef,
    FieldDef,
    FixedDef,
    MapType,
    Named,
    Primitive,
    RecordDef,
    SubjectTypes,
    Temporal,
    UnionType,
    UuidType,
)
from aurum_sr.desired.datacontracts import path_pattern
from aurum_sr.errors import SchemaInputError

SUBJECTS_NAME = "SUBJECTS"

_IMPORTS = """\
from __future__ import annotations

import builtins as _b
import datetime as _dt
import decimal as _decimal
import enum as _enum
import typing as _t
import uuid as _uuid

import pydantic as _pd

from aurum_sr.codegen import runtime as _rt
"""

_PRIMITIVE_ANNOTATIONS = {
    "null": "None",
    "boolean": "_rt.Boolean",
    "int": "_rt.Int",
    "long": "_rt.Long",
    "float": "_rt.Float",
    "double": "_rt.Double",
    "bytes": "_rt.Bytes",
    "string": "_rt.String",
}

_TEMPORAL_ANNOTATIONS = {
    "date": "_rt.Date",
    "time-millis": "_rt.TimeMillis",
    "time-micros": "_rt.TimeMicros",
    "timestamp-millis": "_rt.TimestampMillis",
    "timestamp-micros": "_rt.TimestampMicros",
    "local-timestamp-millis": "_rt.LocalTimestampMillis",
    "local-timestamp-micros": "_rt.LocalTimestampMicros",
}

_RESERVED_FIELDS = frozenset(dir(AvroRecord)) | {"model_config", "model_fields"}
_RESERVED_MEMBERS = frozenset(dir(str)) | {"name", "value", "mro"}
_EPOCH_DATE = dt.date(1970, 1, 1)
_EPOCH = dt.datetime(1970, 1, 1)


def render_module(subjects: Sequence[SubjectTypes], header: Sequence[str] = ()) -> str:
    """The source of one module holding models for ``subjects`` (in that order).

    ``header`` lines are written first as ``#`` comments.
    """
    return _Module(subjects).render(header)


@dataclass(frozen=True)
class _Slot:
    """One distinct definition in the module and its Python name."""

    definition: Definition
    name: str


class _Module:
    def __init__(self, subjects: Sequence[SubjectTypes]) -> None:
        self.subjects = subjects
        self.slots: dict[tuple[str, str], _Slot] = {}
        self.roots: dict[str, str] = {}
        self._assign_names()

    # --- naming --------------------------------------------------------------------------------

    def _assign_names(self) -> None:
        distinct: dict[tuple[str, str], Definition] = {}
        for types in self.subjects:
            for fullname, definition in types.definitions.items():
                distinct.setdefault((fullname, definition.key), definition)
        short_owners: dict[str, set[str]] = {}
        for fullname, _key in distinct:
            short_owners.setdefault(_short(fullname), set()).add(fullname)
        taken: set[str] = {SUBJECTS_NAME}
        versions: dict[str, int] = {}
        for (fullname, key), definition in distinct.items():
            short = _short(fullname)
            base = fullname if len(short_owners[short]) > 1 else short
            name = _class_name(base)
            versions[fullname] = versions.get(fullname, 0) + 1
            if versions[fullname] > 1:
                name = f"{name}{versions[fullname]}"
            self.slots[(fullname, key)] = _Slot(definition, _unique(name, taken))
        for types in self.subjects:
            if not self._record_root(types):
                self.roots[types.subject] = _unique(_class_name(types.subject), taken)
        self.class_names = frozenset(taken)

    def _slot(self, types: SubjectTypes, fullname: str) -> _Slot:
        return self.slots[(fullname, types.definitions[fullname].key)]

    def _record_root(self, types: SubjectTypes) -> str | None:
        root = types.root
        if isinstance(root, Named) and isinstance(types.definitions[root.fullname], RecordDef):
            return self._slot(types, root.fullname).name
        return None

    # --- rendering -----------------------------------------------------------------------------

    def render(self, header: Sequence[str]) -> str:
        # Linters and formatters leave generated text alone: reformatting would make it stale.
        parts = [*(f"# {line}".rstrip() for line in header), "# ruff: noqa", "# fmt: off", ""]
        parts.append('"""Pydantic models of Avro subjects, generated by aurum-sr codegen."""\n')
        parts.append(_IMPORTS)
        emitted: set[tuple[str, str]] = set()
        records: list[str] = []
        for kinds in ((EnumDef, FixedDef), (RecordDef,)):
            for types in self.subjects:
                for fullname, definition in types.definitions.items():
                    slot_key = (fullname, definition.key)
                    if slot_key in emitted or not isinstance(definition, kinds):
                        continue
                    emitted.add(slot_key)
                    parts.append(self._definition(types, definition))
                    if isinstance(definition, RecordDef):
                        records.append(self.slots[slot_key].name)
        for types in self.subjects:
            name = self.roots.get(types.subject)
            if name is not None:
                records.append(name)
                annotation = self._annotation(types, types.root)
                parts.append(
                    f"\nclass {name}(_rt.AvroRoot[{annotation}]):\n"
                    f"    {_doc(f'The value of subject {types.subject}.')}\n"
                )
        parts.append("")
        parts.extend(f"{name}.model_rebuild()" for name in records)
        parts.append("")
        parts.append(f"{SUBJECTS_NAME}: _t.Final[_t.Mapping[_b.str, _b.type[_pd.BaseModel]]] = {{")
        for types in self.subjects:
            model = self._record_root(types) or self.roots[types.subject]
            parts.append(f"    {types.subject!r}: {model},")
        parts.append("}")
        parts.append('"""The model of each subject, by subject name."""')
        exported = sorted({slot.name for slot in self.slots.values()} | set(self.roots.values()))
        parts.append("")
        parts.append("__all__ = [")
        parts.extend(f"    {name!r}," for name in [SUBJECTS_NAME, *exported])
        parts.append("]")
        return "\n".join(parts) + "\n"

    def _definition(self, types: SubjectTypes, definition: Definition) -> str:
        name = self.slots[(definition.fullname, definition.key)].name
        if isinstance(definition, FixedDef):
            return (
                f"\n{name}: _t.TypeAlias = "
                f"_t.Annotated[_b.bytes, _rt.fixed_size({definition.size})]\n"
                f"{_doc(f'Avro fixed {definition.fullname} ({definition.size} bytes).')}\n"
            )
        if isinstance(definition, EnumDef):
            lines = [f"\nclass {name}(_b.str, _enum.Enum):"]
            lines.append(f"    {_doc(definition.doc or f'Avro enum {definition.fullname}.')}\n")
            members = _member_names(definition.symbols)
            for symbol, member in zip(definition.symbols, members, strict=True):
                lines.append(f"    {member} = {symbol!r}")
            return "\n".join(lines) + "\n"
        lines = [f"\nclass {name}(_rt.AvroRecord):"]
        lines.append(f"    {_doc(definition.doc or f'Avro record {definition.fullname}.')}\n")
        python_names = _field_names(definition.fields, self.class_names)
        for avro_field, python_name in zip(definition.fields, python_names, strict=True):
            lines.append(self._field(types, definition, avro_field, python_name))
        return "\n".join(lines) + "\n"

    def _field(
        self, types: SubjectTypes, record: RecordDef, avro_field: FieldDef, python_name: str
    ) -> str:
        annotation = self._annotation(types, avro_field.type)
        arguments: list[str] = []
        if avro_field.has_default:
            where = f"subject {types.subject!r}, field {record.fullname}.{avro_field.name}"
            literal = self._literal(types, avro_field.type, avro_field.default, where)
            if literal in ("[]", "{}"):
                arguments.append(f"default_factory={'_b.list' if literal == '[]' else '_b.dict'}")
            elif _mutable(types, avro_field.type, avro_field.default):
                # Any: a collection literal's inferred type may be narrower than the field's;
                # the value is validated anyway (validate_default).
                arguments.append(f"default_factory=lambda: _t.cast(_t.Any, {literal})")
            else:
                arguments.append(f"default={literal}")
        if python_name != avro_field.name:
            arguments.append(f"alias={avro_field.name!r}")
        if avro_field.doc:
            arguments.append(f"description={avro_field.doc!r}")
        tags = _tags_of(types, f"{record.fullname}.{avro_field.name}")
        if tags:
            # Where a consumer looks for them: the field's JSON Schema (model_json_schema()).
            arguments.append(f"json_schema_extra={{'tags': {list(tags)!r}}}")
        if not arguments:
            return f"    {python_name}: {annotation}"
        return f"    {python_name}: {annotation} = _pd.Field({', '.join(arguments)})"

    def _annotation(self, types: SubjectTypes, avro_type: AvroType) -> str:
        if isinstance(avro_type, Primitive):
            return _PRIMITIVE_ANNOTATIONS[avro_type.name]
        if isinstance(avro_type, DecimalType):
            return (
                f"_t.Annotated[_decimal.Decimal, "
                f"_rt.decimal_type({avro_type.precision}, {avro_type.scale})]"
            )
        if isinstance(avro_type, Temporal):
            return _TEMPORAL_ANNOTATIONS[avro_type.logical_type]
        if isinstance(avro_type, UuidType):
            return "_rt.Uuid"
        if isinstance(avro_type, Named):
            slot = self._slot(types, avro_type.fullname)
            if isinstance(slot.definition, EnumDef):
                return f"_t.Annotated[{slot.name}, _rt.SYMBOL]"
            return slot.name
        if isinstance(avro_type, ArrayType):
            return f"_b.list[{self._annotation(types, avro_type.items)}]"
        if isinstance(avro_type, MapType):
            return f"_b.dict[_rt.String, {self._annotation(types, avro_type.values)}]"
        branches = [self._annotation(types, branch) for branch in avro_type.branches]
        others = [b for b in branches if b != "None"]
        if len(others) == 0:
            return "None"
        if len(others) == 1:
            return f"_t.Optional[{others[0]}]" if len(branches) > 1 else others[0]
        return f"_t.Annotated[_t.Union[{', '.join(branches)}], _rt.FIRST_MATCH]"

    # --- defaults ------------------------------------------------------------------------------

    def _literal(self, types: SubjectTypes, avro_type: AvroType, value: Any, where: str) -> str:
        """A Python expression for the JSON default ``value`` of ``avro_type``."""
        try:
            return self._literal_of(types, avro_type, value, where)
        except (TypeError, ValueError, OverflowError, KeyError, decimal.InvalidOperation):
            raise SchemaInputError(
                f"{where}: the default {value!r} is not a valid value of its type",
                hint="fix the default in the schema (for a union it must match the first branch)",
            ) from None

    def _literal_of(self, types: SubjectTypes, avro_type: AvroType, value: Any, where: str) -> str:
        recurse: Callable[[AvroType, Any], str] = lambda t, v: self._literal_of(types, t, v, where)  # noqa: E731
        if isinstance(avro_type, UnionType):
            return recurse(avro_type.branches[0], value)
        if isinstance(avro_type, Primitive):
            return _primitive_literal(avro_type.name, value)
        if isinstance(avro_type, DecimalType):
            unscaled = int.from_bytes(_json_bytes(value), "big", signed=True)
            return f"_decimal.Decimal({str(decimal.Decimal(unscaled).scaleb(-avro_type.scale))!r})"
        if isinstance(avro_type, Temporal):
            return _temporal_literal(avro_type.logical_type, _json_int(value))
        if isinstance(avro_type, UuidType):
            return f"_uuid.UUID({str(uuid.UUID(_json_str(value)))!r})"
        if isinstance(avro_type, ArrayType):
            if not isinstance(value, list):
                raise TypeError(value)
            return "[" + ", ".join(recurse(avro_type.items, item) for item in value) + "]"
        if isinstance(avro_type, MapType):
            if not isinstance(value, dict):
                raise TypeError(value)
            items = (f"{_json_str(k)!r}: {recurse(avro_type.values, v)}" for k, v in value.items())
            return "{" + ", ".join(items) + "}"
        slot = self._slot(types, avro_type.fullname)
        definition = slot.definition
        if isinstance(definition, EnumDef):
            members = dict(zip(definition.symbols, _member_names(definition.symbols), strict=True))
            return f"{slot.name}.{members[_json_str(value)]}"
        if isinstance(definition, FixedDef):
            data = _json_bytes(value)
            if len(data) != definition.size:
                raise ValueError(value)
            return repr(data)
        if not isinstance(value, dict):
            raise TypeError(value)
        known = {f.name: f for f in definition.fields}
        if set(value) - set(known):
            raise KeyError(value)
        items = (f"{name!r}: {recurse(known[name].type, v)}" for name, v in value.items())
        return f"{slot.name}.model_validate({{{', '.join(items)}}})"


def _tags_of(types: SubjectTypes, path: str) -> tuple[str, ...]:
    """The metadata tags of the field at ``path`` (every tag path that matches it), sorted."""
    found: set[str] = set()
    for pattern, tags in types.field_tags:
        if path_pattern(pattern).fullmatch(path):
            found.update(tags)
    return tuple(sorted(found))


def _mutable(types: SubjectTypes, avro_type: AvroType, value: Any) -> bool:
    if isinstance(avro_type, UnionType):
        return _mutable(types, avro_type.branches[0], value)
    if isinstance(avro_type, (ArrayType, MapType)):
        return True
    if isinstance(avro_type, Named):
        return isinstance(types.definitions[avro_type.fullname], RecordDef)
    return False


def _primitive_literal(name: str, value: Any) -> str:
    if name == "null":
        if value is not None:
            raise ValueError(value)
        return "None"
    if name == "boolean":
        if not isinstance(value, bool):
            raise TypeError(value)
        return repr(value)
    if name in ("int", "long"):
        return repr(_json_int(value))
    if name in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(value)
        number = float(value)
        return repr(number) if math.isfinite(number) else f"_b.float({str(number)!r})"
    if name == "bytes":
        return repr(_json_bytes(value))
    return repr(_json_str(value))


def _temporal_literal(logical_type: str, count: int) -> str:
    if logical_type == "date":
        day = _EPOCH_DATE + dt.timedelta(days=count)
        return f"_dt.date({day.year}, {day.month}, {day.day})"
    micros = count * 1000 if logical_type.endswith("millis") else count
    moment = _EPOCH + dt.timedelta(microseconds=micros)
    if logical_type.startswith("time-"):
        if not 0 <= micros < 86_400_000_000:
            raise ValueError(count)
        return f"_dt.time({moment.hour}, {moment.minute}, {moment.second}, {moment.microsecond})"
    fields = (
        f"{moment.year}, {moment.month}, {moment.day}, {moment.hour}, {moment.minute}, "
        f"{moment.second}, {moment.microsecond}"
    )
    if logical_type.startswith("local-"):
        return f"_dt.datetime({fields})"
    return f"_dt.datetime({fields}, tzinfo=_dt.timezone.utc)"


def _json_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(value)
    return value


def _json_str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _json_bytes(value: Any) -> bytes:
    # Avro's JSON encoding of bytes and fixed: one code point (0-255) per byte.
    return _json_str(value).encode("latin-1")


# --- identifiers ---------------------------------------------------------------------------------


def _doc(text: str) -> str:
    return repr(text)


def _short(fullname: str) -> str:
    return fullname.rsplit(".", 1)[-1]


def _identifier(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_]", "_", text).lstrip("_")


def _class_name(text: str) -> str:
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", text) if p]
    if len(parts) == 1 and parts[0][:1].isupper():
        name = parts[0]
    else:
        name = "".join(p[:1].upper() + p[1:] for p in parts)
    if not name or name[0].isdigit():
        name = f"T{name}"
    return name


def _unique(name: str, taken: set[str]) -> str:
    while name in taken or keyword.iskeyword(name):
        name += "_"
    taken.add(name)
    return name


def _field_names(fields: Sequence[FieldDef], class_names: frozenset[str]) -> list[str]:
    taken: set[str] = set()
    names: list[str] = []
    for avro_field in fields:
        name = _identifier(avro_field.name)
        if not name or name[0].isdigit():
            name = f"f_{name}"
        if name in _RESERVED_FIELDS or name in class_names:
            name += "_"
        names.append(_unique(name, taken | set(_RESERVED_FIELDS) | set(class_names)))
        taken.add(names[-1])
    return names


def _member_names(symbols: Sequence[str]) -> list[str]:
    taken: set[str] = set()
    names: list[str] = []
    for symbol in symbols:
        name = _identifier(symbol)
        if not name or name[0].isdigit():
            name = f"S_{name}"
        if name in _RESERVED_MEMBERS:
            name += "_"
        names.append(_unique(name, taken | set(_RESERVED_MEMBERS)))
        taken.add(names[-1])
    return names
