"""Shared fixtures: the in-process registry server of :mod:`aurum_sr.testing`."""

from collections.abc import Iterator

import pytest

from aurum_sr.testing import registry_server

__all__ = ["registry_server"]


@pytest.fixture(autouse=True)
def _no_forced_color(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """FORCE_COLOR in the environment running the tests would color every captured output."""
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    yield
