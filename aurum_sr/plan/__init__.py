"""⑤ The plan: a ChangeSet, verdicts and a policy → a frozen, serialisable Plan. Pure."""

from aurum_sr.plan.builder import build_plan, record_remote_verdict
from aurum_sr.plan.model import (
    FORMAT_VERSION,
    GlobalSettings,
    Plan,
    PlanPolicy,
    Precondition,
    SubjectAction,
    SubjectPlan,
    UnmanagedEntry,
    Verdict,
    VersionSeen,
)
from aurum_sr.plan.reasons import AllowedBy, ReasonCode
from aurum_sr.plan.steps import (
    DeleteSubject,
    DeleteVersion,
    RegisterSchema,
    SetCompatibility,
    SetMode,
    Step,
    StepReference,
)

__all__ = [
    "FORMAT_VERSION",
    "AllowedBy",
    "DeleteSubject",
    "DeleteVersion",
    "GlobalSettings",
    "Plan",
    "PlanPolicy",
    "Precondition",
    "ReasonCode",
    "RegisterSchema",
    "SetCompatibility",
    "SetMode",
    "Step",
    "StepReference",
    "SubjectAction",
    "SubjectPlan",
    "UnmanagedEntry",
    "Verdict",
    "VersionSeen",
    "build_plan",
    "record_remote_verdict",
]
