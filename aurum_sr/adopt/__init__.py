"""``aurum-sr import``: adopt an existing registry into contracts and schema files.

::

    read_registry      registry → RegistryContent   the selected subjects, latest version each
    draft_contracts    RegistryContent → Draft      pure: entries, schema files, exceptions
    import_registry    both, then the files: a new contracts.yml, or new entries merged into
                       the existing one, written to a temporary folder and moved into place

The result is built so that the first ``aurum-sr plan`` against the same registry says
"No changes" (see :mod:`aurum_sr.adopt.draft` for how).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from aurum_sr.adopt.draft import (
    Allowance,
    Draft,
    Existing,
    Skipped,
    checks_for,
    compose,
    draft_contracts,
    prepare,
)
from aurum_sr.adopt.files import Staging, check_writable, write_files
from aurum_sr.adopt.folder import FolderOptions, draft_folder
from aurum_sr.adopt.source import (
    Reading,
    RegistryContent,
    Selection,
    read_registry,
    read_settings,
)
from aurum_sr.desired.background import SchemaCheck
from aurum_sr.desired.loader import read_contracts_only
from aurum_sr.desired.writer import dump_contracts, merge_contracts
from aurum_sr.errors import ConfigError
from aurum_sr.registry.protocol import Registry

if sys.version_info >= (3, 11):
    from typing import assert_never
else:  # pragma: no cover - Python 3.10
    from typing_extensions import assert_never

__all__ = [
    "Allowance",
    "Draft",
    "Existing",
    "FolderOptions",
    "ImportResult",
    "RegistryContent",
    "Selection",
    "Skipped",
    "WriteMode",
    "draft_contracts",
    "import_folder",
    "import_registry",
    "read_registry",
]

CONTRACTS = "contracts/contracts.yml"


class WriteMode(str, Enum):
    """What to do with an existing contracts file."""

    NEW = "new"
    """Refuse to touch an existing contracts.yml."""
    MERGE = "merge"
    """Add the subjects it does not list; keep everything in it as written."""
    OVERWRITE = "overwrite"
    """Replace it."""


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote (or, with ``dry_run``, would write)."""

    draft: Draft
    contracts_path: str
    contracts_text: str
    """The contracts file as written (or as it would be)."""
    written: tuple[str, ...]
    """Repository-relative paths written (or to write), contracts.yml last when it changes."""
    source: str
    """Where the subjects came from: the registry (credentials masked) or the folder."""
    dry_run: bool


def import_registry(
    registry: Registry,
    root: str | Path,
    selection: Selection,
    *,
    mode: WriteMode = WriteMode.NEW,
    dry_run: bool = False,
    reading: Reading | None = None,
    fork: bool | None = None,
    modes: bool = True,
    contracts: str = CONTRACTS,
) -> ImportResult:
    """Import the selected subjects of ``registry`` into the repository at ``root``.

    ``fork`` forces whether the checks run in a forked child (default: where the platform
    allows, :func:`aurum_sr.desired.background.can_fork`); the result is the same either way.
    Without ``modes`` the subject-level modes are not read (one request per subject saved) and
    no subject gets ``mode:``.

    Raises:
        ConfigError: contracts.yml exists (without MERGE/OVERWRITE), the filters match nothing,
            or the target cannot be written (nothing is written then).
        DesiredStateError: MERGE into a contracts file that cannot be read.
        RegistryError: the registry could not be read, or returned a schema that is not JSON.
    """
    base = Path(root)
    existing_text, existing = _existing(base, mode, contracts)
    if not dry_run:
        check_writable(base)
    content = read_registry(registry, selection, reading=reading, settings=False)
    prepared = prepare(content, existing=existing)
    staging = Staging(base) if not dry_run else None
    try:
        # The checks (what validate would refuse) are the costly part and need only the schema
        # files; they run in a forked child where the platform allows, which then writes every
        # schema file into the staging folder, while this process reads the subject-level
        # levels and modes (one request each, and most of this process's time).
        texts = {prepared.paths[s]: c.text for s, c in prepared.candidates.items()}
        check = SchemaCheck(
            checks_for(prepared),
            fork=fork,
            identities=False,
            then=(lambda: staging.write(texts)) if staging is not None else None,
        )
        try:
            shown = len(content.live.subjects)
            with reading(shown, registry.name) if reading else nullcontext():
                live = read_settings(registry, content.live, modes=modes)
            found = check.result()
        finally:
            check.close()
        draft = compose(prepared, live, prefixes=selection.prefixes, found=found)
        return _write(
            base,
            draft,
            existing_text,
            existing,
            source=registry.name,
            dry_run=dry_run,
            contracts=contracts,
            staging=staging,
            staged=texts if check.then_done else None,
        )
    finally:
        if staging is not None:
            staging.close()


