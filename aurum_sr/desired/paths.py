"""Keeping schema paths inside the repository."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path, PurePosixPath, PureWindowsPath


class PathEscapeError(Exception):
    """A path that is absolute or leads outside the repository root."""

    def __init__(self, message: str, hint: str, rel: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.rel = rel
        """The repository-relative path when it is one (a link leading outside)."""


def resolve_inside(
    root: Path,
    raw: str,
    *,
    real_root: Path | None = None,
    real_dirs: dict[str, str] | None = None,
    what: str = "schema path",
) -> tuple[Path, str]:
    """The file ``raw`` names under ``root`` and its normalised repository-relative POSIX path.

    Refuses absolute paths, ``..`` that leaves the root, and symbolic links whose target is
    outside the root (the file itself need not exist). ``real_root`` is ``root.resolve()`` and
    ``real_dirs`` a cache of resolved folders, for callers resolving many paths under one root
    (the links of a folder are followed once, not once per file in it). ``what`` names the
    path in messages.

    Raises:
        PathEscapeError: the path is absolute or escapes ``root``.
    """
    example = "schemas/team/thing.avsc" if what == "schema path" else "contracts/teams/team.yml"
    hint = f"write the path relative to the repository root, e.g. {example}"
    if PurePosixPath(raw).is_absolute() or PureWindowsPath(raw).drive or raw.startswith("\\"):
        raise PathEscapeError(f"{what} {raw!r} is absolute", hint)
    normal = posixpath.normpath(raw.replace("\\", "/"))
    if normal == ".." or normal.startswith("../"):
        raise PathEscapeError(f"{what} {raw!r} leads outside the repository root", hint)
    real_root = real_root or root.resolve()
    folder, name = os.path.split(os.path.join(root, normal))
    real_folder = real_dirs.get(folder) if real_dirs is not None else None
    if real_folder is None:
        real_folder = os.path.realpath(folder)
        if real_dirs is not None:
            real_dirs[folder] = real_folder
    candidate = os.path.join(real_folder, name)
    target = Path(os.path.realpath(candidate) if os.path.islink(candidate) else candidate)
    if target != real_root and real_root not in target.parents:
        raise PathEscapeError(
            f"{what} {raw!r} is a symbolic link to {target}, outside the repository root",
            "keep the files aurum-sr reads inside the repository; copy the file instead of "
            "linking it",
            normal,
        )
    return root / normal, normal
