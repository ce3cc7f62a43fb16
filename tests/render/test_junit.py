"""JUnit XML: the format-level writer (counts, elements, escaping) and the plan as a suite.

The complete documents of every plan scenario are golden files (``*.junit.xml``)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from aurum_sr.render import render
from aurum_sr.render.junit import Case, Failure, Suite, plan_suite, write
from tests.render.scenarios import PLANS


def _parse(suite: Suite) -> ET.Element:
    out = io.StringIO()
    write(suite, out)
    text = out.getvalue()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    assert text.endswith("</testsuites>\n")
    return ET.fromstring(text.encode("utf-8"))


def test_one_suite_with_counts_failures_and_output() -> None:
    suite = Suite(
        name="aurum-sr plan",
        cases=(
            Case("a-value", "plan", output="register v2"),
            Case("b-value", "plan", failure=Failure("no default", "incompatible", "x Order.q")),
        ),
        properties=(("registry", "https://r.example"),),
        output="Plan: 1 blocked.",
    )
    root = _parse(suite)
    (element,) = root.findall("testsuite")
    for node in (root, element):
        assert node.attrib == {
            "name": "aurum-sr plan",
            "tests": "2",
            "failures": "1",
            "errors": "0",
            "skipped": "0",
        }
    assert [(p.get("name"), p.get("value")) for p in element.iter("property")] == [
        ("registry", "https://r.example")
    ]
    passed, failed = element.findall("testcase")
    assert passed.attrib == {"name": "a-value", "classname": "plan"}
    assert passed.find("failure") is None
    assert passed.findtext("system-out") == "register v2"
    failure = failed.find("failure")
    assert failure is not None
    assert failure.attrib == {"message": "no default", "type": "incompatible"}
    assert failure.text == "x Order.q"
    assert failed.find("system-out") is None  # the failure text says it all
    assert element.findtext("system-out") == "Plan: 1 blocked."


def test_an_empty_suite_has_no_properties_and_no_output() -> None:
    element = _parse(Suite("s", ()))[0]
    assert element.get("tests") == "0"
    assert list(element) == []


def test_markup_and_characters_xml_cannot_hold_are_escaped() -> None:
    nasty = "a<b>&\"c' ]]> \x00\x1b[31m\x7f\ufffe\r\nz"
    suite = Suite(nasty, (Case(nasty, nasty, Failure(nasty, nasty, nasty), nasty),))
    out = io.StringIO()
    write(suite, out)
    assert "\x00" not in out.getvalue() and "\x1b" not in out.getvalue()
    root = ET.fromstring(out.getvalue())
    seen = "a<b>&\"c' ]]> \\x00\\x1b[31m\x7f\\xfffe\nz"
    case = root[0][0]
    assert root.get("name") == case.get("name") == case.get("classname") == seen
    assert case[0].get("message") == case[0].get("type") == case[0].text == seen


# Any character a Python string taken from a file can hold (utf-8 leaves out the surrogates),
# and more often the ones XML treats specially.
_TEXT = st.text(st.characters(codec="utf-8") | st.sampled_from("\r\n\t\x00\x08\ufffe<&"))


@given(name=_TEXT, message=_TEXT, details=_TEXT, key=_TEXT, value=_TEXT)
def test_any_text_is_written_as_well_formed_xml_and_read_back(
    name: str, message: str, details: str, key: str, value: str
) -> None:
    """Whatever a subject, schema or registry message holds, the document parses, and every
    text reads back as written: line ends as a parser reads them, the rest escaped visibly."""

    def expected(text: str) -> str:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return "".join(
            c
            if c in "\t\n" or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or c > "\uffff"
            else f"\\x{ord(c):02x}"
            for c in text
        )

    suite = Suite(
        name,
        (Case(name, "plan", Failure(message, "blocked", details), output=details),),
        properties=((key, value),),
    )
    root = _parse(suite)
    case = root[0].find("testcase")
    assert case is not None
    assert case.get("name") == expected(name)
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == expected(message)
    assert (failure.text or "") == expected(details)
    assert (case.findtext("system-out") or "") == expected(details)
    prop = root[0].find("properties/property")
    assert prop is not None and (prop.get("name"), prop.get("value")) == (
        expected(key),
        expected(value),
    )


def test_a_plan_has_one_case_per_touched_subject_failed_when_blocked() -> None:
    for make in PLANS.values():
        plan = make()
        suite = plan_suite(plan)
        assert [c.name for c in suite.cases] == [s.subject for s in plan.subjects]
        assert suite.failures == sum(s.action.value == "blocked" for s in plan.subjects)


def test_an_incompatible_change_fails_with_its_explanation() -> None:
    out = io.StringIO()
    render(PLANS["breaking_blocked"](), "junit", out)
    (case,) = ET.fromstring(out.getvalue()).iter("testcase")
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "incompatible"
    assert failure.get("message", "").startswith("incompatible under BACKWARD")
    assert "fix: give `currency` a default" in (failure.text or "")


def test_an_allowed_incompatible_change_passes_and_says_why() -> None:
    (case,) = plan_suite(PLANS["breaking_allowed"]()).cases
    assert case.failure is None
    assert "incompatible, allowed" in case.output


def test_the_failure_type_follows_the_typed_block_reasons() -> None:
    suite = plan_suite(PLANS["notes_and_blocks"]())
    kinds = {case.name: case.failure.kind for case in suite.cases if case.failure is not None}
    assert kinds == {
        "aurum.address-value": "blocked",  # still referenced
        "aurum.pinned-value": "blocked",
        "aurum.readonly-value": "blocked",  # mode refuses writes
        "aurum.remote-value": "incompatible",  # the registry's own test says so
    }
