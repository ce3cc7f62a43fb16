"""``load_desired``: contracts.yml and the schema files it lists → a validated DesiredState."""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from aurum_sr.desired import yaml_io
from aurum_sr.desired.contracts import Contracts, IncludeEntry, SubjectEntry, read_contracts
from aurum_sr.desired.datacontracts import check_tag_paths, with_annotations
from aurum_sr.desired.diagnostics import STRICTNESS_RULES, Collector, Level
from aurum_sr.desired.lint import lint_schema
from aurum_sr.desired.naming import check_naming
from aurum_sr.desired.paths import PathEscapeError, resolve_inside
from aurum_sr.desired.references import check_references
from aurum_sr.desired.schemas import SchemaFile, SchemaFileError, read_schema_file
from aurum_sr.desired.validity import check_validity
from aurum_sr.errors import DesiredStateError, Diagnostic, Severity
from aurum_sr.formats import bounded, is_supported
from aurum_sr.model import (
    DesiredReference,
    DesiredState,
    Lifecycle,
    SchemaType,
    SourceLocation,
    SubjectSpec,
)

SCHEMAS_DIR = "schemas"


@dataclass(frozen=True)
class LoadedDesired:
    """A valid desired state and the warnings found while loading it."""

    state: DesiredState
    warnings: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Gathered:
    """The contracts and the schema files they list, read but not yet checked as schemas.

    Enough to name what the registry must be read for (:attr:`state`); :func:`check_schemas`
    finds what is wrong inside the schemas, and :func:`finish` turns both into a
    :class:`LoadedDesired` or the error.
    """

    root: Path
    contracts_path: str
    contracts: Contracts
    entries: dict[str, SubjectEntry]
    files: dict[str, SchemaFile]
    listed: frozenset[str]
    diagnostics: tuple[Diagnostic, ...]
    """What reading found (errors included); :func:`finish` reports them."""
    levels: Mapping[str, Level]
    scan_unlisted: bool = True
    """Whether :func:`check_schemas` looks for ``.avsc`` files no subject lists (not for
    contracts checked before they are written)."""

    @cached_property
    def state(self) -> DesiredState:
        """The desired state as written; valid only once :func:`finish` accepted it."""
        return DesiredState(
            root=str(self.root.resolve()),
            contracts_path=self.contracts_path,
            format_version=self.contracts.format_version,
            subjects={
                name: _spec(entry, self.files.get(name), self.contracts, self.contracts_path)
                for name, entry in self.entries.items()
            },
            owned_prefixes=self.contracts.defaults.owned_prefixes,
        )


def load_desired(
    root: str | Path = ".",
    *,
    contracts: str | Path = "contracts/contracts.yml",
    strict: bool = False,
) -> LoadedDesired:
    """Load and validate the desired state under ``root``; no network I/O.

    ``strict`` turns schema files that no contract lists into errors (the seed's
    ``fail_on_missing_contract``).

    Raises:
        DesiredStateError: at least one error; carries every diagnostic found (errors and
            warnings), each with file, line, column and a hint.
    """
    gathered = gather_desired(root, contracts=contracts, strict=strict)
    return finish(gathered, check_schemas(gathered))


def gather_desired(
    root: str | Path = ".",
    *,
    contracts: str | Path = "contracts/contracts.yml",
    strict: bool = False,
) -> Gathered:
    """Read contracts.yml and the schema files it lists (the first half of
    :func:`load_desired`).

    Raises:
        DesiredStateError: the contracts file cannot be read or is not YAML (nothing else can
            be checked then). Every other problem is kept in ``diagnostics``.
    """
    diags = Collector()
    root_path = Path(root)
    contracts_file = Path(contracts) if Path(contracts).is_absolute() else root_path / contracts
    rel = _display(root_path, contracts_file)
    parsed = _read_contracts(root_path, contracts_file, rel, diags)
    if parsed is None:
        raise DesiredStateError(_sorted(diags.items, rel))
    diags.levels.update(parsed.defaults.lint)
    if strict:
        diags.levels["unlisted-schema"] = Level.ERROR
    entries = _unique(parsed.entries, diags, rel)
    files, listed = _read_schemas(root_path, entries, diags, rel)
    return Gathered(
        root=root_path,
        contracts_path=rel,
        contracts=parsed,
        entries=entries,
        files=files,
        listed=frozenset(listed),
        diagnostics=tuple(diags.items),
        levels=dict(diags.levels),
    )


