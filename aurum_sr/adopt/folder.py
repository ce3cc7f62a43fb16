"""A folder of existing ``.avsc`` files → contracts entries, with no registry at all. Pure but
for reading the files.

The inventory step of a migration from hand-managed schemas: each file becomes one subject,
named by the chosen strategy; a file that uses a named type another file defines gets a
reference to that file's subject. Files inside the repository root are listed where they are;
files outside it are copied under ``schemas/`` (their layout in the folder kept).

Topic names come from a template (``--topic``) with ``{stem}`` (the file name without
``.avsc``, and without a ``-key``/``_key``/``-value``/``_value`` suffix, which gives the role),
``{name}``, ``{namespace}`` and ``{full_name}`` of the file's top-level type.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typing_extensions import assert_never

from aurum_sr.adopt.draft import ALREADY_LISTED, Draft, Existing, Skipped
from aurum_sr.adopt.paths import SCHEMAS_DIR
from aurum_sr.desired.contracts import FORMAT_VERSION
from aurum_sr.desired.schemas import NAMED_TYPES, enclosing_namespace, full_name
from aurum_sr.desired.writer import EntryDraft
from aurum_sr.errors import ConfigError, DesiredStateError, Diagnostic, Severity
from aurum_sr.model import NamingStrategy, Role

PRIMITIVES = frozenset({"null", "boolean", "int", "long", "float", "double", "bytes", "string"})
FIELDS = ("stem", "name", "namespace", "full_name")
_SUFFIXES = (("-key", Role.KEY), ("_key", Role.KEY), ("-value", Role.VALUE), ("_value", Role.VALUE))


@dataclass(frozen=True)
class FolderOptions:
    """How the subjects of a folder are named."""

    strategy: NamingStrategy = NamingStrategy.RECORD
    topic: str | None = None
    """The topic template (see the module docstring); needed by ``topic`` and
    ``topic_record``."""
    role: Role = Role.VALUE
    """The role of files whose name has no ``-key``/``-value`` suffix (``topic`` strategy)."""


@dataclass(frozen=True)
class _File:
    rel: str
    """The path the contracts list (inside the root)."""
    text: str
    copy: bool
    """True when the file is outside the root and is written under ``schemas/``."""
    full_name: str | None
    defined: frozenset[str]
    used: frozenset[str]


def draft_folder(
    folder: Path,
    root: Path,
    options: FolderOptions,
    *,
    existing: Existing | None = None,
) -> Draft:
    """Contracts entries for every ``*.avsc`` under ``folder``.

    Raises:
        ConfigError: the folder holds no ``.avsc`` file, or the topic template is unusable.
        DesiredStateError: a file is not JSON, or two files would be one subject (each with
            its file and line).
    """
    _check_template(options)
    paths = sorted(folder.rglob("*.avsc")) if folder.is_dir() else []
    if not paths:
        what = "is not a folder" if not folder.is_dir() else "holds no .avsc file"
        raise ConfigError(
            f"{folder} {what}: nothing to import",
            hint="give --schema-dir a folder of Avro schema files (*.avsc)",
        )
    problems: list[Diagnostic] = []
    files = [f for f in (_read(p, folder, root, problems) for p in paths) if f is not None]
    if problems:
        raise DesiredStateError(tuple(problems))
    old = existing or Existing()
    by_subject: dict[str, _File] = {}
    naming: dict[str, tuple[str | None, Role | None]] = {}
    skipped: list[Skipped] = []
    for file in files:
        subject, topic, role = _subject(file, options)
        if subject in by_subject:
            problems.append(
                Diagnostic(
                    Severity.ERROR,
                    "duplicate-subject",
                    f"{file.rel} and {by_subject[subject].rel} would both be subject "
                    f"{subject!r} under naming strategy {options.strategy.value}",
                    file.rel,
                    1,
                    1,
                    "use another --naming-strategy or --topic template, or move one file out",
                )
            )
            continue
        by_subject[subject] = file
        naming[subject] = (topic, role)
    if problems:
        raise DesiredStateError(tuple(problems))
    owners = {name: s for s, f in sorted(by_subject.items()) for name in f.defined}
    strategy = old.defaults.naming_strategy if existing is not None else options.strategy
    entries: list[EntryDraft] = []
    written: dict[str, str] = {}
    present: list[str] = []
    for subject, file in sorted(by_subject.items()):
        if subject in old.subjects:
            skipped.append(Skipped(subject, ALREADY_LISTED))
            continue
        values: dict[str, Any] = {"subject": subject, "schema": file.rel}
        if options.strategy is not strategy:
            values["naming_strategy"] = options.strategy.value
        topic, role = naming[subject]
        if topic is not None:
            values["topic"] = topic
        if role is not None:
            values["role"] = role.value
        refs = [
            {"name": name, "subject": owners[name]}
            for name in sorted(file.used - file.defined)
            if name in owners
        ]
        if refs:
            values["references"] = refs
        entries.append(EntryDraft(values))
        present.append(subject)
        if file.copy:
            written[file.rel] = file.text
    return Draft(
        defaults={
            "format_version": FORMAT_VERSION,
            "defaults": {"naming_strategy": options.strategy.value},
        },
        header=(
            f"Imported from the .avsc files under {folder} by `aurum-sr import --schema-dir`; "
            "docs/contracts.md explains each key.\n"
            "No registry was read: add compatibility, mode, owners and owned_prefixes as they "
            "should be, then run `aurum-sr plan`."
        ),
        entries=tuple(entries),
        files=written,
        present=tuple(present),
        absent=(),
        skipped=tuple(skipped),
        allowances=(),
        owned_prefixes=(),
    )


def _check_template(options: FolderOptions) -> None:
    needs = options.strategy in (NamingStrategy.TOPIC, NamingStrategy.TOPIC_RECORD)
    if needs and options.topic is None:
        raise ConfigError(
            f"--naming-strategy {options.strategy.value} needs --topic",
            hint="give the topic, or a template such as --topic 'shop.{stem}' (fields: "
            + ", ".join("{" + f + "}" for f in FIELDS)
            + ")",
        )
    if options.topic is None:
        return
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(options.topic) if f is not None]
    except ValueError as exc:
        raise ConfigError(
            f"--topic {options.topic!r} is not a template: {exc}",
            hint="write fields as {stem}; double a literal brace: {{",
        ) from exc
    unknown = [f for f in fields if f not in FIELDS]
    if unknown:
        raise ConfigError(
            f"--topic {options.topic!r} uses unknown field {{{unknown[0]}}}",
            hint="the fields are " + ", ".join("{" + f + "}" for f in FIELDS),
        )


def _read(path: Path, folder: Path, root: Path, problems: list[Diagnostic]) -> _File | None:
    real_root = root.resolve()
    real = path.resolve()
    inside = real.is_relative_to(real_root)
    rel = (
        real.relative_to(real_root).as_posix()
        if inside
        else f"{SCHEMAS_DIR}/{path.relative_to(folder).as_posix()}"
    )
    shown = rel if inside else str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except UnicodeDecodeError as exc:
        problems.append(
            Diagnostic(
                Severity.ERROR,
                "schema-json",
                f"schema file is not UTF-8 text ({exc.reason})",
                shown,
                hint="save it as UTF-8",
            )
        )
        return None
    except OSError as exc:
        problems.append(
            Diagnostic(
                Severity.ERROR,
                "schema-json",
                f"cannot read schema file: {exc.strerror}",
                shown,
                hint="check the file's permissions",
            )
        )
        return None
    except json.JSONDecodeError as exc:
        problems.append(
            Diagnostic(
                Severity.ERROR,
                "schema-json",
                f"schema file is not valid JSON: {exc.msg}",
                shown,
                exc.lineno,
                exc.colno,
                "an .avsc file is one JSON document; fix it or move it out of the folder",
            )
        )
        return None
    top = (
        full_name(data, "") if isinstance(data, dict) and data.get("type") in NAMED_TYPES else None
    )
    defined: set[str] = set()
    used: set[str] = set()
    _names(data, "", defined, used)
    return _File(rel, text, not inside, top, frozenset(defined), frozenset(used))


def _subject(file: _File, options: FolderOptions) -> tuple[str, str | None, Role | None]:
    stem = original = file.rel.rsplit("/", 1)[-1].removesuffix(".avsc")
    role = options.role
    for suffix, suffix_role in _SUFFIXES:
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem, role = stem[: -len(suffix)], suffix_role
            break
    name = file.full_name or stem
    values = {
        "stem": stem,
        "name": name.rsplit(".", 1)[-1],
        "namespace": enclosing_namespace(name),
        "full_name": name,
    }
    topic = options.topic.format_map(values) if options.topic is not None else None
    strategy = options.strategy
    if strategy is NamingStrategy.TOPIC:
        assert topic is not None
        return f"{topic}-{role.value}", topic, role
    if strategy is NamingStrategy.TOPIC_RECORD:
        assert topic is not None
        return f"{topic}-{name}", topic, None
    if strategy is NamingStrategy.RECORD:
        return name, None, None
    if strategy is NamingStrategy.NONE:
        return original, None, None
    assert_never(strategy)


def _names(node: Any, namespace: str, defined: set[str], used: set[str]) -> None:
    """The full names ``node`` defines and the ones it uses by name."""
    if isinstance(node, str):
        if node not in PRIMITIVES:
            used.add(node if "." in node or not namespace else f"{namespace}.{node}")
        return
    if isinstance(node, list):
        for item in node:
            _names(item, namespace, defined, used)
        return
    if not isinstance(node, Mapping):
        return
    kind = node.get("type")
    if kind in NAMED_TYPES and isinstance(node.get("name"), str):
        full = full_name(dict(node), namespace)
        defined.add(full)
        inner = enclosing_namespace(full)
        for field in node.get("fields") or []:
            if isinstance(field, Mapping):
                _names(field.get("type"), inner, defined, used)
        return
    if kind == "array":
        _names(node.get("items"), namespace, defined, used)
    elif kind == "map":
        _names(node.get("values"), namespace, defined, used)
    elif kind is not None and not (isinstance(kind, str) and kind in ("record", "enum", "fixed")):
        _names(kind, namespace, defined, used)
