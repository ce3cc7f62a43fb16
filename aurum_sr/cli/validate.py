"""`aurum-sr validate`: check the desired state offline and report every problem."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from aurum_sr.cli.app import app
from aurum_sr.cli.options import format_option
from aurum_sr.cli.state import RUN
from aurum_sr.errors import EXIT_ERROR, EXIT_OK
from aurum_sr.render.formats import VALIDATE_FORMATS, OutputFormat


@app.command(
    "validate",
    short_help="Check the contracts and schema files offline.",
)
def validate_command(
    root: str = typer.Option(".", "--root", help="Repository root (holds contracts/, schemas/)."),
    contracts: str | None = typer.Option(
        None,
        "--contracts",
        help="Contracts file, relative to the root [default: from config, else "
        "contracts/contracts.yml].",
    ),
    output: Annotated[OutputFormat, format_option(VALIDATE_FORMATS)] = OutputFormat.HUMAN,
    strict: bool = typer.Option(
        False, "--strict", help="Schema files that no contract lists are errors, not warnings."
    ),
) -> int:
    """Check contracts.yml and the schema files offline; exit 0 when valid, 1 when not.

    \b
    Example: aurum-sr validate --format json
    """
    from aurum_sr.config import load_config
    from aurum_sr.desired import load_desired
    from aurum_sr.errors import DesiredStateError
    from aurum_sr.render import use_color
    from aurum_sr.render.validate import render_validation

    config = load_config(
        root,
        overrides={
            "contracts_path": contracts,
            "fail_on_missing_contract": True if strict else None,
        },
    )
    color = use_color(sys.stdout)
    try:
        loaded = load_desired(
            root, contracts=config.contracts_path, strict=config.fail_on_missing_contract
        )
    except DesiredStateError as exc:
        # With --debug the error boundary prints the traceback and every diagnostic instead.
        if output is not OutputFormat.HUMAN or not RUN.debug:
            render_validation(False, (), exc.diagnostics, output, sys.stdout, color=color)
        if RUN.debug:
            raise
        return EXIT_ERROR
    subjects = tuple(loaded.state.subjects)
    render_validation(True, subjects, loaded.warnings, output, sys.stdout, color=color)
    return EXIT_OK
