"""read_state(latest_only=True): the latest live version alone, the same on every backend."""

from __future__ import annotations

import pytest

from aurum_sr.model import LiveState, SubjectState
from aurum_sr.registry.memory import InMemoryRegistry
from aurum_sr.testing import RegistryServer, ServerOptions
from tests.registry.test_http import LEGACY, _populate, client

WANTED = ["a-value", "b-value", "gone-value", "t.Address", "never-value"]


def latest_of(state: SubjectState) -> SubjectState | None:
    """What a latest-only read must hold, derived from a full read."""
    kept = state.live_versions[-1:]
    if not kept and state.compatibility is None and state.mode is None:
        return None
    return SubjectState(
        state.subject, kept, state.compatibility, state.mode, history_complete=False
    )


def expected_from(full: LiveState) -> dict[str, SubjectState]:
    out = {}
    for name, state in full.subjects.items():
        partial = latest_of(state)
        if partial is not None:
            out[name] = partial
    return out


@pytest.mark.parametrize(
    "options",
    [
        LEGACY,
        ServerOptions(deleted_flag=False),
        ServerOptions(server_version="8.1.0"),
        ServerOptions(honours_latest_only=False),
        ServerOptions(honours_paging=False, honours_latest_only=False),
    ],
    ids=["cp5.5", "cp7", "cp8", "ignores-latestOnly", "karapace-like"],
)
def test_latest_only_holds_the_latest_live_version_on_every_server(
    options: ServerOptions,
) -> None:
    with RegistryServer(options=options) as srv:
        reg = client(srv.url)
        _populate(reg)
        full = reg.read_state(WANTED, list_prefixes=[""])
        partial = reg.read_state(WANTED, list_prefixes=[""], latest_only=True)
    assert dict(partial.subjects) == expected_from(full)
    assert "gone-value" not in partial.subjects  # only soft-deleted versions: not read
    assert [v.version for v in partial.subjects["a-value"].versions] == [3]
    assert partial.other_subjects == full.other_subjects == ("z-value",)
    assert all(not s.history_complete for s in partial.subjects.values())
    assert all(s.history_complete for s in full.subjects.values())


def test_the_local_backend_agrees_with_the_server() -> None:
    local = InMemoryRegistry()
    _populate(local)  # type: ignore[arg-type]
    full = local.read_state(WANTED, list_prefixes=[""])
    partial = local.read_state(WANTED, list_prefixes=[""], latest_only=True)
    assert dict(partial.subjects) == expected_from(full)
    with RegistryServer() as srv:
        reg = client(srv.url)
        _populate(reg)
        remote = reg.read_state(WANTED, list_prefixes=[""], latest_only=True)
    assert remote.subjects == partial.subjects


def test_bulk_latest_only_asks_for_the_latest_live_versions() -> None:
    with RegistryServer() as srv:
        reg = client(srv.url)
        _populate(reg)
        srv.reset_requests()
        reg.read_state(WANTED, list_prefixes=[""], latest_only=True, modes_for=())
        listings = [p for _, p in srv.requests if p.startswith("/schemas?")]
    assert listings and all("latestOnly=true" in p for p in listings)
    assert not any("deleted=true" in p for p in listings)


def test_legacy_latest_only_reads_one_latest_version_per_live_subject() -> None:
    with RegistryServer(options=LEGACY) as srv:
        reg = client(srv.url)
        _populate(reg)
        reg.read_state(["a-value"], modes_for=())  # learn there is no bulk listing
        srv.reset_requests()
        reg.read_state(WANTED, latest_only=True, modes_for=())
        reads = [p for _, p in srv.requests if "/versions" in p]
    assert sorted(reads) == [
        "/subjects/a-value/versions/latest",
        "/subjects/b-value/versions/latest",
        "/subjects/t.Address/versions/latest",
    ]
