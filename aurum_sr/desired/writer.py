"""Writing contracts.yml: a new file, or new subjects added to an existing one.

Both go through ruamel.yaml's round-trip mode, so adding subjects to a file keeps every
existing entry, comment, quote and key order as written (the file's indentation is detected and
kept). Comments the caller attaches to a key are written on the lines above it.
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
    document: CommentedMap = _commented(top)
    document["subjects"] = CommentedSeq(_entry(e, indent=4) for e in entries)
    if header:
        document.yaml_set_start_comment(header)
    out = io.StringIO()
    _yaml().dump(document, out)
    return out.getvalue()


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
