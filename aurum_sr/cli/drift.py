"""`aurum-sr drift`."""

from __future__ import annotations

from aurum_sr.cli.app import app
from aurum_sr.errors import NotSupportedError


@app.command("drift")
def drift_command() -> int:
    """Not built yet."""
    raise NotSupportedError("`aurum-sr drift` is not supported yet")
