"""The one color rule (terminal, NO_COLOR, FORCE_COLOR) and lines written plain or styled."""

from __future__ import annotations

import io
import re

import pytest

from aurum_sr.render.color import Lines, use_color


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _NoIsatty:
    def write(self, text: str) -> int:
        return len(text)


@pytest.mark.parametrize(
    ("terminal", "environ", "expected"),
    [
        (True, {}, True),
        (False, {}, False),
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": "0"}, False),  # any non-empty value
        (True, {"NO_COLOR": "false"}, False),
        (True, {"NO_COLOR": ""}, True),  # empty is unset (no-color.org)
        (False, {"FORCE_COLOR": "1"}, True),
        (False, {"FORCE_COLOR": ""}, False),
        (True, {"FORCE_COLOR": "1"}, True),
        (False, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),  # no color wins
        (True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        (False, {"NO_COLOR": "", "FORCE_COLOR": "1"}, True),
    ],
)
def test_use_color(terminal: bool, environ: dict[str, str], expected: bool) -> None:
    stream = _Terminal() if terminal else io.StringIO()
    assert use_color(stream, environ) is expected


def test_a_stream_without_isatty_is_no_terminal() -> None:
    assert use_color(_NoIsatty(), {}) is False  # type: ignore[arg-type]


def test_use_color_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(_Terminal()) is False
    monkeypatch.delenv("NO_COLOR")
    assert use_color(_Terminal()) is True


def test_plain_lines_are_the_parts_joined_byte_for_byte() -> None:
    out = io.StringIO()
    lines = Lines(out, color=False)
    lines.line("a", ("b\tc", "bold"), " d ", indent=2)
    lines.blank()
    lines.line()
    assert out.getvalue() == "  ab\tc d \n\n\n"


def test_item06_control_chars_in_lines_are_made_visible() -> None:
    out = io.StringIO()
    Lines(out, color=False).line("a", ("\x1b[2J", "bold"), "x\rforged\nline\x9b\u202e")
    assert out.getvalue() == "a\\x1b[2Jx\\rforged\\nline\\x9b\\u202e\n"


def test_colored_lines_carry_styles_and_the_same_text() -> None:
    out = io.StringIO()
    long = "x" * 300  # never wrapped, whatever the width
    Lines(out, color=True).line("plain ", ("red", "bold red"), f" {long}", indent=1)
    text = out.getvalue()
    assert "\x1b[" in text
    assert re.sub(r"\x1b\[[0-9;]*m", "", text) == f" plain red {long}\n"
