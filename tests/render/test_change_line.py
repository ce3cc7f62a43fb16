"""A change line names its field once."""

from __future__ import annotations

import pytest

from aurum_sr.formats.result import ChangeCategory, SchemaChange
from aurum_sr.render.text import change_line

NON = ChangeCategory.NON_BREAKING


@pytest.mark.parametrize(
    ("path", "message", "expected"),
    [
        (
            "Order.note",
            "field `Order.note` is added with default null.",
            "field `Order.note` is added with default null. (non-breaking)",
        ),
        (
            "Order.id",
            "type changes from int to long.",
            "Order.id: type changes from int to long. (non-breaking)",
        ),
        ("", "the schema's name changes.", "the schema's name changes. (non-breaking)"),
    ],
)
def test_change_line_names_the_field_once(path: str, message: str, expected: str) -> None:
    line = change_line(SchemaChange("field_added", NON, path, message))
    assert line == expected
    if path:
        assert line.count(path) == 1
