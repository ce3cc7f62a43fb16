"""`aurum-sr import`: contracts and schema files from an existing registry or .avsc folder."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, TypeVar

import typer

from aurum_sr.cli.app import app
from aurum_sr.cli.options import ENV_HELP, REGISTRY_HELP

if TYPE_CHECKING:
    from aurum_sr.adopt import ImportResult

ROOT_HELP = "The repository to write contracts/ and schemas/ into."
PREFIX_OPTION = typer.Option(
    None,
    "--subject-prefix",
    metavar="PREFIX",
    help="Only subjects starting with this (repeatable); each becomes an owned prefix.",
)


@app.command(
    "import",
    short_help="Write contracts and schema files from a registry or folder.",
)
def import_command(
    registry: str | None = typer.Option(None, "--registry", help=REGISTRY_HELP),
    env: str | None = typer.Option(None, "--env", metavar="NAME", help=ENV_HELP),
    root: str = typer.Option(".", "--root", help=ROOT_HELP),
    subject_prefix: list[str] | None = PREFIX_OPTION,
    match: str | None = typer.Option(
        None, "--match", help="Only subjects this regular expression matches (anywhere)."
    ),
    exclude: str | None = typer.Option(
        None, "--exclude", help="Leave out subjects this regular expression matches."
    ),
    include_deleted: bool = typer.Option(
        False,
        "--include-deleted",
        help="Record soft-deleted subjects as `lifecycle: absent` (left out by default).",
    ),
    merge: bool = typer.Option(
        False,
        "--merge",
        help="Add only the subjects contracts.yml does not list; keep everything in it.",
    ),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace contracts.yml."),
    skip_modes: bool = typer.Option(
        False,
        "--skip-modes",
        help="Do not read subject-level modes (one request per subject: registries have no bulk "
        "endpoint for them); no subject gets `mode:`.",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Print what would be written; write nothing."
    ),
    schema_dir: str | None = typer.Option(
        None,
        "--schema-dir",
        help="Instead of a registry: write contracts for the .avsc files under this folder.",
    ),
    naming_strategy: str | None = typer.Option(
        None,
        "--naming-strategy",
        help="With --schema-dir: how subjects are named: record (default), topic, "
        "topic_record or none (the file name).",
    ),
    topic: str | None = typer.Option(
        None,
        "--topic",
        help="With --schema-dir and the topic strategies: the topic, or a template with "
        "{stem}, {name}, {namespace}, {full_name} (e.g. 'shop.{stem}').",
    ),
    role: str | None = typer.Option(
        None,
        "--role",
        help="With --schema-dir --naming-strategy topic: key or value (default value) for "
        "files whose name does not end in -key / -value.",
    ),
) -> int:
    """Write contracts/contracts.yml and one .avsc per subject from an existing registry, so
    that the first `aurum-sr plan` says "No changes".

    \b
    Example: aurum-sr import --registry https://registry.example.com --subject-prefix orders.
    """
    from aurum_sr.adopt import FolderOptions, Selection, WriteMode, import_folder, import_registry
    from aurum_sr.cli.options import open_configured_registry, reading_progress
    from aurum_sr.errors import ConfigError
    from aurum_sr.model import NamingStrategy, Role

    if merge and overwrite:
        raise ConfigError(
            "--merge and --overwrite exclude each other",
            hint="--merge adds to contracts.yml, --overwrite replaces it: choose one",
        )
    mode = WriteMode.MERGE if merge else WriteMode.OVERWRITE if overwrite else WriteMode.NEW
    contracts = _contracts_path(root)
    folder_flags = {
        "--naming-strategy": naming_strategy,
        "--topic": topic,
        "--role": role,
    }
    if schema_dir is not None:
        registry_flags = {
            "--registry": registry,
            "--env": env,
            "--subject-prefix": subject_prefix or None,
            "--match": match,
            "--exclude": exclude,
            "--include-deleted": include_deleted or None,
            "--skip-modes": skip_modes or None,
        }
        used = [flag for flag, value in registry_flags.items() if value is not None]
        if used:
            raise ConfigError(
                f"--schema-dir and {used[0]} exclude each other",
                hint="--schema-dir imports a folder of .avsc files without a registry; "
                f"{used[0]} is for importing from a registry",
            )
        _report(
            import_folder(
                schema_dir,
                root,
                FolderOptions(
                    strategy=_choice(NamingStrategy, naming_strategy, "--naming-strategy")
                    or NamingStrategy.RECORD,
                    topic=topic,
                    role=_choice(Role, role, "--role") or Role.VALUE,
                ),
                mode=mode,
                dry_run=dry_run,
                contracts=contracts,
            )
        )
        return 0
    used = [flag for flag, value in folder_flags.items() if value is not None]
    if used:
        raise ConfigError(
            f"{used[0]} is for --schema-dir",
            hint="a registry import infers each subject's naming strategy, topic and role",
        )
    selection = Selection(
        prefixes=tuple(subject_prefix or ()),
        match=match,
        exclude=exclude,
        include_deleted=include_deleted,
    )
    source = open_configured_registry(root, registry, env)
    try:
        result = import_registry(
            source,
            root,
            selection,
            mode=mode,
            dry_run=dry_run,
            reading=reading_progress,
            modes=not skip_modes,
            contracts=contracts,
        )
    finally:
        source.close()
    _report(result)
    return 0


E = TypeVar("E", bound=Enum)


def _contracts_path(root: str) -> str:
    """Where the contracts go: the configured path (aurum-sr.toml), relative to ``root``."""
    from pathlib import Path

    from aurum_sr.config import load_config
    from aurum_sr.errors import ConfigError

    configured = Path(load_config(root).contracts_path)
    if not configured.is_absolute():
        return configured.as_posix()
    try:
        return configured.resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        raise ConfigError(
            f"the configured contracts_path {configured} is outside --root {root}",
            hint="import into the repository that holds it (--root), or configure a path "
            "relative to the root",
        ) from None


def _choice(enum: type[E], value: str | None, flag: str) -> E | None:
    from aurum_sr.errors import ConfigError

    if value is None:
        return None
    allowed = [member.value for member in enum]
    if value not in allowed:
        raise ConfigError(
            f"{flag} {value!r} is not one of {', '.join(allowed)}",
            hint=f"write {flag} {allowed[0]}",
        )
    return enum(value)


def _report(result: ImportResult) -> None:
    from aurum_sr.adopt.draft import ALREADY_LISTED

    draft = result.draft
    if result.dry_run:
        typer.echo(f"--- {result.contracts_path} (not written)")
        typer.echo(result.contracts_text, nl=False)
        typer.echo("---")
    verb = "would write" if result.dry_run else "wrote"
    typer.echo(
        f"imported {len(draft.present)} subject(s) from {result.source}"
        + (f", {len(draft.absent)} soft-deleted as lifecycle: absent" if draft.absent else "")
    )
    listed = [s for s in draft.skipped if s.reason == ALREADY_LISTED]
    others = [s for s in draft.skipped if s.reason != ALREADY_LISTED]
    if listed:
        typer.echo(f"left {len(listed)} subject(s) as contracts.yml lists them")
    if others:
        typer.echo(f"skipped {len(others)} subject(s):")
        for skipped in others:
            typer.echo(f"  {skipped.subject}: {skipped.reason}")
    if draft.allowances:
        typer.echo(
            f"recorded {len(draft.allowances)} exception(s) (allow:) for schemas the registry "
            "holds but validate would refuse:"
        )
        for allowance in draft.allowances:
            typer.echo(f"  {allowance.subject}: {', '.join(allowance.rules)}")
    if draft.owned_prefixes:
        typer.echo(f"owned prefixes: {', '.join(draft.owned_prefixes)}")
    for note in draft.notes:
        typer.echo(f"note: {note}")
    written = result.written
    schema_count = sum(1 for p in written if p != result.contracts_path)
    typer.echo(
        f"{verb} {schema_count} schema file(s)"
        + (f" and {result.contracts_path}" if result.contracts_path in written else "")
        + ("" if written else " (nothing new)")
    )
    if result.dry_run:
        for path in written:
            typer.echo(f"  {path}")
    elif written:
        typer.echo("next: `aurum-sr validate`, then `aurum-sr plan`")
