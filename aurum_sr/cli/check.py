"""`aurum-sr check`."""

from __future__ import annotations

from aurum_sr.cli.app import app
from aurum_sr.errors import NotSupportedError


@app.command("check")
def check_command() -> int:
    """Not built yet."""
    raise NotSupportedError("`aurum-sr check` is not supported yet")
