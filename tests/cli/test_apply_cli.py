"""`aurum-sr apply`: approval, saved plans, refusals, progress, JSON output and the report."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR, EXIT_OK
from aurum_sr.model import CompatibilityLevel
from aurum_sr.testing import RegistryServer, ServerOptions
from tests.cli.test_request_budget import write_repo
from tests.e2e.helpers import REPO, SNAPSHOT, http_client, seeded_engine, snapshot_copy


@pytest.fixture(autouse=True)
def _no_registry_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SCHEMA_REGISTRY_URL", "SCHEMA_REGISTRY_USERNAME", "SCHEMA_REGISTRY_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _answer(monkeypatch: pytest.MonkeyPatch, answer: str) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal(answer + "\n"))


def apply(registry: str, *args: str) -> list[str]:
    return ["apply", "--root", str(REPO), "--registry", registry, *args]


def test_without_a_terminal_apply_refuses_to_guess(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    snapshot = snapshot_copy(tmp_path)
    before = snapshot.read_bytes()
    assert main(apply(f"file:{snapshot}", "--allow-delete")) == EXIT_ERROR
    captured = capsys.readouterr()
    assert "there is no terminal to ask on; nothing was written" in captured.err
    assert "--auto-approve" in captured.err and "Traceback" not in captured.err
    assert "Plan:" in captured.out  # the plan was shown first
    assert snapshot.read_bytes() == before


@pytest.mark.parametrize("answer", ["no", "y", "YES please", ""])
def test_only_yes_proceeds(
    answer: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _answer(monkeypatch, answer)
    snapshot = snapshot_copy(tmp_path)
    before = snapshot.read_bytes()
    assert main(apply(f"file:{snapshot}", "--allow-delete")) == EXIT_ERROR
    assert "Apply cancelled: nothing was written." in capsys.readouterr().err
    assert snapshot.read_bytes() == before


def test_yes_applies_with_live_progress_and_a_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _answer(monkeypatch, "yes")
    snapshot = snapshot_copy(tmp_path)
    assert main(apply(f"file:{snapshot}", "--allow-delete")) == EXIT_OK
    out = capsys.readouterr().out
    assert "Only 'yes' will be accepted." in out
    assert re.search(r"\] ok +\d+\. register aurum\.iso\.lmp\.v1-value v1", out)
    assert "Apply complete:" in out and "0 already in effect" in out
    assert main(["plan", "--root", str(REPO), "--registry", f"file:{snapshot}"]) == EXIT_OK
    assert "No changes." in capsys.readouterr().out
    assert SNAPSHOT.read_bytes() != snapshot.read_bytes()


def test_a_saved_plan_applies_without_a_prompt_then_converges(
    seeded_server: RegistryServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal: a saved plan needs none
    plan_file = tmp_path / "plan.json"
    report = tmp_path / "report.md"
    assert (
        main(
            ["plan", "--root", str(REPO), "--registry", seeded_server.url, "--out", str(plan_file)]
        )
        == 0
    )
    capsys.readouterr()
    code = main(
        apply(
            seeded_server.url,
            str(plan_file),
            "--allow-delete",
            "--format",
            "json",
            "--report",
            str(report),
        )
    )
    assert code == EXIT_OK
    document = json.loads(capsys.readouterr().out)
    assert document["format_version"] == 2
    assert document["ok"] is True
    assert document["plan"]["digest"] == json.loads(plan_file.read_text())["digest"]
    steps = document["steps"]
    assert steps and all(s["status"] == "done" and s["changed"] for s in steps)
    lmp = next(
        s
        for s in steps
        if s["subject"] == "aurum.iso.lmp.v1-value" and s["kind"] == "register_schema"
    )
    assert lmp["version"] == 1 and isinstance(lmp["schema_id"], int)
    text = report.read_text()
    assert "# Schema registration report" in text
    assert (
        f"| `aurum.iso.lmp.v1-value` | 1 | {lmp['schema_id']} | `schemas/iso/lmp.avsc` | yes |"
        in text
    )
    assert "compatible under FULL" in text
    # The same saved plan again: every step already in effect, nothing written.
    seeded_server.reset_requests()
    assert main(apply(seeded_server.url, str(plan_file), "--allow-delete")) == EXIT_OK
    out = capsys.readouterr().out
    assert "(0 changed," in out
    assert not [r for r in seeded_server.requests if r[0] in ("PUT", "DELETE")]


def test_a_stale_or_modified_plan_is_refused(
    seeded_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_file = tmp_path / "plan.json"
    assert (
        main(
            ["plan", "--root", str(REPO), "--registry", seeded_server.url, "--out", str(plan_file)]
        )
        == 0
    )
    modified = tmp_path / "modified.json"
    modified.write_text(
        plan_file.read_text().replace("aurum.iso.lmp.v1-value", "aurum.iso.lmp.v2-value")
    )
    capsys.readouterr()
    assert main(apply(seeded_server.url, str(modified), "--allow-delete")) == EXIT_ERROR
    assert "was modified after it was made" in capsys.readouterr().err
    # The registry moves: someone changes a level the plan did not plan to change.
    http_client(seeded_server.url).set_compatibility(
        CompatibilityLevel.NONE, "aurum.noaa.weather.v1-value"
    )
    seeded_server.reset_requests()
    assert main(apply(seeded_server.url, str(plan_file), "--allow-delete")) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "is stale" in err
    assert "aurum.noaa.weather.v1-value: compatibility" in err and "-> NONE" in err
    assert all(method == "GET" for method, _ in seeded_server.requests)


def test_deletes_need_allow_delete_and_nothing_is_written(
    seeded_server: RegistryServer, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded_server.reset_requests()
    assert main(apply(seeded_server.url, "--auto-approve")) == EXIT_ERROR
    assert "deletes need --allow-delete" in capsys.readouterr().err
    assert all(method == "GET" for method, _ in seeded_server.requests)


def test_a_failure_mid_apply_exits_1_with_an_accurate_report(
    seeded_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Step 3 of the example plan: tightening aurum.eia.series.v1-value after its registration.
    seeded_server.fail_next(409, method="PUT", path="/config/aurum.eia.series.v1-value")
    report = tmp_path / "report.md"
    code = main(
        apply(seeded_server.url, "--auto-approve", "--allow-delete", "--report", str(report))
    )
    assert code == EXIT_ERROR
    captured = capsys.readouterr()
    assert "[ 3/" in captured.out and "FAILED" in captured.out
    assert "not started:" in captured.out
    assert "Apply stopped at step 3 of" in captured.out
    assert "error: apply to" in captured.err and "step 3" in captured.err
    text = report.read_text()
    assert (
        "## Failure" in text and "| 3 |" in text and "**FAILED**" in text and "not started" in text
    )
    # Run again: converges.
    assert main(apply(seeded_server.url, "--auto-approve", "--allow-delete")) == EXIT_OK
    capsys.readouterr()
    assert (
        main(["plan", "--root", str(REPO), "--registry", seeded_server.url, "--detailed-exitcode"])
        == 0
    )


def test_fresh_plan_flags_are_refused_with_a_saved_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(apply(f"file:{tmp_path / 'r.json'}", str(tmp_path / "plan.json"), "--prune"))
    assert code == EXIT_ERROR
    assert "--prune shape a fresh plan; a saved plan carries its own" in capsys.readouterr().err


def test_schema_dir_apply_registers_by_record_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = f"file:{tmp_path / 'r.json'}"
    assert main(["snapshot", "export", "--registry", "memory:", "--out", registry[5:]]) == 0
    schemas = str(REPO / "schemas" / "scenario")
    assert main(apply(registry, "--schema-dir", schemas, "--auto-approve")) == EXIT_OK
    captured = capsys.readouterr()
    assert "not being enforced" in captured.err
    assert (
        "contracts: " in captured.out
        and "schemas/scenario/**/*.avsc (no contracts)" in captured.out
    )
    assert main(["plan", "--root", str(REPO), "--registry", registry, "--schema-dir", schemas]) == 0
    assert "No changes." in capsys.readouterr().out


def test_no_secret_reaches_output_plan_files_or_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    password = "pa55-apply-do-not-print"
    options = ServerOptions(basic_auth=("svc", password))
    with RegistryServer(options=options, engine=seeded_engine(tmp_path)) as seeded_server:
        url = seeded_server.url.replace("http://", f"http://svc:{password}@")
        plan_file, report = tmp_path / "plan.json", tmp_path / "report.md"
        outputs = []
        assert main(["plan", "--root", str(REPO), "--registry", url, "--out", str(plan_file)]) == 0
        outputs.append(capsys.readouterr())
        seeded_server.fail_next(409, method="PUT", path="/config/aurum.eia.series.v1-value")
        code = main(apply(url, str(plan_file), "--allow-delete", "--report", str(report)))
        assert code == EXIT_ERROR
        outputs.append(capsys.readouterr())
        monkeypatch.setenv("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", f"svc:{password}")
        assert (
            main(apply(seeded_server.url, "--auto-approve", "--allow-delete", "--format", "json"))
            == 0
        )
        outputs.append(capsys.readouterr())
    texts = [o.out for o in outputs] + [o.err for o in outputs]
    texts += [plan_file.read_text(), report.read_text()]
    assert "**FAILED**" in texts[-1]
    for text in texts:
        assert password not in text


def test_a_plan_saved_by_an_older_aurum_sr_asks_for_a_new_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = snapshot_copy(tmp_path)
    before = snapshot.read_bytes()
    old = Path(__file__).parents[1] / "plan" / "data" / "plan_format_v1.json"
    assert main(apply(f"file:{snapshot}", str(old), "--allow-delete")) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "made by an older aurum-sr" in err and "re-run plan" in err
    assert "Traceback" not in err
    assert snapshot.read_bytes() == before


def test_concurrent_progress_counts_up_and_numbers_every_step_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(write_repo(tmp_path, 24))
    with RegistryServer(options=ServerOptions(latency=0.005)) as server:
        assert main(["apply", "--root", root, "--registry", server.url, "--auto-approve"]) == 0
    lines = [
        m.groups()
        for m in re.finditer(r"^\[ ?(\d+)/24\] ok +(\d+)\. ", capsys.readouterr().out, re.M)
    ]
    assert [int(k) for k, _ in lines] == list(range(1, 25))
    assert sorted(int(i) for _, i in lines) == list(range(1, 25))
