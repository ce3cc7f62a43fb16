"""Avro validity of each subject's schema, parsed the way registries parse it."""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

from aurum_sr.avro_defaults import default_problems
from aurum_sr.avro_parse import (
    ReferenceResolver,
    parse_avro,
    strictness_problems,
)
from aurum_sr.desired.contracts import SubjectEntry
from aurum_sr.desired.diagnostics import Collector, did_you_mean
from aurum_sr.desired.schemas import SchemaFile
from aurum_sr.errors import SchemaInputError
from aurum_sr.model import Schema, SchemaReference

PRIMITIVES = ("null", "boolean", "int", "long", "float", "double", "bytes", "string")

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
    for subject, file in files.items():
        # Strictness is only meaningful for a schema the lenient parser accepted.
        if _check(subject, run) and file.path not in strict_checked:
            strict_checked.add(file.path)
            _strictness(file, diags)


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
    run.valid[subject] = _parse(
        run.schemas[subject], run.files[subject], run.resolve, run.owners, run.diags
    )
    return run.valid[subject]


def _parse(
    schema: Schema,
    file: SchemaFile,
    resolve: ReferenceResolver,
    owners: Mapping[str, str],
    diags: Collector,
) -> bool:
    caught: list[str] = []
    try:
        parsed = parse_avro(schema, resolve, notes=caught)
    except SchemaInputError as exc:
        message = exc.message.removeprefix("schema is not valid Avro: ")
        diags.error(
            "avro-invalid",
            f"not a valid Avro schema: {message}",
            file.path,
            _locate(file.text, message),
            _hint(message, owners),
        )
        return False
    for problem in default_problems(parsed):
        where = _locate_field(file.text, problem.field_name)
        if problem.portable_only:
            diags.rule(
                "avro-union-default",
                f"field {problem.field_path}: {problem.message}",
                file.path,
                where,
                "put the branch the default belongs to first in the union",
            )
        else:
            diags.error(
                "avro-invalid-default",
                f"field {problem.field_path}: {problem.message}",
                file.path,
                where,
                "the registry refuses such a schema (error 42201): make the default a value of "
                "the field's type (for a union, of its first branch)",
            )
    for text in caught:
        diags.warning(
            "avro-logical-type",
            f"{text} (the registry ignores the logical type)",
            file.path,
            _locate(file.text, text),
            "fix the logicalType's underlying type or its attributes",
        )
    return True


def _strictness(file: SchemaFile, diags: Collector) -> None:
    if file.obviously_strict:
        return  # the strict parse (a second full parse) could only agree
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        problems = strictness_problems(file.text)
    for problem in problems:
        rule = "avro-strict-enum" if "enum" in problem.lower() else "avro-strict-name"
        diags.rule(
            rule,
            f"registries accept this, the Avro specification does not: {problem}",
            file.path,
            _locate(file.text, problem),
            "names must match [A-Za-z_][A-Za-z0-9_]* (dots between namespace parts); "
            "enum defaults must be one of the symbols",
        )


_NAMED_IN_MESSAGE = tuple(
    re.compile(pattern)
    for pattern in (
        r"(\S+) is not a valid Avro name",
        r"Logical type (\S+)",
        r"Field name (\S+)",
        r"Enum default '([^']+)'",
        r'"([^"{\[]+)"',
        r"'([^'{\[]+)'",
    )
)


def _locate(text: str, message: str) -> tuple[int, int]:
    """Best effort: where the schema text first mentions the name the message is about."""
    for pattern in _NAMED_IN_MESSAGE:
        for match in pattern.finditer(message):
            index = text.find(f'"{match.group(1)}"')
            if index >= 0:
                line = text.count("\n", 0, index) + 1
                return (line, index - (text.rfind("\n", 0, index) + 1) + 1)
    return (1, 1)


def _locate_field(text: str, field_name: str) -> tuple[int, int]:
    """Where the schema text declares a field called ``field_name`` (best effort)."""
    match = re.search(r'"name"\s*:\s*"' + re.escape(field_name) + '"', text)
    if match is None:
        return (1, 1)
    line = text.count("\n", 0, match.start()) + 1
    return (line, match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1)


def _hint(message: str, owners: Mapping[str, str]) -> str:
    unknown = re.search(r'Type property "([^"]+)" not a valid Avro schema', message)
    if unknown:
        name = unknown.group(1)
        if name in owners:
            return (
                f"{name} is defined by subject {owners[name]!r}: add it to this subject's "
                f"references (- name: {name} / subject: {owners[name]})"
            )
        close = did_you_mean(name, [*PRIMITIVES, *owners])
        return (close + " " if close else "") + (
            f"{name!r} is neither a primitive type nor a named type defined earlier or "
            "referenced; check the spelling or add a reference"
        )
    return "see the Avro specification (https://avro.apache.org/docs/current/specification/)"
