"""What models accept, normalise and refuse; every refusal names the Avro field path."""

from __future__ import annotations

import datetime as dt
import uuid
import warnings
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from aurum_sr.codegen import model_for_state
from tests.codegen import sink
from tests.codegen.contracts import example_state, single

EXAMPLES = example_state()
UTC = dt.timezone.utc


def model(subject: str) -> type[BaseModel]:
    return model_for_state(EXAMPLES, subject)


def scenario(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "scenario_id": "scenario-123",
        "tenant_id": "tenant-abc",
        "requested_by": "api",
        "asof_date": None,
        "curve_def_ids": [],
        "assumptions": [{"assumption_id": "a1", "type": "POLICY", "payload": "{}"}],
        "submitted_ts": dt.datetime(2024, 5, 1, 12, 30, 0, 123456),
    }
    payload.update(changes)
    return {k: v for k, v in payload.items() if v is not ...}


def lmp(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "iso": "PJM",
        "market": "DAY_AHEAD",
        "node_id": "n1",
        "interval_start": dt.datetime(2024, 5, 1, tzinfo=UTC),
        "interval_end": dt.datetime(2024, 5, 1, 1, tzinfo=UTC),
        "lmp": Decimal("42.12345"),
        "ingested_at": dt.datetime(2024, 5, 1, 2, tzinfo=UTC),
    }
    payload.update(changes)
    return payload


def sink_payload(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "b": True,
        "i": 1,
        "l": 2,
        "f": 1.5,
        "d": 2.5,
        "by": b"x",
        "s": "s",
        "n": None,
        "fx": bytes(16),
        "fx2": bytes(16),
        "dec": Decimal("1.5"),
        "fdec": Decimal("10"),
        "day": dt.date(2024, 1, 2),
        "tms": dt.time(1, 2, 3, 456789),
        "tus": dt.time(1, 2, 3, 456789),
        "tsms": dt.datetime(2024, 1, 2, 3, 4, 5, 678901),
        "tsus": dt.datetime(2024, 1, 2, 3, 4, 5, 678901),
        "lts": dt.datetime(2024, 1, 2, 3, 4, 5),
        "ltus": dt.datetime(2024, 1, 2, 3, 4, 5),
        "id": "12345678-1234-5678-1234-567812345678",
        "color": "RED",
        "choice": 1,
        "numbers": 1,
        "type": "t",
    }
    payload.update(changes)
    return payload


SINK = model_for_state(single(sink.EVERYTHING), "test-value")


def errors_of(model_class: type[BaseModel], payload: Any) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        model_class.model_validate(payload)
    return [(tuple(e["loc"]), e["msg"]) for e in caught.value.errors()]


def only_error(model_class: type[BaseModel], payload: Any) -> tuple[tuple[Any, ...], str]:
    errors = errors_of(model_class, payload)
    assert len(errors) == 1, errors
    return errors[0]


# --- the issue's example ----------------------------------------------------------------------


