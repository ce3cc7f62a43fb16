"""`aurum-sr show`."""

from __future__ import annotations

from aurum_sr.cli.app import app
from aurum_sr.errors import NotSupportedError


@app.command("show")
def show_command() -> int:
    """Not built yet."""
    raise NotSupportedError("`aurum-sr show` is not supported yet")
