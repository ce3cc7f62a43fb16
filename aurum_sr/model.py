"""The shared vocabulary: frozen data that flows through the pipeline.

Names follow the registry's own words (``subject``, ``version``, ``schema_id``, ``schema_str``,
``schema_type``, ``references``); compatibility levels and modes are spelled as the registry
spells them. Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from aurum_sr.datacontracts import ContractConfig, Metadata, RuleSet


class CompatibilityLevel(str, Enum):
    """A subject's (or the registry's global) compatibility level."""

    NONE = "NONE"
    BACKWARD = "BACKWARD"
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    FORWARD = "FORWARD"
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    FULL = "FULL"
    FULL_TRANSITIVE = "FULL_TRANSITIVE"

    @property
    def transitive(self) -> bool:
        """True when the level compares against every live version, not only the latest."""
        return self.value.endswith("_TRANSITIVE")

    @property
    def checks_backward(self) -> bool:
        """True when the new schema must read data written with the old ones."""
        return self.value.startswith(("BACKWARD", "FULL"))

    @property
    def checks_forward(self) -> bool:
        """True when the old schemas must read data written with the new one."""
        return self.value.startswith(("FORWARD", "FULL"))

    def is_at_least_as_strict_as(self, other: CompatibilityLevel) -> bool:
        """Whether every schema this level accepts is also accepted by ``other``."""
        if other is CompatibilityLevel.NONE:
            return True
        if self is CompatibilityLevel.NONE:
            return False
        directions_ok = (self.checks_backward or not other.checks_backward) and (
            self.checks_forward or not other.checks_forward
        )
        return directions_ok and (self.transitive or not other.transitive)

    def __str__(self) -> str:
        return self.value


#: The seed's name for the same enum.
SchemaCompatibilityMode = CompatibilityLevel


class Mode(str, Enum):
    """A subject's (or the registry's global) mode."""

    READWRITE = "READWRITE"
    READONLY = "READONLY"
    READONLY_OVERRIDE = "READONLY_OVERRIDE"
    IMPORT = "IMPORT"

    def __str__(self) -> str:
        return self.value


class SchemaType(str, Enum):
    """The schema language; a missing ``schemaType`` on the wire means AVRO."""

    AVRO = "AVRO"
    JSON = "JSON"
    PROTOBUF = "PROTOBUF"

    def __str__(self) -> str:
        return self.value


class Lifecycle(str, Enum):
    """Whether the contracts want a subject to exist."""

    PRESENT = "present"
    ABSENT = "absent"


class Role(str, Enum):
    """Which half of a Kafka record a subject describes."""

    KEY = "key"
    VALUE = "value"


class NamingStrategy(str, Enum):
    """How a subject name is derived (the serializers' subject name strategies)."""

    TOPIC = "topic"  # <topic>-key / <topic>-value
    RECORD = "record"  # <record full name>
    TOPIC_RECORD = "topic_record"  # <topic>-<record full name>
    NONE = "none"
    """The subject follows no strategy (a name chosen by hand): its name is not checked."""


@dataclass(frozen=True)
class SchemaReference:
    """A reference from a schema to a named type registered under another subject.

    For Avro, ``name`` is the full name of the referenced type.
    """

    name: str
    subject: str
    version: int


@dataclass(frozen=True)
class Schema:
    """A schema as the registry stores it: text, language and references, and the data
    contract (metadata and rule set) the version carries."""

    schema_str: str
    schema_type: SchemaType = SchemaType.AVRO
    references: tuple[SchemaReference, ...] = ()
    metadata: Metadata | None = None
    """``None``: none stored (or, in a registration, none sent: the registry inherits)."""
    rule_set: RuleSet | None = None
    """``None``: none stored (or, in a registration, none sent: the registry inherits)."""


@dataclass(frozen=True)
class RegisteredSchema:
    """One version of one subject in a registry."""

    subject: str
    version: int
    schema_id: int
    schema: Schema
    deleted: bool = False
    """True for a soft-deleted version: still resolvable by id, ignored by compatibility."""


@dataclass(frozen=True)
class SubjectState:
    """What a registry holds for one subject."""

    subject: str
    versions: tuple[RegisteredSchema, ...] = ()
    """Ascending by version, soft-deleted versions included (``deleted=True``)."""
    compatibility: CompatibilityLevel | None = None
    """The subject-level override; ``None`` means the subject inherits the global level."""
    mode: Mode | None = None
    """The subject-level mode; ``None`` means the subject inherits the global mode."""
    contract_config: ContractConfig = field(default_factory=ContractConfig)
    """The subject-level data-contract configuration (default/override metadata and rule
    sets, compatibility group, alias); empty when the subject has none."""
    history_complete: bool = True
    """False when only the latest live version was read (``read_state(latest_only=True)``):
    ``versions`` then holds that version alone (or nothing), without older or soft-deleted ones,
    so nothing that needs the history (verdicts, next version numbers, preconditions) may use it."""

    @property
    def live_versions(self) -> tuple[RegisteredSchema, ...]:
        """Versions that are not soft-deleted, ascending."""
        return tuple(v for v in self.versions if not v.deleted)

    @property
    def latest(self) -> RegisteredSchema | None:
        """The highest live version, as the registry's ``latest`` means it."""
        live = self.live_versions
        return live[-1] if live else None

    @property
    def exists(self) -> bool:
        """True when the subject has at least one live version."""
        return bool(self.live_versions)


@dataclass(frozen=True)
class LiveState:
    """What the registry holds for the subjects that were read, plus the global settings."""

    registry: str
    """Where the state came from, safe to print (credentials masked)."""
    global_compatibility: CompatibilityLevel
    global_mode: Mode
    subjects: Mapping[str, SubjectState] = field(default_factory=dict)
    """The subjects that were read, by name. A subject the registry does not have is absent."""
    other_subjects: tuple[str, ...] = ()
    """Live subjects that were listed but not read (not managed by the contracts), sorted."""

    def effective_compatibility(self, subject: str) -> CompatibilityLevel:
        """The level the registry enforces for ``subject``: its own, else the global one."""
        state = self.subjects.get(subject)
        if state is not None and state.compatibility is not None:
            return state.compatibility
        return self.global_compatibility

    def effective_mode(self, subject: str) -> Mode:
        """The mode in force for ``subject``: its own, else the global one."""
        state = self.subjects.get(subject)
        if state is not None and state.mode is not None:
            return state.mode
        return self.global_mode


@dataclass(frozen=True)
class SourceLocation:
    """A place in the repository, for messages and annotations (1-based line and column)."""

    path: str
    """Repository-relative POSIX path."""
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.path}:{self.line}:{self.column}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


