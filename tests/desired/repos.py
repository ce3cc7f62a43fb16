"""Small repositories (contracts.yml + schema files) for tests, written into a directory."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

GEO: dict[str, object] = {
    "type": "record",
    "name": "Geo",
    "namespace": "shop",
    "doc": "A point.",
    "fields": [{"name": "lat", "type": "double", "doc": "Degrees north."}],
}
ORDER: dict[str, object] = {
    "type": "record",
    "name": "Order",
    "namespace": "shop",
    "doc": "An order.",
    "fields": [
        {"name": "order_id", "type": "string", "doc": "Order id."},
        {"name": "geo", "type": "shop.Geo", "doc": "Where."},
    ],
}

# Line numbers below are what the tests assert on: keep them in sync.
HEAD = """\
format_version: 1
subjects:
  - subject: shop.Geo
    schema: schemas/geo.avsc
    naming_strategy: record
"""
"""Lines 1-5: one valid record-named subject."""

Files = Mapping[str, str | dict[str, object]]
RepoFactory = Callable[..., Path]
"""The ``repo`` fixture: ``repo(contracts, files) -> root``."""


def write_repo(root: Path, contracts: str, files: Files | None = None) -> Path:
    """Write contracts/contracts.yml and ``files`` (dicts become pretty JSON) under ``root``."""
    (root / "contracts").mkdir(parents=True, exist_ok=True)
    (root / "contracts" / "contracts.yml").write_text(contracts, encoding="utf-8")
    all_files: dict[str, str | dict[str, object]] = {"schemas/geo.avsc": GEO}
    all_files.update(files or {})
    for rel, content in all_files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else json.dumps(content, indent=2)
        path.write_text(text, encoding="utf-8")
    return root
