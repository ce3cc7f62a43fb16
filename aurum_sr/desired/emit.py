"""Emitting the small YAML subset contracts.yml uses, fast, in one pass.

Block mappings and sequences of strings, integers, booleans and nested mappings, with comment
lines above a key. Strings are written plain only when YAML 1.2 (and 1.1) reads them back as
the same string -- a conservative pattern, no reserved word -- and otherwise as JSON strings,
which are YAML double-quoted scalars, with every character YAML does not allow in a stream
escaped. ruamel.yaml's emitter does the same job at roughly ten times the cost per entry, which
at 10,000 subjects is most of an import; its parser reads what this writes (tests check that).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*\Z")
_RESERVED = frozenset(
    {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~", "nan", "inf"}
)


def _printable(c: str) -> bool:
    """Whether YAML 1.2 allows ``c`` in a stream as it is (production [1] c-printable)."""
    o = ord(c)
    return (
        o in (0x09, 0x0A, 0x0D, 0x85)
        or 0x20 <= o <= 0x7E
        or 0xA0 <= o <= 0xD7FF
        or 0xE000 <= o <= 0xFFFD
        or 0x10000 <= o <= 0x10FFFF
    )


_BREAKS = frozenset("\x85\u2028\u2029\ufeff")
"""Printable, but line breaks (or a byte-order mark) to YAML parsers: always escaped."""


def _plain_char(c: str) -> bool:
    return _printable(c) and c not in _BREAKS


def _escape(c: str) -> str:
    o = ord(c)
    return f"\\u{o:04x}" if o <= 0xFFFF else f"\\U{o:08x}"


def scalar(value: Any) -> str:
    """``value`` as one YAML scalar."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(f"cannot emit {type(value).__name__} as a YAML scalar")
    if _PLAIN.match(value) and value.casefold() not in _RESERVED:
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    if all(_plain_char(c) for c in quoted):
        return quoted
    return "".join(c if _plain_char(c) else _escape(c) for c in quoted)


def comment_lines(text: str, indent: int) -> Iterator[str]:
    """``text`` as comment lines (each line of it one ``#`` line) at ``indent``."""
    pad = " " * indent
    for line in text.splitlines() or [""]:
        clean = "".join(c if _plain_char(c) and c != "\r" else "?" for c in line)
        yield f"{pad}# {clean}".rstrip()


def mapping_lines(
    values: Mapping[str, Any],
    indent: int,
    *,
    first: str | None = None,
    comments: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """A block mapping at ``indent``; ``first`` replaces the first line's indentation (the
    ``- `` of a sequence item), so its comment, if any, goes above the item."""
    pad = " " * indent
    for index, (key, value) in enumerate(values.items()):
        lead = first if index == 0 and first is not None else pad
        if comments and key in comments:
            yield from comment_lines(comments[key], len(lead) if index == 0 else indent)
        head = f"{lead}{scalar(key)}:"
        if isinstance(value, Mapping):
            if value:
                yield head
                yield from mapping_lines(value, indent + 2)
            else:
                yield f"{head} {{}}"
        elif isinstance(value, (list, tuple)):
            if value:
                yield head
                yield from sequence_lines(value, indent + 2)
            else:
                yield f"{head} []"
        else:
            yield f"{head} {scalar(value)}"


def sequence_lines(items: Sequence[Any], indent: int) -> Iterator[str]:
    """A block sequence whose dashes are at ``indent``."""
    pad = " " * indent
    for item in items:
        if isinstance(item, Mapping) and item:
            yield from mapping_lines(item, indent + 2, first=f"{pad}- ")
        elif isinstance(item, (Mapping, list, tuple)):
            raise TypeError("cannot emit an empty mapping or a nested list as a sequence item")
        else:
            yield f"{pad}- {scalar(item)}"
