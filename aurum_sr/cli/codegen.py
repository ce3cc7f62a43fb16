"""`aurum-sr codegen`: write (or check) the Pydantic models module of the contracts."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from aurum_sr.cli.app import app
from aurum_sr.errors import EXIT_ERROR, EXIT_OK, AurumError


@app.command(
    "codegen",
    short_help="Generate Pydantic models for the contracts' subjects.",
)
def codegen_command(
    out: Annotated[Path, typer.Option("--out", help="The Python module to write, e.g. models.py.")],
    root: Annotated[
        Path | None,
        typer.Option(
            "--root",
            help="Repository root (default: the current directory or the nearest parent with "
            "contracts/contracts.yml).",
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Write nothing; exit 1 when --out is missing or stale (for CI)."
        ),
    ] = False,
) -> int:
    """Generate Pydantic v2 models for every present subject of the contracts.

    \b
    Example: aurum-sr codegen --out models.py
    """
    from aurum_sr.codegen import find_root, render_contracts
    from aurum_sr.codegen.models import load_state

    source, skipped = render_contracts(load_state(find_root(root)))
    for subject in skipped:
        print(f"warning: {subject}: not an Avro schema, no model generated", file=sys.stderr)
    if check:
        return _check(out, source)
    _write(out, source)
    print(f"wrote {out}", file=sys.stderr)
    return EXIT_OK


def _check(out: Path, source: str) -> int:
    try:
        current = out.read_text(encoding="utf-8")
    except FileNotFoundError:
        print(f"{out} is missing: run `aurum-sr codegen --out {out}`", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        raise AurumError(f"cannot read {out}: {exc.strerror}") from exc
    if current != source:
        print(
            f"{out} is stale: the contracts changed since it was generated; "
            f"run `aurum-sr codegen --out {out}` and commit the result",
            file=sys.stderr,
        )
        return EXIT_ERROR
    print(f"{out} is up to date", file=sys.stderr)
    return EXIT_OK


def _write(out: Path, source: str) -> None:
    # Written beside the target and renamed, so a reader never sees half a module.
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        try:
            os.chmod(temporary, 0o644)  # mkstemp makes it private; a module is shared
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(source)
            os.replace(temporary, out)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise AurumError(f"cannot write {out}: {exc.strerror or exc}") from exc
