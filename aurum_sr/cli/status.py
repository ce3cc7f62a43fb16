"""`aurum-sr status`: is the registry reachable, what version, how much does it hold."""

from __future__ import annotations

import typer

from aurum_sr.cli.app import app


@app.command("status")
def status_command(
    registry: str | None = typer.Option(
        None,
        "--registry",
        help="Registry URL: http(s)://HOST, file:PATH (a snapshot) or memory:. "
        "Default: $SCHEMA_REGISTRY_URL, else file:registry/snapshot.json.",
    ),
) -> int:
    """Show whether the registry is reachable, its version, counts and global settings."""
    from aurum_sr.cli.options import registry_config
    from aurum_sr.errors import SchemaRegistryConnectionError
    from aurum_sr.registry import open_registry

    config = registry_config(registry)
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
    rows = [
        ("registry", status.registry),
        ("reachable", "yes"),
        ("server version", status.server_version or "unknown"),
        ("subjects", str(status.total_subjects)),
        ("schemas", str(status.total_schemas)),
        (
            "compatibility",
            status.global_compatibility.value if status.global_compatibility else "?",
        ),
        ("mode", status.global_mode.value if status.global_mode else "?"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        typer.echo(f"{key + ':':<{width + 1}} {value}")
    return 0
