"""``aurum-sr history`` on a real git repository: a schema file renamed, a contract changed, a
breaking change named, each commit with its author, date, category and version."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR, EXIT_OK
from aurum_sr.history import Category, read_history
from tests import factories
from tests.gitrepos import GIT_ENV, git, new_repo
from tests.render.goldens import check_golden

SUBJECT = "orders-value"


def contracts(schema: str, compatibility: str) -> str:
    return (
        "format_version: 1\n"
        "defaults:\n"
        f"  compatibility: {compatibility}\n"
        "  owner: team@example.com\n"
        "subjects:\n"
        f"  - subject: {SUBJECT}\n"
        f"    schema: {schema}\n"
        "  - subject: customers-value\n"
        "    schema: schemas/customers.avsc\n"
    )


def order(*fields: dict[str, object], **attrs: object) -> str:
    return json.dumps(factories.record("Order", *fields, namespace="shop", **attrs), indent=2)


ID = factories.field("id")
NOTE = factories.field("note", ["null", "string"], default=None)
AMOUNT = factories.field("amount", "double")


def commit(repo: Path, message: str, author: str) -> str:
    """Commit everything as ``author``, a day after the previous commit (fixed dates: the same
    history gets the same commit ids, so the rendered output can be a golden file)."""
    git(repo, "add", "-A")
    day = int(git(repo, "rev-list", "--all", "--count")) + 1
    date = f"2026-01-{day:02d}T10:00:00+00:00"
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(
        ["git", "commit", "-q", "--author", f"{author} <{author.lower()}@example.com>"]
        + ["-m", message],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
    )
    return git(repo, "rev-parse", "HEAD").strip()


def write(repo: Path, path: str, text: str) -> None:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Six commits: created; a field added; the file moved; a doc; the level tightened; a field
    added without a default (breaking under FULL)."""
    repo = new_repo(tmp_path / "repo")
    write(repo, "contracts/contracts.yml", contracts("schemas/orders.avsc", "BACKWARD"))
    write(repo, "schemas/orders.avsc", order(ID))
    write(repo, "schemas/customers.avsc", json.dumps(factories.record("Customer", ID)))
    commit(repo, "Add orders", "Alice")
    write(repo, "schemas/orders.avsc", order(ID, NOTE))
    commit(repo, "Orders get a note", "Bob")
    (repo / "schemas" / "sales").mkdir()
    git(repo, "mv", "schemas/orders.avsc", "schemas/sales/order.avsc")
    write(repo, "contracts/contracts.yml", contracts("schemas/sales/order.avsc", "BACKWARD"))
    commit(repo, "Move orders under sales", "Alice")
    write(repo, "schemas/sales/order.avsc", order(ID, NOTE, doc="An order."))
    commit(repo, "Document orders", "Carol")
    write(repo, "contracts/contracts.yml", contracts("schemas/sales/order.avsc", "FULL"))
    commit(repo, "Orders are FULL now", "Bob")
    write(repo, "schemas/sales/order.avsc", order(ID, NOTE, AMOUNT, doc="An order."))
    commit(repo, "Orders get an amount", "Carol")
    return repo


def test_history_follows_renames_and_names_the_breaking_change(repo: Path) -> None:
    (history,), shallow = read_history(repo, [SUBJECT])
    assert not shallow
    events = history.events
    assert [(e.summary, e.author, e.category, e.version) for e in events] == [
        ("Add orders", "Alice", Category.FIRST, 1),
        ("Orders get a note", "Bob", Category.NON_BREAKING, 2),
        ("Move orders under sales", "Alice", Category.COSMETIC, None),
        ("Document orders", "Carol", Category.COSMETIC, 3),
        ("Orders are FULL now", "Bob", Category.CONTRACT, None),
        ("Orders get an amount", "Carol", Category.BREAKING, 4),
    ]
    added, moved, documented, tightened, broken = events[1:]
    assert added.compatible is True and added.level is not None
    assert added.level.value == "BACKWARD"
    assert [c.kind for c in added.changes] == ["field_added"]
    assert moved.renamed_from == "schemas/orders.avsc"
    assert moved.schema_file == "schemas/sales/order.avsc"
    assert [(c.key, c.before, c.after) for c in moved.contract] == [
        ("schema_file", "schemas/orders.avsc", "schemas/sales/order.avsc")
    ]
    assert documented.compatible is True
    assert [(c.key, c.before, c.after) for c in tightened.contract] == [
        ("compatibility", "BACKWARD", "FULL")
    ]
    assert broken.compatible is False and broken.level is not None
    assert broken.level.value == "FULL"
    assert {b.kind for b in broken.breaking_changes} == {"reader_field_missing_default_value"}
    assert {b.field_path for b in broken.breaking_changes} == {"Order.amount"}
    assert all(e.date[:4].isdigit() and "T" in e.date for e in events)
    assert len({e.commit for e in events}) == 6


