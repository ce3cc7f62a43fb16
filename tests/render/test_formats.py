"""One output-format type: which documents have which formats, and how a wrong one is refused."""

from __future__ import annotations

import io

import pytest

from aurum_sr.errors import NotSupportedError
from aurum_sr.render import drift_writers, plan_writers
from aurum_sr.render.formats import (
    APPLY_FORMATS,
    CHECK_FORMATS,
    DRIFT_FORMATS,
    PLAN_FORMATS,
    STATUS_FORMATS,
    VALIDATE_FORMATS,
    OutputFormat,
    accepted_format,
    describe,
)
from aurum_sr.render.validate import render_validation


def test_the_writers_are_exactly_the_declared_formats() -> None:
    assert tuple(plan_writers()) == PLAN_FORMATS
    assert tuple(drift_writers()) == DRIFT_FORMATS


@pytest.mark.parametrize(
    "formats",
    [PLAN_FORMATS, DRIFT_FORMATS, VALIDATE_FORMATS, CHECK_FORMATS, APPLY_FORMATS, STATUS_FORMATS],
)
def test_every_document_has_human_first_and_json(formats: tuple[OutputFormat, ...]) -> None:
    assert formats[0] is OutputFormat.HUMAN
    assert OutputFormat.JSON in formats
    assert len(set(formats)) == len(formats)


def test_accepted_format() -> None:
    assert accepted_format("json", CHECK_FORMATS, "check") is OutputFormat.JSON
    assert accepted_format(OutputFormat.HUMAN, CHECK_FORMATS, "check") is OutputFormat.HUMAN
    with pytest.raises(ValueError, match="yaml"):
        accepted_format("yaml", CHECK_FORMATS, "check")
    with pytest.raises(NotSupportedError, match="check has no markdown output") as raised:
        accepted_format("markdown", CHECK_FORMATS, "check")
    assert raised.value.hint == "use one of human, json, junit"


def test_a_document_refuses_a_format_it_does_not_have() -> None:
    with pytest.raises(NotSupportedError, match="validate has no github output"):
        render_validation(True, (), (), OutputFormat.GITHUB, io.StringIO())


@pytest.mark.parametrize(
    ("formats", "text"),
    [
        ((OutputFormat.HUMAN,), "Output format: human."),
        (APPLY_FORMATS, "Output format: human or json."),
        (CHECK_FORMATS, "Output format: human, json or junit (a JUnit XML test report)."),
        (
            PLAN_FORMATS,
            "Output format: human, json, markdown (a pull-request comment), github "
            "(workflow annotations) or junit (a JUnit XML test report).",
        ),
    ],
)
def test_describe(formats: tuple[OutputFormat, ...], text: str) -> None:
    assert describe(formats) == text
