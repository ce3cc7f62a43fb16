"""What every schema format provides: the one seam between aurum-sr and a schema language."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from aurum_sr.formats.result import CompatibilityResult, SchemaChange
from aurum_sr.model import CompatibilityLevel, RegisteredSchema, Schema, SchemaReference, SchemaType

ReferenceResolver = Callable[[SchemaReference], Schema]
"""Returns the schema a reference points at (subject + version)."""


Locate = Callable[[Any, "str | None"], tuple[int, int]]
"""``locate(node, key)``: the line and column of ``node[key]``'s value in the schema text (of
``node`` itself when ``key`` is None); ``(0, 0)`` when the document carries no positions."""


class ProblemLevel(str, Enum):
    """How a :class:`SchemaProblem` is reported."""

    ERROR = "error"
    WARNING = "warning"
    RULE = "rule"
    """A switchable rule: reported at the level the contracts choose for its ``rule`` id."""


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    """One problem found in a schema's text, located in that text."""

    rule: str
    """Stable rule id (e.g. ``avro-invalid``), the one contracts switch rules by."""
    level: ProblemLevel
    message: str
    position: tuple[int, int] = (1, 1)
    """Line and column in the schema text (best effort; ``(1, 1)`` when unknown)."""
    hint: str | None = None


@dataclass(frozen=True)
class SchemaNames:
    """What a schema document names: what naming strategies and references are checked by."""

    full_name: str | None
    """The full name of the top-level named type (``None`` when the top level has no name)."""
    defined: frozenset[str]
    """Every named type the schema defines: what a reference to it may name."""
    obviously_strict: bool
    """True when :meth:`SchemaFormat.strictness` could find nothing (a cheap scan), so the
    strict parse is skipped; False when it might (or when the scan was not asked for)."""


class SchemaFormat(Protocol):
    """A schema language (Avro today): validity, registry identity, compatibility, changes.

    Everything format-specific sits behind this protocol; callers look a format up by
    :class:`~aurum_sr.model.SchemaType` with :func:`aurum_sr.formats.schema_format`.
    """

    @property
    def schema_type(self) -> SchemaType:
        """The registry's ``schemaType`` this format handles."""
        ...

    def canonical_text(self, schema_str: str) -> str:
        """The identity text of a schema: equal texts mean the registry sees the same schema.

        Raises:
            SchemaInputError: the text cannot even be read (e.g. not JSON).
        """
        ...

    def validate(self, schema: Schema, resolver: ReferenceResolver | None) -> tuple[str, ...]:
        """Parse ``schema`` with its references the way a registry does.

        Returns what a registry would still refuse to register once parsed (e.g. a default
        that does not fit its field), in the registry's own words; empty when nothing.

        Raises:
            SchemaInputError: the schema (or one it references) does not parse, or a reference
                cannot be resolved.
        """
        ...

    def diagnose(
        self,
        schema: Schema,
        resolver: ReferenceResolver,
        *,
        defined_by: Mapping[str, str],
    ) -> tuple[bool, tuple[SchemaProblem, ...]]:
        """Whether ``schema`` parses, and every problem found in its text (located in
        ``schema.schema_str``). ``defined_by`` maps the type names other subjects define to
        those subjects, for hints that suggest a missing reference."""
        ...

    def names(self, data: Any, *, strictness: bool = True) -> SchemaNames:
        """What the parsed schema document ``data`` names; without ``strictness``, no scan for
        :attr:`SchemaNames.obviously_strict` (False then)."""
        ...

    def lint(
        self, data: Any, locate: Locate, *, off: Collection[str] = frozenset()
    ) -> tuple[SchemaProblem, ...]:
        """The style findings in the parsed schema document ``data`` (rule-level problems),
        located with ``locate``; the rules in ``off`` (switched off) are not checked."""
        ...

    def strictness(self, schema_str: str) -> tuple[SchemaProblem, ...]:
        """What the format's specification refuses in a schema registries accept (rule-level
        problems); checked only for a schema :meth:`diagnose` found parseable."""
        ...

    def check(
        self,
        new: Schema,
        previous: Sequence[RegisteredSchema] | Sequence[Schema],
        level: CompatibilityLevel,
        *,
        resolver: ReferenceResolver | None = None,
    ) -> CompatibilityResult:
        """Would a registry accept ``new`` after ``previous`` (oldest first) under ``level``?
        With the breaking changes explained and the change list against the latest.

        Raises:
            SchemaInputError: a schema does not parse or a reference cannot be resolved.
        """
        ...

    def describe_changes(
        self, old: Schema, new: Schema, *, resolver: ReferenceResolver | None = None
    ) -> tuple[SchemaChange, ...]:
        """Every semantic change from ``old`` to ``new``, categorised for both directions.

        Raises:
            SchemaInputError: a schema does not parse or a reference cannot be resolved.
        """
        ...

    def clear_caches(self, *, keep_parsed: bool = False) -> None:
        """Forget cached verdicts and change lists and, unless ``keep_parsed``, parsed
        schemas (for benchmarks and tests)."""
        ...
