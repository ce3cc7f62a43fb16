"""The registry's error codes, in one table.

A registry answers every refusal with ``{"error_code": …, "message": …}`` and an HTTP status
(404 → 404xx, 409 → 409/40901, 422 → 422xx, 500 → 500xx). The three parts of aurum-sr that
speak this language read it from here, so they cannot drift apart:

* the in-process engine (:mod:`aurum_sr.registry.engine`) raises :func:`registry_error` with a
  code, and gets the typed error and the HTTP status of the table;
* the test server (:mod:`aurum_sr.testing`) answers with the status and code of that error (and
  with :data:`ERRORS` for the refusals it makes itself);
* the HTTP client (:mod:`aurum_sr.registry.http`) maps an answer back to the typed error and adds
  the table's hint.

Codes, statuses and meanings are Confluent's (``Errors.java``); other implementations reuse them.
Errors raised by the HTTP framework rather than the registry (unknown path, 401, 405) carry the
HTTP status as their code and are not in the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from types import MappingProxyType

from aurum_sr.errors import (
    IncompatibleSchemaError,
    InvalidCompatibilityLevelError,
    InvalidModeError,
    InvalidSchemaError,
    OperationNotPermittedError,
    ReferencedSchemaError,
    RegistryError,
    SchemaNotFoundError,
    SubjectNotFoundError,
    VersionNotFoundError,
)


class ErrorCode(IntEnum):
    """The ``error_code`` of a registry's error body."""

    SUBJECT_NOT_FOUND = 40401
    VERSION_NOT_FOUND = 40402
    SCHEMA_NOT_FOUND = 40403
    SUBJECT_SOFT_DELETED = 40404
    """Soft-deleting a subject that is already soft-deleted."""
    SUBJECT_NOT_SOFT_DELETED = 40405
    """Permanently deleting a subject that is not soft-deleted first."""
    VERSION_SOFT_DELETED = 40406
    VERSION_NOT_SOFT_DELETED = 40407
    SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408
    """``GET /config/{s}``: no subject-level level (CP 7.0+; older servers answer 40401)."""
    SUBJECT_MODE_NOT_CONFIGURED = 40409
    """``GET /mode/{s}``: no subject-level mode (CP 7.0+; older servers answer 40401)."""
    INCOMPATIBLE_SCHEMA = 409
    """The spelling of every registry up to CP 8.0.3 / 8.1.1, and of Karapace."""
    INCOMPATIBLE_SCHEMA_40901 = 40901
    """The spelling from CP 8.0.4 / 8.1.2 / 8.2.0."""
    INVALID_SCHEMA = 42201
    INVALID_VERSION = 42202
    INVALID_COMPATIBILITY_LEVEL = 42203
    INVALID_MODE = 42204
    OPERATION_NOT_PERMITTED = 42205
    """Refused by the mode (READONLY, IMPORT without an id, an id outside IMPORT, …)."""
    REFERENCE_EXISTS = 42206
    ID_DOES_NOT_MATCH = 42207
    INVALID_SUBJECT = 42208
    SCHEMA_TOO_LARGE = 42209
    INVALID_RULE_SET = 42210
    STORE_ERROR = 50001
    OPERATION_TIMEOUT = 50002
    """The write may have succeeded (register is idempotent: retry)."""
    REQUEST_FORWARDING_FAILED = 50003
    UNKNOWN_LEADER = 50004


@dataclass(frozen=True)
class ErrorKind:
    """What one error code means to aurum-sr."""

    code: ErrorCode
    http_status: int
    """The HTTP status a registry answers with this code."""
    error: type[RegistryError]
    """The typed error it becomes."""
    hint: str | None = None
    """What the HTTP client suggests when a registry answers this code."""


_SOFT_DELETED = "delete it with permanent=true to remove it"

