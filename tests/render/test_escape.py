"""Issue #13 item 6: values from outside (contracts or registry) are escaped for the format they
are written into; a registered subject name cannot spoof a terminal or a pull-request comment."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aurum_sr.cli import main
from aurum_sr.model import Schema
from aurum_sr.registry.snapshot import SnapshotRegistry
from aurum_sr.render.escape import (
    html_code,
    markdown_code,
    markdown_fence,
    markdown_text,
    terminal,
)
from tests.desired.repos import HEAD, write_repo
from tests.e2e.helpers import REPO, snapshot_copy

EVIL = "aurum.eia.x\x1b[2J\rforged\n`|<!--z</code>\u202e-value"


@pytest.fixture
def registry(tmp_path: Path) -> str:
    snapshot = snapshot_copy(tmp_path)
    SnapshotRegistry(snapshot).register(EVIL, Schema('"string"'))
    return f"file:{snapshot}"


def test_item06_control_chars_in_subject_names_are_escaped(
    registry: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("plan", "drift"):
        main([command, "--root", str(REPO), "--registry", registry])
        out = capsys.readouterr().out
        assert "aurum.eia.x\\x1b[2J\\rforged\\n`|<!--z</code>\\u202e-value" in out
        assert not any(c in out for c in "\x1b\r\u202e")


def test_item06_markdown_cannot_be_broken_out_of(
    registry: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("plan", "drift"):
        main([command, "--root", str(REPO), "--registry", registry, "--format", "markdown"])
        out = capsys.readouterr().out
        assert "<!--" not in out and "forged" in out
        row = next(line for line in out.splitlines() if "forged" in line)
        assert "</code>\\u" not in row and "`|" not in row and "\x1b" not in row


def test_item06_registry_names_in_json_and_github_formats_stay_escaped(
    registry: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["drift", "--root", str(REPO), "--registry", registry, "--format", "github"])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out and "\u202e" not in out
    assert "x\\x1b[2J\\rforged%0A`|" in out


def test_item06_control_chars_in_contract_subject_names_fail_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contracts = HEAD + '  - subject: "shop.x\\e[2J-value"\n    schema: schemas/geo.avsc\n'
    root = write_repo(tmp_path, contracts)
    assert main(["validate", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert "contracts/contracts.yml:6:" in out and "control character U+001B" in out
    assert "\x1b" not in out


@given(st.text())
def test_item06_escaped_text_holds_no_control_character_and_no_breakout(text: str) -> None:
    for escaped in (terminal(text), markdown_text(text), html_code(text)):
        assert not any(0 <= ord(c) < 0x20 and c != "\t" for c in escaped)
        assert "\x1b" not in escaped and "\u202e" not in escaped
    assert "<" not in markdown_text(text)
    code = markdown_code(text)
    inner = code[6:-7] if code.startswith("<code>") else code[1:-1]
    assert "<" not in inner and "`" not in inner and "|" not in inner


@pytest.mark.parametrize(
    ("lines", "fence"),
    [
        (["plain"], "```"),
        (['  "doc": "see ``` here"'], "````"),
        (['  "doc": "`````"', "```"], "``````"),
    ],
)
def test_a_fence_no_line_can_close(lines: list[str], fence: str) -> None:
    block = markdown_fence(lines, "diff")
    assert block[0] == f"{fence}diff" and block[-1] == fence
    assert all(fence not in line for line in block[1:-1])


def test_a_fence_shows_control_characters() -> None:
    assert markdown_fence(["a\x1b[2Jb"]) == ["```", "a\\x1b[2Jb", "```"]
