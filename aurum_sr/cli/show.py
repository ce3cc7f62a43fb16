"""`aurum-sr show`: render a saved plan."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from aurum_sr.cli.app import app
from aurum_sr.cli.options import (
    COMPACT_HELP,
    DIFF_HELP,
    MARKDOWN_BUDGET_HELP,
    format_option,
    plan_view,
)
from aurum_sr.errors import EXIT_OK
from aurum_sr.render.formats import PLAN_FORMATS, OutputFormat


@app.command(
    "show",
    short_help="Render a saved plan.",
)
def show_command(
    plan_file: str = typer.Argument(..., metavar="PLAN_FILE", help="A plan saved by `plan --out`."),
    output: Annotated[OutputFormat, format_option(PLAN_FORMATS)] = OutputFormat.HUMAN,
    compact: bool = typer.Option(False, "--compact", help=COMPACT_HELP),
    diff: bool = typer.Option(False, "--diff", help=DIFF_HELP),
    markdown_budget: int | None = typer.Option(
        None, "--markdown-budget", metavar="BYTES", min=0, help=MARKDOWN_BUDGET_HELP
    ),
) -> int:
    """Render a saved plan (its format version and digest are checked first).

    \b
    Example: aurum-sr show plan.json --format markdown --compact
    """
    from aurum_sr.cli.options import read_plan_file
    from aurum_sr.render import render, use_color

    plan = read_plan_file(plan_file)
    render(
        plan,
        output,
        sys.stdout,
        color=use_color(sys.stdout),
        view=plan_view(compact=compact, diff=diff, budget=markdown_budget),
    )
    return EXIT_OK
