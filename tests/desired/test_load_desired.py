"""load_desired: the example, defaults, warnings, and collecting every problem at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aurum_sr.desired import load_desired
from aurum_sr.errors import DesiredStateError, Severity
from aurum_sr.formats.avro import names as avro_names
from aurum_sr.formats.avro import validity as avro_validity
from aurum_sr.model import CompatibilityLevel, Lifecycle, Role
from tests.desired.repos import GEO, HEAD, ORDER, RepoFactory

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_example_contracts_load_without_diagnostics() -> None:
    loaded = load_desired(REPO_ROOT)
    state = loaded.state
    assert loaded.warnings == ()
    assert len(state.subjects) == 9
    assert state.contracts_path == "contracts/contracts.yml"
    assert state.owned_prefixes == ("aurum.",)
    noaa = state.subjects["aurum.noaa.weather.v1-value"]
    assert noaa.references[0].subject == "aurum.common.GeoLocation"
    assert noaa.role is Role.VALUE and noaa.topic == "aurum.noaa.weather.v1"
    assert noaa.schema_file == "schemas/noaa/weather_observation.avsc"
    assert noaa.schema_str is not None and "NoaaWeatherObservation" in noaa.schema_str
    # compatibility falls back to defaults when the subject sets none
    assert state.subjects["aurum.fred.series.v1-value"].compatibility is CompatibilityLevel.BACKWARD
    legacy = state.subjects["aurum.legacy.prices.v0-value"]
    assert legacy.lifecycle is Lifecycle.ABSENT and legacy.schema_str is None


def test_defaults_apply_and_subjects_override_them(repo: RepoFactory) -> None:
    root = repo(
        "format_version: 1\n"
        "defaults:\n"
        "  compatibility: FULL\n"
        "  owner: team@shop\n"
        "  normalize: true\n"
        "subjects:\n"
        "  - subject: shop.Geo\n"
        "    schema: schemas/geo.avsc\n"
        "    naming_strategy: record\n"
        "    owner: geo@shop\n"
        "    normalize: false\n"
        "  - subject: shop.orders-value\n"
        "    schema: schemas/order.avsc\n"
        "    topic: shop.orders\n"
        "    role: value\n"
        "    compatibility: NONE\n"
        "    references: [{name: shop.Geo, subject: shop.Geo}]\n",
        {"schemas/order.avsc": ORDER},
    )
    subjects = load_desired(root).state.subjects
    geo, order = subjects["shop.Geo"], subjects["shop.orders-value"]
    assert (geo.compatibility, geo.owner, geo.normalize) == (
        CompatibilityLevel.FULL,
        "geo@shop",
        False,
    )
    assert (order.compatibility, order.owner, order.normalize) == (
        CompatibilityLevel.NONE,
        "team@shop",
        True,
    )
    assert order.location.line == 12


def test_lint_findings_are_warnings_with_locations(repo: RepoFactory) -> None:
    schema = {
        "type": "record",
        "name": "Geo",
        "namespace": "shop",
        "fields": [
            {"name": "latDeg", "type": ["string", "null"]},
            {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A"]}},
        ],
    }
    loaded = load_desired(repo(HEAD, {"schemas/geo.avsc": schema}))
    rules = {(d.rule, d.line) for d in loaded.warnings}
    assert ("missing-doc", 3) in rules  # the record
    assert ("field-not-snake-case", 7) in rules
    assert ("optional-without-null-default", 8) in rules
    assert ("enum-without-default", 17) in rules
    assert all(d.severity is Severity.WARNING for d in loaded.warnings)
    assert all(d.path == "schemas/geo.avsc" and d.hint for d in loaded.warnings)


def test_lint_rules_can_be_switched_off(repo: RepoFactory) -> None:
    schema = dict(GEO, doc=None)
    del schema["doc"]
    contracts = HEAD.replace(
        "subjects:", "defaults:\n  lint:\n    missing-doc: 'off'\nsubjects:", 1
    )
    assert load_desired(repo(contracts, {"schemas/geo.avsc": schema})).warnings == ()


def test_every_problem_is_collected_before_raising(repo: RepoFactory) -> None:
    contracts = (
        HEAD
        + "    compatibility: SIDEWAYS\n"
        + "  - subject: shop.Geo\n"
        + "    schema: schemas/missing.avsc\n"
        + "  - subject: shop.other-value\n"
        + "    schema: schemas/bad.avsc\n"
        + "    topic: shop.other\n"
        + "    role: value\n"
    )
    with pytest.raises(DesiredStateError) as caught:
        load_desired(repo(contracts, {"schemas/bad.avsc": "{ nope"}))
    found = {(d.rule, d.path, d.line) for d in caught.value.diagnostics}
    assert {
        ("invalid-value", "contracts/contracts.yml", 6),
        ("duplicate-subject", "contracts/contracts.yml", 7),
        ("schema-json", "schemas/bad.avsc", 1),
    } <= found


def test_unlisted_schema_is_a_warning_then_an_error_when_strict(repo: RepoFactory) -> None:
    root = repo(HEAD, {"schemas/extra/orphan.avsc": GEO})
    (warning,) = load_desired(root).warnings
    assert (warning.rule, warning.path) == ("unlisted-schema", "schemas/extra/orphan.avsc")
    with pytest.raises(DesiredStateError) as caught:
        load_desired(root, strict=True)
    assert [d.rule for d in caught.value.diagnostics] == ["unlisted-schema"]


def test_pinned_reference_outside_the_contracts_is_a_warning(repo: RepoFactory) -> None:
    contracts = (
        "format_version: 1\n"
        "subjects:\n"
        "  - subject: shop.orders-value\n"
        "    schema: schemas/order.avsc\n"
        "    topic: shop.orders\n"
        "    role: value\n"
        "    references:\n"
        "      - {name: shop.Geo, subject: elsewhere.Geo, version: 3}\n"
    )
    root = repo(contracts, {"schemas/order.avsc": ORDER})
    (root / "schemas" / "geo.avsc").unlink()
    loaded = load_desired(root)
    assert [(d.rule, d.line) for d in loaded.warnings] == [("external-reference", 8)]
    ref = loaded.state.subjects["shop.orders-value"].references[0]
    assert (ref.subject, ref.version) == ("elsewhere.Geo", 3)


def test_registry_leniency_is_a_warning_not_an_error(repo: RepoFactory) -> None:
    schema = dict(GEO, name="Geo-v1")
    contracts = HEAD.replace("shop.Geo", "shop.Geo-v1")
    loaded = load_desired(repo(contracts, {"schemas/geo.avsc": schema}))
    assert [d.rule for d in loaded.warnings] == ["avro-strict-name"]


@pytest.mark.parametrize("off", [("avro-strict-name",), ("avro-strict-name", "avro-strict-enum")])
def test_strictness_switched_off_costs_no_scan_and_no_strict_parse(
    repo: RepoFactory, monkeypatch: pytest.MonkeyPatch, off: tuple[str, ...]
) -> None:
    schema = dict(GEO, name="Geo-v1")
    lint = "".join(f"    {rule}: 'off'\n" for rule in off)
    contracts = HEAD.replace("shop.Geo", "shop.Geo-v1")
    contracts = contracts.replace("subjects:", f"defaults:\n  lint:\n{lint}subjects:", 1)
    root = repo(contracts, {"schemas/geo.avsc": schema})
    if len(off) == 1:  # the enum rule is still on: both run, and find only what is on
        assert load_desired(root).warnings == ()
        return
    monkeypatch.setattr(avro_names, "obviously_strict", _not_asked)
    monkeypatch.setattr(avro_validity, "strictness_problems", _not_asked)
    assert load_desired(root).warnings == ()


def _not_asked(*args: object) -> bool:
    raise AssertionError("strictness checked with every strictness rule off")


def test_the_loaded_state_round_trips_to_the_same_json(repo: RepoFactory) -> None:
    # Loading twice gives equal states: nothing depends on dict or file-system order.
    root = repo(HEAD)
    first, second = load_desired(root), load_desired(root)
    assert first == second
    assert json.loads(first.state.subjects["shop.Geo"].schema_str or "") == GEO
