"""Reading schema files: JSON syntax with positions, and (from the subject's schema format) the
named types a schema defines."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aurum_sr.desired import yaml_io
from aurum_sr.formats import SchemaNames, bounded, schema_format
from aurum_sr.formats.avro.names import NAMED_TYPES, enclosing_namespace, full_name
from aurum_sr.model import SchemaType

__all__ = [
    "NAMED_TYPES",
    "SchemaFile",
    "SchemaFileError",
    "enclosing_namespace",
    "full_name",
    "read_schema_file",
]


@dataclass(frozen=True)
class SchemaFile:
    """A schema file's text; :meth:`parse` tells whether it is JSON."""

    path: str
    """Repository-relative POSIX path."""
    text: str
    schema_type: SchemaType = SchemaType.AVRO
    """The format whose rules say what the file names (:meth:`SchemaFormat.names`)."""
    _parsed: list[Any] = field(default_factory=list, compare=False, repr=False)
    _located: list[Any] = field(default_factory=list, compare=False, repr=False)
    _known: list[SchemaNames] = field(default_factory=list, compare=False, repr=False)

    def parse(self) -> Any:
        """The parsed JSON (plain dicts and lists; :meth:`located` has the positions), parsed
        on first use: a plan's registry read needs only the text, and the schema checks, which
        need the data, may run in another process.

        Raises:
            SchemaFileError: the text is not JSON (with the line and column).
        """
        if not self._parsed:
            try:
                self._parsed.append(bounded.loads(self.text))
            except json.JSONDecodeError as exc:
                raise SchemaFileError(
                    f"schema file is not valid JSON: {exc.msg}",
                    (exc.lineno, exc.colno),
                    "an .avsc file is one JSON document; check for a missing comma, quote or "
                    "bracket near this position",
                ) from None
        return self._parsed[0]

    @property
    def data(self) -> Any:
        """:meth:`parse`'s result, for files known to be JSON."""
        return self.parse()

    def located(self) -> Any:
        """The parsed JSON whose mappings and lists carry positions when the text allowed it.

        Parsed on first use only: the position-keeping parser costs ~100x the JSON parser, and
        positions are needed only for a diagnostic."""
        if not self._located:
            self._located.append(_with_positions(self.text, self.data))
        return self._located[0]

    @property
    def full_name(self) -> str | None:
        """The full name of the top-level named type, or ``None`` for an unnamed schema."""
        return self._facts().full_name

    @property
    def defined_names(self) -> frozenset[str]:
        """The full names of every named type the schema defines."""
        return self._facts().defined

    @property
    def obviously_strict(self) -> bool:
        """Whether the strict check (:meth:`SchemaFormat.strictness`) could only agree."""
        return self._facts().obviously_strict

    def settle(self, *, strictness: bool = True) -> None:
        """Keep what later checks ask of the data (:attr:`full_name`, :attr:`defined_names`,
        :attr:`obviously_strict`) and let the parsed JSON go: holding every file's parsed tree
        at once is most of the memory of checking a large repository. :meth:`parse` parses
        again if asked. Without ``strictness`` (no strictness rule is checked), the scan for
        :attr:`obviously_strict` is skipped, and it says False."""
        self._facts(strictness=strictness)
        self._parsed.clear()
        self._located.clear()

    def _facts(self, *, strictness: bool = True) -> SchemaNames:
        if not self._known:
            found = schema_format(self.schema_type).names(self.data, strictness=strictness)
            self._known.append(found)
        return self._known[0]


class SchemaFileError(Exception):
    """A schema file that cannot be read or is not JSON."""

    def __init__(self, message: str, position: tuple[int, int], hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.hint = hint


def read_schema_file(file: Path, rel: str, schema_type: SchemaType = SchemaType.AVRO) -> SchemaFile:
    """Read one schema file (:meth:`SchemaFile.parse` parses it).

    Raises:
        SchemaFileError: missing, not a regular file, too large, unreadable or not UTF-8.
    """
    try:
        text = bounded.read_text(file)
    except FileNotFoundError:
        raise SchemaFileError(
            "schema file does not exist", (0, 0), "check the path in contracts.yml"
        ) from None
    except bounded.InputFileError as exc:
        raise SchemaFileError(f"schema file {exc.message}", (0, 0), exc.hint) from None
    return SchemaFile(path=rel, text=text, schema_type=schema_type)


def _with_positions(text: str, plain: Any) -> Any:
    # JSON is (nearly) YAML: yaml_io gives every mapping and list its positions. When some
    # JSON spelling trips the YAML parser, fall back to the plain data without positions.
    try:
        located = yaml_io.load(text)
    except yaml_io.YamlSyntaxError:
        return plain
    return located if located == plain else plain
