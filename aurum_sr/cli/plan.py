"""`aurum-sr plan`: what apply would change, with a verdict on every registration."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from aurum_sr.cli import observe
from aurum_sr.cli.app import app
from aurum_sr.cli.options import (
    COMPACT_HELP,
    CONTRACTS_HELP,
    DIFF_HELP,
    ENV_HELP,
    MARKDOWN_BUDGET_HELP,
    REASON_HELP,
    REGISTRY_HELP,
    ROOT_HELP,
    SCHEMA_DIR_HELP,
    SKIP_PROMOTION_HELP,
    format_option,
    plan_view,
)
from aurum_sr.errors import EXIT_CHANGES, EXIT_INCOMPATIBLE, EXIT_OK
from aurum_sr.render.formats import PLAN_FORMATS, OutputFormat

if TYPE_CHECKING:
    from aurum_sr.plan import PlanPolicy
    from aurum_sr.render.view import PlanView


@app.command(
    "plan",
    short_help="Diff the contracts against the registry and print the plan.",
)
def plan_command(
    root: str = typer.Option(".", "--root", help=ROOT_HELP),
    registry: str | None = typer.Option(None, "--registry", help=REGISTRY_HELP),
    env: str | None = typer.Option(None, "--env", metavar="NAME", help=ENV_HELP),
    out: str | None = typer.Option(
        None, "--out", help="Save the plan document (JSON) for `show` and `apply PLAN_FILE`."
    ),
    output: Annotated[OutputFormat, format_option(PLAN_FORMATS)] = OutputFormat.HUMAN,
    compact: bool = typer.Option(False, "--compact", help=COMPACT_HELP),
    diff: bool = typer.Option(False, "--diff", help=DIFF_HELP),
    markdown_budget: int | None = typer.Option(
        None, "--markdown-budget", metavar="BYTES", min=0, help=MARKDOWN_BUDGET_HELP
    ),
    detailed_exitcode: bool = typer.Option(
        False, "--detailed-exitcode", help="Exit 2 when there are changes (0: none, 3: blocked)."
    ),
    remote_check: bool = typer.Option(
        False,
        "--remote-check",
        help="Also ask the registry's own compatibility test about every registration and "
        "show any disagreement with the local verdict; a new subject's schema is looked up, "
        "and one the registry calls invalid blocks the plan.",
    ),
    allow_incompatible: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-incompatible",
            metavar="SUBJECT",
            help="Accept an incompatible change for SUBJECT (repeat for several); recorded.",
        ),
    ] = None,
    prune: bool = typer.Option(
        False, "--prune", help="Delete live subjects under an owned prefix that no contract lists."
    ),
    permanent: bool = typer.Option(
        False, "--permanent", help="Permanently delete absent subjects already soft-deleted."
    ),
    schema_dir: str | None = typer.Option(None, "--schema-dir", help=SCHEMA_DIR_HELP),
    contracts: str | None = typer.Option(None, "--contracts", help=CONTRACTS_HELP),
    skip_promotion_check: Annotated[
        list[str] | None,
        typer.Option("--skip-promotion-check", metavar="SUBJECT", help=SKIP_PROMOTION_HELP),
    ] = None,
    reason: str | None = typer.Option(None, "--reason", metavar="TEXT", help=REASON_HELP),
) -> int:
    """Read the registry, diff it against the contracts and print the plan.

    Exit 0: no changes (or changes without --detailed-exitcode); 2: changes with
    --detailed-exitcode; 3: an incompatible change blocks the plan; 1: errors.

    \b
    Example: aurum-sr plan --registry https://registry.example.com --out plan.json
    """
    from aurum_sr import pipeline, run
    from aurum_sr.cli.options import (
        check_allowed_subjects,
        check_writable,
        desired_and_live,
        plan_key,
        reading_progress,
        write_output,
    )
    from aurum_sr.plan import PlanPolicy
    from aurum_sr.plan.document import dumps
    from aurum_sr.render import render, use_color

    observe.environment(env)
    if out is not None:
        check_writable(out, "plan")

    allowed = tuple(sorted(set(allow_incompatible or ())))
    policy = PlanPolicy(allow_incompatible=allowed, prune=prune, permanent=permanent)
    if env is not None:
        return _plan_environments(
            root,
            env,
            contracts,
            schema_dir,
            registry,
            policy=policy,
            remote_check=remote_check,
            skip=skip_promotion_check,
            reason=reason,
            out=out,
            output=output,
            detailed_exitcode=detailed_exitcode,
            view=plan_view(compact=compact, diff=diff, budget=markdown_budget),
        )
    if skip_promotion_check or reason is not None:
        from aurum_sr.errors import ConfigError

        raise ConfigError(
            "--skip-promotion-check and --reason go with --env NAME (the promotion order is "
            "between environments)",
            hint="plan the environment by name: --env prod",
        )
    with desired_and_live(root, registry, contracts, schema_dir, env) as (loaded, source, latest):
        check_allowed_subjects(allowed, loaded.state)
        plan = pipeline.make_plan(
            loaded.state,
            source,
            policy=policy,
            remote_check=remote_check,
            reading=reading_progress,
            latest=latest,
            run_id=run.run_id(),
        )
        observe.managed(loaded.state)
        observe.plan(plan)
    if out is not None:
        write_output(out, dumps(plan, key=plan_key()), "plan")
    render(
        plan,
        output,
        sys.stdout,
        color=use_color(sys.stdout),
        view=plan_view(compact=compact, diff=diff, budget=markdown_budget),
    )
    if out is not None:
        print(f"Saved the plan to {out}; apply it with `aurum-sr apply {out}`.", file=sys.stderr)
    if plan.blocked:
        return EXIT_INCOMPATIBLE
    if plan.has_changes and detailed_exitcode:
        return EXIT_CHANGES
    return EXIT_OK


def _plan_environments(
    root: str,
    env: str,
    contracts: str | None,
    schema_dir: str | None,
    registry: str | None,
    *,
    policy: PlanPolicy,
    remote_check: bool,
    skip: list[str] | None,
    reason: str | None,
    out: str | None,
    output: OutputFormat,
    detailed_exitcode: bool,
    view: PlanView,
) -> int:
    """``plan --env NAME`` (or several names, or ``all``): each environment's overlaid
    contracts against its registry, read concurrently, under its rules (deletes, promotion)."""
    from aurum_sr import environments, run
    from aurum_sr.cli.options import (
        check_allowed_subjects,
        environments_desired_and_live,
        plan_key,
        promotion_of,
        registry_opener,
        write_output,
    )
    from aurum_sr.config import several
    from aurum_sr.errors import ConfigError
    from aurum_sr.plan import document
    from aurum_sr.plan import environments as combined
    from aurum_sr.render import render, use_color
    from aurum_sr.render.environments import render_plans

    if registry is not None:
        raise ConfigError(
            "--registry and --env exclude each other",
            hint="name the registry either directly (--registry URL) or by environment "
            "(--env NAME)",
        )
    if schema_dir is not None:
        raise ConfigError(
            "--schema-dir and --env exclude each other: environments plan the contracts",
            hint="drop --schema-dir, or name the registry with --registry",
        )
    with environments_desired_and_live(root, contracts, env) as (loaded, targets):
        check_allowed_subjects(policy.allow_incompatible, loaded.state)
        promotion = promotion_of(root, skip, reason, loaded.state)
        plans = environments.plan_environments(
            loaded.state,
            targets,
            policy=policy,
            promotion=promotion,
            open_registry=registry_opener(root),
            remote_check=remote_check,
            run_id=run.run_id(),
        )
    color = use_color(sys.stdout)
    if several(env):
        if out is not None:
            write_output(out, combined.dumps(plans, key=plan_key()), "plan")
        render_plans(plans, output, sys.stdout, color=color, view=view)
    else:
        plan = plans.plans[0].plan
        observe.managed(loaded.state)
        observe.plan(plan)
        if out is not None:
            write_output(out, document.dumps(plan, key=plan_key()), "plan")
        render(plan, output, sys.stdout, color=color, view=view)
    if out is not None:
        how = (
            f"one environment at a time: `aurum-sr apply {out} --env NAME`"
            if several(env)
            else f"with `aurum-sr apply {out} --env {env}`"
        )
        print(f"Saved the plan to {out}; apply it {how}.", file=sys.stderr)
    if plans.blocked:
        return EXIT_INCOMPATIBLE
    if plans.has_changes and detailed_exitcode:
        return EXIT_CHANGES
    return EXIT_OK
