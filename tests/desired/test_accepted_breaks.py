"""``accepted_breaks:`` in contracts.yml: what an approval must say, and where a bad one is."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from aurum_sr.desired import load_desired
from aurum_sr.errors import DesiredStateError, Severity
from aurum_sr.model import BreakApproval, SourceLocation
from tests.desired.repos import HEAD, write_repo

DIGEST = "sha256:" + "ab" * 32
OTHER = "sha256:" + "cd" * 32


def _with(items: str) -> str:
    """HEAD (lines 1-5) plus ``accepted_breaks:`` at line 6, its items from line 7."""
    return HEAD + "    accepted_breaks:\n" + items


def test_a_valid_approval_reaches_the_subject(tmp_path: Path) -> None:
    write_repo(
        tmp_path,
        _with(
            f"      - digest: {DIGEST}\n"
            "        by: jane.doe\n"
            "        reason: consumers upgraded\n"
            "        until: 2999-12-31\n"
            "      - version: 4\n"
            "        by: li.wei\n"
            '        reason: "release 7"\n'
        ),
    )
    loaded = load_desired(tmp_path)
    assert loaded.state.subjects["shop.Geo"].accepted_breaks == (
        BreakApproval(
            by="jane.doe",
            reason="consumers upgraded",
            digest=DIGEST,
            until=date(2999, 12, 31),
            location=SourceLocation("contracts/contracts.yml", 7, 9),
        ),
        BreakApproval(
            by="li.wei",
            reason="release 7",
            version=4,
            location=SourceLocation("contracts/contracts.yml", 11, 9),
        ),
    )
    assert not loaded.warnings


_GOOD = "        by: jane.doe\n        reason: safe\n"

# (case, the items under accepted_breaks:, rule, line, words in the message, words in the hint)
ERRORS = [
    (
        "bad digest",
        f"      - digest: sha256:xyz\n{_GOOD}",
        "invalid-value",
        7,
        "is not a schema digest",
        "64 hex digits",
    ),
    (
        "digest without its prefix",
        f"      - digest: {'ab' * 32}\n{_GOOD}",
        "invalid-value",
        7,
        "is not a schema digest",
        f"write it as sha256:{'ab' * 32}",
    ),
    (
        "unknown key",
        f"      - digest: {DIGEST}\n{_GOOD}        approver: x\n",
        "unknown-key",
        10,
        "unknown key 'approver'",
        "",
    ),
    (
        "misspelt key",
        f"      - digest: {DIGEST}\n        by: jane.doe\n        reasn: safe\n",
        "unknown-key",
        9,
        "unknown key 'reasn'",
        "did you mean 'reason'?",
    ),
    (
        "no digest and no version",
        _GOOD.replace("        by", "      - by", 1),
        "invalid-structure",
        7,
        "names no schema",
        "digest: sha256:",
    ),
    (
        "no by",
        f"      - digest: {DIGEST}\n        reason: safe\n",
        "invalid-structure",
        7,
        "has no by",
        "who accepted",
    ),
    (
        "no reason",
        f"      - digest: {DIGEST}\n        by: jane.doe\n",
        "invalid-structure",
        7,
        "has no reason",
        "why it is safe",
    ),
    (
        "placeholder left in",
        f"      - digest: {DIGEST}\n        by: <who approves>\n        reason: safe\n",
        "invalid-value",
        8,
        "still the placeholder",
        "who accepted",
    ),
    (
        "version zero",
        f"      - version: 0\n{_GOOD}",
        "invalid-value",
        7,
        "is not a version number",
        "whole number",
    ),
    (
        "until not a date",
        f"      - digest: {DIGEST}\n{_GOOD}        until: next spring\n",
        "invalid-value",
        10,
        "is not a date",
        "YYYY-MM-DD",
    ),
    (
        "duplicate digest",
        f"      - digest: {DIGEST}\n{_GOOD}      - digest: {DIGEST}\n{_GOOD}",
        "duplicate-approval",
        10,
        "again (first at line 7)",
        "one approval per schema",
    ),
    (
        "duplicate version",
        f"      - version: 3\n{_GOOD}      - version: 3\n{_GOOD}",
        "duplicate-approval",
        10,
        "accepts version 3 again",
        "",
    ),
    (
        "not a list",
        "        by: jane.doe\n",
        "invalid-type",
        7,
        "accepted_breaks in subject 'shop.Geo' must be a list of approvals",
        "",
    ),
    ("an item not a mapping", "      - just text\n", "invalid-type", 7, "must be a mapping", ""),
]


@pytest.mark.parametrize(
    ("items", "rule", "line", "message", "hint"),
    [c[1:] for c in ERRORS],
    ids=[c[0] for c in ERRORS],
)
def test_a_bad_approval_is_an_error_at_its_line(
    tmp_path: Path, items: str, rule: str, line: int, message: str, hint: str
) -> None:
    write_repo(tmp_path, _with(items))
    with pytest.raises(DesiredStateError) as refused:
        load_desired(tmp_path)
    errors = [d for d in refused.value.diagnostics if d.severity is Severity.ERROR]
    assert [(d.rule, d.path, d.line) for d in errors] == [
        (rule, "contracts/contracts.yml", line)
    ], errors
    assert message in errors[0].message
    assert hint in (errors[0].hint or "")


def test_a_past_due_until_is_a_warning_and_the_approval_is_kept(tmp_path: Path) -> None:
    write_repo(tmp_path, _with(f"      - digest: {DIGEST}\n{_GOOD}        until: 2020-01-31\n"))
    loaded = load_desired(tmp_path)
    (warning,) = loaded.warnings
    assert (warning.rule, warning.line, warning.severity) == (
        "expired-approval",
        10,
        Severity.WARNING,
    )
    assert "expired on 2020-01-31" in warning.message
    (kept,) = loaded.state.subjects["shop.Geo"].accepted_breaks
    assert kept.until == date(2020, 1, 31)


def test_a_quoted_until_is_read_as_a_date(tmp_path: Path) -> None:
    write_repo(tmp_path, _with(f'      - digest: {OTHER}\n{_GOOD}        until: "2999-01-01"\n'))
    (kept,) = load_desired(tmp_path).state.subjects["shop.Geo"].accepted_breaks
    assert kept.until == date(2999, 1, 1)


def test_digest_and_version_together_are_one_approval(tmp_path: Path) -> None:
    write_repo(tmp_path, _with(f"      - digest: {DIGEST}\n        version: 2\n{_GOOD}"))
    (kept,) = load_desired(tmp_path).state.subjects["shop.Geo"].accepted_breaks
    assert (kept.digest, kept.version) == (DIGEST, 2)
