"""Subject names against the declared naming strategy, topic and role."""

from __future__ import annotations

import sys

from aurum_sr.desired.contracts import SubjectEntry
from aurum_sr.desired.diagnostics import Collector
from aurum_sr.desired.schemas import SchemaFile
from aurum_sr.model import NamingStrategy, Role

if sys.version_info >= (3, 11):
    from typing import assert_never
else:  # pragma: no cover - Python 3.10
    from typing_extensions import assert_never


def check_naming(
    entry: SubjectEntry,
    strategy: NamingStrategy,
    schema: SchemaFile | None,
    diags: Collector,
    path: str,
) -> None:
    """Report a subject name that its naming strategy would not produce."""
    name = entry.subject
    if entry.role is not None:
        other = Role.VALUE if entry.role is Role.KEY else Role.KEY
        if name.endswith(f"-{other.value}"):
            diags.error(
                "role-mismatch",
                f"subject {name!r} ends in -{other.value} but its role is {entry.role.value}",
                path,
                entry.role_position,
                f"set role: {other.value}, or rename the subject",
            )
            return
    where = f"naming strategy {strategy.value}"
    if strategy is NamingStrategy.NONE:
        return
    if strategy is NamingStrategy.TOPIC:
        if entry.topic is None or entry.role is None:
            missing = " and ".join(
                k for k, v in (("topic", entry.topic), ("role", entry.role)) if v is None
            )
            diags.error(
                "naming-strategy",
                f"subject {name!r} uses {where} but has no {missing}",
                path,
                entry.position,
                f"add {missing}, or set naming_strategy: record for a subject named after "
                "its record",
            )
            return
        expected = f"{entry.topic}-{entry.role.value}"
    elif strategy is NamingStrategy.RECORD:
        if schema is None or schema.full_name is None:
            return  # no named top-level type: reported with the schema, or nothing to compare
        expected = schema.full_name
    elif strategy is NamingStrategy.TOPIC_RECORD:
        if entry.topic is None:
            diags.error(
                "naming-strategy",
                f"subject {name!r} uses {where} but has no topic",
                path,
                entry.position,
                "add topic: <the Kafka topic>",
            )
            return
        if schema is None or schema.full_name is None:
            return
        expected = f"{entry.topic}-{schema.full_name}"
    else:
        assert_never(strategy)
    if name != expected:
        diags.error(
            "naming-strategy",
            f"subject {name!r} does not follow {where}: expected {expected!r}",
            path,
            entry.subject_position,
            f"rename the subject to {expected!r}, or set naming_strategy to the strategy your "
            "serializers use",
        )
