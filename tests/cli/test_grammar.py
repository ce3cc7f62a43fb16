"""One grammar for every command: ``-h``, global options before or after the command, help that
lists its values and carries an example, and no Python types leaking into it."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer

from aurum_sr.cli import hoist_global_options, main
from aurum_sr.cli.app import app
from aurum_sr.errors import EXIT_CHANGES, EXIT_ERROR, EXIT_OK
from aurum_sr.model import CompatibilityLevel
from aurum_sr.testing import RegistryServer
from tests.e2e.helpers import REPO


def _commands(group: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """Every leaf command under ``group`` (typer's click objects), by its words."""
    found: list[tuple[tuple[str, ...], Any]] = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found.extend(_commands(command, (*path, name)))
        else:
            found.append(((*path, name), command))
    return found


ROOT: Any = typer.main.get_command(app)
COMMANDS = _commands(ROOT)
GROUPS = [(), *((name,) for name, c in ROOT.commands.items() if hasattr(c, "commands"))]


def test_every_command_is_covered() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"plan", "apply", "check", "drift", "status", "snapshot export", "github issue"} <= names


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_command_help(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*path, "-h"]) == EXIT_OK
    short = capsys.readouterr().out
    assert main([*path, "--help"]) == EXIT_OK
    assert capsys.readouterr().out == short
    # A short example of the command itself, on one line.
    assert re.search(rf"^  Example: aurum-sr {' '.join(path)}\b", short, re.MULTILINE), short
    # No Python type names in metavars.
    assert "list[" not in short and "<Path>" not in short
    command = dict(COMMANDS)[path]
    for option in command.params:
        if option.param_type_name != "option":
            continue
        if "--format" in option.opts:
            values = re.findall(r"[a-z]+", option.metavar or "")
            assert values and all(v in (option.help or "") for v in values), option.help
        if "--level" in option.opts:
            assert all(level.value in (option.help or "") for level in CompatibilityLevel)


@pytest.mark.parametrize("path", GROUPS, ids=lambda p: " ".join(p) or "aurum-sr")
def test_group_help_lists_whole_sentences(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*path, "-h"]) == EXIT_OK
    listing = capsys.readouterr().out.split("Commands:", 1)[1]
    assert listing.strip() and "..." not in listing


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["plan", "--debug"], ["--debug", "plan"]),
        (["--debug", "plan"], ["--debug", "plan"]),
        (["plan", "--root", ".", "--debug"], ["--debug", "plan", "--root", "."]),
        (["plan", "--debug", "--debug"], ["--debug", "plan"]),
        (["check", "--", "--debug"], ["check", "--", "--debug"]),
        (["status"], ["status"]),
    ],
)
def test_global_flags_move_before_the_command(given: list[str], expected: list[str]) -> None:
    assert hoist_global_options(given) == expected


def test_debug_after_the_command_is_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["status", "--registry", "http://127.0.0.1:9", "--debug"])
    err = capsys.readouterr().err
    assert code == EXIT_ERROR
    assert "No such option" not in err
    assert "aurum-sr DEBUG aurum_sr.registry" in err


def test_drift_exit_code_switch(
    seeded_server: RegistryServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("SCHEMA_REGISTRY_URL", raising=False)
    drift = ["drift", "--root", str(REPO), "--registry", seeded_server.url]
    assert main(drift) == EXIT_CHANGES
    assert main([*drift, "--detailed-exitcode"]) == EXIT_CHANGES
    capsys.readouterr()
    assert main([*drift, "--no-detailed-exitcode"]) == EXIT_OK
    assert "registry-behind-git" in capsys.readouterr().out
