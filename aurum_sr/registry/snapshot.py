"""The snapshot-file registry: a whole registry in one JSON file (the embedded default).

The file holds subjects, versions (soft-deleted ones flagged), ids, schemas with their
references, subject-level compatibility and modes, and the global settings. Every operation runs
the shared :class:`~aurum_sr.registry.engine.RegistryEngine`, so the file behaves like a real
registry. Writes take ``PATH.lock`` (created exclusively), re-read the file, apply the change and
replace the file atomically (temporary file + ``os.replace``, the file's mode kept). A lock left
by a process that died (its pid, on this host, is gone) or older than :data:`STALE_LOCK_SECONDS`
is taken over. A missing file reads as an empty registry (``status`` and a warning say it is
missing), but writing to it is refused unless the registry was opened with ``create=True``
(``snapshot export``): a mistyped path must not become a new registry. A corrupt or foreign file
is refused with a :class:`RegistryStateError` naming it.

The format is deterministic (sorted subjects, versions and ids; no timestamps), so a snapshot
committed to git only changes when the registry does.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from aurum_sr.datacontracts import ContractConfig
from aurum_sr.errors import RegistryStateError
from aurum_sr.formats import bounded
from aurum_sr.model import (
    CompatibilityLevel,
    LiveState,
    Mode,
    Schema,
    SchemaReference,
    SchemaType,
)
from aurum_sr.registry import wire
from aurum_sr.registry.engine import RegistryEngine, SubjectRecord, VersionRecord
from aurum_sr.registry.memory import LocalRegistry
from aurum_sr.registry.protocol import RegistryStatus

T = TypeVar("T")

FORMAT = "aurum-sr.registry-snapshot"
FORMAT_VERSION = 1
LOCK_WAIT_SECONDS = 5.0
STALE_LOCK_SECONDS = 600.0
"""A lock this old is taken over even when its pid cannot be checked (another host)."""
_EMPTY_LOCK_SECONDS = 2.0  # a lock without a pid yet: its writer died between create and write

_log = logging.getLogger(__name__)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _Reference(_Model):
    name: str
    subject: str
    version: int = Field(ge=1)


class _SchemaEntry(_Model):
    id: int = Field(ge=1)
    schema_type: SchemaType = SchemaType.AVRO
    schema_str: str = Field(alias="schema")
    references: list[_Reference] = []
    metadata: dict[str, Any] | None = None
    """In the registry's JSON shape."""
    rule_set: dict[str, Any] | None = Field(default=None, alias="ruleSet")
    """In the registry's JSON shape."""


class _VersionEntry(_Model):
    version: int = Field(ge=1)
    id: int = Field(ge=1)
    deleted: bool = False


class _SubjectEntry(_Model):
    versions: list[_VersionEntry] = []
    compatibility: CompatibilityLevel | None = None
    mode: Mode | None = None
    config: dict[str, Any] | None = None
    """The data-contract configuration, in the registry's JSON shape."""


class _Global(_Model):
    compatibility: CompatibilityLevel = CompatibilityLevel.BACKWARD
    mode: Mode = Mode.READWRITE


class _Document(_Model):
    format: Literal["aurum-sr.registry-snapshot"]
    format_version: Literal[1]
    global_: _Global = Field(alias="global", default_factory=_Global)
    max_id: int = 0
    schemas: list[_SchemaEntry] = []
    subjects: dict[str, _SubjectEntry] = {}


