"""The semantic change list between two schemas, breaking or not.

A plan shows what changed, not only whether it is allowed. Each :class:`SchemaChange` names one
change (field added, enum symbol removed, logical type changed, ...), where it is, and which
reader/writer directions it breaks on its own (``breaks``); whether a type change is readable is
asked of the registry checker, never re-derived. Categories:

* ``breaking`` — some direction the level checks (both, when no level is given) cannot read;
* ``non-breaking`` — both still read (e.g. a field added with a default);
* ``risky`` — the registry accepts it but the meaning of stored values or of generated code may
  change (logical types, which the checker ignores; namespace changes);
* ``cosmetic`` — no effect on reading (doc, order).
"""

from __future__ import annotations

import json
from typing import Any

from aurum_sr.formats.avro.explain import type_label
from aurum_sr.formats.avro.fingerprint import node_ids
from aurum_sr.formats.avro.parse import ReferenceResolver
from aurum_sr.formats.avro.parsed import parsed
from aurum_sr.formats.avro.reader_writer import (
    RegistryChecker,
    enum_default_is_usable,
    kind_of,
    names_match,
)
from aurum_sr.formats.result import ChangeCategory, Direction, SchemaChange
from aurum_sr.model import CompatibilityLevel, Schema

NAMED = ("record", "enum", "fixed")
LOGICAL_PROPS = ("logicalType", "precision", "scale")

_MISSING = object()

BACKWARD = Direction.NEW_READS_OLD
FORWARD = Direction.OLD_READS_NEW


def describe_changes(
    old: Schema, new: Schema, *, resolver: ReferenceResolver | None = None
) -> tuple[SchemaChange, ...]:
    """Every semantic change from ``old`` to ``new``, categorised for both directions.

    Raises:
        SchemaInputError: a schema is not valid Avro or a reference cannot be resolved.
    """
    return describe_parsed(parsed(old, resolver)[1], parsed(new, resolver)[1], None)


def describe_parsed(
    old: Any, new: Any, level: CompatibilityLevel | None
) -> tuple[SchemaChange, ...]:
    """The change list for parsed schemas; categories relative to ``level`` when given."""
    differ = _Differ(level, node_ids(old), node_ids(new))
    root = new.name if kind_of(new) in NAMED else kind_of(new)
    differ.diff(old, new, "", root)
    return tuple(differ.changes)


def _checked(level: CompatibilityLevel | None, direction: Direction) -> bool:
    if level is None:
        return True
    if direction is BACKWARD:
        return level.checks_backward
    return level.checks_forward


