"""The bad-input suite: each broken repository exits 1 and names the file, the line and a fix.

Every case writes its own contracts.yml and schema files (``schemas/geo.avsc`` holds a valid
``shop.Geo`` record unless the case replaces it). ``HEAD`` is lines 1-5 of a valid file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from aurum_sr.cli import main
from tests.desired.repos import GEO, HEAD, ORDER, Files, write_repo

CONTRACTS = "contracts/contracts.yml"

ORDERS = """\
  - subject: shop.orders-value
    schema: schemas/order.avsc
    topic: shop.orders
    role: value
"""
"""Lines 6-9 after HEAD: a topic-named subject whose schema uses shop.Geo."""

REF = "    references: [{name: shop.Geo, subject: shop.Geo}]\n"
"""Line 10 after HEAD + ORDERS: the reference ORDER needs."""


def _symlink_outside(root: Path) -> None:
    outside = root.parent / "outside.avsc"
    outside.write_text(json.dumps(GEO), encoding="utf-8")
    (root / "schemas" / "link.avsc").symlink_to(outside)


def _folder_link_outside(root: Path) -> None:
    outside = root.parent / "elsewhere"
    outside.mkdir()
    (outside / "geo.avsc").write_text(json.dumps(GEO), encoding="utf-8")
    (root / "schemas" / "linked").symlink_to(outside, target_is_directory=True)


@dataclass(frozen=True)
class Case:
    id: str
    contracts: str
    path: str
    line: int
    says: str
    files: Files = field(default_factory=dict)
    setup: Callable[[Path], None] | None = None
    args: tuple[str, ...] = ()
    errors: int = 1
    """How many errors the input has: one mistake must not cascade into several."""


CASES = [
    Case("yaml-unclosed-flow", HEAD + "    tags: [a, b\n", CONTRACTS, 7, "not valid YAML"),
    Case("yaml-bad-indent", HEAD + "   owner: x\n  bad\n", CONTRACTS, 6, "not valid YAML"),
    Case(
        "yaml-duplicate-key", HEAD + "    schema: schemas/geo.avsc\n", CONTRACTS, 6, "duplicate key"
    ),
    Case("top-level-list", "- subject: a\n", CONTRACTS, 1, "must be a mapping"),
    Case("missing-format-version", HEAD.split("\n", 1)[1], CONTRACTS, 1, "format_version"),
    Case(
        "unsupported-format-version",
        HEAD.replace("format_version: 1", "format_version: 2"),
        CONTRACTS,
        1,
        "format_version 2 is not supported",
    ),
    Case("unknown-top-key", HEAD + "defauts: {}\n", CONTRACTS, 6, "did you mean 'defaults'"),
    Case(
        "unknown-subject-key",
        HEAD + "    compatability: FULL\n",
        CONTRACTS,
        6,
        "did you mean 'compatibility'",
    ),
    Case(
        "unknown-defaults-key",
        "defaults:\n  ownr: me\n" + HEAD,
        CONTRACTS,
        2,
        "did you mean 'owner'",
    ),
    Case(
        "unknown-reference-key",
        HEAD + ORDERS + "    references:\n      - {name: shop.Geo, subjct: shop.Geo}\n",
        CONTRACTS,
        11,
        "did you mean 'subject'",
        {"schemas/order.avsc": ORDER},
    ),
    Case("subjects-not-a-list", "format_version: 1\nsubjects: {a: b}\n", CONTRACTS, 2, "a list"),
    Case(
        "misspelt-subject-key",
        HEAD + "  - subjct: shop.x\n",
        CONTRACTS,
        6,
        "did you mean 'subject'",
    ),
    Case(
        "entry-without-subject",
        HEAD + "  - schema: schemas/geo.avsc\n",
        CONTRACTS,
        6,
        "has no subject name",
    ),
    Case("subject-not-a-string", HEAD + "  - subject: 42\n", CONTRACTS, 6, "must be a string"),
    Case("tags-not-a-list", HEAD + "    tags: shared\n", CONTRACTS, 6, "a list of strings"),
    Case(
        "metadata-value-not-a-string",
        HEAD + "    metadata:\n      retention: 7\n",
        CONTRACTS,
        7,
        "must map a string to a string",
    ),
    Case("normalize-not-bool", HEAD + "    normalize: 'yes'\n", CONTRACTS, 6, "true or false"),
    Case(
        "bad-compatibility",
        HEAD + "    compatibility: BACKWARDS\n",
        CONTRACTS,
        6,
        "is not one of NONE, BACKWARD",
    ),
    Case("lowercase-compatibility", HEAD + "    compatibility: full\n", CONTRACTS, 6, "'FULL'"),
    Case("bad-mode", HEAD + "    mode: READ_ONLY\n", CONTRACTS, 6, "READONLY"),
    Case(
        "protobuf-not-supported", HEAD + "    type: PROTOBUF\n", CONTRACTS, 6, "not supported yet"
    ),
    Case("json-not-supported", HEAD + "    type: JSON\n", CONTRACTS, 6, "not supported yet"),
    Case("unknown-schema-type", HEAD + "    type: XML\n", CONTRACTS, 6, "AVRO, JSON, PROTOBUF"),
    Case("bad-lifecycle", HEAD + "    lifecycle: deleted\n", CONTRACTS, 6, "present, absent"),
    Case("bad-role", HEAD + "    role: both\n", CONTRACTS, 6, "key, value"),
    Case(
        "bad-default-naming-strategy",
        "defaults:\n  naming_strategy: topic-name\n" + HEAD,
        CONTRACTS,
        2,
        "topic, record, topic_record",
    ),
    Case(
        "owned-prefixes-not-a-list",
        "defaults:\n  owned_prefixes: aurum.\n" + HEAD,
        CONTRACTS,
        2,
        "a list of strings",
    ),
    Case(
        "duplicate-subject",
        HEAD + "  - subject: shop.Geo\n    schema: schemas/geo.avsc\n",
        CONTRACTS,
        6,
        "listed twice (first at line 3)",
    ),
    Case(
        "present-without-schema",
        HEAD + "  - subject: shop.x-value\n    topic: shop.x\n    role: value\n",
        CONTRACTS,
        6,
        "has no schema",
    ),
    Case(
        "missing-schema-file",
        HEAD.replace("geo.avsc", "goe.avsc"),
        CONTRACTS,
        4,
        "did you mean 'schemas/geo.avsc'",
    ),
    Case("absolute-schema-path", HEAD.replace("schemas/geo", "/etc/geo"), CONTRACTS, 4, "absolute"),
    Case(
        "dotdot-escape",
        HEAD.replace("schemas/geo", "schemas/../../geo"),
        CONTRACTS,
        4,
        "outside the repository root",
    ),
    Case(
        "symlink-escape",
        HEAD.replace("geo.avsc", "link.avsc"),
        CONTRACTS,
        4,
        "symbolic link",
        setup=_symlink_outside,
    ),
    Case(
        "folder-symlink-escape",
        HEAD.replace("schemas/geo.avsc", "schemas/linked/geo.avsc"),
        CONTRACTS,
        4,
        "symbolic link",
        setup=_folder_link_outside,
    ),
    Case(
        "avsc-json-syntax",
        HEAD,
        "schemas/geo.avsc",
        3,
        "not valid JSON",
        {"schemas/geo.avsc": '{\n  "type": "record",\n  "name": Geo\n}\n'},
    ),
    Case("avsc-empty", HEAD, "schemas/geo.avsc", 1, "not valid JSON", {"schemas/geo.avsc": ""}),
    Case(
        "avro-unknown-type",
        HEAD,
        "schemas/geo.avsc",
        9,
        "did you mean 'string'",
        {"schemas/geo.avsc": dict(GEO, fields=[{"name": "a", "type": "strin", "doc": "A."}])},
    ),
    Case(
        "avro-record-without-fields",
        HEAD,
        "schemas/geo.avsc",
        1,
        "non-empty fields",
        {"schemas/geo.avsc": {"type": "record", "name": "Geo", "namespace": "shop"}},
    ),
    Case(
        "named-type-without-reference",
        HEAD + ORDERS,
        "schemas/order.avsc",
        14,
        "add it to this subject's references",
        {"schemas/order.avsc": ORDER},
    ),
    Case(
        "reference-to-unlisted-subject",
        HEAD + ORDERS + "    references:\n      - name: shop.Geo\n        subject: shop.Geoo\n",
        CONTRACTS,
        12,
        "did you mean 'shop.Geo'",
        {"schemas/order.avsc": ORDER},
    ),
    Case(
        "reference-to-absent-subject",
        HEAD
        + ORDERS
        + "    references:\n      - {name: shop.Old, subject: shop.Old}\n"
        + "  - subject: shop.Old\n    lifecycle: absent\n",
        CONTRACTS,
        11,
        "lifecycle: absent",
        {"schemas/order.avsc": ORDER},
    ),
    Case(
        "reference-name-not-defined",
        HEAD + ORDERS + "    references:\n      - {name: shop.Gео, subject: shop.Geo}\n",
        CONTRACTS,
        11,
        "defines no type named",
        {"schemas/order.avsc": ORDER},
    ),
    Case(
        "reference-bad-version",
        HEAD
        + ORDERS
        + "    references:\n      - {name: shop.Geo, subject: shop.Geo, version: 0}\n",
        CONTRACTS,
        11,
        "not a version number",
        {"schemas/order.avsc": ORDER},
    ),
    Case(
        "reference-cycle",
        HEAD
        + "    references: [{name: shop.Order, subject: shop.orders-value}]\n"
        + ORDERS
        + "    references: [{name: shop.Geo, subject: shop.Geo}]\n",
        CONTRACTS,
        6,
        "cycle: shop.Geo -> shop.orders-value -> shop.Geo",
        {"schemas/order.avsc": ORDER},
    ),
    Case(
        "topic-naming-mismatch",
        HEAD + ORDERS.replace("topic: shop.orders", "topic: shop.order") + REF,
        CONTRACTS,
        6,
        "expected 'shop.order-value'",
        {"schemas/order.avsc": ORDER},
    ),
    Case(
        "topic-naming-without-topic",
        HEAD + ORDERS.replace("    topic: shop.orders\n", "") + REF,
        CONTRACTS,
        6,
        "has no topic",
        {"schemas/order.avsc": ORDER},
    ),
    Case(
        "record-naming-mismatch",
        HEAD.replace("subject: shop.Geo", "subject: shop.Place"),
        CONTRACTS,
        3,
        "expected 'shop.Geo'",
    ),
    Case(
        "topic-record-naming-mismatch",
        HEAD.replace("naming_strategy: record", "naming_strategy: topic_record\n    topic: geo"),
        CONTRACTS,
        3,
        "expected 'geo-shop.Geo'",
    ),
    Case(
        "role-contradicts-name",
        HEAD + ORDERS.replace("role: value", "role: key") + REF,
        CONTRACTS,
        9,
        "ends in -value but its role is key",
        {"schemas/order.avsc": ORDER},
    ),
    Case(
        "avro-default-wrong-type",
        HEAD,
        "schemas/geo.avsc",
        8,
        "is not a valid int",
        {"schemas/geo.avsc": dict(GEO, fields=[{"name": "n", "type": "int", "default": "x"}])},
    ),
    Case(
        "avro-union-default-matches-no-branch",
        HEAD,
        "schemas/geo.avsc",
        8,
        "is not a valid union",
        {
            "schemas/geo.avsc": dict(
                GEO, fields=[{"name": "n", "type": ["null", "long"], "default": "x", "doc": "N."}]
            )
        },
    ),
    Case(
        "unknown-lint-rule",
        "defaults:\n  lint:\n    missing-docs: error\n" + HEAD,
        CONTRACTS,
        3,
        "did you mean 'missing-doc'",
    ),
    Case(
        "bad-lint-level",
        "defaults:\n  lint:\n    missing-doc: loud\n" + HEAD,
        CONTRACTS,
        3,
        "error, warning, off",
    ),
    Case(
        "lint-rule-raised-to-error",
        "defaults:\n  lint:\n    field-not-snake-case: error\n" + HEAD,
        "schemas/geo.avsc",
        8,
        "is not snake_case",
        {"schemas/geo.avsc": dict(GEO, fields=[{"name": "latDeg", "type": "double", "doc": "N."}])},
    ),
    Case(
        "unlisted-schema-when-strict",
        HEAD,
        "schemas/extra/orphan.avsc",
        1,
        "no contract lists this schema file",
        {"schemas/extra/orphan.avsc": GEO},
        args=("--strict",),
    ),
    Case(
        "allow-unknown-rule",
        HEAD + "    allow: [avro-invalid-defualt]\n",
        CONTRACTS,
        6,
        "did you mean 'avro-invalid-default'",
    ),
    Case(
        "allow-rule-not-about-the-schema",
        HEAD + "    allow:\n      - avro-invalid\n      - naming-strategy\n",
        CONTRACTS,
        8,
        "allow takes rule ids about the schema's content",
    ),
    Case("allow-not-a-list", HEAD + "    allow: 3\n", CONTRACTS, 6, "a list of strings"),
]


def test_the_suite_is_large_enough() -> None:
    assert len(CASES) >= 25
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_broken_input_exits_1_and_says_where_and_how_to_fix(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_repo(tmp_path / "repo", case.contracts, case.files)
    if case.setup is not None:
        case.setup(root)
    assert main(["validate", "--root", str(root), *case.args]) == 1
    captured = capsys.readouterr()
    output = captured.out + captured.err
    lines = output.splitlines()
    hits = [i for i, text in enumerate(lines) if text.startswith(f"{case.path}:{case.line}:")]
    assert hits, f"no diagnostic at {case.path}:{case.line} in:\n{output}"
    block = "\n".join(
        "\n".join(lines[i : i + 2]) for i in hits
    )  # the diagnostic line and its hint line
    assert case.says in block, output
    assert "error[" in block and "  hint: " in block, output
    assert "Traceback" not in output
    expected = f"{case.errors} error{'s' if case.errors > 1 else ''},"
    assert lines[-1].startswith(f"invalid: {expected}"), output


def test_every_case_is_still_broken_without_the_cli(tmp_path: Path) -> None:
    """The suite's repositories are loaded in-process too: no case depends on CLI parsing."""
    from aurum_sr.desired import load_desired
    from aurum_sr.errors import DesiredStateError

    for index, case in enumerate(CASES):
        root = write_repo(tmp_path / str(index), case.contracts, case.files)
        if case.setup is not None:
            case.setup(root)
        with pytest.raises(DesiredStateError):
            load_desired(root, strict="--strict" in case.args)


def test_missing_contracts_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--root", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "contracts/contracts.yml: error[missing-file]: contracts file not found" in out
    assert "--root" in out


def test_symlinks_inside_the_root_are_fine(tmp_path: Path) -> None:
    root = write_repo(tmp_path, HEAD.replace("geo.avsc", "link.avsc"))
    os.symlink(root / "schemas" / "geo.avsc", root / "schemas" / "link.avsc")
    assert main(["validate", "--root", str(root)]) == 0


def test_union_default_on_a_later_branch_is_an_error_unless_switched_down(tmp_path: Path) -> None:
    schema = dict(GEO, fields=[{"name": "n", "type": ["null", "long"], "default": 1, "doc": "N."}])
    write_repo(tmp_path, HEAD, {"schemas/geo.avsc": schema})
    assert main(["validate", "--root", str(tmp_path)]) == 1
    lowered = "defaults:\n  lint:\n    avro-union-default: warning\n" + HEAD
    write_repo(tmp_path, lowered, {"schemas/geo.avsc": schema})
    assert main(["validate", "--root", str(tmp_path)]) == 0
