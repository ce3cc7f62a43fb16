"""The structure of contracts.yml: keys, value types and allowed values, with positions.

This module only reads the YAML tree; files, schemas and references are checked elsewhere.
Every problem is collected; an entry with a bad value keeps going with that value unset, so one
run reports as much as it can.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from enum import Enum
from typing import Any, TypeVar

from aurum_sr.desired import datacontracts
from aurum_sr.desired.datacontracts import DataContractEntry
from aurum_sr.desired.diagnostics import (
    ALLOWABLE_RULES,
    SWITCHABLE_RULES,
    Collector,
    Level,
    did_you_mean,
)
from aurum_sr.desired.yaml_io import (
    Position,
    item_position,
    key_position,
    node_position,
    value_position,
)
from aurum_sr.errors import Severity
from aurum_sr.formats import is_supported
from aurum_sr.model import (
    BreakApproval,
    CompatibilityLevel,
    Lifecycle,
    Mode,
    NamingStrategy,
    Role,
    SchemaType,
    SourceLocation,
)

FORMAT_VERSION = 1

TOP_KEYS = ("format_version", "defaults", "include", "subjects")
INCLUDED_TOP_KEYS = ("format_version", "subjects")
"""The keys of a file the main contracts file includes: defaults and includes are shared, so
only the main file sets them."""
DEFAULT_KEYS = (
    "compatibility",
    "normalize",
    "owner",
    "naming_strategy",
    "owned_prefixes",
    "lint",
    "annotations_to_metadata",
)
SUBJECT_KEYS = (
    "subject",
    "schema",
    "type",
    "topic",
    "role",
    "owner",
    "description",
    "compatibility",
    "mode",
    "normalize",
    "naming_strategy",
    "references",
    "tags",
    "metadata",
    "lifecycle",
    "allow",
    "accepted_breaks",
    *datacontracts.SUBJECT_KEYS,
)
REFERENCE_KEYS = ("name", "subject", "version")
APPROVAL_KEYS = ("digest", "version", "by", "reason", "until")
"""The keys of one ``accepted_breaks:`` item."""

_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_PLACEHOLDER = re.compile(r"<[^<>]*>")
"""What the snippet a blocked plan prints holds until someone fills it in."""

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters no subject name may hold: they would act on a terminal or forge a line."""

E = TypeVar("E", bound=Enum)


@dataclass(frozen=True)
class Defaults:
    """``defaults:`` as written (with the built-in defaults for what is not)."""

    compatibility: CompatibilityLevel | None = None
    normalize: bool = False
    owner: str | None = None
    naming_strategy: NamingStrategy = NamingStrategy.TOPIC
    owned_prefixes: tuple[str, ...] = ()
    lint: Mapping[str, Level] = field(default_factory=dict)
    annotations_to_metadata: bool = False
    """Send ``owner``, ``description`` and ``tags`` as registry metadata properties."""


@dataclass(frozen=True)
class ReferenceEntry:
    """One item of a subject's ``references:``."""

    name: str
    subject: str
    version: int | None
    position: Position
    subject_position: Position


@dataclass(frozen=True)
class IncludeEntry:
    """One item of the main file's ``include:``: a path or glob pattern, relative to the
    repository root, of contracts files whose subjects join the main file's."""

    pattern: str
    position: Position


