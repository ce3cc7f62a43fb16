"""Putting an import's files in place: a file in the way of any folder stops everything."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurum_sr.adopt.files import write_files
from aurum_sr.errors import ConfigError


def test_files_sharing_folders_are_all_written(tmp_path: Path) -> None:
    files = {f"schemas/a/b/{i}.avsc": f"{i}\n" for i in range(3)} | {"c.yml": "c\n"}
    write_files(tmp_path, files, last="c.yml")
    assert {p: (tmp_path / p).read_text() for p in files} == files
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".aurum")] == []


@pytest.mark.parametrize("blocker", ["schemas", "schemas/a", "schemas/a/b"])
def test_a_file_where_a_folder_goes_writes_nothing(tmp_path: Path, blocker: str) -> None:
    (tmp_path / blocker).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / blocker).write_text("in the way")
    # The first file's folders are free; the one behind the blocker comes later.
    files = {"schemas/x.avsc": "x\n"} if blocker != "schemas" else {}
    files |= {"schemas/a/b/y.avsc": "y\n", "c.yml": "c\n"}
    with pytest.raises(ConfigError, match=f"{blocker} is a file under"):
        write_files(tmp_path, files, last="c.yml")
    assert not (tmp_path / "c.yml").exists() and not (tmp_path / "schemas/x.avsc").exists()
