"""`aurum-sr init`: scaffold a new schema repository."""

from __future__ import annotations

import typer

from aurum_sr.cli.app import app
from aurum_sr.errors import EXIT_OK


@app.command(
    "init",
    short_help="Scaffold a new schema repository.",
)
def init_command(
    root: str = typer.Argument(".", help="The repository to set up (created if missing)."),
    install: str | None = typer.Option(
        None,
        "--install",
        help="What the workflows and pre-commit hooks pip-install [default: this aurum-sr "
        "version, aurum-sr==VERSION].",
    ),
) -> int:
    """Write contracts/contracts.yml with one example subject, its schema, aurum-sr.toml, the
    plan, apply and drift GitHub workflows and a pre-commit config. Refuses to overwrite
    anything: when one of those files exists, nothing is written.

    \b
    Example: aurum-sr init
    """
    from aurum_sr.scaffold import DEFAULT_INSTALL, init

    made = init(root, install=install or DEFAULT_INSTALL)
    for path in made.files:
        print(f"created {path}")
    print(
        "\nNext: set the repository secrets SCHEMA_REGISTRY_URL (and "
        "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO or SCHEMA_REGISTRY_BEARER_TOKEN), create the "
        "`schema-registry` environment, then run `aurum-sr validate`."
    )
    return EXIT_OK
