"""Putting an import's files in place: a file in the way of any folder stops everything."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurum_sr.adopt.files import Staging, write_files
from aurum_sr.errors import ConfigError
from tests.adopt.roundtrip import files_under


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


def test_staged_files_are_kept_rewritten_or_dropped_as_the_final_files_say(
    tmp_path: Path,
) -> None:
    staged = {"schemas/a/kept.avsc": "k\n", "schemas/a/old.avsc": "o\n", "schemas/b/gone.avsc": "g"}
    with Staging(tmp_path) as staging:
        staging.write(staged)
        final = {"schemas/a/kept.avsc": "k\n", "schemas/a/old.avsc": "new\n", "c.yml": "c\n"}
        staging.move_in(final, staged=staged, last="c.yml")
    assert files_under(tmp_path) == {p: t.encode() for p, t in final.items()}
    assert not (tmp_path / "schemas/b").exists()  # no folder moved in empty


def test_a_staging_folder_is_removed_whatever_happens(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), Staging(tmp_path) as staging:
        staging.write({"schemas/x.avsc": "x"})
        raise RuntimeError
    assert list(tmp_path.iterdir()) == []
