"""``--metrics-file`` and ``--pushgateway``: the metrics of plan, apply (done and failed) and
drift runs against the in-process registry, parsed back with prometheus_client's own parser."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_CHANGES, EXIT_ERROR, EXIT_INCOMPATIBLE, EXIT_OK
from aurum_sr.model import CompatibilityLevel
from aurum_sr.testing import RegistryServer

SUBJECTS = ("aurum.t0-value", "aurum.t1-value", "aurum.t2-value")
PUSH_PASSWORD = "push-pa55-do-not-print"


@pytest.fixture(autouse=True)
def _no_registry_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SCHEMA_REGISTRY_URL", "SCHEMA_REGISTRY_USERNAME", "SCHEMA_REGISTRY_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name in ("USERNAME", "PASSWORD", "TOKEN"):
        monkeypatch.delenv(f"AURUM_SR_PUSHGATEWAY_{name}", raising=False)


def write_repo(root: Path, fields: tuple[str, ...] = ("id",)) -> Path:
    """Three value subjects under BACKWARD, each a record with ``fields`` (strings)."""
    lines = ["format_version: 1", "defaults:", "  owner: team@aurum.example"]
    lines += ["  compatibility: BACKWARD", "  owned_prefixes: [aurum.]", "  lint:"]
    lines += ["    missing-doc: off", "subjects:"]
    (root / "schemas").mkdir(parents=True, exist_ok=True)
    (root / "contracts").mkdir(exist_ok=True)
    for i, subject in enumerate(SUBJECTS):
        lines += [f"  - subject: {subject}", f"    schema: schemas/t{i}.avsc"]
        lines += [f"    topic: aurum.t{i}", "    role: value"]
        record = {
            "type": "record",
            "name": f"T{i}",
            "namespace": "aurum",
            "fields": [{"name": name, "type": "string"} for name in fields],
        }
        (root / "schemas" / f"t{i}.avsc").write_text(json.dumps(record), encoding="utf-8")
    (root / "contracts" / "contracts.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def metrics(path: Path) -> dict[str, list[Sample]]:
    """The samples of every family in the file, by family name."""
    families = text_string_to_metric_families(path.read_text(encoding="utf-8"))
    return {family.name: list(family.samples) for family in families}


def value(found: dict[str, list[Sample]], name: str, **labels: str) -> float:
    """The one sample of family ``name`` (or of a sample name in it) with these labels."""
    family = name.removesuffix("_total").removesuffix("_bucket").removesuffix("_count")
    matching = [
        s
        for s in found[family]
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
    ]
    assert len(matching) == 1, (name, labels, found[family])
    return matching[0].value


def by_label(found: dict[str, list[Sample]], name: str, label: str) -> dict[str, float]:
    return {s.labels[label]: s.value for s in found[name] if s.name == name}


RUN = {"command": "plan", "environment": "default"}


def test_plan_metrics_count_subjects_steps_and_requests(
    registry_server: RegistryServer, tmp_path: Path
) -> None:
    root = write_repo(tmp_path / "repo")
    out = tmp_path / "plan.prom"
    registry_server.fail_next(503, retry_after=0, method="GET", path="/mode")
    code = main(
        ["--metrics-file", str(out), "plan", "--root", str(root)]
        + ["--registry", registry_server.url]
    )
    assert code == EXIT_OK
    found = metrics(out)
    assert value(found, "aurum_sr_run_success", **RUN) == 1
    assert value(found, "aurum_sr_run_exit_code", **RUN) == 0
    assert 0 < value(found, "aurum_sr_run_duration_seconds", **RUN) < 60
    assert value(found, "aurum_sr_last_success_timestamp_seconds", **RUN) > 1.7e9
    assert value(found, "aurum_sr_managed_subjects", **RUN) == 3
    assert by_label(found, "aurum_sr_plan_subjects", "action") == {
        "create": 3,
        "update": 0,
        "rollback": 0,
        "delete": 0,
        "blocked": 0,
    }
    assert by_label(found, "aurum_sr_plan_steps", "kind") == {
        "register_schema": 3,
        "set_compatibility": 3,
        "set_mode": 0,
        "set_contract_config": 0,
        "delete_version": 0,
        "delete_subject": 0,
    }
    assert value(found, "aurum_sr_plan_blocked_subjects", **RUN) == 0
    assert value(found, "aurum_sr_plan_incompatible_changes", **RUN) == 0
    # The global mode is read twice (capabilities, then the state); the first answer was a 503.
    mode = {**RUN, "method": "GET", "endpoint": "/mode"}
    assert value(found, "aurum_sr_registry_requests_total", **mode, status="503") == 1
    assert value(found, "aurum_sr_registry_requests_total", **mode, status="200") == 2
    assert value(found, "aurum_sr_registry_retries_total", **mode) == 1
    assert value(found, "aurum_sr_registry_request_duration_seconds_count", **mode) == 3
    assert value(found, "aurum_sr_registry_request_duration_seconds_bucket", **mode, le="+Inf") == 3
    configs = {**RUN, "method": "GET", "endpoint": "/config/{subject}"}
    assert value(found, "aurum_sr_registry_requests_total", **configs, status="404") == 3
    endpoints = {s.labels["endpoint"] for s in found["aurum_sr_registry_requests"]}
    assert all(not any(subject in e for subject in SUBJECTS) for e in endpoints), endpoints
    assert "aurum_sr_apply_steps" not in found and "aurum_sr_drift_findings" not in found
    assert not any(name.endswith("_created") for name in found)


def test_an_incompatible_change_counts_as_blocked_and_still_a_successful_run(
    registry_server: RegistryServer, tmp_path: Path
) -> None:
    root = write_repo(tmp_path / "repo", fields=("id", "name"))
    at = ["--root", str(root), "--registry", registry_server.url]
    assert main(["apply", *at, "--auto-approve"]) == EXIT_OK
    write_repo(root, fields=("id", "other"))  # a new field without a default: not BACKWARD
    out = tmp_path / "plan.prom"
    assert main(["--metrics-file", str(out), "plan", *at]) == EXIT_INCOMPATIBLE
    found = metrics(out)
    assert value(found, "aurum_sr_plan_blocked_subjects", **RUN) == 3
    assert value(found, "aurum_sr_plan_incompatible_changes", **RUN) == 3
    assert by_label(found, "aurum_sr_plan_subjects", "action")["blocked"] == 3
    assert value(found, "aurum_sr_run_exit_code", **RUN) == EXIT_INCOMPATIBLE
    assert value(found, "aurum_sr_run_success", **RUN) == 1


def test_apply_metrics_count_steps_done(registry_server: RegistryServer, tmp_path: Path) -> None:
    root = write_repo(tmp_path / "repo")
    out = tmp_path / "apply.prom"
    code = main(
        ["--metrics-file", str(out), "apply", "--root", str(root)]
        + ["--registry", registry_server.url, "--auto-approve"]
    )
    assert code == EXIT_OK
    found = metrics(out)
    run = {"command": "apply", "environment": "default"}
    assert by_label(found, "aurum_sr_apply_steps", "status") == {
        "done": 6,
        "failed": 0,
        "not_started": 0,
    }
    assert value(found, "aurum_sr_apply_changed_steps", **run) == 6
    assert value(found, "aurum_sr_run_success", **run) == 1
    registered = {**run, "method": "POST", "endpoint": "/subjects/{subject}/versions"}
    assert value(found, "aurum_sr_registry_requests_total", **registered, status="200") == 3


def test_a_failed_apply_step_is_counted_and_the_last_success_kept(
    registry_server: RegistryServer, tmp_path: Path
) -> None:
    root = write_repo(tmp_path / "repo")
    out = tmp_path / "apply.prom"
    at = ["--root", str(root), "--registry", registry_server.url]
    assert main(["--metrics-file", str(out), "plan", *at]) == EXIT_OK  # another command's file
    registry_server.fail_next(
        422, method="POST", path="/subjects/", error_code=42201, message="Invalid schema"
    )
    code = main(["--metrics-file", str(out), "apply", *at, "--auto-approve"])
    assert code == EXIT_ERROR
    found = metrics(out)
    run = {"command": "apply", "environment": "default"}
    steps = by_label(found, "aurum_sr_apply_steps", "status")
    assert steps["failed"] == 1 and sum(steps.values()) == 6
    assert value(found, "aurum_sr_run_success", **run) == 0
    assert value(found, "aurum_sr_run_exit_code", **run) == EXIT_ERROR
    assert "aurum_sr_last_success_timestamp_seconds" not in found  # never succeeded
    refused = {**run, "method": "POST", "endpoint": "/subjects/{subject}/versions"}
    assert value(found, "aurum_sr_registry_requests_total", **refused, status="422") == 1

    assert main(["--metrics-file", str(out), "apply", *at, "--auto-approve"]) == EXIT_OK
    succeeded_at = value(metrics(out), "aurum_sr_last_success_timestamp_seconds", **run)
    registry_server.fail_next(401, method="GET", times=100)
    assert main(["--metrics-file", str(out), "apply", *at, "--auto-approve"]) == EXIT_ERROR
    found = metrics(out)
    assert value(found, "aurum_sr_run_success", **run) == 0
    assert value(found, "aurum_sr_last_success_timestamp_seconds", **run) == succeeded_at


def test_drift_metrics_count_findings_by_kind_with_the_environment(
    registry_server: RegistryServer, tmp_path: Path
) -> None:
    root = write_repo(tmp_path / "repo")
    (root / "aurum-sr.toml").write_text(
        f'[environments.prod]\nbase_url = "{registry_server.url}"\n', encoding="utf-8"
    )
    at = ["--root", str(root), "--env", "prod"]
    assert main(["apply", *at, "--auto-approve"]) == EXIT_OK
    engine = registry_server.engine
    assert engine is not None
    engine.set_compatibility(CompatibilityLevel.NONE, SUBJECTS[0])
    engine.set_compatibility(CompatibilityLevel.FULL, SUBJECTS[1])
    out = tmp_path / "drift.prom"
    assert main(["--metrics-file", str(out), "drift", *at]) == EXIT_CHANGES
    found = metrics(out)
    run = {"command": "drift", "environment": "prod"}
    kinds = by_label(found, "aurum_sr_drift_findings", "kind")
    assert kinds.pop("compatibility-changed") == 2
    assert set(kinds) == {
        "version-outside-git",
        "mode-changed",
        "subject-deleted",
        "unmanaged-subject",
        "registry-behind-git",
    }
    assert set(kinds.values()) == {0}
    assert value(found, "aurum_sr_run_success", **run) == 1
    assert value(found, "aurum_sr_last_success_timestamp_seconds", **run) > 1.7e9
    assert {s.labels["environment"] for s in found["aurum_sr_drift_findings"]} == {"prod"}
    planned = tmp_path / "plan.prom"
    assert main(["--metrics-file", str(planned), "plan", *at]) == EXIT_OK
    found = metrics(planned)
    prod_plan = {"command": "plan", "environment": "prod"}
    assert value(found, "aurum_sr_managed_subjects", **prod_plan) == 3
    assert value(found, "aurum_sr_plan_steps", **prod_plan, kind="set_compatibility") == 2


def test_a_metrics_file_in_a_missing_folder_is_refused_before_any_request(
    registry_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_repo(tmp_path / "repo")
    out = tmp_path / "nowhere" / "plan.prom"
    code = main(
        ["--metrics-file", str(out), "plan", "--root", str(root)]
        + ["--registry", registry_server.url]
    )
    assert code == EXIT_ERROR
    err = capsys.readouterr().err
    assert f"cannot write the metrics to {out}" in err and "Traceback" not in err
    assert registry_server.request_count == 0


@dataclass
class Pushed:
    method: str
    path: str
    headers: dict[str, str]
    body: str


@dataclass
class Receiver:
    """A Pushgateway stand-in on 127.0.0.1: records every request, answers ``status``."""

    status: int = 200
    received: list[Pushed] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode("utf-8")
            state.received.append(Pushed(self.command, self.path, dict(self.headers), body))
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_PUT = _record

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_pushgateway_receives_the_metrics_with_job_grouping_key_and_credentials(
    registry_server: RegistryServer,
    receiver: Receiver,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AURUM_SR_PUSHGATEWAY_USERNAME", "pusher")
    monkeypatch.setenv("AURUM_SR_PUSHGATEWAY_PASSWORD", PUSH_PASSWORD)
    root = write_repo(tmp_path / "repo")
    code = main(
        ["--pushgateway", receiver.url, "--pushgateway-job", "schemas", "plan"]
        + ["--root", str(root), "--registry", registry_server.url]
    )
    assert code == EXIT_OK
    (pushed,) = receiver.received
    assert pushed.method == "POST"
    assert pushed.path == "/metrics/job/schemas/command/plan/environment/default"
    token = base64.b64encode(f"pusher:{PUSH_PASSWORD}".encode()).decode()
    assert pushed.headers["Authorization"] == f"Basic {token}"
    families = {f.name: f for f in text_string_to_metric_families(pushed.body)}
    assert families["aurum_sr_plan_subjects"].type == "gauge"
    assert families["aurum_sr_registry_requests"].type == "counter"
    assert families["aurum_sr_registry_request_duration_seconds"].type == "histogram"
    assert [s.value for s in families["aurum_sr_run_success"].samples] == [1]
    captured = capsys.readouterr()
    assert PUSH_PASSWORD not in captured.out + captured.err


@pytest.mark.parametrize("status", [500, 401])
def test_a_failed_push_is_a_warning_and_the_run_keeps_its_exit_code(
    registry_server: RegistryServer,
    receiver: Receiver,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    status: int,
) -> None:
    receiver.status = status
    root = write_repo(tmp_path / "repo")
    host = receiver.url.removeprefix("http://")
    out = tmp_path / "plan.prom"
    code = main(
        ["--pushgateway", f"http://u:{PUSH_PASSWORD}@{host}", "--metrics-file", str(out)]
        + ["plan", "--root", str(root), "--registry", registry_server.url]
        + ["--detailed-exitcode"]
    )
    assert code == EXIT_CHANGES
    err = capsys.readouterr().err
    assert f"warning: cannot push metrics to the Pushgateway http://u:***@{host}" in err
    assert f"HTTP Error {status}" in err
    assert PUSH_PASSWORD not in err and "Traceback" not in err
    assert len(receiver.received) == 1
    assert value(metrics(out), "aurum_sr_run_success", **RUN) == 1  # the file is still written


def test_an_unreachable_pushgateway_is_a_warning(
    registry_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_repo(tmp_path / "repo")
    code = main(
        ["--pushgateway", "http://127.0.0.1:9", "plan", "--root", str(root)]
        + ["--registry", registry_server.url]
    )
    assert code == EXIT_OK
    assert "warning: cannot push metrics to the Pushgateway http://127.0.0.1:9" in (
        capsys.readouterr().err
    )


def test_no_secret_and_no_subject_name_reaches_a_label(
    registry_server: RegistryServer, tmp_path: Path
) -> None:
    root = write_repo(tmp_path / "repo")
    out = tmp_path / "plan.prom"
    host = registry_server.url.removeprefix("http://")
    code = main(
        ["--metrics-file", str(out), "plan", "--root", str(root)]
        + ["--registry", f"http://alice:{PUSH_PASSWORD}@{host}"]
    )
    assert code == EXIT_OK
    text = out.read_text(encoding="utf-8")
    assert PUSH_PASSWORD not in text and "alice" not in text and host not in text
    labels = {
        value
        for samples in metrics(out).values()
        for sample in samples
        for value in sample.labels.values()
    }
    assert not any(subject in value for subject in SUBJECTS for value in labels), labels
