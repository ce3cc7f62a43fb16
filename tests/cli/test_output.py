"""Every command's --format (one format type, each command's own members) and the one color
rule, seen from the command line."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR, EXIT_OK
from aurum_sr.render.formats import (
    APPLY_FORMATS,
    CHECK_AGAINST_FORMATS,
    DRIFT_FORMATS,
    PLAN_FORMATS,
    STATUS_FORMATS,
    VALIDATE_FORMATS,
    describe,
)
from aurum_sr.testing import RegistryServer
from tests.desired.repos import HEAD, write_repo
from tests.registry.helpers import V1

REPO_ROOT = Path(__file__).resolve().parents[2]

COMMANDS = {
    "validate": VALIDATE_FORMATS,
    "check": CHECK_AGAINST_FORMATS,  # github: with --against only
    "plan": PLAN_FORMATS,
    "show": PLAN_FORMATS,
    "drift": DRIFT_FORMATS,
    "apply": APPLY_FORMATS,
    "status": STATUS_FORMATS,
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_lists_exactly_the_formats_of_the_command(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--help"]) == EXIT_OK
    help_text = " ".join(capsys.readouterr().out.split())
    names = "|".join(f.value for f in COMMANDS[command])
    assert f"--format [{names}]" in help_text
    assert describe(COMMANDS[command]) in help_text


@pytest.mark.parametrize(
    ("args", "accepted"),
    [
        (["validate", "--root", str(REPO_ROOT), "--format", "markdown"], "human, json"),
        (["status", "--registry", "memory:", "--format", "github"], "human, json"),
        (["drift", "--format", "yaml"], "human, json, markdown, github"),
    ],
)
def test_a_format_the_command_lacks_is_a_usage_error(
    args: list[str], accepted: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == EXIT_ERROR
    err = capsys.readouterr().err
    assert f"Invalid value for '--format': '{args[-1]}' is not one of {accepted}" in err
    assert "Traceback" not in err


def test_status_json_is_a_versioned_document(
    registry_server: RegistryServer, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = registry_server.engine
    assert engine is not None
    engine.register("a-value", V1)
    assert main(["status", "--registry", registry_server.url, "--format", "json"]) == EXIT_OK
    document = json.loads(capsys.readouterr().out)
    capabilities = document.pop("capabilities")
    assert (capabilities["implementation"], capabilities["found_by"]) == ("confluent", "metadata")
    assert capabilities["support"]["subject_mode_write"] == "supported"
    assert document == {
        "format_version": 1,
        "registry": registry_server.url,
        "reachable": True,
        "server_version": "7.6.1",
        "subjects": 1,
        "schemas": 1,
        "compatibility": "BACKWARD",
        "mode": "READWRITE",
    }


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _invalid_repo(tmp_path: Path) -> Path:
    return write_repo(tmp_path, HEAD + "    mode: WRITEONLY\n")


@pytest.mark.parametrize(
    ("terminal", "environ", "colored"),
    [
        (True, {}, True),
        (False, {}, False),
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": ""}, True),
        (False, {"FORCE_COLOR": "1"}, True),
        (True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
    ],
)
def test_every_command_follows_the_one_color_rule(
    terminal: bool,
    environ: dict[str, str],
    colored: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """validate, check, status and plan: colored exactly when the rule says so."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    old, new = tmp_path / "old.avsc", tmp_path / "new.avsc"
    old.write_text(V1.schema_str, encoding="utf-8")
    new.write_text(V1.schema_str, encoding="utf-8")
    runs = [
        ["validate", "--root", str(_invalid_repo(tmp_path))],
        ["check", str(old), str(new)],
        ["status", "--registry", "memory:"],
        ["plan", "--root", str(REPO_ROOT), "--registry", "memory:"],
    ]
    for args in runs:
        out = _Terminal() if terminal else io.StringIO()
        monkeypatch.setattr(sys, "stdout", out)
        main(args)
        text = out.getvalue()
        assert text, args
        assert ("\x1b[" in text) is colored, args
