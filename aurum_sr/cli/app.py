"""The typer applications every command registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="aurum-sr",
    help="GitOps for Kafka schema registries: validate, plan, check, apply, drift.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)

snapshot_app = typer.Typer(
    help="Registry snapshot files (the offline registry).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(snapshot_app, name="snapshot")
