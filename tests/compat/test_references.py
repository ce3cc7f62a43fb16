"""Schemas referencing named types of other subjects are checked with those types resolved."""

from __future__ import annotations

import json

import pytest

from aurum_sr.compat import check, describe_changes
from aurum_sr.errors import SchemaInputError
from aurum_sr.model import CompatibilityLevel as L
from aurum_sr.model import Schema, SchemaReference
from tests.compat.schemas import field, record

GEO_V1 = record(field("lat", "double"), field("lon", "double"), name="Geo", namespace="common")
GEO_V2 = record(
    field("lat", "double"),
    field("lon", "double"),
    field("alt", "double"),
    name="Geo",
    namespace="common",
)
STORE: dict[tuple[str, int], Schema] = {
    ("geo", 1): Schema(json.dumps(GEO_V1)),
    ("geo", 2): Schema(json.dumps(GEO_V2)),
}


def resolve(ref: SchemaReference) -> Schema:
    return STORE[(ref.subject, ref.version)]


def station(geo_version: int) -> Schema:
    text = json.dumps(record(field("id", "string"), field("where", "common.Geo"), name="Station"))
    return Schema(text, references=(SchemaReference("common.Geo", "geo", geo_version),))


def test_reference_evolution_is_checked_through_the_resolved_type() -> None:
    result = check(station(2), [station(1)], L.BACKWARD, resolver=resolve)
    assert not result.is_compatible
    [change] = result.breaking_changes
    assert change.field_path == "Station.where.alt"
    assert check(station(2), [station(1)], L.FORWARD, resolver=resolve).is_compatible
    assert check(station(1), [station(1)], L.FULL, resolver=resolve).is_compatible


def test_reference_changes_are_listed() -> None:
    changes = describe_changes(station(1), station(2), resolver=resolve)
    assert [(c.kind, c.field_path) for c in changes] == [("field_added", "Station.where.alt")]


def test_missing_resolver_is_a_clear_error() -> None:
    with pytest.raises(SchemaInputError, match="no referenced schemas were given"):
        check(station(2), [station(1)], L.BACKWARD)


def test_cache_keys_on_resolved_content() -> None:
    # The same reference resolved by another registry to different content must not hit the cache.
    other = {("geo", 1): Schema(json.dumps(GEO_V1)), ("geo", 2): Schema(json.dumps(GEO_V1))}
    assert not check(station(2), [station(1)], L.BACKWARD, resolver=resolve).is_compatible
    result = check(
        station(2), [station(1)], L.BACKWARD, resolver=lambda r: other[(r.subject, r.version)]
    )
    assert result.is_compatible
