"""⑦ Apply: check a plan still holds, then run its steps in order, idempotently.

Nothing is written until every check has passed: the plan is not blocked, deletes are allowed,
and the registry still holds what the plan saw (apart from the plan's own effects, see
:mod:`aurum_sr.apply.preconditions`). Each step first looks at the state it would produce and
only writes when that state is not already in effect, so running a plan again, or after a
failure, converges without registering anything twice.

A step is done only when the registry holds what it meant to write: every write is read back
once (a registration by the registry backend itself, see
:meth:`~aurum_sr.registry.protocol.Registry.register`), and a registration that lands on another
version than the plan expected means someone else registered in between: the step fails as
stale and no new step starts.

Registrations that no later step waits for are read back together when the registry has the
bulk listing: the answer of each is kept, and one paged ``latestOnly`` listing confirms a whole
wave of them (subject, version and schema id; the content by its identity). A subject the
listing does not show as answered (another writer registered after us, a listing that lags) is
read back on its own, as without the listing; so is every registration a later step waits
for, before that step starts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from typing_extensions import assert_never

from aurum_sr.apply.preconditions import modes_to_read, movements, subjects_to_read
from aurum_sr.apply.result import (
    ApplyInterruptedError,
    ApplyResult,
    ApplyStoppedError,
    ApplyTerminatedError,
    StepOutcome,
    StepStatus,
)
from aurum_sr.apply.schedule import Stop, Unconfirmed, dependencies, run_steps
from aurum_sr.canonical import same_schema
from aurum_sr.capabilities import Capabilities
from aurum_sr.errors import (
    PlanBlockedError,
    PlanError,
    RegistryError,
    SchemaRegistryConnectionError,
    StalePlanError,
    SubjectNotFoundError,
)
from aurum_sr.model import CompatibilityLevel, LiveState, Mode, RegisteredSchema, Schema
from aurum_sr.model import SchemaReference as Reference
from aurum_sr.plan.model import Plan, SubjectAction
from aurum_sr.plan.steps import (
    DeleteSubject,
    DeleteVersion,
    RegisterSchema,
    SetCompatibility,
    SetContractConfig,
    SetMode,
    Step,
)
from aurum_sr.registry.protocol import Registration, Registry
from aurum_sr.render import words
from aurum_sr.secrets import mask_url

StepCallback = Callable[[StepOutcome], None]
"""Called after each step with its outcome (live progress)."""

# Registry answers that mean "the delete you asked for is already in effect".
_SUBJECT_NOT_FOUND = 40401
_VERSION_NOT_FOUND = 40402
_SUBJECT_SOFT_DELETED = 40404
_VERSION_SOFT_DELETED = 40406


def check_plan(plan: Plan, *, allow_delete: bool) -> None:
    """Refuse a plan that must not run, before anything is read or written.

    Raises:
        PlanBlockedError: an incompatible change (or a refused delete) blocks the plan.
        PlanError: the plan deletes and ``allow_delete`` is False.
    """
    if plan.blocked:
        blocked = [s for s in plan.subjects if s.action is SubjectAction.BLOCKED]
        reasons = "; ".join(
            f"{s.subject}: {', '.join(map(words.blocked_reason, s.blocked_reasons)) or 'blocked'}"
            for s in blocked
        )
        raise PlanBlockedError(
            f"the plan is blocked and cannot be applied ({reasons})",
            hint="fix what each reason names; an incompatible schema may instead be accepted in "
            "git (the blocked plan prints an `accepted_breaks:` entry to add to the subject's "
            "contract) or with `plan --allow-incompatible SUBJECT`; then make a new plan",
        )
    if plan.needs_allow_delete and not allow_delete:
        deletes = [
            words.step(s) for s in plan.steps if isinstance(s, (DeleteSubject, DeleteVersion))
        ]
        raise PlanError(
            "the plan deletes, and deletes need --allow-delete: " + "; ".join(deletes),
            hint="review the deletes, then run `aurum-sr apply --allow-delete`",
        )


def check_target(plan: Plan, registry: str) -> None:
    """Refuse to apply a plan to another registry than the one it was made against.

    Raises:
        PlanError: the registries differ (credentials and ``file:`` path spelling aside).
    """
    if _where(plan.registry) != _where(registry):
        raise PlanError(
            f"the plan was made against {plan.registry}, not {mask_url(registry)}",
            hint="apply it with --registry pointing at the registry it was made against, or "
            "make a plan against this registry",
        )


def _where(registry: str) -> str:
    parts = urlsplit(registry)
    if parts.scheme == "file":
        return "file:" + str(Path(parts.path).resolve())
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


def check_capabilities(plan: Plan, target: Capabilities) -> None:
    """Refuse ``plan`` when it was made for a registry that can do something ``target``
    cannot (a plan made against Confluent, applied to Karapace).

    Raises:
        PlanError: naming what the target lacks (nothing written).
    """
    assumed = plan.capabilities
    if assumed is None:
        return
    missing = assumed.missing_in(target)
    if missing:
        names = ", ".join(c.value for c in missing)
        raise PlanError(
            f"the plan was made for a {assumed.implementation.value} registry that supports "
            f"{names}; registry {plan.registry} ({target.implementation.value}) does not",
            hint="make a plan against this registry (`aurum-sr plan --out plan.json`) and "
            "apply that one",
        )


def check_fresh(plan: Plan, live: LiveState) -> None:
    """Refuse ``plan`` when the registry moved since it was made (beyond its own effects).

    Raises:
        StalePlanError: listing, per subject, what it was and what it is now.
    """
    moved = movements(plan, live)
    if moved:
        lines = "\n".join(f"  {m}" for m in moved)
        raise StalePlanError(
            f"the plan made at {plan.created_at} is stale: registry {plan.registry} moved since\n"
            f"{lines}",
            hint="make a fresh plan (`aurum-sr plan --out plan.json`), review it, and apply that",
        )


def apply_plan(
    plan: Plan,
    registry: Registry,
    *,
    allow_delete: bool = False,
    on_step: StepCallback | None = None,
    max_workers: int = 1,
    seen: LiveState | None = None,
) -> ApplyResult:
    """Check ``plan`` and run its steps against ``registry``.

    Steps that do not depend on each other run concurrently, at most ``max_workers`` at a time
    (:mod:`aurum_sr.apply.schedule`; one worker runs them in plan order). ``seen`` is the state
    ``plan`` was made from when it was made in this same run: what the plan just read is then
    the precondition, and only subjects it merely listed (an unmanaged subject to prune) or read
    in part are read again; without ``seen`` every precondition is read again and compared.

    Returns the result when every step is done (already in effect counts as done).

    Raises:
        PlanBlockedError: the plan is blocked (nothing written).
        PlanError: the plan deletes without ``allow_delete`` (nothing written).
        StalePlanError: the registry moved since the plan was made (nothing written).
        RegistryError: the preconditions could not be read (nothing written).
        ApplyStoppedError: a step failed; ``.result`` has every step as done, failed or not
            started. Its subclasses: ApplyInterruptedError (Ctrl-C), ApplyTerminatedError
            (SIGTERM: the steps in flight finished, no new one started).
    """
    check_plan(plan, allow_delete=allow_delete)
    check_target(plan, registry.name)
    check_capabilities(plan, registry.capabilities())
    live = _preconditions(plan, registry, seen)
    check_fresh(plan, live)
    run = _Run(registry, _View.of(live), _confirmed_together(plan.steps, registry), plan.steps)
    outcomes, stop = run_steps(
        plan.steps, run.step, workers=max_workers, on_step=on_step, confirm=run.confirm
    )
    result = ApplyResult(registry=registry.name, outcomes=outcomes)
    if stop is Stop.INTERRUPTED:
        raise ApplyInterruptedError(result)
    if stop is Stop.TERMINATED:
        raise ApplyTerminatedError(result)
    if not result.ok:
        raise ApplyStoppedError(result)
    return result


def _preconditions(plan: Plan, registry: Registry, seen: LiveState | None) -> LiveState:
    """The live state the plan's preconditions are checked against and its steps start from."""
    if seen is None:
        return registry.read_state(subjects_to_read(plan), modes_for=modes_to_read(plan))
    listed = set(seen.other_subjects)
    unread = sorted(
        {
            s.subject
            for s in plan.steps
            if s.subject in listed
            or (s.subject in seen.subjects and not seen.subjects[s.subject].history_complete)
        }
    )
    if not unread:
        return seen
    modes = set(modes_to_read(plan))
    fresh = registry.read_state(unread, modes_for=[s for s in unread if s in modes])
    subjects = dict(seen.subjects)
    for name in unread:
        subjects.pop(name, None)
        if name in fresh.subjects:
            subjects[name] = fresh.subjects[name]
    return replace(seen, subjects=subjects)


