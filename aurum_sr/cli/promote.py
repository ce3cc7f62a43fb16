"""`aurum-sr promote FROM TO`: the plan for TO of what FROM already holds."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from aurum_sr.cli.app import app
from aurum_sr.cli.options import CONTRACTS_HELP, ROOT_HELP, format_option
from aurum_sr.errors import EXIT_CHANGES, EXIT_INCOMPATIBLE, EXIT_OK
from aurum_sr.render.formats import PLAN_FORMATS, OutputFormat


@app.command(
    "promote",
    short_help="Plan for one environment what the environment before it already holds.",
)
def promote_command(
    source: Annotated[str, typer.Argument(metavar="FROM", help="The environment to promote from.")],
    target: Annotated[str, typer.Argument(metavar="TO", help="The environment to plan for.")],
    root: str = typer.Option(".", "--root", help=ROOT_HELP),
    contracts: str | None = typer.Option(None, "--contracts", help=CONTRACTS_HELP),
    out: str | None = typer.Option(
        None, "--out", help="Save the plan for TO; apply it with `apply FILE --env TO`."
    ),
    output: Annotated[OutputFormat, format_option(PLAN_FORMATS)] = OutputFormat.HUMAN,
    detailed_exitcode: bool = typer.Option(
        False, "--detailed-exitcode", help="Exit 2 when there are changes (0: none, 3: blocked)."
    ),
) -> int:
    """Plan for TO the contracts' changes that FROM already holds.

    Reads FROM's registry, leaves out every subject whose schema FROM does not hold yet (and
    the subjects referencing one), and plans the rest for TO with TO's overlay. Nothing is
    written: apply the saved plan with `aurum-sr apply FILE --env TO`.

    Exit 0: no changes (or changes without --detailed-exitcode); 2: changes with
    --detailed-exitcode; 3: blocked; 1: errors.

    \b
    Example: aurum-sr promote staging prod --out promote.json
    """
    from aurum_sr import environments, run
    from aurum_sr.cli.options import (
        check_writable,
        load_state,
        plan_key,
        registry_config,
        registry_opener,
        write_output,
    )
    from aurum_sr.config import configured_environment
    from aurum_sr.errors import ConfigError
    from aurum_sr.plan import PlanPolicy
    from aurum_sr.plan.document import dumps
    from aurum_sr.render import render, use_color

    if source == target:
        raise ConfigError(
            f"promote {source} {target}: FROM and TO are the same environment",
            hint="name two environments, e.g. aurum-sr promote staging prod",
        )
    if out is not None:
        check_writable(out, "plan")
    chosen = [configured_environment(root, name) for name in (source, target)]
    for environment in chosen:  # every credential variable is checked before any read
        registry_config(None, root=root, env=environment.name)
    loaded = load_state(root, contracts, None)
    promoted = environments.promote(
        loaded.state,
        chosen[0],
        chosen[1],
        registry_opener(root),
        policy=PlanPolicy(),
        run_id=run.run_id(),
    )
    plan = promoted.plan
    if promoted.held_back:
        print(
            f"not promoted ({source} does not hold their schema yet): "
            + ", ".join(promoted.held_back),
            file=sys.stderr,
        )
    if out is not None:
        write_output(out, dumps(plan, key=plan_key()), "plan")
    render(plan, output, sys.stdout, color=use_color(sys.stdout))
    if out is not None:
        print(
            f"Saved the plan to {out}; apply it with `aurum-sr apply {out} --env {target}`.",
            file=sys.stderr,
        )
    if plan.blocked:
        return EXIT_INCOMPATIBLE
    if plan.has_changes and detailed_exitcode:
        return EXIT_CHANGES
    return EXIT_OK
