"""Registry content → contracts entries and schema files that plan as "No changes". Pure.

What keeps the first plan empty:

- each schema file holds the subject's latest live version, its JSON as the registry stores
  it (pretty-printed, key order kept), so its registry identity is the live one; the checks
  read that file's text, as ``validate`` will;
- ``compatibility`` and ``mode`` are written only where the subject has its own; the others
  inherit the global settings, which the contracts do not manage (the header says what they
  are), and ``defaults.compatibility`` is never set (it would pin every subject);
- a reference to the latest version of a subject that is imported too names no version (it
  follows that subject's file); any other reference is pinned;
- a schema ``validate`` would refuse gets the subject's ``allow:`` for exactly those rules,
  with a comment saying what the registry holds.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aurum_sr.adopt.naming import Naming, infer_naming
from aurum_sr.adopt.paths import allocate_paths
from aurum_sr.adopt.source import RegistryContent
from aurum_sr.desired.contracts import (
    FORMAT_VERSION,
    Contracts,
    Defaults,
    ReferenceEntry,
    SubjectEntry,
)
from aurum_sr.desired.diagnostics import ALLOWABLE_RULES, SWITCHABLE_RULES, Level
from aurum_sr.desired.loader import Gathered, check_schemas, draft_gathered
from aurum_sr.desired.schemas import NAMED_TYPES, SchemaFile, full_name
from aurum_sr.desired.writer import EntryDraft
from aurum_sr.errors import Diagnostic, RegistryError, Severity
from aurum_sr.formats.json_text import pretty_json
from aurum_sr.model import (
    Lifecycle,
    LiveState,
    NamingStrategy,
    RegisteredSchema,
    SchemaType,
)

CHECK_PATH = "contracts.yml (being imported)"
ALREADY_LISTED = "already in contracts.yml (left as it is)"


@dataclass(frozen=True)
class Existing:
    """An existing contracts file that new subjects are added to (``--merge``)."""

    subjects: frozenset[str] = frozenset()
    paths: frozenset[str] = frozenset()
    """Schema paths in use: listed by the file, or present under ``schemas/``."""
    defaults: Defaults = field(default_factory=Defaults)


@dataclass(frozen=True)
class Skipped:
    """A selected subject that is not imported, and why."""

    subject: str
    reason: str


@dataclass(frozen=True)
class Allowance:
    """A subject whose schema ``validate`` would refuse, excused by ``allow:``."""

    subject: str
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    """What the checks found, one line per finding."""


@dataclass(frozen=True)
class Draft:
    """What an import writes, and what it says about it."""

    defaults: Mapping[str, Any]
    """The ``defaults:`` of a new contracts file."""
    header: str
    """Comment lines for the top of a new contracts file."""
    entries: tuple[EntryDraft, ...]
    """The new ``subjects:`` items, in subject order."""
    files: Mapping[str, str]
    """Repository-relative path → text of each schema file to write."""
    present: tuple[str, ...]
    absent: tuple[str, ...]
    """Soft-deleted subjects recorded as ``lifecycle: absent``."""
    skipped: tuple[Skipped, ...]
    allowances: tuple[Allowance, ...]
    owned_prefixes: tuple[str, ...]
    notes: tuple[str, ...] = ()
    """Things the user should know (a prefix not owned, a default that pins subjects)."""


@dataclass(frozen=True)
class _Candidate:
    subject: str
    latest: RegisteredSchema
    full_name: str | None
    naming: Naming
    text: str
    """The schema file's text (:func:`schema_text`), made from the one parse of the schema."""


@dataclass(frozen=True)
class Prepared:
    """The first stage of a draft: what is imported, where its files go, how it is named."""

    content: RegistryContent
    existing: Existing | None
    candidates: Mapping[str, _Candidate]
    absent: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    strategy: NamingStrategy
    paths: Mapping[str, str]
    levels: Mapping[str, Level]


Findings = Mapping[str, tuple[tuple[str, ...] | None, tuple[str, ...]]]
"""What validate would refuse, by subject: ``(allowable rules, reasons)``, or ``(None,
reasons)`` when some finding cannot be excused."""