def _confirmed_together(steps: tuple[Step, ...], registry: Registry) -> frozenset[int]:
    """The (1-based) registrations to confirm in bulk: those no later step waits for, when the
    registry has the bulk listing."""
    if not registry.lists_in_bulk():
        return frozenset()
    awaited = {i for needs in dependencies(steps) for i in needs}
    return frozenset(
        i + 1
        for i, step in enumerate(steps)
        if isinstance(step, RegisterSchema) and i not in awaited
    )


@dataclass(frozen=True)
class _Answered:
    """A registration the registry answered, awaiting confirmation."""

    step: RegisterSchema
    schema: Schema
    answer: Registration


@dataclass
class _Subject:
    versions: dict[int, RegisteredSchema] = field(default_factory=dict)
    compatibility: CompatibilityLevel | None = None
    mode: Mode | None = None

    def live(self) -> list[RegisteredSchema]:
        return [v for _, v in sorted(self.versions.items()) if not v.deleted]


@dataclass
class _View:
    """What this run knows the registry holds, updated as steps write."""

    subjects: dict[str, _Subject]

    @classmethod
    def of(cls, live: LiveState) -> _View:
        return cls(
            {
                name: _Subject({v.version: v for v in s.versions}, s.compatibility, s.mode)
                for name, s in live.subjects.items()
            }
        )

    def get(self, subject: str) -> _Subject:
        return self.subjects.setdefault(subject, _Subject())


