"""④ Compatibility: verdicts the registry would give, with explained breaking changes. Pure.

* :func:`check` — the verdict on a new schema after a subject's live versions, under a level.
* :func:`describe_changes` — the semantic change list between two schemas.
* :class:`CompatibilityChecker` — the seed's API over dicts, JSON text, Schemas or paths.

Each goes to the schema's format (:func:`aurum_sr.formats.schema_format`); a schema type
without one is refused with a "not supported yet" error.
"""

from aurum_sr.compat.checker import check, clear_caches, describe_changes
from aurum_sr.compat.seed import CompatibilityChecker, SchemaInput
from aurum_sr.formats.result import (
    BreakingChange,
    ChangeCategory,
    CompatibilityResult,
    Direction,
    SchemaChange,
)

__all__ = [
    "BreakingChange",
    "ChangeCategory",
    "CompatibilityChecker",
    "CompatibilityResult",
    "Direction",
    "SchemaChange",
    "SchemaInput",
    "check",
    "clear_caches",
    "describe_changes",
]
