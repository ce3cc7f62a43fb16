"""The classes of change whose verdict differs between registry implementations."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aurum_sr.capabilities import Implementation
from aurum_sr.compat.differences import (
    TargetBehaviour,
    VerdictClass,
    target_behaviour,
    verdict_differences,
)

C = VerdictClass


def rec(name: str, *fields: dict[str, Any], **extra: Any) -> str:
    return json.dumps(
        {"type": "record", "name": name, "namespace": "aurum.t", "fields": list(fields), **extra}
    )


def f(name: str, type_: Any = "string", **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **extra}


OLD = rec("R", f("a"), f("b"))

CASES: list[tuple[str, str, list[str], frozenset[VerdictClass]]] = [
    ("a plain new field", rec("R", f("a"), f("b"), f("c", default="x")), [OLD], frozenset()),
    (
        "an alias naming another writer field",
        rec("R", f("a", aliases=["b"]), f("b")),
        [OLD],
        frozenset({C.ALIAS_NAMES_OTHER_FIELD}),
    ),
    ("an alias of a renamed field", rec("R", f("c", aliases=["a"]), f("b")), [OLD], frozenset()),
    (
        "a type renamed through an unqualified alias",
        rec("S", f("a"), f("b"), aliases=["R"]),
        [OLD],
        frozenset({C.RENAME_BY_UNQUALIFIED_ALIAS}),
    ),
    (
        "a type renamed through a qualified alias",
        rec("S", f("a"), f("b"), aliases=["aurum.t.R"]),
        [OLD],
        frozenset(),
    ),
    (
        "an error record, nested",
        rec("R", f("a"), f("b"), f("e", {"type": "error", "name": "E", "fields": []})),
        [OLD],
        frozenset({C.ERROR_RECORD}),
    ),
    ("a name with -", rec("R-x", f("a")), [], frozenset({C.NON_SPEC_NAMES})),
    (
        "an enum default outside the symbols",
        rec("R", f("k", {"type": "enum", "name": "K", "symbols": ["A"], "default": "Z"})),
        [],
        frozenset({C.NON_SPEC_NAMES}),
    ),
    ("not JSON", "{", [OLD], frozenset()),
]


@pytest.mark.parametrize(("name", "new", "previous", "expected"), CASES, ids=[c[0] for c in CASES])
def test_which_class_a_change_falls_in(
    name: str, new: str, previous: list[str], expected: frozenset[VerdictClass]
) -> None:
    assert verdict_differences(new, previous) == expected


@pytest.mark.parametrize("kind", list(VerdictClass))
@pytest.mark.parametrize(
    ("implementation", "expected"),
    [
        (Implementation.CONFLUENT, None),
        (Implementation.CONFLUENT_CLOUD, None),
        (Implementation.SNAPSHOT, None),
        (Implementation.REDPANDA, TargetBehaviour.UNKNOWN),
        (Implementation.APICURIO, TargetBehaviour.UNKNOWN),
        (Implementation.UNKNOWN, TargetBehaviour.UNKNOWN),
    ],
)
def test_what_each_implementation_is_known_to_do(
    kind: VerdictClass, implementation: Implementation, expected: TargetBehaviour | None
) -> None:
    want = TargetBehaviour.SAME if expected is None else expected
    assert target_behaviour(implementation, kind) is want


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (C.ALIAS_NAMES_OTHER_FIELD, TargetBehaviour.DIFFERS),
        (C.RENAME_BY_UNQUALIFIED_ALIAS, TargetBehaviour.DIFFERS),
        (C.ERROR_RECORD, TargetBehaviour.CANNOT_STORE),
        (C.NON_SPEC_NAMES, TargetBehaviour.UNKNOWN),
    ],
)
def test_what_karapace_is_known_to_do(kind: VerdictClass, expected: TargetBehaviour) -> None:
    assert target_behaviour(Implementation.KARAPACE, kind) is expected
