"""`aurum-sr show`: render a saved plan."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from aurum_sr.cli.app import app
from aurum_sr.cli.options import format_option
from aurum_sr.errors import EXIT_OK
from aurum_sr.render.formats import PLAN_FORMATS, OutputFormat


@app.command(
    "show",
    short_help="Render a saved plan.",
)
def show_command(
    plan_file: str = typer.Argument(..., metavar="PLAN_FILE", help="A plan saved by `plan --out`."),
    output: Annotated[OutputFormat, format_option(PLAN_FORMATS)] = OutputFormat.HUMAN,
) -> int:
    """Render a saved plan (its format version and digest are checked first).

    \b
    Example: aurum-sr show plan.json --format markdown
    """
    from aurum_sr.cli.options import read_plan_file
    from aurum_sr.render import render, use_color

    plan = read_plan_file(plan_file)
    render(plan, output, sys.stdout, color=use_color(sys.stdout))
    return EXIT_OK
