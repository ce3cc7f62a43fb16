"""The validate, check, apply and status outcomes the document golden files show, built from
small inputs (the plans come from :mod:`tests.render.scenarios`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from aurum_sr.apply.result import ApplyResult, StepOutcome, StepStatus
from aurum_sr.capabilities import Implementation, capabilities_of
from aurum_sr.compat import CompatibilityChecker, CompatibilityResult
from aurum_sr.errors import Diagnostic, Severity
from aurum_sr.model import CompatibilityLevel, Mode
from aurum_sr.plan import Plan, RegisterSchema
from aurum_sr.registry import RegistryStatus
from tests.render.scenarios import PLANS


@dataclass(frozen=True)
class Validation:
    valid: bool
    subjects: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]


def validation_valid() -> Validation:
    orphan = Diagnostic(
        Severity.WARNING,
        "unlisted-schema",
        "no contract lists this schema file",
        "schemas/orphan.avsc",
        1,
        1,
        hint="add a contract for it, or delete it",
    )
    return Validation(True, ("b.orders-value", "a.geo"), (orphan,))


def validation_invalid() -> Validation:
    return Validation(
        False,
        (),
        (
            Diagnostic(
                Severity.ERROR,
                "invalid-value",
                "mode 'WRITEONLY' in subject 'shop.Geo' is not one of READWRITE, READONLY",
                "contracts/contracts.yml",
                6,
                11,
                hint="did you mean 'READONLY'?",
            ),
            Diagnostic(Severity.ERROR, "yaml-syntax", "a | pipe and `ticks`", "schemas/x.avsc", 3),
            Diagnostic(
                Severity.WARNING, "missing-doc", "record Order has no doc", "schemas/o.avsc"
            ),
        ),
    )


VALIDATIONS: dict[str, Callable[[], Validation]] = {
    "validate_valid": validation_valid,
    "validate_invalid": validation_invalid,
}


def _record(*fields: tuple[str, object, object]) -> str:
    out = []
    for name, kind, default in fields:
        entry: dict[str, object] = {"name": name, "type": kind}
        if default is not None:
            entry["default"] = default
        out.append(entry)
    return json.dumps({"type": "record", "name": "Order", "fields": out})


V1 = _record(("id", "long", None), ("amount", "int", None))
V2 = _record(("id", "long", None))
V3 = _record(("id", "long", None), ("amount", "string", ""))


@dataclass(frozen=True)
class Check:
    result: CompatibilityResult
    files: dict[int, str]
    new: str


def check_compatible() -> Check:
    result = CompatibilityChecker().check_against_history([V1], V2, CompatibilityLevel.BACKWARD)
    return Check(result, {1: "old.avsc"}, "new.avsc")


def check_incompatible() -> Check:
    result = CompatibilityChecker().check_against_history(
        [V1, V2], V3, CompatibilityLevel.FULL_TRANSITIVE
    )
    return Check(result, {1: "v1.avsc", 2: "v2.avsc"}, "v3.avsc")


def check_first_version() -> Check:
    result = CompatibilityChecker().check_against_history([V1], V1, CompatibilityLevel.NONE)
    return Check(result, {1: "v1.avsc"}, "v1.avsc")


CHECKS: dict[str, Callable[[], Check]] = {
    "check_compatible": check_compatible,
    "check_incompatible": check_incompatible,
    "check_first_version": check_first_version,
}


@dataclass(frozen=True)
class Applied:
    plan: Plan
    result: ApplyResult


def _done(index: int, plan: Plan, changed: bool = True, *, planned: bool = False) -> StepOutcome:
    step = plan.steps[index - 1]
    if isinstance(step, RegisterSchema):
        version, schema_id = 2 + index, 100 + index
        if planned:
            version = step.expected_version
        return StepOutcome(
            index,
            step,
            StepStatus.DONE,
            changed=changed,
            message=f"registered v{version} (id {schema_id})",
            version=version,
            schema_id=schema_id,
        )
    return StepOutcome(index, step, StepStatus.DONE, changed=changed, message="set")


def apply_complete() -> Applied:
    plan = PLANS["reference_chain"]()
    outcomes = tuple(_done(i, plan, changed=i != 1) for i in range(1, len(plan.steps) + 1))
    return Applied(plan, ApplyResult("http://registry.example:8081", outcomes))


def apply_stopped() -> Applied:
    plan = PLANS["reference_chain"]()
    failed = StepOutcome(
        2,
        plan.steps[1],
        StepStatus.FAILED,
        message="HTTP 409: Schema being registered is incompatible | with an earlier schema",
        http_status=409,
        error_code=409,
    )
    rest = tuple(
        StepOutcome(i, plan.steps[i - 1], StepStatus.NOT_STARTED)
        for i in range(3, len(plan.steps) + 1)
    )
    result = ApplyResult("http://registry.example:8081", (_done(1, plan), failed, *rest))
    return Applied(plan, result)


def apply_nothing() -> Applied:
    return Applied(PLANS["no_changes"](), ApplyResult("memory:", ()))


def apply_breaking_allowed() -> Applied:
    plan = PLANS["breaking_allowed"]()
    outcomes = tuple(_done(i, plan, planned=True) for i in range(1, len(plan.steps) + 1))
    return Applied(plan, ApplyResult("file:/tmp/snapshot.json", outcomes))


APPLIES: dict[str, Callable[[], Applied]] = {
    "apply_complete": apply_complete,
    "apply_stopped": apply_stopped,
    "apply_nothing": apply_nothing,
    "apply_breaking_allowed": apply_breaking_allowed,
}


def status_full() -> RegistryStatus:
    return RegistryStatus(
        registry="https://registry.example",
        reachable=True,
        server_version="7.6.1",
        total_subjects=12,
        total_schemas=30,
        global_compatibility=CompatibilityLevel.BACKWARD,
        global_mode=Mode.READWRITE,
        capabilities=capabilities_of(Implementation.KARAPACE, found_by="pinned"),
    )


def status_unknown() -> RegistryStatus:
    return RegistryStatus(registry="file:/tmp/snapshot.json", reachable=True)


STATUSES: dict[str, Callable[[], RegistryStatus]] = {
    "status_full": status_full,
    "status_unknown": status_unknown,
}
