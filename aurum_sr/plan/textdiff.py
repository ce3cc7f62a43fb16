"""The text diff of a schema change: the live latest schema against the new one, line by line.

Both sides are the schema's canonical form (:mod:`aurum_sr.canonical`) pretty-printed, so what
the registry does not count as a change (whitespace, key order, an inherited namespace written
out) shows no line, and what it does count shows as the lines that differ. A schema text that is
not JSON is compared as written. Pure; :mod:`difflib` writes the unified diff.
"""

from __future__ import annotations

import difflib
import json

from aurum_sr.canonical import canonical_text
from aurum_sr.errors import SchemaInputError
from aurum_sr.model import Schema, SchemaType

CONTEXT_LINES = 3
"""Unchanged lines shown around each change, as ``diff -u`` shows them."""


def pretty_lines(schema: Schema) -> list[str]:
    """``schema``'s canonical form, pretty-printed (two-space indent), as lines."""
    try:
        text = canonical_text(schema.schema_str, schema.schema_type)
    except SchemaInputError:
        return schema.schema_str.splitlines()
    if schema.schema_type is SchemaType.PROTOBUF:
        return text.splitlines()
    return json.dumps(json.loads(text), indent=2, ensure_ascii=False).splitlines()


def schema_diff(old: Schema, new: Schema, *, old_label: str, new_label: str) -> tuple[str, ...]:
    """The unified diff from ``old`` to ``new`` (``---``/``+++`` lines named by the labels),
    one line per item without line ends; empty when the canonical forms are equal."""
    return tuple(
        difflib.unified_diff(
            pretty_lines(old),
            pretty_lines(new),
            fromfile=old_label,
            tofile=new_label,
            n=CONTEXT_LINES,
            lineterm="",
        )
    )
