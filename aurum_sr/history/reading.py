"""Reading a subject's history out of git: its contract entry at every commit of the contracts
file, and its schema file's revisions (renames followed)."""

from __future__ import annotations

import difflib
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from aurum_sr.desired.contracts import Contracts
from aurum_sr.desired.git import GitRepo, Revision
from aurum_sr.desired.loader import read_contracts_only
from aurum_sr.errors import AurumError, DesiredStateError
from aurum_sr.history.evolution import (
    DEFAULT_LEVEL,
    ContractEntry,
    ContractRevision,
    SubjectHistory,
    evolve,
)


def read_history(
    root: str | Path,
    subjects: Sequence[str] = (),
    *,
    contracts_path: str = "contracts/contracts.yml",
    ref: str = "HEAD",
) -> tuple[tuple[SubjectHistory, ...], bool]:
    """The history of each of ``subjects`` (every subject the contracts at ``ref`` list with a
    schema file when empty), sorted by subject; and whether the clone is shallow (histories may
    be cut short).

    Raises:
        GitError: no git, not a clone, or ``ref`` is not in it.
        AurumError: a subject the contracts never listed (with a did-you-mean).
    """
    repo = GitRepo.at(root)
    commit = repo.commit(ref)
    contract_revisions = repo.revisions(commit, contracts_path, follow=False)
    parsed = [(revision, _parse(revision, contracts_path)) for revision in contract_revisions]
    latest: dict[str, ContractEntry] = {}
    ever: set[str] = set()
    for _, contracts in parsed:
        if contracts is not None:
            ever |= set(contracts)
    if parsed and parsed[-1][1] is not None:
        latest = parsed[-1][1]
    wanted = list(subjects) or sorted(s for s, e in latest.items() if e.schema_file)
    for subject in wanted:
        if subject not in ever:
            close = difflib.get_close_matches(subject, sorted(ever), n=1, cutoff=0.6)
            raise AurumError(
                f"history {subject}: no such subject in the history of {contracts_path}",
                hint=f"did you mean {close[0]}?"
                if close
                else "give a subject the contracts list (`aurum-sr validate` shows them)",
            )
    histories = []
    for subject in sorted(set(wanted)):
        entries = [
            ContractRevision(revision, None if contracts is None else contracts.get(subject))
            for revision, contracts in parsed
        ]
        path = _schema_file(subject, latest, entries)
        schema_revisions = repo.revisions(commit, path) if path else []
        paths = {r.path for r in schema_revisions} | {contracts_path}
        order = repo.run(
            "log", "--reverse", "--format=%H", commit, "--", *(repo.prefix + p for p in paths)
        ).split()
        histories.append(evolve(subject, schema_revisions, entries, order))
    return tuple(histories), repo.shallow


def _schema_file(
    subject: str, latest: dict[str, ContractEntry], entries: Sequence[ContractRevision]
) -> str | None:
    """The subject's schema file now, else the last one its contract named."""
    if subject in latest and latest[subject].schema_file:
        return latest[subject].schema_file
    for revision in reversed(entries):
        if revision.entry is not None and revision.entry.schema_file:
            return revision.entry.schema_file
    return None


def _parse(revision: Revision, contracts_path: str) -> dict[str, ContractEntry] | None:
    """Every subject's entry in the contracts as ``revision`` left them; None when the file was
    deleted or cannot be read at that commit."""
    if revision.text is None:
        return None
    with tempfile.TemporaryDirectory(prefix="aurum-sr-history-") as folder:
        target = Path(folder) / PurePosixPath(contracts_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(revision.text, encoding="utf-8")
        try:
            contracts = read_contracts_only(folder, contracts=contracts_path)
        except DesiredStateError:
            return None
    return _entries(contracts)


def _entries(contracts: Contracts) -> dict[str, ContractEntry]:
    default = contracts.defaults.compatibility or DEFAULT_LEVEL
    return {
        entry.subject: ContractEntry(
            schema_file=entry.schema,
            compatibility=(entry.compatibility or default).value,
            mode=entry.mode.value if entry.mode else None,
            owner=entry.owner or contracts.defaults.owner,
            lifecycle=entry.lifecycle.value,
            schema_type=(entry.schema_type.value if entry.schema_type else "AVRO"),
        )
        for entry in contracts.entries
    }
