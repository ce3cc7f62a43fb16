"""`aurum-sr plan`."""

from __future__ import annotations

from aurum_sr.cli.app import app
from aurum_sr.errors import NotSupportedError


@app.command("plan")
def plan_command() -> int:
    """Not built yet."""
    raise NotSupportedError("`aurum-sr plan` is not supported yet")
