"""The typer applications every command registers on."""

from __future__ import annotations

import typer

# `-h` is `--help` on every command (click hands the setting down to subcommands).
HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    context_settings=HELP_OPTIONS,
    name="aurum-sr",
    help="GitOps for Kafka schema registries: validate, plan, check, apply, drift.\n\n"
    "Global options (--debug) go before or after the command; -h shows any command's help.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)

snapshot_app = typer.Typer(
    context_settings=HELP_OPTIONS,
    help="Registry snapshot files (the offline registry).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(snapshot_app, name="snapshot")
