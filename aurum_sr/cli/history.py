"""`aurum-sr history`: how subjects' schemas and contracts evolved in git."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from aurum_sr.cli.app import app
from aurum_sr.cli.options import CONTRACTS_HELP, ROOT_HELP, format_option
from aurum_sr.errors import EXIT_OK
from aurum_sr.render.formats import HISTORY_FORMATS, OutputFormat


@app.command(
    "history",
    short_help="Show how subjects' schemas and contracts changed in git, with verdicts.",
)
def history_command(
    subject: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(metavar="SUBJECT", help="The subject to show [default: every one]."),
    ] = None,
    root: str = typer.Option(".", "--root", help=ROOT_HELP),
    contracts: str | None = typer.Option(None, "--contracts", help=CONTRACTS_HELP),
    ref: str = typer.Option("HEAD", "--ref", help="The commit to read the history up to."),
    output: Annotated[OutputFormat, format_option(HISTORY_FORMATS)] = OutputFormat.HUMAN,
) -> int:
    """For each commit that changed a subject's schema file (renames followed) or its contract
    entry: the commit, author and date, the version the schema became, its category (first,
    breaking, non-breaking, risky, cosmetic, contract) with the compatibility verdict under the
    level the contracts set at that commit, and the breaking changes named.

    Reads git only: no registry. Exit 0; 1: not a git clone, an unknown ref or subject.

    \b
    Example: aurum-sr history aurum.eia.series-value --format markdown
    """
    from aurum_sr.config import load_config
    from aurum_sr.history import read_history
    from aurum_sr.render import use_color
    from aurum_sr.render.history import render_history

    config = load_config(root, overrides={"contracts_path": contracts})
    histories, shallow = read_history(
        root, [subject] if subject else (), contracts_path=config.contracts_path, ref=ref
    )
    render_history(histories, output, sys.stdout, shallow=shallow, color=use_color(sys.stdout))
    return EXIT_OK
