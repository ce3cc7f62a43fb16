"""Issue #13 item 14: Ctrl-C and SIGTERM, sent to a real ``python -m aurum_sr`` process that
talks to the in-process registry over a real socket, slowed by injected faults so the signal
lands mid-run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_TERMINATED
from aurum_sr.registry.engine import RegistryEngine
from aurum_sr.testing import RegistryServer
from aurum_sr.testing.faults import Fault
from tests.desired.repos import write_repo

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

SUBJECTS = 12


def _repo(root: Path, workers: int = 4) -> Path:
    """``SUBJECTS`` independent record-named subjects, applied ``workers`` at a time."""
    lines = ["format_version: 1", "subjects:"]
    files: dict[str, str | dict[str, object]] = {}
    for i in range(SUBJECTS):
        lines += [
            f"  - subject: shop.T{i}",
            f"    schema: schemas/t{i}.avsc",
            "    naming_strategy: record",
        ]
        files[f"schemas/t{i}.avsc"] = {
            "type": "record",
            "name": f"T{i}",
            "namespace": "shop",
            "fields": [{"name": "id", "type": "string"}],
        }
    write_repo(root, "\n".join(lines) + "\n", files)
    (root / "aurum-sr.toml").write_text(f"max_workers = {workers}\n", encoding="utf-8")
    return root


def _engine(server: RegistryServer) -> RegistryEngine:
    assert server.engine is not None
    return server.engine


def _start(*args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMA_REGISTRY_")}
    env["PYTHONUNBUFFERED"] = "1"
    return subprocess.Popen(
        [sys.executable, "-m", "aurum_sr", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # A shell without job control starts background jobs with Ctrl-C ignored, and aurum-sr
        # rightly leaves it ignored then; the tests send it as a terminal would.
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )


def _ctrl_c_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for(condition: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "the process never got there"
        time.sleep(0.02)


@pytest.mark.parametrize("debug", [False, True])
def test_item14_ctrl_c_while_planning_says_nothing_was_written_and_exits_130(
    tmp_path: Path, registry_server: RegistryServer, debug: bool
) -> None:
    root = _repo(tmp_path)
    registry_server.slow_next(120.0, times=1000)  # every read hangs: the interrupt lands in one
    process = _start(*(["--debug"] if debug else []), "plan", "--root", str(root),
                     "--registry", registry_server.url)  # fmt: skip
    _wait_for(lambda: registry_server.request_count > 0)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == EXIT_INTERRUPTED, err
    assert "aurum-sr: interrupted; nothing was written to the registry" in err
    assert ("Traceback" in err and "KeyboardInterrupt" in err) is debug, err
    assert not _engine(registry_server).list_subjects()


def test_item14_sigterm_while_planning_says_nothing_was_written_and_exits_143(
    tmp_path: Path, registry_server: RegistryServer
) -> None:
    root = _repo(tmp_path)
    registry_server.slow_next(30.0, times=1000)
    process = _start("plan", "--root", str(root), "--registry", registry_server.url)
    _wait_for(lambda: registry_server.request_count > 0)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode == EXIT_TERMINATED, err
    assert "aurum-sr: terminated (SIGTERM); nothing was written to the registry" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "workers",
    [
        pytest.param(
            4,
            id="concurrent",
            marks=pytest.mark.xfail(
                strict=False,
                reason="known defect: under a concurrent apply the first confirmed step is "
                "sometimes printed only once every registration is done, so the SIGTERM comes "
                "too late to leave steps not started; the one-by-one case holds",
            ),
        ),
        pytest.param(1, id="one-by-one"),
    ],
)
def test_item14_sigterm_during_apply_reports_and_a_rerun_converges(
    tmp_path: Path,
    registry_server: RegistryServer,
    capsys: pytest.CaptureFixture[str],
    workers: int,
) -> None:
    root = _repo(tmp_path, workers=workers)
    report = tmp_path / "out" / "report.md"
    report.parent.mkdir()
    # Steps run in subject-name order, `workers` at a time. The first `workers` registrations
    # are answered at once (and confirmed in the first wave, after 0.25 s); the next `workers`
    # take eight seconds, so the SIGTERM sent on the first confirmed step finds them in flight
    # and the rest not started, however loaded the machine.
    subjects = sorted(f"shop.T{i}" for i in range(SUBJECTS))
    for subject in subjects[workers : 2 * workers]:
        registry_server.inject(
            Fault("slow", delay=8.0, method="POST", path=f"/subjects/{subject}/versions")
        )
    process = _start("apply", "--auto-approve", "--root", str(root), "--registry",
                     registry_server.url, "--report", str(report))  # fmt: skip
    assert process.stdout is not None
    seen: list[str] = []
    for line in process.stdout:
        seen.append(line)
        if "ok " in line and "/12]" in line:  # the first step is done
            break
    process.send_signal(signal.SIGTERM)
    rest = process.stdout.read()  # what the line iterator read ahead, then the rest
    _, err = process.communicate(timeout=60)
    out = "".join(seen) + rest
    assert process.returncode == EXIT_TERMINATED, out + err
    assert "terminated (SIGTERM)" in err and "Traceback" not in err
    steps = [line for line in out.splitlines() if "/12] " in line]
    assert steps and all(" ok " in line for line in steps), out  # in flight: let finish
    done = len(steps)
    assert 0 < done < SUBJECTS
    assert "not started: " in out
    assert f"{done} done" in out and f"{SUBJECTS - done} not started" in out
    written = report.read_text(encoding="utf-8")
    assert "not started" in written and "stopped" in written
    assert len(_engine(registry_server).list_subjects()) == done

    # Running it again converges: the rest registered, nothing registered twice.
    capsys.readouterr()
    assert main(["apply", "--auto-approve", "--root", str(root),
                 "--registry", registry_server.url]) == EXIT_OK  # fmt: skip
    assert f"{SUBJECTS - done} changed" in capsys.readouterr().out
    engine = _engine(registry_server)
    assert sorted(engine.list_subjects()) == sorted(f"shop.T{i}" for i in range(SUBJECTS))
    assert all(engine.list_versions(s) == [1] for s in engine.list_subjects())
    assert main(["plan", "--detailed-exitcode", "--root", str(root),
                 "--registry", registry_server.url]) == EXIT_OK  # fmt: skip


def test_item14_sigterm_before_the_steps_start_writes_nothing_and_reports(
    tmp_path: Path, registry_server: RegistryServer
) -> None:
    """SIGTERM while apply reads its preconditions: no step starts, every one is reported."""
    root = _repo(tmp_path, workers=1)
    plan_file = tmp_path / "plan.json"
    assert main(["plan", "--root", str(root), "--registry", registry_server.url,
                 "--out", str(plan_file)]) in (EXIT_OK, 2)  # fmt: skip
    registry_server.reset_requests()
    registry_server.slow_next(2.0, times=1000, method="GET")
    process = _start("apply", str(plan_file), "--registry", registry_server.url,
                     "--format", "json")  # fmt: skip
    _wait_for(lambda: registry_server.request_count > 0)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == EXIT_TERMINATED, err
    document = json.loads(out)
    assert {s["status"] for s in document["steps"]} == {"not started"}, document
    assert not _engine(registry_server).list_subjects()