def read_contracts_only(
    root: str | Path, *, contracts: str | Path = "contracts/contracts.yml"
) -> Contracts:
    """The contracts file under ``root`` read for its structure only (no schema is opened).

    Raises:
        DesiredStateError: the file is missing, not YAML, or has structural errors.
    """
    diags = Collector()
    root_path = Path(root)
    contracts_file = Path(contracts) if Path(contracts).is_absolute() else root_path / contracts
    rel = _display(root_path, contracts_file)
    parsed = _read_contracts(root_path, contracts_file, rel, diags)
    if parsed is None or diags.has_errors:
        raise DesiredStateError(_sorted(diags.items, rel))
    return parsed


def check_schemas(gathered: Gathered) -> list[Diagnostic]:
    """What is wrong inside the gathered schemas (the second, costly half of
    :func:`load_desired`): lint, references, Avro validity, naming strategies, unlisted files.

    A pure function of ``gathered``, so it may run in another process.
    """
    diags = Collector()
    diags.levels = dict(gathered.levels)
    entries, rel = gathered.entries, gathered.contracts_path
    # One file at a time: parse, lint, keep the few facts later checks need, drop the tree.
    files: dict[str, SchemaFile] = {}
    linted: set[str] = set()
    strictness = not diags.switched_off(STRICTNESS_RULES)
    for subject, file in sorted(gathered.files.items(), key=lambda item: item[1].path):
        try:
            file.parse()
        except SchemaFileError as exc:
            diags.error("schema-json", exc.message, file.path, exc.position, exc.hint)
            continue
        files[subject] = file
        if file.path not in linted:
            linted.add(file.path)
            lint_schema(file, diags)
        file.settle(strictness=strictness)
    files = {s: f for s, f in gathered.files.items() if s in files}  # the contracts' order
    unusable = check_references(entries, files, diags, rel)
    check_validity(entries, files, unusable, diags)
    for entry in entries.values():
        if entry.contract.tag_paths and entry.subject in files:
            data = files[entry.subject].parse()
            check_tag_paths(entry.subject, entry.contract, data, diags, entry.path or rel)
        if entry.lifecycle is Lifecycle.PRESENT:
            strategy = entry.naming_strategy or gathered.contracts.defaults.naming_strategy
            check_naming(entry, strategy, files.get(entry.subject), diags, entry.path or rel)
    if gathered.scan_unlisted:
        _unlisted(gathered.root, set(gathered.listed), diags)
    return _excuse(diags.items, gathered)


def _excuse(found: list[Diagnostic], gathered: Gathered) -> list[Diagnostic]:
    """Errors in a schema file that every subject listing it excuses (``allow:``), as warnings.

    Only rules about the schema's own content are excusable (``ALLOWABLE_RULES``, checked when
    the contracts are read), and only in the files of the subjects that say so.
    """
    allowed: dict[str, set[str]] = {}
    for subject, file in gathered.files.items():
        rules = set(gathered.entries[subject].allow)
        allowed[file.path] = allowed[file.path] & rules if file.path in allowed else rules
    if not any(allowed.values()):
        return found
    out = []
    for d in found:
        if d.severity is Severity.ERROR and d.rule in allowed.get(d.path, ()):
            d = replace(
                d,
                severity=Severity.WARNING,
                message=f"{d.message} (allowed by the subject's `allow: [{d.rule}]`)",
            )
        out.append(d)
    return out


def draft_gathered(
    contracts: Contracts,
    schemas: Mapping[str, SchemaFile],
    *,
    contracts_path: str,
    levels: Mapping[str, Level],
) -> Gathered:
    """Contracts that are not written yet, as :func:`check_schemas` takes them: ``contracts``
    with every entry's schema file given in ``schemas`` (subject → file), under the lint
    ``levels`` (a rule switched ``off`` costs nothing). No file is read; no folder is scanned."""
    return Gathered(
        root=Path("."),
        contracts_path=contracts_path,
        contracts=contracts,
        entries={e.subject: e for e in contracts.entries},
        files=dict(schemas),
        listed=frozenset(f.path for f in schemas.values()),
        diagnostics=(),
        levels=levels,
        scan_unlisted=False,
    )


def finish(gathered: Gathered, found: list[Diagnostic]) -> LoadedDesired:
    """The loaded desired state, once :func:`check_schemas` has ``found`` its problems.

    Raises:
        DesiredStateError: at least one error among everything found.
    """
    ordered = _sorted([*gathered.diagnostics, *found], gathered.contracts_path)
    if any(d.severity is Severity.ERROR for d in ordered):
        raise DesiredStateError(ordered)
    return LoadedDesired(state=gathered.state, warnings=ordered)


