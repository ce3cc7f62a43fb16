"""The plan document: lossless, versioned, and refused when modified."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aurum_sr.errors import PlanFileError
from aurum_sr.plan import FORMAT_VERSION, Plan
from aurum_sr.plan.document import digest_of, dumps, from_document, loads, to_document
from aurum_sr.plan.reasons import ReasonCode
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
        (lambda d: d.update(format_version="2"), "format_version '2'"),
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


FORMAT_V1 = Path(__file__).parent / "data" / "plan_format_v1.json"
"""A plan saved by the aurum-sr whose plans held sentences (format_version 1), unmodified."""


def test_a_version_1_plan_asks_for_a_new_plan() -> None:
    with pytest.raises(PlanFileError, match=r"made by an older aurum-sr .*; re-run plan") as info:
        loads(FORMAT_V1.read_text(encoding="utf-8"))
    assert "format_version 1" in info.value.message
    assert info.value.hint is not None and "aurum-sr plan --out" in info.value.hint


def test_a_plan_from_a_newer_aurum_sr_is_not_called_older() -> None:
    document = _document()
    document["format_version"] = FORMAT_VERSION + 1
    with pytest.raises(PlanFileError) as info:
        from_document(document)
    assert "older" not in info.value.message
    assert f"format_version {FORMAT_VERSION + 1}" in info.value.message


def test_reasons_are_carried_as_code_and_parameters() -> None:
    subjects = json.loads(dumps(PLANS["notes_and_blocks"]()))["subjects"]
    pinned = next(s for s in subjects if s["subject"] == "aurum.pinned-value")
    assert pinned["summary"] == {"code": "roll_back", "target": 1, "newer": [2]}
    assert pinned["blocked_reasons"] == [
        {"code": "version_referenced", "version": 2, "referrer": "aurum.user-value"}
    ]
    assert [n["code"] for n in pinned["notes"]] == [
        "rollback_target_is_older",
        "rollback_soft_deletes_newer",
    ]


def test_the_plan_format_doc_lists_every_reason_code() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "plan-format.md").read_text(encoding="utf-8")
    missing = [code.value for code in ReasonCode if f"`{code.value}`" not in doc]
    assert not missing, f"docs/plan-format.md does not list {missing}"
    assert f"`{FORMAT_VERSION}`" in doc
