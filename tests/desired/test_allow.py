"""``allow:`` excuses one subject's schema from named rules; ``naming_strategy: none``."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurum_sr.desired import load_desired
from aurum_sr.errors import DesiredStateError, Severity
from tests.desired.repos import GEO, HEAD, write_repo

BAD_DEFAULT = dict(GEO, fields=[{"name": "n", "type": "int", "default": "x", "doc": "N."}])
UNION_DEFAULT = dict(
    GEO, fields=[{"name": "n", "type": ["null", "long"], "default": 1, "doc": "N."}]
)
UNPARSEABLE = dict(GEO, fields=[{"name": "n", "type": "nosuch.Type", "doc": "N."}])
NO_DOC = dict(GEO, doc=None)
del NO_DOC["doc"]

CASES = [
    ("avro-invalid-default", BAD_DEFAULT, ""),
    ("avro-union-default", UNION_DEFAULT, ""),
    ("avro-invalid", UNPARSEABLE, ""),
    ("missing-doc", NO_DOC, "defaults:\n  lint:\n    missing-doc: error\n"),
]


@pytest.mark.parametrize(("rule", "schema", "defaults"), CASES, ids=[c[0] for c in CASES])
def test_allow_turns_that_rule_into_a_warning_for_that_subject(
    tmp_path: Path, rule: str, schema: dict[str, object], defaults: str
) -> None:
    write_repo(tmp_path, defaults + HEAD, {"schemas/geo.avsc": schema})
    with pytest.raises(DesiredStateError) as refused:
        load_desired(tmp_path)
    assert rule in {d.rule for d in refused.value.diagnostics if d.severity is Severity.ERROR}
    write_repo(tmp_path, defaults + HEAD + f"    allow: [{rule}]\n", {"schemas/geo.avsc": schema})
    loaded = load_desired(tmp_path)
    excused = [d for d in loaded.warnings if d.rule == rule]
    assert excused and all(f"allow: [{rule}]" in d.message for d in excused)


def test_allow_covers_only_the_rules_it_names(tmp_path: Path) -> None:
    write_repo(
        tmp_path, HEAD + "    allow: [avro-union-default]\n", {"schemas/geo.avsc": BAD_DEFAULT}
    )
    with pytest.raises(DesiredStateError) as refused:
        load_desired(tmp_path)
    assert [d.rule for d in refused.value.diagnostics if d.severity is Severity.ERROR] == [
        "avro-invalid-default"
    ]


def test_allow_covers_only_its_own_subject(tmp_path: Path) -> None:
    contracts = (
        HEAD
        + "    allow: [avro-invalid-default]\n"
        + ("  - subject: shop.Other\n    schema: schemas/other.avsc\n    naming_strategy: none\n")
    )
    write_repo(
        tmp_path,
        contracts,
        {"schemas/geo.avsc": BAD_DEFAULT, "schemas/other.avsc": dict(BAD_DEFAULT, name="Other")},
    )
    with pytest.raises(DesiredStateError) as refused:
        load_desired(tmp_path)
    errors = [d for d in refused.value.diagnostics if d.severity is Severity.ERROR]
    assert [d.path for d in errors] == ["schemas/other.avsc"]


def test_a_file_shared_by_two_subjects_needs_both_to_allow(tmp_path: Path) -> None:
    contracts = (
        HEAD
        + "    allow: [avro-invalid-default]\n"
        + ("  - subject: again\n    schema: schemas/geo.avsc\n    naming_strategy: none\n")
    )
    write_repo(tmp_path, contracts, {"schemas/geo.avsc": BAD_DEFAULT})
    with pytest.raises(DesiredStateError):
        load_desired(tmp_path)


def test_naming_strategy_none_accepts_any_name(tmp_path: Path) -> None:
    contracts = HEAD.replace("naming_strategy: record", "naming_strategy: none").replace(
        "subject: shop.Geo", "subject: anything at all"
    )
    write_repo(tmp_path, contracts)
    assert "anything at all" in load_desired(tmp_path).state.subjects


def test_naming_strategy_none_still_checks_the_role(tmp_path: Path) -> None:
    contracts = HEAD.replace("naming_strategy: record", "naming_strategy: none\n    role: value")
    write_repo(tmp_path, contracts.replace("subject: shop.Geo", "subject: geo-key"))
    with pytest.raises(DesiredStateError) as refused:
        load_desired(tmp_path)
    assert [d.rule for d in refused.value.diagnostics] == ["role-mismatch"]
