"""Putting an import's files in place: all written first, then moved in, contracts last.

Every file is written under a temporary folder inside the repository root (the same file
system), then each is moved onto its target with an atomic rename, schema files first and
contracts.yml last: a failure while writing leaves the repository as it was, and a failure while
moving leaves every file either old or new, with contracts.yml listing nothing that is missing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from aurum_sr.errors import ConfigError

TEMP_PREFIX = ".aurum-import-"


def check_writable(root: Path) -> None:
    """Fail early, before the registry is read, when nothing can be written under ``root``.

    Raises:
        ConfigError: ``root`` is not a directory, or a file cannot be created in it.
    """
    if not root.is_dir():
        raise ConfigError(
            f"target directory {root} does not exist or is not a directory",
            hint="create it, or pass --root with the repository to import into",
        )
    try:
        probe = tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=root)
    except OSError as exc:
        raise ConfigError(
            f"cannot write to {root}: {exc.strerror or exc}; nothing was written",
            hint="import into a directory you can write to (--root DIR)",
        ) from exc
    os.rmdir(probe)


def write_files(root: Path, files: Mapping[str, str], *, last: str | None = None) -> None:
    """Write ``files`` (repository-relative path → text) under ``root``; ``last`` moves last.

    A folder that does not exist under ``root`` yet is moved in whole (one rename); into one
    that does, each file is moved in on its own.

    Raises:
        ConfigError: a file cannot be written or moved (nothing was moved when writing failed).
    """
    with Staging(root) as staging:
        staging.move_in(files, last=last)


class Staging:
    """A temporary folder under ``root`` that files are written to before they are moved in;
    removed (with whatever is left in it) on :meth:`close`.

    :meth:`write` may run ahead of time, in another process (an import writes its schema files
    while it reads the registry); :meth:`move_in` then writes only what is missing or
    different, and leaves behind what is not to be moved.

    Raises:
        ConfigError: the folder cannot be made.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            self.folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=root))
        except OSError as exc:
            raise ConfigError(
                f"cannot write to {root}: {exc.strerror or exc}; nothing was written",
                hint="import into a directory you can write to (--root DIR)",
            ) from exc
        self._tree = self.folder / "tree"

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, files: Mapping[str, str]) -> None:
        """Write ``files`` (repository-relative path → text) into the staging folder.

        Raises:
            ConfigError: a file cannot be written.
        """
        made: set[Path] = set()
        for rel, text in files.items():
            staged = self._tree / rel
            try:
                if staged.parent not in made:
                    staged.parent.mkdir(parents=True, exist_ok=True)
                    made.add(staged.parent)
                staged.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise ConfigError(
                    f"cannot write {rel} under {self.root}: {exc.strerror or exc}; nothing was "
                    "written",
                    hint="check the free space and permissions of the target directory",
                ) from exc

    def move_in(
        self,
        files: Mapping[str, str],
        *,
        staged: Mapping[str, str] | None = None,
        last: str | None = None,
    ) -> None:
        """Put exactly ``files`` in place under the root, ``last`` moved last. ``staged`` is
        what :meth:`write` wrote already (only those of ``files`` with the same text are kept;
        the others are written now, and staged files not in ``files`` are dropped).

        Raises:
            ConfigError: something is in the way of a file, or a file cannot be written or moved
                (nothing was moved when writing failed).
        """
        staged = staged or {}
        folders: set[Path] = set()  # checked already: thousands of files share a few folders
        for rel in files:
            _check_target(self.root, rel, folders)
        for rel in staged.keys() - files.keys():
            self._drop(rel)
        self.write(
            {
                rel: text
                for rel, text in files.items()
                if rel != last and (rel not in staged or staged[rel] != text)
            }
        )
        if last is not None and last in files:
            held_back = self.folder / "last"
            try:
                held_back.write_text(files[last], encoding="utf-8")
            except OSError as exc:
                raise ConfigError(
                    f"cannot write {last} under {self.root}: {exc.strerror or exc}; nothing "
                    "was written",
                    hint="check the free space and permissions of the target directory",
                ) from exc
        if self._tree.exists():
            _move_tree(self._tree, self.root, self.root)
        if last is not None and last in files:
            _move(self.folder / "last", self.root / last, self.root, last)

    def _drop(self, rel: str) -> None:
        """Remove a staged file, and the folders it leaves empty (none is moved in empty)."""
        (self._tree / rel).unlink(missing_ok=True)
        for parent in Path(rel).parents:
            if parent == Path("."):
                break
            try:
                (self._tree / parent).rmdir()
            except OSError:  # not empty (or gone already)
                break

    def close(self) -> None:
        """Remove the staging folder and anything left in it."""
        shutil.rmtree(self.folder, ignore_errors=True)


def _move_tree(source: Path, target: Path, root: Path) -> None:
    for entry in sorted(source.iterdir()):
        destination = target / entry.name
        if entry.is_dir() and destination.is_dir():
            _move_tree(entry, destination, root)
        else:
            _move(entry, destination, root, destination.relative_to(root).as_posix())


def _move(source: Path, target: Path, root: Path, rel: str) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
    except OSError as exc:
        raise ConfigError(
            f"cannot move {rel} into place under {root}: {exc.strerror or exc}",
            hint="the files moved before it are complete; contracts.yml is moved last",
        ) from exc


def _check_target(root: Path, rel: str, folders: set[Path]) -> None:
    target = root / rel
    if target.is_dir():
        raise ConfigError(
            f"cannot write {rel}: a directory of that name exists under {root}; "
            "nothing was written",
            hint="move the directory away, or import into another --root",
        )
    for parent in Path(rel).parents:
        if parent in folders:
            break  # and so were the ones above it
        folders.add(parent)
        if parent != Path(".") and (root / parent).exists() and not (root / parent).is_dir():
            raise ConfigError(
                f"cannot write {rel}: {parent.as_posix()} is a file under {root}; "
                "nothing was written",
                hint="move the file away, or import into another --root",
            )
