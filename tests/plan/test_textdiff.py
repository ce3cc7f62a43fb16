"""The schema text diff: what the registry counts as a change shows, and nothing else does."""

from __future__ import annotations

import pytest

from aurum_sr.model import Schema, SchemaType
from aurum_sr.plan.textdiff import pretty_lines, schema_diff

ORDER = '{"type":"record","name":"Order","namespace":"a.b","fields":[{"name":"id","type":"long"}]}'


def _diff(old: str, new: str, schema_type: SchemaType = SchemaType.AVRO) -> tuple[str, ...]:
    return schema_diff(
        Schema(old, schema_type), Schema(new, schema_type), old_label="old", new_label="new"
    )


@pytest.mark.parametrize(
    "same",
    [
        ORDER,
        # whitespace and key order
        '{ "fields": [ {"type": "long", "name": "id"} ],\n  "name": "Order", "namespace": "a.b",'
        ' "type": "record" }',
        # the namespace written into the name
        '{"type":"record","name":"a.b.Order","fields":[{"name":"id","type":"long"}]}',
        # a primitive type written as an object
        '{"type":"record","name":"a.b.Order","fields":[{"name":"id","type":{"type":"long"}}]}',
    ],
)
def test_what_the_registry_does_not_count_shows_no_diff(same: str) -> None:
    assert _diff(ORDER, same) == ()


def test_a_change_shows_as_its_lines_with_labels() -> None:
    new = ORDER.replace('"type":"long"}', '"type":"long","doc":"The id."}')
    lines = _diff(ORDER, new)
    assert lines[:2] == ("--- old", "+++ new")
    assert lines[2].startswith("@@")
    assert [line for line in lines[3:] if line[:1] in "+-"] == ['+      "doc": "The id.",']


def test_pretty_lines_are_indented_canonical_json() -> None:
    assert pretty_lines(Schema(ORDER)) == [
        "{",
        '  "fields": [',
        "    {",
        '      "name": "id",',
        '      "type": "long"',
        "    }",
        "  ],",
        '  "name": "a.b.Order",',
        '  "type": "record"',
        "}",
    ]


def test_text_that_is_not_json_is_compared_as_written() -> None:
    assert _diff("not json\nline two", "not json\nline 2")[-2:] == ("-line two", "+line 2")


def test_protobuf_is_compared_by_its_stripped_lines() -> None:
    old = 'syntax = "proto3";\n\nmessage A {\n  int64 id = 1;\n}\n'
    new = 'syntax = "proto3";\nmessage A {\n    int64 id = 1;\n  string n = 2;\n}\n'
    lines = _diff(old, new, SchemaType.PROTOBUF)
    assert [line for line in lines[3:] if line[:1] in "+-"] == ["+string n = 2;"]
