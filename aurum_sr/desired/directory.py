"""The seed's directory mode: every ``.avsc`` file under a folder, without contracts.

Each file's top-level named type gives its subject (the record name strategy: the full name),
the subject keeps whatever compatibility and mode the registry has, and nothing is owned, so
nothing is ever pruned. Only for ``--schema-dir``, asked for explicitly: the warning it returns
says that contracts (owners, levels, lifecycle, references) are not being enforced.
"""

from __future__ import annotations

from pathlib import Path

from aurum_sr.desired.diagnostics import Collector
from aurum_sr.desired.loader import LoadedDesired
from aurum_sr.desired.schemas import SchemaFile, SchemaFileError, read_schema_file
from aurum_sr.errors import DesiredStateError, SchemaInputError
from aurum_sr.formats import schema_format
from aurum_sr.model import DesiredState, Schema, SchemaType, SourceLocation, SubjectSpec

NO_CONTRACTS = "(no contracts)"
"""Marks the contracts path of plans made in directory mode."""


def load_schema_dir(directory: str | Path, *, root: str | Path = ".") -> LoadedDesired:
    """Every ``*.avsc`` under ``directory`` as a desired state, subjects named by full name.

    Schema paths are shown relative to ``root`` when they are inside it.

    Raises:
        DesiredStateError: the folder does not exist or holds no ``.avsc`` file, a file is not
            JSON or not valid Avro, has no named top-level type, or two files define the same
            full name (every problem, with file and line).
    """
    folder = Path(directory)
    base = Path(root).resolve()
    diags = Collector()
    shown = _display(base, folder.resolve())
    files = sorted(folder.rglob("*.avsc")) if folder.is_dir() else []
    if not files:
        what = "is not a folder" if not folder.is_dir() else "holds no .avsc file"
        diags.error(
            "schema-dir",
            f"{shown} {what}",
            shown,
            hint="give --schema-dir a folder of Avro schema files (*.avsc)",
        )
        raise DesiredStateError(tuple(diags.items))
    specs: dict[str, SubjectSpec] = {}
    for file in files:
        rel = _display(base, file.resolve())
        try:
            parsed = read_schema_file(file, rel)
            parsed.parse()
        except SchemaFileError as exc:
            diags.error("schema-json", exc.message, rel, exc.position, exc.hint)
            continue
        subject = _subject(parsed, diags)
        if subject is None:
            continue
        if subject in specs:
            first = specs[subject].schema_file
            diags.error(
                "duplicate-subject",
                f"{subject} is defined by both {first} and {rel}",
                rel,
                (1, 1),
                "each file must define a different record; keep one of them",
            )
            continue
        specs[subject] = SubjectSpec(
            subject=subject,
            location=SourceLocation(rel, 1, 1),
            schema_file=rel,
            schema_str=parsed.text,
        )
    if diags.has_errors:
        raise DesiredStateError(tuple(diags.items))
    diags.warning(
        "no-contracts",
        f"planning the .avsc files under {shown} without contracts: subjects are named by "
        "record name, and owners, compatibility levels, modes, lifecycle and references from "
        "contracts.yml are not being enforced",
        shown,
        hint="describe the subjects in contracts/contracts.yml and drop --schema-dir",
    )
    state = DesiredState(
        root=str(base),
        contracts_path=f"{shown}/**/*.avsc {NO_CONTRACTS}",
        format_version=1,
        subjects=dict(sorted(specs.items())),
    )
    return LoadedDesired(state=state, warnings=tuple(diags.items))


def _subject(file: SchemaFile, diags: Collector) -> str | None:
    name = file.full_name
    if name is None:
        diags.error(
            "unnamed-schema",
            "the schema has no named top-level type, so the record name strategy cannot name "
            "its subject",
            file.path,
            (1, 1),
            "make the top level a record (or enum/fixed) with a name and namespace",
        )
        return None
    try:
        schema_format(SchemaType.AVRO).validate(Schema(file.text), None)
    except SchemaInputError as exc:
        diags.error(
            "invalid-avro",
            exc.message,
            file.path,
            (1, 1),
            "in directory mode each file must stand alone (no references to other files)",
        )
        return None
    return name


def _display(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
