"""Desired states for codegen tests: the repository's example, and one-off synthetic ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aurum_sr.desired import load_desired
from aurum_sr.model import (
    DesiredReference,
    DesiredState,
    Lifecycle,
    SourceLocation,
    SubjectSpec,
)

REPO = Path(__file__).resolve().parents[2]


def spec(
    subject: str, schema_str: str, references: tuple[str, ...] = (), schema_file: str = "x.avsc"
) -> SubjectSpec:
    return SubjectSpec(
        subject=subject,
        location=SourceLocation("contracts/contracts.yml", 1),
        schema_file=schema_file,
        schema_str=schema_str,
        references=tuple(DesiredReference(name, name) for name in references),
    )


def state_of(*specs: SubjectSpec, root: Path = REPO) -> DesiredState:
    return DesiredState(
        root=str(root),
        contracts_path="contracts/contracts.yml",
        format_version=1,
        subjects={s.subject: s for s in specs},
    )


def example_state() -> DesiredState:
    """The repository's example contracts, loaded the way get_model loads them."""
    return load_desired(REPO).state


def example_subjects() -> list[str]:
    """The example's present subjects, sorted."""
    state = example_state()
    return sorted(s.subject for s in state.subjects.values() if s.lifecycle is Lifecycle.PRESENT)


def single(schema: Any, subject: str = "test-value") -> DesiredState:
    """A state with one subject whose schema is ``schema`` (JSON data, not text)."""
    return state_of(spec(subject, json.dumps(schema)))
