"""Verdicts and change lists, each from the format of the schemas compared."""

from __future__ import annotations

from collections.abc import Sequence

from aurum_sr.formats import ReferenceResolver, loaded_formats, schema_format
from aurum_sr.formats.result import CompatibilityResult, SchemaChange
from aurum_sr.model import CompatibilityLevel, RegisteredSchema, Schema


def check(
    new: Schema,
    previous: Sequence[RegisteredSchema] | Sequence[Schema],
    level: CompatibilityLevel,
    *,
    resolver: ReferenceResolver | None = None,
) -> CompatibilityResult:
    """Would a registry accept ``new`` after ``previous`` under ``level``?

    ``previous`` holds the subject's live versions, oldest first (``RegisteredSchema`` version
    numbers are reported; plain ``Schema`` items are numbered 1..n). The plain levels compare
    with the latest only, the transitive ones with every version; with no previous version
    anything is compatible (as the registry accepts a subject's first version). ``changes`` is
    the semantic change list against the latest previous version.

    Raises:
        SchemaInputError: a schema is not valid in its format, a reference cannot be resolved,
            or the schema type is not supported yet.
    """
    return schema_format(new.schema_type).check(new, previous, level, resolver=resolver)


def describe_changes(
    old: Schema, new: Schema, *, resolver: ReferenceResolver | None = None
) -> tuple[SchemaChange, ...]:
    """Every semantic change from ``old`` to ``new``, categorised for both directions.

    Raises:
        SchemaInputError: as for :func:`check`.
    """
    return schema_format(new.schema_type).describe_changes(old, new, resolver=resolver)


def clear_caches(*, keep_parsed: bool = False) -> None:
    """Forget every pair outcome and change list and, unless ``keep_parsed``, every parsed
    schema (for benchmarks and tests)."""
    for loaded in loaded_formats():
        loaded.clear_caches(keep_parsed=keep_parsed)
