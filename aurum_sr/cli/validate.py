"""`aurum-sr validate`."""

from __future__ import annotations

from aurum_sr.cli.app import app
from aurum_sr.errors import NotSupportedError


@app.command("validate")
def validate_command() -> int:
    """Not built yet."""
    raise NotSupportedError("`aurum-sr validate` is not supported yet")
