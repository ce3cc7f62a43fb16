"""Reading and writing schema text that is JSON (Avro and JSON Schema both are)."""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

from aurum_sr.errors import SchemaInputError
from aurum_sr.formats import bounded


def load_json(schema_str: str) -> Any:
    """The parsed JSON of a schema text, within :mod:`aurum_sr.formats.bounded`'s limits
    (a repeated key is accepted, as the registry accepts it: local files refuse it earlier).

    Raises:
        SchemaInputError: the text is not JSON (with the line and column).
    """
    try:
        return bounded.loads(schema_str, repeated_keys=True)
    except json.JSONDecodeError as exc:
        raise SchemaInputError(
            f"schema is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from exc


def dump_canonical(data: Any) -> str:
    """``data`` as canonical JSON: keys sorted, no whitespace, non-ASCII kept."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


_scalar = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def pretty_json(value: Any, indent: str = "") -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, in less than half the time: the
    standard library indents in pure Python, one generator per value; here each object or list
    is one loop, strings go straight to the standard (C) string encoder and other scalars to
    the standard encoder."""
    if type(value) is dict:
        if not value:
            return "{}"
        inner = indent + "  "
        items = []
        for key, item in value.items():
            name = encode_basestring(key) if type(key) is str else _scalar(str(key))
            kind = type(item)
            if kind is str:
                items.append(f"{inner}{name}: {encode_basestring(item)}")
            elif kind is dict or kind is list:
                items.append(f"{inner}{name}: {pretty_json(item, inner)}")
            else:
                items.append(f"{inner}{name}: {_scalar(item)}")
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if type(value) is list:
        if not value:
            return "[]"
        inner = indent + "  "
        items = []
        for item in value:
            kind = type(item)
            if kind is str:
                items.append(inner + encode_basestring(item))
            elif kind is dict or kind is list:
                items.append(inner + pretty_json(item, inner))
            else:
                items.append(inner + _scalar(item))
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    return _scalar(value)
