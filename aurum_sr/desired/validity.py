"""Validity of each subject's schema, parsed the way registries parse it, references resolved
from the desired schemas; what is wrong is found by the subject's schema format
(:meth:`aurum_sr.formats.SchemaFormat.diagnose`)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

from aurum_sr.desired.contracts import SubjectEntry
from aurum_sr.desired.diagnostics import STRICTNESS_RULES, Collector
from aurum_sr.desired.schemas import SchemaFile
from aurum_sr.errors import SchemaInputError
from aurum_sr.formats import (
    ProblemLevel,
    ReferenceResolver,
    SchemaProblem,
    schema_format,
)
from aurum_sr.model import Schema, SchemaReference

if sys.version_info >= (3, 11):
    from typing import assert_never
else:  # pragma: no cover - Python 3.10
    from typing_extensions import assert_never

LATEST = -1
"""The version a reference without a pinned version resolves to: the desired schema."""


def check_validity(
    entries: Mapping[str, SubjectEntry],
    files: Mapping[str, SchemaFile],
    skip: frozenset[str],
    diags: Collector,
) -> None:
    """Parse each subject's schema with its references resolved from the desired schemas."""
    schemas = {
        subject: Schema(
            schema_str=file.text,
            schema_type=file.schema_type,
            references=tuple(
                SchemaReference(r.name, r.subject, r.version or LATEST)
                for r in entries[subject].references
            ),
        )
        for subject, file in files.items()
    }
    owners = {name: subject for subject, file in files.items() for name in file.defined_names}

    def resolve(ref: SchemaReference) -> Schema:
        try:
            return schemas[ref.subject]
        except KeyError:
            raise SchemaInputError(f"subject {ref.subject!r} has no schema") from None

    # A module-level recursion rather than a nested one: a nested function calling itself is a
    # reference cycle that kept every parsed schema file alive until the next full garbage
    # collection (hundreds of MB at 10,000 subjects).
    run = _Run(entries, files, skip, schemas, resolve, owners, diags)
    strict_checked: set[str] = set()
    strictness = not diags.switched_off(STRICTNESS_RULES)
    for subject, file in files.items():
        # Strictness is only meaningful for a schema the lenient parser accepted.
        if _check(subject, run) and strictness and file.path not in strict_checked:
            strict_checked.add(file.path)
            if not file.obviously_strict:  # else the strict parse (a second one) could only agree
                fmt = schema_format(run.schemas[subject].schema_type)
                report(fmt.strictness(file.text), file.path, diags)


@dataclass(frozen=True)
class _Run:
    entries: Mapping[str, SubjectEntry]
    files: Mapping[str, SchemaFile]
    skip: frozenset[str]
    schemas: Mapping[str, Schema]
    resolve: ReferenceResolver
    owners: Mapping[str, str]
    diags: Collector
    valid: dict[str, bool] = field(default_factory=dict)


def _check(subject: str, run: _Run) -> bool:
    """Whether ``subject``'s schema (and everything it references) parses; each parsed once."""
    if subject in run.valid:
        return run.valid[subject]
    run.valid[subject] = False  # guards against cycles, which are reported elsewhere
    targets = [r.subject for r in run.entries[subject].references]
    if subject in run.skip or not all(_check(t, run) for t in targets if t in run.files):
        return False
    schema = run.schemas[subject]
    valid, problems = schema_format(schema.schema_type).diagnose(
        schema, run.resolve, defined_by=run.owners
    )
    report(problems, run.files[subject].path, run.diags)
    run.valid[subject] = valid
    return valid


def report(problems: tuple[SchemaProblem, ...], path: str, diags: Collector) -> None:
    """Record a format's problems with ``path`` (the schema file) as diagnostics."""
    for problem in problems:
        if problem.level is ProblemLevel.ERROR:
            diags.error(problem.rule, problem.message, path, problem.position, problem.hint)
        elif problem.level is ProblemLevel.WARNING:
            diags.warning(problem.rule, problem.message, path, problem.position, problem.hint)
        elif problem.level is ProblemLevel.RULE:
            diags.rule(problem.rule, problem.message, path, problem.position, problem.hint)
        else:
            assert_never(problem.level)
