"""`aurum-sr drift`: what changed in the registry outside git (the nightly job)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from aurum_sr.cli.app import app
from aurum_sr.cli.options import CONTRACTS_HELP, REGISTRY_HELP, ROOT_HELP, PlanFormat
from aurum_sr.errors import EXIT_CHANGES, EXIT_OK


@app.command("drift")
def drift_command(
    root: str = typer.Option(".", "--root", help=ROOT_HELP),
    registry: str | None = typer.Option(None, "--registry", help=REGISTRY_HELP),
    output: Annotated[
        PlanFormat, typer.Option("--format", help="human, json, markdown or github.")
    ] = PlanFormat.HUMAN,
    contracts: str | None = typer.Option(None, "--contracts", help=CONTRACTS_HELP),
) -> int:
    """Classify every difference between the registry and the contracts.

    Exit 0: in sync; 2: drifted; 1: errors.
    """
    from aurum_sr import pipeline
    from aurum_sr.cli.options import desired_and_live, reading_progress, use_color
    from aurum_sr.render import render_drift

    with desired_and_live(root, registry, contracts, None) as (loaded, source, latest):
        report = pipeline.drift(loaded.state, source, reading=reading_progress, latest=latest)
    render_drift(report, output.value, sys.stdout, color=use_color(sys.stdout))
    return EXIT_CHANGES if report.drifted else EXIT_OK
