"""⑥ Rendering: a plan document or drift report → human text, JSON, Markdown, annotations."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any, TextIO

from typing_extensions import assert_never

from aurum_sr.diff.drift import DriftReport
from aurum_sr.plan.document import from_document
from aurum_sr.plan.model import Plan


class OutputFormat(str, Enum):
    """The formats every renderer supports."""

    HUMAN = "human"
    JSON = "json"
    MARKDOWN = "markdown"
    GITHUB = "github"


def render(
    doc_or_plan: Plan | Mapping[str, Any],
    fmt: OutputFormat | str,
    stream: TextIO,
    *,
    color: bool = False,
) -> None:
    """Render a plan (or a saved plan document, validated first) in ``fmt`` to ``stream``.

    Raises:
        PlanFileError: ``doc_or_plan`` is a document that is modified or of another format.
        ValueError: ``fmt`` is not one of :class:`OutputFormat`.
    """
    from aurum_sr.render import github, human, json, markdown

    plan = doc_or_plan if isinstance(doc_or_plan, Plan) else from_document(dict(doc_or_plan))
    output = OutputFormat(fmt)
    if output is OutputFormat.HUMAN:
        human.render_plan(plan, stream, color=color)
    elif output is OutputFormat.JSON:
        json.render_plan(plan, stream)
    elif output is OutputFormat.MARKDOWN:
        markdown.render_plan(plan, stream)
    elif output is OutputFormat.GITHUB:
        github.render_plan(plan, stream)
    else:
        assert_never(output)


def render_drift(
    report: DriftReport, fmt: OutputFormat | str, stream: TextIO, *, color: bool = False
) -> None:
    """Render a drift report in ``fmt`` to ``stream``."""
    from aurum_sr.render import github, human, json, markdown

    output = OutputFormat(fmt)
    if output is OutputFormat.HUMAN:
        human.render_drift(report, stream, color=color)
    elif output is OutputFormat.JSON:
        json.render_drift(report, stream)
    elif output is OutputFormat.MARKDOWN:
        markdown.render_drift(report, stream)
    elif output is OutputFormat.GITHUB:
        github.render_drift(report, stream)
    else:
        assert_never(output)


__all__ = ["OutputFormat", "render", "render_drift"]