def _show(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _ptr(base: str, *tokens: str) -> str:
    return base + "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)


class _Differ:
    def __init__(
        self,
        level: CompatibilityLevel | None,
        old_prints: dict[int, int] | None = None,
        new_prints: dict[int, int] | None = None,
    ) -> None:
        self.level = level
        self._old_prints = old_prints or {}
        self._new_prints = new_prints or {}
        self.checker = RegistryChecker()
        self.changes: list[SchemaChange] = []
        self._seen: set[tuple[int, int]] = set()

    def add(
        self,
        kind: str,
        path: str,
        message: str,
        ptr: str,
        *,
        breaks: tuple[Direction, ...] = (),
        otherwise: ChangeCategory = ChangeCategory.NON_BREAKING,
    ) -> None:
        counted = tuple(d for d in breaks if _checked(self.level, d))
        category = ChangeCategory.BREAKING if counted else otherwise
        self.changes.append(SchemaChange(kind, category, path, message, ptr or "/", breaks))

    def _breaks(self, old: Any, new: Any) -> tuple[Direction, ...]:
        out = []
        if not self.checker.compatible(new, old):
            out.append(BACKWARD)
        if not self.checker.compatible(old, new):
            out.append(FORWARD)
        return tuple(out)

    def diff(self, old: Any, new: Any, ptr: str, path: str) -> None:
        key = (id(old), id(new))
        if key in self._seen:
            return
        self._seen.add(key)
        same = self._old_prints.get(id(old))
        if same is not None and same == self._new_prints.get(id(new)):
            return  # an unchanged subtree
        o_kind, n_kind = kind_of(old), kind_of(new)
        if o_kind == "union" or n_kind == "union":
            self._unions(old, new, ptr, path)
            return
        self._logical(old, new, ptr, path)
        if o_kind != n_kind:
            self._type_change(old, new, ptr, path)
        elif o_kind == "array":
            self.diff(old.items, new.items, _ptr(ptr, "items"), path + "[]")
        elif o_kind == "map":
            self.diff(old.values, new.values, _ptr(ptr, "values"), path + "{}")
        elif o_kind in NAMED:
            self._named(old, new, ptr, path)

    def _type_change(self, old: Any, new: Any, ptr: str, path: str) -> None:
        breaks = self._breaks(old, new)
        old_label, new_label = type_label(old), type_label(new)
        if breaks == (FORWARD,):
            self.add(
                "type_promoted",
                path,
                f"`{path}` is promoted from {old_label} to {new_label}; old readers cannot read "
                "the wider type.",
                ptr,
                breaks=breaks,
            )
        else:
            self.add(
                "type_changed",
                path,
                f"`{path}` changes type from {old_label} to {new_label}.",
                ptr,
                breaks=breaks,
            )

    def _logical(self, old: Any, new: Any, ptr: str, path: str) -> None:
        before = {k: old.props.get(k) for k in LOGICAL_PROPS if old.props.get(k) is not None}
        after = {k: new.props.get(k) for k in LOGICAL_PROPS if new.props.get(k) is not None}
        if before == after:
            return
        if not before.get("logicalType") and not after.get("logicalType"):
            return
        self.add(
            "logical_type_changed",
            path,
            f"`{path}` changes logical type from {_logical_label(before)} to "
            f"{_logical_label(after)}; the registry does not check logical types, but the "
            "meaning of stored values changes.",
            ptr,
            otherwise=ChangeCategory.RISKY,
        )

    def _unions(self, old: Any, new: Any, ptr: str, path: str) -> None:
        old_branches = old.schemas if kind_of(old) == "union" else [old]
        new_branches = new.schemas if kind_of(new) == "union" else [new]
        pairs: list[tuple[Any, Any, int]] = []
        matched_old: set[int] = set()
        added: list[Any] = []
        for j, branch in enumerate(new_branches):
            counterpart = next(
                (
                    i
                    for i, ob in enumerate(old_branches)
                    if i not in matched_old and _same_branch(ob, branch)
                ),
                None,
            )
            if counterpart is None:
                added.append(branch)
            else:
                matched_old.add(counterpart)
                pairs.append((old_branches[counterpart], branch, j))
        removed = [b for i, b in enumerate(old_branches) if i not in matched_old]
        new_is_union = kind_of(new) == "union"
        old_is_union = kind_of(old) == "union"
        null_added = any(kind_of(b) == "null" for b in added)
        null_removed = any(kind_of(b) == "null" for b in removed)
        if not old_is_union and null_added and pairs:
            self.add(
                "made_optional",
                path,
                f"`{path}` becomes optional ({type_label(new)}); old readers cannot read null.",
                ptr,
                breaks=self._breaks(old, new),
            )
            added = [b for b in added if kind_of(b) != "null"]
        if not new_is_union and null_removed and pairs:
            self.add(
                "made_required",
                path,
                f"`{path}` becomes required ({type_label(new)}); the new schema cannot read "
                "null values already written.",
                ptr,
                breaks=self._breaks(old, new),
            )
            removed = [b for b in removed if kind_of(b) != "null"]
        if not pairs and added and removed and not (old_is_union and new_is_union):
            self._type_change(old, new, ptr, path)
            return
        for branch in added:
            breaks = (
                () if any(self.checker.compatible(o, branch) for o in old_branches) else (FORWARD,)
            )
            self.add(
                "union_branch_added",
                path,
                f"`{path}` accepts a new union branch {type_label(branch)}.",
                ptr,
                breaks=breaks,
            )
        for branch in removed:
            breaks = (
                () if any(self.checker.compatible(n, branch) for n in new_branches) else (BACKWARD,)
            )
            self.add(
                "union_branch_removed",
                path,
                f"`{path}` no longer accepts union branch {type_label(branch)}.",
                ptr,
                breaks=breaks,
            )
        for old_branch, new_branch, j in pairs:
            self.diff(old_branch, new_branch, _ptr(ptr, str(j)) if new_is_union else ptr, path)

    def _named(self, old: Any, new: Any, ptr: str, path: str) -> None:
        kind = kind_of(new)
        if old.fullname != new.fullname:
            if old.name == new.name:
                self.add(
                    "namespace_changed",
                    path,
                    f"{kind} `{old.name}` moves from namespace `{old.namespace or ''}` to "
                    f"`{new.namespace or ''}`; the registry accepts it, generated classes and "
                    "union branch selection may not (add the old full name as an alias).",
                    _ptr(ptr, "namespace"),
                    otherwise=ChangeCategory.RISKY,
                )
            else:
                readable = ((BACKWARD, names_match(new, old)), (FORWARD, names_match(old, new)))
                breaks = tuple(d for d, ok in readable if not ok)
                self.add(
                    "name_changed",
                    path,
                    f"{kind} `{old.fullname}` is renamed to `{new.fullname}`"
                    + (" (aliased)." if names_match(new, old) else " without an alias."),
                    _ptr(ptr, "name"),
                    breaks=breaks,
                )
        if old.props.get("doc") != new.props.get("doc"):
            self.add(
                "doc_changed",
                path,
                f"the doc of {kind} `{new.name}` changes.",
                _ptr(ptr, "doc"),
                otherwise=ChangeCategory.COSMETIC,
            )
        if sorted(old.props.get("aliases") or []) != sorted(new.props.get("aliases") or []):
            self.add(
                "aliases_changed",
                path,
                f"the aliases of {kind} `{new.name}` change to {_show(new.props.get('aliases'))}.",
                _ptr(ptr, "aliases"),
            )
        if kind == "fixed":
            if old.size != new.size:
                self.add(
                    "fixed_size_changed",
                    path,
                    f"fixed `{new.name}` changes size from {old.size} to {new.size} bytes.",
                    _ptr(ptr, "size"),
                    breaks=(BACKWARD, FORWARD),
                )
        elif kind == "enum":
            self._enum(old, new, ptr, path)
        else:
            self._record(old, new, ptr, path)

    def _enum(self, old: Any, new: Any, ptr: str, path: str) -> None:
        name = new.name
        symbols_ptr = _ptr(ptr, "symbols")
        for symbol in new.symbols:
            if symbol not in old.symbols:
                self.add(
                    "enum_symbol_added",
                    path,
                    f"enum `{name}` gains symbol `{symbol}`"
                    + ("." if enum_default_is_usable(old) else "; the old enum has no default."),
                    symbols_ptr,
                    breaks=() if enum_default_is_usable(old) else (FORWARD,),
                )
        for symbol in old.symbols:
            if symbol not in new.symbols:
                self.add(
                    "enum_symbol_removed",
                    path,
                    f"enum `{name}` loses symbol `{symbol}`"
                    + ("." if enum_default_is_usable(new) else "; the new enum has no default."),
                    symbols_ptr,
                    breaks=() if enum_default_is_usable(new) else (BACKWARD,),
                )
        common_old = [s for s in old.symbols if s in new.symbols]
        common_new = [s for s in new.symbols if s in old.symbols]
        if common_old != common_new:
            self.add(
                "enum_symbols_reordered",
                path,
                f"enum `{name}` reorders its symbols (sort order only).",
                symbols_ptr,
                otherwise=ChangeCategory.COSMETIC,
            )
        before, after = old.props.get("default"), new.props.get("default")
        if before != after:
            if before is None:
                message = f"enum `{name}` gains default symbol `{after}`."
            elif after is None:
                message = f"enum `{name}` loses its default symbol `{before}`."
            else:
                message = f"enum `{name}` default changes from `{before}` to `{after}`."
            self.add("enum_default_changed", path, message, _ptr(ptr, "default"))

    def _record(self, old: Any, new: Any, ptr: str, path: str) -> None:
        old_fields = {f.name: f for f in old.fields}
        used: set[str] = set()
        order: list[str] = []
        for i, field in enumerate(new.fields):
            previous = old_fields.get(field.name)
            if previous is not None and self._same_field(previous, field):
                used.add(previous.name)
                order.append(previous.name)
                continue
            field_ptr = _ptr(ptr, "fields", str(i))
            field_path = f"{path}.{field.name}"
            if previous is None:
                aliases = [a for a in field.props.get("aliases") or [] if a in old_fields]
                previous = old_fields[aliases[0]] if aliases else None
                if previous is not None and previous.name not in used:
                    self.add(
                        "field_renamed",
                        field_path,
                        f"field `{path}.{previous.name}` is renamed to `{field.name}` (aliased)"
                        + ("." if previous.has_default else "; old readers lose its value."),
                        field_ptr,
                        breaks=() if previous.has_default else (FORWARD,),
                    )
                else:
                    previous = None
            if previous is None:
                self.add(
                    "field_added",
                    field_path,
                    f"field `{field_path}` is added"
                    + (
                        f" with default {_show(field.default)}."
                        if field.has_default
                        else " without a default."
                    ),
                    field_ptr,
                    breaks=() if field.has_default else (BACKWARD,),
                )
                continue
            used.add(previous.name)
            order.append(previous.name)
            self._field(previous, field, field_ptr, field_path, renamed=previous.name != field.name)
        for i, field in enumerate(old.fields):
            if field.name not in used:
                self.add(
                    "field_removed",
                    f"{path}.{field.name}",
                    f"field `{path}.{field.name}` is removed"
                    + (
                        " (it had a default)."
                        if field.has_default
                        else "; it had no default, so old readers cannot read new data."
                    ),
                    _ptr("", "fields", str(i)) if not ptr else _ptr(ptr, "fields", str(i)),
                    breaks=() if field.has_default else (FORWARD,),
                )
        if order != [f.name for f in old.fields if f.name in used]:
            self.add(
                "fields_reordered",
                path,
                f"record `{new.name}` reorders its fields (no effect on reading).",
                _ptr(ptr, "fields"),
                otherwise=ChangeCategory.COSMETIC,
            )

    def _same_field(self, old: Any, new: Any) -> bool:
        """Identical type and attributes: nothing to report for this field."""
        same = self._old_prints.get(id(old.type))
        if same is None or same != self._new_prints.get(id(new.type)):
            return False
        if len(old.props) != len(new.props):
            return False
        return all(k == "type" or new.props.get(k, _MISSING) == v for k, v in old.props.items())

    def _field(self, old: Any, new: Any, ptr: str, path: str, *, renamed: bool) -> None:
        if old.has_default != new.has_default or (
            old.has_default and _show(old.default) != _show(new.default)
        ):
            before = _show(old.default) if old.has_default else "none"
            after = _show(new.default) if new.has_default else "none"
            self.add(
                "default_changed",
                path,
                f"the default of `{path}` changes from {before} to {after}.",
                _ptr(ptr, "default"),
            )
        if old.props.get("doc") != new.props.get("doc"):
            self.add(
                "doc_changed",
                path,
                f"the doc of field `{path}` changes.",
                _ptr(ptr, "doc"),
                otherwise=ChangeCategory.COSMETIC,
            )
        old_aliases, new_aliases = old.props.get("aliases") or [], new.props.get("aliases") or []
        if not renamed and sorted(old_aliases) != sorted(new_aliases):
            self.add(
                "aliases_changed",
                path,
                f"the aliases of field `{path}` change to {_show(new.props.get('aliases'))}.",
                _ptr(ptr, "aliases"),
            )
        if old.props.get("order") != new.props.get("order"):
            self.add(
                "order_changed",
                path,
                f"the sort order of field `{path}` changes.",
                _ptr(ptr, "order"),
                otherwise=ChangeCategory.COSMETIC,
            )
        self.diff(old.type, new.type, _ptr(ptr, "type"), path)


def _same_branch(old: Any, new: Any) -> bool:
    o_kind, n_kind = kind_of(old), kind_of(new)
    if o_kind != n_kind:
        return False
    if o_kind in NAMED:
        return bool(old.name == new.name or names_match(new, old))
    return True


def _logical_label(props: dict[str, Any]) -> str:
    if not props.get("logicalType"):
        return "none"
    label = str(props["logicalType"])
    if "precision" in props or "scale" in props:
        label += f"({props.get('precision')}, {props.get('scale', 0)})"
    return label
