"""The planner's use of the compatibility checker: local verdicts and explained changes."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from aurum_sr import compat
from aurum_sr.canonical import canonical_text
from aurum_sr.compat.result import ChangeCategory, CompatibilityResult, SchemaChange
from aurum_sr.model import CompatibilityLevel, RegisteredSchema, Schema, SchemaReference

Resolver = Callable[[SchemaReference], Schema]


def check(
    new: Schema,
    previous: Sequence[RegisteredSchema],
    level: CompatibilityLevel,
    resolver: Resolver,
) -> CompatibilityResult:
    """The local verdict on ``new`` against ``previous`` (live versions, oldest first)."""
    return compat.check(new, previous, level, resolver=resolver)


def _ref_text(ref: SchemaReference, planned: frozenset[tuple[str, int]]) -> str:
    if (ref.subject, ref.version) in planned:
        return f"{ref.subject}@(the version this plan registers)"
    return f"{ref.subject}@v{ref.version}"


def structural_changes(
    old: Schema, new: Schema, *, planned: frozenset[tuple[str, int]] = frozenset()
) -> tuple[SchemaChange, ...]:
    """Differences between the canonical JSON of two schemas, one per changed path.

    Used when the semantic list is empty although the schemas differ (a custom attribute, a
    changed reference), so no new version is ever planned without saying why.
    """
    from deepdiff import DeepDiff

    changes: list[SchemaChange] = []
    if old.references != new.references:
        before = ", ".join(_ref_text(r, frozenset()) for r in old.references) or "none"
        after = ", ".join(_ref_text(r, planned) for r in new.references) or "none"
        changes.append(
            SchemaChange(
                kind="references_changed",
                category=ChangeCategory.NON_BREAKING,
                field_path="",
                message=f"references change from {before} to {after}",
            )
        )
    a = json.loads(canonical_text(old.schema_str, old.schema_type))
    b = json.loads(canonical_text(new.schema_str, new.schema_type))
    delta = DeepDiff(a, b, verbose_level=2)
    for report, entries in sorted(delta.items()):
        items = entries.items() if isinstance(entries, dict) else ((e, None) for e in entries)
        for path, value in sorted(items, key=lambda kv: str(kv[0])):
            pointer = _pointer(str(path))
            changes.append(
                SchemaChange(
                    kind=str(report),
                    category=ChangeCategory.COSMETIC
                    if pointer.endswith("/doc")
                    else ChangeCategory.NON_BREAKING,
                    field_path=pointer,
                    message=f"{str(report).replace('_', ' ')} at {pointer}: {_short(value)}",
                    location=pointer,
                )
            )
    return tuple(changes)


def _pointer(deepdiff_path: str) -> str:
    """``root['fields'][2]['doc']`` → ``/fields/2/doc``."""
    inner = deepdiff_path.removeprefix("root")
    parts = [p.strip("'\"") for p in inner.replace("]", "").split("[") if p]
    return "/" + "/".join(parts) if parts else "/"


def _short(value: object) -> str:
    text = json.dumps(value, sort_keys=True, default=str) if value is not None else ""
    return text if len(text) <= 80 else text[:77] + "..."
