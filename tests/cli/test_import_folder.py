"""`aurum-sr import --schema-dir`: contracts for a folder of .avsc files, no registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.desired import load_desired
from tests.adopt.roundtrip import files_under
from tests.desired.repos import GEO, ORDER


def _folder(path: Path, files: dict[str, object]) -> Path:
    for rel, content in files.items():
        target = path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content if isinstance(content, str) else json.dumps(content, indent=2))
    return path


def test_record_strategy_lists_files_in_place_with_references(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _folder(tmp_path / "schemas", {"common/geo.avsc": GEO, "shop/order.avsc": ORDER})
    before = files_under(tmp_path / "schemas")
    assert main(["import", "--schema-dir", str(tmp_path / "schemas"), "--root", str(tmp_path)]) == 0
    assert "imported 2 subject(s)" in capsys.readouterr().out
    assert files_under(tmp_path / "schemas") == before  # listed where they are, not rewritten
    state = load_desired(tmp_path).state  # validate passes
    order = state.subjects["shop.Order"]
    assert order.schema_file == "schemas/shop/order.avsc"
    assert [(r.name, r.subject, r.version) for r in order.references] == [
        ("shop.Geo", "shop.Geo", None)
    ]


def test_topic_strategy_from_a_template_with_roles_from_file_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = dict(GEO, name="OrderKey")
    _folder(tmp_path / "in", {"orders-key.avsc": key, "orders_value.avsc": dict(GEO, name="V")})
    args = ["import", "--schema-dir", str(tmp_path / "in"), "--root", str(tmp_path / "repo")]
    (tmp_path / "repo").mkdir()
    flags = ["--naming-strategy", "topic", "--topic", "shop.{stem}.v1"]
    assert main([*args, *flags]) == 0
    capsys.readouterr()
    state = load_desired(tmp_path / "repo").state
    assert sorted(state.subjects) == ["shop.orders.v1-key", "shop.orders.v1-value"]
    value = state.subjects["shop.orders.v1-value"]
    assert (value.topic, value.role and value.role.value) == ("shop.orders.v1", "value")
    # Outside the root: copied under schemas/, byte for byte.
    assert value.schema_file == "schemas/orders_value.avsc"
    copied = (tmp_path / "repo/schemas/orders_value.avsc").read_text()
    assert copied == (tmp_path / "in/orders_value.avsc").read_text()


def test_none_strategy_names_subjects_after_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _folder(tmp_path / "schemas", {"whatever name.avsc": GEO})
    args = ["import", "--schema-dir", str(tmp_path / "schemas"), "--root", str(tmp_path)]
    assert main([*args, "--naming-strategy", "none"]) == 0
    capsys.readouterr()
    assert list(load_desired(tmp_path).state.subjects) == ["whatever name"]


BAD = [
    ("no topic", {"a.avsc": GEO}, ["--naming-strategy", "topic"], "needs --topic"),
    (
        "bad template",
        {"a.avsc": GEO},
        ["--naming-strategy", "topic", "--topic", "{x}"],
        "unknown field {x}",
    ),
    ("not json", {"a.avsc": '{"type": "record",\n  oops}'}, [], "schemas/a.avsc:2:"),
    ("same subject", {"a.avsc": GEO, "b.avsc": GEO}, [], "would both be subject 'shop.Geo'"),
    ("with a registry", {"a.avsc": GEO}, ["--registry", "memory:"], "exclude each other"),
    ("bad strategy", {"a.avsc": GEO}, ["--naming-strategy", "topics"], "is not one of"),
    ("empty folder", {}, [], "holds no .avsc file"),
]


@pytest.mark.parametrize(("label", "files", "flags", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_exits_1_and_writes_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    label: str,
    files: dict[str, object],
    flags: list[str],
    message: str,
) -> None:
    (tmp_path / "schemas").mkdir()
    _folder(tmp_path / "schemas", files)
    before = files_under(tmp_path)
    code = main(
        ["import", "--schema-dir", str(tmp_path / "schemas"), "--root", str(tmp_path), *flags]
    )
    captured = capsys.readouterr()
    assert code == 1, captured
    assert message in captured.err + captured.out
    assert "Traceback" not in captured.err
    assert files_under(tmp_path) == before


def test_folder_flags_need_schema_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--registry", "memory:", "--root", str(tmp_path), "--topic", "x"]) == 1
    assert "--topic is for --schema-dir" in capsys.readouterr().err


def test_merge_adds_only_new_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _folder(tmp_path / "schemas", {"geo.avsc": GEO})
    args = ["import", "--schema-dir", str(tmp_path / "schemas"), "--root", str(tmp_path)]
    assert main(args) == 0
    contracts = (tmp_path / "contracts/contracts.yml").read_text()
    _folder(tmp_path / "schemas", {"order.avsc": ORDER})
    assert main([*args, "--merge"]) == 0
    out = capsys.readouterr().out
    assert "left 1 subject(s) as contracts.yml lists them" in out
    merged = (tmp_path / "contracts/contracts.yml").read_text()
    assert merged.startswith(contracts)
    assert sorted(load_desired(tmp_path).state.subjects) == ["shop.Geo", "shop.Order"]
