"""Drift: what the registry holds that the contracts do not explain, classified. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum

from typing_extensions import assert_never

from aurum_sr.diff.subjects import SchemaAction, diff
from aurum_sr.model import DesiredState, LiveState


class DriftKind(str, Enum):
    """The classes of drift a nightly job reports."""

    VERSION_OUTSIDE_GIT = "version-outside-git"
    """A live version newer than the one the contracts hold was registered outside git."""
    COMPATIBILITY_CHANGED = "compatibility-changed"
    MODE_CHANGED = "mode-changed"
    SUBJECT_DELETED = "subject-deleted"
    """The contracts want the subject, the registry has it soft-deleted or not at all."""
    UNMANAGED_SUBJECT = "unmanaged-subject"
    """A live subject under a prefix the contracts own that no contract lists."""
    REGISTRY_BEHIND_GIT = "registry-behind-git"
    """The contracts hold a change the registry does not have yet (a plan not applied)."""


@dataclass(frozen=True)
class DriftFinding:
    """One difference, with what git expects and what the registry has."""

    kind: DriftKind
    subject: str
    message: str
    expected: str = ""
    actual: str = ""
    schema_file: str = ""
    """The contract's schema file (where adopting a live version writes it), when it has one."""


@dataclass(frozen=True)
class DriftReport:
    """Every finding, sorted by subject then kind."""

    registry: str
    desired_root: str
    contracts_path: str
    findings: tuple[DriftFinding, ...]
    checked_at: str = ""
    """When the registry was compared, ISO 8601 UTC ("" in reports from before it was kept)."""

    @property
    def drifted(self) -> bool:
        return bool(self.findings)

    @property
    def subjects(self) -> tuple[str, ...]:
        """The subjects with at least one finding, sorted."""
        return tuple(sorted({f.subject for f in self.findings}))


def drift(
    desired: DesiredState,
    live: LiveState,
    *,
    modes_pinnable: bool = True,
    checked_at: datetime | None = None,
) -> DriftReport:
    """Classify every difference between the contracts and the registry (``checked_at``, now
    unless given, is injectable so golden files are reproducible).

    ``modes_pinnable`` is False for a registry that cannot set a subject's mode (Karapace,
    Apicurio; docs/registries.md): a subject merely inheriting the mode its contract wants is
    then as the contracts want it.

    Raises:
        PlanError: references cannot be resolved (see :func:`aurum_sr.diff.diff`).
    """
    changes = diff(desired, live)
    findings: list[DriftFinding] = []
    for change in changes.subjects:
        name = change.subject
        state = live.subjects.get(name)
        if change.action is SchemaAction.CREATE:
            deleted = state is not None and bool(state.versions)
            findings.append(
                DriftFinding(
                    DriftKind.SUBJECT_DELETED,
                    name,
                    "the contracts want this subject; the registry has "
                    + (
                        "only soft-deleted versions of it"
                        if deleted
                        else "no such subject (never applied, or permanently deleted)"
                    ),
                    expected="present",
                    actual="soft-deleted" if deleted else "missing",
                )
            )
        elif change.action is SchemaAction.ROLLBACK:
            assert state is not None, "a rollback makes a live version latest again"
            newer = ", ".join(f"v{v}" for v in change.newer_versions)
            findings.append(
                DriftFinding(
                    DriftKind.VERSION_OUTSIDE_GIT,
                    name,
                    f"{newer} registered outside git; the contracts hold v{change.matched_version}",
                    expected=f"v{change.matched_version}",
                    actual=f"v{change.newer_versions[-1]}",
                    schema_file=_schema_file(desired, name),
                )
            )
        elif change.action is SchemaAction.REGISTER:
            assert state is not None, "a new version goes to a subject with a latest one"
            latest = state.latest
            findings.append(
                DriftFinding(
                    DriftKind.REGISTRY_BEHIND_GIT,
                    name,
                    "the contracts hold a schema the registry does not have yet "
                    "(a plan not applied)",
                    expected="a new version",
                    actual=f"v{latest.version}" if latest else "",
                )
            )
        elif change.action is SchemaAction.DELETE:
            findings.append(
                DriftFinding(
                    DriftKind.REGISTRY_BEHIND_GIT,
                    name,
                    "the contracts want this subject absent; the registry still has it",
                    expected="absent",
                    actual="present",
                )
            )
        elif change.action is SchemaAction.UNCHANGED or change.action is SchemaAction.ABSENT:
            pass  # the schema agrees with the registry; its settings are compared below
        else:
            assert_never(change.action)
        if change.compatibility is not None and change.action is not SchemaAction.CREATE:
            c = change.compatibility
            findings.append(
                DriftFinding(
                    DriftKind.COMPATIBILITY_CHANGED,
                    name,
                    f"compatibility is {c.effective_before.value}"
                    + (" (inherited from the global level)" if c.before is None else "")
                    + f"; the contracts want {c.after.value}",
                    expected=c.after.value,
                    actual=c.before.value if c.before is not None else "inherited",
                )
            )
        in_effect = change.mode is not None and change.mode.effective_before == change.mode.after
        if (
            change.mode is not None
            and change.action is not SchemaAction.CREATE
            and (modes_pinnable or not in_effect)
        ):
            m = change.mode
            findings.append(
                DriftFinding(
                    DriftKind.MODE_CHANGED,
                    name,
                    f"mode is {m.effective_before.value}"
                    + (" (inherited from the global mode)" if m.before is None else "")
                    + f"; the contracts want {m.after.value}",
                    expected=m.after.value,
                    actual=m.before.value if m.before is not None else "inherited",
                )
            )
    for unmanaged in changes.unmanaged:
        if unmanaged.owned:
            findings.append(
                DriftFinding(
                    DriftKind.UNMANAGED_SUBJECT,
                    unmanaged.subject,
                    "live subject under a prefix the contracts own, listed in no contract",
                    expected="listed in contracts.yml or absent",
                    actual="present",
                )
            )
    findings.sort(key=lambda f: (f.subject, f.kind.value))
    return DriftReport(
        registry=live.registry,
        desired_root=desired.root,
        contracts_path=desired.contracts_path,
        findings=tuple(findings),
        checked_at=(checked_at or datetime.now(timezone.utc))
        .astimezone(timezone.utc)
        .isoformat(timespec="seconds"),
    )


def _schema_file(desired: DesiredState, subject: str) -> str:
    spec = desired.subjects.get(subject)
    return spec.schema_file if spec is not None and spec.schema_file else ""
