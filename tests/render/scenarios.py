"""The plans and drift reports the golden files show, built by hand from small states."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from aurum_sr.canonical import schema_digest
from aurum_sr.diff import DriftReport, diff, drift
from aurum_sr.model import (
    BreakApproval,
    CompatibilityLevel,
    DesiredReference,
    DesiredState,
    Lifecycle,
    LiveState,
    Mode,
    Schema,
    SchemaReference,
    SourceLocation,
    SubjectSpec,
)
from aurum_sr.plan import Plan, PlanPolicy, build_plan, record_remote_verdict
from aurum_sr.plan.remote import check_remotely
from tests.apply.helpers import memory_registry
from tests.plan.factories import (
    FIXED_TIME,
    desired,
    field,
    live,
    live_from,
    record,
    spec,
    subject_state,
)

L = CompatibilityLevel
NULL_STRING = ["null", "string"]

GEO = record(
    "GeoLocation",
    field("latitude", "double"),
    field("longitude", "double"),
    namespace="aurum.common",
)
GEO_V2 = record(
    "GeoLocation",
    field("latitude", "double"),
    field("longitude", "double"),
    field("elevation_m", ["null", "double"], default=None),
    namespace="aurum.common",
)
STATION = record(
    "Station",
    field("station_id"),
    field("location", "aurum.common.GeoLocation"),
    namespace="aurum.noaa",
)
WEATHER = record(
    "WeatherObservation",
    field("station", "aurum.noaa.Station"),
    field("value", "double"),
    namespace="aurum.noaa",
)
ORDER_V1 = record("Order", field("order_id", "long"), field("amount", "double"))
ORDER_V2 = record(
    "Order",
    field("order_id", "long"),
    field("amount", "double"),
    field("note", NULL_STRING, default=None, doc="Free text."),
)
ORDER_BREAKING = record(
    "Order", field("order_id", "long"), field("amount", "double"), field("currency")
)
KEY = record("OrderKey", field("order_id", "long"))
KEY_V2 = record("OrderKey", field("order_id", "long"), field("region", "string", default="eu"))

GEO_REF = DesiredReference("aurum.common.GeoLocation", "aurum.common.GeoLocation")
STATION_REF = DesiredReference("aurum.noaa.Station", "aurum.noaa.station-value")


def _plan(d: DesiredState, lv: LiveState, policy: PlanPolicy | None = None) -> Plan:
    policy = policy or PlanPolicy()
    return build_plan(d, lv, diff(d, lv, prune=policy.prune), policy=policy, created_at=FIXED_TIME)


def empty_registry() -> Plan:
    d = desired(
        spec("aurum.common.GeoLocation", GEO, compatibility=L.FULL_TRANSITIVE),
        spec("aurum.orders-key", KEY, compatibility=L.FULL, owner="orders@aurum.example"),
        spec(
            "aurum.noaa.station-value",
            STATION,
            references=(GEO_REF,),
            owner="weather@aurum.example",
        ),
    )
    return _plan(d, live())


def _orders(schema: str, **kwargs: object) -> DesiredState:
    return desired(spec("aurum.orders-value", schema, owner="orders@aurum.example", **kwargs))  # type: ignore[arg-type]


def no_changes() -> Plan:
    d = desired(
        spec("aurum.common.GeoLocation", GEO, compatibility=L.FULL_TRANSITIVE),
        spec("aurum.noaa.station-value", STATION, references=(GEO_REF,)),
    )
    return _plan(d, live_from(d))


def compatible_new_version() -> Plan:
    lv = live(subject_state("aurum.orders-value", ORDER_V1, compatibility=L.BACKWARD))
    return _plan(_orders(ORDER_V2, compatibility=L.BACKWARD), lv)


def breaking_blocked() -> Plan:
    lv = live(subject_state("aurum.orders-value", ORDER_V1, ORDER_V2, compatibility=L.BACKWARD))
    return _plan(_orders(ORDER_BREAKING, compatibility=L.BACKWARD), lv)


def breaking_transitive() -> Plan:
    """The same break against v1 and v2 under BACKWARD_TRANSITIVE: shown once, both versions."""
    level = L.BACKWARD_TRANSITIVE
    lv = live(subject_state("aurum.orders-value", ORDER_V1, ORDER_V2, compatibility=level))
    return _plan(_orders(ORDER_BREAKING, compatibility=level), lv)


def breaking_allowed() -> Plan:
    lv = live(subject_state("aurum.orders-value", ORDER_V1, ORDER_V2, compatibility=L.BACKWARD))
    policy = PlanPolicy(allow_incompatible=("aurum.orders-value",))
    return _plan(_orders(ORDER_BREAKING, compatibility=L.BACKWARD), lv, policy)


def _approved(item: SubjectSpec, *approvals: BreakApproval) -> SubjectSpec:
    return replace(item, accepted_breaks=approvals)


def _approval(line: int, **kwargs: object) -> BreakApproval:
    where = SourceLocation("contracts/contracts.yml", line, 9)
    return BreakApproval(location=where, **kwargs)  # type: ignore[arg-type]


def breaking_accepted() -> Plan:
    """The break of ``breaking_blocked``, accepted in git by an approval naming its digest."""
    lv = live(subject_state("aurum.orders-value", ORDER_V1, ORDER_V2, compatibility=L.BACKWARD))
    approval = _approval(
        14,
        by="jane.doe",
        reason="every consumer reads currency since release 42 (ORD-1187)",
        digest=schema_digest(ORDER_BREAKING),
        until=date(2027, 1, 31),
    )
    item = spec("aurum.orders-value", ORDER_BREAKING, compatibility=L.BACKWARD)
    return _plan(desired(_approved(item, approval)), lv)


def approval_unmatched() -> Plan:
    """Approvals that accept nothing: another schema, one already registered, one not needed,
    and an expired one whose break stays blocked."""
    d = desired(
        _approved(
            spec("aurum.orders-value", ORDER_V2, compatibility=L.BACKWARD),
            _approval(12, by="jane.doe", reason="old review", digest=schema_digest(ORDER_BREAKING)),
            _approval(16, by="li.wei", reason="release 7", version=2),
        ),
        _approved(
            spec("aurum.legacy-value", ORDER_V2, compatibility=L.BACKWARD),
            _approval(24, by="sam.roe", reason="applied in May", digest=schema_digest(ORDER_V2)),
        ),
        _approved(
            spec("aurum.payments-value", ORDER_BREAKING, compatibility=L.BACKWARD),
            _approval(
                31,
                by="ana.lima",
                reason="migration window",
                digest=schema_digest(ORDER_BREAKING),
                until=date(2026, 6, 30),
            ),
        ),
    )
    lv = live(
        subject_state("aurum.orders-value", ORDER_V1, compatibility=L.BACKWARD),
        subject_state(
            "aurum.legacy-value", ORDER_V1, ORDER_V2, compatibility=L.BACKWARD, first_id=200
        ),
        subject_state("aurum.payments-value", ORDER_V1, compatibility=L.BACKWARD, first_id=300),
    )
    return _plan(d, lv)


def tighten_and_loosen() -> Plan:
    """One subject tightens BACKWARD → FULL_TRANSITIVE, one loosens FULL → NONE."""
    d = desired(
        spec("aurum.orders-value", ORDER_V2, compatibility=L.FULL_TRANSITIVE),
        spec("aurum.legacy-value", ORDER_BREAKING, compatibility=L.NONE),
    )
    lv = live(
        subject_state("aurum.orders-value", ORDER_V1, compatibility=L.BACKWARD),
        subject_state("aurum.legacy-value", ORDER_V1, compatibility=L.FULL, first_id=200),
    )
    return _plan(d, lv)


def reference_chain() -> Plan:
    """GeoLocation gets a new version; Station and WeatherObservation must follow it."""
    d = desired(
        spec("aurum.common.GeoLocation", GEO_V2, compatibility=L.FULL_TRANSITIVE),
        spec("aurum.noaa.station-value", STATION, references=(GEO_REF,)),
        spec("aurum.noaa.weather-value", WEATHER, references=(STATION_REF,)),
    )
    geo = subject_state("aurum.common.GeoLocation", GEO, compatibility=L.FULL_TRANSITIVE)
    station = subject_state(
        "aurum.noaa.station-value",
        Schema(STATION, references=(SchemaReference(GEO_REF.name, GEO_REF.subject, 1),)),
        first_id=10,
    )
    weather = subject_state(
        "aurum.noaa.weather-value",
        Schema(WEATHER, references=(SchemaReference(STATION_REF.name, STATION_REF.subject, 1),)),
        first_id=20,
    )
    return _plan(d, live(geo, station, weather))


def rollback() -> Plan:
    lv = live(subject_state("aurum.orders-value", ORDER_V1, ORDER_V2, compatibility=L.BACKWARD))
    return _plan(_orders(ORDER_V1, compatibility=L.BACKWARD), lv)


def deletion() -> Plan:
    """Two absent subjects, one referencing the other, and one long soft-deleted (--permanent)."""
    d = desired(
        spec("aurum.orders-value", ORDER_V2),
        spec("aurum.old.address-value", lifecycle=Lifecycle.ABSENT),
        spec("aurum.old.customer-value", lifecycle=Lifecycle.ABSENT),
        spec("aurum.old.retired-value", lifecycle=Lifecycle.ABSENT),
    )
    address = record("Address", field("street"), namespace="aurum.old")
    customer = Schema(
        record("Customer", field("address", "aurum.old.Address"), namespace="aurum.old"),
        references=(SchemaReference("aurum.old.Address", "aurum.old.address-value", 1),),
    )
    lv = live(
        subject_state("aurum.orders-value", ORDER_V2),
        subject_state("aurum.old.address-value", address, first_id=30),
        subject_state("aurum.old.customer-value", customer, first_id=40),
        subject_state("aurum.old.retired-value", KEY, deleted=(1,), first_id=50),
        other_subjects=("aurum.tmp.scratch-value", "legacy-orders-value"),
    )
    return _plan(d, lv, PlanPolicy(allow_delete=True, permanent=True, prune=True))


def mode_change() -> Plan:
    d = _orders(ORDER_V2, mode=Mode.READONLY)
    lv = live(subject_state("aurum.orders-value", ORDER_V1, mode=Mode.READWRITE))
    return _plan(d, lv)


AMOUNT_INT = record("Order", field("order_id", "long"), field("amount", "int"))
NO_AMOUNT = record("Order", field("order_id", "long"))
AMOUNT_STR = record("Order", field("order_id", "long"), field("amount", "string", default=""))


def notes_and_blocks() -> Plan:
    """Every note, warning and block the builder can attach to a subject, one subject each."""
    narrowed = record("Order", field("order_id", "int"))
    user = Schema(
        record("User", field("o", "aurum.test.Order")),
        references=(SchemaReference("aurum.test.Order", "aurum.pinned-value", 2),),
    )
    address = record("Address", field("street"), namespace="aurum.old")
    customer = Schema(
        record("Customer", field("a", "aurum.old.Address"), namespace="aurum.old"),
        references=(SchemaReference("aurum.old.Address", "aurum.address-value", 1),),
    )
    d = desired(
        spec("aurum.readonly-value", ORDER_V2),
        spec("aurum.tighten-value", AMOUNT_STR, compatibility=L.BACKWARD_TRANSITIVE),
        spec(
            "aurum.settings-value",
            AMOUNT_STR,
            compatibility=L.BACKWARD_TRANSITIVE,
            mode=Mode.READONLY,
        ),
        spec("aurum.loosen-value", ORDER_V1, compatibility=L.NONE),
        spec("aurum.narrowed-value", narrowed),
        spec("aurum.pinned-value", ORDER_V1),
        spec(
            "aurum.user-value",
            user.schema_str,
            references=(DesiredReference("aurum.test.Order", "aurum.pinned-value", 2),),
        ),
        spec("aurum.address-value", lifecycle=Lifecycle.ABSENT),
        spec(
            "aurum.customer-value",
            customer.schema_str,
            references=(DesiredReference("aurum.old.Address", "aurum.address-value", 1),),
        ),
        spec("aurum.revived-value", ORDER_V2),
        spec("aurum.remote-value", ORDER_V2, compatibility=L.BACKWARD),
    )
    lv = live(
        subject_state("aurum.readonly-value", ORDER_V1, mode=Mode.READONLY, first_id=10),
        subject_state(
            "aurum.tighten-value", AMOUNT_INT, NO_AMOUNT, compatibility=L.BACKWARD, first_id=20
        ),
        subject_state(
            "aurum.settings-value",
            AMOUNT_INT,
            NO_AMOUNT,
            AMOUNT_STR,
            compatibility=L.BACKWARD,
            mode=Mode.READWRITE,
            first_id=30,
        ),
        subject_state("aurum.loosen-value", ORDER_V1, compatibility=L.FULL, first_id=40),
        subject_state("aurum.narrowed-value", narrowed, ORDER_V1, first_id=50),
        subject_state("aurum.pinned-value", ORDER_V1, ORDER_V2, first_id=60),
        subject_state("aurum.user-value", user, first_id=70),
        subject_state("aurum.address-value", address, first_id=80),
        subject_state("aurum.customer-value", customer, first_id=90),
        subject_state("aurum.revived-value", ORDER_V1, ORDER_V2, deleted=(2,), first_id=110),
        subject_state("aurum.remote-value", ORDER_V1, compatibility=L.BACKWARD, first_id=120),
    )
    plan = _plan(d, lv)
    return record_remote_verdict(
        plan,
        "aurum.remote-value",
        compatible=False,
        messages=("reader's field note has no default",),
    )


SITE = record("Site", field("site_id"), field("at", "aurum.common.GeoLocation"))
SITE_V2 = record(
    "Site", field("site_id"), field("at", "aurum.common.GeoLocation"), field("n", "int", default=0)
)
PINNED_GEO_REF = DesiredReference(GEO_REF.name, GEO_REF.subject, 1)


def remote_check_warnings() -> Plan:
    """The plan-level warnings of ``--remote-check``: two skipped checks and a failed one."""
    d = desired(
        spec("aurum.common.GeoLocation", GEO_V2, compatibility=L.FULL_TRANSITIVE),
        spec("aurum.noaa.station-value", STATION, references=(GEO_REF,)),
        spec("aurum.orders-value", ORDER_V2, compatibility=L.NONE),
        spec("aurum.site-value", SITE_V2, references=(PINNED_GEO_REF,)),
    )
    lv = live(
        subject_state("aurum.common.GeoLocation", GEO, compatibility=L.FULL_TRANSITIVE),
        subject_state(
            "aurum.noaa.station-value",
            Schema(STATION, references=(SchemaReference(GEO_REF.name, GEO_REF.subject, 1),)),
            first_id=10,
        ),
        subject_state("aurum.orders-value", ORDER_V1, compatibility=L.BACKWARD, first_id=20),
        subject_state(
            "aurum.site-value",
            Schema(SITE, references=(SchemaReference(GEO_REF.name, GEO_REF.subject, 1),)),
            first_id=30,
        ),
    )
    # An empty registry: it cannot resolve the site's reference, so that check fails.
    return check_remotely(_plan(d, lv), memory_registry().test_compatibility)


def many_changes(count: int = 30) -> Plan:
    """``count`` compatible changes (new subjects and new versions), one key subject whose new
    version warns, and one blocked break: what compact output and the Markdown budget shorten."""
    specs = [spec("aurum.orders-value", ORDER_BREAKING, compatibility=L.BACKWARD)]
    states = [subject_state("aurum.orders-value", ORDER_V1, ORDER_V2, compatibility=L.BACKWARD)]
    specs.append(spec("aurum.orders-key", KEY_V2, owner="orders@aurum.example"))
    states.append(subject_state("aurum.orders-key", KEY, first_id=5))
    for i in range(count):
        name = f"aurum.feed{i:02d}-value"
        owner = "feeds@aurum.example" if i % 2 else "weather@aurum.example"
        specs.append(spec(name, ORDER_V2, owner=owner))
        if i % 3 == 0:  # every third one is new
            continue
        states.append(subject_state(name, ORDER_V1, first_id=100 + 10 * i))
    return _plan(desired(*specs), live(*states))


PLANS: dict[str, Callable[[], Plan]] = {
    "breaking_transitive": breaking_transitive,
    "empty_registry": empty_registry,
    "no_changes": no_changes,
    "compatible_new_version": compatible_new_version,
    "breaking_blocked": breaking_blocked,
    "breaking_allowed": breaking_allowed,
    "breaking_accepted": breaking_accepted,
    "approval_unmatched": approval_unmatched,
    "tighten_and_loosen": tighten_and_loosen,
    "reference_chain": reference_chain,
    "rollback": rollback,
    "deletion": deletion,
    "mode_change": mode_change,
    "notes_and_blocks": notes_and_blocks,
    "remote_check_warnings": remote_check_warnings,
}


def _drift_base() -> DesiredState:
    return _orders(ORDER_V2, compatibility=L.BACKWARD, mode=Mode.READWRITE)


def drift_in_sync() -> DriftReport:
    d = _drift_base()
    return drift(d, live_from(d), checked_at=FIXED_TIME)


def drift_version_outside_git() -> DriftReport:
    lv = live(
        subject_state(
            "aurum.orders-value", ORDER_V1, ORDER_V2, ORDER_BREAKING, compatibility=L.BACKWARD
        )
    )
    return drift(_drift_base(), _with_mode(lv), checked_at=FIXED_TIME)


def drift_compatibility_changed() -> DriftReport:
    lv = live(subject_state("aurum.orders-value", ORDER_V2, compatibility=L.NONE))
    return drift(_drift_base(), _with_mode(lv), checked_at=FIXED_TIME)


def drift_mode_changed() -> DriftReport:
    lv = live(
        subject_state("aurum.orders-value", ORDER_V2, compatibility=L.BACKWARD, mode=Mode.READONLY)
    )
    return drift(_drift_base(), lv, checked_at=FIXED_TIME)


def drift_subject_deleted() -> DriftReport:
    lv = live(
        subject_state(
            "aurum.orders-value",
            ORDER_V2,
            compatibility=L.BACKWARD,
            mode=Mode.READWRITE,
            deleted=(1,),
        )
    )
    return drift(_drift_base(), lv, checked_at=FIXED_TIME)


def drift_unmanaged_subject() -> DriftReport:
    d = _drift_base()
    base = live_from(d)
    lv = live(
        *base.subjects.values(), other_subjects=("aurum.tmp.scratch-value", "other-team-value")
    )
    return drift(d, lv, checked_at=FIXED_TIME)


def drift_registry_behind_git() -> DriftReport:
    lv = live(subject_state("aurum.orders-value", ORDER_V1, compatibility=L.BACKWARD))
    return drift(_drift_base(), _with_mode(lv), checked_at=FIXED_TIME)


def _with_mode(lv: LiveState) -> LiveState:
    states = [
        type(s)(s.subject, s.versions, s.compatibility, Mode.READWRITE)
        for s in lv.subjects.values()
    ]
    return live(*states)


DRIFTS: dict[str, Callable[[], DriftReport]] = {
    "drift_in_sync": drift_in_sync,
    "drift_version_outside_git": drift_version_outside_git,
    "drift_compatibility_changed": drift_compatibility_changed,
    "drift_mode_changed": drift_mode_changed,
    "drift_subject_deleted": drift_subject_deleted,
    "drift_unmanaged_subject": drift_unmanaged_subject,
    "drift_registry_behind_git": drift_registry_behind_git,
}
