"""``SchemaRegistrationScript``: the seed's CI entry point (``scripts/ci/register_schemas.py``),
a thin layer over the pipeline.

A folder of ``.avsc`` files (directory mode: subjects named by record full name, no contracts)
is planned against the registry under one compatibility level and, unless it is a dry run,
applied: all or nothing, so an incompatible schema blocks every registration of the run, and
nothing is ever deleted. Each subject gets one :class:`RegistrationResult`;
:meth:`SchemaRegistrationScript.generate_schema_report` writes them as Markdown or JSON.

Example::

    script = SchemaRegistrationScript(registry_url="https://registry:8081")
    results = script.register_schemas_from_directory("schemas/", "BACKWARD", dry_run=True)
    script.generate_schema_report(results, "registration-report.md")
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from enum import Enum
from pathlib import Path

from aurum_sr import pipeline, run
from aurum_sr.apply import ApplyResult, ApplyStoppedError, StepStatus
from aurum_sr.compat.seed import to_level
from aurum_sr.config import SchemaRegistryConfig, load_config
from aurum_sr.model import CompatibilityLevel
from aurum_sr.plan import Plan, PlanPolicy, RegisterSchema
from aurum_sr.plan.model import SubjectAction
from aurum_sr.registry import open_registry
from aurum_sr.render.text import breaking_line


class RegistrationStatus(str, Enum):
    REGISTERED = "registered"
    """A new version was registered (or found registered by a concurrent writer)."""
    UNCHANGED = "unchanged"
    """The registry already holds this schema as the subject's latest version."""
    WOULD_REGISTER = "would register"
    """Dry run: the plan registers it, and it is compatible."""
    INCOMPATIBLE = "incompatible"
    """Breaks the subject's compatibility level: blocks the whole run."""
    NOT_REGISTERED = "not registered"
    """Compatible, but not registered: the run was blocked, or stopped before this step."""
    FAILED = "failed"
    """The registry refused the registration."""


@dataclass(frozen=True)
class RegistrationResult:
    """What became of one schema file."""

    subject: str
    schema_file: str | None
    status: RegistrationStatus
    version: int | None = None
    schema_id: int | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status not in (
            RegistrationStatus.INCOMPATIBLE,
            RegistrationStatus.FAILED,
            RegistrationStatus.NOT_REGISTERED,
        )


class SchemaRegistrationScript:
    """Register a folder of schema files the way ``aurum-sr plan`` + ``apply`` would."""

    def __init__(
        self,
        registry_url: str | None = None,
        *,
        config: SchemaRegistryConfig | None = None,
    ) -> None:
        """``config``, else the configuration in force (``aurum-sr.toml``, the environment's
        ``SCHEMA_REGISTRY_*``), with ``registry_url`` on top when given."""
        self.config = config or load_config(".", overrides={"base_url": registry_url})

    def register_schemas_from_directory(
        self,
        schema_dir: str | Path,
        mode: CompatibilityLevel | str | None = CompatibilityLevel.BACKWARD,
        dry_run: bool = False,
    ) -> list[RegistrationResult]:
        """Plan every ``.avsc`` under ``schema_dir`` with each subject held to ``mode`` (set on
        the subject when the registry has another level; ``None`` keeps the registry's), then
        apply unless ``dry_run``. One result per schema file, sorted by subject.

        Raises:
            DesiredStateError: a file is not valid Avro (every problem, with file and line).
            SchemaInputError: ``mode`` is not a compatibility level.
            RegistryError: the registry could not be read.
        """
        loaded = pipeline.load(schema_dir=schema_dir)
        state = loaded.state
        if mode is not None:
            level = to_level(mode)
            subjects = {n: replace(s, compatibility=level) for n, s in state.subjects.items()}
            state = replace(state, subjects=subjects)
        registry = open_registry(self.config)
        try:
            plan = pipeline.make_plan(state, registry, policy=PlanPolicy(), run_id=run.run_id())
            applied: ApplyResult | None = None
            if not dry_run and plan.has_changes and not plan.blocked:
                try:
                    applied = pipeline.apply(plan, registry)
                except ApplyStoppedError as exc:
                    applied = exc.result
        finally:
            registry.close()
        files = {name: spec.schema_file for name, spec in state.subjects.items()}
        return _results(plan, applied, files, dry_run=dry_run)

    def generate_schema_report(
        self, results: Sequence[RegistrationResult], output_file: str | Path
    ) -> str:
        """Write ``results`` to ``output_file``: JSON when it ends in ``.json``, else Markdown.
        Returns the text written."""
        path = Path(output_file)
        if path.suffix == ".json":
            text = json.dumps(
                {
                    "format_version": 1,
                    "ok": all(r.ok for r in results),
                    "results": [{**asdict(r), "status": r.status.value} for r in results],
                },
                indent=2,
                sort_keys=True,
            )
        else:
            text = report_markdown(results)
        path.write_text(text + "\n", encoding="utf-8")
        return text


def report_markdown(results: Sequence[RegistrationResult]) -> str:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status.value] = counts.get(r.status.value, 0) + 1
    tally = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no schemas"
    lines = ["# Schema registration report", "", f"**{tally}**", ""]
    lines += ["| Subject | File | Status | Version | Id | Message |", "|---|---|---|---|---|---|"]
    for r in results:
        cells = [
            f"`{r.subject}`",
            f"`{r.schema_file}`" if r.schema_file else "",
            r.status.value,
            str(r.version or ""),
            str(r.schema_id or ""),
            r.message.replace("|", "\\|").replace("\n", " "),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _results(
    plan: Plan,
    applied: ApplyResult | None,
    files: dict[str, str | None],
    *,
    dry_run: bool,
) -> list[RegistrationResult]:
    touched = {s.subject: s for s in plan.subjects}
    outcomes = {
        o.step.subject: o
        for o in (applied.outcomes if applied else ())
        if isinstance(o.step, RegisterSchema)
    }
    results = []
    for subject in sorted(files):
        file = files[subject]
        entry = touched.get(subject)
        outcome = outcomes.get(subject)
        registers = any(isinstance(s, RegisterSchema) and s.subject == subject for s in plan.steps)
        if entry is not None and entry.action is SubjectAction.BLOCKED:
            breaking = entry.verdict.breaking_changes if entry.verdict else ()
            message = "; ".join(breaking_line(b) for b in breaking) or "blocked"
            results.append(
                RegistrationResult(subject, file, RegistrationStatus.INCOMPATIBLE, message=message)
            )
        elif not registers:
            results.append(RegistrationResult(subject, file, RegistrationStatus.UNCHANGED))
        elif dry_run:
            results.append(RegistrationResult(subject, file, RegistrationStatus.WOULD_REGISTER))
        elif plan.blocked:
            results.append(
                RegistrationResult(
                    subject,
                    file,
                    RegistrationStatus.NOT_REGISTERED,
                    message="an incompatible schema blocks the run: nothing was registered",
                )
            )
        elif outcome is not None and outcome.status is StepStatus.DONE:
            results.append(
                RegistrationResult(
                    subject,
                    file,
                    RegistrationStatus.REGISTERED,
                    outcome.version,
                    outcome.schema_id,
                    outcome.message,
                )
            )
        elif outcome is not None and outcome.status is StepStatus.FAILED:
            results.append(
                RegistrationResult(
                    subject, file, RegistrationStatus.FAILED, message=outcome.message
                )
            )
        else:
            results.append(
                RegistrationResult(
                    subject,
                    file,
                    RegistrationStatus.NOT_REGISTERED,
                    message="not started: an earlier step failed",
                )
            )
    return results