def _display(root: Path, file: Path) -> str:
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file.as_posix()


def _read_contracts(root: Path, file: Path, rel: str, diags: Collector) -> Contracts | None:
    """The main contracts file and every file its ``include:`` names, as one :class:`Contracts`
    (every entry knows its file); ``None`` when the main file is unusable."""
    if not root.is_dir():
        diags.error(
            "missing-file",
            f"repository root {root} is not a directory",
            str(root),
            hint="pass --root with the directory that holds contracts/ and schemas/",
        )
        return None
    parsed = _read_one(file, rel, diags, main=None)
    if parsed is None:
        return None
    files = [rel]
    for included, included_rel in _included_files(root, rel, parsed.includes, diags):
        if included_rel in files:
            continue
        files.append(included_rel)
        part = _read_one(included, included_rel, diags, main=rel)
        if part is not None:
            parsed.entries.extend(part.entries)
    parsed.files = tuple(files)
    return parsed


def _included_files(
    root: Path, main: str, includes: tuple[IncludeEntry, ...], diags: Collector
) -> list[tuple[Path, str]]:
    """The files the ``include:`` patterns name, in pattern order and sorted within a pattern;
    patterns and files that lead outside the repository are refused."""
    found: list[tuple[Path, str]] = []
    real_root = root.resolve()
    for item in includes:
        pattern = item.pattern
        try:
            file, rel = resolve_inside(root, pattern, real_root=real_root, what="include path")
        except PathEscapeError as exc:
            diags.error("path-escape", exc.message, main, item.position, exc.hint)
            continue
        if not any(char in pattern for char in "*?["):
            if not file.is_file():
                diags.error(
                    "missing-file",
                    f"included contracts file {rel} does not exist",
                    main,
                    item.position,
                    "paths in include are relative to the repository root, e.g. "
                    "contracts/teams/weather.yml; create the file or fix the path",
                )
            elif rel != main:
                found.append((file, rel))
            continue
        matched = sorted(p for p in root.glob(pattern) if p.is_file())
        if not matched:
            diags.warning(
                "include-matches-nothing",
                f"include pattern {pattern!r} matches no file",
                main,
                item.position,
                "patterns are relative to the repository root, e.g. contracts/teams/*.yml",
            )
        for path in matched:
            rel_path = path.relative_to(root).as_posix()
            if rel_path == main:
                continue  # the main file matching its own pattern
            try:
                file, rel = resolve_inside(root, rel_path, real_root=real_root, what="include path")
            except PathEscapeError as exc:
                diags.error("path-escape", exc.message, main, item.position, exc.hint)
                continue
            found.append((file, rel))
    return found


def _read_one(file: Path, rel: str, diags: Collector, *, main: str | None) -> Contracts | None:
    """One contracts file (``main`` names the main file when this one is included)."""
    try:
        text = bounded.read_text(
            file, limit=bounded.max_contracts_bytes(), setting="AURUM_SR_MAX_CONTRACTS_BYTES"
        )
    except FileNotFoundError:
        diags.error(
            "missing-file",
            "contracts file not found",
            rel,
            hint="run from the repository root, or pass --root DIR / --contracts PATH",
        )
        return None
    except bounded.InputFileError as exc:
        diags.error("unreadable-file", f"the contracts file {exc.message}", rel, hint=exc.hint)
        return None
    try:
        document = yaml_io.load(text)
    except yaml_io.YamlSyntaxError as exc:
        diags.error(
            "yaml-syntax",
            f"not valid YAML: {exc.message}",
            rel,
            exc.position,
            "check indentation, colons and quotes around this position",
        )
        return None
    return read_contracts(document, diags, rel, main=main)


def _unique(entries: list[SubjectEntry], diags: Collector, path: str) -> dict[str, SubjectEntry]:
    unique: dict[str, SubjectEntry] = {}
    for entry in entries:
        first = unique.get(entry.subject)
        if first is not None:
            here, there = entry.path or path, first.path or path
            line = first.subject_position[0]
            if here == there:
                where, hint = f"first at line {line}", "keep one entry per subject; merge the two"
            else:
                where = f"first in {there}:{line}"
                hint = (
                    "a subject belongs to one contracts file: keep the entry in the file of the "
                    "team that owns it and delete the other"
                )
            diags.error(
                "duplicate-subject",
                f"subject {entry.subject!r} is listed twice ({where})",
                here,
                entry.subject_position,
                hint,
            )
            continue
        unique[entry.subject] = entry
    return unique


