"""`aurum-sr validate`: check the desired state offline and report every problem."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from aurum_sr.cli.app import app
from aurum_sr.cli.state import RUN
from aurum_sr.errors import EXIT_ERROR, EXIT_OK

if TYPE_CHECKING:
    from aurum_sr.errors import Diagnostic


class OutputFormat(str, Enum):
    HUMAN = "human"
    JSON = "json"


@app.command("validate")
def validate_command(
    root: str = typer.Option(".", "--root", help="Repository root (holds contracts/, schemas/)."),
    contracts: str | None = typer.Option(
        None,
        "--contracts",
        help="Contracts file, relative to the root [default: from config, else "
        "contracts/contracts.yml].",
    ),
    output: Annotated[
        OutputFormat, typer.Option("--format", help="human (default) or json.")
    ] = OutputFormat.HUMAN,
    strict: bool = typer.Option(
        False, "--strict", help="Schema files that no contract lists are errors, not warnings."
    ),
) -> int:
    """Check contracts.yml and the schema files offline; exit 0 when valid, 1 when not."""
    from aurum_sr.config import load_config
    from aurum_sr.desired import load_desired
    from aurum_sr.errors import DesiredStateError

    config = load_config(
        root,
        overrides={
            "contracts_path": contracts,
            "fail_on_missing_contract": True if strict else None,
        },
    )
    try:
        loaded = load_desired(
            root, contracts=config.contracts_path, strict=config.fail_on_missing_contract
        )
    except DesiredStateError as exc:
        if output is OutputFormat.JSON:
            _print_json(False, (), exc.diagnostics)
        elif not RUN.debug:
            _print_human(False, (), exc.diagnostics)
        if RUN.debug:
            raise  # the error boundary prints the traceback and every diagnostic
        return EXIT_ERROR
    subjects = tuple(loaded.state.subjects)
    if output is OutputFormat.JSON:
        _print_json(True, subjects, loaded.warnings)
    else:
        _print_human(True, subjects, loaded.warnings)
    return EXIT_OK


def _print_json(valid: bool, subjects: Sequence[str], diagnostics: Sequence[Diagnostic]) -> None:
    document: dict[str, Any] = {
        "valid": valid,
        "subjects": sorted(subjects),
        "diagnostics": [
            {
                "severity": d.severity.value,
                "rule": d.rule,
                "message": d.message,
                "path": d.path,
                "line": d.line,
                "column": d.column,
                "hint": d.hint,
            }
            for d in diagnostics
        ],
    }
    print(json.dumps(document, indent=2, sort_keys=True))


def _summary(valid: bool, subjects: Sequence[str], diagnostics: Sequence[Diagnostic]) -> str:
    from aurum_sr.errors import Severity

    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors

    def plural(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    if valid:
        return f"{plural(len(subjects), 'subject')} valid, {plural(warnings, 'warning')}"
    return f"invalid: {plural(errors, 'error')}, {plural(warnings, 'warning')}"


def _print_human(valid: bool, subjects: Sequence[str], diagnostics: Sequence[Diagnostic]) -> None:
    summary = _summary(valid, subjects, diagnostics)
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        _print_rich(valid, summary, diagnostics)
        return
    for diagnostic in diagnostics:
        print(diagnostic)
    print(summary)


def _print_rich(valid: bool, summary: str, diagnostics: Sequence[Diagnostic]) -> None:
    from rich.console import Console
    from rich.text import Text

    from aurum_sr.errors import Severity

    console = Console(highlight=False)
    for d in diagnostics:
        style = "bold red" if d.severity is Severity.ERROR else "yellow"
        line = Text()
        line.append(d.location, style="bold")
        line.append(": ")
        line.append(f"{d.severity.value}[{d.rule}]", style=style)
        line.append(f": {d.message}")
        console.print(line)
        if d.hint:
            console.print(Text(f"  hint: {d.hint}", style="dim"))
    console.print(Text(summary, style="bold green" if valid else "bold red"))
