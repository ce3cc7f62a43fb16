"""Words the renderers share, so human, Markdown and annotations say the same thing."""

from __future__ import annotations

from aurum_sr.compat.result import BreakingChange, SchemaChange
from aurum_sr.plan.model import SubjectAction, SubjectPlan, Verdict
from aurum_sr.render import words


def verdict_badge(verdict: Verdict) -> str:
    """``compatible``, ``INCOMPATIBLE``, ``incompatible, allowed`` (``accepted`` when an
    approval in the contracts accepts it), plus a disagreement flag."""
    if verdict.compatible:
        badge = "compatible"
    elif verdict.accepted is not None:
        badge = "incompatible, accepted"
    elif verdict.allowed:
        badge = "incompatible, allowed"
    else:
        badge = "INCOMPATIBLE"
    if verdict.disagreement:
        remote = "compatible" if verdict.remote_compatible else "incompatible"
        badge += f"; REGISTRY DISAGREES: {remote}"
    return badge


def verdict_line(verdict: Verdict) -> str:
    """The verdict with its level, what it was checked against and why it is allowed."""
    checked = ", ".join(f"v{v}" for v in verdict.checked_versions) or "nothing (first version)"
    line = f"{verdict_badge(verdict)} under {verdict.level.value}, checked against {checked}"
    if verdict.allowed_by is not None:
        line += f" ({words.allowed_by(verdict.allowed_by)})"
    return line


def breaking_line(change: BreakingChange) -> str:
    """``Order.qty: message [kind, new reads old, against v2]``."""
    where = change.field_path or change.location or "(schema)"
    against = f", against v{change.against_version}" if change.against_version else ""
    return f"{where}: {change.message} [{change.kind}, {change.direction.value}{against}]"


def grouped_breaks(
    changes: tuple[BreakingChange, ...],
) -> list[tuple[BreakingChange, tuple[int, ...]]]:
    """Each break once, with every version it breaks against (a transitive level finds the same
    break against each older version), in first-seen order."""
    groups: dict[tuple[object, ...], tuple[BreakingChange, list[int]]] = {}
    for change in changes:
        key = (
            change.kind,
            change.direction,
            change.location,
            change.field_path,
            change.message,
            change.recommendation,
        )
        first, versions = groups.setdefault(key, (change, []))
        if change.against_version is not None and change.against_version not in versions:
            versions.append(change.against_version)
    return [(first, tuple(sorted(versions))) for first, versions in groups.values()]


def grouped_breaking_line(change: BreakingChange, versions: tuple[int, ...]) -> str:
    """``Order.qty: message [kind, new reads old, against v1, v2]``: one break, all versions."""
    where = change.field_path or change.location or "(schema)"
    against = f", against {', '.join(f'v{v}' for v in versions)}" if versions else ""
    return f"{where}: {change.message} [{change.kind}, {change.direction.value}{against}]"


def change_symbol(change: SchemaChange) -> str:
    """``+`` for additions, ``-`` for removals, ``~`` for the rest."""
    if "added" in change.kind:
        return "+"
    if "removed" in change.kind:
        return "-"
    return "~"


def change_line(change: SchemaChange) -> str:
    """The change in one line, naming its field once: a message that already names the field
    is not prefixed with it again."""
    named = not change.field_path or f"`{change.field_path}`" in change.message
    where = "" if named else f"{change.field_path}: "
    return f"{where}{change.message} ({change.category.value})"


def needs_review(subject: SubjectPlan) -> bool:
    """False for a compatible create or update with no warning, no block and no registry
    disagreement (what compact output shows on one line); True for everything else."""
    if subject.action not in (SubjectAction.CREATE, SubjectAction.UPDATE):
        return True
    if subject.warnings or subject.blocked_reasons:
        return True
    verdict = subject.verdict
    return verdict is not None and (not verdict.compatible or verdict.disagreement)
