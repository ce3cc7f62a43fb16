"""Schema references between subjects: targets listed, names defined, no cycles."""

from __future__ import annotations

from collections.abc import Mapping

from aurum_sr.desired.contracts import SubjectEntry
from aurum_sr.desired.diagnostics import Collector, did_you_mean
from aurum_sr.desired.schemas import SchemaFile
from aurum_sr.model import Lifecycle


def check_references(
    entries: Mapping[str, SubjectEntry],
    files: Mapping[str, SchemaFile],
    diags: Collector,
    path: str,
) -> frozenset[str]:
    """Report every reference problem; return the subjects whose references are unusable
    offline (their Avro validity cannot be checked and is skipped)."""
    unusable: set[str] = set()
    for entry in entries.values():
        if entry.lifecycle is Lifecycle.ABSENT:
            continue
        if entry.references_broken:
            unusable.add(entry.subject)
        for ref in entry.references:
            target = entries.get(ref.subject)
            if target is None:
                unusable.add(entry.subject)
                if ref.version is not None:
                    diags.warning(
                        "external-reference",
                        f"subject {entry.subject!r} references {ref.name} in subject "
                        f"{ref.subject!r} version {ref.version}, which the contracts do not list; "
                        "it cannot be checked offline",
                        entry.path or path,
                        ref.subject_position,
                        "the reference and the schema's validity are checked by `aurum-sr plan` "
                        "against the registry",
                    )
                    continue
                close = did_you_mean(ref.subject, entries)
                diags.error(
                    "unknown-reference",
                    f"subject {entry.subject!r} references subject {ref.subject!r}, which the "
                    "contracts do not list",
                    entry.path or path,
                    ref.subject_position,
                    close
                    or "add the referenced subject to the contracts, or pin `version:` to "
                    "reference a subject managed elsewhere",
                )
                continue
            if target.lifecycle is Lifecycle.ABSENT:
                unusable.add(entry.subject)
                diags.error(
                    "reference-to-absent",
                    f"subject {entry.subject!r} references subject {ref.subject!r}, which the "
                    "contracts mark lifecycle: absent",
                    entry.path or path,
                    ref.subject_position,
                    "a subject cannot be deleted while it is referenced: drop the reference "
                    "first, or keep the referenced subject present",
                )
                continue
            target_file = files.get(ref.subject)
            if target_file is None:
                unusable.add(entry.subject)  # the target's own problem is reported for it
                continue
            if ref.name not in target_file.defined_names:
                unusable.add(entry.subject)
                defined = sorted(target_file.defined_names)
                diags.error(
                    "reference-name",
                    f"reference {ref.name!r} of subject {entry.subject!r}: {target_file.path} "
                    f"(subject {ref.subject!r}) defines no type named {ref.name!r}",
                    entry.path or path,
                    ref.position,
                    did_you_mean(ref.name, defined)
                    or f"name must be the full name of a type it defines: {', '.join(defined)}",
                )
    unusable.update(_report_cycles(entries, diags, path))
    return frozenset(unusable)


def _report_cycles(entries: Mapping[str, SubjectEntry], diags: Collector, path: str) -> set[str]:
    graph = {
        name: [r.subject for r in entry.references if r.subject in entries]
        for name, entry in entries.items()
        if entry.lifecycle is Lifecycle.PRESENT
    }
    in_cycle: set[str] = set()
    reported: set[frozenset[str]] = set()
    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> None:
        if node in trail:
            cycle = trail[trail.index(node) :]
            key = frozenset(cycle)
            in_cycle.update(cycle)
            if key not in reported:
                reported.add(key)
                first = entries[cycle[0]]
                chain = " -> ".join([*cycle, node])
                diags.error(
                    "reference-cycle",
                    f"schema references form a cycle: {chain}",
                    first.path or path,
                    next(
                        (r.subject_position for r in first.references if r.subject in cycle),
                        first.position,
                    ),
                    "registries cannot register a cycle: move the shared types into one subject "
                    "that the others reference",
                )
            return
        if node in done:
            return
        for target in graph.get(node, []):
            visit(target, [*trail, node])
        done.add(node)

    for name in graph:
        visit(name, [])
    return in_cycle
