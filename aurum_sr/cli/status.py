"""`aurum-sr status`: is the registry reachable, what version, how much does it hold."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from aurum_sr.cli.app import app
from aurum_sr.cli.options import ENV_HELP, format_option
from aurum_sr.render.formats import STATUS_FORMATS, OutputFormat


@app.command(
    "status",
    short_help="Is the registry reachable; its version, counts and settings.",
)
def status_command(
    registry: str | None = typer.Option(
        None,
        "--registry",
        help="Registry URL: http(s)://HOST, file:PATH (a snapshot) or memory:. "
        "Default: $SCHEMA_REGISTRY_URL, else file:registry/snapshot.json.",
    ),
    env: str | None = typer.Option(None, "--env", metavar="NAME", help=ENV_HELP),
    output: Annotated[OutputFormat, format_option(STATUS_FORMATS)] = OutputFormat.HUMAN,
) -> int:
    """Show whether the registry is reachable, its version, counts and global settings.

    \b
    Example: aurum-sr status --registry https://registry.example.com --format json
    """
    from aurum_sr.cli.options import registry_config, snapshot_file
    from aurum_sr.errors import RegistryStateError, SchemaRegistryConnectionError
    from aurum_sr.registry import open_registry
    from aurum_sr.render import use_color
    from aurum_sr.render.status import render_status

    config = registry_config(registry, env=env)
    missing = snapshot_file(config)
    if missing is not None and not missing.is_file():
        raise RegistryStateError(
            f"registry snapshot {missing} does not exist (missing, not reachable)",
            registry=config.safe_url,
            hint="check the path, or export one with `aurum-sr snapshot export --out PATH`",
        )
    backend = open_registry(config)
    try:
        status = backend.status()
    finally:
        backend.close()
    if not status.reachable:
        raise SchemaRegistryConnectionError(
            status.error or f"registry {status.registry} is unreachable",
            registry=status.registry,
            hint="check the URL, the network and the credentials (--registry or "
            "SCHEMA_REGISTRY_URL)",
        )
    render_status(status, output, sys.stdout, color=use_color(sys.stdout))
    return 0
