"""The plan document: lossless, versioned, and refused when modified."""

from __future__ import annotations

import json

import pytest

from aurum_sr.errors import PlanFileError
from aurum_sr.plan import FORMAT_VERSION, Plan
from aurum_sr.plan.document import digest_of, dumps, from_document, loads, to_document
from tests.render.scenarios import PLANS


@pytest.mark.parametrize("scenario", sorted(PLANS))
def test_round_trip_is_lossless(scenario: str) -> None:
    plan = PLANS[scenario]()
    text = dumps(plan)
    assert loads(text) == plan
    assert dumps(loads(text)) == text
    assert to_document(plan)["format_version"] == FORMAT_VERSION


def _document() -> dict[str, object]:
    return json.loads(dumps(PLANS["deletion"]()))  # type: ignore[no-any-return]


def test_step_kinds_survive_the_round_trip() -> None:
    plan: Plan = from_document(_document())
    assert [type(s).__name__ for s in plan.steps] == ["DeleteSubject"] * 4


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(registry="https://elsewhere"), "was modified"),
        (lambda d: d["steps"][0].update(permanent=True), "was modified"),
        (lambda d: d.pop("digest"), "was modified"),
        (lambda d: d.update(format_version=99), "format_version 99"),
        (lambda d: d.pop("format_version"), "not an aurum-sr plan document"),
    ],
)
def test_modified_documents_are_refused(mutate: object, message: str) -> None:
    document = _document()
    mutate(document)  # type: ignore[operator]
    with pytest.raises(PlanFileError, match=message):
        from_document(document)


def test_a_consistent_but_malformed_document_is_refused() -> None:
    document = _document()
    document["steps"] = [{"kind": "launch_rockets"}]
    document["digest"] = digest_of(document)
    with pytest.raises(PlanFileError, match="does not fit the plan model"):
        from_document(document)


@pytest.mark.parametrize("text", ["{not json", "[]", '"plan"'])
def test_not_a_plan(text: str) -> None:
    with pytest.raises(PlanFileError):
        loads(text)


def test_document_is_deterministic() -> None:
    assert dumps(PLANS["reference_chain"]()) == dumps(PLANS["reference_chain"]())