@dataclass(frozen=True)
class DesiredReference:
    """A reference as the contracts declare it."""

    name: str
    subject: str
    version: int | None = None
    """A pinned version, or ``None`` for the referenced subject's desired (latest) version."""


@dataclass(frozen=True)
class BreakApproval:
    """One item of a subject's ``accepted_breaks:``: an incompatible change reviewed and
    accepted in git, bound to the schema content it accepts so it cannot accept another."""

    by: str
    """Who approved the break."""
    reason: str
    """Why the break is safe."""
    digest: str | None = None
    """``sha256:<hex>`` of the canonical schema it accepts (:func:`aurum_sr.canonical.
    schema_digest`); ``None`` when it accepts by ``version``."""
    version: int | None = None
    """The version number the accepted registration becomes; ``None`` when by ``digest``."""
    until: date | None = None
    """The last day the approval accepts; ``None``: no end."""
    location: SourceLocation = field(default_factory=lambda: SourceLocation(""))
    """Where the item is written in the contracts."""


@dataclass(frozen=True)
class SubjectSpec:
    """One subject as the contracts want it (defaults already applied)."""

    subject: str
    location: SourceLocation
    """Where the subject's entry starts in contracts.yml."""
    lifecycle: Lifecycle = Lifecycle.PRESENT
    schema_type: SchemaType = SchemaType.AVRO
    schema_file: str | None = None
    """Repository-relative POSIX path of the schema file; ``None`` only for ``absent`` subjects."""
    schema_str: str | None = None
    """The schema file's text as written; ``None`` only for ``absent`` subjects."""
    references: tuple[DesiredReference, ...] = ()
    topic: str | None = None
    role: Role | None = None
    owner: str | None = None
    description: str | None = None
    compatibility: CompatibilityLevel | None = None
    """The level the subject must have; ``None`` leaves the registry's setting alone."""
    mode: Mode | None = None
    """The mode the subject must have; ``None`` leaves the registry's setting alone."""
    normalize: bool = False
    tags: tuple[str, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)
    """Local annotations (never sent to the registry; see ``registry_metadata``)."""
    registry_metadata: Metadata | None = None
    """The metadata every version registers with; ``None`` sends none (the registry keeps the
    previous version's)."""
    rule_set: RuleSet | None = None
    """The rule set every version registers with; ``None`` sends none (inherited)."""
    contract_config: ContractConfig | None = None
    """The subject-level data-contract configuration; ``None`` leaves the registry's alone."""
    accepted_breaks: tuple[BreakApproval, ...] = ()
    """Incompatible changes accepted in git (``accepted_breaks:``)."""


@dataclass(frozen=True)
class DesiredState:
    """Everything the repository asks for, validated."""

    root: str
    """Absolute path of the repository root the state was loaded from."""
    contracts_path: str
    """Repository-relative path of contracts.yml."""
    format_version: int
    subjects: Mapping[str, SubjectSpec]
    owned_prefixes: tuple[str, ...] = ()
    """Subject-name prefixes the contracts own: live subjects under them that no contract
    lists are reported as drift and may be pruned."""
