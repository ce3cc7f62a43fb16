"""The command line: thin typer commands over the pipeline, and one error boundary.

Command modules keep their heavy imports inside the command functions, so ``--help`` stays fast.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
from typing import NoReturn

import typer

from aurum_sr import __version__, interrupt, run
from aurum_sr.cli import errors, logs, observe
from aurum_sr.cli.app import app
from aurum_sr.cli.state import RUN


def _version(value: bool) -> None:
    if value:
        print(f"aurum-sr {__version__}")
        raise typer.Exit(0)


@app.callback()
def _global(
    ctx: typer.Context,
    debug: bool = typer.Option(
        False, "--debug", help="Show tracebacks, and log registry requests and retries."
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
    log_format: str = typer.Option(
        "text", "--log-format", metavar="text|json", help="Log lines as text or JSON lines."
    ),
    log_file: str | None = typer.Option(
        None, "--log-file", metavar="PATH", help="Append log lines to PATH instead of stderr."
    ),
    metrics_file: str | None = typer.Option(
        None,
        "--metrics-file",
        metavar="PATH",
        help="Write the run's Prometheus metrics to PATH when it ends (textfile collector).",
    ),
    pushgateway: str | None = typer.Option(
        None,
        "--pushgateway",
        metavar="URL",
        help="Push the run's metrics to this Prometheus Pushgateway when it ends; a failed push "
        "is a warning.",
    ),
    pushgateway_job: str = typer.Option(
        observe.DEFAULT_JOB, "--pushgateway-job", metavar="NAME", help="The Pushgateway job."
    ),
) -> None:
    if log_format not in ("text", "json"):
        raise typer.BadParameter(f"{log_format!r} is not text or json", param_hint="--log-format")
    RUN.debug = debug
    run.begin()
    command = ctx.invoked_subcommand or ""
    _configure_logging(debug, log_format=log_format, log_file=log_file, command=command)
    observe.start(command, metrics_file=metrics_file, pushgateway=pushgateway, job=pushgateway_job)


def _configure_logging(
    debug: bool, *, log_format: str = "text", log_file: str | None = None, command: str = ""
) -> None:
    """Log to stderr (or ``log_file``): DEBUG with --debug, else SCHEMA_REGISTRY_LOG_LEVEL
    (default WARNING).

    Log records never carry secrets: registry names are masked where they are made.
    """
    wanted = os.environ.get("SCHEMA_REGISTRY_LOG_LEVEL", "WARNING").upper()
    level = logging.DEBUG if debug else getattr(logging, wanted, logging.WARNING)
    logs.configure(level, fmt=log_format, log_file=log_file, command=command)


# Registering the commands: each module adds itself to ``app`` on import.
from aurum_sr.cli import (  # noqa: E402,F401
    adopt,
    apply,
    check,
    codegen,
    drift,
    github,
    history,
    init,
    plan,
    promote,
    show,
    snapshot,
    status,
    validate,
)


def _collect_less_often() -> None:
    """Run the cyclic garbage collector far less often than Python's default.

    Loading a desired state allocates hundreds of thousands of containers that live until the
    process ends; with the default thresholds the collector walks them again and again (about
    10% of a 1,000-subject plan). Reference counting still frees everything acyclic at once, and
    collections still happen, every 50,000 net allocations instead of 700.
    """
    gc.set_threshold(50_000, 20, 100)


GLOBAL_FLAGS = ("--debug",)


def hoist_global_options(args: list[str]) -> list[str]:
    """``args`` with the global flags moved in front of the command, so that
    ``aurum-sr plan --debug`` means ``aurum-sr --debug plan``. Nothing after ``--`` moves."""
    end = args.index("--") if "--" in args else len(args)
    flags = [a for a in args[:end] if a in GLOBAL_FLAGS]
    if not flags:
        return list(args)
    rest = [a for a in args[:end] if a not in GLOBAL_FLAGS]
    return [*dict.fromkeys(flags), *rest, *args[end:]]


def main(argv: list[str] | None = None, *, cli: typer.Typer = app) -> int:
    """Run the CLI and return its exit code.

    ``cli`` is the application behind the error boundary: ``aurum-sr`` itself unless a test brings
    commands of its own (the production app never gets test-only commands).

    A process of its own (``argv`` None) that was interrupted (Ctrl-C, SIGTERM) ends at once once
    it has said so: requests still in flight on worker threads would otherwise hold the exit
    until they time out (up to ``deadline_seconds``).
    """
    code = _observed(argv, cli)
    if argv is None and code in (errors.EXIT_INTERRUPTED, errors.EXIT_TERMINATED):
        _end_now(code)
    return code


def _end_now(code: int) -> NoReturn:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    logging.shutdown()  # a --log-file keeps its last lines
    os._exit(code)


def _observed(argv: list[str] | None, cli: typer.Typer) -> int:
    if argv is None:  # a process of its own (not a test calling in): tune it for one short run
        _collect_less_often()
    args = hoist_global_options(sys.argv[1:] if argv is None else argv)
    return observe.finish(_run(cli, args))


def _run(cli: typer.Typer, args: list[str]) -> int:
    """The command's exit code: the one error boundary."""
    debug = "--debug" in args
    previous = interrupt.install()
    try:
        result = cli(args=args, prog_name="aurum-sr", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        return errors.report(KeyboardInterrupt(), debug=debug)
    except typer.TyperException as exc:  # usage errors: bad option, missing argument
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            print(f"error: {exc.message}", file=sys.stderr)
        return errors.EXIT_ERROR
    except BaseException as exc:  # the one boundary: everything becomes a message + exit code
        if isinstance(exc, SystemExit):
            return exc.code if isinstance(exc.code, int) else errors.EXIT_ERROR
        return errors.report(exc, debug=debug)
    finally:
        RUN.debug = False
        interrupt.restore(previous)
    if result == errors.EXIT_INTERRUPTED:  # typer's answer to a KeyboardInterrupt: say it
        return errors.report(interrupt.last() or KeyboardInterrupt(), debug=debug)
    return result if isinstance(result, int) else 0
