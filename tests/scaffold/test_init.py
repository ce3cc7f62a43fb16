"""`aurum-sr init`: a new repository that validates, and nothing ever overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR, EXIT_OK
from aurum_sr.scaffold import DEFAULT_INSTALL, planned_files

EXPECTED = {
    "contracts/contracts.yml",
    "schemas/example/order.avsc",
    "aurum-sr.toml",
    ".pre-commit-config.yaml",
    ".github/workflows/schema-plan.yml",
    ".github/workflows/schema-apply.yml",
    ".github/workflows/schema-drift.yml",
}


def test_init_writes_a_repository_that_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "new"
    assert main(["init", str(root)]) == EXIT_OK
    out = capsys.readouterr().out
    assert {
        line.removeprefix("created ") for line in out.splitlines() if line.startswith("created ")
    } == EXPECTED
    assert {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} == EXPECTED
    assert (
        f'pip install "{DEFAULT_INSTALL}"'
        in (root / ".github/workflows/schema-plan.yml").read_text()
    )
    assert main(["validate", "--root", str(root)]) == EXIT_OK
    assert "1 subject valid, 0 warnings" in capsys.readouterr().out


def test_install_spec_is_used_everywhere(tmp_path: Path) -> None:
    files = planned_files(install="aurum-sr[extra]>=0.1")
    texts = [t for p, t in files.items() if p.startswith((".github", ".pre-commit"))]
    assert all("aurum-sr[extra]>=0.1" in t and "@AURUM_INSTALL@" not in t for t in texts)
    assert main(["init", str(tmp_path), "--install", 'x"; rm -rf /']) == EXIT_ERROR


@pytest.mark.parametrize(
    "existing",
    [
        "contracts/contracts.yml",
        ".github/workflows/schema-drift.yml",
        "aurum-sr.toml",
        "schemas/other.avsc",
    ],
)
def test_init_refuses_to_overwrite_and_writes_nothing(
    tmp_path: Path, existing: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / existing).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / existing).write_text("mine\n")
    assert main(["init", str(tmp_path)]) == EXIT_ERROR
    err = capsys.readouterr().err
    shown = existing if not existing.startswith("schemas/") else "schemas/"
    assert f"would overwrite {shown}" in err and "nothing was written" in err
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [tmp_path / existing]
    assert (tmp_path / existing).read_text() == "mine\n"


def test_the_pre_commit_hooks_run_real_commands(tmp_path: Path) -> None:
    from tests.workflows import REPO, load_yaml, run_script

    hooks = load_yaml((REPO / ".pre-commit-hooks.yaml").read_text())
    config = load_yaml(planned_files()[".pre-commit-config.yaml"])
    offered = {h["id"]: h["entry"] for h in hooks}
    scaffolded = {h["id"]: h["entry"] for h in config["repos"][0]["hooks"]}
    assert (
        offered
        == scaffolded
        == {
            "aurum-sr-validate": "aurum-sr validate",
            "aurum-sr-check": "aurum-sr check --against HEAD",
        }
    )
    from tests.gitrepos import commit_all, new_repo

    repo = new_repo(tmp_path / "repo")
    main(["init", str(repo)])
    commit_all(repo, "first")
    for entry in offered.values():
        done = run_script(entry, cwd=repo, env={})
        assert done.returncode == 0, done.stdout + done.stderr
