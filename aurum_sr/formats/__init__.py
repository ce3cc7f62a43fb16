"""Schema formats: everything specific to a schema language behind one protocol.

:class:`SchemaFormat` is what a format provides (validity with references, registry identity,
compatibility verdicts, the change list); :func:`schema_format` finds the one for a
:class:`~aurum_sr.model.SchemaType`. Avro (:mod:`aurum_sr.formats.avro`) is the only format
today; a type without a format gets a clear "not supported yet" error (its text identity still
works, see :mod:`aurum_sr.canonical`, since registries store what aurum-sr cannot check).

Adding a format (say JSON Schema) touches no caller:

1. ``aurum_sr/formats/jsonschema/__init__.py`` with a class implementing every method of
   :class:`SchemaFormat` and a module-level ``FORMAT`` instance (Avro's is
   :mod:`aurum_sr.formats.avro`, one module per concern: parse, canonical, checker, changes,
   names, lint, validity);
2. one line in :data:`BUILT_IN` (``SchemaType.JSON: "aurum_sr.formats.jsonschema"``): from then
   on contracts accept the type, and validate, plan, the test registry and
   :class:`~aurum_sr.compat.CompatibilityChecker` reach the format through its type;
3. ``tests/formats/jsonschema/``, mirroring ``tests/formats/avro/``.
"""

from __future__ import annotations

import importlib
import threading

from aurum_sr.errors import SchemaInputError
from aurum_sr.formats.protocol import (
    Locate,
    ProblemLevel,
    ReferenceResolver,
    SchemaFormat,
    SchemaNames,
    SchemaProblem,
)
from aurum_sr.model import SchemaType

__all__ = [
    "BUILT_IN",
    "Locate",
    "ProblemLevel",
    "ReferenceResolver",
    "SchemaFormat",
    "SchemaNames",
    "SchemaProblem",
    "find_format",
    "is_supported",
    "loaded_formats",
    "register_format",
    "schema_format",
]

BUILT_IN: dict[SchemaType, str] = {SchemaType.AVRO: "aurum_sr.formats.avro"}
"""The module that provides each built-in format (as its ``FORMAT``), imported on first use."""

_FORMATS: dict[SchemaType, SchemaFormat] = {}
_LOADING = threading.Lock()


def register_format(schema_format: SchemaFormat) -> None:
    """Make ``schema_format`` the format of its :attr:`~SchemaFormat.schema_type`."""
    _FORMATS[schema_format.schema_type] = schema_format


def find_format(schema_type: SchemaType) -> SchemaFormat | None:
    """The format of ``schema_type``, or ``None`` when aurum-sr has none for it yet."""
    found = _FORMATS.get(schema_type)
    if found is None and schema_type in BUILT_IN:
        with _LOADING:
            if schema_type not in _FORMATS:
                module = importlib.import_module(BUILT_IN[schema_type])
                register_format(module.FORMAT)
        found = _FORMATS[schema_type]
    return found


def schema_format(schema_type: SchemaType) -> SchemaFormat:
    """The format of ``schema_type``.

    Raises:
        SchemaInputError: aurum-sr has no format for ``schema_type`` yet.
    """
    found = find_format(schema_type)
    if found is None:
        raise SchemaInputError(f"{schema_type.value} schemas are not supported yet")
    return found


def is_supported(schema_type: SchemaType) -> bool:
    """Whether aurum-sr has a format for ``schema_type`` (without loading it)."""
    return schema_type in _FORMATS or schema_type in BUILT_IN


def loaded_formats() -> tuple[SchemaFormat, ...]:
    """The formats in use so far (registered or imported)."""
    return tuple(_FORMATS.values())