def test_the_issue_example_with_a_naive_utcnow() -> None:
    scenario_request = model("aurum.scenario.request.v1-value")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # utcnow() is deprecated in 3.12
        now = dt.datetime.utcnow()
    payload = scenario_request(
        scenario_id="scenario-123",
        tenant_id="tenant-abc",
        requested_by="api",
        asof_date=None,
        curve_def_ids=[],
        assumptions=[],
        submitted_ts=now,
    )
    avro_ready = payload.model_dump(mode="python")
    assert avro_ready == {
        "scenario_id": "scenario-123",
        "tenant_id": "tenant-abc",
        "requested_by": "api",
        "asof_date": None,
        "curve_def_ids": [],
        "assumptions": [],
        "submitted_ts": now.replace(microsecond=now.microsecond // 1000 * 1000, tzinfo=UTC),
    }


def test_dump_uses_avro_names_and_symbol_strings() -> None:
    dumped = model("aurum.scenario.request.v1-value").model_validate(scenario()).model_dump()
    assumption = dumped["assumptions"][0]
    assert assumption == {"assumption_id": "a1", "type": "POLICY", "payload": "{}", "version": None}
    assert type(assumption["type"]) is str


# --- refusals name the field path ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "payload", "loc", "message"),
    [
        (
            "aurum.scenario.request.v1-value",
            scenario(scenario_id=5),
            ("scenario_id",),
            "valid string",
        ),
        ("aurum.scenario.request.v1-value", scenario(tenant_id=...), ("tenant_id",), "required"),
        (
            "aurum.scenario.request.v1-value",
            scenario(assumptions=[{"assumption_id": "a", "type": "NOPE", "payload": "{}"}]),
            ("assumptions", 0, "type"),
            "'POLICY'",
        ),
        (
            "aurum.scenario.request.v1-value",
            scenario(submitted_ts=1714566600000),
            ("submitted_ts",),
            "naive values are taken as UTC",
        ),
        (
            "aurum.scenario.request.v1-value",
            scenario(asof_date=dt.datetime(2024, 1, 1)),
            ("asof_date",),
            "got a datetime",
        ),
        (
            "aurum.scenario.request.v1-value",
            scenario(unknown_field=1),
            ("unknown_field",),
            "Extra inputs",
        ),
        ("aurum.iso.lmp.v1-value", lmp(lmp=Decimal("12345678")), ("lmp",), "precision 12"),
        ("aurum.iso.lmp.v1-value", lmp(lmp=Decimal("1.123456")), ("lmp",), "scale 5"),
        ("aurum.iso.lmp.v1-value", lmp(congestion=0.5), ("congestion",), "floats are inexact"),
        ("aurum.iso.lmp.v1-value", lmp(lmp=Decimal("NaN")), ("lmp",), "finite"),
        (
            "aurum.iso.lmp.v1-value",
            lmp(location={"latitude": "north", "longitude": 1.0}),
            ("location", "latitude"),
            "valid number",
        ),
        ("aurum.eia.series.v1-value", {}, ("series_id",), "required"),
    ],
    ids=[
        "wrong-type",
        "missing-required",
        "unknown-enum-symbol",
        "timestamp-as-number",
        "datetime-for-date",
        "unknown-field",
        "decimal-precision",
        "decimal-scale",
        "decimal-from-float",
        "decimal-nan",
        "nested-record-via-reference",
        "several-errors",
    ],
)
def test_invalid_payloads_are_refused_with_the_field_path(
    subject: str, payload: dict[str, Any], loc: tuple[Any, ...], message: str
) -> None:
    errors = errors_of(model(subject), payload)
    assert any(e_loc == loc and message in e_msg for e_loc, e_msg in errors), errors


@pytest.mark.parametrize(
    ("changes", "loc", "message"),
    [
        ({"b": 1}, ("b",), "valid boolean"),
        ({"i": True}, ("i",), "valid integer"),
        ({"i": 2**31}, ("i",), "less than or equal to 2147483647"),
        ({"l": -(2**63) - 1}, ("l",), "greater than or equal"),
        ({"i": "1"}, ("i",), "valid integer"),
        ({"f": 1e39}, ("f",), "32-bit"),
        ({"by": "text"}, ("by",), "valid bytes"),
        ({"s": b"bytes"}, ("s",), "valid string"),
        ({"fx": bytes(15)}, ("fx",), "exactly 16 bytes"),
        ({"fx2": "x" * 16}, ("fx2",), "expected bytes of length 16"),
        ({"fdec": Decimal("1e17")}, ("fdec",), "precision 18"),
        ({"tms": dt.time(1, tzinfo=UTC)}, ("tms",), "without timezone"),
        ({"lts": dt.datetime(2024, 1, 1, tzinfo=UTC)}, ("lts",), "pass a naive datetime"),
        ({"id": "not-a-uuid"}, ("id",), "not a UUID"),
        ({"choice": 1.5}, ("choice",), ""),
        ({"class": 5}, ("class",), "valid string"),
        ({"schema": "x"}, ("schema",), "valid integer"),
        ({"inners": [{"x": "y"}]}, ("inners", 0, "x"), "valid integer"),
        ({"scores": {"a": "b"}}, ("scores", "a"), "valid integer"),
        ({"color": "BLUE"}, ("color",), "'RED'"),
    ],
)
def test_every_type_refuses_what_avro_cannot_write(
    changes: dict[str, Any], loc: tuple[Any, ...], message: str
) -> None:
    errors = errors_of(SINK, sink_payload(**changes))
    assert any(e_loc[: len(loc)] == loc and message in e_msg for e_loc, e_msg in errors), errors


