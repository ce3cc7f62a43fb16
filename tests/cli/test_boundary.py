"""The CLI's error boundary: exit codes and messages for every kind of failure."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR, EXIT_INTERNAL, EXIT_INTERRUPTED, AurumError

# An application of the test's own behind the real boundary: commands that fail on purpose are
# never registered on the production app.
BOOM = typer.Typer(pretty_exceptions_enable=False, add_completion=False)


@BOOM.callback()
def _global(debug: bool = typer.Option(False, "--debug")) -> None:
    """Accepts --debug as aurum-sr does; main() reads it from the arguments."""


@BOOM.command("boom")
def _boom(kind: str) -> int:
    if kind == "expected":
        raise AurumError("contracts/contracts.yml:3:1: something is wrong", hint="fix it")
    if kind == "bug":
        raise ValueError("internal detail")
    if kind == "interrupt":
        raise KeyboardInterrupt
    return 0


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "plan" in capsys.readouterr().out


def test_unknown_command_is_an_expected_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == EXIT_ERROR
    assert "No such command" in capsys.readouterr().err


def test_expected_error_prints_message_and_hint_without_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["boom", "expected"], cli=BOOM) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "contracts/contracts.yml:3:1: something is wrong" in err
    assert "hint: fix it" in err
    assert "Traceback" not in err


def test_bug_exits_70_and_hides_traceback_unless_debug(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["boom", "bug"], cli=BOOM) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "unexpected error" in err and "Traceback" not in err
    assert main(["--debug", "boom", "bug"], cli=BOOM) == EXIT_INTERNAL
    assert "Traceback" in capsys.readouterr().err


def test_interrupt_exits_130() -> None:
    assert main(["boom", "interrupt"], cli=BOOM) == EXIT_INTERRUPTED


def test_debug_logs_registry_retries_without_secrets(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--debug", "status", "--registry", "http://alice:hunter2@127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == EXIT_ERROR
    assert "aurum-sr DEBUG aurum_sr.registry" in err
    assert "hunter2" not in err


def test_config_file_log_level_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "aurum-sr.toml").write_text('log_level = "DEBUG"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["status", "--registry", "http://127.0.0.1:9"]) == EXIT_ERROR
    assert "aurum-sr DEBUG aurum_sr.registry" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path.parent)
    assert main(["status", "--registry", "http://127.0.0.1:9"]) == EXIT_ERROR
    assert "DEBUG" not in capsys.readouterr().err
