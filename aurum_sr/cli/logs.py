"""Where log records go and how they look: every line names the run (see :mod:`aurum_sr.run`)."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

from aurum_sr import run

TEXT_FORMAT = "aurum-sr %(levelname)s %(name)s [run %(run_id)s]: %(message)s"


FIELDS = ("event", "subject", "method", "path", "status", "duration_ms", "attempt")
"""Optional fields a record may carry (``extra=``); JSON lines hold those that are set."""


class RunFilter(logging.Filter):
    """Stamps every record with the current run id and command."""

    command = ""

    def filter(self, record: logging.LogRecord) -> bool:
        record.run_id = run.run_id()
        record.command = RunFilter.command
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line (schema in docs/observability.md)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "timestamp": datetime.fromtimestamp(record.created, timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "run_id": getattr(record, "run_id", run.run_id()),
            "command": getattr(record, "command", ""),
            "event": getattr(record, "event", "log"),
            "message": record.getMessage(),
        }
        for name in FIELDS[1:]:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        return json.dumps(line, ensure_ascii=False, sort_keys=True)


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is now (tests and embedders swap it)."""

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


class FileHandler(logging.FileHandler):
    """The ``--log-file`` handler (one per run; replaced by the next run's)."""


def configure(
    level: int, *, fmt: str = "text", log_file: str | None = None, command: str = ""
) -> None:
    """Log records of ``aurum_sr`` at ``level`` and above to stderr (or, with ``log_file``,
    appended to that file), as text or JSON lines naming the run and ``command``."""
    RunFilter.command = command
    logger = logging.getLogger("aurum_sr")
    logger.setLevel(level)
    for old in [h for h in logger.handlers if isinstance(h, (StderrHandler, FileHandler))]:
        logger.removeHandler(old)
        old.close()
    handler: logging.Handler = (
        FileHandler(log_file, encoding="utf-8") if log_file else StderrHandler()
    )
    handler.addFilter(RunFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    logger.addHandler(handler)
