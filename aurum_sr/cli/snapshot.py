"""`aurum-sr snapshot ...`."""

from __future__ import annotations

from aurum_sr.cli.app import snapshot_app
from aurum_sr.errors import NotSupportedError


@snapshot_app.command("export")
def export_command() -> int:
    """Not built yet."""
    raise NotSupportedError("`aurum-sr snapshot export` is not supported yet")
