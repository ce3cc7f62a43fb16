"""The error tree and the exit codes every command uses.

::

    AurumError                        exit 1: an expected error, one clear paragraph, no traceback
    ├── ConfigError                   bad configuration (file, environment or flags)
    ├── NotSupportedError             a recognised feature that is not built yet
    ├── ContractError                 a subject the contracts do not list (enforce_contracts)
    ├── DesiredStateError             contracts.yml / .avsc problems; carries every Diagnostic
    ├── SchemaInputError              a schema given on the command line or to the API is unusable
    ├── RegistryError                 the registry refused or could not be reached
    │   ├── SchemaRegistryConnectionError   unreachable after retries
    │   ├── SubjectNotFoundError / VersionNotFoundError / SchemaNotFoundError
    │   ├── IncompatibleSchemaError   HTTP 409 on register
    │   ├── InvalidSchemaError        42201
    │   ├── InvalidCompatibilityLevelError 42203 / InvalidModeError 42204
    │   ├── OperationNotPermittedError 42205 (refused by mode)
    │   ├── ReferencedSchemaError     42206 (still referenced)
    │   └── RegistryStateError        a snapshot file that is corrupt or foreign
    ├── GitHubError                   the GitHub REST API refused a request or could not be reached
    ├── PlanError
    │   ├── PlanBlockedError          exit 3: an incompatible change blocks the plan
    │   ├── StalePlanError            the live state moved since the plan was made
    │   └── PlanFileError             a saved plan that is unreadable, modified or of another format
    └── ApplyError                    apply stopped; carries what was done
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aurum_sr.model import SubjectState

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_INCOMPATIBLE = 3
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
"""SIGTERM (128 + 15), as a shell reports a process it ended; apply reports its steps first."""


class AurumError(Exception):
    """An expected error: the message says what is wrong, where, and how to fix it."""

    exit_code: int = EXIT_ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  hint: {self.hint}"
        return self.message


class ConfigError(AurumError):
    """Configuration that cannot be used."""


class NotSupportedError(AurumError):
    """A recognised feature that aurum-sr does not support yet."""


class ContractError(AurumError):
    """An operation on a subject the contracts do not allow (see ``enforce_contracts``)."""


class SchemaInputError(AurumError):
    """A schema handed to a command or to the API that cannot be read or parsed."""


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the desired state."""

    severity: Severity
    rule: str
    """A stable id, e.g. ``yaml-syntax``, ``unknown-key``, ``missing-doc``."""
    message: str
    path: str
    """Repository-relative path of the file the problem is in."""
    line: int = 0
    column: int = 0
    hint: str | None = None

    @property
    def location(self) -> str:
        if self.line and self.column:
            return f"{self.path}:{self.line}:{self.column}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity.value}[{self.rule}]: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class DesiredStateError(AurumError):
    """The desired state is invalid; ``diagnostics`` holds every problem found."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        errors = [d for d in diagnostics if d.severity is Severity.ERROR]
        summary = f"the desired state is invalid: {len(errors)} error(s)"
        super().__init__("\n".join([summary, *(str(d) for d in diagnostics)]))
        self.diagnostics = diagnostics


class RegistryError(AurumError):
    """The registry refused a request or could not be reached.

    ``message`` is the whole sentence a user reads (what was asked, of which subject and
    registry); ``registry_message`` is what the registry itself said (the ``message`` of its
    error body), ``http_status`` and ``error_code`` how it said it. ``registry`` is always safe
    to print: credentials are masked before it gets here.
    """

    def __init__(
        self,
        message: str,
        *,
        registry: str = "",
        subject: str | None = None,
        http_status: int | None = None,
        error_code: int | None = None,
        registry_message: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.registry = registry
        self.subject = subject
        self.http_status = http_status
        self.error_code = error_code
        self.registry_message = registry_message
        """The registry's own words (its error body's ``message``), secrets redacted; None when
        it said nothing (no answer, or a body that is not the registry's)."""


class SchemaRegistryConnectionError(RegistryError):
    """The registry could not be reached (after retries)."""


class SubjectNotFoundError(RegistryError):
    """40401."""


class VersionNotFoundError(RegistryError):
    """40402."""


class SchemaNotFoundError(RegistryError):
    """40403."""


class IncompatibleSchemaError(RegistryError):
    """HTTP 409 on register, whatever the error_code (409 or 40901)."""


class InvalidSchemaError(RegistryError):
    """42201."""


class InvalidCompatibilityLevelError(RegistryError):
    """42203."""


class InvalidModeError(RegistryError):
    """42204."""


class OperationNotPermittedError(RegistryError):
    """42205: refused by the subject's or the registry's mode."""


class ReferencedSchemaError(RegistryError):
    """42206: the subject or version is still referenced by other schemas."""


class RegistryStateError(RegistryError):
    """A registry snapshot file that is corrupt, foreign or locked."""


class GitHubError(AurumError):
    """The GitHub REST API refused a request (or could not be reached) while posting a comment
    or syncing an issue. Never carries the token."""

    def __init__(self, message: str, *, status: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


class PlanError(AurumError):
    """A plan cannot be made, saved, loaded or used."""


class PlanBlockedError(PlanError):
    """An incompatible change blocks the plan."""

    exit_code = EXIT_INCOMPATIBLE


class StalePlanError(PlanError):
    """The live registry moved since the saved plan was made."""


class PlanFileError(PlanError):
    """A saved plan that cannot be used (unreadable, modified, or another format version)."""


class ApplyError(AurumError):
    """Apply stopped before finishing; the report says what was done."""


class PartialHistoryError(RuntimeError):
    """Internal error: a step that needs a subject's whole history got a latest-only read.

    Not an :class:`AurumError`: it is a bug in aurum-sr (the CLI reports it as unexpected, exit
    70), never a problem with the user's input or registry.
    """

    def __init__(self, subject: str, needed_for: str) -> None:
        super().__init__(
            f"internal error: {needed_for} needs the whole history of {subject}, "
            "but only its latest version was read"
        )
        self.subject = subject
        self.needed_for = needed_for


def require_history(state: SubjectState | None, needed_for: str) -> None:
    """Raise :class:`PartialHistoryError` when ``state`` holds only the latest version."""
    if state is not None and not state.history_complete:
        raise PartialHistoryError(state.subject, needed_for)
