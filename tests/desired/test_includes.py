"""Contracts across several files: the main file's ``include:``, each team's file, the union.

Each case is a repository (the main contracts file plus files) and what loading it must give:
the subjects and the file each is located in, or the diagnostics, each at its file:line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from aurum_sr.desired import load_desired
from aurum_sr.desired.loader import read_contracts_only
from aurum_sr.errors import DesiredStateError, Severity
from tests.desired.repos import ORDER, RepoFactory

MAIN = """\
format_version: 1
defaults:
  compatibility: FULL
  owner: platform@shop
include:
  - contracts/teams/*.yml
subjects:
  - subject: shop.Geo
    schema: schemas/geo.avsc
    naming_strategy: record
"""
ORDERS = """\
format_version: 1
subjects:
  - subject: shop.orders-value
    schema: schemas/order.avsc
    topic: shop.orders
    role: value
    owner: orders@shop
    references:
      - name: shop.Geo
        subject: shop.Geo
"""
WEATHER = """\
format_version: 1
subjects:
  - subject: shop.weather-value
    schema: schemas/weather.avsc
    topic: shop.weather
    role: value
"""
WEATHER_SCHEMA: dict[str, object] = {
    "type": "record",
    "name": "Weather",
    "namespace": "shop",
    "doc": "A reading.",
    "fields": [{"name": "t", "type": "double", "doc": "Degrees."}],
}
SCHEMAS = {"schemas/order.avsc": ORDER, "schemas/weather.avsc": WEATHER_SCHEMA}


@dataclass(frozen=True)
class Case:
    main: str
    files: dict[str, str] = field(default_factory=dict)
    located: dict[str, str] = field(default_factory=dict)
    """subject -> ``file:line`` of its entry (when it loads)."""
    errors: tuple[tuple[str, str], ...] = ()
    """(``file:line``, a fragment of the message) for every error, in order."""
    warnings: tuple[tuple[str, str], ...] = ()


TEAMS = "contracts/teams/orders.yml", "contracts/teams/weather.yml"

CASES = {
    "two team files by a glob": Case(
        MAIN,
        {TEAMS[0]: ORDERS, TEAMS[1]: WEATHER},
        located={
            "shop.Geo": "contracts/contracts.yml:8",
            "shop.orders-value": "contracts/teams/orders.yml:3",
            "shop.weather-value": "contracts/teams/weather.yml:3",
        },
    ),
    "a literal path": Case(
        MAIN.replace("contracts/teams/*.yml", TEAMS[1]),
        {TEAMS[1]: WEATHER},
        located={"shop.weather-value": "contracts/teams/weather.yml:3"},
    ),
    "the main file matched by its own glob is read once": Case(
        MAIN.replace("contracts/teams/*.yml", "contracts/**/*.yml"),
        {TEAMS[1]: WEATHER},
        located={"shop.Geo": "contracts/contracts.yml:8"},
    ),
    "one file named by two patterns is read once": Case(
        MAIN.replace("  - contracts/teams/*.yml\n", f"  - contracts/teams/*.yml\n  - {TEAMS[1]}\n"),
        {TEAMS[1]: WEATHER},
        located={"shop.weather-value": "contracts/teams/weather.yml:3"},
    ),
    "a duplicate across files names both places": Case(
        MAIN,
        {TEAMS[0]: ORDERS, TEAMS[1]: WEATHER + ORDERS.split("subjects:\n")[1]},
        errors=(
            (
                "contracts/teams/weather.yml:7",
                "'shop.orders-value' is listed twice (first in contracts/teams/orders.yml:3)",
            ),
        ),
    ),
    "defaults only in the main file": Case(
        MAIN,
        {TEAMS[1]: "format_version: 1\ndefaults:\n  owner: weather@shop\n" + WEATHER[17:]},
        errors=(
            (
                "contracts/teams/weather.yml:2",
                "only the main contracts file (contracts/contracts.yml) sets defaults",
            ),
        ),
    ),
    "no include in an included file": Case(
        MAIN,
        {TEAMS[1]: "format_version: 1\ninclude: [x.yml]\n" + WEATHER[17:]},
        errors=(("contracts/teams/weather.yml:2", "sets include"),),
    ),
    "a diagnostic inside a team file names that file": Case(
        MAIN,
        {TEAMS[1]: WEATHER.replace("schemas/weather.avsc", "schemas/wether.avsc")},
        errors=(("contracts/teams/weather.yml:4", "schema file schemas/wether.avsc"),),
    ),
    "a reference problem names the referring file": Case(
        MAIN,
        {TEAMS[0]: ORDERS.replace("subject: shop.Geo", "subject: shop.Gone")},
        errors=(("contracts/teams/orders.yml:10", "references subject 'shop.Gone'"),),
    ),
    "an unknown key in a team file": Case(
        MAIN,
        {TEAMS[1]: "format_version: 1\nsubjcts: []\n"},
        errors=(
            ("contracts/teams/weather.yml:1", "has no subjects list"),
            ("contracts/teams/weather.yml:2", "unknown key 'subjcts' in an included contracts"),
        ),
    ),
    "a team file that is not YAML": Case(
        MAIN,
        {TEAMS[1]: "format_version: 1\nsubjects: [\n"},
        errors=(("contracts/teams/weather.yml:3", "not valid YAML"),),
    ),
    "a missing literal file": Case(
        MAIN.replace("contracts/teams/*.yml", "contracts/teams/nope.yml"),
        errors=(("contracts/contracts.yml:6", "contracts/teams/nope.yml does not exist"),),
    ),
    "a glob that matches nothing warns": Case(
        MAIN,
        located={"shop.Geo": "contracts/contracts.yml:8"},
        warnings=(("contracts/contracts.yml:6", "matches no file"),),
    ),
    "a path leading outside the repository": Case(
        MAIN.replace("contracts/teams/*.yml", "../other/contracts.yml"),
        errors=(("contracts/contracts.yml:6", "leads outside the repository root"),),
    ),
    "a glob leading outside the repository": Case(
        MAIN.replace("contracts/teams/*.yml", "contracts/../../*.yml"),
        errors=(("contracts/contracts.yml:6", "leads outside the repository root"),),
    ),
    "an absolute path": Case(
        MAIN.replace("contracts/teams/*.yml", "/etc/contracts.yml"),
        errors=(("contracts/contracts.yml:6", "is absolute"),),
    ),
    "include must be a list of strings": Case(
        MAIN.replace("  - contracts/teams/*.yml\n", "  - 3\n"),
        errors=(("contracts/contracts.yml:6", "include[0]"),),
    ),
}


