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
    mode: Annotated[
        str, typer.Option("--mode", "-m", help="Compatibility level, e.g. BACKWARD, FULL.")
    ] = "BACKWARD",
    previous: Annotated[
        Optional[list[Path]],  # noqa: UP045 - typer reads the annotation at runtime (py3.10)
        typer.Option(
            "--previous", "-p", help="Older versions before OLD, oldest first (repeatable)."
        ),
    ] = None,
    output: Annotated[OutputFormat, format_option(CHECK_FORMATS, "-f")] = OutputFormat.HUMAN,
) -> int:
    """Check NEW against OLD (and --previous versions) the way the registry would.

    Exit 0 when compatible, 3 when incompatible, 1 on bad input.
    """
    from aurum_sr.compat import CompatibilityChecker
    from aurum_sr.render import use_color
    from aurum_sr.render.check import render_check

    history = [*(previous or []), old]
    result = CompatibilityChecker().check_against_history(history, new, mode)
    files = {i: str(path) for i, path in enumerate(history, start=1)}
    render_check(result, files, str(new), output, sys.stdout, color=use_color(sys.stdout))
    return EXIT_OK if result.is_compatible else EXIT_INCOMPATIBLE
