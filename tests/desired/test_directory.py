"""Directory mode (--schema-dir): .avsc files without contracts, named by record full name."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurum_sr.desired.directory import load_schema_dir
from aurum_sr.errors import DesiredStateError


def _write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_subjects_are_full_names_and_a_warning_says_contracts_are_off(tmp_path: Path) -> None:
    _write(
        tmp_path, "s/a.avsc", '{"type": "record", "name": "A", "namespace": "x.y", "fields": []}'
    )
    _write(tmp_path, "s/deep/b.avsc", '{"type": "enum", "name": "x.B", "symbols": ["ONE"]}')
    loaded = load_schema_dir(tmp_path / "s", root=tmp_path)
    assert list(loaded.state.subjects) == ["x.B", "x.y.A"]
    spec = loaded.state.subjects["x.y.A"]
    assert spec.schema_file == "s/a.avsc" and spec.compatibility is None and spec.mode is None
    assert loaded.state.owned_prefixes == ()
    assert [d.rule for d in loaded.warnings] == ["no-contracts"]
    assert "not being enforced" in loaded.warnings[0].message


@pytest.mark.parametrize(
    ("files", "rule", "where"),
    [
        ({}, "schema-dir", "s"),
        ({"a.avsc": "{not json"}, "schema-json", "s/a.avsc:1:2"),
        ({"a.avsc": '"string"'}, "unnamed-schema", "s/a.avsc:1:1"),
        (
            {
                "a.avsc": '{"type": "record", "name": "A", '
                '"fields": [{"name": "f", "type": "Nope"}]}'
            },
            "invalid-avro",
            "s/a.avsc:1:1",
        ),
        (
            {
                "a.avsc": '{"type": "record", "name": "A", "fields": []}',
                "b.avsc": '{"type": "record", "name": "A", "fields": []}',
            },
            "duplicate-subject",
            "s/b.avsc:1:1",
        ),
    ],
    ids=["empty", "not-json", "unnamed", "invalid", "duplicate"],
)
def test_every_problem_names_the_file(
    tmp_path: Path, files: dict[str, str], rule: str, where: str
) -> None:
    (tmp_path / "s").mkdir()
    for name, text in files.items():
        _write(tmp_path / "s", name, text)
    with pytest.raises(DesiredStateError) as caught:
        load_schema_dir(tmp_path / "s", root=tmp_path)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.rule == rule and diagnostic.location.startswith(where), diagnostic
