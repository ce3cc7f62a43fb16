"""Verdicts the way a Confluent-compatible registry gives them, over an ordered history.

For a level, the new schema is checked against the latest live version (plain levels) or every
live version (``*_TRANSITIVE``): BACKWARD has the new schema read each old one, FORWARD each old
one read the new schema, FULL both. Every single reader/writer question is answered by
:class:`~aurum_sr.formats.avro.reader_writer.RegistryChecker` (the Avro project's checker, corrected
where its Python port differs from Java).

Parsed schemas are cached by identity (:mod:`aurum_sr.formats.avro.parsed`) and pair outcomes by the
pair of identities, so a plan that checks the same schemas many times parses and checks
each distinct schema and pair once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aurum_sr.errors import SchemaInputError
from aurum_sr.formats.avro.changes import describe_parsed
from aurum_sr.formats.avro.explain import Explainer, Finding, raw_findings
from aurum_sr.formats.avro.fingerprint import node_ids
from aurum_sr.formats.avro.parse import ReferenceResolver
from aurum_sr.formats.avro.parsed import Lru, SchemaKey, clear_parsed, parsed
from aurum_sr.formats.avro.reader_writer import RegistryChecker
from aurum_sr.formats.result import BreakingChange, CompatibilityResult, Direction, SchemaChange
from aurum_sr.model import CompatibilityLevel, RegisteredSchema, Schema


@dataclass(frozen=True)
class PairOutcome:
    """Whether ``reader`` can read ``writer``, and why not (direction-specific phrasing)."""

    compatible: bool
    findings: tuple[Finding, ...] = ()


_PAIRS: Lru[tuple[SchemaKey, SchemaKey, Direction], PairOutcome] = Lru(16384)
_CHANGES: Lru[tuple[SchemaKey, SchemaKey, CompatibilityLevel], tuple[SchemaChange, ...]] = Lru(4096)


def clear_caches(*, keep_parsed: bool = False) -> None:
    """Forget every pair outcome and change list and, unless ``keep_parsed``, every parsed
    schema (for benchmarks and tests)."""
    if not keep_parsed:
        clear_parsed()
    _PAIRS.clear()
    _CHANGES.clear()


def read_outcome(
    reader: tuple[SchemaKey, Any], writer: tuple[SchemaKey, Any], direction: Direction
) -> PairOutcome:
    """Can the reader read what the writer writes? Explained when not (cached)."""
    cache_key = (reader[0], writer[0], direction)
    outcome = _PAIRS.get(cache_key)
    if outcome is not None:
        return outcome
    identities = {**node_ids(reader[1]), **node_ids(writer[1])}
    checker = RegistryChecker(identities)
    if checker.compatible(reader[1], writer[1]):
        outcome = PairOutcome(True)
    else:
        findings = Explainer(checker, direction).explain(reader[1], writer[1])
        if not findings:
            findings = raw_findings(checker.get_compatibility(reader[1], writer[1]))
        outcome = PairOutcome(False, tuple(findings))
    _PAIRS.put(cache_key, outcome)
    return outcome


def _numbered(
    previous: Sequence[RegisteredSchema] | Sequence[Schema],
) -> list[tuple[int, Schema]]:
    out: list[tuple[int, Schema]] = []
    for i, item in enumerate(previous, start=1):
        if isinstance(item, RegisteredSchema):
            out.append((item.version, item.schema))
        elif isinstance(item, Schema):
            out.append((i, item))
        else:
            raise SchemaInputError(
                f"previous version {i} is a {type(item).__name__}, not a Schema or RegisteredSchema"
            )
    return out


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
        SchemaInputError: a schema is not valid Avro or a reference cannot be resolved.
    """
    history = _numbered(previous)
    new_parsed = parsed(new, resolver)
    if level is CompatibilityLevel.NONE or not history:
        targets: list[tuple[int, Schema]] = []
    elif level.transitive:
        targets = history
    else:
        targets = history[-1:]
    breaking: list[BreakingChange] = []
    # Newest first, as the registry reports them.
    for version, old in reversed(targets):
        old_parsed = parsed(old, resolver)
        directions: list[tuple[Direction, Any, Any]] = []
        if level.checks_backward:
            directions.append((Direction.NEW_READS_OLD, new_parsed, old_parsed))
        if level.checks_forward:
            directions.append((Direction.OLD_READS_NEW, old_parsed, new_parsed))
        for direction, reader, writer in directions:
            outcome = read_outcome(reader, writer, direction)
            breaking.extend(_breaking(f, direction, version) for f in outcome.findings)
    changes: tuple[SchemaChange, ...] = ()
    if history:
        latest = parsed(history[-1][1], resolver)
        changes_key = (latest[0], new_parsed[0], level)
        cached = _CHANGES.get(changes_key)
        if cached is None:
            # Under NONE the registry checks nothing, but readers still break: categorise the
            # changes for both directions so the plan says which ones do.
            relative_to = None if level is CompatibilityLevel.NONE else level
            cached = describe_parsed(latest[1], new_parsed[1], relative_to)
            _CHANGES.put(changes_key, cached)
        changes = cached
    return CompatibilityResult(
        is_compatible=not breaking,
        level=level,
        breaking_changes=tuple(breaking),
        changes=changes,
        checked_versions=tuple(v for v, _ in targets),
        messages=tuple(_message(b) for b in breaking),
        recommendations=tuple(
            dict.fromkeys(b.recommendation for b in breaking if b.recommendation)
        ),
    )


def _breaking(finding: Finding, direction: Direction, version: int) -> BreakingChange:
    return BreakingChange(
        kind=finding.kind,
        direction=direction,
        location=finding.location,
        field_path=finding.field_path,
        message=finding.message,
        against_version=version,
        recommendation=finding.recommendation,
    )


def _message(change: BreakingChange) -> str:
    return f"v{change.against_version} ({change.direction.value}): {change.message}"
