"""`aurum-sr github report | comment | issue`: report a saved plan or drift report to GitHub
(job summary, annotations, step outputs, the sticky pull-request comment, the drift issue)."""

from __future__ import annotations

import io
import sys
from typing import TYPE_CHECKING, Any

import typer

from aurum_sr.cli.app import HELP_OPTIONS, app
from aurum_sr.cli.options import COMPACT_HELP, MARKDOWN_BUDGET_HELP
from aurum_sr.errors import EXIT_OK

if TYPE_CHECKING:
    from aurum_sr.diff.drift import DriftReport
    from aurum_sr.plan import Plan

github_app = typer.Typer(
    context_settings=HELP_OPTIONS,
    help="Report a saved plan or drift report to GitHub (job summary, annotations, the pull "
    "request comment, the drift issue). Reads GITHUB_TOKEN, GITHUB_REPOSITORY, "
    "GITHUB_EVENT_PATH and GITHUB_API_URL.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(
    github_app, name="github", short_help="Report a saved plan or drift report to GitHub."
)

KEY_HELP = (
    "Tells this comment or issue apart from others aurum-sr keeps in the same repository "
    "(e.g. one per registry): letters, digits, '.', '-', '_'."
)


@github_app.command(
    "report",
    short_help="Job summary, annotations and step outputs for a plan or drift.",
)
def report_command(
    document: str = typer.Argument(
        ..., metavar="FILE", help="A plan (`plan --out`) or drift report (`drift --out`)."
    ),
) -> int:
    """Append the Markdown to the job summary, print annotations (workflow commands) on stdout,
    and set step outputs: has-changes, blocked, summary (plan); drifted, drift-findings (drift).

    \b
    Example: aurum-sr github report plan.json
    """
    from aurum_sr.diff.drift import DriftReport
    from aurum_sr.github.actions import append_summary, set_outputs
    from aurum_sr.render import render, render_drift, words
    from aurum_sr.render.human import drift_summary

    loaded = _load(document)
    markdown = io.StringIO()
    if isinstance(loaded, DriftReport):
        render_drift(loaded, "markdown", markdown)
        render_drift(loaded, "github", sys.stdout)
        outputs = {
            "drifted": _flag(loaded.drifted),
            "drift-findings": str(len(loaded.findings)),
            "summary": drift_summary(loaded),
        }
    else:
        render(loaded, "markdown", markdown)
        render(loaded, "github", sys.stdout)
        outputs = {
            "has-changes": _flag(loaded.has_changes),
            "blocked": _flag(loaded.blocked),
            "summary": words.plan_summary(loaded),
        }
    if not append_summary(markdown.getvalue()):
        print("GITHUB_STEP_SUMMARY is not set: no job summary written.", file=sys.stderr)
    set_outputs(outputs)
    return EXIT_OK


@github_app.command(
    "comment",
    short_help="Create or update the plan comment on the pull request.",
)
def comment_command(
    plan_file: str = typer.Argument(..., metavar="PLAN_FILE", help="A plan saved by `plan --out`."),
    artifact_url: str | None = typer.Option(
        None, "--artifact-url", help="Where the full plan file is (linked from the comment)."
    ),
    pr: int | None = typer.Option(
        None, "--pr", min=1, help="The pull request [default: from GITHUB_EVENT_PATH]."
    ),
    key: str = typer.Option("plan", "--key", help=KEY_HELP),
    compact: bool = typer.Option(False, "--compact", help=COMPACT_HELP),
    markdown_budget: int | None = typer.Option(
        None, "--markdown-budget", metavar="BYTES", min=0, help=MARKDOWN_BUDGET_HELP
    ),
) -> int:
    """Create the plan comment on the pull request, or update it in place (found by a hidden
    marker). The plan's Markdown keeps to its budget (blocked subjects always shown); beyond
    GitHub's 65,536-character limit it is folded and cut as a last resort.

    \b
    Example: aurum-sr github comment plan.json
    """
    from aurum_sr.cli.options import plan_view, read_plan_file
    from aurum_sr.github.actions import set_outputs
    from aurum_sr.github.client import GitHubClient
    from aurum_sr.github.comment import plan_comment_body, upsert_comment
    from aurum_sr.github.context import github_context
    from aurum_sr.render import render, words

    _check_key(key)
    plan = read_plan_file(plan_file)
    context = github_context()
    number = pr if pr is not None else context.pull_request_number()
    markdown = io.StringIO()
    render(plan, "markdown", markdown, view=plan_view(compact=compact, budget=markdown_budget))
    body = plan_comment_body(
        markdown.getvalue(),
        summary=words.plan_summary(plan),
        key=key,
        full_at=artifact_url or context.run_url,
        run_id=plan.run_id,
    )
    with GitHubClient(context.api_url, context.token, context.repository) as client:
        result = upsert_comment(client, number, body, key=key)
    print(f"Plan comment {result.action.value} on pull request #{number}: {result.url}")
    set_outputs({"comment-url": result.url})
    return EXIT_OK


