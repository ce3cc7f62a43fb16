"""`aurum-sr drift`: what changed in the registry outside git (the nightly job)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from aurum_sr.cli import observe
from aurum_sr.cli.app import app
from aurum_sr.cli.options import CONTRACTS_HELP, ENV_HELP, REGISTRY_HELP, ROOT_HELP, format_option
from aurum_sr.errors import EXIT_CHANGES, EXIT_OK
from aurum_sr.render.formats import DRIFT_FORMATS, OutputFormat


@app.command(
    "drift",
    short_help="Report what changed in the registry outside git.",
)
def drift_command(
    root: str = typer.Option(".", "--root", help=ROOT_HELP),
    registry: str | None = typer.Option(None, "--registry", help=REGISTRY_HELP),
    env: str | None = typer.Option(None, "--env", metavar="NAME", help=ENV_HELP),
    output: Annotated[OutputFormat, format_option(DRIFT_FORMATS)] = OutputFormat.HUMAN,
    contracts: str | None = typer.Option(None, "--contracts", help=CONTRACTS_HELP),
    out: str | None = typer.Option(
        None, "--out", help="Save the drift report (JSON) for `aurum-sr github report/issue`."
    ),
    detailed_exitcode: bool = typer.Option(
        True,
        "--detailed-exitcode/--no-detailed-exitcode",
        help="Exit 2 when the registry drifted (the default, as plan --detailed-exitcode does "
        "for changes); with --no-detailed-exitcode drift found and reported exits 0.",
    ),
) -> int:
    """Classify every difference between the registry and the contracts.

    Exit 0: in sync (or drifted, with --no-detailed-exitcode); 2: drifted; 1: errors.

    \b
    Example: aurum-sr drift --registry https://registry.example.com --out drift.json
    """
    from aurum_sr import pipeline
    from aurum_sr.cli.options import (
        check_writable,
        desired_and_live,
        reading_progress,
        registry_config,
        write_output,
    )
    from aurum_sr.render import render_drift, use_color

    observe.environment(env)
    if out is not None:
        check_writable(out, "drift report")

    from aurum_sr.config import several

    if several(env):
        assert env is not None
        return _drift_environments(root, env, registry, contracts, output, out, detailed_exitcode)
    if env is not None:
        from aurum_sr.cli.options import environments_desired_and_live
        from aurum_sr.environments import drift_environments

        if registry is not None:
            registry_config(registry, root=root, env=env)  # refused: --registry with --env
        with environments_desired_and_live(root, contracts, env) as (_, targets):
            report = drift_environments(targets)[0][1]
    else:
        with desired_and_live(root, registry, contracts, None, env) as (loaded, source, latest):
            report = pipeline.drift(loaded.state, source, reading=reading_progress, latest=latest)
            observe.managed(loaded.state)
    observe.drift(report)
    if out is not None:
        from aurum_sr.render.json import drift_document

        write_output(
            out, json.dumps(drift_document(report), indent=2, sort_keys=True) + "\n", "drift report"
        )
    render_drift(report, output, sys.stdout, color=use_color(sys.stdout))
    return EXIT_CHANGES if report.drifted and detailed_exitcode else EXIT_OK


def _drift_environments(
    root: str,
    env: str,
    registry: str | None,
    contracts: str | None,
    output: OutputFormat,
    out: str | None,
    detailed_exitcode: bool,
) -> int:
    """``drift --env all`` (or several names): every environment's drift, read concurrently,
    grouped by environment; exit 2 when any drifted."""
    from aurum_sr.cli.options import environments_desired_and_live, registry_config, write_output
    from aurum_sr.environments import drift_environments
    from aurum_sr.render import use_color
    from aurum_sr.render.environments import drifts_document, render_drifts

    if registry is not None:
        registry_config(registry, root=root, env=env)  # refused: --registry with --env
    with environments_desired_and_live(root, contracts, env) as (_, targets):
        reports = drift_environments(targets)
    if out is not None:
        text = json.dumps(drifts_document(reports), indent=2, sort_keys=True) + "\n"
        write_output(out, text, "drift report")
    render_drifts(reports, output, sys.stdout, color=use_color(sys.stdout))
    drifted = any(r.drifted for _, r in reports)
    return EXIT_CHANGES if drifted and detailed_exitcode else EXIT_OK
