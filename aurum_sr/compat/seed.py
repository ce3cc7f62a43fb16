"""The seed's API: ``CompatibilityChecker`` over dicts, JSON text, Schemas or paths."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Union

from aurum_sr.compat.checker import check
from aurum_sr.errors import SchemaInputError
from aurum_sr.formats import ReferenceResolver, bounded, schema_format
from aurum_sr.formats.result import CompatibilityResult
from aurum_sr.model import CompatibilityLevel, Schema

SchemaInput = Union[Mapping[str, object], list[object], str, Path, Schema]  # noqa: UP007
"""A schema as a dict (or union list), JSON text, a :class:`Schema`, or a path to an ``.avsc``."""


def read_schema_file(path: Path) -> str:
    """The one place compat touches the file system: the text of an ``.avsc`` file."""
    try:
        return bounded.read_text(path)
    except FileNotFoundError:
        raise SchemaInputError(f"{path}: no such schema file") from None
    except bounded.InputFileError as exc:
        raise SchemaInputError(f"{path}: the schema file {exc.message}", hint=exc.hint) from None


def to_schema(value: SchemaInput, *, what: str = "schema") -> tuple[Schema, str]:
    """``value`` as a :class:`Schema`, and a label for messages (the file name, or ``what``).

    A ``str`` that looks like JSON (starts with ``{``, ``[`` or ``"``) is schema text; any other
    ``str`` is a path.
    """
    if isinstance(value, Schema):
        return value, what
    if isinstance(value, Path):
        return Schema(read_schema_file(value)), str(value)
    if isinstance(value, str):
        if value.lstrip()[:1] in ("{", "[", '"'):
            return Schema(value), what
        return Schema(read_schema_file(Path(value))), value
    if isinstance(value, (Mapping, list)):
        try:
            return Schema(json.dumps(value)), what
        except (TypeError, ValueError) as exc:
            raise SchemaInputError(f"{what} cannot be written as JSON: {exc}") from None
    raise SchemaInputError(
        f"{what} must be a dict, JSON text, a Schema or a path, not {type(value).__name__}"
    )


def to_level(mode: CompatibilityLevel | str) -> CompatibilityLevel:
    """A level from the enum or its name (any case)."""
    if isinstance(mode, CompatibilityLevel):
        return mode
    try:
        return CompatibilityLevel(str(mode).strip().upper())
    except ValueError:
        choices = ", ".join(level.value for level in CompatibilityLevel)
        raise SchemaInputError(
            f"unknown compatibility mode {mode!r}; use one of {choices}"
        ) from None


def _validated(value: SchemaInput, what: str, resolver: ReferenceResolver | None) -> Schema:
    schema, label = to_schema(value, what=what)
    try:
        schema_format(schema.schema_type).validate(schema, resolver)
    except SchemaInputError as exc:
        raise SchemaInputError(f"{label}: {exc.message}", hint=exc.hint) from None
    return schema


class CompatibilityChecker:
    """Check a new schema against an old one or a history, as the registry would.

    Example::

        result = CompatibilityChecker().check_compatibility("v1.avsc", "v2.avsc", "BACKWARD")
        if not result.is_compatible:
            print(result.summary(), *result.recommendations, sep="\\n")
    """

    def __init__(self, *, resolver: ReferenceResolver | None = None) -> None:
        self.resolver = resolver

    def check_compatibility(
        self,
        old_schema: SchemaInput,
        new_schema: SchemaInput,
        mode: CompatibilityLevel | str = CompatibilityLevel.BACKWARD,
    ) -> CompatibilityResult:
        """Can ``new_schema`` follow ``old_schema`` (version 1) under ``mode``?

        Raises:
            SchemaInputError: a schema cannot be read or is not valid Avro (the message names
                the file), or the mode is unknown.
        """
        return self.check_against_history([old_schema], new_schema, mode)

    def check_against_history(
        self,
        previous: Sequence[SchemaInput],
        new_schema: SchemaInput,
        mode: CompatibilityLevel | str = CompatibilityLevel.BACKWARD,
    ) -> CompatibilityResult:
        """Can ``new_schema`` follow ``previous`` (oldest first, numbered 1..n) under ``mode``?

        Raises:
            SchemaInputError: as for :meth:`check_compatibility`.
        """
        level = to_level(mode)
        if isinstance(previous, (str, Path, Mapping)):
            raise SchemaInputError("previous must be a sequence of schemas, oldest first")
        old = [
            _validated(item, f"previous schema {i}", self.resolver)
            for i, item in enumerate(previous, start=1)
        ]
        new = _validated(new_schema, "new schema", self.resolver)
        return check(new, old, level, resolver=self.resolver)
