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

    Raises:
        ConfigError: a file cannot be written or moved (nothing was moved when writing failed).
    """
    for rel in files:
        _check_target(root, rel)
    try:
        staging = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=root))
    except OSError as exc:
        raise ConfigError(
            f"cannot write to {root}: {exc.strerror or exc}; nothing was written",
            hint="import into a directory you can write to (--root DIR)",
        ) from exc
    names = list(files)
    try:
        for index, (rel, text) in enumerate(files.items()):
            staged = staging / str(index)
            try:
                staged.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise ConfigError(
                    f"cannot write {rel} under {root}: {exc.strerror or exc}; nothing was written",
                    hint="check the free space and permissions of the target directory",
                ) from exc
        for index in sorted(range(len(names)), key=lambda i: names[i] == last):
            rel = names[index]
            target = root / rel
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / str(index), target)
            except OSError as exc:
                raise ConfigError(
                    f"cannot move {rel} into place under {root}: {exc.strerror or exc}",
                    hint="files moved before it are complete; contracts.yml was "
                    + ("not changed" if last is not None and rel != last else "being written"),
                ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_target(root: Path, rel: str) -> None:
    target = root / rel
    if target.is_dir():
        raise ConfigError(
            f"cannot write {rel}: a directory of that name exists under {root}; "
            "nothing was written",
            hint="move the directory away, or import into another --root",
        )
    for parent in target.relative_to(root).parents:
        if parent != Path(".") and (root / parent).exists() and not (root / parent).is_dir():
            raise ConfigError(
                f"cannot write {rel}: {parent.as_posix()} is a file under {root}; "
                "nothing was written",
                hint="move the file away, or import into another --root",
            )
