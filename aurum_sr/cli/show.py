"""`aurum-sr show`: render a saved plan."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from aurum_sr.cli.app import app
from aurum_sr.cli.options import PlanFormat
from aurum_sr.errors import EXIT_OK


@app.command("show")
def show_command(
    plan_file: str = typer.Argument(..., metavar="PLAN_FILE", help="A plan saved by `plan --out`."),
    output: Annotated[
        PlanFormat, typer.Option("--format", help="human, json, markdown or github.")
    ] = PlanFormat.HUMAN,
) -> int:
    """Render a saved plan (its format version and digest are checked first)."""
    from aurum_sr.cli.options import read_plan_file, use_color
    from aurum_sr.render import render

    plan = read_plan_file(plan_file)
    render(plan, output.value, sys.stdout, color=use_color(sys.stdout))
    return EXIT_OK