def engine_from_document(data: object, *, name: str, source: str) -> RegistryEngine:
    """Build an engine from a parsed snapshot document.

    Raises:
        RegistryStateError: the document is not a snapshot of a format we read, or is
            inconsistent (a version pointing at an unknown id).
    """
    hint = "restore the file from git, or export a fresh one with `aurum-sr snapshot export`"
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RegistryStateError(
            f'{source} is not an aurum-sr registry snapshot (no "format": "{FORMAT}")',
            registry=name,
            hint=hint,
        )
    if data.get("format_version") != FORMAT_VERSION:
        raise RegistryStateError(
            f"{source} has snapshot format_version {data.get('format_version')!r}; this "
            f"aurum-sr reads format_version {FORMAT_VERSION}",
            registry=name,
            hint="upgrade aurum-sr, or export the snapshot again with this version",
        )
    try:
        doc = _Document.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RegistryStateError(
            f"{source} is not a valid registry snapshot: {where}: {first['msg']} "
            f"({exc.error_count()} problem(s))",
            registry=name,
            hint=hint,
        ) from None
    engine = RegistryEngine(name)
    engine.global_compatibility = doc.global_.compatibility
    engine.global_mode = doc.global_.mode
    try:
        for entry in doc.schemas:
            engine.add_schema(
                entry.id,
                Schema(
                    schema_str=entry.schema_str,
                    schema_type=entry.schema_type,
                    references=tuple(
                        SchemaReference(r.name, r.subject, r.version) for r in entry.references
                    ),
                    metadata=wire.metadata_from_wire(entry.metadata, f"metadata of id {entry.id}"),
                    rule_set=wire.rule_set_from_wire(entry.rule_set, f"ruleSet of id {entry.id}"),
                ),
            )
        configs = {
            subject: wire.contract_config_from_wire(entry.config)
            for subject, entry in doc.subjects.items()
            if entry.config is not None
        }
    except wire.WireError as exc:
        raise RegistryStateError(
            f"{source} is not a valid registry snapshot: {exc}", registry=name, hint=hint
        ) from None
    for subject, subject_entry in doc.subjects.items():
        record = SubjectRecord(
            compatibility=subject_entry.compatibility,
            mode=subject_entry.mode,
            contract=configs.get(subject, ContractConfig()),
        )
        for v in subject_entry.versions:
            if v.id not in engine.schemas:
                raise RegistryStateError(
                    f"{source} is inconsistent: subject {subject!r} version {v.version} points "
                    f"at schema id {v.id}, which the file does not hold",
                    registry=name,
                    subject=subject,
                    hint=hint,
                )
            record.versions[v.version] = VersionRecord(v.version, v.id, v.deleted)
        engine.subjects[subject] = record
    engine.max_id = max(engine.max_id, doc.max_id)
    return engine


def document_from_engine(engine: RegistryEngine) -> dict[str, Any]:
    """The snapshot document of ``engine``, deterministic (sorted)."""
    subjects: dict[str, Any] = {}
    for subject in sorted(engine.subjects):
        record = engine.subjects[subject]
        entry: dict[str, Any] = {}
        if record.compatibility is not None:
            entry["compatibility"] = record.compatibility.value
        if record.mode is not None:
            entry["mode"] = record.mode.value
        if not record.contract.empty:
            entry["config"] = wire.contract_config_to_wire(record.contract)
        versions = []
        for v in sorted(record.versions):
            r = record.versions[v]
            item: dict[str, Any] = {"version": r.version, "id": r.schema_id}
            if r.deleted:
                item["deleted"] = True
            versions.append(item)
        entry["versions"] = versions
        subjects[subject] = entry
    schemas = []
    # Content whose versions were all permanently deleted is kept too: the registry keeps its
    # content -> id index, so registering it again gets the same id back.
    for schema_id in sorted(engine.schemas):
        schema = engine.schemas[schema_id]
        item = {"id": schema_id, "schema_type": schema.schema_type.value}
        if schema.references:
            item["references"] = [
                {"name": r.name, "subject": r.subject, "version": r.version}
                for r in schema.references
            ]
        if schema.metadata is not None:
            item["metadata"] = wire.metadata_to_wire(schema.metadata)
        if schema.rule_set is not None:
            item["ruleSet"] = wire.rule_set_to_wire(schema.rule_set)
        item["schema"] = schema.schema_str
        schemas.append(item)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "global": {
            "compatibility": engine.global_compatibility.value,
            "mode": engine.global_mode.value,
        },
        "max_id": engine.max_id,
        "schemas": schemas,
        "subjects": subjects,
    }