ERRORS: Mapping[int, ErrorKind] = MappingProxyType(
    {
        kind.code: kind
        for kind in (
            ErrorKind(ErrorCode.SUBJECT_NOT_FOUND, 404, SubjectNotFoundError),
            ErrorKind(ErrorCode.VERSION_NOT_FOUND, 404, VersionNotFoundError),
            ErrorKind(ErrorCode.SCHEMA_NOT_FOUND, 404, SchemaNotFoundError),
            ErrorKind(
                ErrorCode.SUBJECT_SOFT_DELETED,
                404,
                RegistryError,
                f"the subject is already soft-deleted; {_SOFT_DELETED}",
            ),
            ErrorKind(
                ErrorCode.SUBJECT_NOT_SOFT_DELETED,
                404,
                RegistryError,
                "soft-delete the subject first, then delete it permanently",
            ),
            ErrorKind(
                ErrorCode.VERSION_SOFT_DELETED,
                404,
                RegistryError,
                f"the version is already soft-deleted; {_SOFT_DELETED}",
            ),
            ErrorKind(
                ErrorCode.VERSION_NOT_SOFT_DELETED,
                404,
                RegistryError,
                "soft-delete the version first, then delete it permanently",
            ),
            ErrorKind(ErrorCode.SUBJECT_COMPATIBILITY_NOT_CONFIGURED, 404, RegistryError),
            ErrorKind(ErrorCode.SUBJECT_MODE_NOT_CONFIGURED, 404, RegistryError),
            ErrorKind(ErrorCode.INCOMPATIBLE_SCHEMA, 409, IncompatibleSchemaError),
            ErrorKind(ErrorCode.INCOMPATIBLE_SCHEMA_40901, 409, IncompatibleSchemaError),
            ErrorKind(
                ErrorCode.INVALID_SCHEMA,
                422,
                InvalidSchemaError,
                "fix the schema (aurum-sr validate shows where)",
            ),
            ErrorKind(ErrorCode.INVALID_VERSION, 422, RegistryError),
            ErrorKind(ErrorCode.INVALID_COMPATIBILITY_LEVEL, 422, InvalidCompatibilityLevelError),
            ErrorKind(ErrorCode.INVALID_MODE, 422, InvalidModeError),
            ErrorKind(
                ErrorCode.OPERATION_NOT_PERMITTED,
                422,
                OperationNotPermittedError,
                "the subject or registry mode refuses this; change the mode (READWRITE or IMPORT)",
            ),
            ErrorKind(
                ErrorCode.REFERENCE_EXISTS,
                422,
                ReferencedSchemaError,
                "delete or re-point the schemas that reference it first (`aurum-sr plan` names "
                "them), then make a fresh plan: a saved plan file made before cannot delete it "
                "(`aurum-sr plan --out plan.json`, then `aurum-sr apply plan.json --allow-delete`)",
            ),
            ErrorKind(ErrorCode.ID_DOES_NOT_MATCH, 422, RegistryError),
            ErrorKind(ErrorCode.INVALID_SUBJECT, 422, RegistryError),
            ErrorKind(ErrorCode.SCHEMA_TOO_LARGE, 422, RegistryError),
            ErrorKind(ErrorCode.INVALID_RULE_SET, 422, RegistryError),
            ErrorKind(ErrorCode.STORE_ERROR, 500, RegistryError),
            ErrorKind(ErrorCode.OPERATION_TIMEOUT, 500, RegistryError),
            ErrorKind(ErrorCode.REQUEST_FORWARDING_FAILED, 500, RegistryError),
            ErrorKind(ErrorCode.UNKNOWN_LEADER, 500, RegistryError),
        )
    }
)
"""Every registry error code aurum-sr knows, by code."""

NO_SUBJECT_SETTING = frozenset(
    {
        ErrorCode.SUBJECT_NOT_FOUND,
        ErrorCode.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
        ErrorCode.SUBJECT_MODE_NOT_CONFIGURED,
    }
)
"""``GET /config/{s}`` / ``GET /mode/{s}``: the subject has no own setting (40401 on servers
before CP 7.0)."""


def registry_error(
    code: ErrorCode,
    message: str,
    *,
    registry: str,
    subject: str | None = None,
    hint: str | None = None,
) -> RegistryError:
    """The typed error a registry raises for ``code``, saying ``message``.

    The error's text names the subject and registry; ``registry_message`` is ``message`` alone,
    what a server puts in its error body.
    """
    kind = ERRORS[code]
    where = f"subject {subject!r} in registry {registry}" if subject else registry
    return kind.error(
        f"{message} ({where})",
        registry=registry,
        subject=subject,
        http_status=kind.http_status,
        error_code=int(code),
        registry_message=message,
        hint=hint,
    )
