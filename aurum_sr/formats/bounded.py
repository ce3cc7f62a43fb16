"""Reading local input within limits: every file and every JSON text aurum-sr reads from disk.

One reader for every local input (``.avsc`` files, contracts.yml, saved plans, ``check``'s
schema files, snapshot files), so a hostile or broken file gets the same located error
everywhere instead of a hang, an exhausted memory or an internal error:

- :func:`read_text` reads only regular files (a FIFO, a device such as ``/dev/zero`` or a
  directory is refused before it is opened for reading) of at most :func:`max_input_bytes`.
- :func:`loads` is ``json.loads`` that refuses what JSON or a registry cannot hold: nesting
  deeper than :func:`max_json_depth`, integers longer than :data:`MAX_INT_DIGITS` digits,
  ``NaN`` / ``Infinity`` (and numbers so large they become infinite), and a key repeated in
  one object (the last one would silently win). Its errors are :class:`json.JSONDecodeError`,
  so they carry a line and column like any other JSON syntax error.

The limits are read from the environment on every call (documented in docs/security.md):
``AURUM_SR_MAX_INPUT_BYTES`` (default 256 MiB), ``AURUM_SR_MAX_CONTRACTS_BYTES`` (default 32 MiB,
the contracts file; see :func:`max_contracts_bytes`) and ``AURUM_SR_MAX_JSON_DEPTH`` (default
100).
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_CONTRACTS_BYTES = 32 * 1024 * 1024
DEFAULT_MAX_JSON_DEPTH = 100
MAX_INT_DIGITS = 1000
"""Longer integers are refused: no schema, plan or snapshot needs one, and Python refuses to
convert those over 4,300 digits anyway."""

_HARD_DEPTH = 500  # the JSON parser itself recurses; a higher setting could not be honoured


class InputFileError(Exception):
    """A local file that cannot be read as text: not a regular file, too large, not UTF-8,
    or unreadable. ``message`` says which, ``hint`` how to fix it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        return default
    return value if value > 0 else default


def max_input_bytes() -> int:
    """The largest local file read (``AURUM_SR_MAX_INPUT_BYTES``, default 256 MiB)."""
    return _env_int("AURUM_SR_MAX_INPUT_BYTES", DEFAULT_MAX_INPUT_BYTES)


def max_contracts_bytes() -> int:
    """The largest contracts file read (``AURUM_SR_MAX_CONTRACTS_BYTES``, default 32 MiB).

    Lower than the other files' limit because reading YAML with every position kept takes
    15 to 25 times the file's size in memory at its peak (docs/performance.md): 32 MiB is some
    150,000 subjects and about 0.6 GB.
    """
    return _env_int("AURUM_SR_MAX_CONTRACTS_BYTES", DEFAULT_MAX_CONTRACTS_BYTES)


def max_json_depth() -> int:
    """The deepest JSON nesting accepted (``AURUM_SR_MAX_JSON_DEPTH``, default 100, at most
    500)."""
    return min(_env_int("AURUM_SR_MAX_JSON_DEPTH", DEFAULT_MAX_JSON_DEPTH), _HARD_DEPTH)


def read_text(
    path: str | os.PathLike[str],
    *,
    limit: int | None = None,
    setting: str = "AURUM_SR_MAX_INPUT_BYTES",
) -> str:
    """The UTF-8 text of the regular file at ``path``, refused when larger than ``limit``
    (default :func:`max_input_bytes`); ``setting`` names what raises the limit.

    Raises:
        FileNotFoundError: nothing at ``path`` (callers word "missing" their own way).
        InputFileError: not a regular file, too large, not UTF-8, or unreadable.
    """
    file = Path(path)
    try:
        info = file.stat()  # follows symlinks: the target is what gets read
    except FileNotFoundError:
        if file.is_symlink():
            raise InputFileError(
                "is a symbolic link to a file that does not exist",
                "point the link at an existing file, or replace it with the file",
            ) from None
        raise
    except OSError as exc:
        if exc.strerror and "symbolic links" in exc.strerror:
            raise InputFileError(
                "is a symbolic link loop", "replace the link with the file it should name"
            ) from None
        raise InputFileError(f"cannot be read: {exc.strerror}", "check the path") from None
    if not stat.S_ISREG(info.st_mode):
        kind = _kind(info.st_mode)
        raise InputFileError(
            f"is {kind}, not a regular file",
            "give the path of a regular file (pipes and devices are not read)",
        )
    if limit is None:
        limit = max_input_bytes()
    raise_it = f"raise {setting} (bytes) if the file really is this large"
    if info.st_size > limit:
        raise InputFileError(
            f"is {info.st_size:,} bytes, over the limit of {limit:,} ({setting})", raise_it
        )
    try:
        with file.open("rb") as handle:
            data = handle.read(limit + 1)  # the file may grow between stat and read
    except OSError as exc:
        raise InputFileError(
            f"cannot be read: {exc.strerror}", "check the file's permissions"
        ) from None
    if len(data) > limit:
        raise InputFileError(f"is over the limit of {limit:,} bytes ({setting})", raise_it)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"is not UTF-8 text ({exc.reason} at byte {exc.start})", "save it as UTF-8"
        ) from None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


