"""Reading a whole registry (or the part under a prefix) for a snapshot file."""

from __future__ import annotations

from dataclasses import replace

from aurum_sr.model import LiveState
from aurum_sr.registry.protocol import Registry


def export_state(registry: Registry, *, prefix: str = "") -> LiveState:
    """Every subject under ``prefix`` (soft-deleted ones too) plus, transitively, the subjects
    their schemas reference, so the snapshot resolves every reference it holds."""
    subjects = set(registry.list_subjects(deleted=True, prefix=prefix or None))
    state = registry.read_state(sorted(subjects), list_prefixes=[prefix])
    merged = dict(state.subjects)
    while True:
        missing = {
            ref.subject
            for s in merged.values()
            for v in s.versions
            for ref in v.schema.references
            if ref.subject not in merged
        }
        if not missing:
            break
        extra = registry.read_state(sorted(missing))
        if not extra.subjects:
            break  # dangling references: keep what the registry holds
        merged.update(extra.subjects)
    return replace(state, subjects=dict(sorted(merged.items())), other_subjects=())