@github_app.command(
    "issue",
    short_help="Open, update or close the drift issue.",
)
def issue_command(
    drift_file: str = typer.Argument(
        ..., metavar="DRIFT_FILE", help="A drift report saved by `drift --out`."
    ),
    label: str = typer.Option("schema-drift", "--label", help="The drift issue's label."),
    key: str = typer.Option("drift", "--key", help=KEY_HELP),
) -> int:
    """Open the drift issue (one, labelled), update it while drift remains, and close it with
    a comment once the registry matches the contracts again.

    \b
    Example: aurum-sr github issue drift.json
    """
    from aurum_sr.diff.drift import DriftReport
    from aurum_sr.github.actions import set_outputs
    from aurum_sr.github.client import GitHubClient
    from aurum_sr.github.context import github_context
    from aurum_sr.github.issue import sync_drift_issue
    from aurum_sr.render import render_drift
    from aurum_sr.render.human import drift_summary

    _check_key(key)
    report = _load(drift_file)
    if not isinstance(report, DriftReport):
        from aurum_sr.errors import PlanFileError

        raise PlanFileError(
            f"{drift_file} is a plan, not a drift report",
            hint="save a drift report with `aurum-sr drift --out drift.json`",
        )
    context = github_context()
    markdown = io.StringIO()
    render_drift(report, "markdown", markdown)
    with GitHubClient(context.api_url, context.token, context.repository) as client:
        result = sync_drift_issue(
            client,
            drifted=report.drifted,
            findings=len(report.findings),
            markdown=markdown.getvalue(),
            summary=drift_summary(report),
            run_url=context.run_url,
            label=label,
            key=key,
        )
    if result.number is None:
        print("No drift and no open drift issue: nothing to do.")
    else:
        print(f"Drift issue #{result.number} {result.action.value}: {result.url}")
        set_outputs({"issue-url": result.url or ""})
    return EXIT_OK


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _check_key(key: str) -> None:
    from aurum_sr.errors import ConfigError
    from aurum_sr.github.body import marker

    try:
        marker("plan", key)
    except ValueError as exc:
        raise ConfigError(f"--key: {exc}") from None


def _load(path: str) -> Plan | DriftReport:
    """A saved plan or drift report, told apart by the drift report's ``drifted`` key.

    Raises:
        PlanFileError: unreadable, or neither document.
    """
    from aurum_sr.cli.options import read_plan_file
    from aurum_sr.errors import PlanFileError
    from aurum_sr.formats import bounded
    from aurum_sr.render.json import drift_from_document

    try:
        document: Any = bounded.loads(bounded.read_text(path))
    except (OSError, bounded.InputFileError, ValueError) as exc:
        reason = (
            exc.message
            if isinstance(exc, bounded.InputFileError)
            else exc.strerror
            if isinstance(exc, OSError)
            else f"not JSON text ({exc})"
        )
        raise PlanFileError(
            f"cannot read {path}: {reason}",
            hint="save a plan with `aurum-sr plan --out plan.json` or a drift report with "
            "`aurum-sr drift --out drift.json`",
        ) from None
    if isinstance(document, dict) and "drifted" in document:
        try:
            return drift_from_document(document)
        except PlanFileError as exc:
            raise PlanFileError(f"{path}: {exc.message}", hint=exc.hint) from None
    return read_plan_file(path)
