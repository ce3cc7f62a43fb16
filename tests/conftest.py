"""Shared fixtures: the in-process registry server plugin and the test factories' fixtures."""

from collections.abc import Iterator

import pytest

from tests.factories import seeded_server

pytest_plugins = ["aurum_sr.testing.plugin"]

__all__ = ["seeded_server"]


@pytest.fixture(autouse=True)
def _no_forced_color(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """FORCE_COLOR in the environment running the tests would color every captured output."""
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    yield
