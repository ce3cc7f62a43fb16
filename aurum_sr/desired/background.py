"""Checking the gathered schemas in a child process, while the caller reads the registry.

:func:`load_reading` is the strategy a plan uses: gather the desired state, start the checks,
read the registry meanwhile (the caller's ``read``), then collect the checks.

:func:`~aurum_sr.desired.loader.check_schemas` is the costly, CPU-bound half of loading (Avro
parsing, defaults, lint); reading the registry is the other big cost of a plan, and Python runs
only one of them at a time in one process. Where the platform forks cheaply and safely (Linux,
the process still single-threaded, more than one CPU), the checks run in a forked child and come
back as diagnostics. Anywhere else, and whenever the child fails for any reason, they run here,
in this process, with the same result.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from aurum_sr.canonical import identity_digest, remember_identity
from aurum_sr.desired.loader import Gathered, LoadedDesired, check_schemas, finish, gather_desired
from aurum_sr.desired.schemas import SchemaFile
from aurum_sr.errors import Diagnostic, SchemaInputError, Severity
from aurum_sr.model import DesiredState, LiveState

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

log = logging.getLogger(__name__)

T = TypeVar("T")


def load_reading(
    root: str | Path,
    read: Callable[[DesiredState], T],
    *,
    contracts: str = "contracts/contracts.yml",
    strict: bool = False,
    fork: bool | None = None,
    meanwhile: Callable[[DesiredState, T, Callable[[], bool]], object] | None = None,
) -> tuple[LoadedDesired, T]:
    """:func:`~aurum_sr.desired.load_desired`, with ``read`` (which must only *read*, e.g.
    :func:`aurum_sr.registry.reading.read_latest`) run on the subjects the contracts list while
    their schemas are checked.

    The checks run in a forked child process where that is possible (:func:`can_fork`;
    ``fork`` forces the choice), so reading the registry and checking the schemas take the time
    of the longer one instead of both. The result is the same either way. The desired state's
    errors win: when the schemas are invalid, the :class:`~aurum_sr.errors.DesiredStateError`
    is raised whatever ``read`` did; when they are valid, whatever ``read`` raised is raised.
    When reading the contracts or the schema files already failed, ``read`` is not called at
    all. ``meanwhile(state, value, checking)`` runs after ``read`` while the child still
    checks: work the caller needs next anyway (e.g. :func:`precompute_identities`), which may
    stop early once ``checking()`` turns false; it is skipped when the checks run in this
    process.

    Raises:
        DesiredStateError: every problem found in the desired state.
    """
    gathered = gather_desired(root, contracts=contracts, strict=strict)
    if any(d.severity is Severity.ERROR for d in gathered.diagnostics):
        finish(gathered, check_schemas(gathered))  # raises, with the schema problems too
    check = SchemaCheck(gathered, fork=fork)
    try:
        try:
            state = gathered.state
            value = read(state)
            if meanwhile is not None and check.forked:
                meanwhile(state, value, check.checking)
        except Exception:
            finish(gathered, check.result())  # invalid schemas: that error, not the read's
            raise
        return finish(gathered, check.result()), value
    finally:
        check.close()


def precompute_identities(
    desired: DesiredState, live: LiveState, checking: Callable[[], bool] = lambda: True
) -> None:
    """Compute (and cache) the registry identities the diff compares: every latest live
    version's, then, while ``checking()`` (the schema checks still run in their child
    process, which sends the desired ones once it is done), the desired schemas' from the last.
    Run as :func:`load_reading`'s ``meanwhile``, it moves the diff's main cost into time spent
    waiting. Schemas that are not JSON are left for the checks and the diff to report."""
    for state in live.subjects.values():
        for version in state.versions[-1:]:
            with suppress(SchemaInputError):
                identity_digest(version.schema.schema_str, version.schema.schema_type)
    for spec in reversed(list(desired.subjects.values())):
        if not checking():
            return
        if spec.schema_str is not None:
            with suppress(SchemaInputError):
                identity_digest(spec.schema_str, spec.schema_type)


def can_fork() -> bool:
    """Whether a forked child can take the checks: Linux (fork is the platform's own model), no
    other thread running (a fork copies only the calling thread, and any lock another thread
    holds), and a second CPU to run on."""
    return sys.platform == "linux" and threading.active_count() == 1 and (os.cpu_count() or 1) > 1


class SchemaCheck:
    """:func:`check_schemas` of one :class:`Gathered`, started now, collected by :meth:`result`.

    ``identities``: a forked child goes on, once it has checked, computing the registry identity
    of each schema for :meth:`result` to remember (what a plan's diff compares); without it,
    the child ends with its checks (an import compares nothing, and the CPU is better left to
    the parent).

    ``then``: more work for a forked child, done after the checks and before :meth:`result`
    returns (an import writes its schema files meanwhile); :attr:`then_done` says whether it
    was. It is not run when the checks run in this process, nor again after a failure: the
    caller does that work itself then.
    """

    def __init__(
        self,
        gathered: Gathered,
        *,
        fork: bool | None = None,
        identities: bool = True,
        then: Callable[[], object] | None = None,
    ) -> None:
        self._gathered = gathered
        self._identities = identities
        self._then = then
        self.then_done = False
        """Whether ``then`` ran to its end in the child (known once :meth:`result` returned)."""
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        if fork if fork is not None else can_fork():
            self._start()

    def _start(self) -> None:
        import multiprocessing

        for stream in (sys.stdout, sys.stderr):  # else the child may flush our buffered output
            stream.flush()
        try:
            context = multiprocessing.get_context("fork")
            receive, send = context.Pipe(duplex=False)
            process = context.Process(
                target=_child,
                args=(self._gathered, send, self._identities, self._then),
                name="aurum-sr-check",
                daemon=True,
            )
            process.start()
        except (OSError, ValueError) as exc:  # no fork here, or out of processes
            log.debug("schema checks run in this process: %s", exc)
            return
        send.close()
        self._process, self._conn = process, receive

    def checking(self) -> bool:
        """Whether the child is still checking (its diagnostics have not arrived yet)."""
        return self._conn is not None and not self._conn.poll(0)

    @property
    def forked(self) -> bool:
        """Whether the checks run in a child process."""
        return self._process is not None

    def result(self) -> list[Diagnostic]:
        """The diagnostics, waiting for the child if it runs one.

        A child with time left after its checks goes on computing the registry identity of each
        desired schema (what the diff compares) and sends them in batches; the batches that
        have arrived by now are remembered (:func:`aurum_sr.canonical.remember_identity`) and
        the child is stopped: the diff computes any others itself.
        """
        if self._conn is not None:
            try:
                status, value, self.then_done = self._conn.recv()
                if status == "ok":
                    self._take_identities()
            except (EOFError, OSError) as exc:  # the child died without answering
                status, value, self.then_done = "failed", repr(exc), False
            finally:
                self.close()
            if status == "ok":
                found: list[Diagnostic] = value
                return found
            log.debug("schema checks failed in the child process (%s); checking here", value)
        return check_schemas(self._gathered)

    def _take_identities(self) -> None:
        assert self._conn is not None
        files = [file for _, file in _checked_files(self._gathered)]
        while self._conn.poll(0):  # also true once the child has closed its end
            try:
                kind, start, digests, unknown = self._conn.recv()
            except EOFError:  # the child sent everything
                return
            if kind != "identities":
                return
            for offset in range(len(digests) // DIGEST_SIZE):
                if start + offset not in unknown:
                    digest = digests[offset * DIGEST_SIZE : (offset + 1) * DIGEST_SIZE]
                    file = files[start + offset]
                    remember_identity(file.text, file.schema_type, digest)

    def close(self) -> None:
        """Stop the child (if any) and release the pipe; the checks are not collected then."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None


DIGEST_SIZE = 32
IDENTITY_BATCH = 1000
"""Digests per message: 32 KB, so two fit in a pipe's buffer while the parent is busy."""


def _checked_files(gathered: Gathered) -> list[tuple[str, SchemaFile]]:
    """The files read in their subject's declared format, in an order parent and child agree
    on: their identities are the ones the diff compares."""
    return [
        (subject, file)
        for subject, file in gathered.files.items()
        if gathered.entries[subject].schema_type is file.schema_type
    ]


def _child(
    gathered: Gathered,
    send: Any,
    identities: bool = True,
    then: Callable[[], object] | None = None,
) -> None:
    # The parent stops this child with SIGTERM, and handles Ctrl-C for both: the handlers the
    # CLI installed (aurum_sr.interrupt) raise, which in a child would unwind through the
    # parent's copied stack instead of ending the process.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        answer: tuple[str, object, bool] = ("ok", check_schemas(gathered), False)
    except BaseException as exc:  # the parent re-runs the checks and reports properly
        answer = ("failed", repr(exc), False)
    if then is not None:
        try:
            then()
            answer = (*answer[:2], True)
        except BaseException as exc:  # the parent does it again, and reports properly
            log.debug("work after the checks failed in the child process: %r", exc)
    try:
        send.send(answer)
    except Exception as exc:  # e.g. something that does not pickle
        send.send(("failed", repr(exc), answer[2]))
    if answer[0] == "ok" and identities:
        _send_identities(gathered, send)
    send.close()


def _send_identities(gathered: Gathered, send: Any) -> None:
    files = _checked_files(gathered)
    for start in range(0, len(files), IDENTITY_BATCH):
        digests: list[bytes] = []
        unknown: set[int] = set()  # not JSON: the checks reported it
        for index in range(start, min(start + IDENTITY_BATCH, len(files))):
            try:
                file = files[index][1]
                digests.append(identity_digest(file.text, file.schema_type))
            except SchemaInputError:
                digests.append(bytes(DIGEST_SIZE))
                unknown.add(index)
        send.send(("identities", start, b"".join(digests), unknown))
