"""`aurum-sr apply`: run a plan after approval, step by step, and report what happened."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aurum_sr.cli.app import app
from aurum_sr.cli.options import CONTRACTS_HELP, REGISTRY_HELP, ROOT_HELP, SCHEMA_DIR_HELP
from aurum_sr.errors import EXIT_ERROR, EXIT_OK

if TYPE_CHECKING:
    from aurum_sr.apply import ApplyResult, StepOutcome
    from aurum_sr.plan import Plan


class ApplyFormat(str, Enum):
    HUMAN = "human"
    JSON = "json"


@app.command("apply")
def apply_command(
    plan_file: Annotated[
        str | None,
        typer.Argument(
            metavar="PLAN_FILE",
            help="A plan saved by `plan --out`: applied as reviewed, without a second prompt.",
        ),
    ] = None,
    auto_approve: bool = typer.Option(
        False, "--auto-approve", help="Apply a fresh plan without asking (CI)."
    ),
    allow_delete: bool = typer.Option(
        False, "--allow-delete", help="Let the plan's deletes run (refused without it)."
    ),
    output: Annotated[
        ApplyFormat, typer.Option("--format", help="human (live progress) or json (CI).")
    ] = ApplyFormat.HUMAN,
    report: str | None = typer.Option(
        None, "--report", metavar="FILE.md", help="Write a Markdown registration report."
    ),
    registry: str | None = typer.Option(None, "--registry", help=REGISTRY_HELP),
    root: str = typer.Option(".", "--root", help=ROOT_HELP),
    contracts: str | None = typer.Option(None, "--contracts", help=CONTRACTS_HELP),
    schema_dir: str | None = typer.Option(None, "--schema-dir", help=SCHEMA_DIR_HELP),
    allow_incompatible: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-incompatible",
            metavar="SUBJECT",
            help="Accept an incompatible change for SUBJECT (fresh plans; repeatable).",
        ),
    ] = None,
    prune: bool = typer.Option(False, "--prune", help="Fresh plans: prune unmanaged subjects."),
    permanent: bool = typer.Option(
        False, "--permanent", help="Fresh plans: permanently delete soft-deleted absent subjects."
    ),
) -> int:
    """Apply changes to the registry.

    Without PLAN_FILE: make a fresh plan, show it and ask for confirmation (only `yes`
    proceeds); --auto-approve skips the question, and with no terminal to ask on apply refuses.

    With PLAN_FILE: apply that saved plan WITHOUT asking again (it was reviewed when it was
    made, as `terraform apply PLAN`), after checking its format version and digest and that the
    registry has not moved since the plan was made.

    Either way nothing is written when the plan is blocked, deletes lack --allow-delete, or the
    plan is stale. Steps run in plan order; at the first failure apply stops and reports every
    step as done, failed or not started (exit 1); running it again converges.
    """
    from aurum_sr import pipeline
    from aurum_sr.apply import ApplyStoppedError, check_plan
    from aurum_sr.cli.options import (
        load_state,
        open_configured_registry,
        read_plan_file,
        reading_progress,
        use_color,
    )
    from aurum_sr.plan import PlanPolicy
    from aurum_sr.render import render

    human = output is ApplyFormat.HUMAN
    if plan_file is not None:
        fresh_only = {
            "--contracts": contracts is not None,
            "--schema-dir": schema_dir is not None,
            "--allow-incompatible": bool(allow_incompatible),
            "--prune": prune,
            "--permanent": permanent,
        }
        given = [flag for flag, used in fresh_only.items() if used]
        if given:
            from aurum_sr.errors import ConfigError

            raise ConfigError(
                f"{', '.join(given)} shape a fresh plan; a saved plan carries its own",
                hint=f"pass them to `aurum-sr plan --out {plan_file}` instead",
            )
    saved = read_plan_file(plan_file) if plan_file is not None else None
    loaded = load_state(root, contracts, schema_dir) if saved is None else None
    target = open_configured_registry(root, registry)
    try:
        if saved is not None:
            plan = saved
            if human:
                print(f"Applying the saved plan {plan_file} (made at {plan.created_at}).")
                print(plan.summary_line())
        else:
            assert loaded is not None
            policy = PlanPolicy(
                allow_incompatible=tuple(sorted(set(allow_incompatible or ()))),
                allow_delete=allow_delete,
                prune=prune,
                permanent=permanent,
            )
            plan = pipeline.make_plan(loaded.state, target, policy=policy, reading=reading_progress)
            if human:
                render(plan, "human", sys.stdout, color=use_color(sys.stdout))
        if plan.has_changes:
            check_plan(plan, allow_delete=allow_delete)
            if saved is None and not _approved(auto_approve):
                print("Apply cancelled: nothing was written.", file=sys.stderr)
                return EXIT_ERROR
        stopped: ApplyStoppedError | None = None
        if human and plan.steps:
            print()
        try:
            result = pipeline.apply(
                plan,
                target,
                allow_delete=allow_delete,
                on_step=_progress(len(plan.steps)) if human else None,
            )
        except ApplyStoppedError as exc:
            stopped, result = exc, exc.result
    finally:
        target.close()
    if report is not None:
        from aurum_sr.apply.report import registration_report

        applied_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        Path(report).write_text(
            registration_report(plan, result, applied_at=applied_at), encoding="utf-8"
        )
    if human:
        _print_outcome(result)
        if report is not None:
            print(f"Wrote the registration report to {report}.")
    else:
        print(json.dumps(_json(plan, result), indent=2, sort_keys=True))
    if stopped is not None:
        raise stopped
    return EXIT_OK


def _approved(auto_approve: bool) -> bool:
    """Ask for confirmation; only ``yes`` proceeds.

    Raises:
        AurumError: there is no terminal to ask on and --auto-approve was not given.
    """
    if auto_approve:
        return True
    if not sys.stdin.isatty():
        from aurum_sr.errors import AurumError

        raise AurumError(
            "apply needs approval, and there is no terminal to ask on; nothing was written",
            hint="review the plan and pass --auto-approve, or save it with `aurum-sr plan --out "
            "plan.json` and run `aurum-sr apply plan.json`",
        )
    print()
    print("Do you want to apply these changes? Only 'yes' will be accepted.")
    try:
        answer = input("Enter a value: ")
    except EOFError:
        return False
    return answer.strip() == "yes"


def _progress(total: int) -> Callable[[StepOutcome], None]:
    width = len(str(total))

    def show(outcome: StepOutcome) -> None:
        mark = "ok" if outcome.status.value == "done" else "FAILED"
        where = f"[{outcome.index:>{width}}/{total}]"
        print(f"{where} {mark:<6} {outcome.description}: {outcome.message}", flush=True)

    return show


def _print_outcome(result: ApplyResult) -> None:
    failed = result.failed
    if failed is not None:
        print()
        for outcome in result.outcomes:
            if outcome.status.value == "not started":
                print(f"  not started: {outcome.description}")
    print()
    print(result.summary_line())


def _json(plan: Plan, result: ApplyResult) -> dict[str, object]:
    from aurum_sr.plan.document import to_document

    return {
        "plan": {
            "digest": to_document(plan)["digest"],
            "created_at": plan.created_at,
            "summary": plan.summary_line(),
        },
        **result.to_dict(),
    }