class _Run:
    def __init__(
        self,
        registry: Registry,
        view: _View,
        together: frozenset[int],
        steps: tuple[Step, ...] = (),
    ) -> None:
        self.registry = registry
        self.view = view
        self.registrations = {s.subject: s for s in steps if isinstance(s, RegisterSchema)}
        """Subject -> the plan's registration for it (what a temporary level makes room for)."""
        self.together = together
        """Registrations (1-based) confirmed together (:meth:`confirm`), not one by one."""
        self.answered: dict[int, _Answered] = {}
        self.registered: dict[str, int] = {}
        """Subject -> the version its RegisterSchema step left in effect (planned references)."""

    def step(self, index: int, step: Step) -> StepOutcome | Unconfirmed:
        try:
            return self._run(index, step)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, not lost
            return _failed(index, step, exc)

    def confirm(self, batch: Sequence[Unconfirmed]) -> list[StepOutcome]:
        """Confirm answered registrations with one bulk listing; a subject it does not show
        as answered is read back on its own."""
        answered = [self.answered.pop(u.index) for u in batch]
        try:
            listed = self.registry.latest_versions(a.step.subject for a in answered) or {}
        except Exception:  # noqa: BLE001 - each registration is then read back on its own
            listed = {}
        return [
            self._confirm(u.index, a, listed.get(a.step.subject))
            for u, a in zip(batch, answered, strict=True)
        ]

    def _confirm(
        self, index: int, answered: _Answered, listed: RegisteredSchema | None
    ) -> StepOutcome:
        step, answer = answered.step, answered.answer
        try:
            if listed is None or not _holds(listed, answer, answered.schema):
                listed = self.registry.confirm_registration(
                    answer, answered.schema, normalize=step.normalize
                )
            return self._written(index, step, listed)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, not lost
            return _failed(index, step, exc)

    def _run(self, index: int, step: Step) -> StepOutcome | Unconfirmed:
        if isinstance(step, RegisterSchema):
            return self._register(index, step)
        if isinstance(step, SetCompatibility):
            return self._set_compatibility(index, step)
        if isinstance(step, SetMode):
            return self._set_mode(index, step)
        if isinstance(step, SetContractConfig):
            return self._set_contract_config(index, step)
        if isinstance(step, DeleteVersion):
            return self._delete_version(index, step)
        if isinstance(step, DeleteSubject):
            return self._delete_subject(index, step)
        assert_never(step)

    def _schema_of(self, step: RegisterSchema) -> Schema:
        """The schema ``step`` registers, its planned references resolved.

        Raises:
            PlanError: a planned reference whose registration has not run.
        """
        references = []
        for ref in step.references:
            version = self.registered.get(ref.subject) if ref.planned else ref.version
            if version is None:
                raise PlanError(
                    f"reference {ref.name} of {step.subject} points at the version this plan "
                    f"registers for {ref.subject}, but no earlier step registered it"
                )
            references.append(Reference(ref.name, ref.subject, version))
        return Schema(
            step.schema_str, step.schema_type, tuple(references), step.metadata, step.rule_set
        )

    def _registration_in_effect(self, subject: str) -> bool:
        """Whether the plan's registration for ``subject`` is live already (an earlier run)."""
        step = self.registrations.get(subject)
        if step is None:
            return False
        try:
            schema = self._schema_of(step)
        except PlanError:
            return False
        return any(same_schema(v.schema, schema) for v in self.view.get(subject).live())

    def _register(self, index: int, step: RegisterSchema) -> StepOutcome | Unconfirmed:
        schema = self._schema_of(step)
        state = self.view.get(step.subject)
        present = next((v for v in reversed(state.live()) if same_schema(v.schema, schema)), None)
        if present is not None:
            # Already registered (an earlier run): confirm with the registry, write nothing.
            found = self.registry.lookup(step.subject, schema, normalize=step.normalize)
            if found is not None:
                return self._registered(index, step, found, changed=False)
        if index in self.together:
            answer = self.registry.register_unconfirmed(
                step.subject, schema, normalize=step.normalize
            )
            if answer.version is None or answer.version == step.expected_version:
                self.answered[index] = _Answered(step, schema, answer)
                return Unconfirmed(index, step)
            # The answer already says another writer came first: read it back now.
            done = self.registry.confirm_registration(answer, schema, normalize=step.normalize)
        else:
            done = self.registry.register(step.subject, schema, normalize=step.normalize)
        return self._written(index, step, done)

    def _written(self, index: int, step: RegisterSchema, done: RegisteredSchema) -> StepOutcome:
        """The outcome of a registration the registry holds as ``done``."""
        self.view.get(step.subject).versions[done.version] = done
        if done.version != step.expected_version:
            return self._stale(index, step, done)
        return self._registered(index, step, done, changed=True)

    def _stale(self, index: int, step: RegisterSchema, done: RegisteredSchema) -> StepOutcome:
        """The registration landed on another version than planned: the subject moved while
        the plan was being applied, and its verdict was computed on a state that is gone."""
        self.registered[step.subject] = done.version
        message = (
            f"registered v{done.version} (id {done.schema_id}), but the plan expected "
            f"v{step.expected_version}: the subject changed during the apply (another writer), "
            "so the plan is stale and the apply stops; make a fresh plan and review it"
        )
        return StepOutcome(
            index,
            step,
            StepStatus.FAILED,
            changed=True,
            message=message,
            version=done.version,
            schema_id=done.schema_id,
        )

    def _registered(
        self, index: int, step: RegisterSchema, done: RegisteredSchema, *, changed: bool
    ) -> StepOutcome:
        self.registered[step.subject] = done.version
        message = (
            f"registered v{done.version} (id {done.schema_id})"
            if changed
            else f"already registered as v{done.version} (id {done.schema_id})"
        )
        return StepOutcome(
            index,
            step,
            StepStatus.DONE,
            changed=changed,
            message=message,
            version=done.version,
            schema_id=done.schema_id,
        )

    def _set_compatibility(self, index: int, step: SetCompatibility) -> StepOutcome:
        state = self.view.get(step.subject)
        if step.temporary and self._registration_in_effect(step.subject):
            return _done(index, step, "not needed: the registration it is for is in effect")
        if state.compatibility is step.level:
            return _done(index, step, f"compatibility already {step.level.value}")
        self.registry.set_compatibility(step.level, step.subject)
        held = self.registry.get_compatibility(step.subject)
        if held is not step.level:
            raise _not_stored(self.registry, step, f"compatibility {_setting(held)}")
        state.compatibility = step.level
        return _done(index, step, f"compatibility set to {step.level.value}", changed=True)

    def _set_contract_config(self, index: int, step: SetContractConfig) -> StepOutcome:
        if self.registry.get_contract_config(step.subject) == step.config:
            return _done(index, step, "data-contract config already as the contracts say")
        self.registry.set_contract_config(step.subject, step.config)
        held = self.registry.get_contract_config(step.subject)
        if held != step.config:
            raise _not_stored(self.registry, step, "another data-contract config")
        return _done(index, step, "data-contract config set", changed=True)

    def _set_mode(self, index: int, step: SetMode) -> StepOutcome:
        state = self.view.get(step.subject)
        if state.mode is step.mode:
            return _done(index, step, f"mode already {step.mode.value}")
        self.registry.set_mode(step.mode, step.subject)
        held = self.registry.get_mode(step.subject)
        if held is not step.mode:
            raise _not_stored(self.registry, step, f"mode {_setting(held)}")
        state.mode = step.mode
        return _done(index, step, f"mode set to {step.mode.value}", changed=True)

    def _delete_version(self, index: int, step: DeleteVersion) -> StepOutcome:
        state = self.view.get(step.subject)
        current = state.versions.get(step.version)
        how = "permanently deleted" if step.permanent else "soft-deleted"
        if current is None or (current.deleted and not step.permanent):
            return _done(index, step, f"v{step.version} already {how}")
        already = {_VERSION_NOT_FOUND, _SUBJECT_NOT_FOUND}
        if not step.permanent:
            already.add(_VERSION_SOFT_DELETED)
        if not _tolerating(
            already,
            lambda: self.registry.delete_version(
                step.subject, step.version, permanent=step.permanent
            ),
        ):
            return _done(index, step, f"v{step.version} already {how}")
        if step.version in _versions(self.registry, step.subject, deleted=step.permanent):
            raise _not_stored(self.registry, step, f"v{step.version} still there")
        if step.permanent:
            del state.versions[step.version]
        else:
            state.versions[step.version] = _soft_deleted(current)
        return _done(index, step, f"v{step.version} {how}", changed=True)

    def _delete_subject(self, index: int, step: DeleteSubject) -> StepOutcome:
        state = self.view.get(step.subject)
        how = "permanently deleted" if step.permanent else "soft-deleted"
        gone = not state.versions if step.permanent else not state.live()
        if gone:
            return _done(index, step, f"subject already {how}")
        already = {_SUBJECT_NOT_FOUND}
        if not step.permanent:
            already.add(_SUBJECT_SOFT_DELETED)
        if not _tolerating(
            already, lambda: self.registry.delete_subject(step.subject, permanent=step.permanent)
        ):
            return _done(index, step, f"subject already {how}")
        left = _versions(self.registry, step.subject, deleted=step.permanent)
        if left:
            raise _not_stored(self.registry, step, f"versions {left} still there")
        if step.permanent:
            self.view.subjects[step.subject] = _Subject()
        else:
            state.versions = {n: _soft_deleted(v) for n, v in state.versions.items()}
        return _done(index, step, f"subject {how}", changed=True)