def dump_document(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


class SnapshotRegistry(LocalRegistry):
    """A registry held in one JSON file at ``path`` (see the module docstring)."""

    def __init__(self, path: str | os.PathLike[str], *, create: bool = False) -> None:
        self.path = Path(path)
        self.create = create
        """Whether a write may create the file (else a missing file is an error to write)."""
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._stamp: tuple[int, int, int] | None = None
        self._thread_lock = threading.RLock()
        super().__init__(RegistryEngine(self._label()))
        self._reload(force=True)
        if self._stamp is None and not create:
            _log.warning(
                "registry snapshot %s does not exist: reading it as an empty registry", self.path
            )

    def _label(self) -> str:
        return f"file:{self.path}"

    # -- file I/O ----------------------------------------------------------------------------

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _reload(self, *, force: bool = False) -> None:
        stamp = self._file_stamp()
        if not force and stamp == self._stamp:
            return
        if stamp is None:
            engine = RegistryEngine(self._label())
        else:
            try:
                text = bounded.read_text(self.path)
            except FileNotFoundError:  # removed between stat and read
                self._engine = RegistryEngine(self._label())
                self._stamp = None
                return
            except bounded.InputFileError as exc:
                raise RegistryStateError(
                    f"registry snapshot {self.path} {exc.message}",
                    registry=self._label(),
                    hint=exc.hint,
                ) from None
            try:
                data = bounded.loads(text)
            except json.JSONDecodeError as exc:
                raise RegistryStateError(
                    f"{self.path} is corrupt: not JSON (line {exc.lineno}, column "
                    f"{exc.colno}): {exc.msg}",
                    registry=self._label(),
                    hint="restore the file from git, or export a fresh one with "
                    "`aurum-sr snapshot export`",
                ) from None
            engine = engine_from_document(data, name=self._label(), source=str(self.path))
        self._engine = engine
        self._stamp = stamp

    def _save(self) -> None:
        text = dump_document(document_from_engine(self._engine))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = stat.S_IMODE(self.path.stat().st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask  # what creating the file with open() would give
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            os.chmod(tmp, mode)  # mkstemp makes 0600: keep the file's own mode
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._stamp = self._file_stamp()

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        if self.create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            try:
                fd = os.open(self.lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
                break
            except FileExistsError:
                if self._take_over_stale_lock():
                    continue
                if time.monotonic() >= deadline:
                    raise RegistryStateError(
                        f"registry snapshot {self.path} is locked by {self.lock_path}",
                        registry=self._label(),
                        hint="another aurum-sr is writing it; if none is running, delete "
                        f"{self.lock_path}",
                    ) from None
                time.sleep(0.05)
        try:
            os.write(fd, f"{os.getpid()} {socket.gethostname()}\n".encode())
            os.close(fd)
            yield
        finally:
            self.lock_path.unlink(missing_ok=True)

    def _take_over_stale_lock(self) -> bool:
        """Remove ``PATH.lock`` when its writer is gone; True when it was removed.

        The lock holds ``PID HOST``. On this host a pid that no longer runs means the writer
        died (a crash, SIGKILL); elsewhere only the lock's age can tell.
        """
        try:
            content = self.lock_path.read_text(encoding="utf-8", errors="replace").split()
            age = time.time() - self.lock_path.stat().st_mtime
        except FileNotFoundError:
            return True  # released meanwhile: try again at once
        except OSError:
            return False
        stale = age > STALE_LOCK_SECONDS
        if not content:
            stale = stale or age > _EMPTY_LOCK_SECONDS
        elif content[0].isdigit() and (len(content) < 2 or content[1] == socket.gethostname()):
            stale = stale or not _running(int(content[0]))
        if not stale:
            return False
        _log.warning(
            "registry snapshot %s: removing the stale lock %s (its writer is gone)",
            self.path,
            self.lock_path,
        )
        self.lock_path.unlink(missing_ok=True)
        return True

    # -- LocalRegistry hooks -----------------------------------------------------------------

    def _read(self, operation: Callable[[RegistryEngine], T]) -> T:
        with self._thread_lock:
            self._reload()
            return super()._read(operation)

    def _write(self, operation: Callable[[RegistryEngine], T]) -> T:
        try:
            return self._write_locked(operation)
        except OSError as exc:
            raise RegistryStateError(
                f"cannot write registry snapshot {self.path}: {exc.strerror or exc}",
                registry=self._label(),
                hint="check that its folder exists and can be written",
            ) from None

    def _write_locked(self, operation: Callable[[RegistryEngine], T]) -> T:
        with self._thread_lock, self._file_lock():
            self._reload(force=True)
            if self._stamp is None and not self.create:
                raise RegistryStateError(
                    f"registry snapshot {self.path} does not exist; nothing was written",
                    registry=self._label(),
                    hint="check the path; to start a new snapshot file, export one with "
                    f"`aurum-sr snapshot export --registry memory: --out {self.path}`",
                )
            try:
                result = super()._write(operation)
            except BaseException:
                self._reload(force=True)  # drop any partial change
                raise
            self._save()
            return result

    def status(self) -> RegistryStatus:
        """As for every backend; the "server version" says what the file is (or that it does
        not exist, so a mistyped path is noticed)."""
        status = super().status()
        if self._file_stamp() is None:
            return replace(status, server_version="snapshot file (missing: an empty registry)")
        return replace(status, server_version=f"snapshot file, format {FORMAT_VERSION}")

    # -- whole-file operations ---------------------------------------------------------------

    def replace_state(self, state: LiveState, *, max_id: int = 0) -> None:
        """Replace the whole file with ``state`` (ids and versions kept): what
        ``aurum-sr snapshot export`` writes."""

        def run(e: RegistryEngine) -> None:
            e.subjects.clear()
            e.schemas.clear()
            e.ids.clear()
            e.max_id = 0
            e.load_state(state)
            e.max_id = max(e.max_id, max_id)

        self._write(run)


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists on this host."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by someone else
    return True
