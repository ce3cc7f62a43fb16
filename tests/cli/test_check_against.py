"""`aurum-sr check --against GIT_REF` on real git repositories: branches, renamed schema files,
deleted subjects, transitive levels from the file's history, shallow clones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR, EXIT_INCOMPATIBLE, EXIT_OK
from aurum_sr.scaffold import init
from tests.gitrepos import commit_all, git, new_repo, record

ORDER = "schemas/example/order.avsc"
ID = {"name": "order_id", "type": "string"}
AMOUNT = {"name": "amount_cents", "type": "long"}
NOTE = {"name": "note", "type": "string", "default": ""}
NOTE_REQUIRED = {"name": "note", "type": "string"}


def check(repo: Path, ref: str, *args: str) -> int:
    return main(["check", "--against", ref, "--root", str(repo), *args])


def set_level(repo: Path, level: str) -> None:
    contracts = repo / "contracts/contracts.yml"
    contracts.write_text(
        contracts.read_text().replace("compatibility: BACKWARD", f"compatibility: {level}")
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = new_repo(tmp_path / "repo")
    init(root)
    (root / ORDER).write_text(record("Order", ID, AMOUNT))
    commit_all(root, "first")
    return root


def test_a_compatible_branch(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "switch", "-q", "-c", "feature")
    (repo / ORDER).write_text(record("Order", ID, AMOUNT, NOTE))
    commit_all(repo, "add a note")
    assert check(repo, "main") == EXIT_OK
    out = capsys.readouterr().out
    assert "~ example.orders.v1-value  compatible under BACKWARD" in out
    assert "1 changed against main, 0 new, 0 deleted, 0 unchanged." in out


def test_an_incompatible_work_tree_change_exits_3_with_annotations(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ORDER).write_text(record("Order", ID, AMOUNT, NOTE_REQUIRED))  # not committed
    assert check(repo, "HEAD") == EXIT_INCOMPATIBLE
    assert "INCOMPATIBLE under BACKWARD" in capsys.readouterr().out
    assert check(repo, "HEAD", "--format", "github") == EXIT_INCOMPATIBLE
    out = capsys.readouterr().out
    assert f"::error file={ORDER},line=" in out and "incompatible under BACKWARD" in out
    assert check(repo, "HEAD", "--format", "json") == EXIT_INCOMPATIBLE
    document = json.loads(capsys.readouterr().out)
    assert document["compatible"] is False
    [subject] = document["subjects"]
    assert subject["status"] == "changed" and subject["breaking_changes"]


def test_a_renamed_schema_file_is_followed(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "switch", "-q", "-c", "move")
    (repo / "schemas/orders").mkdir()
    git(repo, "mv", ORDER, "schemas/orders/order.avsc")
    contracts = repo / "contracts/contracts.yml"
    contracts.write_text(contracts.read_text().replace(ORDER, "schemas/orders/order.avsc"))
    commit_all(repo, "move the schema")
    assert check(repo, "main") == EXIT_OK
    assert "0 changed against main, 0 new, 0 deleted, 1 unchanged." in capsys.readouterr().out
    (repo / "schemas/orders/order.avsc").write_text(record("Order", ID, NOTE_REQUIRED))
    assert check(repo, "main") == EXIT_INCOMPATIBLE
    out = capsys.readouterr().out
    assert f"schema file moved from {ORDER}" in out and "INCOMPATIBLE under BACKWARD" in out


def test_a_deleted_subject_and_a_new_one(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contracts = repo / "contracts/contracts.yml"
    text = contracts.read_text()
    contracts.write_text(
        text.replace("example.orders.v1-value", "example.orders.v2-value").replace(
            "example.orders.v1", "example.orders.v2"
        )
    )
    assert check(repo, "HEAD") == EXIT_OK
    out = capsys.readouterr().out
    assert "- example.orders.v1-value  removed from the contracts" in out
    assert "+ example.orders.v2-value  new subject" in out
    assert check(repo, "HEAD", "--format", "github") == EXIT_OK
    assert (
        "::warning file=contracts/contracts.yml,title=example.orders.v1-value%3A deleted::"
        in capsys.readouterr().out
    )


def test_transitive_levels_check_the_files_history(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ORDER).write_text(record("Order", ID, AMOUNT, NOTE))
    commit_all(repo, "v2: a note with a default")
    # reads v2's data (which has a note) but not v1's (which has none, and there is no default)
    (repo / ORDER).write_text(record("Order", ID, AMOUNT, NOTE_REQUIRED))
    assert check(repo, "HEAD") == EXIT_OK  # BACKWARD: against v2 only
    assert "compatible under BACKWARD (against 1 version(s)" in capsys.readouterr().out
    set_level(repo, "BACKWARD_TRANSITIVE")
    assert check(repo, "HEAD") == EXIT_INCOMPATIBLE
    out = capsys.readouterr().out
    assert "INCOMPATIBLE under BACKWARD_TRANSITIVE (against 2 version(s) from git)" in out


def test_a_shallow_clone_says_what_to_fetch_then_works(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ORDER).write_text(record("Order", ID, AMOUNT, NOTE))
    commit_all(repo, "v2")
    git(repo, "switch", "-q", "-c", "feature")
    (repo / ORDER).write_text(record("Order", ID, AMOUNT, NOTE_REQUIRED))
    set_level(repo, "BACKWARD_TRANSITIVE")
    commit_all(repo, "require a note")
    clone = tmp_path / "clone"
    git(
        tmp_path,
        "clone",
        "-q",
        "--depth=1",
        "--single-branch",
        "--branch",
        "feature",
        repo.as_uri(),
        str(clone),
    )
    assert check(clone, "origin/main") == EXIT_ERROR
    err = capsys.readouterr().err
    assert "origin/main is not a commit in this clone (this is a shallow clone" in err
    assert "git fetch --no-tags --depth=1 origin main" in err
    git(clone, "fetch", "-q", "--no-tags", "--depth=1", "origin", "main:refs/remotes/origin/main")
    # only main's tip is here: the transitive check sees one version, and says so
    assert check(clone, "origin/main") == EXIT_OK
    out = capsys.readouterr().out
    assert "shallow clone holds 1 of schemas/example/order.avsc; `git fetch --unshallow`" in out
    git(clone, "fetch", "-q", "--unshallow", "origin", "main:refs/remotes/origin/main")
    assert check(clone, "origin/main") == EXIT_INCOMPATIBLE


def test_a_ref_without_contracts_makes_everything_new(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = new_repo(tmp_path / "r")
    (root / "README").write_text("empty\n")
    commit_all(root, "nothing yet")
    init(root)
    assert check(root, "HEAD") == EXIT_OK
    assert "0 changed against HEAD, 1 new, 0 deleted, 0 unchanged." in capsys.readouterr().out


def test_not_a_repository_and_wrong_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    init(tmp_path / "plain")
    assert check(tmp_path / "plain", "HEAD") == EXIT_ERROR
    assert "is not inside a git repository" in capsys.readouterr().err
    assert main(["check", "--against", "HEAD", "a.avsc", "b.avsc"]) == EXIT_ERROR
    assert "OLD/NEW do not apply" in capsys.readouterr().err
    assert main(["check"]) == EXIT_ERROR
    assert "check needs OLD and NEW schema files, or --against GIT_REF" in capsys.readouterr().err


def test_a_subfolder_of_the_clone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    top = new_repo(tmp_path / "mono")
    init(top / "schemas-repo")
    commit_all(top, "first")
    order = top / "schemas-repo" / ORDER
    order.write_text(record("Order", ID, NOTE_REQUIRED))
    assert check(top / "schemas-repo", "HEAD") == EXIT_INCOMPATIBLE
    assert "INCOMPATIBLE under BACKWARD" in capsys.readouterr().out


def test_annotations_need_against(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = str(repo / ORDER)
    assert main(["check", schema, schema, "--format", "github"]) == EXIT_ERROR
    assert "github" in capsys.readouterr().err


def test_the_first_commit_has_nothing_to_check_against(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = new_repo(tmp_path / "fresh")  # a pre-commit hook's first run: HEAD names nothing
    init(root)
    assert check(root, "HEAD") == EXIT_OK
    out = capsys.readouterr().out
    assert "(no commit yet)" in out and "1 new" in out
    assert check(root, "main") == EXIT_ERROR  # another ref must exist
