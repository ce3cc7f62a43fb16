"""The one output-format type every command shares, and which formats each document has.

A command accepts the formats of the document it prints (``--format`` lists exactly those), so
adding a format to a document here and a module beside this one is all a new format takes.
This module imports nothing heavy: the command line reads it to build ``--help``.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from aurum_sr.errors import NotSupportedError


class OutputFormat(str, Enum):
    """How a command prints what it found."""

    HUMAN = "human"
    """For people: plain text, colored on a terminal (see :mod:`aurum_sr.render.color`)."""
    JSON = "json"
    """For machines: one JSON document with a ``format_version``."""
    MARKDOWN = "markdown"
    """A pull-request comment (GitHub-flavoured Markdown)."""
    GITHUB = "github"
    """GitHub Actions workflow commands: annotations on the schema lines."""
    JUNIT = "junit"
    """JUnit XML: one test suite, one test case per subject (CI test reports)."""


_F = OutputFormat

PLAN_FORMATS: tuple[OutputFormat, ...] = (_F.HUMAN, _F.JSON, _F.MARKDOWN, _F.GITHUB, _F.JUNIT)
"""``plan`` and ``show``."""
DRIFT_FORMATS: tuple[OutputFormat, ...] = (_F.HUMAN, _F.JSON, _F.MARKDOWN, _F.GITHUB, _F.JUNIT)
"""``drift``."""
VALIDATE_FORMATS: tuple[OutputFormat, ...] = (_F.HUMAN, _F.JSON, _F.JUNIT)
"""``validate``."""
CHECK_FORMATS: tuple[OutputFormat, ...] = (_F.HUMAN, _F.JSON, _F.JUNIT)
"""``check``."""
CHECK_AGAINST_FORMATS: tuple[OutputFormat, ...] = (_F.HUMAN, _F.JSON, _F.GITHUB, _F.JUNIT)
"""``check --against``."""
APPLY_FORMATS: tuple[OutputFormat, ...] = (_F.HUMAN, _F.JSON)
"""``apply`` (human output shows live progress)."""
STATUS_FORMATS: tuple[OutputFormat, ...] = (_F.HUMAN, _F.JSON)
"""``status``."""
HISTORY_FORMATS: tuple[OutputFormat, ...] = (_F.HUMAN, _F.JSON, _F.MARKDOWN)
"""``history``."""

_NOTES = {
    _F.MARKDOWN: "a pull-request comment",
    _F.GITHUB: "workflow annotations",
    _F.JUNIT: "a JUnit XML test report",
}


def describe(accepted: Sequence[OutputFormat]) -> str:
    """The ``--format`` help, e.g. ``Output format: human or markdown (a pull-request comment).``"""
    names = [f"{f.value} ({_NOTES[f]})" if f in _NOTES else f.value for f in accepted]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"Output format: {listed}."


def accepted_format(
    fmt: OutputFormat | str, accepted: Sequence[OutputFormat], document: str
) -> OutputFormat:
    """``fmt`` as an :class:`OutputFormat`, checked against the formats of ``document``.

    Raises:
        ValueError: ``fmt`` is no output format at all.
        NotSupportedError: ``document`` has no ``fmt`` form.
    """
    output = OutputFormat(fmt)
    if output not in accepted:
        raise NotSupportedError(
            f"{document} has no {output.value} output",
            hint=f"use one of {', '.join(f.value for f in accepted)}",
        )
    return output


__all__ = [
    "APPLY_FORMATS",
    "CHECK_FORMATS",
    "DRIFT_FORMATS",
    "HISTORY_FORMATS",
    "PLAN_FORMATS",
    "STATUS_FORMATS",
    "VALIDATE_FORMATS",
    "OutputFormat",
    "accepted_format",
    "describe",
]
