"""The seed's CompatibilityChecker: schemas as dict, JSON text, Schema or path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aurum_sr.compat import CompatibilityChecker
from aurum_sr.errors import SchemaInputError
from aurum_sr.model import CompatibilityLevel, SchemaCompatibilityMode
from tests.compat.schemas import field, record, schema

OLD = record(field("id", "long"))
NEW = record(field("id", "long"), field("email", "string"))


@pytest.mark.parametrize("form", ["dict", "json", "schema", "path", "str-path"])
def test_every_input_form(form: str, tmp_path: Path) -> None:
    def as_form(value: dict[str, object], name: str) -> Any:
        if form == "dict":
            return value
        if form == "json":
            return json.dumps(value, indent=2)
        if form == "schema":
            return schema(value)
        path = tmp_path / f"{name}.avsc"
        path.write_text(json.dumps(value))
        return path if form == "path" else str(path)

    checker = CompatibilityChecker()
    result = checker.check_compatibility(as_form(OLD, "old"), as_form(NEW, "new"), "BACKWARD")
    assert not result.is_compatible
    assert result.breaking_changes[0].field_path == "Order.email"
    assert checker.check_compatibility(
        as_form(OLD, "old"), as_form(NEW, "new"), SchemaCompatibilityMode.FORWARD
    ).is_compatible


def test_history_and_mode_names() -> None:
    v1 = record(field("id", "long"), field("amount", "int"))
    v2 = record(field("id", "long"))
    v3 = record(field("id", "long"), field("amount", "string", default=""))
    checker = CompatibilityChecker()
    assert checker.check_against_history([v1, v2], v3, "backward").is_compatible
    result = checker.check_against_history([v1, v2], v3, "BACKWARD_TRANSITIVE")
    assert result.level is CompatibilityLevel.BACKWARD_TRANSITIVE
    assert [b.against_version for b in result.breaking_changes] == [1]


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.avsc"
    with pytest.raises(SchemaInputError, match="nope.avsc: no such schema file"):
        CompatibilityChecker().check_compatibility(missing, NEW, "BACKWARD")


def test_bad_json_file_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.avsc"
    bad.write_text('{\n  "type": "record",\n  "name": \n}')
    with pytest.raises(SchemaInputError, match=r"bad.avsc: schema is not valid JSON \(line 4"):
        CompatibilityChecker().check_compatibility(OLD, bad, "BACKWARD")


def test_invalid_avro_names_which_schema() -> None:
    with pytest.raises(SchemaInputError, match="previous schema 1: schema is not valid Avro"):
        CompatibilityChecker().check_compatibility({"type": "record", "name": "X"}, NEW)


def test_unknown_mode() -> None:
    with pytest.raises(SchemaInputError, match="unknown compatibility mode 'SIDEWAYS'"):
        CompatibilityChecker().check_compatibility(OLD, NEW, "SIDEWAYS")


def test_wrong_input_type() -> None:
    with pytest.raises(SchemaInputError, match="must be a dict, JSON text, a Schema or a path"):
        CompatibilityChecker().check_compatibility(OLD, 42, "BACKWARD")  # type: ignore[arg-type]
