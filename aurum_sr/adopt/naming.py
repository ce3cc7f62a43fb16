"""Which subject name strategy produced a subject's name."""

from __future__ import annotations

from dataclasses import dataclass

from aurum_sr.model import NamingStrategy, Role


@dataclass(frozen=True)
class Naming:
    """A subject's naming strategy, with the topic and role it implies."""

    strategy: NamingStrategy
    topic: str | None = None
    role: Role | None = None


def infer_naming(subject: str, full_name: str | None) -> Naming:
    """The strategy a serializer would have used to produce ``subject``.

    ``full_name`` is the full name of the schema's top-level named type (``None`` for a schema
    without one). ``<topic>-key`` / ``<topic>-value`` is the topic strategy; the full name
    alone, the record strategy; ``<topic>-<full name>``, the topic-record strategy; anything
    else follows no strategy (:attr:`NamingStrategy.NONE`).
    """
    for role in (Role.KEY, Role.VALUE):
        suffix = f"-{role.value}"
        if subject.endswith(suffix) and len(subject) > len(suffix):
            return Naming(NamingStrategy.TOPIC, topic=subject[: -len(suffix)], role=role)
    if full_name:
        if subject == full_name:
            return Naming(NamingStrategy.RECORD)
        suffix = f"-{full_name}"
        if subject.endswith(suffix) and len(subject) > len(suffix):
            return Naming(NamingStrategy.TOPIC_RECORD, topic=subject[: -len(suffix)])
    return Naming(NamingStrategy.NONE)
