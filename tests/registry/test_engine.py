"""Engine rules that the contract suite does not reach through the protocol."""

from __future__ import annotations

import pytest

from aurum_sr.errors import OperationNotPermittedError
from aurum_sr.model import Mode
from aurum_sr.registry.engine import RegistryEngine
from tests.registry.helpers import V1, V2, respaced


def test_reregistering_soft_deleted_content_reuses_the_id_and_drops_the_old_record() -> None:
    engine = RegistryEngine()
    first = engine.register("a-value", V1)
    engine.register("a-value", V2)
    engine.delete_version("a-value", 1)
    again = engine.register("a-value", respaced(V1))
    assert again.schema_id == first.schema_id
    assert again.version == 3
    assert engine.list_versions("a-value", deleted=True) == [2, 3]


def test_import_refuses_an_id_held_by_other_content() -> None:
    engine = RegistryEngine()
    held = engine.register("a-value", V1)
    engine.set_mode(Mode.IMPORT, "b-value")
    with pytest.raises(OperationNotPermittedError) as info:
        engine.register("b-value", V2, schema_id=held.schema_id)
    assert info.value.error_code == 42205
    same = engine.register("b-value", V1, schema_id=held.schema_id, version=3)
    assert (same.schema_id, same.version) == (held.schema_id, 3)


def test_new_ids_continue_above_imported_ids() -> None:
    engine = RegistryEngine()
    engine.set_mode(Mode.IMPORT, "a-value")
    engine.register("a-value", V1, schema_id=100)
    engine.delete_mode("a-value")
    assert engine.register("b-value", V2).schema_id == 101


def test_global_readonly_override_beats_subject_mode() -> None:
    engine = RegistryEngine()
    engine.set_mode(Mode.READWRITE, "a-value")
    engine.set_mode(Mode.READONLY_OVERRIDE)
    with pytest.raises(OperationNotPermittedError):
        engine.register("a-value", V1)
