"""The desired state at a git ref, read with the ``git`` command (no checkout, no network).

``check --against REF`` compares the working tree with it. The ref's contracts and schema files
are copied out of git into a temporary folder and loaded like any other desired state; a
schema's earlier versions come from the history of its file (renames followed).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from aurum_sr.errors import AurumError

TEXT_SUFFIXES = (".avsc", ".json", ".yml", ".yaml", ".toml")
"""What is copied out of the ref: contracts, schemas, configuration."""
MAX_BLOB = 16 * 1024 * 1024
"""Larger files are no schema or contracts file anyone wrote by hand: left out."""


class GitError(AurumError):
    """``git`` failed, or the ref is not in this clone."""


@dataclass(frozen=True)
class Revision:
    """A file as one commit left it."""

    commit: str
    author: str
    date: str
    """The author date, ISO 8601 with its offset."""
    summary: str
    """The first line of the commit message."""
    path: str
    """The file's path at this commit, relative to the root."""
    text: str | None
    """Its content; None when the commit deleted it."""


@dataclass(frozen=True)
class GitRepo:
    """The clone that holds ``root`` (``root`` may be a folder inside it)."""

    top: Path
    prefix: str
    """``root`` relative to ``top``, with a trailing ``/`` (empty at the top)."""

    @classmethod
    def at(cls, root: str | Path) -> GitRepo:
        """The clone containing ``root``.

        Raises:
            GitError: no git, or ``root`` is not inside a git work tree.
        """
        path = Path(root).resolve()
        if shutil.which("git") is None:
            raise GitError(
                "check --against needs the `git` command, and it is not on PATH",
                hint="install git",
            )
        done = _git(path, "rev-parse", "--show-toplevel", "--show-prefix", check=False)
        if done.returncode != 0:
            raise GitError(
                f"{path} is not inside a git repository",
                hint="run check --against in a clone (it compares the work tree with a git ref)",
            )
        top, _, prefix = done.stdout.partition("\n")
        return cls(Path(top.strip()), prefix.strip())

    def run(self, *args: str, stdin: str | None = None) -> str:
        """``git ARGS`` in the clone; its standard output.

        Raises:
            GitError: git exited non-zero (its message is in ours).
        """
        done = _git(self.top, *args, stdin=stdin, check=False)
        if done.returncode != 0:
            raise GitError(f"`git {' '.join(args)}` failed: {done.stderr.strip()}")
        return done.stdout

    @property
    def has_commits(self) -> bool:
        """False in a new repository, before its first commit (HEAD names nothing yet)."""
        return (
            _git(self.top, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode == 0
        )

    @property
    def shallow(self) -> bool:
        return self.run("rev-parse", "--is-shallow-repository").strip() == "true"

    def commit(self, ref: str) -> str:
        """The commit ``ref`` names.

        Raises:
            GitError: ``ref`` is not in this clone; the hint says what to fetch.
        """
        done = _git(self.top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        if done.returncode == 0:
            return done.stdout.strip()
        remote, _, branch = ref.partition("/")
        remotes = self.run("remote").split()
        if branch and remote in remotes:
            fetch = f"git fetch --no-tags --depth=1 {remote} {branch}"
        else:
            fetch = f"git fetch --no-tags --depth=1 origin {ref}"
        shallow = " (this is a shallow clone, as CI checkouts are)" if self.shallow else ""
        raise GitError(
            f"{ref} is not a commit in this clone{shallow}",
            hint=f"fetch it first: `{fetch}`; or check out with `fetch-depth: 0`",
        )

    def files(self, commit: str) -> dict[str, int]:
        """Every file under the prefix at ``commit`` (path relative to the root -> size)."""
        spec = self.prefix or "."
        listing = self.run("ls-tree", "-r", "-l", "-z", "--full-tree", commit, "--", spec)
        found: dict[str, int] = {}
        for entry in listing.split("\0"):
            meta, _, path = entry.partition("\t")
            parts = meta.split()
            if len(parts) != 4 or parts[1] != "blob" or not path.startswith(self.prefix):
                continue
            found[path[len(self.prefix) :]] = int(parts[3]) if parts[3].isdigit() else 0
        return found

    def read(self, specs: Sequence[str]) -> list[bytes | None]:
        """The blobs ``COMMIT:PATH`` (top-relative) names, in order; None where missing."""
        if not specs:
            return []
        done = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=self.top,
            input="".join(f"{spec}\n" for spec in specs).encode("utf-8"),
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            raise GitError(f"`git cat-file --batch` failed: {done.stderr.decode(errors='replace')}")
        out, at = done.stdout, 0
        blobs: list[bytes | None] = []
        for _ in specs:
            end = out.index(b"\n", at)
            header = out[at:end].split()
            at = end + 1
            if len(header) < 3 or header[1] != b"blob":
                blobs.append(None)
                continue
            size = int(header[2])
            blobs.append(out[at : at + size])
            at += size + 1
        return blobs

    @contextmanager
    def checkout(self, commit: str) -> Iterator[Path]:
        """A temporary folder holding the root's contracts, schemas and configuration at
        ``commit`` (removed afterwards)."""
        wanted = [
            path
            for path, size in self.files(commit).items()
            if path.endswith(TEXT_SUFFIXES) and size <= MAX_BLOB
        ]
        blobs = self.read([f"{commit}:{self.prefix}{path}" for path in wanted])
        with tempfile.TemporaryDirectory(prefix="aurum-sr-ref-") as folder:
            base = Path(folder)
            for path, blob in zip(wanted, blobs, strict=True):
                if blob is None:
                    continue
                target = base / PurePosixPath(path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(blob)
            yield base

    def history(self, commit: str, path: str) -> tuple[list[str], bool]:
        """The texts the file ``path`` (root-relative) had in the commits reachable from
        ``commit``, oldest first, renames followed, repeats in a row dropped; and whether the
        history may be cut short (a shallow clone)."""
        log = self.run(
            "log", "--follow", "--format=%x00%H", "--name-only", commit, "--", self.prefix + path
        )
        specs = []
        for record in log.split("\0"):
            lines = [line for line in record.splitlines() if line.strip()]
            if len(lines) >= 2:
                specs.append(f"{lines[0]}:{lines[-1]}")
        texts: list[str] = []
        for blob in reversed(self.read(specs)):
            if blob is None:
                continue
            text = blob.decode("utf-8", errors="replace")
            if not texts or texts[-1] != text:
                texts.append(text)
        return texts, self.shallow

    def revisions(self, commit: str, path: str, *, follow: bool = True) -> list[Revision]:
        """Every commit reachable from ``commit`` that changed the file ``path`` (root-relative;
        with ``follow``, through renames), oldest first, with the file as it left it."""
        log = self.run(
            "log",
            *(("--follow",) if follow else ()),
            "--format=%x00%H%x1f%an%x1f%aI%x1f%s",
            "--name-only",
            commit,
            "--",
            self.prefix + path,
        )
        found: list[tuple[str, str, str, str, str]] = []
        for record in log.split("\0")[1:]:
            header, _, names = record.partition("\n")
            fields = header.split("\x1f", 3)
            files = [line for line in names.splitlines() if line.strip()]
            if len(fields) != 4 or not files:
                continue
            found.append((fields[0], fields[1], fields[2], fields[3], files[-1]))
        blobs = self.read([f"{c}:{name}" for c, _, _, _, name in found])
        revisions = [
            Revision(
                commit=c,
                author=author,
                date=date,
                summary=summary,
                path=name.removeprefix(self.prefix),
                text=None if blob is None else blob.decode("utf-8", errors="replace"),
            )
            for (c, author, date, summary, name), blob in zip(found, blobs, strict=True)
        ]
        return revisions[::-1]


def _git(
    cwd: Path, *args: str, stdin: str | None = None, check: bool
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        check=check,
        env=_environment(),
    )


def _environment() -> Mapping[str, str] | None:
    import os

    # Answers in English and never a pager or a prompt: the output is parsed.
    return {**os.environ, "LC_ALL": "C", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"}
