"""`aurum-sr apply`."""

from __future__ import annotations

from aurum_sr.cli.app import app
from aurum_sr.errors import NotSupportedError


@app.command("apply")
def apply_command() -> int:
    """Not built yet."""
    raise NotSupportedError("`aurum-sr apply` is not supported yet")
