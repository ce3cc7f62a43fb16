"""What is wrong in an Avro schema's text, parsed the way registries parse it, located in it."""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Mapping

from aurum_sr.errors import SchemaInputError
from aurum_sr.formats.avro.defaults import default_problems
from aurum_sr.formats.avro.parse import parse_avro, strictness_problems
from aurum_sr.formats.protocol import ProblemLevel, ReferenceResolver, SchemaProblem
from aurum_sr.model import Schema

PRIMITIVES = ("null", "boolean", "int", "long", "float", "double", "bytes", "string")


def diagnose(
    schema: Schema, resolver: ReferenceResolver, *, defined_by: Mapping[str, str]
) -> tuple[bool, tuple[SchemaProblem, ...]]:
    """Whether ``schema`` parses (its references through ``resolver``), and what is wrong:
    the parse error, defaults that do not fit their fields, logical types the registry
    ignores."""
    text = schema.schema_str
    caught: list[str] = []
    try:
        parsed = parse_avro(schema, resolver, notes=caught)
    except SchemaInputError as exc:
        message = exc.message.removeprefix("schema is not valid Avro: ")
        problem = SchemaProblem(
            "avro-invalid",
            ProblemLevel.ERROR,
            f"not a valid Avro schema: {message}",
            _locate(text, message),
            _hint(message, defined_by),
        )
        return False, (problem,)
    problems: list[SchemaProblem] = []
    for found in default_problems(parsed):
        where = _locate_field(text, found.field_name)
        if found.portable_only:
            problems.append(
                SchemaProblem(
                    "avro-union-default",
                    ProblemLevel.RULE,
                    f"field {found.field_path}: {found.message}",
                    where,
                    "put the branch the default belongs to first in the union",
                )
            )
        else:
            problems.append(
                SchemaProblem(
                    "avro-invalid-default",
                    ProblemLevel.ERROR,
                    f"field {found.field_path}: {found.message}",
                    where,
                    "the registry refuses such a schema (error 42201): make the default a value "
                    "of the field's type (for a union, of its first branch)",
                )
            )
    for note in caught:
        problems.append(
            SchemaProblem(
                "avro-logical-type",
                ProblemLevel.WARNING,
                f"{note} (the registry ignores the logical type)",
                _locate(text, note),
                "fix the logicalType's underlying type or its attributes",
            )
        )
    return True, tuple(problems)


def strictness(schema_str: str) -> tuple[SchemaProblem, ...]:
    """What the Avro specification refuses in a schema registries accept: names with ``-``,
    enum symbols or defaults outside the rules."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        problems = strictness_problems(schema_str)
    return tuple(
        SchemaProblem(
            "avro-strict-enum" if "enum" in problem.lower() else "avro-strict-name",
            ProblemLevel.RULE,
            f"registries accept this, the Avro specification does not: {problem}",
            _locate(schema_str, problem),
            "names must match [A-Za-z_][A-Za-z0-9_]* (dots between namespace parts); "
            "enum defaults must be one of the symbols",
        )
        for problem in problems
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


def _hint(message: str, defined_by: Mapping[str, str]) -> str:
    unknown = re.search(r'Type property "([^"]+)" not a valid Avro schema', message)
    if unknown:
        name = unknown.group(1)
        if name in defined_by:
            return (
                f"{name} is defined by subject {defined_by[name]!r}: add it to this subject's "
                f"references (- name: {name} / subject: {defined_by[name]})"
            )
        close = difflib.get_close_matches(name, [*PRIMITIVES, *defined_by], n=1, cutoff=0.6)
        return (f"did you mean {close[0]!r}? " if close else "") + (
            f"{name!r} is neither a primitive type nor a named type defined earlier or "
            "referenced; check the spelling or add a reference"
        )
    return "see the Avro specification (https://avro.apache.org/docs/current/specification/)"
