"""`aurum-sr status`."""

from __future__ import annotations

from aurum_sr.cli.app import app
from aurum_sr.errors import NotSupportedError


@app.command("status")
def status_command() -> int:
    """Not built yet."""
    raise NotSupportedError("`aurum-sr status` is not supported yet")