def draft_contracts(
    content: RegistryContent,
    *,
    prefixes: Sequence[str] = (),
    existing: Existing | None = None,
) -> Draft:
    """The contracts entries and schema files for ``content``.

    ``prefixes`` are the ``--subject-prefix`` values (owned when every live subject under them
    is imported; without them, each subject's first dotted segment is a candidate).
    With ``existing``, subjects it lists are left out and its defaults are kept.
    (:func:`prepare`, then :func:`compose`; an import runs the checks in between elsewhere.)

    Raises:
        RegistryError: the registry returned a schema that is not JSON.
    """
    prepared = prepare(content, existing=existing)
    return compose(prepared, content.live, prefixes=prefixes)


def prepare(content: RegistryContent, *, existing: Existing | None = None) -> Prepared:
    """Sort the selected subjects into imported, absent and skipped; name them and their files.

    Raises:
        RegistryError: the registry returned a schema that is not JSON.
    """
    old = existing or Existing()
    skipped: list[Skipped] = []
    candidates: dict[str, _Candidate] = {}
    absent: list[str] = []
    soft_deleted = set(content.soft_deleted)
    for subject in content.selected:
        if subject in old.subjects:
            skipped.append(Skipped(subject, ALREADY_LISTED))
        elif subject in soft_deleted:
            absent.append(subject)
        else:
            candidate = _candidate(subject, content.live, skipped)
            if candidate is not None:
                candidates[subject] = candidate
    strategy = old.defaults.naming_strategy if existing is not None else _usual(candidates)
    paths = allocate_paths({s: c.full_name for s, c in sorted(candidates.items())}, taken=old.paths)
    return Prepared(
        content=content,
        existing=existing,
        candidates=candidates,
        absent=tuple(absent),
        skipped=tuple(skipped),
        strategy=strategy,
        paths=paths,
        levels={**SWITCHABLE_RULES, **old.defaults.lint},
    )


def checks_for(prepared: Prepared, present: Iterable[str] | None = None) -> Gathered:
    """The draft as ``validate`` would check it (``present``: the subjects still imported),
    with every rule below error level switched off: only errors matter here."""
    order = sorted(prepared.candidates if present is None else present)
    names = set(order)
    live = prepared.content.live
    entries = []
    for index, subject in enumerate(order):
        c = prepared.candidates[subject]
        at = (index + 1, 1)  # the entry's line: how a contracts-level finding finds its subject
        entry = SubjectEntry(subject=subject, position=at, subject_position=at)
        entry.schema = prepared.paths[subject]
        entry.schema_position = entry.topic_position = entry.role_position = at
        entry.naming_position = at
        entry.topic, entry.role = c.naming.topic, c.naming.role
        entry.naming_strategy = c.naming.strategy
        entry.references = [
            ReferenceEntry(
                r.name,
                r.subject,
                r.version if _pinned(r.subject, r.version, live, names) else None,
                at,
                at,
            )
            for r in c.latest.schema.references
        ]
        entries.append(entry)
    contracts = Contracts(FORMAT_VERSION, Defaults(naming_strategy=prepared.strategy), entries)
    files = {s: SchemaFile(prepared.paths[s], prepared.candidates[s].text) for s in order}
    errors_only = {
        r: (Level.ERROR if v is Level.ERROR else Level.OFF) for r, v in prepared.levels.items()
    }
    return draft_gathered(contracts, files, contracts_path=CHECK_PATH, levels=errors_only)


