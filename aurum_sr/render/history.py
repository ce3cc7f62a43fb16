"""What ``aurum-sr history`` prints: each subject's commits, oldest first, with the version
each schema became, its category and the breaking changes named; human text, JSON or
Markdown."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from aurum_sr.compat.result import ChangeCategory
from aurum_sr.history import Category, ContractChange, Event, SubjectHistory
from aurum_sr.history.evolution import LISTED
from aurum_sr.render.color import Lines
from aurum_sr.render.escape import markdown_code, markdown_text
from aurum_sr.render.formats import HISTORY_FORMATS, OutputFormat, accepted_format
from aurum_sr.render.text import breaking_line

FORMAT_VERSION = 1
"""The ``format_version`` of the JSON document."""

SHALLOW = (
    "this is a shallow clone: the history may be cut short; `git fetch --unshallow` for all of it"
)

_STYLE = {
    Category.BREAKING: "bold red",
    Category.RISKY: "yellow",
    Category.UNCHECKED: "yellow",
    Category.REMOVED: "red",
    Category.FIRST: "green",
    Category.NON_BREAKING: "green",
}


def render_history(
    histories: Sequence[SubjectHistory],
    fmt: OutputFormat | str,
    stream: TextIO,
    *,
    shallow: bool = False,
    color: bool = False,
) -> None:
    """Write ``histories`` in ``fmt``.

    Raises:
        NotSupportedError: history has no ``fmt`` form.
    """
    output = accepted_format(fmt, HISTORY_FORMATS, "history")
    if output is OutputFormat.JSON:
        document = history_document(histories, shallow=shallow)
        stream.write(json.dumps(document, indent=2, sort_keys=True) + "\n")
    elif output is OutputFormat.MARKDOWN:
        _markdown(histories, stream, shallow)
    elif output is OutputFormat.HUMAN:
        _human(histories, stream, shallow, color)
    else:  # pragma: no cover - accepted_format admits only the formats above
        raise AssertionError(output)


def what(event: Event) -> str:
    """One line on what the commit did: ``v2, breaking: incompatible under BACKWARD``."""
    category = event.category
    if category is Category.CONTRACT:
        return "contract: " + "; ".join(contract_change(c) for c in event.contract)
    if category is Category.REMOVED:
        return "schema file deleted"
    if category is Category.UNCHECKED:
        return f"unchecked: {event.error}"
    if category is Category.COSMETIC and event.version is None:
        return "cosmetic: the registry sees the same schema (no new version)"
    assert event.version is not None and event.level is not None
    version = f"v{event.version}" + (" (rollback to an existing version)" if event.rollback else "")
    if category is Category.FIRST:
        return f"{version}, first version"
    verdict = "compatible" if event.compatible else "INCOMPATIBLE"
    return f"{version}, {category.value}: {verdict} under {event.level.value}"


def contract_change(change: ContractChange) -> str:
    """``compatibility BACKWARD -> FULL``; ``added to the contracts``."""
    if change.key == LISTED:
        return "added to the contracts" if change.after else "removed from the contracts"
    return f"{change.key} {change.before or '(none)'} -> {change.after or '(none)'}"


def _details(event: Event) -> list[str]:
    lines = [breaking_line(b) for b in event.breaking_changes]
    if not event.breaking_changes:
        # Cosmetic changes only where nothing else changed (a doc, an order).
        shown = event.category is Category.COSMETIC
        lines += [
            f"{c.category.value}: {c.field_path or '(schema)'}: {c.message}"
            for c in event.changes
            if shown or c.category is not ChangeCategory.COSMETIC
        ]
    if event.renamed_from:
        lines.append(f"schema file moved from {event.renamed_from}")
    if event.category is not Category.CONTRACT:
        lines += [f"contract: {contract_change(c)}" for c in event.contract]
    return lines


def _human(histories: Sequence[SubjectHistory], stream: TextIO, shallow: bool, color: bool) -> None:
    lines = Lines(stream, color=color)
    for history in histories:
        lines.line((history.subject, "bold"))
        if not history.events:
            lines.line("  no commit touches its schema file or contract")
        for event in history.events:
            lines.line(
                f"  {event.commit[:12]}  {event.date[:10]}  {event.author}  ",
                (what(event), _STYLE.get(event.category, "")),
            )
            lines.line(f"      {event.summary}")
            for detail in _details(event):
                lines.line(f"      - {detail}")
        lines.blank()
    if shallow:
        lines.line(("warning: ", "yellow"), SHALLOW)


def _markdown(histories: Sequence[SubjectHistory], stream: TextIO, shallow: bool) -> None:
    out = ["## Schema evolution", ""]
    if shallow:
        out += [f"> {markdown_text(SHALLOW)}", ""]
    for history in histories:
        out += [f"### {markdown_code(history.subject)}", ""]
        out += ["| Commit | Date | Author | Change |", "| --- | --- | --- | --- |"]
        for event in history.events:
            change = "<br>".join(markdown_text(line) for line in [what(event), *_details(event)])
            out.append(
                f"| {markdown_code(event.commit[:12])} | {event.date[:10]} | "
                f"{markdown_text(event.author)} | {change} |"
            )
        out.append("")
    stream.write("\n".join(out))


def history_document(
    histories: Sequence[SubjectHistory], *, shallow: bool = False
) -> dict[str, Any]:
    """The JSON document (``format_version`` 1)."""
    return {
        "format_version": FORMAT_VERSION,
        "shallow": shallow,
        "subjects": [
            {"subject": h.subject, "events": [_event(e) for e in h.events]} for h in histories
        ],
    }


def _event(event: Event) -> dict[str, Any]:
    return {
        "commit": event.commit,
        "author": event.author,
        "date": event.date,
        "summary": event.summary,
        "category": event.category.value,
        "schema_file": event.schema_file,
        "renamed_from": event.renamed_from,
        "version": event.version,
        "rollback": event.rollback,
        "level": event.level.value if event.level else None,
        "compatible": event.compatible,
        "checked_versions": list(event.checked_versions),
        "breaking_changes": [
            {
                "kind": b.kind,
                "direction": b.direction.value,
                "field_path": b.field_path,
                "message": b.message,
                "against_version": b.against_version,
            }
            for b in event.breaking_changes
        ],
        "changes": [
            {"kind": c.kind, "category": c.category.value, "field_path": c.field_path}
            | {"message": c.message}
            for c in event.changes
        ],
        "contract": [{"key": c.key, "before": c.before, "after": c.after} for c in event.contract],
        "error": event.error,
    }