def _read_schemas(
    root: Path, entries: dict[str, SubjectEntry], diags: Collector, path: str
) -> tuple[dict[str, SchemaFile], set[str]]:
    files: dict[str, SchemaFile] = {}
    read: dict[tuple[str, SchemaType], SchemaFile] = {}
    """Each file once: subjects that share a schema file share its text and what is parsed."""
    listed: set[str] = set()
    real_root = root.resolve()
    folders: dict[str, str] = {}
    for entry in entries.values():
        if entry.schema is None:
            if entry.lifecycle is Lifecycle.PRESENT and entry.schema_type is not None:
                diags.error(
                    "missing-schema",
                    f"subject {entry.subject!r} has no schema",
                    entry.path or path,
                    entry.position,
                    "add `schema: schemas/<area>/<name>.avsc`, or `lifecycle: absent` to delete "
                    "the subject",
                )
            continue
        try:
            file, rel = resolve_inside(root, entry.schema, real_root=real_root, real_dirs=folders)
        except PathEscapeError as exc:
            if exc.rel is not None:
                listed.add(exc.rel)
            diags.error(
                "path-escape", exc.message, entry.path or path, entry.schema_position, exc.hint
            )
            continue
        listed.add(rel)
        if entry.lifecycle is Lifecycle.ABSENT or entry.schema_type is None:
            continue
        if not os.path.lexists(file):  # anything else there is named by read_schema_file
            diags.error(
                "missing-schema-file",
                f"schema file {rel} of subject {entry.subject!r} does not exist",
                entry.path or path,
                entry.schema_position,
                _missing_hint(root, rel),
            )
            continue
        kind = _file_type(entry)
        shared = read.get((rel, kind))
        if shared is None:
            try:
                shared = read[(rel, kind)] = read_schema_file(file, rel, kind)
            except SchemaFileError as exc:
                diags.error("schema-json", exc.message, rel, exc.position, exc.hint)
                continue
        files[entry.subject] = shared
    return files, listed


def _missing_hint(root: Path, rel: str) -> str:
    existing = [p.relative_to(root).as_posix() for p in (root / SCHEMAS_DIR).rglob("*.avsc")]
    close = difflib.get_close_matches(rel, existing, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return "paths are relative to the repository root; create the file or fix the path"


def _unlisted(root: Path, listed: set[str], diags: Collector) -> None:
    folder = root / SCHEMAS_DIR
    if not folder.is_dir():
        return
    for file in sorted(folder.rglob("*.avsc")):
        rel = file.relative_to(root).as_posix()
        if rel not in listed:
            diags.rule(
                "unlisted-schema",
                "no contract lists this schema file",
                rel,
                (1, 1),
                "add a subject for it to the contracts, or delete the file",
            )


def _spec(
    entry: SubjectEntry, file: SchemaFile | None, contracts: Contracts, path: str
) -> SubjectSpec:
    defaults = contracts.defaults
    line, column = entry.position
    return SubjectSpec(
        subject=entry.subject,
        location=SourceLocation(entry.path or path, line, column),
        lifecycle=entry.lifecycle,
        schema_file=file.path if file is not None else None,
        schema_str=file.text if file is not None else None,
        references=tuple(DesiredReference(r.name, r.subject, r.version) for r in entry.references),
        topic=entry.topic,
        role=entry.role,
        owner=entry.owner or defaults.owner,
        description=entry.description,
        compatibility=entry.compatibility or defaults.compatibility,
        mode=entry.mode,
        normalize=defaults.normalize if entry.normalize is None else entry.normalize,
        tags=entry.tags,
        metadata=dict(entry.metadata),
        accepted_breaks=entry.accepted_breaks,
        registry_metadata=with_annotations(
            entry.contract.metadata, entry.owner or defaults.owner, entry.description, entry.tags
        )
        if defaults.annotations_to_metadata
        else entry.contract.metadata,
        rule_set=entry.contract.rule_set,
        contract_config=entry.contract.config,
    )


def _sorted(items: list[Diagnostic], contracts: str) -> tuple[Diagnostic, ...]:
    return tuple(
        sorted(
            items,
            key=lambda d: (
                d.path != contracts,
                d.path,
                d.line,
                d.column,
                d.severity is not Severity.ERROR,
            ),
        )
    )


def _file_type(entry: SubjectEntry) -> SchemaType:
    """The format a subject's schema file is read in: its declared type where aurum-sr has a
    format for it; else Avro (the contracts already reported the type as not supported)."""
    declared = entry.schema_type
    return declared if declared is not None and is_supported(declared) else SchemaType.AVRO