@dataclass(slots=True)  # one per subject: without a __dict__ each is a quarter the size
class SubjectEntry:
    """One item of ``subjects:``, values checked for type, positions kept for later checks."""

    subject: str
    position: Position
    subject_position: Position
    path: str = ""
    """The contracts file the entry is in (repository-relative); positions are in it."""
    lifecycle: Lifecycle = Lifecycle.PRESENT
    schema_type: SchemaType | None = SchemaType.AVRO
    schema: str | None = None
    schema_position: Position = (0, 0)
    topic: str | None = None
    topic_position: Position = (0, 0)
    role: Role | None = None
    role_position: Position = (0, 0)
    owner: str | None = None
    description: str | None = None
    compatibility: CompatibilityLevel | None = None
    mode: Mode | None = None
    normalize: bool | None = None
    naming_strategy: NamingStrategy | None = None
    naming_position: Position = (0, 0)
    references: list[ReferenceEntry] = field(default_factory=list)
    references_broken: bool = False
    """True when some item of ``references:`` could not be read (reported already)."""
    tags: tuple[str, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    allow: tuple[str, ...] = ()
    """Rule ids (of :data:`ALLOWABLE_RULES`) this subject's schema is excused from."""
    accepted_breaks: tuple[BreakApproval, ...] = ()
    """Incompatible changes accepted in git, as read (bad items left out, reported)."""
    contract: DataContractEntry = field(default_factory=DataContractEntry)
    """Registry metadata, rule set and data-contract configuration."""


@dataclass
class Contracts:
    """The contracts as read: the version, the defaults and the entries of the main file and
    (once the loader has read them) of every file it includes."""

    format_version: int
    defaults: Defaults
    entries: list[SubjectEntry]
    includes: tuple[IncludeEntry, ...] = ()
    """The main file's ``include:`` items, in order."""
    files: tuple[str, ...] = ()
    """Every contracts file read, the main one first (filled in by the loader)."""


class _Reader:
    """Typed access to a YAML mapping that reports problems instead of raising."""

    def __init__(self, diags: Collector, path: str) -> None:
        self.diags = diags
        self.path = path

    def check_keys(self, mapping: Mapping[Any, Any], allowed: tuple[str, ...], where: str) -> None:
        for key in mapping:
            if isinstance(key, str) and key in allowed:
                continue
            hint = did_you_mean(str(key), allowed) or f"allowed keys: {', '.join(allowed)}"
            self.diags.error(
                "unknown-key",
                f"unknown key {key!r} in {where}",
                self.path,
                key_position(mapping, key),
                hint,
            )

    def string(self, mapping: Mapping[Any, Any], key: str, where: str) -> str | None:
        if key not in mapping or mapping[key] is None:
            return None
        value = mapping[key]
        if not isinstance(value, str):
            self.type_error(mapping, key, where, "a string", value)
            return None
        if not value.strip():
            self.diags.error(
                "invalid-value",
                f"{key} in {where} is empty",
                self.path,
                value_position(mapping, key),
                f"give {key} a value or remove the key",
            )
            return None
        return value

    def boolean(self, mapping: Mapping[Any, Any], key: str, where: str) -> bool | None:
        if key not in mapping or mapping[key] is None:
            return None
        value = mapping[key]
        if not isinstance(value, bool):
            self.type_error(mapping, key, where, "true or false", value)
            return None
        return value

    def choice(self, mapping: Mapping[Any, Any], key: str, where: str, enum: type[E]) -> E | None:
        text = self.string(mapping, key, where)
        if text is None:
            return None
        allowed = [member.value for member in enum]
        if text in allowed:
            return enum(text)
        folded = [a for a in allowed if a.lower() == text.lower()]
        hint = (
            f"write it as {folded[0]!r}"
            if folded
            else (did_you_mean(text, allowed) or "") + f" allowed values: {', '.join(allowed)}"
        )
        self.diags.error(
            "invalid-value",
            f"{key} {text!r} in {where} is not one of {', '.join(allowed)}",
            self.path,
            value_position(mapping, key),
            hint.strip(),
        )
        return None

    def string_list(self, mapping: Mapping[Any, Any], key: str, where: str) -> tuple[str, ...]:
        if key not in mapping or mapping[key] is None:
            return ()
        value = mapping[key]
        if not isinstance(value, list):
            self.type_error(mapping, key, where, "a list of strings", value)
            return ()
        items: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                items.append(item)
            else:
                self.diags.error(
                    "invalid-type",
                    f"{key}[{index}] in {where} must be a non-empty string, not {_describe(item)}",
                    self.path,
                    item_position(value, index),
                    "quote the value if YAML reads it as another type",
                )
        return tuple(items)

    def type_error(
        self, mapping: Mapping[Any, Any], key: str, where: str, expected: str, value: object
    ) -> None:
        self.diags.error(
            "invalid-type",
            f"{key} in {where} must be {expected}, not {_describe(value)}",
            self.path,
            value_position(mapping, key),
            "quote the value if YAML reads it as another type"
            if expected.endswith("string")
            else f"write {key} as {expected}",
        )


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    if isinstance(value, str):
        return f"a string ({value!r})"
    return f"a {type(value).__name__} ({value})"


def read_contracts(
    document: Any, diags: Collector, path: str, *, main: str | None = None
) -> Contracts | None:
    """The contracts in a parsed YAML document; ``None`` when its shape is unusable.

    ``main`` names the main contracts file when this one is included by it: then only
    ``format_version`` and ``subjects`` are read, and ``defaults`` or ``include`` is an error.
    """
    reader = _Reader(diags, path)
    if not isinstance(document, Mapping):
        keys = "format_version and subjects" if main else "format_version, defaults and subjects"
        diags.error(
            "invalid-structure",
            f"the contracts file must be a mapping with {keys}",
            path,
            node_position(document) if document is not None else (1, 1),
            "start from the example in docs/contracts.md",
        )
        return None
    if main is None:
        reader.check_keys(document, TOP_KEYS, "the contracts file")
        defaults = _defaults(document, reader)
        includes = _includes(document, reader)
    else:
        _shared_keys(document, reader, main)
        defaults, includes = Defaults(), ()
    format_version = _format_version(document, diags, path)
    entries: list[SubjectEntry] = []
    subjects = document.get("subjects")
    if "subjects" not in document:
        diags.error(
            "invalid-structure",
            "the contracts file has no subjects list",
            path,
            (1, 1),
            "add `subjects:` with one entry per subject",
        )
    elif subjects is None:
        pass  # an empty list written as `subjects:` manages nothing; allowed
    elif not isinstance(subjects, list):
        diags.error(
            "invalid-type",
            f"subjects must be a list of entries, not {_describe(subjects)}",
            path,
            value_position(document, "subjects"),
            "write each subject as a list item starting with `- subject: <name>`",
        )
    else:
        for index, item in enumerate(subjects):
            entry = _entry(item, subjects, index, reader)
            if entry is not None:
                entries.append(entry)
    return Contracts(
        format_version=format_version,
        defaults=defaults,
        entries=entries,
        includes=includes,
        files=(path,),
    )


def _shared_keys(document: Mapping[Any, Any], reader: _Reader, main: str) -> None:
    """An included file's keys: defaults and includes belong to the main file alone."""
    for key in ("defaults", "include"):
        if key in document:
            reader.diags.error(
                "shared-key",
                f"{key} in an included contracts file: only the main contracts file ({main}) "
                f"sets {key}, for every file",
                reader.path,
                key_position(document, key),
                f"move it to {main}, or set the value on each subject instead"
                if key == "defaults"
                else f"list every contracts file in the include of {main}",
            )
    reported = (*INCLUDED_TOP_KEYS, "defaults", "include")  # the two are reported above
    reader.check_keys(document, reported, "an included contracts file")


def _includes(document: Mapping[Any, Any], reader: _Reader) -> tuple[IncludeEntry, ...]:
    patterns = reader.string_list(document, "include", "the contracts file")
    raw = document.get("include")
    if not patterns or not isinstance(raw, list):
        return ()
    items = [(i, item) for i, item in enumerate(raw) if isinstance(item, str) and item.strip()]
    return tuple(IncludeEntry(item, item_position(raw, i)) for i, item in items)


def _format_version(document: Mapping[Any, Any], diags: Collector, path: str) -> int:
    if "format_version" not in document:
        diags.error(
            "invalid-structure",
            "format_version is missing",
            path,
            (1, 1),
            f"add `format_version: {FORMAT_VERSION}` at the top of the file",
        )
        return FORMAT_VERSION
    value = document["format_version"]
    if isinstance(value, bool) or not isinstance(value, int) or value != FORMAT_VERSION:
        diags.error(
            "invalid-value",
            f"format_version {value!r} is not supported",
            path,
            value_position(document, "format_version"),
            f"this version of aurum-sr reads format_version: {FORMAT_VERSION}",
        )
    return FORMAT_VERSION


def _defaults(document: Mapping[Any, Any], reader: _Reader) -> Defaults:
    raw = document.get("defaults")
    if raw is None:
        return Defaults()
    if not isinstance(raw, Mapping):
        reader.diags.error(
            "invalid-type",
            f"defaults must be a mapping, not {_describe(raw)}",
            reader.path,
            value_position(document, "defaults"),
            "write defaults as `key: value` lines indented under `defaults:`",
        )
        return Defaults()
    where = "defaults"
    reader.check_keys(raw, DEFAULT_KEYS, where)
    normalize = reader.boolean(raw, "normalize", where)
    naming = reader.choice(raw, "naming_strategy", where, NamingStrategy)
    return Defaults(
        compatibility=reader.choice(raw, "compatibility", where, CompatibilityLevel),
        normalize=bool(normalize),
        owner=reader.string(raw, "owner", where),
        naming_strategy=naming or NamingStrategy.TOPIC,
        owned_prefixes=reader.string_list(raw, "owned_prefixes", where),
        lint=_lint(raw, reader),
        annotations_to_metadata=bool(reader.boolean(raw, "annotations_to_metadata", where)),
    )


def _lint(defaults: Mapping[Any, Any], reader: _Reader) -> Mapping[str, Level]:
    raw = defaults.get("lint")
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        reader.type_error(defaults, "lint", "defaults", "a mapping of rule id to level", raw)
        return {}
    levels: dict[str, Level] = {}
    for rule in raw:
        if rule not in SWITCHABLE_RULES:
            hint = did_you_mean(str(rule), SWITCHABLE_RULES) or (
                f"known rules: {', '.join(SWITCHABLE_RULES)}"
            )
            reader.diags.error(
                "unknown-lint-rule",
                f"unknown lint rule {rule!r} in defaults.lint",
                reader.path,
                key_position(raw, rule),
                hint,
            )
            continue
        level = reader.choice(raw, rule, "defaults.lint", Level)
        if level is not None:
            levels[rule] = level
    return levels


def _entry(item: object, seq: list[Any], index: int, reader: _Reader) -> SubjectEntry | None:
    diags, path = reader.diags, reader.path
    position = item_position(seq, index)
    if not isinstance(item, Mapping):
        diags.error(
            "invalid-type",
            f"subjects[{index}] must be a mapping, not {_describe(item)}",
            path,
            position,
            "write each subject as `- subject: <name>` followed by its keys",
        )
        return None
    subject = item.get("subject")
    where = f"subject {subject!r}" if isinstance(subject, str) else f"subjects[{index}]"
    before = len(diags.items)
    reader.check_keys(item, SUBJECT_KEYS, where)
    if "subject" not in item:
        if len(diags.items) > before:
            return None  # a misspelt key, already reported with its did-you-mean
        diags.error(
            "invalid-structure",
            f"subjects[{index}] has no subject name",
            path,
            position,
            "add `subject: <name>` to the entry",
        )
        return None
    name = reader.string(item, "subject", where)
    if name is None:
        return None
    control = _CONTROL.search(name)
    if control is not None:
        diags.error(
            "invalid-value",
            f"subject name {name!r} holds the control character U+{ord(control.group()):04X}",
            path,
            value_position(item, "subject"),
            "subject names are printed in terminals and pull-request comments; remove it",
        )
        return None
    entry = SubjectEntry(
        subject=name,
        position=position,
        subject_position=value_position(item, "subject"),
        path=path,
    )
    entry.lifecycle = reader.choice(item, "lifecycle", where, Lifecycle) or Lifecycle.PRESENT
    entry.schema_type = _schema_type(item, reader, where)
    entry.schema = reader.string(item, "schema", where)
    entry.schema_position = value_position(item, "schema") if "schema" in item else position
    entry.topic = reader.string(item, "topic", where)
    entry.topic_position = value_position(item, "topic") if "topic" in item else position
    entry.role = reader.choice(item, "role", where, Role)
    entry.role_position = value_position(item, "role") if "role" in item else position
    entry.owner = reader.string(item, "owner", where)
    entry.description = reader.string(item, "description", where)
    entry.compatibility = reader.choice(item, "compatibility", where, CompatibilityLevel)
    entry.mode = reader.choice(item, "mode", where, Mode)
    entry.normalize = reader.boolean(item, "normalize", where)
    entry.naming_strategy = reader.choice(item, "naming_strategy", where, NamingStrategy)
    entry.naming_position = (
        value_position(item, "naming_strategy") if "naming_strategy" in item else position
    )
    entry.tags = reader.string_list(item, "tags", where)
    entry.metadata = _metadata(item, reader, where)
    entry.allow = _allow(item, reader, where)
    entry.accepted_breaks = _accepted_breaks(item, reader, where)
    entry.contract = datacontracts.read_data_contract(item, reader, where)
    before = len(reader.diags.items)
    entry.references = _references(item, reader, where)
    entry.references_broken = len(reader.diags.items) > before
    return entry


def _schema_type(item: Mapping[Any, Any], reader: _Reader, where: str) -> SchemaType | None:
    schema_type = reader.choice(item, "type", where, SchemaType)
    if schema_type is None:
        return None if "type" in item and item["type"] is not None else SchemaType.AVRO
    if not is_supported(schema_type):
        reader.diags.error(
            "unsupported-schema-type",
            f"{schema_type.value} schemas are not supported yet ({where})",
            reader.path,
            value_position(item, "type"),
            "aurum-sr manages AVRO subjects only for now; leave this subject out of the "
            "contracts until JSON and PROTOBUF support lands",
        )
        return None
    return schema_type


def _allow(item: Mapping[Any, Any], reader: _Reader, where: str) -> tuple[str, ...]:
    rules = reader.string_list(item, "allow", where)  # reports items that are not strings
    raw = item.get("allow")
    for index, rule in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(rule, str) or not rule.strip() or rule in ALLOWABLE_RULES:
            continue
        hint = did_you_mean(rule, ALLOWABLE_RULES) or (
            f"allow takes rule ids about the schema's content: {', '.join(ALLOWABLE_RULES)}"
        )
        reader.diags.error(
            "invalid-value",
            f"allow[{index}] {rule!r} in {where} is not a rule a subject may be excused from",
            reader.path,
            item_position(raw, index),
            hint,
        )
    return tuple(r for r in rules if r in ALLOWABLE_RULES)


def _accepted_breaks(
    item: Mapping[Any, Any], reader: _Reader, where: str
) -> tuple[BreakApproval, ...]:
    """``accepted_breaks:``: each item names the content it accepts (``digest`` and/or
    ``version``), who (``by``) and why (``reason``), optionally ``until`` when. A past-due
    ``until`` is a warning: the approval stays readable but no longer accepts anything."""
    raw = item.get("accepted_breaks")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.type_error(item, "accepted_breaks", where, "a list of approvals", raw)
        return ()
    today = datetime.now(timezone.utc).date()
    approvals: list[BreakApproval] = []
    first_at: dict[object, int] = {}
    for index, approval in enumerate(raw):
        position = item_position(raw, index)
        here = f"accepted_breaks[{index}] of {where}"
        if not isinstance(approval, Mapping):
            reader.diags.error(
                "invalid-type",
                f"{here} must be a mapping, not {_describe(approval)}",
                reader.path,
                position,
                "write `- digest: sha256:...` followed by `by:` and `reason:`",
            )
            continue
        before = len(reader.diags.items)
        reader.check_keys(approval, APPROVAL_KEYS, here)
        misspelt = len(reader.diags.items) > before  # the did-you-mean says what is missing
        digest = _approval_digest(approval, reader, here)
        version = _approval_version(approval, reader, here)
        by = reader.string(approval, "by", here)
        reason = reader.string(approval, "reason", here)
        until = _approval_until(approval, reader, here, today)
        if "digest" not in approval and "version" not in approval and not misspelt:
            reader.diags.error(
                "invalid-structure",
                f"{here} names no schema: give the digest it accepts (or the version)",
                reader.path,
                position,
                "copy `digest: sha256:...` from the blocked plan; an approval without it "
                "would accept any later break too",
            )
        for key, value in (("by", by), ("reason", reason)):
            if value is not None and _PLACEHOLDER.fullmatch(value.strip()):
                reader.diags.error(
                    "invalid-value",
                    f"{key} in {here} is still the placeholder {value!r}",
                    reader.path,
                    value_position(approval, key),
                    f"write {'who accepted the break' if key == 'by' else 'why it is safe'}",
                )
            if key not in approval and not misspelt:
                reader.diags.error(
                    "invalid-structure",
                    f"{here} has no {key}",
                    reader.path,
                    position,
                    "an approval says who accepted the break (by) and why it is safe (reason)",
                )
        found = reader.diags.items[before:]
        if by is None or reason is None or any(d.severity is Severity.ERROR for d in found):
            continue  # reported; an approval with a bad part accepts nothing
        line = position[0]
        for selector in (("digest", digest), ("version", version)):
            if selector[1] is None:
                continue
            first = first_at.get(selector)
            if first is not None:
                reader.diags.error(
                    "duplicate-approval",
                    f"{here} accepts {selector[0]} {selector[1]} again (first at line {first})",
                    reader.path,
                    position,
                    "keep one approval per schema; merge the two",
                )
                break
            first_at[selector] = line
        else:
            approvals.append(
                BreakApproval(
                    by=by,
                    reason=reason,
                    digest=digest,
                    version=version,
                    until=until,
                    location=SourceLocation(reader.path, *position),
                )
            )
    return tuple(approvals)


def _approval_digest(approval: Mapping[Any, Any], reader: _Reader, here: str) -> str | None:
    text = reader.string(approval, "digest", here)
    if text is None:
        return None
    if _DIGEST.fullmatch(text):
        return text
    bare = text.strip().lower().removeprefix("sha256:")
    hint = (
        f"write it as sha256:{bare}"
        if re.fullmatch(r"[0-9a-f]{64}", bare)
        else "copy the digest the blocked plan prints: sha256: and 64 hex digits"
    )
    reader.diags.error(
        "invalid-value",
        f"digest {text!r} in {here} is not a schema digest",
        reader.path,
        value_position(approval, "digest"),
        hint,
    )
    return None


def _approval_version(approval: Mapping[Any, Any], reader: _Reader, here: str) -> int | None:
    version = approval.get("version")
    if version is None:
        return None
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        reader.diags.error(
            "invalid-value",
            f"version {version!r} in {here} is not a version number",
            reader.path,
            value_position(approval, "version"),
            "give the version the accepted schema becomes, a whole number from 1 (the plan "
            "prints it), or accept by digest instead",
        )
        return None
    return version


def _approval_until(
    approval: Mapping[Any, Any], reader: _Reader, here: str, today: date
) -> date | None:
    value = approval.get("until")
    if value is None:
        return None
    until: date | None = None
    if isinstance(value, date) and not isinstance(value, datetime):
        until = value
    elif isinstance(value, str):
        try:
            until = date.fromisoformat(value.strip())
        except ValueError:
            until = None
    if until is None:
        reader.diags.error(
            "invalid-value",
            f"until {value!r} in {here} is not a date",
            reader.path,
            value_position(approval, "until"),
            "write the last day the approval holds as YYYY-MM-DD, e.g. `until: 2027-03-31`",
        )
        return None
    if until < today:
        reader.diags.warning(
            "expired-approval",
            f"the approval in {here} expired on {until.isoformat()}: it no longer accepts "
            "the break",
            reader.path,
            value_position(approval, "until"),
            "remove the approval once its break is applied, or extend `until` after a new review",
        )
    return until


def _metadata(item: Mapping[Any, Any], reader: _Reader, where: str) -> dict[str, str]:
    raw = item.get("metadata")
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        reader.type_error(item, "metadata", where, "a mapping of strings", raw)
        return {}
    metadata: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not isinstance(value, str):
            reader.diags.error(
                "invalid-type",
                f"metadata {key!r} in {where} must map a string to a string, "
                f"not {_describe(value)}",
                reader.path,
                value_position(raw, key),
                'quote numbers, dates and booleans: `retention: "7"`',
            )
            continue
        metadata[key] = value
    return metadata


def _references(item: Mapping[Any, Any], reader: _Reader, where: str) -> list[ReferenceEntry]:
    raw = item.get("references")
    if raw is None:
        return []
    if not isinstance(raw, list):
        reader.type_error(item, "references", where, "a list of {name, subject, version}", raw)
        return []
    references: list[ReferenceEntry] = []
    for index, ref in enumerate(raw):
        position = item_position(raw, index)
        ref_where = f"references[{index}] of {where}"
        if not isinstance(ref, Mapping):
            reader.diags.error(
                "invalid-type",
                f"{ref_where} must be a mapping, not {_describe(ref)}",
                reader.path,
                position,
                "write `- name: <full type name>` and `subject: <subject>`",
            )
            continue
        before = len(reader.diags.items)
        reader.check_keys(ref, REFERENCE_KEYS, ref_where)
        misspelt = len(reader.diags.items) > before  # the did-you-mean says what is missing
        name = reader.string(ref, "name", ref_where)
        subject = reader.string(ref, "subject", ref_where)
        for key, value in (("name", name), ("subject", subject)):
            if value is None and key not in ref and not misspelt:
                reader.diags.error(
                    "invalid-structure",
                    f"{ref_where} has no {key}",
                    reader.path,
                    position,
                    "a reference needs the full name of the referenced type (name) and the "
                    "subject that registers it (subject)",
                )
        version = ref.get("version")
        if version is not None and (
            isinstance(version, bool) or not isinstance(version, int) or version < 1
        ):
            reader.diags.error(
                "invalid-value",
                f"version {version!r} in {ref_where} is not a version number",
                reader.path,
                value_position(ref, "version"),
                "pin a version as a whole number from 1, or leave version out to use the "
                "referenced subject's desired schema",
            )
            version = None
        if name is not None and subject is not None:
            references.append(
                ReferenceEntry(
                    name=name,
                    subject=subject,
                    version=version,
                    position=position,
                    subject_position=value_position(ref, "subject"),
                )
            )
    return references
