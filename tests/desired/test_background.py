"""Schema checks in a forked child: the same diagnostics as in this process, and a fallback."""

from __future__ import annotations

import os
import signal
import time
from dataclasses import replace
from pathlib import Path

import pytest

from aurum_sr import canonical, interrupt
from aurum_sr.desired import background, load_desired
from aurum_sr.desired.background import SchemaCheck, can_fork
from aurum_sr.desired.loader import check_schemas, gather_desired
from aurum_sr.errors import DesiredStateError, RegistryError
from aurum_sr.model import (
    CompatibilityLevel,
    DesiredState,
    LiveState,
    Mode,
    RegisteredSchema,
    Schema,
    SchemaType,
    SubjectState,
)
from tests.desired.repos import HEAD, ORDER, RepoFactory

EXAMPLES = Path(__file__).resolve().parents[2]

needs_fork = pytest.mark.skipif(
    not hasattr(os, "fork"), reason="this platform cannot fork: checks always run in-process"
)

# Warnings and errors from every later check: lint, references, validity, naming, JSON.
BROKEN = HEAD + (
    "  - subject: shop.Order\n"
    "    schema: schemas/order.avsc\n"
    "    naming_strategy: record\n"
    "  - subject: bad-json-value\n"
    "    schema: schemas/bad.avsc\n"
    "  - subject: bad-avro-value\n"
    "    schema: schemas/bad_avro.avsc\n"
)
BROKEN_FILES = {
    "schemas/order.avsc": {**ORDER, "fields": [{"name": "orderId", "type": "string"}]},
    "schemas/bad.avsc": '{"type": "record",, }',
    "schemas/bad_avro.avsc": {"type": "record", "name": "X", "fields": [{"name": "a"}]},
    "schemas/unlisted.avsc": {"type": "string"},
}


