"""One plan per environment (``plan --env all``), and its document.

The document holds each environment's own plan document, unchanged (each with its digest, and
its signature when ``AURUM_SR_PLAN_KEY`` is set), so ``apply FILE --env NAME`` applies exactly
the plan that was reviewed for that environment::

    {"format_version": 2, "kind": "environments", "worst": "blocked",
     "environments": [{"environment": "dev", "plan": {...}}, ...], "digest": "..."}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aurum_sr.errors import PlanFileError
from aurum_sr.plan.document import digest_of, from_document
from aurum_sr.plan.document import to_document as plan_document
from aurum_sr.plan.model import FORMAT_VERSION, Plan

KIND = "environments"


@dataclass(frozen=True)
class EnvironmentPlan:
    """One environment's plan."""

    environment: str
    plan: Plan


@dataclass(frozen=True)
class EnvironmentsPlan:
    """Every environment's plan, in promotion order (else in the order configured)."""

    plans: tuple[EnvironmentPlan, ...]

    @property
    def blocked(self) -> bool:
        return any(p.plan.blocked for p in self.plans)

    @property
    def has_changes(self) -> bool:
        return any(p.plan.has_changes for p in self.plans)

    @property
    def worst(self) -> str:
        """``blocked``, ``changes`` or ``none``: the worst of the plans (the exit code's)."""
        return "blocked" if self.blocked else "changes" if self.has_changes else "none"

    def environment(self, name: str) -> Plan:
        """The plan of environment ``name``.

        Raises:
            PlanFileError: no plan for that environment.
        """
        for entry in self.plans:
            if entry.environment == name:
                return entry.plan
        raise PlanFileError(
            f"the plan holds no plan for environment {name!r} (it has "
            f"{', '.join(p.environment for p in self.plans)})",
            hint="apply it with --env and one of those names",
        )


def to_document(plans: EnvironmentsPlan, *, key: str | None = None) -> dict[str, Any]:
    """The combined document: each environment's plan document, and a digest over them."""
    document: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "kind": KIND,
        "worst": plans.worst,
        "environments": [
            {"environment": p.environment, "plan": plan_document(p.plan, key=key)}
            for p in plans.plans
        ],
    }
    document["digest"] = digest_of(document)
    return document


def is_environments_document(document: object) -> bool:
    """Whether ``document`` is a combined plan (``plan --env all --out``)."""
    return isinstance(document, dict) and document.get("kind") == KIND


def from_environments_document(
    document: dict[str, Any], *, key: str | None = None
) -> EnvironmentsPlan:
    """The plans of a combined document, each checked as a saved plan is.

    Raises:
        PlanFileError: modified (digest), another format version, or a plan that does not load.
    """
    if document.get("format_version") != FORMAT_VERSION:
        raise PlanFileError(
            f"the plan document has format_version {document.get('format_version')!r}; this "
            f"aurum-sr reads format_version {FORMAT_VERSION}",
            hint="make the plan again with this aurum-sr",
        )
    if document.get("digest") != digest_of(document):
        raise PlanFileError(
            "the plan document was modified after it was made (its digest does not match)",
            hint="make a fresh plan with `aurum-sr plan --env all --out plan.json`",
        )
    entries = document.get("environments")
    if not isinstance(entries, list):
        raise PlanFileError("the plan document has no list of environments")
    plans = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("environment"), str):
            raise PlanFileError("the plan document has an environment entry without a name")
        plans.append(
            EnvironmentPlan(entry["environment"], from_document(entry.get("plan"), key=key))
        )
    return EnvironmentsPlan(tuple(plans))


def dumps(plans: EnvironmentsPlan, *, key: str | None = None) -> str:
    """The combined document as indented, key-sorted JSON text ending with a newline."""
    return (
        json.dumps(to_document(plans, key=key), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )
