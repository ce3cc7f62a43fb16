"""Where log records go and how they look: every line names the run (see :mod:`aurum_sr.run`)."""

from __future__ import annotations

import logging
import sys

from aurum_sr import run

TEXT_FORMAT = "aurum-sr %(levelname)s %(name)s [run %(run_id)s]: %(message)s"


class RunFilter(logging.Filter):
    """Stamps every record with the current run id (``record.run_id``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.run_id = run.run_id()
        return True


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is now (tests and embedders swap it)."""

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def configure(level: int) -> None:
    """Log records of ``aurum_sr`` at ``level`` and above to stderr, as text naming the run."""
    logger = logging.getLogger("aurum_sr")
    logger.setLevel(level)
    if not any(isinstance(h, StderrHandler) for h in logger.handlers):
        handler = StderrHandler()
        handler.addFilter(RunFilter())
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
        logger.addHandler(handler)