@needs_fork
def test_the_forked_check_finds_exactly_what_the_in_process_check_finds(
    repo: RepoFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    gathered = gather_desired(repo(BROKEN, BROKEN_FILES))
    expected = check_schemas(gathered)
    assert {d.rule for d in expected} >= {"schema-json", "avro-invalid", "field-not-snake-case"}
    check = SchemaCheck(gathered, fork=True)
    assert check.forked
    monkeypatch.setattr(background, "check_schemas", _not_here)  # only the parent's copy
    assert check.result() == expected


def _not_here(gathered: object) -> object:
    raise AssertionError("the child's answer was lost: checked again in the parent")


def test_without_fork_the_checks_run_here(repo: RepoFactory) -> None:
    gathered = gather_desired(repo(BROKEN, BROKEN_FILES))
    check = SchemaCheck(gathered, fork=False)
    assert not check.forked
    assert check.result() == check_schemas(gathered)


@needs_fork
def test_a_child_that_fails_falls_back_to_checking_here(
    repo: RepoFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()
    real = check_schemas

    def fails_in_the_child(gathered: object, **kwargs: object) -> object:
        if os.getpid() != parent:
            raise RuntimeError("boom")
        return real(gathered, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(background, "check_schemas", fails_in_the_child)
    gathered = gather_desired(repo(BROKEN, BROKEN_FILES))
    check = SchemaCheck(gathered, fork=True)
    assert check.forked
    assert check.result() == real(gathered)


def test_can_fork_only_when_single_threaded_on_linux() -> None:
    import sys
    import threading

    if sys.platform != "linux" or threading.active_count() > 1:
        assert not can_fork()
    else:
        assert can_fork() == ((os.cpu_count() or 1) > 1)


@pytest.mark.parametrize("fork", [pytest.param(True, marks=needs_fork), False])
def test_load_reading_equals_load_and_passes_the_state_to_read(fork: bool) -> None:
    seen: list[DesiredState] = []

    def read(state: DesiredState) -> int:
        seen.append(state)
        return 42

    loaded, value = background.load_reading(EXAMPLES, read, fork=fork)
    assert value == 42
    assert loaded == load_desired(EXAMPLES)
    assert seen == [loaded.state]


@pytest.mark.parametrize("fork", [pytest.param(True, marks=needs_fork), False])
def test_desired_errors_win_over_what_read_raised(repo: RepoFactory, fork: bool) -> None:
    def unreachable(state: DesiredState) -> None:
        raise RegistryError("registry down", registry="http://r")

    with pytest.raises(DesiredStateError) as caught:
        background.load_reading(repo(BROKEN, BROKEN_FILES), unreachable, fork=fork)
    assert "avro-invalid" in {d.rule for d in caught.value.diagnostics}


@pytest.mark.parametrize("fork", [pytest.param(True, marks=needs_fork), False])
def test_what_read_raised_is_raised_when_the_desired_state_is_valid(fork: bool) -> None:
    def unreachable(state: DesiredState) -> None:
        raise RegistryError("registry down", registry="http://r")

    with pytest.raises(RegistryError, match="registry down"):
        background.load_reading(EXAMPLES, unreachable, fork=fork)


@pytest.mark.parametrize("fork", [pytest.param(True, marks=needs_fork), False])
def test_meanwhile_runs_after_read_only_while_a_child_checks(fork: bool) -> None:
    calls: list[tuple[DesiredState, int]] = []
    loaded, _ = background.load_reading(
        EXAMPLES, lambda s: 7, fork=fork, meanwhile=lambda s, v, checking: calls.append((s, v))
    )
    assert calls == ([(loaded.state, 7)] if fork else [])


@needs_fork
def test_a_child_done_early_sends_the_desired_identities(
    repo: RepoFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(canonical, "_DIGESTS", {})
    gathered = gather_desired(repo(BROKEN, BROKEN_FILES))
    check = SchemaCheck(gathered, fork=True)
    assert check._process is not None
    check._process.join(timeout=30)  # done: diagnostics and identities wait in the pipe
    assert not check.checking()
    expected = check_schemas(gathered)
    monkeypatch.setattr(background, "check_schemas", _not_here)
    assert check.result() == expected
    for subject, file in gathered.files.items():
        known = canonical._DIGESTS.get((file.text, SchemaType.AVRO))
        if subject == "bad-json-value":
            assert known is None
        else:
            assert known == canonical.digest_of(canonical.canonical_text(file.text))


@needs_fork
def test_a_child_without_identities_ends_with_its_checks(
    repo: RepoFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(canonical, "_DIGESTS", {})
    gathered = gather_desired(repo(BROKEN, BROKEN_FILES))
    check = SchemaCheck(gathered, fork=True, identities=False)
    assert check._process is not None
    check._process.join(timeout=30)
    assert check._process.exitcode == 0  # ended by itself, with nothing left to send
    expected = check_schemas(gathered)
    canonical._DIGESTS.clear()  # the in-process check above may have computed some
    monkeypatch.setattr(background, "check_schemas", _not_here)
    assert check.result() == expected
    assert canonical._DIGESTS == {}


@needs_fork
def test_then_runs_in_the_child_after_the_checks(repo: RepoFactory, tmp_path: Path) -> None:
    gathered = gather_desired(repo(BROKEN, BROKEN_FILES))
    marker = tmp_path / "marker"
    check = SchemaCheck(gathered, fork=True, identities=False, then=lambda: marker.write_text("x"))
    assert check.result() == check_schemas(gathered)
    assert check.then_done and marker.read_text() == "x"


@needs_fork
def test_the_child_ends_on_sigterm_even_after_the_cli_installed_its_handlers(
    repo: RepoFactory, tmp_path: Path
) -> None:
    # The parent stops a child that is still busy with SIGTERM. The CLI's handler raises
    # Terminated; inherited by the child, it unwound into the parent's copied stack.
    gathered = gather_desired(repo(BROKEN, BROKEN_FILES))
    seen = tmp_path / "handlers"

    def report_and_wait() -> None:
        sigterm, sigint = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
        seen.write_text(f"{sigterm == signal.SIG_DFL} {sigint == signal.SIG_IGN}")
        time.sleep(60)

    previous = interrupt.install()
    try:
        check = SchemaCheck(gathered, fork=True, identities=False, then=report_and_wait)
        deadline = time.monotonic() + 30
        while not seen.exists() or not seen.read_text():
            assert time.monotonic() < deadline, "the child never reached its work"
            time.sleep(0.01)
        process = check._process
        assert process is not None
        check.close()
    finally:
        interrupt.restore(previous)
    assert seen.read_text() == "True True"
    assert process.exitcode == -signal.SIGTERM


@needs_fork
def test_then_failing_in_the_child_is_left_to_the_caller(repo: RepoFactory) -> None:
    gathered = gather_desired(repo(BROKEN, BROKEN_FILES))

    def fail() -> None:
        raise OSError("disk full")

    check = SchemaCheck(gathered, fork=True, then=fail)
    assert check.result() == check_schemas(gathered)
    assert not check.then_done


def test_then_is_not_run_when_the_checks_run_here(repo: RepoFactory) -> None:
    gathered = gather_desired(repo(BROKEN, BROKEN_FILES))
    check = SchemaCheck(gathered, fork=False, then=lambda: _not_here(gathered))
    assert check.result() == check_schemas(gathered)
    assert not check.then_done


def test_precompute_identities_caches_what_the_diff_compares(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(canonical, "_DIGESTS", {})
    state = load_desired(EXAMPLES).state
    live = LiveState(
        registry="r",
        global_compatibility=CompatibilityLevel.BACKWARD,
        global_mode=Mode.READWRITE,
        subjects={
            "s": SubjectState(
                "s",
                (
                    RegisteredSchema("s", 1, 1, Schema('"string"')),
                    RegisteredSchema("s", 2, 2, Schema('"long"')),
                    RegisteredSchema("s", 3, 3, Schema("{not json")),
                ),
            )
        },
    )
    background.precompute_identities(state, live, lambda: False)  # the child is done
    assert canonical._DIGESTS == {}  # the latest is not JSON: left for the diff
    background.precompute_identities(state, live)  # the child still checks: the desired too
    texts = {text for text, _ in canonical._DIGESTS}
    assert texts == {s.schema_str for s in state.subjects.values() if s.schema_str}
    live = replace(
        live, subjects={"s": replace(live.subjects["s"], versions=live.subjects["s"].versions[:2])}
    )
    background.precompute_identities(state, live)
    assert '"long"' in {text for text, _ in canonical._DIGESTS}
    assert '"string"' not in {text for text, _ in canonical._DIGESTS}  # only the latest


def test_read_is_not_called_when_reading_the_files_failed(repo: RepoFactory) -> None:
    calls: list[DesiredState] = []
    root = repo(HEAD + "  - subject: gone-value\n    schema: schemas/missing.avsc\n")
    with pytest.raises(DesiredStateError) as caught:
        background.load_reading(root, calls.append)
    assert calls == []
    assert "missing-schema-file" in {d.rule for d in caught.value.diagnostics}
