"""Step order: referenced subjects before referrers, loosening before, tightening after.

Per subject the steps fall in four slots. ``before`` holds what a registration needs first (a
looser compatibility level, a writable mode); ``main`` the registration or the version deletes of
a rollback; ``after`` what must wait for it (a stricter level, a read-only mode). Subjects run in
reference order, so a referrer's registration can name the version its reference registered.
Subject deletes run last, referrers before what they reference (the registry refuses to delete
a subject another subject still references).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from aurum_sr.diff.schemas import topological
from aurum_sr.plan.steps import Step


@dataclass
class SubjectSteps:
    """The steps of one subject, by slot (mutable while the builder fills it)."""

    before: list[Step] = field(default_factory=list)
    main: list[Step] = field(default_factory=list)
    after: list[Step] = field(default_factory=list)
    deletes: list[Step] = field(default_factory=list)


def order_steps(
    per_subject: Mapping[str, SubjectSteps], depends_on: Mapping[str, set[str]]
) -> tuple[Step, ...]:
    """Flatten the slots into apply order; ``depends_on[s]`` = subjects ``s`` references."""
    names = set(per_subject) | set(depends_on)
    # (deps & names) - {n}: written as ``deps & names - {n}`` it copied ``names`` per subject.
    edges = {n: sorted((depends_on.get(n, set()) & names) - {n}) for n in names}
    order = topological(edges)
    steps: list[Step] = []
    for name in order:
        slots = per_subject.get(name)
        if slots is not None:
            steps.extend([*slots.before, *slots.main, *slots.after])
    for name in reversed(order):
        slots = per_subject.get(name)
        if slots is not None:
            steps.extend(slots.deletes)
    return tuple(steps)
