"""One escaping rule per output format, for every value that comes from outside (contracts or
registry): a subject name, an owner, a message quoted from a registry.

- terminal (human output, errors): control characters — ESC, CR, LF, BEL, DEL, the C1 range and
  the line and paragraph separators, the bidirectional overrides — are written visibly as
  ``\\xNN`` / ``\\uNNNN`` (``\\n`` and ``\\r`` for the common ones; a tab stays), so a name
  cannot clear the screen, move the cursor or forge a line. Applied where lines are written
  (:mod:`aurum_sr.render.color`, :mod:`aurum_sr.render.human`, the CLI's error boundary):
  nothing reaches a terminal unescaped.
- Markdown: :func:`markdown_code` for a name shown as code (plain names as `` `name` ``; others
  as ``<code>`` with every character that Markdown or HTML could read as syntax written as a
  numeric character reference), :func:`markdown_text` for prose in a table cell or list item
  (``<`` as a reference, ``|`` escaped; control characters visible).
- ``github`` annotations, JUnit XML and JSON escape by their own encoders
  (:mod:`aurum_sr.render.github`, :mod:`aurum_sr.render.junit`, ``json.dumps``).
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r"}  # a tab forges nothing: it stays


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """``text`` with every control character written visibly (one line stays one line)."""
    return _CONTROL.sub(_visible, text) if _CONTROL.search(text) else text


def terminal_lines(text: str) -> str:
    """Like :func:`terminal`, keeping the text's own line breaks (a multi-line message)."""
    return "\n".join(terminal(line) for line in text.split("\n"))


_PLAIN_CODE = re.compile(r"[A-Za-z0-9 ._/:@+=,()-]*")


def markdown_code(text: str) -> str:
    """``text`` as inline code that no character of it can break out of."""
    if _PLAIN_CODE.fullmatch(text):
        return f"`{text}`"
    return f"<code>{html_code(text)}</code>"


def html_code(text: str) -> str:
    """``text`` for inside ``<code>`` (or any HTML in Markdown): everything but letters, digits,
    space and ``._-/:@`` as numeric character references; control characters visible."""
    visible = terminal(text)
    return "".join(
        char if char.isalnum() or char in " ._-/:@" else f"&#{ord(char)};" for char in visible
    )


def markdown_text(text: str) -> str:
    """Prose for a Markdown table cell or list item: no HTML, no cell break, one line."""
    visible = terminal(text)
    # ``<`` starts every tag and comment (``<!--`` would hide the rest of a comment); ``>`` and
    # ``&`` open nothing on their own.
    return visible.replace("<", "&lt;").replace("|", "\\|")


def markdown_fence(lines: list[str] | tuple[str, ...], info: str = "") -> list[str]:
    """``lines`` as a fenced code block that no line of it can close: the fence is longer than
    any run of backticks inside; control characters visible. Inside a fence nothing is read as
    Markdown or HTML."""
    visible = [terminal(line) for line in lines]
    longest = max((len(run) for line in visible for run in re.findall("`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{info}", *visible, fence]
