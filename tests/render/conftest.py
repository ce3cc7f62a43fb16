"""Rendered documents name the aurum-sr version that made them; golden tests use
``pinned_version`` so a release does not rewrite every golden file."""

from __future__ import annotations

import pytest

GOLDEN_VERSION = "0.0.0+golden"


@pytest.fixture
def pinned_version(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("aurum_sr.plan.document", "aurum_sr.render.json", "aurum_sr.render.apply"):
        monkeypatch.setattr(f"{module}.__version__", GOLDEN_VERSION)
