"""Parsing Avro schemas the way registries accept them, references included.

Registries accept some schemas the Avro specification forbids: names containing ``-`` and enum
defaults that are not among the symbols. Parsing here is lenient in exactly those ways, so that
anything a registry holds can be checked; :func:`strictness_problems` says what a strict parser
would have refused, for the validator to warn about.

Referenced schemas (``references`` of a :class:`~aurum_sr.model.Schema`) are parsed first,
depth-first, into the same name table, so the referring schema can use their named types.
"""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

import avro.errors
import avro.name
import avro.schema

from aurum_sr.errors import SchemaInputError
from aurum_sr.formats import bounded
from aurum_sr.formats.protocol import ReferenceResolver
from aurum_sr.model import Schema, SchemaReference, SchemaType

__all__ = ["ReferenceResolver", "obviously_strict", "parse_avro", "strictness_problems"]

MAX_REFERENCE_DEPTH = 64


def parse_avro(
    schema: Schema,
    resolver: ReferenceResolver | None = None,
    *,
    notes: list[str] | None = None,
) -> avro.schema.Schema:
    """Parse ``schema`` leniently, its references resolved through ``resolver``.

    The avro library *warns* about logical types it ignores (e.g. a decimal whose scale exceeds
    its precision); those warnings are collected into ``notes`` when given, never raised.

    Raises:
        SchemaInputError: the schema (or one it references) is not valid Avro, a reference cannot
            be resolved, or references form a cycle.
    """
    if schema.schema_type is not SchemaType.AVRO:
        raise SchemaInputError(f"{schema.schema_type.value} schemas are not supported yet")
    names = avro.name.Names(validate_names=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _load_references(schema.references, resolver, names, trail=())
        parsed = _parse_into(schema.schema_str, names)
    if notes is not None:
        notes.extend(str(w.message) for w in caught)
    return parsed


def _load_references(
    references: tuple[SchemaReference, ...],
    resolver: ReferenceResolver | None,
    names: avro.name.Names,
    trail: tuple[tuple[str, int], ...],
) -> None:
    for ref in references:
        key = (ref.subject, ref.version)
        if key in trail:
            chain = " -> ".join(f"{s} v{v}" for s, v in (*trail, key))
            raise SchemaInputError(f"schema references form a cycle: {chain}")
        if len(trail) >= MAX_REFERENCE_DEPTH:
            raise SchemaInputError("schema references are nested too deeply")
        if ref.name in names.names:
            continue
        if resolver is None:
            raise SchemaInputError(
                f"schema references {ref.name} (subject {ref.subject!r} version {ref.version}) "
                "but no referenced schemas were given"
            )
        target = resolver(ref)
        if target.schema_type is not SchemaType.AVRO:
            raise SchemaInputError(
                f"reference {ref.name} points at a {target.schema_type.value} schema; "
                "an Avro schema can only reference Avro schemas"
            )
        _load_references(target.references, resolver, names, (*trail, key))
        _parse_into(target.schema_str, names)
        if ref.name not in names.names:
            raise SchemaInputError(
                f"reference {ref.name}: subject {ref.subject!r} version {ref.version} "
                f"does not define a type named {ref.name}",
                hint="a reference's name must be the full name of a type the referenced schema "
                "defines",
            )


def _parse_into(schema_str: str, names: avro.name.Names) -> avro.schema.Schema:
    try:
        data = bounded.loads(schema_str, repeated_keys=True)
    except json.JSONDecodeError as exc:
        raise SchemaInputError(
            f"schema is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from exc
    try:
        return avro.schema.make_avsc_object(
            _without_foreign_enum_defaults(data) if _has_foreign_enum_default(data) else data,
            names,
            validate_enum_symbols=False,
            validate_names=False,
        )
    except RecursionError:
        raise SchemaInputError(
            "schema is not valid Avro: nested too deep for the Avro parser",
            hint="types nested hundreds of levels deep cannot be read; flatten the schema",
        ) from None
    except (avro.errors.AvroException, TypeError, ValueError, KeyError, AttributeError) as exc:
        raise SchemaInputError(f"schema is not valid Avro: {_short(str(exc))}") from exc


MESSAGE_LIMIT = 400
"""The longest parser message shown whole: the avro library quotes whole (sub)schemas, which
for a deeply nested schema makes a message of tens of kilobytes."""


def _short(message: str) -> str:
    if len(message) <= MESSAGE_LIMIT:
        return message
    return f"{message[:MESSAGE_LIMIT]}… ({len(message):,} characters in all)"


def _has_foreign_enum_default(node: Any) -> bool:
    """True when some enum in ``node`` has a ``default`` that is not one of its symbols (only
    then does the schema need the copy :func:`_without_foreign_enum_defaults` makes)."""
    # One level of containers at a time, each a list comprehension: every schema of a plan
    # and of an import passes through here.
    level = [node] if type(node) is dict or type(node) is list else []
    while level:
        children: list[Any] = []
        for item in level:
            if type(item) is dict:
                if item.get("type") == "enum" and "default" in item:
                    symbols = item.get("symbols")
                    if not isinstance(symbols, list) or item["default"] not in symbols:
                        return True
                children.extend(item.values())
            else:
                children.extend(item)
        level = [v for v in children if type(v) is dict or type(v) is list]
    return False


def _without_foreign_enum_defaults(node: Any) -> Any:
    """``node`` with every enum ``default`` that is not one of its symbols removed.

    Registries accept such defaults; the avro library only tolerates them at the top level (it
    does not pass its leniency down to nested types). Resolution treats a default outside the
    symbols as no default at all, so removing it changes no verdict.
    """
    if isinstance(node, list):
        return [_without_foreign_enum_defaults(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _without_foreign_enum_defaults(value) for key, value in node.items()}
    if out.get("type") == "enum" and "default" in out:
        symbols = out.get("symbols")
        if not isinstance(symbols, list) or out["default"] not in symbols:
            del out["default"]
    return out


def strictness_problems(schema_str: str) -> list[str]:
    """What the Avro specification would refuse in a schema registries accept (names with
    ``-``, enum symbols or defaults outside the rules). Empty when the schema is strictly valid
    or not parseable at all (that is reported elsewhere)."""
    problems: list[str] = []
    try:
        data: Any = bounded.loads(schema_str, repeated_keys=True)
    except json.JSONDecodeError:
        return problems
    names = avro.name.Names(validate_names=True)
    try:
        avro.schema.make_avsc_object(data, names, validate_enum_symbols=True, validate_names=True)
    except (avro.errors.AvroException, TypeError, ValueError, KeyError, AttributeError) as exc:
        # Unresolvable names are references, which the strict pass cannot see: not a problem.
        if "Could not make an Avro Schema object from" not in str(exc):
            problems.append(str(exc))
    return problems


_STRICT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NOT_NAMES = frozenset({"default", "doc"})


_strict_names: dict[str, bool] = {}


def _strict_name(text: str) -> bool:
    known = _strict_names.get(text)  # type names ("string", "null", ...) repeat endlessly
    if known is None:
        known = all(_STRICT_NAME.fullmatch(part) for part in text.split("."))
        if len(_strict_names) < 65536:
            _strict_names[text] = known
    return known


def obviously_strict(data: Any) -> bool:
    """True when every name, namespace, type name and enum symbol in ``data`` (a parsed schema)
    is a valid Avro name and every enum default is one of its symbols, so that for a schema the
    lenient parser accepted :func:`strictness_problems` has nothing to report. False means
    "maybe not": ask :func:`strictness_problems` (which costs a full parse)."""
    # One level at a time; a string in ``level`` stands where a name does (a type name, a union
    # branch, an alias, ...). Every schema a repository or an import checks passes through here.
    level = [data]
    while level:
        below: list[Any] = []
        for node in level:
            if isinstance(node, str):
                if not _strict_name(node):
                    return False
            elif isinstance(node, list):
                below.extend(node)
            elif isinstance(node, dict) and not _strict_object(node, below):
                return False
        level = below
    return True


def _strict_object(node: dict[Any, Any], below: list[Any]) -> bool:
    """The checks of :func:`obviously_strict` on one object; what to look into next goes to
    ``below``."""
    for key, value in node.items():
        if key in _NOT_NAMES:
            continue
        if key == "namespace":
            if value is not None and not (isinstance(value, str) and _strict_name(value or "_")):
                return False
        elif key == "symbols":
            if not isinstance(value, list) or not all(
                isinstance(v, str) and _STRICT_NAME.fullmatch(v) for v in value
            ):
                return False
        elif key in _NAME_KEYS:
            if not (isinstance(value, (dict, list)) or (isinstance(value, str) and value)):
                return False
            below.append(value)
        elif isinstance(value, (dict, list)):
            below.append(value)
    if node.get("type") == "enum" and "default" in node:
        symbols = node.get("symbols")
        return isinstance(symbols, list) and node["default"] in symbols
    return True


_NAME_KEYS = frozenset({"name", "type", "items", "values"})
