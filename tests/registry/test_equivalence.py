"""Every backend gives the same answers to the same sequence of operations (Hypothesis)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.errors import RegistryError
from aurum_sr.model import CompatibilityLevel, Mode, RegisteredSchema
from aurum_sr.registry.http import HttpRegistry
from aurum_sr.registry.memory import InMemoryRegistry
from aurum_sr.registry.protocol import Registry
from aurum_sr.registry.snapshot import SnapshotRegistry
from aurum_sr.testing import RegistryServer
from tests.factories import NO_RETRY
from tests.registry.helpers import V1, V2, V3, record

SUBJECTS = ["a-value", "b-value"]
SCHEMAS = [V1, V2, V3, record("Order", ("id", "string"))]
Op = Callable[[Registry], Any]

subject = st.sampled_from(SUBJECTS)
maybe_subject = st.one_of(st.none(), subject)
operation = st.one_of(
    st.builds(lambda s, i: ("register", s, i), subject, st.integers(0, len(SCHEMAS) - 1)),
    st.builds(
        lambda s, v, p: ("delete_version", s, v, p), subject, st.integers(1, 4), st.booleans()
    ),
    st.builds(lambda s, p: ("delete_subject", s, p), subject, st.booleans()),
    st.builds(
        lambda lv, s: ("set_compatibility", lv, s),
        st.sampled_from(list(CompatibilityLevel)),
        maybe_subject,
    ),
    st.builds(lambda s: ("delete_compatibility", s), subject),
    st.builds(
        lambda m, s: ("set_mode", m, s), st.sampled_from([Mode.READWRITE, Mode.READONLY]), subject
    ),
    st.builds(lambda s: ("delete_mode", s), subject),
)


def apply(reg: Registry, op: tuple[Any, ...]) -> object:
    name, *args = op
    try:
        if name == "register":
            result: object = reg.register(args[0], SCHEMAS[args[1]])
        elif name == "delete_version":
            result = reg.delete_version(args[0], args[1], permanent=args[2])
        elif name == "delete_subject":
            result = reg.delete_subject(args[0], permanent=args[1])
        else:
            result = getattr(reg, name)(*args)
    except RegistryError as exc:
        # What the registry said travels over the wire unchanged: the in-process backends and
        # the HTTP client agree on it as on the code.
        return (type(exc).__name__, exc.error_code, exc.http_status, exc.registry_message)
    if isinstance(result, RegisteredSchema):
        return (result.subject, result.version, result.schema_id)
    return result


@settings(max_examples=40, deadline=None)
@given(st.lists(operation, max_size=12))
def test_backends_agree(ops: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp, RegistryServer() as server:
        backends: list[Registry] = [
            InMemoryRegistry(),
            SnapshotRegistry(Path(tmp) / "r.json", create=True),
            HttpRegistry(SchemaRegistryConfig(base_url=server.url), policy=NO_RETRY),
        ]
        for op in ops:
            answers = [apply(reg, op) for reg in backends]
            assert answers[0] == answers[1] == answers[2], op
        states = [reg.read_state(SUBJECTS, list_prefixes=[""]) for reg in backends]
        assert states[0].subjects == states[1].subjects == states[2].subjects
        assert (
            states[0].global_compatibility
            == states[1].global_compatibility
            == states[2].global_compatibility
        )
        backends[2].close()


def test_readonly_delete_of_a_missing_setting_agrees() -> None:
    with tempfile.TemporaryDirectory() as tmp, RegistryServer() as server:
        backends: list[Registry] = [
            InMemoryRegistry(),
            SnapshotRegistry(Path(tmp) / "r.json", create=True),
            HttpRegistry(SchemaRegistryConfig(base_url=server.url)),
        ]
        for reg in backends:
            reg.set_mode(Mode.READONLY, "a-value")
        answers = [apply(reg, ("delete_compatibility", "a-value")) for reg in backends]
        assert answers[0] == answers[1] == answers[2]
        assert isinstance(answers[0], tuple)
        assert answers[0][:3] == ("OperationNotPermittedError", 42205, 422)
