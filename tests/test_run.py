"""The run id: the same in the log, the plan, the apply report and every registry request."""

from __future__ import annotations

import io
import json
import re
import uuid
from pathlib import Path

import pytest

from aurum_sr import run
from aurum_sr.cli import main
from aurum_sr.errors import EXIT_OK
from aurum_sr.testing import FaultProxy, RegistryServer
from tests.e2e.helpers import REPO

LOGGED_RUN = re.compile(r"\[run ([0-9a-f-]{36})\]")


@pytest.fixture(autouse=True)
def _no_registry_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SCHEMA_REGISTRY_URL", "SCHEMA_REGISTRY_USERNAME", "SCHEMA_REGISTRY_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def logged_run_ids(err: str) -> set[str]:
    """The run ids named by the log lines in ``err`` (every log line must name one)."""
    lines = [line for line in err.splitlines() if line.startswith("aurum-sr DEBUG")]
    assert lines, "no log line was written"
    ids = set()
    for line in lines:
        found = LOGGED_RUN.search(line)
        assert found is not None, f"a log line without the run id: {line}"
        ids.add(found.group(1))
    return ids


def sent_run_ids(proxy: FaultProxy) -> set[str]:
    """The run id header of every request that reached the registry."""
    assert proxy.seen, "no request reached the registry"
    wanted = run.REQUEST_HEADER.lower()
    return {
        next((v for k, v in seen.headers.items() if k.lower() == wanted), "(missing)")
        for seen in proxy.seen
    }


def test_a_run_id_is_a_fresh_uuid4_per_run() -> None:
    first = run.begin()
    assert run.run_id() == first
    second = run.begin()
    assert second != first
    assert uuid.UUID(second).version == 4


def test_plan_log_plan_document_and_registry_header_share_the_run_id(
    seeded_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = tmp_path / "plan.json"
    with FaultProxy(seeded_server.url) as proxy:
        code = main(
            ["--debug", "plan", "--root", str(REPO), "--registry", proxy.url]
            + ["--out", str(plan_file)]
        )
    assert code == EXIT_OK
    (logged,) = logged_run_ids(capsys.readouterr().err)
    assert json.loads(plan_file.read_text())["run_id"] == logged
    assert sent_run_ids(proxy) == {logged}


def test_apply_report_names_its_run_and_the_plan_it_made(
    seeded_server: RegistryServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    report = tmp_path / "report.md"
    with FaultProxy(seeded_server.url) as proxy:
        code = main(
            ["--debug", "apply", "--root", str(REPO), "--registry", proxy.url]
            + ["--auto-approve", "--allow-delete", "--format", "json", "--report", str(report)]
        )
    assert code == EXIT_OK
    captured = capsys.readouterr()
    (logged,) = logged_run_ids(captured.err)
    document = json.loads(captured.out)
    assert document["run_id"] == logged and document["plan"]["run_id"] == logged
    assert f"- Run: `{logged}`\n" in report.read_text()
    assert sent_run_ids(proxy) == {logged}


def test_a_saved_plan_keeps_the_run_that_made_it(
    seeded_server: RegistryServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    plan_file = tmp_path / "plan.json"
    report = tmp_path / "report.md"
    registry = seeded_server.url
    assert main(["plan", "--root", str(REPO), "--registry", registry, "--out", str(plan_file)]) == 0
    made_by = json.loads(plan_file.read_text())["run_id"]
    capsys.readouterr()
    code = main(
        ["--debug", "apply", str(plan_file), "--root", str(REPO), "--registry", registry]
        + ["--allow-delete", "--format", "json", "--report", str(report)]
    )
    assert code == EXIT_OK
    captured = capsys.readouterr()
    (logged,) = logged_run_ids(captured.err)
    assert logged != made_by
    document = json.loads(captured.out)
    assert (document["run_id"], document["plan"]["run_id"]) == (logged, made_by)
    assert f"- Run: `{logged}`; plan made by run `{made_by}`\n" in report.read_text()


# The documented schema of a JSON log line (docs/observability.md): key -> allowed types.
REQUIRED: dict[str, type] = {
    "timestamp": str,
    "level": str,
    "logger": str,
    "run_id": str,
    "command": str,
    "event": str,
    "message": str,
}
OPTIONAL: dict[str, type | tuple[type, ...]] = {
    "subject": str,
    "method": str,
    "path": str,
    "status": int,
    "duration_ms": (int, float),
    "attempt": int,
}


def check_log_line(line: dict[str, object]) -> None:
    for key, kind in REQUIRED.items():
        assert isinstance(line.get(key), kind), f"{key} missing or not {kind}: {line}"
    for key, value in line.items():
        if key not in REQUIRED:
            assert key in OPTIONAL, f"undocumented key {key}: {line}"
            assert isinstance(value, OPTIONAL[key]), f"{key} is not {OPTIONAL[key]}: {line}"
    assert line["level"] in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
    assert str(line["timestamp"]).endswith("+00:00")


def test_json_log_lines_to_a_file_follow_the_documented_schema_without_secrets(
    seeded_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = tmp_path / "plan.json"
    log_file = tmp_path / "run.log"
    host = seeded_server.url.split("://", 1)[1]
    code = main(
        ["--debug", "--log-format", "json", "--log-file", str(log_file), "plan"]
        + ["--root", str(REPO), "--registry", f"http://alice:hunter2@{host}"]
        + ["--out", str(plan_file)]
    )
    assert code == EXIT_OK
    assert "aurum-sr DEBUG" not in capsys.readouterr().err  # to the file, not stderr
    text = log_file.read_text()
    assert "hunter2" not in text
    lines = [json.loads(line) for line in text.splitlines()]
    for line in lines:
        check_log_line(line)
    requests = [line for line in lines if line["event"] == "registry.request"]
    assert requests and {line["status"] for line in requests} <= {200, 404}
    assert any(line["status"] == 200 for line in requests)
    assert {line["attempt"] for line in requests} == {1}
    assert {line["method"] for line in requests} == {"GET"}
    assert all(str(line["path"]).startswith("/") for line in requests)
    assert {line["run_id"] for line in lines} == {json.loads(plan_file.read_text())["run_id"]}
    assert {line["command"] for line in lines} == {"plan"}


def test_an_unknown_log_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--log-format", "xml", "validate", "--root", str(REPO)]) == 1
    assert "--log-format" in capsys.readouterr().err
