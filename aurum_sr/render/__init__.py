"""⑥ Rendering: every word and document a command prints, in every output format.

One :class:`OutputFormat` serves every command; :mod:`aurum_sr.render.formats` says which
formats each document has, and :mod:`aurum_sr.render.color` holds the one color rule. A module
per document (``validate``, ``check``, ``apply``, ``status``) or per format (``human``,
``json``, ``markdown``, ``github``, ``junit``) writes the text. Imports stay inside the
functions: the command line imports this package to build ``--help``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TextIO

from aurum_sr.render.color import use_color
from aurum_sr.render.formats import (
    DRIFT_FORMATS,
    PLAN_FORMATS,
    OutputFormat,
    accepted_format,
)
from aurum_sr.render.view import PlanView

if TYPE_CHECKING:
    from aurum_sr.diff.drift import DriftReport
    from aurum_sr.plan.model import Plan

PlanWriter = Callable[["Plan", TextIO, bool, PlanView], None]
DriftWriter = Callable[["DriftReport", TextIO, bool], None]


def plan_writers() -> Mapping[OutputFormat, PlanWriter]:
    """The writer of each plan format: ``(plan, stream, color, view)``; exactly
    :data:`PLAN_FORMATS`. Only human and Markdown output read the :class:`PlanView`."""
    from aurum_sr.render import github, human, json, junit, markdown

    return {
        OutputFormat.HUMAN: lambda plan, stream, color, view: human.render_plan(
            plan, stream, color=color, view=view
        ),
        OutputFormat.JSON: lambda plan, stream, _color, _view: json.render_plan(plan, stream),
        OutputFormat.MARKDOWN: lambda plan, stream, _color, view: markdown.render_plan(
            plan, stream, view=view
        ),
        OutputFormat.GITHUB: lambda plan, stream, _color, _view: github.render_plan(plan, stream),
        OutputFormat.JUNIT: lambda plan, stream, _color, _view: junit.render_plan(plan, stream),
    }


def drift_writers() -> Mapping[OutputFormat, DriftWriter]:
    """The writer of each drift-report format; exactly :data:`DRIFT_FORMATS`."""
    from aurum_sr.render import github, human, json, junit, markdown

    return {
        OutputFormat.HUMAN: lambda report, stream, color: human.render_drift(
            report, stream, color=color
        ),
        OutputFormat.JSON: lambda report, stream, _color: json.render_drift(report, stream),
        OutputFormat.MARKDOWN: lambda report, stream, _color: markdown.render_drift(report, stream),
        OutputFormat.GITHUB: lambda report, stream, _color: github.render_drift(report, stream),
        OutputFormat.JUNIT: lambda report, stream, _color: junit.render_drift(report, stream),
    }


def render(
    doc_or_plan: Plan | Mapping[str, Any],
    fmt: OutputFormat | str,
    stream: TextIO,
    *,
    color: bool = False,
    view: PlanView | None = None,
) -> None:
    """Render a plan (or a saved plan document, validated first) in ``fmt`` to ``stream``,
    as much of it as ``view`` asks for (by default: in full, Markdown within its budget).

    Raises:
        PlanFileError: ``doc_or_plan`` is a document that is modified or of another format.
        ValueError: ``fmt`` is not one of :class:`OutputFormat`.
        NotSupportedError: a plan has no ``fmt`` form.
    """
    from aurum_sr.plan.document import from_document
    from aurum_sr.plan.model import Plan

    output = accepted_format(fmt, PLAN_FORMATS, "a plan")
    plan = doc_or_plan if isinstance(doc_or_plan, Plan) else from_document(dict(doc_or_plan))
    plan_writers()[output](plan, stream, color, view or PlanView())


def render_drift(
    report: DriftReport, fmt: OutputFormat | str, stream: TextIO, *, color: bool = False
) -> None:
    """Render a drift report in ``fmt`` to ``stream``.

    Raises:
        ValueError: ``fmt`` is not one of :class:`OutputFormat`.
        NotSupportedError: a drift report has no ``fmt`` form.
    """
    output = accepted_format(fmt, DRIFT_FORMATS, "a drift report")
    drift_writers()[output](report, stream, color)


__all__ = [
    "OutputFormat",
    "PlanView",
    "drift_writers",
    "plan_writers",
    "render",
    "render_drift",
    "use_color",
]