def test_every_subject_by_default_and_json_output(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "--root", str(repo), "--format", "json"]) == EXIT_OK
    document = json.loads(capsys.readouterr().out)
    assert document["format_version"] == 1 and document["shallow"] is False
    assert [s["subject"] for s in document["subjects"]] == ["customers-value", SUBJECT]
    (customers, orders) = document["subjects"]
    # the defaults moved every subject to FULL: a contract change for customers too
    assert [e["category"] for e in customers["events"]] == ["first", "contract"]
    last = orders["events"][-1]
    assert (last["category"], last["version"], last["compatible"]) == ("breaking", 4, False)
    assert last["breaking_changes"][0]["kind"] == "reader_field_missing_default_value"
    assert last["author"] == "Carol"


def test_human_and_markdown_name_versions_categories_and_breaking_changes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", SUBJECT, "--root", str(repo)]) == EXIT_OK
    human = capsys.readouterr().out
    assert human.startswith(f"{SUBJECT}\n")
    assert "Alice  v1, first version" in human
    assert "Bob  v2, non-breaking: compatible under BACKWARD" in human
    assert "- schema file moved from schemas/orders.avsc" in human
    assert "contract: compatibility BACKWARD -> FULL" in human
    assert "Carol  v4, breaking: INCOMPATIBLE under FULL" in human
    assert "Order.amount:" in human and "reader_field_missing_default_value" in human
    assert main(["history", SUBJECT, "--root", str(repo), "--format", "markdown"]) == EXIT_OK
    markdown = capsys.readouterr().out
    assert markdown.startswith("## Schema evolution\n")
    assert f"### `{SUBJECT}`" in markdown
    assert "| Carol | v4, breaking: INCOMPATIBLE under FULL<br>" in markdown


def test_a_rollback_takes_the_existing_version(repo: Path) -> None:
    write(repo, "schemas/sales/order.avsc", order(ID, NOTE, doc="An order."))
    commit(repo, "Revert the amount", "Alice")
    (history,), _ = read_history(repo, [SUBJECT])
    last = history.events[-1]
    assert (last.version, last.rollback) == (3, True)
    # v4's readers need the amount, which has no default: under FULL the rollback breaks them.
    assert (last.category, last.compatible) == (Category.BREAKING, False)
    assert {b.kind for b in last.breaking_changes} == {"reader_field_missing_default_value"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["history", "orders-valeu"], "did you mean orders-value?"),
        (["history", "--ref", "no-such-branch"], "no-such-branch is not a commit in this clone"),
    ],
)
def test_bad_subject_or_ref_exits_1_with_a_hint(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main([*args, "--root", str(repo)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_outside_a_git_clone_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "--root", str(tmp_path)]) == EXIT_ERROR
    assert "is not inside a git repository" in capsys.readouterr().err


def test_an_invalid_schema_is_unchecked_and_a_deleted_file_removed(repo: Path) -> None:
    write(repo, "schemas/sales/order.avsc", '{"type": "record", "name": ')
    commit(repo, "Break the file", "Alice")
    (repo / "schemas" / "sales" / "order.avsc").unlink()
    write(repo, "contracts/contracts.yml", contracts("schemas/sales/order.avsc", "FULL"))
    commit(repo, "Drop orders", "Bob")
    (history,), _ = read_history(repo, [SUBJECT])
    broken, removed = history.events[-2:]
    assert broken.category is Category.UNCHECKED and broken.version is None
    assert broken.error
    assert removed.category is Category.REMOVED and removed.summary == "Drop orders"


@pytest.mark.parametrize(("fmt", "name"), [("human", "history.txt"), ("markdown", "history.md")])
def test_rendered_history_matches_its_golden_file(
    repo: Path, capsys: pytest.CaptureFixture[str], fmt: str, name: str
) -> None:
    assert main(["history", "--root", str(repo), "--format", fmt]) == EXIT_OK
    check_golden(name, capsys.readouterr().out)
