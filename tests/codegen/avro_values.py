"""Hypothesis strategies for valid values of an Avro schema, and serialization helpers.

The strategies walk fastavro's parsed schema, independently of codegen's own type tree, and
produce what a producer would pass to a model: naive or aware datetimes, enum symbols as strings,
decimals within precision and scale, and so on.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import avro.errors
import avro.io
import fastavro
from hypothesis import strategies as st

from aurum_sr.formats.avro.parse import parse_avro
from aurum_sr.model import Schema, SchemaReference

MAX_DEPTH = 3
_TZS: st.SearchStrategy[Any] = st.sampled_from(
    [None, dt.timezone.utc, dt.timezone(dt.timedelta(hours=2)), dt.timezone(-dt.timedelta(hours=7))]
)
_INSTANTS = st.datetimes(
    min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=_TZS
)


def fastavro_schema(schema_str: str, referenced: Sequence[str] = ()) -> Any:
    """fastavro's parsed schema; ``referenced`` schemas (texts) are parsed first, in order."""
    named: dict[str, Any] = {}
    for text in referenced:
        fastavro.parse_schema(json.loads(text), named_schemas=named)
    return fastavro.parse_schema(json.loads(schema_str), named_schemas=named)


def values(parsed: Any) -> st.SearchStrategy[Any]:
    """Valid model inputs for ``parsed`` (a fastavro parsed schema)."""
    return _values(parsed, parsed.get("__named_schemas", {}) if isinstance(parsed, dict) else {}, 0)


def _values(schema: Any, named: Mapping[str, Any], depth: int) -> st.SearchStrategy[Any]:
    if isinstance(schema, list):
        branches = schema
        if depth >= MAX_DEPTH and "null" in branches:
            return st.none()
        return st.one_of([_values(b, named, depth + 1) for b in branches])
    if isinstance(schema, str):
        if schema in named:
            return _values(named[schema], named, depth)
        return _primitive(schema)
    kind = schema["type"]
    logical = schema.get("logicalType")
    if logical == "decimal":
        precision, scale = schema["precision"], schema.get("scale", 0)
        bound = 10**precision - 1
        exact = st.integers(-bound, bound).map(lambda n: decimal.Decimal(n).scaleb(-scale))
        # Also other spellings of the same numbers: 1.50 as 1.5, 1000 as 1E+3.
        return st.one_of(exact, exact.map(lambda d: d.normalize()))
    if logical == "date" and kind == "int":
        return st.dates()
    if logical in ("time-millis", "time-micros"):
        return st.times()
    if logical in ("timestamp-millis", "timestamp-micros"):
        return _INSTANTS
    if logical in ("local-timestamp-millis", "local-timestamp-micros"):
        return st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1))
    if logical == "uuid" and kind == "string":
        return st.uuids()
    if kind == "record":
        if depth >= MAX_DEPTH + 2:
            return st.nothing()
        required: dict[str, st.SearchStrategy[Any]] = {}
        optional: dict[str, st.SearchStrategy[Any]] = {}
        for field in schema["fields"]:
            target = optional if "default" in field else required
            target[field["name"]] = _values(field["type"], named, depth + 1)
        return st.fixed_dictionaries(required, optional=optional)
    if kind == "enum":
        return st.sampled_from(schema["symbols"])
    if kind == "fixed":
        return st.binary(min_size=schema["size"], max_size=schema["size"])
    if kind == "array":
        items = _values(schema["items"], named, depth + 1)
        return st.lists(items, max_size=0 if depth >= MAX_DEPTH else 3)
    if kind == "map":
        entries = _values(schema["values"], named, depth + 1)
        size = 0 if depth >= MAX_DEPTH else 3
        return st.dictionaries(st.text(max_size=5), entries, max_size=size)
    return _primitive(kind)


def _primitive(kind: str) -> st.SearchStrategy[Any]:
    strategies: dict[str, st.SearchStrategy[Any]] = {
        "null": st.none(),
        "boolean": st.booleans(),
        "int": st.integers(-(2**31), 2**31 - 1),
        "long": st.integers(-(2**63), 2**63 - 1),
        "float": st.floats(width=32, allow_nan=False),
        "double": st.floats(allow_nan=False),
        "bytes": st.binary(max_size=10),
        "string": st.text(max_size=10),
    }
    return strategies[kind]


def fastavro_bytes(parsed: Any, record: Any) -> bytes:
    buffer = io.BytesIO()
    fastavro.schemaless_writer(buffer, parsed, record)
    return buffer.getvalue()


def fastavro_read(parsed: Any, data: bytes) -> Any:
    return fastavro.schemaless_reader(io.BytesIO(data), parsed, parsed)


def avro_bytes(schema_str: str, record: Any, referenced: Sequence[str] = ()) -> bytes:
    """``record`` written by the ``avro`` library (references given as schema texts)."""
    texts = {f"ref{i}": text for i, text in enumerate(referenced)}
    refs = tuple(SchemaReference(_fullname(text), name, 1) for name, text in texts.items())
    with warnings.catch_warnings():
        # The avro library does not know local-timestamp-*: it writes them as plain longs.
        warnings.simplefilter("ignore", avro.errors.IgnoredLogicalType)
        parsed = parse_avro(
            Schema(schema_str, references=refs), lambda ref: Schema(texts[ref.subject])
        )
    buffer = io.BytesIO()
    avro.io.DatumWriter(parsed).write(record, avro.io.BinaryEncoder(buffer))
    return buffer.getvalue()


def _fullname(text: str) -> str:
    data = json.loads(text)
    name: str = data["name"]
    return name if "." in name or "namespace" not in data else f"{data['namespace']}.{name}"
