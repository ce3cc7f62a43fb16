"""Bodies of comments and issues: a hidden marker to find them again, and long Markdown folded
into ``<details>`` and cut so that the body stays under GitHub's limit."""

from __future__ import annotations

import re

BODY_LIMIT = 65_536
"""GitHub refuses a comment or issue body longer than this. Bodies are measured here in UTF-8
bytes, never fewer than characters, so they fit whichever way the limit is counted."""

_KEY = re.compile(r"[A-Za-z0-9._-]{1,64}")
_CLOSE = "</details>"
_RUN_ID = re.compile(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}")
_RUN_LINE = re.compile(r"^<sub>aurum-sr run `[0-9a-f-]+`</sub>$", re.MULTILINE)


def marker(kind: str, key: str) -> str:
    """The hidden HTML comment that identifies aurum-sr's comment (or issue) for ``key``.

    Raises:
        ValueError: ``key`` is not 1-64 letters, digits, dots, dashes or underscores.
    """
    if not _KEY.fullmatch(key):
        raise ValueError(f"key {key!r} must be 1-64 letters, digits, '.', '-' or '_'")
    return f"<!-- aurum-sr:{kind}:{key} -->"


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def fold(
    markdown: str,
    *,
    head: str,
    tag: str,
    full_at: str | None,
    full_label: str = "Full text",
    limit: int = BODY_LIMIT,
) -> str:
    """``tag`` (the marker), then ``markdown`` whole when it fits under ``limit``; else ``head``
    (a heading and summary that always shows), then ``markdown`` cut at a line boundary inside
    a ``<details>`` block, every ``<details>`` the cut left open closed, and a note pointing to
    ``full_at`` (the full plan's artifact or run; shown after ``full_label`` when the text
    fits), so the result never exceeds ``limit``.
    """
    whole = f"{tag}\n{markdown.rstrip()}\n"
    if full_at:
        whole += f"\n{full_label}: {full_at}\n"
    if size(whole) <= limit:
        return whole
    where = f"the full text is in {full_at}" if full_at else "the full text is in the job's log"
    lines = markdown.rstrip().splitlines()
    total = len(lines)

    def note(kept: int) -> str:
        return (
            f"\n> [!NOTE]\n> Too long for one comment ({size(markdown):,} bytes): shown folded "
            f"and cut after line {kept} of {total}; {where}.\n"
        )

    opening = f"{tag}\n{head.rstrip()}\n\n<details><summary>The whole text (cut)</summary>\n\n"
    fixed = size(opening) + size(note(total)) + size(f"\n{_CLOSE}\n")
    budget = limit - fixed
    kept: list[str] = []
    used = 0
    depth = 0
    for line in lines:
        opens = line.count("<details>") + line.count("<details ")
        closes = line.count(_CLOSE)
        after = max(0, depth + opens - closes)
        cost = size(line) + 1
        if used + cost + after * (len(_CLOSE) + 1) > budget:
            break
        kept.append(line)
        used += cost
        depth = after
    closers = [_CLOSE] * depth
    body = opening + "\n".join([*kept, *closers]) + f"\n\n{_CLOSE}\n" + note(len(kept))
    assert size(body) <= limit, "fold() overshot its own budget"
    return body


def with_run(tag: str, run_id: str) -> str:
    """``tag`` followed by a visible line naming the run (``run_id``, a UUID; anything else is
    left out), so a comment can be tied to the run's logs and the registry's request logs."""
    if not _RUN_ID.fullmatch(run_id):
        return tag
    return f"{tag}\n<sub>aurum-sr run `{run_id}`</sub>"


def without_run(body: str) -> str:
    """``body`` without its run line: two bodies that differ only in the run are the same."""
    return _RUN_LINE.sub("", body)
