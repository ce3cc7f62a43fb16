"""Property tests against real Avro data, not against the checker.

Random record schemas evolve through random mutations; random data is written with the writer
schema (fastavro). Whenever the checker says the reader can read the writer, that data must
deserialize with the reader schema. Plus the level invariants.

Two generation limits, both runtime quirks rather than checker questions: bytes data is valid
UTF-8 (``bytes`` → ``string`` resolution decodes it), and no mutation changes a namespace (the
checker accepts it, as Java does, while fastavro's resolver insists on full names).
"""

from __future__ import annotations

import copy
import io
import json
import warnings
from typing import Any

import fastavro
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aurum_sr.compat import check
from aurum_sr.formats.avro.parse import parse_avro
from aurum_sr.formats.avro.reader_writer import RegistryChecker
from aurum_sr.model import CompatibilityLevel as L
from aurum_sr.model import Schema

PRIMITIVES = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]
PROMOTE = {"int": "long", "long": "double", "float": "double", "string": "bytes", "bytes": "string"}
SYMBOLS = ["A", "B", "C", "D", "E"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Names:
    def __init__(self, prefix: str) -> None:
        self.prefix, self.count = prefix, 0

    def next(self) -> str:
        self.count += 1
        return f"{self.prefix}{self.count}"


@st.composite
def avro_type(draw: st.DrawFn, names: Names, depth: int = 2) -> Any:
    kinds = PRIMITIVES + (["enum", "fixed", "array", "map", "union", "record"] if depth else [])
    kind = draw(st.sampled_from(kinds))
    if kind in PRIMITIVES:
        return kind
    if kind == "enum":
        symbols = draw(st.lists(st.sampled_from(SYMBOLS), min_size=1, max_size=4, unique=True))
        out: dict[str, Any] = {"type": "enum", "name": names.next(), "symbols": symbols}
        if draw(st.booleans()):
            out["default"] = draw(st.sampled_from(symbols))
        return out
    if kind == "fixed":
        return {"type": "fixed", "name": names.next(), "size": draw(st.integers(1, 4))}
    if kind == "array":
        return {"type": "array", "items": draw(avro_type(names, depth - 1))}
    if kind == "map":
        return {"type": "map", "values": draw(avro_type(names, depth - 1))}
    if kind == "union":
        return draw(st.lists(st.sampled_from(PRIMITIVES), min_size=1, max_size=3, unique=True))
    return draw(record_type(names, depth - 1))


def default_for(t: Any) -> Any:
    if isinstance(t, list):
        return default_for(t[0])
    kind = t if isinstance(t, str) else t["type"]
    simple = {"null": None, "boolean": False, "int": 0, "long": 0, "float": 0.0, "double": 0.0}
    if kind in simple:
        return simple[kind]
    if kind in ("bytes", "string"):
        return ""
    if kind == "enum":
        return t["symbols"][0]
    if kind == "fixed":
        return "\u0000" * t["size"]
    if kind == "array":
        return []
    if kind == "map":
        return {}
    return {f["name"]: default_for(f["type"]) for f in t["fields"]}


@st.composite
def field(draw: st.DrawFn, names: Names, name: str, depth: int = 2) -> dict[str, Any]:
    t = draw(avro_type(names, depth))
    out = {"name": name, "type": t}
    if draw(st.booleans()):
        out["default"] = default_for(t)
    return out


@st.composite
def record_type(draw: st.DrawFn, names: Names, depth: int = 2) -> dict[str, Any]:
    count = draw(st.integers(1, 5))
    fields = [draw(field(names, f"f{i}", depth)) for i in range(count)]
    return {"type": "record", "name": names.next(), "fields": fields}


@st.composite
def mutated(draw: st.DrawFn, schema: dict[str, Any], step: int) -> dict[str, Any]:
    """``schema`` after 1-3 random evolution steps on its top-level fields."""
    new = copy.deepcopy(schema)
    names = Names(f"M{step}_")
    for _ in range(draw(st.integers(1, 3))):
        fields = new["fields"]
        op = draw(
            st.sampled_from(
                [
                    "add",
                    "remove",
                    "retype",
                    "promote",
                    "rename",
                    "alias_rename",
                    "default",
                    "optional",
                    "required",
                    "enum_add",
                    "enum_remove",
                    "enum_default",
                    "union_add",
                    "union_remove",
                    "fixed_size",
                    "record_rename",
                ]
            )
        )
        i = draw(st.integers(0, len(fields) - 1)) if fields else 0
        f = fields[i] if fields else None
        t = f["type"] if f else None
        if op == "add" or f is None:
            fields.append(draw(field(names, f"n_{names.next()}", 1)))
        elif op == "remove" and len(fields) > 1:
            fields.pop(i)
        elif op == "retype":
            f["type"] = draw(avro_type(names, 1))
            f.pop("default", None)
            if draw(st.booleans()):
                f["default"] = default_for(f["type"])
        elif op == "promote" and isinstance(t, str) and t in PROMOTE:
            f["type"] = PROMOTE[t]
            if "default" in f:
                f["default"] = default_for(f["type"])
        elif op in ("rename", "alias_rename"):
            old = f["name"]
            f["name"] = f"{old}_r"
            if op == "alias_rename":
                f["aliases"] = [old]
        elif op == "default":
            if "default" in f:
                del f["default"]
            else:
                f["default"] = default_for(t)
        elif op == "optional" and not isinstance(t, list) and t != "null":
            f["type"], f["default"] = ["null", t], None
        elif op == "required" and isinstance(t, list) and len(t) > 1:
            f["type"] = t[1]
            f.pop("default", None)
        elif op.startswith("enum") and isinstance(t, dict) and t["type"] == "enum":
            symbols = t["symbols"]
            if op == "enum_add":
                extra = [s for s in SYMBOLS if s not in symbols]
                if extra:
                    symbols.append(extra[0])
            elif op == "enum_remove" and len(symbols) > 1:
                gone = symbols.pop()
                if t.get("default") == gone:
                    t["default"] = symbols[0]
                if f.get("default") == gone:
                    f["default"] = symbols[0]
            elif "default" in t:
                del t["default"]
            else:
                t["default"] = symbols[-1]
        elif op == "union_add" and isinstance(t, list):
            extra = [p for p in PRIMITIVES if p not in t]
            if extra:
                t.append(draw(st.sampled_from(extra)))
        elif op == "union_remove" and isinstance(t, list) and len(t) > 1:
            t.pop()
        elif op == "fixed_size" and isinstance(t, dict) and t["type"] == "fixed":
            t["size"] += 1
            if "default" in f:
                f["default"] = default_for(t)
        elif op == "record_rename":
            old = new["name"]
            new["name"] = f"{old}X"
            if draw(st.booleans()):
                new["aliases"] = [old]
    return new


@st.composite
def evolution(draw: st.DrawFn, steps: int = 1) -> list[dict[str, Any]]:
    history = [draw(record_type(Names("T")))]
    for step in range(steps):
        history.append(draw(mutated(history[-1], step)))
    return history


def datum(t: Any, named: dict[str, Any]) -> st.SearchStrategy[Any]:
    if isinstance(t, list):
        return st.one_of([datum(b, named) for b in t])
    if isinstance(t, str) and t in named:
        return datum(named[t], named)
    kind = t if isinstance(t, str) else t["type"]
    simple: dict[str, st.SearchStrategy[Any]] = {
        "null": st.none(),
        "boolean": st.booleans(),
        "int": st.integers(-(2**31), 2**31 - 1),
        "long": st.integers(-(2**63), 2**63 - 1),
        "float": st.floats(width=32, allow_nan=False),
        "double": st.floats(allow_nan=False),
        "bytes": st.text(max_size=6).map(str.encode),
        "string": st.text(max_size=6),
    }
    if kind in simple:
        return simple[kind]
    if kind == "enum":
        return st.sampled_from(t["symbols"])
    if kind == "fixed":
        return st.binary(min_size=t["size"], max_size=t["size"])
    if kind == "array":
        return st.lists(datum(t["items"], named), max_size=3)
    if kind == "map":
        return st.dictionaries(st.text(max_size=3), datum(t["values"], named), max_size=3)
    named[t["name"]] = t
    return st.fixed_dictionaries({f["name"]: datum(f["type"], named) for f in t["fields"]})


def parsed(value: dict[str, Any]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return parse_avro(Schema(json.dumps(value)))


def reads(reader: dict[str, Any], writer: dict[str, Any], data: Any) -> None:
    buffer = io.BytesIO()
    writer_parsed = fastavro.parse_schema(writer)
    fastavro.schemaless_writer(buffer, writer_parsed, data)
    buffer.seek(0)
    fastavro.schemaless_reader(buffer, writer_parsed, fastavro.parse_schema(reader))


@SETTINGS
@given(st.data(), evolution())
def test_compatible_means_the_data_really_reads(data: st.DataObject, history: Any) -> None:
    old, new = history
    checker = RegistryChecker()
    for reader, writer in ((new, old), (old, new)):
        if checker.compatible(parsed(reader), parsed(writer)):
            for _ in range(3):
                reads(reader, writer, data.draw(datum(writer, {})))


@SETTINGS
@given(evolution())
def test_level_invariants(history: Any) -> None:
    old, new = (Schema(json.dumps(s)) for s in history)
    verdict = {level: check(new, [old], level).is_compatible for level in L}
    assert verdict[L.NONE]
    assert verdict[L.FULL] == (verdict[L.BACKWARD] and verdict[L.FORWARD])
    for level in (L.BACKWARD, L.FORWARD, L.FULL):
        assert verdict[level] == verdict[L(f"{level.value}_TRANSITIVE")]  # one previous version


@SETTINGS
@given(evolution(steps=2))
def test_transitive_implies_plain(history: Any) -> None:
    v1, v2, v3 = (Schema(json.dumps(s)) for s in history)
    for level in (L.BACKWARD, L.FORWARD, L.FULL):
        transitive = check(v3, [v1, v2], L(f"{level.value}_TRANSITIVE"))
        plain = check(v3, [v1, v2], level)
        if transitive.is_compatible:
            assert plain.is_compatible
        assert set(plain.checked_versions) <= set(transitive.checked_versions)
        assert transitive.is_compatible == (not transitive.breaking_changes)


@SETTINGS
@given(record_type(Names("T")))
def test_every_schema_reads_itself(schema: dict[str, Any]) -> None:
    # Two separate parses, so the checker walks the whole pair instead of an identity shortcut.
    assert RegistryChecker().compatible(parsed(schema), parsed(schema))
    for level in L:
        assert check(Schema(json.dumps(schema)), [Schema(json.dumps(schema))], level).is_compatible


@SETTINGS
@given(evolution())
def test_every_incompatibility_is_explained(history: Any) -> None:
    old, new = (Schema(json.dumps(s)) for s in history)
    for level in (L.BACKWARD, L.FORWARD):
        result = check(new, [old], level)
        assert result.is_compatible == (not result.breaking_changes)
        for change in result.breaking_changes:
            assert change.kind != "unknown" and change.field_path and change.recommendation
            assert change.location.startswith("/")