def _holds(listed: RegisteredSchema, answer: Registration, schema: Schema) -> bool:
    """Whether the listed latest version is the registration ``answer`` of ``schema``."""
    return (
        listed.schema_id == answer.schema_id
        and (answer.version is None or listed.version == answer.version)
        and same_schema(listed.schema, schema)
    )


def _setting(value: CompatibilityLevel | Mode | None) -> str:
    return "inherited" if value is None else value.value


def _versions(registry: Registry, subject: str, *, deleted: bool) -> list[int]:
    """The versions ``subject`` holds (with soft-deleted ones when ``deleted``), read back."""
    try:
        return registry.list_versions(subject, deleted=deleted)
    except SubjectNotFoundError:
        return []


def _not_stored(registry: Registry, step: Step, held: str) -> RegistryError:
    return RegistryError(
        f"registry {registry.name} answered {words.step(step)!r}, but reading it back it holds "
        f"{held}: the write was not stored",
        registry=registry.name,
        subject=step.subject,
        hint="check the registry's health and anything between it and aurum-sr (a proxy or "
        "gateway); then plan again",
    )


def _soft_deleted(version: RegisteredSchema) -> RegisteredSchema:
    return RegisteredSchema(
        version.subject, version.version, version.schema_id, version.schema, deleted=True
    )