# --- accepted values and their normal form -------------------------------------------------------


def test_timestamps_naive_taken_as_utc_aware_converted_and_truncated_to_the_unit() -> None:
    cest = dt.timezone(dt.timedelta(hours=2))
    instance = SINK.model_validate(
        sink_payload(
            tsms=dt.datetime(2024, 1, 2, 3, 4, 5, 678901),
            tsus=dt.datetime(2024, 1, 2, 5, 4, 5, 678901, tzinfo=cest),
        )
    )
    dumped = instance.model_dump()
    assert dumped["tsms"] == dt.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    assert dumped["tsms"].tzinfo is UTC
    assert dumped["tsus"] == dt.datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    assert dumped["tsus"].tzinfo is UTC
    assert dumped["tms"] == dt.time(1, 2, 3, 456000)
    assert dumped["tus"] == dt.time(1, 2, 3, 456789)


def test_logical_values_dump_to_what_both_serializers_take() -> None:
    dumped = SINK.model_validate(sink_payload(dec="2", color="class")).model_dump()
    assert dumped["dec"] == Decimal("2") and str(dumped["dec"]) == "2.000"  # quantized to scale
    assert dumped["fdec"] == Decimal("10.00")
    big = SINK.model_validate(sink_payload(dec=Decimal("1E+5"))).model_dump()["dec"]
    assert str(big) == "100000.000"
    assert dumped["id"] == "12345678-1234-5678-1234-567812345678"
    assert dumped["lts"] == 1704164645000  # local-timestamp-millis: milliseconds, no zone
    assert dumped["ltus"] == 1704164645000000
    assert dumped["color"] == "class" and type(dumped["color"]) is str
    assert dumped["f"] == 1.5


def test_iso_strings_are_accepted_for_dates_and_times() -> None:
    instance = SINK.model_validate(
        sink_payload(day="2024-02-29", tms="10:11:12.345", tsms="2024-01-02T03:04:05+01:00")
    )
    dumped = instance.model_dump()
    assert dumped["day"] == dt.date(2024, 2, 29)
    assert dumped["tms"] == dt.time(10, 11, 12, 345000)
    assert dumped["tsms"] == dt.datetime(2024, 1, 2, 2, 4, 5, tzinfo=UTC)


def test_float_keeps_what_32_bits_keep() -> None:
    assert SINK.model_validate(sink_payload(f=0.1)).model_dump()["f"] == pytest.approx(0.1, 1e-7)
    assert SINK.model_validate(sink_payload(f=0.1)).model_dump()["f"] != 0.1


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, 1), (-(2**31), -(2**31)), ("RED", "RED"), (b"\x01", b"\x01")],
)
def test_unions_take_the_first_branch_that_accepts_the_value(value: Any, expected: Any) -> None:
    assert SINK.model_validate(sink_payload(choice=value)).model_dump()["choice"] == expected


def test_union_of_long_and_double_keeps_integers_integral() -> None:
    assert type(SINK.model_validate(sink_payload(numbers=3)).model_dump()["numbers"]) is int
    assert SINK.model_validate(sink_payload(numbers=3.5)).model_dump()["numbers"] == 3.5


def test_assignment_is_validated_too() -> None:
    instance = SINK.model_validate(sink_payload())
    with pytest.raises(ValidationError):
        instance.i = "x"  # type: ignore[attr-defined]
    instance.tsms = dt.datetime(2024, 1, 1)  # type: ignore[attr-defined]
    assert instance.tsms.tzinfo is UTC  # type: ignore[attr-defined]


def test_uuid_objects_are_accepted() -> None:
    value = uuid.uuid4()
    assert SINK.model_validate(sink_payload(id=value)).model_dump()["id"] == str(value)
