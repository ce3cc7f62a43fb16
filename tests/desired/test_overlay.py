"""An environment's overlay over the contracts: which subjects it holds, under which names and
levels, and every overlay that names something the contracts do not have."""

from __future__ import annotations

from dataclasses import replace

import pytest

from aurum_sr.config import Environment, Overlay
from aurum_sr.desired.overlay import apply_overlay, contract_name
from aurum_sr.errors import ConfigError
from aurum_sr.model import CompatibilityLevel as L
from aurum_sr.model import DesiredReference
from tests.plan.factories import desired, record, spec

GEO = record("Geo")
STATION = record("Station")
STATE = desired(
    replace(spec("aurum.geo-value", GEO, compatibility=L.FULL), tags=("shared",)),
    spec(
        "aurum.station-value",
        STATION,
        references=(DesiredReference("aurum.test.Geo", "aurum.geo-value", None),),
    ),
    replace(spec("aurum.orders-value", record("Order")), tags=("orders",)),
)
WHERE = "aurum-sr.toml:7 [environments.dev]"


def _env(**overlay: object) -> Environment:
    return Environment("dev", "http://dev:8081", overlay=Overlay(**overlay), where=WHERE)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overlay", "expected"),
    [
        ({}, ["aurum.geo-value", "aurum.orders-value", "aurum.station-value"]),
        ({"include": ("aurum.orders-*",)}, ["aurum.orders-value"]),
        ({"exclude": ("aurum.orders-value",)}, ["aurum.geo-value", "aurum.station-value"]),
        ({"include_tags": ("orders",)}, ["aurum.orders-value"]),
        (
            {"include": ("aurum.*",), "exclude": ("aurum.o*",)},
            ["aurum.geo-value", "aurum.station-value"],
        ),
    ],
)
def test_filters_choose_the_subjects(overlay: dict[str, object], expected: list[str]) -> None:
    assert sorted(apply_overlay(STATE, _env(**overlay)).subjects) == expected


def test_a_prefix_renames_subjects_references_and_owned_prefixes() -> None:
    env = _env(subject_prefix=":.dev:")
    state = apply_overlay(STATE, env)
    station = state.subjects[":.dev:aurum.station-value"]
    assert station.subject == ":.dev:aurum.station-value"
    assert [r.subject for r in station.references] == [":.dev:aurum.geo-value"]
    assert state.owned_prefixes == (":.dev:aurum.",)
    assert contract_name(station.subject, env) == "aurum.station-value"


def test_levels_default_then_per_subject() -> None:
    env = _env(
        compatibility=L.NONE, compatibility_overrides=(("aurum.geo-value", L.FULL_TRANSITIVE),)
    )
    levels = {n: s.compatibility for n, s in apply_overlay(STATE, env).subjects.items()}
    assert levels == {
        "aurum.geo-value": L.FULL_TRANSITIVE,
        "aurum.orders-value": L.NONE,
        "aurum.station-value": L.NONE,
    }


@pytest.mark.parametrize(
    ("overlay", "message", "hint"),
    [
        (
            {"compatibility_overrides": (("aurum.order-value", L.FULL),)},
            "compatibility_overrides names 'aurum.order-value', which is not a subject",
            "did you mean 'aurum.orders-value'?",
        ),
        ({"include": ("aurum.x*",)}, "include pattern 'aurum.x*' matches no subject", "fix"),
        ({"exclude": ("aurum.geo",)}, "exclude names 'aurum.geo'", "did you mean"),
        ({"include_tags": ("order",)}, "include_tags names 'order'", "did you mean 'orders'?"),
        (
            {"exclude": ("aurum.geo-value",)},
            "leaves out aurum.geo-value, which aurum.station-value references",
            "include aurum.geo-value",
        ),
    ],
)
def test_an_overlay_naming_what_the_contracts_lack_is_refused(
    overlay: dict[str, object], message: str, hint: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        apply_overlay(STATE, _env(**overlay))
    assert caught.value.message.startswith(WHERE) and message in caught.value.message
    assert hint in (caught.value.hint or "")