class _Refused(ValueError):
    def __init__(self, message: str, needle: re.Pattern[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.needle = needle


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(
                    f"key {json.dumps(key, ensure_ascii=True)} appears twice in one object "
                    "(the first value would be silently ignored)",
                    re.compile(re.escape(json.dumps(key)) + r"\s*:"),
                )
            seen.add(key)
    return out


def _constant(name: str) -> Any:
    raise _Refused(
        f"{name} is not a JSON number (JSON has no NaN or Infinity)",
        re.compile(re.escape(name)),
    )


def _int(text: str) -> int:
    if len(text) > MAX_INT_DIGITS:
        raise _Refused(
            f"an integer of {len(text) - text.startswith('-'):,} digits is over the limit of "
            f"{MAX_INT_DIGITS:,}",
            re.compile(re.escape(text[:20])),
        )
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_INT_DIGITS:
        raise _Refused(
            f"a number of {len(text):,} characters is over the limit of {MAX_INT_DIGITS:,}",
            re.compile(re.escape(text[:20])),
        )
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(
            f"the number {text} is too large to be held (it would become Infinity)",
            re.compile(re.escape(text)),
        )
    return value


def _depth_error(text: str, limit: int) -> json.JSONDecodeError:
    """The error for ``text`` nested deeper than ``limit``, at the bracket that goes over."""
    depth = 0
    in_string = False
    escaped = False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return _error(text, index, limit)
        elif char in "]}":
            depth -= 1
    return _error(text, 0, limit)


def _error(text: str, index: int, limit: int) -> json.JSONDecodeError:
    return json.JSONDecodeError(
        f"nested more than {limit} deep (the limit; AURUM_SR_MAX_JSON_DEPTH raises it)",
        text,
        index,
    )


def _too_deep(data: Any, limit: int) -> bool:
    """Whether ``data`` (parsed JSON) nests deeper than ``limit``: one level at a time, each a
    list comprehension, a third of the time of a walk with a stack (every JSON text read from
    a registry or a file passes through here)."""
    level = [data]
    for _ in range(limit):
        children: list[Any] = []
        for node in level:
            children.extend(node.values() if type(node) is dict else node)
        level = [v for v in children if type(v) is dict or type(v) is list]
        if not level:
            return False
    return True


def loads(text: str, *, repeated_keys: bool = False) -> Any:
    """``json.loads`` within the limits of this module (see the module docstring).

    ``repeated_keys``: accept a key repeated in one object (the last wins), as registries do
    for the schemas they hold; local files are read without it.

    Raises:
        json.JSONDecodeError: not JSON, or over a limit; with the position of the problem.
    """
    limit = max_json_depth()
    try:
        data = json.loads(
            text,
            # json.loads itself keeps the last of repeated keys; only the check costs a call
            object_pairs_hook=None if repeated_keys else _object,
            parse_constant=_constant,
            parse_int=_int,
            parse_float=_float,
        )
    except _Refused as exc:
        match = exc.needle.search(text) if exc.needle is not None else None
        # a repeated key: point at its second appearance
        if match is not None and "appears twice" in exc.message:
            again = exc.needle.search(text, match.end()) if exc.needle else None
            match = again or match
        raise json.JSONDecodeError(exc.message, text, match.start() if match else 0) from None
    except RecursionError:
        raise _depth_error(text, limit) from None
    if isinstance(data, (dict, list)) and _too_deep(data, limit):
        raise _depth_error(text, limit)
    return data
