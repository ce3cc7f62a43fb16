"""Writing contracts.yml: a new file, or new subjects added to an existing one.

A new file is emitted by :mod:`aurum_sr.desired.emit`. Adding subjects to an existing file
keeps every existing entry, comment, quote and key order as written: where ``subjects`` is the
file's last key and a block list (the usual layout), the new entries are appended as text in
the list's own indentation, and the file is otherwise byte for byte what it was; any other
layout goes through ruamel.yaml's round-trip mode (the file's indentation detected and kept).
Comments the caller attaches to a key are written on the lines above it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from aurum_sr.desired.emit import comment_lines, mapping_lines
from aurum_sr.errors import ConfigError

WIDTH = 4096
"""Long values (descriptions, comments) stay on one line."""


@dataclass(frozen=True)
class EntryDraft:
    """One ``subjects:`` item to write: its keys in order, and comments above some keys."""

    values: Mapping[str, Any]
    comments: Mapping[str, str] = field(default_factory=dict)
    """Key → comment text (one line or several), written above the key."""


def _yaml(mapping: int = 2, sequence: int = 4, offset: int = 2) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = WIDTH
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _commented(value: Any) -> Any:
    if isinstance(value, Mapping):
        out = CommentedMap()
        for key, item in value.items():
            out[key] = _commented(item)
        return out
    if isinstance(value, (list, tuple)):
        return CommentedSeq(_commented(item) for item in value)
    return value


def _entry(draft: EntryDraft, indent: int) -> CommentedMap:
    entry: CommentedMap = _commented(draft.values)
    for key, text in draft.comments.items():
        if key in entry:
            entry.yaml_set_comment_before_after_key(key, before=text, indent=indent)
    return entry


def dump_contracts(
    top: Mapping[str, Any], entries: Sequence[EntryDraft], *, header: str = ""
) -> str:
    """A whole contracts file: ``top`` (``format_version``, ``defaults``) then ``subjects``.

    ``header`` is written as comment lines at the top of the file.
    """
    lines = list(comment_lines(header, 0)) if header else []
    lines.extend(mapping_lines(top, 0))
    lines.append("subjects:" if entries else "subjects: []")
    for draft in entries:
        lines.extend(_item_lines(draft, dash=2, key=4))
    return "\n".join(lines) + "\n"


def _item_lines(draft: EntryDraft, *, dash: int, key: int) -> list[str]:
    first = " " * dash + "-" + " " * (key - dash - 1)
    return list(mapping_lines(draft.values, key, first=first, comments=draft.comments))


def merge_contracts(text: str, entries: Sequence[EntryDraft], *, path: str) -> str:
    """``text`` (an existing contracts file) with ``entries`` appended to its ``subjects``.

    Everything already in the file is kept as written. With nothing to add, ``text`` is
    returned unchanged.

    Raises:
        ConfigError: the file is not YAML, or has no ``subjects`` list to add to.
    """
    if not entries:
        return text
    try:
        document, mapping_indent, sequence_offset = load_yaml_guess_indent(text)
    except YAMLError as exc:
        raise ConfigError(
            f"{path} is not valid YAML, so subjects cannot be added to it: "
            + " ".join(str(exc).split()),
            hint="run `aurum-sr validate` to see where, fix it, and import again",
        ) from exc
    if not isinstance(document, CommentedMap):
        raise ConfigError(
            f"{path} is not a mapping with a subjects list",
            hint="fix the file (see docs/contracts.md), or import with --overwrite to replace it",
        )
    subjects = document.get("subjects")
    appended = _append_as_text(text, document, subjects, entries)
    if appended is not None:
        return appended
    if subjects is None:
        subjects = CommentedSeq()
        document["subjects"] = subjects
    if not isinstance(subjects, CommentedSeq):
        raise ConfigError(
            f"subjects in {path} is not a list",
            hint="fix the file (see docs/contracts.md), or import with --overwrite to replace it",
        )
    # ruamel guesses the block sequences' indent and dash offset; the mappings' indent is the
    # column of the first nested mapping's first key.
    sequence = mapping_indent or 4
    offset = sequence_offset if sequence_offset is not None else 2
    mapping = next((v.lc.col for v in document.values() if isinstance(v, CommentedMap) and v), 2)
    for draft in entries:
        subjects.append(_entry(draft, indent=sequence))
    out = io.StringIO()
    _yaml(mapping=mapping, sequence=sequence, offset=offset).dump(document, out)
    return out.getvalue()


def _append_as_text(
    text: str, document: CommentedMap, subjects: Any, entries: Sequence[EntryDraft]
) -> str | None:
    """``text`` with ``entries`` appended after its last line, when ``subjects`` is the last
    key of the file and a block list (or empty); ``None`` for any other layout."""
    if list(document)[-1] != "subjects":
        return None
    if subjects is None:
        dash, key = 2, 4
    elif isinstance(subjects, CommentedSeq) and not subjects.fa.flow_style() and subjects:
        line, key = subjects.lc.item(0)
        source = text.splitlines()[line]
        dash = len(source) - len(source.lstrip(" "))
        if not source.lstrip(" ").startswith("-") or key <= dash:
            return None
    else:
        return None
    lines = [line for draft in entries for line in _item_lines(draft, dash=dash, key=key)]
    base = text if text.endswith("\n") else text + "\n"
    return base + "\n".join(lines) + "\n"
