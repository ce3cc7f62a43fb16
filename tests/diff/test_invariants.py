"""Invariants: a state diffs empty against itself, and formatting never makes a change."""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from aurum_sr.diff import diff
from aurum_sr.model import CompatibilityLevel, DesiredReference, DesiredState, Mode
from aurum_sr.plan import PlanPolicy, build_plan
from aurum_sr.plan.document import dumps, loads
from tests.plan.factories import FIXED_TIME, desired, live_from, spec

NAMES = st.sampled_from(["id", "amount", "note", "when", "kind", "tags", "unit", "source"])
PRIMITIVE = st.sampled_from(["string", "long", "int", "double", "boolean", "bytes"])


@st.composite
def field_type(draw: st.DrawFn, depth: int, counter: list[int]) -> Any:
    choice = draw(st.integers(0, 4 if depth < 2 else 2))
    if choice <= 1:
        return draw(PRIMITIVE)
    if choice == 2:
        return ["null", draw(PRIMITIVE)]
    counter[0] += 1
    if choice == 3:
        return {"type": "enum", "name": f"E{counter[0]}", "symbols": ["A", "B"], "default": "A"}
    return draw(record_schema(depth + 1, counter))


@st.composite
def record_schema(draw: st.DrawFn, depth: int = 0, counter: list[int] | None = None) -> Any:
    counter = counter if counter is not None else [0]
    counter[0] += 1
    names = draw(st.lists(NAMES, min_size=1, max_size=4, unique=True))
    fields = []
    for name in names:
        f: dict[str, Any] = {"name": name, "type": draw(field_type(depth, counter))}
        if draw(st.booleans()):
            f["doc"] = f"The {name}."
        fields.append(f)
    node: dict[str, Any] = {"type": "record", "name": f"R{counter[0]}", "fields": fields}
    if depth == 0:
        node["namespace"] = "aurum.gen"
    return node


@st.composite
def desired_states(draw: st.DrawFn) -> DesiredState:
    count = draw(st.integers(1, 4))
    specs = []
    for i in range(count):
        schema = draw(record_schema())
        schema["name"] = f"Top{i}"
        refs: tuple[DesiredReference, ...] = ()
        if i > 0 and draw(st.booleans()):
            target = draw(st.integers(0, i - 1))
            schema["fields"].append({"name": "ref", "type": f"aurum.gen.Top{target}"})
            refs = (DesiredReference(f"aurum.gen.Top{target}", f"aurum.s{target}-value"),)
        specs.append(
            spec(
                f"aurum.s{i}-value",
                json.dumps(schema, indent=2),
                references=refs,
                compatibility=draw(st.none() | st.sampled_from(list(CompatibilityLevel))),
                mode=draw(st.none() | st.sampled_from(list(Mode))),
            )
        )
    return desired(*specs)


def _reformat(node: Any, namespace: str, rng: random.Random) -> Any:
    """Same schema, other formatting: shuffled keys, inherited namespaces made explicit."""
    if isinstance(node, list):
        return [_reformat(n, namespace, rng) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: v for k, v in node.items()}
    if out.get("type") in ("record", "enum") and "namespace" not in out and rng.random() < 0.5:
        out["namespace"] = namespace
    inner = out.get("namespace", namespace)
    for key in ("fields", "type", "items", "values"):
        if key in out and not isinstance(out[key], str):
            out[key] = _reformat(out[key], inner, rng)
    keys = list(out)
    rng.shuffle(keys)
    return {k: out[k] for k in keys}


@settings(max_examples=60, deadline=None)
@given(desired_states())
def test_a_desired_state_diffs_empty_against_its_applied_self(state: DesiredState) -> None:
    changes = diff(state, live_from(state))
    assert changes.is_empty, changes.changes
    plan = build_plan(state, live_from(state), changes, policy=PlanPolicy(), created_at=FIXED_TIME)
    assert not plan.has_changes
    assert loads(dumps(plan)) == plan


@settings(max_examples=60, deadline=None)
@given(desired_states(), st.integers(0, 2**32), st.sampled_from([None, 0, 1, 4]))
def test_formatting_only_edits_plan_no_change(
    state: DesiredState, seed: int, indent: int | None
) -> None:
    rng = random.Random(seed)
    edited = {}
    for name, s in state.subjects.items():
        assert s.schema_str is not None
        text = json.dumps(_reformat(json.loads(s.schema_str), "", rng), indent=indent)
        edited[name] = spec(
            name, text, references=s.references, compatibility=s.compatibility, mode=s.mode
        )
    assert diff(desired(*edited.values()), live_from(state)).is_empty