def compose(
    prepared: Prepared,
    live: LiveState,
    *,
    prefixes: Sequence[str] = (),
    found: Sequence[Diagnostic] | None = None,
) -> Draft:
    """The draft, from what :func:`prepare` made and ``live`` (the same registry content, with
    the subject-level modes read meanwhile, if they were). ``found`` is what the checks of
    :func:`checks_for` found, when they already ran; subjects with a finding no ``allow:``
    covers are skipped, and the rest checked again (in this process) until none is left."""
    present = dict(prepared.candidates)
    skipped = list(prepared.skipped)
    diagnostics = found if found is not None else check_schemas(checks_for(prepared))
    while True:
        findings = _findings(diagnostics, sorted(present), prepared.paths)
        refused = {s: why for s, (rules, why) in findings.items() if rules is None and why}
        if not refused:
            break
        for subject, reasons in sorted(refused.items()):
            del present[subject]
            skipped.append(
                Skipped(
                    subject,
                    "validate would refuse it, and no allow: rule covers this: "
                    + "; ".join(reasons),
                )
            )
        diagnostics = check_schemas(checks_for(prepared, present))
    allowances = tuple(
        Allowance(s, rules, reasons)
        for s, (rules, reasons) in sorted(findings.items())
        if rules and s in present
    )
    allowed = {a.subject: a for a in allowances}
    names = set(present)
    entries: list[EntryDraft] = []
    files: dict[str, str] = {}
    for subject in sorted([*present, *prepared.absent]):
        if subject in present:
            c = present[subject]
            path = prepared.paths[subject]
            entries.append(_entry(c, path, prepared.strategy, live, names, allowed))
            files[path] = c.text
        else:
            entries.append(EntryDraft({"subject": subject, "lifecycle": Lifecycle.ABSENT.value}))
    notes: list[str] = []
    owned: tuple[str, ...] = ()
    existing = prepared.existing
    if existing is None:
        owned = _owned(prefixes, present, prepared.content.live_names, notes)
    elif existing.defaults.compatibility is not None:
        inheriting = [s for s in present if live.subjects[s].compatibility is None]
        if inheriting:
            notes.append(
                f"contracts.yml sets defaults.compatibility "
                f"{existing.defaults.compatibility.value}: the next plan pins it on "
                f"{len(inheriting)} imported subject(s) that inherit the registry's global "
                f"level ({live.global_compatibility.value}), e.g. {inheriting[0]}"
            )
    defaults: dict[str, Any] = {"naming_strategy": prepared.strategy.value}
    if owned:
        defaults["owned_prefixes"] = list(owned)
    return Draft(
        defaults={"format_version": FORMAT_VERSION, "defaults": defaults},
        header=_header(live),
        entries=tuple(entries),
        files=files,
        present=tuple(sorted(present)),
        absent=prepared.absent,
        skipped=tuple(sorted(skipped, key=lambda s: s.subject)),
        allowances=allowances,
        owned_prefixes=owned,
        notes=tuple(notes),
    )


def schema_text(data: Any) -> str:
    """A schema file's text: the schema as the registry holds it (``data``, its parsed JSON),
    pretty-printed: 2 spaces, its key order kept."""
    return pretty_json(data) + "\n"


def _candidate(subject: str, live: LiveState, skipped: list[Skipped]) -> _Candidate | None:
    state = live.subjects.get(subject)
    latest = state.latest if state is not None else None
    if latest is None:
        skipped.append(Skipped(subject, "no live version (deleted while the import ran?)"))
        return None
    if latest.schema.schema_type is not SchemaType.AVRO:
        skipped.append(
            Skipped(subject, f"{latest.schema.schema_type.value} schemas are not supported yet")
        )
        return None
    try:
        data = json.loads(latest.schema.schema_str)
    except json.JSONDecodeError as exc:
        raise RegistryError(
            f"registry {live.registry} returned a schema for subject {subject!r} (version "
            f"{latest.version}, id {latest.schema_id}) that is not JSON: {exc.msg} at line "
            f"{exc.lineno} column {exc.colno}; nothing was written",
            registry=live.registry,
            subject=subject,
            hint="leave the subject out with --exclude, or fix it in the registry",
        ) from exc
    name = (
        full_name(data, "") if isinstance(data, dict) and data.get("type") in NAMED_TYPES else None
    )
    return _Candidate(subject, latest, name, infer_naming(subject, name), schema_text(data))


def _usual(candidates: Mapping[str, _Candidate]) -> NamingStrategy:
    """The most common strategy (topic on a tie), to write once in ``defaults``."""
    counts = Counter(c.naming.strategy for c in candidates.values())
    order = list(NamingStrategy)
    return max(order, key=lambda s: (counts[s], -order.index(s)))


