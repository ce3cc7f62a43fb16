"""Collecting diagnostics while loading, with the lint levels the contracts chose."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from enum import Enum

from typing_extensions import assert_never

from aurum_sr.errors import Diagnostic, Severity


class Level(str, Enum):
    """What a switchable rule does when it fires (``defaults.lint`` in contracts.yml)."""

    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


SWITCHABLE_RULES: Mapping[str, Level] = {
    "missing-doc": Level.WARNING,
    "optional-without-null-default": Level.WARNING,
    "enum-without-default": Level.WARNING,
    "field-not-snake-case": Level.WARNING,
    "avro-strict-name": Level.WARNING,
    "avro-strict-enum": Level.WARNING,
    "unlisted-schema": Level.WARNING,
    # An error by default: registries on Avro 1.11 or older refuse such a schema with 42201,
    # which would stop apply half-way; teams on Confluent Platform 8.2+ may switch it down.
    "avro-union-default": Level.ERROR,
}
"""Every rule ``defaults.lint`` may switch, with its level when the contracts say nothing."""

STRICTNESS_RULES: tuple[str, ...] = ("avro-strict-name", "avro-strict-enum")
"""The rules of :meth:`aurum_sr.formats.SchemaFormat.strictness` (a second, strict parse)."""

ALLOWABLE_RULES: tuple[str, ...] = (
    "avro-invalid",
    "avro-invalid-default",
    "avro-union-default",
    "avro-strict-name",
    "avro-strict-enum",
    "missing-doc",
    "optional-without-null-default",
    "enum-without-default",
    "field-not-snake-case",
)
"""The rules about a schema's content that one subject's ``allow:`` may excuse: a schema the
registry already holds (an older registry accepted it) that ``validate`` would refuse. An
excused error is reported as a warning, for that subject's schema file only."""


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """``did you mean 'x'?`` for the closest choice, or ``None`` when nothing is close."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {matches[0]!r}?" if matches else None


class Collector:
    """Every problem found so far, in the order found."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []
        self.levels: dict[str, Level] = dict(SWITCHABLE_RULES)

    def error(
        self,
        rule: str,
        message: str,
        path: str,
        position: tuple[int, int] = (0, 0),
        hint: str | None = None,
    ) -> None:
        """Record an error."""
        self._add(Severity.ERROR, rule, message, path, position, hint)

    def warning(
        self,
        rule: str,
        message: str,
        path: str,
        position: tuple[int, int] = (0, 0),
        hint: str | None = None,
    ) -> None:
        """Record a warning."""
        self._add(Severity.WARNING, rule, message, path, position, hint)

    def rule(
        self,
        rule: str,
        message: str,
        path: str,
        position: tuple[int, int] = (0, 0),
        hint: str | None = None,
    ) -> None:
        """Record a switchable rule at the level the contracts chose (nothing when ``off``)."""
        level = self.levels.get(rule, Level.WARNING)
        if level is Level.ERROR:
            self.error(rule, message, path, position, hint)
        elif level is Level.WARNING:
            self.warning(rule, message, path, position, hint)
        elif level is Level.OFF:
            pass
        else:
            assert_never(level)

    def switched_off(self, rules: tuple[str, ...]) -> bool:
        """True when every one of ``rules`` is ``off`` (checking them would find nothing)."""
        return all(self.levels.get(rule, Level.WARNING) is Level.OFF for rule in rules)

    @property
    def has_errors(self) -> bool:
        """True when at least one error was recorded."""
        return any(d.severity is Severity.ERROR for d in self.items)

    def _add(
        self,
        severity: Severity,
        rule: str,
        message: str,
        path: str,
        position: tuple[int, int],
        hint: str | None,
    ) -> None:
        line, column = position
        self.items.append(
            Diagnostic(
                severity=severity,
                rule=rule,
                message=message,
                path=path,
                line=line,
                column=column,
                hint=hint,
            )
        )
