"""The one color rule, and lines written plain or styled by it.

Color is used only when the output is a terminal, and never when ``NO_COLOR`` is set to a
non-empty value (https://no-color.org: "when present and not an empty string"). A non-empty
``FORCE_COLOR`` turns color on where there is no terminal (CI logs that render ANSI), unless
``NO_COLOR`` says otherwise: the request for no color wins.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO, TypeAlias

from aurum_sr.render.escape import terminal

if TYPE_CHECKING:
    from rich.console import Console

Part: TypeAlias = "str | tuple[str, str]"
"""Text, or ``(text, rich style)``."""


def use_color(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether output written to ``stream`` is colored (the rule above)."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR", ""):
        return False
    if env.get("FORCE_COLOR", ""):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(callable(isatty) and isatty())


class Lines:
    """Writes lines of parts to a stream: exactly the text when plain, styled by rich in color.

    Plain output is the parts joined, byte for byte, so piped output and golden files never
    depend on rich's handling of terminals.
    """

    def __init__(self, stream: TextIO, *, color: bool) -> None:
        self._stream = stream
        self._console: Console | None = None
        if color:
            from aurum_sr.render.human import console_for

            self._console = console_for(stream, color=True)

    def line(self, *parts: Part, indent: int = 0) -> None:
        if self._console is None:
            text = "".join(part if isinstance(part, str) else part[0] for part in parts)
            self._stream.write(" " * indent + terminal(text) + "\n")
            return
        from rich.text import Text

        styled = Text(" " * indent)
        for part in parts:
            if isinstance(part, tuple):
                styled.append(terminal(part[0]), style=part[1])
            else:
                styled.append(terminal(part))
        self._console.print(styled, soft_wrap=True)

    def blank(self) -> None:
        self._stream.write("\n")

    def flush(self) -> None:
        self._stream.flush()
