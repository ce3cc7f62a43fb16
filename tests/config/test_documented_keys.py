"""docs/configuration.md documents every key the configuration file accepts."""

from __future__ import annotations

import re
from pathlib import Path

from aurum_sr.config import _FIELDS

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def test_every_config_key_is_in_the_key_table() -> None:
    table = DOC.read_text(encoding="utf-8").split("## Every key", 1)[1]
    documented = set(re.findall(r"^\| `\[?([a-z_]+)\]?`(?:, `([a-z_]+)`)?", table, re.MULTILINE))
    names = {name for row in documented for name in row if name}
    assert set(_FIELDS) - names == set()
