"""`aurum-sr check OLD.avsc NEW.avsc`: would the registry accept NEW after OLD?"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from aurum_sr.cli.app import app
from aurum_sr.errors import EXIT_INCOMPATIBLE, EXIT_OK

if TYPE_CHECKING:
    from aurum_sr.compat import CompatibilityResult


@app.command("check")
def check_command(
    old: Annotated[Path, typer.Argument(help="The latest registered version (.avsc).")],
    new: Annotated[Path, typer.Argument(help="The candidate schema (.avsc).")],
    mode: Annotated[
        str, typer.Option("--mode", "-m", help="Compatibility level, e.g. BACKWARD, FULL.")
    ] = "BACKWARD",
    previous: Annotated[
        Optional[list[Path]],  # noqa: UP045 - typer reads the annotation at runtime (py3.10)
        typer.Option(
            "--previous", "-p", help="Older versions before OLD, oldest first (repeatable)."
        ),
    ] = None,
    output: Annotated[
        str, typer.Option("--format", "-f", help="Output format: human or json.")
    ] = "human",
) -> int:
    """Check NEW against OLD (and --previous versions) the way the registry would.

    Exit 0 when compatible, 3 when incompatible, 1 on bad input.
    """
    from aurum_sr.compat import CompatibilityChecker
    from aurum_sr.errors import SchemaInputError

    if output not in ("human", "json"):
        raise SchemaInputError(f"unknown --format {output!r}; use human or json")
    history = [*(previous or []), old]
    result = CompatibilityChecker().check_against_history(history, new, mode)
    files = {i: str(path) for i, path in enumerate(history, start=1)}
    if output == "json":
        print(json.dumps(_as_json(result, files, str(new)), sort_keys=True, indent=2))
    else:
        _print_human(result, files, sys.stdout.isatty())
    return EXIT_OK if result.is_compatible else EXIT_INCOMPATIBLE


def _as_json(result: CompatibilityResult, files: dict[int, str], new: str) -> dict[str, Any]:
    return {
        "compatible": result.is_compatible,
        "level": result.level.value,
        "new": new,
        "versions": {str(v): path for v, path in files.items()},
        "checked_versions": list(result.checked_versions),
        "summary": result.summary(),
        "breaking_changes": [
            {
                "kind": b.kind,
                "direction": b.direction.value,
                "against_version": b.against_version,
                "location": b.location,
                "field_path": b.field_path,
                "message": b.message,
                "recommendation": b.recommendation,
            }
            for b in result.breaking_changes
        ],
        "changes": [
            {
                "kind": c.kind,
                "category": c.category.value,
                "field_path": c.field_path,
                "location": c.location,
                "message": c.message,
                "breaks": [d.value for d in c.breaks],
            }
            for c in result.changes
        ],
        "messages": list(result.messages),
        "recommendations": list(result.recommendations),
    }


def _print_human(result: CompatibilityResult, files: dict[int, str], color: bool) -> None:
    verdict = "COMPATIBLE" if result.is_compatible else "INCOMPATIBLE"
    checked = ", ".join(f"v{v} ({files.get(v, '?')})" for v in result.checked_versions)
    style = {"fg": "green" if result.is_compatible else "red", "bold": True} if color else {}
    typer.secho(f"{verdict} under {result.level.value}", **style)  # type: ignore[arg-type]
    print(f"  checked against: {checked or 'nothing (no previous version, or level NONE)'}")
    if result.breaking_changes:
        print(f"\nBreaking changes ({len(result.breaking_changes)}):")
        for b in result.breaking_changes:
            print(
                f"  - {b.field_path or b.location}  [{b.kind}, {b.direction.value}, "
                f"against v{b.against_version}]"
            )
            print(f"      {b.message}")
            print(f"      at {b.location}")
            if b.recommendation:
                print(f"      fix: {b.recommendation}")
    if result.changes:
        latest = max(files) if files else 0
        print(f"\nChanges since v{latest} ({len(result.changes)}):")
        for c in result.changes:
            print(f"  {c.category.value:<12} {c.kind:<24} {c.message}")
    else:
        print("\nNo semantic changes since the latest version.")
