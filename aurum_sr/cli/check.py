"""`aurum-sr check OLD.avsc NEW.avsc`: would the registry accept NEW after OLD?"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from aurum_sr.cli.app import app
from aurum_sr.cli.options import format_option
from aurum_sr.errors import EXIT_INCOMPATIBLE, EXIT_OK
from aurum_sr.render.formats import CHECK_FORMATS, OutputFormat


@app.command("check")
def check_command(
    old: Annotated[Path, typer.Argument(help="The latest registered version (.avsc).")],
    new: Annotated[Path, typer.Argument(help="The candidate schema (.avsc).")],
    level: Annotated[
        Optional[str],  # noqa: UP045 - typer reads the annotation at runtime (py3.10)
        typer.Option(
            "--level",
            "-l",
            metavar="LEVEL",
            help="Compatibility level to check under, e.g. BACKWARD, FULL_TRANSITIVE "
            "[default: BACKWARD].",
        ),
    ] = None,
    mode: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--mode", "-m", hidden=True, help="Deprecated: the old name of --level."),
    ] = None,
    previous: Annotated[
        Optional[list[Path]],  # noqa: UP045 - typer reads the annotation at runtime (py3.10)
        typer.Option(
            "--previous", "-p", help="Older versions before OLD, oldest first (repeatable)."
        ),
    ] = None,
    output: Annotated[OutputFormat, format_option(CHECK_FORMATS, "-f")] = OutputFormat.HUMAN,
) -> int:
    """Check NEW against OLD (and --previous versions) the way the registry would, under the
    compatibility --level.

    Exit 0 when compatible, 3 when incompatible, 1 on bad input.
    """
    from aurum_sr.compat import CompatibilityChecker
    from aurum_sr.render import use_color
    from aurum_sr.render.check import render_check

    history = [*(previous or []), old]
    wanted = _level(level, mode)
    result = CompatibilityChecker().check_against_history(history, new, wanted)
    files = {i: str(path) for i, path in enumerate(history, start=1)}
    render_check(result, files, str(new), output, sys.stdout, color=use_color(sys.stdout))
    return EXIT_OK if result.is_compatible else EXIT_INCOMPATIBLE


def _level(level: str | None, mode: str | None) -> str:
    """The level from ``--level``, or from its deprecated old name ``--mode`` (elsewhere a mode
    is READWRITE, READONLY or IMPORT, so ``check`` names the compatibility level ``--level``).

    Raises:
        ConfigError: both were given.
    """
    if mode is None:
        return level or "BACKWARD"
    if level is not None:
        from aurum_sr.errors import ConfigError

        raise ConfigError(
            "--mode is the old name of --level; give only one",
            hint=f"use --level {level}",
        )
    print(
        f"warning: `check --mode` is deprecated; it is the compatibility level: use --level {mode}",
        file=sys.stderr,
    )
    return mode
