"""The single error boundary: every exception becomes a message and an exit code."""

from __future__ import annotations

import sys
import traceback

from aurum_sr import __version__, interrupt
from aurum_sr.errors import (
    EXIT_ERROR,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    AurumError,
)
from aurum_sr.render.escape import terminal_lines

__all__ = ["EXIT_ERROR", "EXIT_INTERRUPTED", "EXIT_TERMINATED", "report"]


def report(exc: BaseException, *, debug: bool) -> int:
    """Print ``exc`` for a person on stderr and return the exit code it maps to."""
    if isinstance(exc, (KeyboardInterrupt, interrupt.Terminated)):
        if debug:
            traceback.print_exception(exc, file=sys.stderr)
        print(_stopped(exc), file=sys.stderr)
        return EXIT_INTERRUPTED if isinstance(exc, KeyboardInterrupt) else EXIT_TERMINATED
    if isinstance(exc, AurumError):
        if debug:
            traceback.print_exception(exc, file=sys.stderr)
        print(terminal_lines(f"error: {exc}"), file=sys.stderr)
        return exc.exit_code
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    print(
        f"aurum-sr: unexpected error ({type(exc).__name__}): {terminal_lines(str(exc))}\n"
        f"  This is a bug in aurum-sr {__version__}. Run again with --debug for the traceback "
        "and include it in a bug report.",
        file=sys.stderr,
    )
    return EXIT_INTERNAL


def _stopped(exc: BaseException) -> str:
    """What an interrupted run says: which signal, and whether anything reached a registry."""
    how = "interrupted" if isinstance(exc, KeyboardInterrupt) else "terminated (SIGTERM)"
    if not interrupt.wrote():
        return f"aurum-sr: {how}; nothing was written to the registry"
    return (
        f"aurum-sr: {how} after apply had started writing to the registry\n"
        "  Run `aurum-sr plan` to see what is in effect; `aurum-sr apply` again converges."
    )
