"""`aurum-sr snapshot export`: copy a registry into a snapshot file a plan can run against."""

from __future__ import annotations

import typer

from aurum_sr.cli.app import snapshot_app
from aurum_sr.cli.options import ENV_HELP


@snapshot_app.command("export", short_help="Write the registry to a snapshot file.")
def export_command(
    out: str | None = typer.Option(
        None,
        "--out",
        help="The snapshot file to write (replaced). Default with --env: the environment's "
        "snapshot file.",
    ),
    registry: str | None = typer.Option(
        None,
        "--registry",
        help="The registry to export. Default: $SCHEMA_REGISTRY_URL, else "
        "file:registry/snapshot.json.",
    ),
    env: str | None = typer.Option(None, "--env", metavar="NAME", help=ENV_HELP),
    subject_prefix: str | None = typer.Option(
        None, "--subject-prefix", help="Only subjects starting with this (and what they reference)."
    ),
) -> int:
    """Write the registry's subjects, versions (soft-deleted ones too), ids, references,
    compatibility levels and modes to a snapshot file, so that pull requests without registry
    credentials can plan against it (--registry file:FILE).

    \b
    Example: aurum-sr snapshot export --registry https://sr.example.com --out snapshot.json
    """
    from aurum_sr.cli.options import check_writable, environment_snapshot, registry_config
    from aurum_sr.registry import open_registry
    from aurum_sr.registry.export import export_state
    from aurum_sr.registry.snapshot import SnapshotRegistry

    if out is None:
        out = environment_snapshot(env)
    check_writable(out, "snapshot")
    source = open_registry(registry_config(registry, env=env))
    try:
        state = export_state(source, prefix=subject_prefix or "")
    finally:
        source.close()
    target = SnapshotRegistry(out, create=True)
    target.replace_state(state)
    versions = sum(len(s.versions) for s in state.subjects.values())
    ids = {v.schema_id for s in state.subjects.values() for v in s.versions}
    typer.echo(
        f"wrote {out}: {len(state.subjects)} subject(s), {versions} version(s), "
        f"{len(ids)} schema(s) from {source.name}"
    )
    return 0
