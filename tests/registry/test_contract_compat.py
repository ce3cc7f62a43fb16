"""Contract tests that need real compatibility verdicts (register enforcing the level, the
registry's compatibility test), given by ``aurum_sr.compat.check``."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aurum_sr.errors import IncompatibleSchemaError
from aurum_sr.model import CompatibilityLevel
from aurum_sr.registry.protocol import Registry
from tests.registry.helpers import V1, record

Names = Callable[[str], str]

ID_AS_STRING = record("Order", ("id", "string"))
NEW_REQUIRED = record("Order", ("id", "long"), ("qty", "int"))


def test_incompatible_register_is_refused(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    registry.register(s, V1)
    with pytest.raises(IncompatibleSchemaError) as info:
        registry.register(s, ID_AS_STRING)
    assert info.value.http_status == 409
    assert s in str(info.value)
    assert registry.list_versions(s) == [1]


def test_registry_compatibility_test_explains(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    registry.register(s, V1)
    verdict = registry.test_compatibility(s, NEW_REQUIRED)
    assert not verdict.is_compatible
    assert verdict.messages


def test_subject_level_wins_over_global(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    registry.register(s, V1)
    registry.set_compatibility(CompatibilityLevel.NONE, s)
    assert registry.register(s, ID_AS_STRING).version == 2


def test_transitive_levels_check_every_live_version(registry: Registry, names: Names) -> None:
    s = names("orders-value")
    registry.register(s, record("Order", ("id", "long")))
    registry.register(s, record("Order", ("id", "long"), ("note", "string", "")))
    required = record("Order", ("id", "long"), ("note", "string"))
    registry.set_compatibility(CompatibilityLevel.BACKWARD_TRANSITIVE, s)
    # Compatible with version 2 (it writes ``note``), not with version 1 (it does not).
    assert registry.test_compatibility(s, required, version=2).is_compatible
    with pytest.raises(IncompatibleSchemaError):
        registry.register(s, required)
    # A soft-deleted version no longer counts.
    registry.delete_version(s, 1)
    assert registry.register(s, required).version == 3