def _tolerating(codes: set[int], write: Callable[[], object]) -> bool:
    """Run ``write``; False when the registry answers that its effect is already in place."""
    try:
        write()
    except RegistryError as exc:
        if exc.error_code in codes:
            return False
        raise
    return True


def _done(index: int, step: Step, message: str, *, changed: bool = False) -> StepOutcome:
    return StepOutcome(index, step, StepStatus.DONE, changed=changed, message=message)


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>]+")


def safe_message(exc: BaseException) -> str:
    """The error's message with any URL's credentials masked (backends mask them already;
    this is the last line of defence for what goes into reports)."""
    text = str(exc)
    return _URL.sub(lambda m: mask_url(m.group(0)), text)


def _failed(index: int, step: Step, exc: Exception) -> StepOutcome:
    message = safe_message(exc)
    if isinstance(exc, SchemaRegistryConnectionError):
        message += (
            " (the registry may or may not have applied this step; "
            "planning again shows where it stands)"
        )
    elif not isinstance(exc, (RegistryError, PlanError)):
        message = f"unexpected error ({type(exc).__name__}): {message}"
    return StepOutcome(
        index,
        step,
        StepStatus.FAILED,
        message=message,
        http_status=getattr(exc, "http_status", None),
        error_code=getattr(exc, "error_code", None),
    )
