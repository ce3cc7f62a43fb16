"""`aurum-sr check OLD.avsc NEW.avsc`: would the registry accept NEW after OLD? And
`aurum-sr check --against GIT_REF`: would it accept every schema changed since that ref?"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from aurum_sr.cli.app import app
from aurum_sr.cli.options import CONTRACTS_HELP, ROOT_HELP, format_option
from aurum_sr.errors import EXIT_INCOMPATIBLE, EXIT_OK
from aurum_sr.model import CompatibilityLevel
from aurum_sr.render.formats import CHECK_AGAINST_FORMATS, OutputFormat


@app.command(
    "check",
    short_help="Would the registry accept a schema change? (no registry needed)",
)
def check_command(
    old: Annotated[
        Optional[Path],  # noqa: UP045 - typer reads the annotation at runtime (py3.10)
        typer.Argument(metavar="OLD", help="The latest registered version (.avsc)."),
    ] = None,
    new: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Argument(metavar="NEW", help="The candidate schema (.avsc)."),
    ] = None,
    against: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--against",
            metavar="GIT_REF",
            help="Instead of OLD NEW: check every schema the contracts changed since GIT_REF "
            "(e.g. origin/main, HEAD) against its version there, under the contract's level. "
            "No registry needed.",
        ),
    ] = None,
    root: str = typer.Option(".", "--root", help=ROOT_HELP + " With --against."),
    contracts: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--contracts", help=CONTRACTS_HELP + " With --against."),
    ] = None,
    level: Annotated[
        Optional[str],  # noqa: UP045 - typer reads the annotation at runtime (py3.10)
        typer.Option(
            "--level",
            "-l",
            metavar="LEVEL",
            help="Compatibility level to check under: "
            + ", ".join(level.value for level in CompatibilityLevel)
            + " [default: BACKWARD].",
        ),
    ] = None,
    mode: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--mode", "-m", hidden=True, help="Deprecated: the old name of --level."),
    ] = None,
    previous: Annotated[
        Optional[list[Path]],  # noqa: UP045 - typer reads the annotation at runtime (py3.10)
        typer.Option(
            "--previous",
            "-p",
            metavar="FILE",
            help="Older versions before OLD, oldest first (repeatable).",
        ),
    ] = None,
    output: Annotated[
        OutputFormat, format_option(CHECK_AGAINST_FORMATS, "-f")
    ] = OutputFormat.HUMAN,
) -> int:
    """Check NEW against OLD (and --previous versions) the way the registry would, under the
    compatibility --level; or, with --against GIT_REF, every changed schema of the work tree
    against the same subject's schema at that ref (renamed files followed; transitive levels
    check the file's history in git).

    Exit 0 when compatible, 3 when incompatible, 1 on bad input.

    \b
    Example: aurum-sr check --level FULL_TRANSITIVE v1.avsc v2.avsc
    """
    from aurum_sr.compat import CompatibilityChecker
    from aurum_sr.render import use_color
    from aurum_sr.render.check import render_check

    if against is not None:
        return _check_against(against, old, new, root, contracts, level, mode, previous, output)
    if old is None or new is None:
        from aurum_sr.errors import ConfigError

        raise ConfigError(
            "check needs OLD and NEW schema files, or --against GIT_REF",
            hint="e.g. `aurum-sr check old.avsc new.avsc` or `aurum-sr check --against "
            "origin/main`",
        )

    history = [*(previous or []), old]
    wanted = _level(level, mode)
    result = CompatibilityChecker().check_against_history(history, new, wanted)
    files = {i: str(path) for i, path in enumerate(history, start=1)}
    render_check(result, files, str(new), output, sys.stdout, color=use_color(sys.stdout))
    return EXIT_OK if result.is_compatible else EXIT_INCOMPATIBLE


def _check_against(
    ref: str,
    old: Path | None,
    new: Path | None,
    root: str,
    contracts: str | None,
    level: str | None,
    mode: str | None,
    previous: list[Path] | None,
    output: OutputFormat,
) -> int:
    """``check --against REF``: the contracts' levels apply, so no files or level are given.

    Raises:
        ConfigError: OLD, NEW, --level or --previous given too.
        GitError: see :func:`aurum_sr.pipeline.check_against`.
    """
    from aurum_sr import pipeline
    from aurum_sr.config import load_config
    from aurum_sr.errors import ConfigError
    from aurum_sr.render import use_color
    from aurum_sr.render.against import render_against

    extra = [
        name
        for name, given in (
            ("OLD/NEW", old is not None or new is not None),
            ("--level", level is not None or mode is not None),
            ("--previous", bool(previous)),
        )
        if given
    ]
    if extra:
        raise ConfigError(
            f"--against compares the contracts with a git ref; {', '.join(extra)} do not apply",
            hint="each subject is checked under its contract's level",
        )
    path = load_config(root, overrides={"contracts_path": contracts}).contracts_path
    loaded, report = pipeline.check_against(root, ref, contracts=path, ref_contracts=contracts)
    for warning in loaded.warnings:
        print(warning, file=sys.stderr)
    render_against(report, output, sys.stdout, color=use_color(sys.stdout))
    return EXIT_OK if report.compatible else EXIT_INCOMPATIBLE


def _level(level: str | None, mode: str | None) -> str:
    """The level from ``--level``, or from its deprecated old name ``--mode`` (elsewhere a mode
    is READWRITE, READONLY or IMPORT, so ``check`` names the compatibility level ``--level``).

    Raises:
        ConfigError: both were given.
    """
    if mode is None:
        return level or "BACKWARD"
    if level is not None:
        from aurum_sr.errors import ConfigError

        raise ConfigError(
            "--mode is the old name of --level; give only one",
            hint=f"use --level {level}",
        )
    print(
        f"warning: `check --mode` is deprecated; it is the compatibility level: use --level {mode}",
        file=sys.stderr,
    )
    return mode
