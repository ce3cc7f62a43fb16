"""Reading and writing schema text that is JSON (Avro and JSON Schema both are)."""

from __future__ import annotations

import json
from typing import Any

from aurum_sr.errors import SchemaInputError
from aurum_sr.formats import bounded


def load_json(schema_str: str) -> Any:
    """The parsed JSON of a schema text, within :mod:`aurum_sr.formats.bounded`'s limits
    (a repeated key is accepted, as the registry accepts it: local files refuse it earlier).

    Raises:
        SchemaInputError: the text is not JSON (with the line and column).
    """
    try:
        return bounded.loads(schema_str, repeated_keys=True)
    except json.JSONDecodeError as exc:
        raise SchemaInputError(
            f"schema is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from exc


def dump_canonical(data: Any) -> str:
    """``data`` as canonical JSON: keys sorted, no whitespace, non-ASCII kept."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
