"""The ``repo`` fixture: a small repository in ``tmp_path``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.desired.repos import Files, RepoFactory, write_repo


@pytest.fixture
def repo(tmp_path: Path) -> RepoFactory:
    """``repo(contracts, files)`` writes a repository in ``tmp_path`` and returns its root."""

    def make(contracts: str, files: Files | None = None) -> Path:
        return write_repo(tmp_path / "repo", contracts, files)

    return make