def _at(path: str, line: int) -> str:
    return f"{path}:{line}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_include(name: str, repo: RepoFactory) -> None:
    case = CASES[name]
    root = repo(case.main, {**SCHEMAS, **case.files})
    if case.errors:
        with pytest.raises(DesiredStateError) as info:
            load_desired(root)
        found = [
            (_at(d.path, d.line), d.message)
            for d in info.value.diagnostics
            if d.severity is Severity.ERROR
        ]
        assert len(found) == len(case.errors), found
        for (where, message), (want_where, fragment) in zip(found, case.errors, strict=True):
            assert where == want_where and fragment in message, (where, message)
        return
    loaded = load_desired(root)
    for subject, where in case.located.items():
        location = loaded.state.subjects[subject].location
        assert _at(location.path, location.line) == where
    warned = [
        (_at(d.path, d.line), d.message) for d in loaded.warnings if d.rule != "unlisted-schema"
    ]
    assert len(warned) == len(case.warnings), warned
    for (where, message), (want_where, fragment) in zip(warned, case.warnings, strict=True):
        assert where == want_where and fragment in message


def test_the_union_shares_the_main_files_defaults(repo: RepoFactory) -> None:
    root = repo(MAIN, {**SCHEMAS, TEAMS[0]: ORDERS, TEAMS[1]: WEATHER})
    state = load_desired(root).state
    assert sorted(state.subjects) == ["shop.Geo", "shop.orders-value", "shop.weather-value"]
    weather, orders = state.subjects["shop.weather-value"], state.subjects["shop.orders-value"]
    assert weather.owner == "platform@shop" and orders.owner == "orders@shop"
    assert weather.compatibility is orders.compatibility
    assert state.contracts_path == "contracts/contracts.yml"


def test_read_contracts_only_lists_every_files_subjects(repo: RepoFactory) -> None:
    root = repo(MAIN, {**SCHEMAS, TEAMS[0]: ORDERS, TEAMS[1]: WEATHER})
    parsed = read_contracts_only(root)
    assert parsed.files == ("contracts/contracts.yml", *TEAMS)
    assert [(e.subject, e.path) for e in parsed.entries] == [
        ("shop.Geo", "contracts/contracts.yml"),
        ("shop.orders-value", TEAMS[0]),
        ("shop.weather-value", TEAMS[1]),
    ]


@pytest.mark.skipif(os.name == "nt", reason="symbolic links")
def test_a_linked_team_file_outside_the_repository_is_refused(
    repo: RepoFactory, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.yml"
    outside.write_text(WEATHER, encoding="utf-8")
    root = repo(MAIN, SCHEMAS)
    (root / "contracts" / "teams").mkdir()
    (root / "contracts" / "teams" / "weather.yml").symlink_to(outside)
    with pytest.raises(DesiredStateError) as info:
        load_desired(root)
    (problem,) = [d for d in info.value.diagnostics if d.severity is Severity.ERROR]
    assert (problem.path, problem.line) == ("contracts/contracts.yml", 6)
    assert "symbolic link" in problem.message
