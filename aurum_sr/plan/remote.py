"""The registry's own verdict next to ours (``--remote-check``).

The plan does no I/O: :func:`check_remotely` is handed the question to ask (a registry's
``test_compatibility``) and records each answer with :func:`record_remote_verdict`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from aurum_sr.errors import RegistryError
from aurum_sr.model import Schema, SchemaReference
from aurum_sr.plan.builder import record_remote_verdict
from aurum_sr.plan.model import Plan, SubjectAction
from aurum_sr.plan.reasons import (
    PlanWarning,
    RegistryRefusesSchema,
    RemoteCheckFailed,
    RemoteCheckSkippedLevelChange,
    RemoteCheckSkippedPlannedReference,
)
from aurum_sr.plan.steps import RegisterSchema


class RemoteAnswer(Protocol):
    """The registry's answer to "is this schema compatible with the subject?"."""

    @property
    def is_compatible(self) -> bool: ...

    @property
    def messages(self) -> tuple[str, ...]: ...


AskCompatibility = Callable[[str, Schema], RemoteAnswer]
"""``ask(subject, schema)``: the registry's compatibility test against every version the
subject's level requires, verbose (:meth:`aurum_sr.registry.Registry.test_compatibility`)."""

AskRegistrable = Callable[[str, Schema], "str | None"]
"""``registrable(subject, schema)``: the registry's message when it calls ``schema`` invalid
without storing it (a lookup), else None (valid, or the registry does not say)."""


def check_remotely(
    plan: Plan, ask: AskCompatibility, registrable: AskRegistrable | None = None
) -> Plan:
    """Record the registry's own verdict (its all-versions test, verbose) on each registration.

    Skipped, with a warning in the plan, where the registry cannot answer the question the
    plan asks: a reference to a version the plan registers, or a level the plan changes before
    registering. A registry that fails to answer leaves a warning too. A first version has
    nothing to be compatible with: ``registrable`` asks whether the registry can store it at all,
    and a schema it calls invalid blocks the plan (instead of apply failing after the subject's
    other steps ran).
    """
    notes: list[PlanWarning] = []
    for step in (s for s in plan.steps if isinstance(s, RegisterSchema)):
        subject = next(s for s in plan.subjects if s.subject == step.subject)
        verdict = subject.verdict
        pre = next(p for p in plan.preconditions if p.subject == step.subject)
        level_now = pre.compatibility or plan.global_settings.compatibility
        if verdict is None:
            continue
        if not any(not v.deleted for v in pre.versions):
            if registrable is not None and not any(r.planned for r in step.references):
                plan = _check_registrable(plan, step, registrable, notes)
            continue
        if any(r.planned for r in step.references):
            notes.append(RemoteCheckSkippedPlannedReference(step.subject))
            continue
        if verdict.level is not level_now:
            notes.append(RemoteCheckSkippedLevelChange(step.subject, verdict.level, level_now))
            continue
        refs = tuple(SchemaReference(r.name, r.subject, r.version or 0) for r in step.references)
        try:
            answer = ask(step.subject, Schema(step.schema_str, step.schema_type, refs))
        except RegistryError as exc:
            notes.append(RemoteCheckFailed(step.subject, exc.message))
            continue
        plan = record_remote_verdict(
            plan, step.subject, compatible=answer.is_compatible, messages=answer.messages
        )
    return replace(plan, warnings=(*plan.warnings, *notes)) if notes else plan


def _check_registrable(
    plan: Plan, step: RegisterSchema, registrable: AskRegistrable, notes: list[PlanWarning]
) -> Plan:
    """``plan`` with ``step``'s subject blocked when the registry calls its schema invalid."""
    refs = tuple(SchemaReference(r.name, r.subject, r.version or 0) for r in step.references)
    try:
        refused = registrable(step.subject, Schema(step.schema_str, step.schema_type, refs))
    except RegistryError as exc:
        notes.append(RemoteCheckFailed(step.subject, exc.message))
        return plan
    if refused is None:
        return plan
    subjects = tuple(
        replace(
            s,
            action=SubjectAction.BLOCKED,
            blocked_reasons=(*s.blocked_reasons, RegistryRefusesSchema(refused)),
        )
        if s.subject == step.subject
        else s
        for s in plan.subjects
    )
    return replace(plan, subjects=subjects)
