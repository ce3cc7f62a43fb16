"""`aurum-sr apply`: run a plan after approval, step by step, and report what happened."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Annotated

import typer

from aurum_sr import interrupt
from aurum_sr.cli import observe
from aurum_sr.cli.app import app
from aurum_sr.cli.options import (
    CONTRACTS_HELP,
    ENV_HELP,
    REASON_HELP,
    REGISTRY_HELP,
    ROOT_HELP,
    SCHEMA_DIR_HELP,
    SKIP_PROMOTION_HELP,
    format_option,
)
from aurum_sr.errors import EXIT_ERROR, EXIT_OK
from aurum_sr.render.formats import APPLY_FORMATS, OutputFormat

if TYPE_CHECKING:
    from aurum_sr.apply import ApplyResult, ApplyStoppedError
    from aurum_sr.plan import Plan


@app.command(
    "apply",
    short_help="Apply a plan to the registry, after approval.",
)
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
    output: Annotated[OutputFormat, format_option(APPLY_FORMATS)] = OutputFormat.HUMAN,
    report: str | None = typer.Option(
        None, "--report", metavar="FILE.md", help="Write a Markdown registration report."
    ),
    registry: str | None = typer.Option(None, "--registry", help=REGISTRY_HELP),
    env: str | None = typer.Option(None, "--env", metavar="NAME", help=ENV_HELP),
    root: str = typer.Option(".", "--root", help=ROOT_HELP),
    contracts: str | None = typer.Option(None, "--contracts", help=CONTRACTS_HELP),
    schema_dir: str | None = typer.Option(None, "--schema-dir", help=SCHEMA_DIR_HELP),
    skip_promotion_check: Annotated[
        list[str] | None,
        typer.Option("--skip-promotion-check", metavar="SUBJECT", help=SKIP_PROMOTION_HELP),
    ] = None,
    reason: str | None = typer.Option(None, "--reason", metavar="TEXT", help=REASON_HELP),
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
    plan is stale (with --auto-approve the fresh plan's own reads are its preconditions).
    Independent steps run concurrently (up to max_workers), the rest in plan order; at the
    first failure no new step starts, and apply reports every step as done, failed or not
    started (exit 1); running it again converges.

    \b
    Example: aurum-sr apply plan.json --registry https://registry.example.com
    """
    from aurum_sr import pipeline, run
    from aurum_sr.apply import ApplyStoppedError, check_plan
    from aurum_sr.cli.options import (
        check_allowed_subjects,
        check_writable,
        load_state,
        promotion_of,
        read_plan_file,
        reading_progress,
        registry_config,
        registry_opener,
    )
    from aurum_sr.model import LiveState
    from aurum_sr.plan import PlanPolicy
    from aurum_sr.registry import open_registry
    from aurum_sr.render import render, use_color
    from aurum_sr.render.apply import CANCELLED, progress, saved_plan_intro

    observe.environment(env)
    human = output is OutputFormat.HUMAN
    color = use_color(sys.stdout)
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
    if report is not None:
        check_writable(report, "apply report")  # before any registry write
    saved = read_plan_file(plan_file, env, applying=True) if plan_file is not None else None
    config = registry_config(registry, root=root, writes=True, env=env)
    loaded = load_state(root, contracts, schema_dir) if saved is None else None
    environment = None
    if loaded is not None:
        check_allowed_subjects(allow_incompatible or (), loaded.state)
        if env is not None:
            from aurum_sr.config import configured_environment
            from aurum_sr.desired.overlay import apply_overlay

            environment = configured_environment(root, env)
            promotion = promotion_of(root, skip_promotion_check, reason, loaded.state)
            desired = apply_overlay(loaded.state, environment)
    if (skip_promotion_check or reason is not None) and environment is None:
        from aurum_sr.errors import ConfigError

        raise ConfigError(
            "--skip-promotion-check and --reason go with a fresh plan for --env NAME",
            hint="a saved plan carries its own overrides; pass them to `aurum-sr plan --env "
            "NAME --out FILE`",
        )
    target = open_registry(config)
    seen: LiveState | None = None
    try:
        if saved is not None:
            assert plan_file is not None
            plan = saved
            if human:
                saved_plan_intro(plan, plan_file, sys.stdout)
        else:
            assert loaded is not None
            policy = PlanPolicy(
                allow_incompatible=tuple(sorted(set(allow_incompatible or ()))),
                allow_delete=allow_delete,
                prune=prune,
                permanent=permanent,
            )
            plan, seen = pipeline.plan_with_state(
                loaded.state if environment is None else desired,
                target,
                policy=policy,
                reading=reading_progress,
                run_id=run.run_id(),
            )
            if environment is not None:
                from aurum_sr.environments import with_rules

                plan = with_rules(plan, loaded.state, environment, promotion, registry_opener(root))
            if human:
                render(plan, OutputFormat.HUMAN, sys.stdout, color=color)
        if plan.has_changes:
            check_plan(plan, allow_delete=allow_delete)
            if saved is None and not _approved(auto_approve):
                print(CANCELLED, file=sys.stderr)
                return EXIT_ERROR
            if not auto_approve:
                # Time passed while a person read the plan: check it against the registry again.
                seen = None
        stopped: ApplyStoppedError | None = None
        if human and plan.steps:
            print()
        # From here on SIGTERM lets the steps in flight finish and the report be written.
        with interrupt.gentle():
            try:
                result = pipeline.apply(
                    plan,
                    target,
                    allow_delete=allow_delete,
                    on_step=progress(len(plan.steps), sys.stdout, color=color) if human else None,
                    max_workers=config.max_workers,
                    seen=seen,
                )
            except ApplyStoppedError as exc:
                stopped, result = exc, exc.result
    finally:
        target.close()
    observe.plan(plan)
    observe.apply(result)
    with interrupt.gentle():
        return _report(plan, result, stopped, output=output, report=report, color=color)


def _report(
    plan: Plan,
    result: ApplyResult,
    stopped: ApplyStoppedError | None,
    *,
    output: OutputFormat,
    report: str | None,
    color: bool,
) -> int:
    """Write the ``--report`` file and print the result; raise ``stopped`` if the run stopped."""
    from aurum_sr import run
    from aurum_sr.cli.options import write_output
    from aurum_sr.errors import AurumError
    from aurum_sr.render.apply import registration_report, render_apply

    unwritten: AurumError | None = None
    if report is not None:
        applied_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        try:
            write_output(
                report,
                registration_report(plan, result, applied_at=applied_at, run_id=run.run_id()),
                "apply report",
            )
        except AurumError as exc:
            unwritten = exc
    render_apply(
        plan,
        result,
        output,
        sys.stdout,
        report=None if unwritten else report,
        color=color,
        run_id=run.run_id(),
    )
    if unwritten is not None:
        if stopped is not None:
            print(f"error: {unwritten}", file=sys.stderr)
            raise stopped
        # Every write was done: say so, so nobody re-runs or rolls back a finished apply.
        raise AurumError(
            f"the apply succeeded, but {unwritten.message[0].lower()}{unwritten.message[1:]}",
            hint="the registry holds everything the plan meant to write; the exit code is 1 "
            "only for the missing report",
        )
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
    from aurum_sr.render.apply import APPROVAL_PROMPT, APPROVAL_QUESTION

    print()
    print(APPROVAL_QUESTION)
    try:
        answer = input(APPROVAL_PROMPT)
    except EOFError:
        return False
    return answer.strip() == "yes"
