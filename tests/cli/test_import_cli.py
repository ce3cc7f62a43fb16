"""`aurum-sr import` over a real socket: the first plan says "No changes"; bad input writes
nothing and exits 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.model import (
    CompatibilityLevel,
    LiveState,
    Mode,
    RegisteredSchema,
    Schema,
    SchemaType,
    SubjectState,
)
from aurum_sr.testing import RegistryServer
from tests.adopt.roundtrip import files_under, import_then_plan
from tests.registry.helpers import ADDRESS, V1, V2, record, with_address


def _populate(server: RegistryServer) -> None:
    engine = server.engine
    assert engine is not None
    engine.register("t.Address", ADDRESS)
    engine.register("shop.orders-value", V1)
    engine.register("shop.orders-value", V2)
    engine.register("shop.customers-value", with_address())
    engine.set_compatibility(CompatibilityLevel.FULL, "shop.customers-value")
    engine.set_mode(Mode.READONLY, "shop.customers-value")
    engine.register("shop.orders-key", record("Order", ("id", "string")))
    engine.register("hand-picked", record("Thing", ("x", "int")))
    engine.register("shop.gone-value", record("Gone", ("x", "int")))
    engine.delete_subject("shop.gone-value")
    engine.set_compatibility(CompatibilityLevel.FORWARD)


def test_import_then_plan_says_no_changes(
    registry_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _populate(registry_server)
    printed = import_then_plan(registry_server.url, tmp_path, capsys, "--include-deleted")
    assert "imported 5 subject(s)" in printed
    assert "1 soft-deleted as lifecycle: absent" in printed
    text = (tmp_path / "contracts/contracts.yml").read_text()
    assert "compatibility FORWARD, mode READWRITE" in text  # the global level, as a comment
    assert "  compatibility:" not in text.split("subjects:")[0]  # never a pinning default
    # Only the subject with its own settings lists them.
    assert text.count("compatibility: FULL") == 1 and text.count("mode: READONLY") == 1
    assert "subject: shop.gone-value\n    lifecycle: absent" in text
    assert "subject: hand-picked\n    schema: schemas/t/Thing.avsc\n    naming_strategy: none" in (
        text
    )
    # The reference follows the imported subject's latest version: no version pinned.
    assert "      - name: t.Address\n        subject: t.Address\n" in text
    assert "        version:" not in text
    # The key and the value share the record name t.Order: a file each.
    assert (tmp_path / "schemas/t/Order/shop.orders-key.avsc").is_file()
    assert (tmp_path / "schemas/t/Order/shop.orders-value.avsc").is_file()


def test_schema_file_is_the_registry_json_pretty_printed(
    registry_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = registry_server.engine
    assert engine is not None
    text = '{"type":"record","name":"Z","namespace":"n","fields":[{"type":"int","name":"a"}]}'
    engine.register("n.Z", Schema(text))
    import_then_plan(registry_server.url, tmp_path, capsys)
    written = (tmp_path / "schemas/n/Z.avsc").read_text()
    assert written == json.dumps(json.loads(text), indent=2) + "\n"
    assert written.index('"type": "int"') < written.index('"name": "a"')  # key order kept


def test_a_registry_schema_with_a_repeated_key_is_checked_as_its_file_holds_it(
    registry_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Registries keep the last of a repeated key; validate refuses a file that repeats one.
    # The file written holds the key once, and that file is what the import checks.
    engine = registry_server.engine
    assert engine is not None
    text = '{"type":"record","name":"R","namespace":"n","doc":"a","doc":"b","fields":[]}'
    engine.register("n.R", Schema(text))
    printed = import_then_plan(registry_server.url, tmp_path, capsys)
    assert "imported 1 subject(s)" in printed and "skipped" not in printed
    written = json.loads((tmp_path / "schemas/n/R.avsc").read_text())
    assert written["doc"] == "b"


def test_merge_adds_new_subjects_and_keeps_the_file(
    registry_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _populate(registry_server)
    import_then_plan(registry_server.url, tmp_path, capsys, "--subject-prefix", "shop.")
    contracts = tmp_path / "contracts/contracts.yml"
    edited = contracts.read_text().replace("subjects:\n", "# hand-written note, kept\nsubjects:\n")
    contracts.write_text(edited)
    before = files_under(tmp_path)
    # Nothing new under the prefix: nothing is written at all.
    assert (
        main(
            [
                "import",
                "--registry",
                registry_server.url,
                "--root",
                str(tmp_path),
                "--merge",
                "--subject-prefix",
                "shop.",
            ]
        )
        == 0
    )
    assert "(nothing new)" in capsys.readouterr().out
    assert files_under(tmp_path) == before
    # The rest of the registry is added below what was there, which stays byte for byte.
    printed = import_then_plan(registry_server.url, tmp_path, capsys, "--merge")
    assert "imported 2 subject(s)" in printed
    assert "left 3 subject(s) as contracts.yml lists them" in printed
    after = contracts.read_text()
    assert after.startswith(edited)
    assert "subject: t.Address" in after[len(edited) :]


def test_overwrite_replaces_the_contracts(
    registry_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _populate(registry_server)
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts/contracts.yml").write_text("format_version: 1\nsubjects:\n")
    import_then_plan(registry_server.url, tmp_path, capsys, "--overwrite")


def test_dry_run_prints_and_writes_nothing(
    registry_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _populate(registry_server)
    assert (
        main(["import", "--registry", registry_server.url, "--root", str(tmp_path), "--dry-run"])
        == 0
    )
    out = capsys.readouterr().out
    assert "--- contracts/contracts.yml (not written)" in out
    assert "would write 5 schema file(s) and contracts/contracts.yml" in out
    assert "  schemas/t/Address.avsc" in out
    assert files_under(tmp_path) == {}


def test_filters_select_subjects(
    registry_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _populate(registry_server)
    printed = import_then_plan(
        registry_server.url, tmp_path, capsys, "--match", "orders", "--exclude", "-key$"
    )
    assert "imported 1 subject(s)" in printed
    text = (tmp_path / "contracts/contracts.yml").read_text()
    assert "subject: shop.orders-value" in text and "orders-key" not in text
    # shop. holds subjects that were filtered out: owning it would report them as drift.
    assert "owned_prefixes" not in text
    assert "prefix 'shop.' is not owned" in printed


def _not_json(server: RegistryServer) -> None:
    engine = server.engine
    assert engine is not None
    engine.register("ok-value", V1)
    state = LiveState(
        "x",
        CompatibilityLevel.BACKWARD,
        Mode.READWRITE,
        {
            "broken-value": SubjectState(
                "broken-value",
                (RegisteredSchema("broken-value", 1, 900, Schema('{"type": "record",')),),
            )
        },
    )
    engine.load_state(state)


def _existing(tmp: Path) -> None:
    (tmp / "contracts").mkdir()
    (tmp / "contracts/contracts.yml").write_text("format_version: 1\nsubjects:\n")


BAD = [
    (
        "unreachable",
        lambda s: None,
        None,
        ["--registry", "http://127.0.0.1:9"],
        "cannot reach registry",
    ),
    ("not json", _not_json, None, [], "not JSON"),
    (
        "matches nothing",
        lambda s: s.engine.register("a-value", V1),
        None,
        ["--match", "^zzz"],
        "has no subject matching --match ^zzz",
    ),
    ("empty registry", lambda s: None, None, [], "holds no subject"),
    (
        "existing contracts",
        lambda s: s.engine.register("a-value", V1),
        _existing,
        [],
        "contracts/contracts.yml already exists",
    ),
    (
        "bad regex",
        lambda s: s.engine.register("a-value", V1),
        None,
        ["--exclude", "("],
        "--exclude '(' is not a regular expression",
    ),
    (
        "merge and overwrite",
        lambda s: s.engine.register("a-value", V1),
        None,
        ["--merge", "--overwrite"],
        "exclude each other",
    ),
    (
        "contracts is a directory",
        lambda s: s.engine.register("a-value", V1),
        lambda t: (t / "contracts/contracts.yml").mkdir(parents=True),
        ["--overwrite"],
        "a directory of that name exists",
    ),
]


@pytest.mark.parametrize(
    ("label", "seed", "prepare", "flags", "message"), BAD, ids=[b[0] for b in BAD]
)
def test_bad_input_exits_1_and_writes_nothing(
    registry_server: RegistryServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    label: str,
    seed: object,
    prepare: object,
    flags: list[str],
    message: str,
) -> None:
    seed(registry_server)  # type: ignore[operator]
    if prepare is not None:
        prepare(tmp_path)  # type: ignore[operator]
    before = files_under(tmp_path)
    args = ["import", "--registry", registry_server.url, "--root", str(tmp_path), *flags]
    if "--registry" in flags:
        args = ["import", "--root", str(tmp_path), *flags]
    code = main(args)
    err = capsys.readouterr().err
    assert code == 1, err
    assert message in err
    assert "Traceback" not in err
    assert files_under(tmp_path) == before
    assert not list(tmp_path.glob(".aurum-import-*"))


def test_target_that_is_not_a_directory(
    registry_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert registry_server.engine is not None
    registry_server.engine.register("a-value", V1)
    target = tmp_path / "file"
    target.write_text("x")
    code = main(["import", "--registry", registry_server.url, "--root", str(target)])
    assert code == 1
    assert "is not a directory" in capsys.readouterr().err
    assert target.read_text() == "x"


def test_target_that_is_not_writable(
    registry_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("permission bits do not stop root")
    assert registry_server.engine is not None
    registry_server.engine.register("a-value", V1)
    target = tmp_path / "ro"
    target.mkdir()
    target.chmod(0o555)
    try:
        code = main(["import", "--registry", registry_server.url, "--root", str(target)])
        assert code == 1
        assert "cannot write to" in capsys.readouterr().err
        assert list(target.iterdir()) == []
    finally:
        target.chmod(0o755)


def test_json_subjects_are_skipped_with_the_reason(
    registry_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = registry_server.engine
    assert engine is not None
    engine.register("a-value", V1)
    state = LiveState(
        "x",
        CompatibilityLevel.BACKWARD,
        Mode.READWRITE,
        {
            "j-value": SubjectState(
                "j-value",
                (
                    RegisteredSchema(
                        "j-value", 1, 901, Schema('{"type": "object"}', SchemaType.JSON)
                    ),
                ),
            )
        },
    )
    engine.load_state(state)
    printed = import_then_plan(registry_server.url, tmp_path, capsys)
    assert "j-value: JSON schemas are not supported yet" in printed


def _held(subject: str, schema_id: int, body: dict[str, object]) -> SubjectState:
    """A subject as an older registry stored it (loaded, not registered: no checks)."""
    return SubjectState(
        subject, (RegisteredSchema(subject, 1, schema_id, Schema(json.dumps(body))),)
    )


def test_schemas_the_registry_holds_but_validate_refuses_get_an_allow(
    registry_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def rec(name: str, *fields: dict[str, object]) -> dict[str, object]:
        return {"type": "record", "name": name, "namespace": "old", "fields": list(fields)}

    held = {
        "old.bad-default-value": rec("BadDefault", {"name": "n", "type": "int", "default": "x"}),
        "old.union-default-value": rec(
            "UnionDefault", {"name": "n", "type": ["null", "long"], "default": 1}
        ),
        "old.dash-value": rec("Dash-Name", {"name": "n", "type": "int"}),
        "old.enum-value": rec(
            "EnumDefault",
            {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A"], "default": "Z"}},
        ),
    }
    engine = registry_server.engine
    assert engine is not None
    engine.load_state(
        LiveState(
            "x",
            CompatibilityLevel.BACKWARD,
            Mode.READWRITE,
            {s: _held(s, 700 + i, body) for i, (s, body) in enumerate(sorted(held.items()))},
        )
    )
    printed = import_then_plan(registry_server.url, tmp_path, capsys)
    assert "recorded 2 exception(s)" in printed
    assert "old.bad-default-value: avro-invalid-default" in printed
    assert "old.union-default-value: avro-union-default" in printed
    text = (tmp_path / "contracts/contracts.yml").read_text()
    assert "    # The registry holds version 1 of this schema, but validate would refuse it:\n" in (
        text
    )
    assert "    allow:\n      - avro-invalid-default\n" in text
    # Names with '-' and enum defaults outside the symbols are warnings already: no exception.
    assert text.count("allow:") == 2


def _kinds(server: RegistryServer) -> dict[str, int]:
    kinds = {"config": 0, "mode": 0, "listing": 0, "other": 0}
    for method, target in server.requests:
        path = target.split("?", 1)[0]
        if path.startswith("/config/"):
            kinds["config"] += 1
        elif path.startswith("/mode/"):
            kinds["mode"] += 1
        elif method == "GET" and path == "/schemas":
            kinds["listing"] += 1
        else:
            kinds["other"] += 1
    return kinds


@pytest.mark.parametrize("skip_modes", [False, True])
def test_requests_are_the_bulk_listing_and_the_settings_of_each_subject(
    registry_server: RegistryServer, tmp_path: Path, skip_modes: bool
) -> None:
    _populate(registry_server)
    registry_server.reset_requests()
    flags = ["--skip-modes"] if skip_modes else []
    args = ["import", "--registry", registry_server.url, "--root", str(tmp_path), *flags]
    assert main(args) == 0
    kinds = _kinds(registry_server)
    live = 5
    assert kinds["config"] == live
    assert kinds["mode"] == (0 if skip_modes else live)
    assert kinds["listing"] <= 2  # one page, and the empty page that ends the listing
    assert kinds["other"] == 3  # the subject list, the global level and the global mode
    text = (tmp_path / "contracts/contracts.yml").read_text()
    assert ("mode: READONLY" in text) is not skip_modes
    assert "compatibility: FULL" in text  # levels are read with or without the modes


def test_the_configured_contracts_path_is_used(
    registry_server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _populate(registry_server)
    (tmp_path / "aurum-sr.toml").write_text('contracts_path = "meta/contracts.yml"\n')
    import_then_plan(registry_server.url, tmp_path, capsys)
    assert (tmp_path / "meta/contracts.yml").is_file()
    assert not (tmp_path / "contracts").exists()