def import_folder(
    folder: str | Path,
    root: str | Path,
    options: FolderOptions,
    *,
    mode: WriteMode = WriteMode.NEW,
    dry_run: bool = False,
    contracts: str = CONTRACTS,
) -> ImportResult:
    """Contracts for the ``.avsc`` files under ``folder``, written into the repository at
    ``root`` (see :mod:`aurum_sr.adopt.folder`); no registry is read.

    Raises:
        ConfigError: contracts.yml exists (without MERGE/OVERWRITE), the folder holds no
            ``.avsc`` file, the naming options are unusable, or the target cannot be written.
        DesiredStateError: a file is not JSON, or two files would be one subject.
    """
    base = Path(root)
    existing_text, existing = _existing(base, mode, contracts)
    if not dry_run:
        check_writable(base)
    draft = draft_folder(Path(folder), base, options, existing=existing)
    return _write(
        base,
        draft,
        existing_text,
        existing,
        source=str(folder),
        dry_run=dry_run,
        contracts=contracts,
    )


def _write(
    base: Path,
    draft: Draft,
    existing_text: str | None,
    existing: Existing | None,
    *,
    source: str,
    dry_run: bool,
    contracts: str,
    staging: Staging | None = None,
    staged: Mapping[str, str] | None = None,
) -> ImportResult:
    """Put the draft's files in place (through ``staging`` when given, where ``staged`` are
    written already)."""
    if existing_text is not None and existing is not None:
        text = merge_contracts(existing_text, draft.entries, path=contracts)
    else:
        text = dump_contracts(draft.defaults, draft.entries, header=draft.header)
    files = dict(draft.files)
    if text != existing_text:
        files[contracts] = text
    if not dry_run and files:
        if staging is not None:
            staging.move_in(files, staged=staged, last=contracts)
        else:
            write_files(base, files, last=contracts)
    return ImportResult(
        draft=draft,
        contracts_path=contracts,
        contracts_text=text,
        written=tuple(files),
        source=source,
        dry_run=dry_run,
    )


def _existing(root: Path, mode: WriteMode, contracts: str) -> tuple[str | None, Existing | None]:
    """The existing contracts text and what a merge must keep clear of."""
    file = root / contracts
    if not file.exists():
        return None, None
    if mode is WriteMode.NEW:
        raise ConfigError(
            f"{contracts} already exists under {root}; nothing was written",
            hint="add --merge to import only the subjects it does not list yet (keeping every "
            "entry and comment), or --overwrite to replace it",
        )
    if mode is WriteMode.OVERWRITE:
        return None, None
    if mode is not WriteMode.MERGE:
        assert_never(mode)
    parsed = read_contracts_only(root, contracts=contracts)
    text = file.read_text(encoding="utf-8")
    listed = {e.schema for e in parsed.entries if e.schema is not None}
    folder = root / "schemas"
    on_disk = (
        {p.relative_to(root).as_posix() for p in folder.rglob("*")} if folder.is_dir() else set()
    )
    return text, Existing(
        subjects=frozenset(e.subject for e in parsed.entries),
        paths=frozenset(listed | on_disk),
        defaults=parsed.defaults,
    )
