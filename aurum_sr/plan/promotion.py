"""An environment's plan under its environment's rules: the promotion gate and the delete policy.

Pure, as the rest of ``plan``: what the previous environment holds is read by the caller and
handed in (:func:`gate`), so this module decides without I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from aurum_sr.plan.model import Plan, SubjectAction, SubjectPlan
from aurum_sr.plan.reasons import (
    BlockReason,
    DeletesNotAllowed,
    NotPromoted,
    PromotionCheckSkipped,
    RollBack,
)
from aurum_sr.plan.steps import RegisterSchema, is_destructive


def schema_changes(plan: Plan) -> dict[str, int]:
    """Every subject whose schema ``plan`` changes, and the version that becomes its latest:
    the version it registers, or the one a rollback makes latest again."""
    found = {s.subject: s.expected_version for s in plan.steps if isinstance(s, RegisterSchema)}
    for subject in plan.subjects:
        if isinstance(subject.summary, RollBack):
            found.setdefault(subject.subject, subject.summary.target)
    return found


def gate(
    plan: Plan,
    previous: str,
    pending: Mapping[str, str],
    skipped: Mapping[str, str],
) -> Plan:
    """Block every schema change of ``plan`` whose subject the ``previous`` environment does
    not hold yet: ``pending`` maps such a subject (as this plan names it) to its name in
    ``previous``. A subject in ``skipped`` (``--skip-promotion-check``; subject -> the reason
    given) is let through, and the plan records that it was, with the reason."""
    blocked: dict[str, tuple[BlockReason, ...]] = {}
    warnings: list[PromotionCheckSkipped] = []
    for subject, version in sorted(schema_changes(plan).items()):
        if subject not in pending:
            continue
        if subject in skipped:
            warnings.append(PromotionCheckSkipped(subject, previous, skipped[subject]))
        else:
            blocked[subject] = (NotPromoted(previous, pending[subject], version),)
    return _blocking(plan, blocked, tuple(warnings))


def forbid_deletes(plan: Plan, environment: str) -> Plan:
    """Block every subject of ``plan`` with a destructive step (``deletes = "never"``)."""
    destructive = {s.subject for s in plan.steps if is_destructive(s)}
    reason: tuple[BlockReason, ...] = (DeletesNotAllowed(environment),)
    return _blocking(plan, dict.fromkeys(sorted(destructive), reason), ())


def _blocking(
    plan: Plan,
    blocked: Mapping[str, tuple[BlockReason, ...]],
    warnings: tuple[PromotionCheckSkipped, ...],
) -> Plan:
    if not blocked and not warnings:
        return plan

    def block(s: SubjectPlan) -> SubjectPlan:
        if s.subject not in blocked:
            return s
        return replace(
            s,
            action=SubjectAction.BLOCKED,
            blocked_reasons=(*s.blocked_reasons, *blocked[s.subject]),
        )

    return replace(
        plan,
        subjects=tuple(block(s) for s in plan.subjects),
        warnings=(*plan.warnings, *warnings),
    )
