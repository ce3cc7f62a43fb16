"""`aurum-sr codegen`."""

from __future__ import annotations

from aurum_sr.cli.app import app
from aurum_sr.errors import NotSupportedError


@app.command("codegen")
def codegen_command() -> int:
    """Not built yet."""
    raise NotSupportedError("`aurum-sr codegen` is not supported yet")
