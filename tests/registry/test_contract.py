"""The registry contract: every backend behaves like the Confluent Schema Registry.

Runs against the in-memory engine, the snapshot file, HttpRegistry over the in-process server,
and (``integration``) HttpRegistry against a real Confluent Schema Registry. Verdicts that need
the compatibility checker proper live in ``test_contract_compat.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aurum_sr.canonical import same_schema
from aurum_sr.errors import (
    InvalidSchemaError,
    OperationNotPermittedError,
    ReferencedSchemaError,
    RegistryError,
    SchemaNotFoundError,
    SubjectNotFoundError,
    VersionNotFoundError,
)
from aurum_sr.model import CompatibilityLevel, Mode, Schema
from aurum_sr.registry.protocol import Registry
from tests.registry.helpers import ADDRESS, V1, V2, V3, record, respaced, with_address

Names = Callable[[str], str]


def test_first_register_creates_version_one(registry: Registry, names: Names) -> None:
    assert isinstance(registry, Registry)
    s = names("orders-value")
    got = registry.register(s, V1)
    assert got.version == 1
    assert got.subject == s
    assert registry.list_versions(s) == [1]
    latest = registry.get_version(s, "latest")
    assert latest.schema_id == got.schema_id
    assert same_schema(latest.schema, V1)


def test_equal_content_returns_the_existing_version(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    first = registry.register(s, V1)
    again = registry.register(s, respaced(V1))
    assert (again.version, again.schema_id) == (first.version, first.schema_id)
    assert registry.list_versions(s) == [1]


def test_identical_content_shares_one_id_across_subjects(registry: Registry, names: Names) -> None:
    a = registry.register(names("a-value"), V1)
    b = registry.register(names("b-value"), respaced(V1))
    assert a.schema_id == b.schema_id
    assert b.version == 1


def test_doc_change_is_a_new_version(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    registry.register(s, V1)
    documented = record("Order", ("id", "long"), doc="An order.")
    second = registry.register(s, documented)
    assert second.version == 2


def test_older_content_returns_older_version_and_keeps_latest(
    registry: Registry, names: Names
) -> None:
    s = names("orders-value")
    registry.register(s, V1)
    v2 = registry.register(s, V2)
    back = registry.register(s, V1)
    assert back.version == 1
    assert registry.get_version(s, "latest").version == v2.version
    assert registry.list_versions(s) == [1, 2]


def test_new_version_counts_soft_deleted_versions(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    registry.register(s, V1)
    registry.register(s, V2)
    assert registry.delete_version(s, 2) == 2
    third = registry.register(s, V3)
    assert third.version == 3
    assert registry.list_versions(s) == [1, 3]
    assert registry.list_versions(s, deleted=True) == [1, 2, 3]


def test_get_by_id_and_unknown_id(registry: Registry, names: Names) -> None:
    got = registry.register(names("orders-value"), V1)
    assert same_schema(registry.get_schema_by_id(got.schema_id), V1)
    with pytest.raises(SchemaNotFoundError):
        registry.get_schema_by_id(987654)


def test_unknown_subject_and_version(registry: Registry, names: Names) -> None:
    with pytest.raises(SubjectNotFoundError):
        registry.list_versions(names("missing-value"))
    with pytest.raises(SubjectNotFoundError):
        registry.get_version(names("missing-value"), 1)
    s = names("orders-value")
    registry.register(s, V1)
    with pytest.raises(VersionNotFoundError):
        registry.get_version(s, 7)


def test_invalid_avro_is_refused(registry: Registry, names: Names) -> None:
    bad = Schema('{"type": "record", "name": "X", "fields": [{"name": "a", "type": "nope"}]}')
    with pytest.raises(InvalidSchemaError) as info:
        registry.register(names("bad-value"), bad)
    assert info.value.error_code == 42201
    with pytest.raises(SubjectNotFoundError):
        registry.list_versions(names("bad-value"))


@pytest.mark.parametrize(
    "field",
    [("n", "int", "x"), ("n", ["null", "long"], 1)],
    ids=["default-of-the-wrong-type", "union-default-of-a-later-branch"],
)
def test_invalid_field_default_is_refused(
    registry: Registry, names: Names, field: tuple[str, object, object]
) -> None:
    # As a registry on Avro 1.11 (Confluent Platform 7.x) validates new schemas.
    with pytest.raises(InvalidSchemaError) as info:
        registry.register(names("default-value"), record("D", field))
    assert info.value.error_code == 42201


def test_lookup(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    assert registry.lookup(s, V1) is None
    registry.register(s, V1)
    registry.register(s, V2)
    found = registry.lookup(s, respaced(V1))
    assert found is not None and found.version == 1
    assert registry.lookup(s, V3) is None


def test_soft_delete_hides_and_keeps_the_id(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    got = registry.register(s, V1)
    assert registry.delete_subject(s) == [1]
    assert s not in registry.list_subjects()
    assert s in registry.list_subjects(deleted=True)
    with pytest.raises(SubjectNotFoundError):
        registry.get_version(s, 1)
    hidden = registry.get_version(s, 1, deleted=True)
    assert hidden.deleted
    assert same_schema(registry.get_schema_by_id(got.schema_id), V1)
    assert registry.lookup(s, V1) is None


def test_permanent_delete_needs_a_soft_delete_first(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    registry.register(s, V1)
    registry.register(s, V2)
    with pytest.raises(RegistryError) as info:
        registry.delete_version(s, 2, permanent=True)
    assert info.value.error_code == 40407
    registry.delete_version(s, 2)
    assert registry.delete_version(s, 2, permanent=True) == 2
    assert registry.list_versions(s, deleted=True) == [1]
    with pytest.raises(RegistryError) as info:
        registry.delete_subject(s, permanent=True)
    assert info.value.error_code == 40405
    registry.delete_subject(s)
    assert registry.delete_subject(s, permanent=True) == [1]
    assert s not in registry.list_subjects(deleted=True)


def test_references_must_exist_and_block_deletes(registry: Registry, names: Names) -> None:
    address, customer = names("t.Address"), names("customer-value")
    with pytest.raises(InvalidSchemaError):
        registry.register(customer, with_address(subject=address))
    registry.register(address, ADDRESS)
    got = registry.register(customer, with_address(subject=address))
    assert got.schema.references[0].subject == address
    with pytest.raises(ReferencedSchemaError) as info:
        registry.delete_subject(address)
    assert info.value.error_code == 42206
    with pytest.raises(ReferencedSchemaError):
        registry.delete_version(address, 1)


def test_referenced_by_names_the_live_referrers(registry: Registry, names: Names) -> None:
    address, customer, shop = names("t.Address"), names("customer-value"), names("shop-value")
    registry.register(address, ADDRESS)
    assert registry.referenced_by(address, 1) == []
    registry.register(customer, with_address(subject=address))
    registry.register(shop, with_address(subject=address))
    assert registry.referenced_by(address, 1) == sorted([(customer, 1), (shop, 1)])
    registry.delete_subject(shop)
    assert registry.referenced_by(address, 1) == [(customer, 1)]
    with pytest.raises(VersionNotFoundError):
        registry.referenced_by(address, 9)
    with pytest.raises(SubjectNotFoundError):
        registry.referenced_by(names("nobody-value"), 1)


def test_compatibility_settings(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    glob = registry.get_compatibility()
    assert glob is not None
    assert registry.get_compatibility(s) is None
    assert registry.get_compatibility(s, default_to_global=True) is glob
    registry.set_compatibility(CompatibilityLevel.FULL_TRANSITIVE, s)
    assert registry.get_compatibility(s) is CompatibilityLevel.FULL_TRANSITIVE
    registry.delete_compatibility(s)
    assert registry.get_compatibility(s) is None
    registry.set_compatibility(CompatibilityLevel.NONE)
    try:
        assert registry.get_compatibility() is CompatibilityLevel.NONE
        assert registry.get_compatibility(s, default_to_global=True) is CompatibilityLevel.NONE
    finally:
        registry.set_compatibility(glob)


def test_mode_settings_and_readonly(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    registry.register(s, V1)
    assert registry.get_mode(s) is None
    assert registry.get_mode(s, default_to_global=True) is Mode.READWRITE
    registry.set_mode(Mode.READONLY, s)
    assert registry.get_mode(s) is Mode.READONLY
    # Existing content is answered even in READONLY; new content is refused.
    assert registry.register(s, respaced(V1)).version == 1
    with pytest.raises(OperationNotPermittedError) as info:
        registry.register(s, V2)
    assert info.value.error_code == 42205
    with pytest.raises(OperationNotPermittedError):
        registry.delete_subject(s)
    registry.delete_mode(s)
    assert registry.get_mode(s) is None
    assert registry.register(s, V2).version == 2


def test_import_mode_takes_explicit_ids(registry: Registry, names: Names) -> None:
    s = names("imported-value")
    registry.set_mode(Mode.IMPORT, s)
    got = registry.register(s, V1, schema_id=4242, version=7)
    assert (got.schema_id, got.version) == (4242, 7)
    registry.set_mode(Mode.READWRITE, s)
    with pytest.raises(OperationNotPermittedError):
        registry.register(s, V2, schema_id=5000)
    assert registry.register(s, V2).version == 8


def test_import_mode_refused_while_subject_has_versions(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    registry.register(s, V1)
    with pytest.raises(OperationNotPermittedError):
        registry.set_mode(Mode.IMPORT, s)
    registry.set_mode(Mode.IMPORT, s, force=True)
    assert registry.get_mode(s) is Mode.IMPORT


def test_registry_compatibility_test_is_compatible(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    assert registry.test_compatibility(s, V1).is_compatible  # nothing to compare with
    registry.register(s, V1)
    assert registry.test_compatibility(s, V2).is_compatible
    assert registry.test_compatibility(s, V2, version=1).is_compatible


def test_read_state(registry: Registry, names: Names) -> None:
    a, b, other, never = (names(x) for x in ("a-value", "b-value", "z-value", "never-value"))
    registry.register(a, V1)
    registry.register(a, V2)
    registry.delete_version(a, 2)
    registry.register(b, V1)
    registry.set_compatibility(CompatibilityLevel.FULL, b)
    registry.set_mode(Mode.READONLY, b)
    registry.register(other, V3)
    state = registry.read_state([a, b, never], list_prefixes=[names("")])
    assert set(state.subjects) == {a, b}
    sa, sb = state.subjects[a], state.subjects[b]
    assert [(v.version, v.deleted) for v in sa.versions] == [(1, False), (2, True)]
    assert sa.latest is not None and sa.latest.version == 1
    assert sa.compatibility is None and sa.mode is None
    assert sb.compatibility is CompatibilityLevel.FULL and sb.mode is Mode.READONLY
    assert sb.versions[0].schema_id == sa.versions[0].schema_id
    assert state.other_subjects == (other,)
    assert state.effective_compatibility(b) is CompatibilityLevel.FULL
    assert state.global_mode is Mode.READWRITE


def test_subject_names_are_percent_encoded(registry: Registry, names: Names) -> None:
    s = names("team/orders:v1 value%")
    got = registry.register(s, V1)
    assert registry.get_version(s, "latest").schema_id == got.schema_id
    assert s in registry.list_subjects()


def test_status_counts(registry: Registry, names: Names, backend: str) -> None:
    registry.register(names("a-value"), V1)
    registry.register(names("b-value"), V1)
    registry.register(names("b-value"), V2)
    status = registry.status()
    assert status.reachable
    if backend != "confluent":  # a shared real registry holds other tests' subjects
        assert (status.total_subjects, status.total_schemas) == (2, 2)
    assert status.global_compatibility is not None
    assert registry.request_count > 0


def test_read_state_reads_modes_only_when_asked(registry: Registry, names: Names) -> None:
    a, b = names("a-value"), names("b-value")
    registry.register(a, V1)
    registry.register(b, V1)
    registry.set_mode(Mode.READONLY, a)
    registry.set_mode(Mode.READONLY, b)
    state = registry.read_state([a, b], modes_for=[b])
    assert state.subjects[a].mode is None
    assert state.subjects[b].mode is Mode.READONLY


def test_an_unconfirmed_registration_is_confirmed_by_a_read_back(
    registry: Registry, names: Names
) -> None:
    s = names("orders-value")
    registry.register(s, V1)
    answer = registry.register_unconfirmed(s, V2)
    assert answer.subject == s and answer.version in (None, 2)
    held = registry.confirm_registration(answer, V2)
    assert (held.version, held.schema_id) == (2, answer.schema_id)
    # An answer the registry does not hold (another id) is not confirmed.
    wrong = type(answer)(s, answer.schema_id + 1000, None)
    with pytest.raises(RegistryError, match="not stored"):
        registry.confirm_registration(wrong, V2)


def test_latest_versions_from_the_bulk_listing(registry: Registry, names: Names) -> None:
    a, b, gone = names("a-value"), names("b-value"), names("gone-value")
    registry.register(a, V1)
    registry.register(a, V2)
    registry.register(b, V1)
    registry.register(gone, V1)
    registry.delete_subject(gone)
    registry.read_state([a, b])  # a run finds out whether the bulk listing works
    latest = registry.latest_versions([a, b, gone, names("never-value")])
    if not registry.lists_in_bulk():
        assert latest is None
        return
    assert latest is not None
    assert {s: (v.version, v.schema_id) for s, v in latest.items()} == {
        a: (2, registry.get_version(a, 2).schema_id),
        b: (1, registry.get_version(b, 1).schema_id),
    }
