"""`aurum-sr init`: the files a new schema repository starts with, and the GitHub workflows
(the same ones this project's own example contracts run)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from aurum_sr import __version__
from aurum_sr.errors import ConfigError

INSTALL_MARK = "@AURUM_INSTALL@"
DEFAULT_INSTALL = f"aurum-sr=={__version__}"
"""What the workflows and pre-commit hooks install: this very version."""

WORKFLOWS = ("schema-plan.yml", "schema-apply.yml", "schema-drift.yml")

_FILES: dict[str, str] = {
    "contracts/contracts.yml": "contracts.yml",
    "schemas/example/order.avsc": "order.avsc",
    "aurum-sr.toml": "aurum-sr.toml",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    **{f".github/workflows/{name}": f"workflows/{name}" for name in WORKFLOWS},
}


def template(name: str, *, install: str = DEFAULT_INSTALL) -> str:
    """The text of template ``name`` (e.g. ``workflows/schema-plan.yml``), with ``install``
    (a pip requirement or path) where aurum-sr is installed."""
    if '"' in install or "\n" in install:
        raise ConfigError(f"--install {install!r}: a pip requirement has no quotes or newlines")
    node = resources.files(__package__).joinpath("templates")
    for part in name.split("/"):
        node = node.joinpath(part)
    text = node.read_text(encoding="utf-8")
    return text.replace(INSTALL_MARK, install)


def workflow(name: str, *, install: str = DEFAULT_INSTALL) -> str:
    """One of :data:`WORKFLOWS`, rendered."""
    return template(f"workflows/{name}", install=install)


@dataclass(frozen=True)
class Scaffold:
    """What :func:`init` wrote, relative to the root."""

    root: Path
    files: tuple[str, ...]


def planned_files(*, install: str = DEFAULT_INSTALL) -> dict[str, str]:
    """Every file ``init`` writes (repository-relative path -> text)."""
    return {path: template(name, install=install) for path, name in _FILES.items()}


def init(root: str | Path, *, install: str = DEFAULT_INSTALL) -> Scaffold:
    """Write the starter files under ``root`` (created if missing).

    Nothing is overwritten: when any of the files (or the ``schemas/`` folder) exists already,
    nothing at all is written.

    Raises:
        ConfigError: something to be written exists, or cannot be written.
    """
    base = Path(root)
    files = planned_files(install=install)
    taken = sorted(path for path in files if (base / path).exists() or (base / path).is_symlink())
    if (base / "schemas").exists() and not any(p.startswith("schemas/") for p in taken):
        taken.insert(0, "schemas/")
    if taken:
        raise ConfigError(
            f"aurum-sr init would overwrite {', '.join(taken)} in {base}; nothing was written",
            hint="run it in a new repository, or move those files away first",
        )
    written: list[str] = []
    try:
        for path, text in files.items():
            target = base / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("x", encoding="utf-8") as out:  # never replaces a file
                out.write(text)
            written.append(path)
    except OSError as exc:
        raise ConfigError(
            f"aurum-sr init could not write {base / path}: {exc.strerror}; "
            f"written before that: {', '.join(written) or 'nothing'}"
        ) from None
    return Scaffold(base, tuple(written))
