"""The typed steps of a plan: everything apply needs to perform each one, nothing more."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from aurum_sr.datacontracts import ContractConfig, Metadata, RuleSet
from aurum_sr.model import CompatibilityLevel, Mode, SchemaType
from aurum_sr.plan.reasons import DeleteReason


@dataclass(frozen=True)
class StepReference:
    """A reference as apply sends it."""

    name: str
    subject: str
    version: int | None
    """The referenced version; ``None`` when ``planned``."""
    planned: bool = False
    """True: use the version this plan's RegisterSchema step for ``subject`` registered."""


@dataclass(frozen=True)
class RegisterSchema:
    """Register ``schema_str`` under ``subject`` (a new version, or the first one)."""

    subject: str
    schema_str: str
    schema_type: SchemaType
    references: tuple[StepReference, ...]
    normalize: bool
    schema_file: str | None
    expected_version: int
    """The number the registry should give it, if nothing else registers meanwhile."""
    metadata: Metadata | None = None
    """The metadata the version is to hold (sent as is; ``None``: none sent)."""
    rule_set: RuleSet | None = None
    """The rule set the version is to hold (sent as is; ``None``: none sent)."""
    kind: Literal["register_schema"] = "register_schema"


@dataclass(frozen=True)
class SetContractConfig:
    """Set the subject's data-contract configuration (``PUT /config/{subject}``: default and
    override metadata and rule sets, compatibility group, alias; the level is kept)."""

    subject: str
    config: ContractConfig
    previous: ContractConfig
    kind: Literal["set_contract_config"] = "set_contract_config"


@dataclass(frozen=True)
class SetCompatibility:
    """Set the subject-level compatibility (``PUT /config/{subject}``)."""

    subject: str
    level: CompatibilityLevel
    previous: CompatibilityLevel | None
    """The subject-level setting seen; ``None`` when the subject inherited the global level."""
    loosening: bool
    temporary: bool = False
    """Set only so that this plan's registration of an accepted incompatible schema for the
    subject is taken (``NONE``; a later step sets the level back). Apply skips it when that
    registration is already in effect."""
    kind: Literal["set_compatibility"] = "set_compatibility"


@dataclass(frozen=True)
class SetMode:
    """Set the subject-level mode (``PUT /mode/{subject}``)."""

    subject: str
    mode: Mode
    previous: Mode | None
    kind: Literal["set_mode"] = "set_mode"


@dataclass(frozen=True)
class DeleteVersion:
    """Delete one version (soft, or permanent when it is already soft-deleted)."""

    subject: str
    version: int
    permanent: bool
    reason: DeleteReason
    kind: Literal["delete_version"] = "delete_version"


@dataclass(frozen=True)
class DeleteSubject:
    """Delete a subject (soft, or permanent when every version is already soft-deleted)."""

    subject: str
    permanent: bool
    reason: DeleteReason
    kind: Literal["delete_subject"] = "delete_subject"


Step = (
    RegisterSchema | SetCompatibility | SetMode | SetContractConfig | DeleteVersion | DeleteSubject
)
"""Any plan step; ``kind`` tells them apart in the document."""


def is_destructive(step: Step) -> bool:
    """True for steps that need ``--allow-delete`` at apply time."""
    return isinstance(step, (DeleteVersion, DeleteSubject))