def _pinned(ref_subject: str, version: int, live: LiveState, present: set[str]) -> bool:
    state = live.subjects.get(ref_subject)
    latest = state.latest if state is not None else None
    return not (ref_subject in present and latest is not None and latest.version == version)


def _findings(
    found: Sequence[Diagnostic], order: Sequence[str], paths: Mapping[str, str]
) -> Findings:
    """The errors ``found`` by subject (see :data:`Findings`)."""
    by_path = {paths[s]: s for s in order}
    result: dict[str, tuple[list[str] | None, list[str]]] = {}
    for d in found:
        if d.severity is not Severity.ERROR:
            continue
        owner = by_path.get(d.path) if d.path != CHECK_PATH else _at_line(order, d)
        if owner is None:
            continue
        rules, reasons = result.setdefault(owner, ([], []))
        reasons.append(f"{d.rule}: {d.message}")
        if d.path == CHECK_PATH or d.rule not in ALLOWABLE_RULES:
            result[owner] = (None, reasons)
        elif rules is not None and d.rule not in rules:
            rules.append(d.rule)
    return {
        s: (tuple(rules) if rules is not None else None, tuple(reasons))
        for s, (rules, reasons) in result.items()
    }


def _at_line(order: Sequence[str], d: Diagnostic) -> str | None:
    return order[d.line - 1] if 0 < d.line <= len(order) else None


def _entry(
    c: _Candidate,
    path: str,
    strategy: NamingStrategy,
    live: LiveState,
    present: set[str],
    allowed: Mapping[str, Allowance],
) -> EntryDraft:
    state = live.subjects[c.subject]
    values: dict[str, Any] = {"subject": c.subject, "schema": path}
    comments: dict[str, str] = {}
    if c.naming.strategy is not strategy:
        values["naming_strategy"] = c.naming.strategy.value
    if c.naming.topic is not None:
        values["topic"] = c.naming.topic
    if c.naming.role is not None:
        values["role"] = c.naming.role.value
    if state.compatibility is not None:
        values["compatibility"] = state.compatibility.value
    if state.mode is not None:
        values["mode"] = state.mode.value
    refs = []
    for r in c.latest.schema.references:
        ref: dict[str, Any] = {"name": r.name, "subject": r.subject}
        if _pinned(r.subject, r.version, live, present):
            ref["version"] = r.version
        refs.append(ref)
    if refs:
        values["references"] = refs
    allowance = allowed.get(c.subject)
    if allowance is not None:
        values["allow"] = list(allowance.rules)
        comments["allow"] = (
            f"The registry holds version {c.latest.version} of this schema, but validate "
            "would refuse it:\n" + "\n".join(f"  {r}" for r in allowance.reasons)
        )
    return EntryDraft(values, comments)


def _owned(
    prefixes: Sequence[str], present: Mapping[str, Any], live_names: Sequence[str], notes: list[str]
) -> tuple[str, ...]:
    """The prefixes to own: every live subject under each one is imported."""
    wanted = sorted(set(prefixes)) or sorted(
        {s.split(".", 1)[0] + "." for s in present if "." in s.strip(".")}
    )
    owned = []
    names = sorted(live_names)
    for prefix in wanted:
        # The names under a prefix are one run of the sorted names: one prefix after another,
        # without going through every name for each (thousands of each in a large registry).
        left_out = []
        at = bisect.bisect_left(names, prefix)
        while at < len(names) and names[at].startswith(prefix):
            if names[at] not in present:
                left_out.append(names[at])
            at += 1
        if left_out:
            notes.append(
                f"prefix {prefix!r} is not owned: {len(left_out)} live subject(s) under it are "
                f"not imported (e.g. {left_out[0]}), and an owned prefix would report them as "
                "drift"
            )
        else:
            owned.append(prefix)
    return tuple(owned)


def _header(live: LiveState) -> str:
    return (
        f"Imported from {live.registry} by `aurum-sr import`; docs/contracts.md explains each "
        "key.\n"
        "The registry's global settings are not managed here: compatibility "
        f"{live.global_compatibility.value}, mode {live.global_mode.value}.\n"
        "A subject lists compatibility or mode only where it has its own; the others inherit "
        "the global ones."
    )
