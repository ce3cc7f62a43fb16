"""What ``aurum-sr status`` prints: where the registry is, its version, counts and global
settings (or the JSON document)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from aurum_sr.capabilities import Capabilities, Support
from aurum_sr.registry import RegistryStatus
from aurum_sr.render.color import Lines
from aurum_sr.render.formats import STATUS_FORMATS, OutputFormat, accepted_format

FORMAT_VERSION = 1
"""The ``format_version`` of the status JSON document."""


def render_status(
    status: RegistryStatus, fmt: OutputFormat | str, stream: TextIO, *, color: bool = False
) -> None:
    """Write the status of a reachable registry in ``fmt`` to ``stream``.

    Raises:
        ValueError: ``fmt`` is not one of :class:`OutputFormat`.
        NotSupportedError: status has no ``fmt`` form.
    """
    output = accepted_format(fmt, STATUS_FORMATS, "status")
    if output is OutputFormat.JSON:
        stream.write(json.dumps(status_document(status), indent=2, sort_keys=True) + "\n")
        return
    rows = [
        ("registry", status.registry),
        ("reachable", "yes" if status.reachable else "no"),
        ("server version", status.server_version or "unknown"),
        ("subjects", str(status.total_subjects)),
        ("schemas", str(status.total_schemas)),
        (
            "compatibility",
            status.global_compatibility.value if status.global_compatibility else "?",
        ),
        ("mode", status.global_mode.value if status.global_mode else "?"),
    ]
    known = status.capabilities
    if known is not None:
        rows.append(("implementation", f"{_implementation(known)} ({known.found_by})"))
        for support in Support:
            names = [c.value for c, s in known.support if s is support]
            if names:
                rows.append((support.value.replace("_", " "), ", ".join(names)))
    width = max(len(key) for key, _ in rows)
    lines = Lines(stream, color=color)
    for key, value in rows:
        lines.line((f"{key + ':':<{width + 1}}", "bold"), f" {value}")


def status_document(status: RegistryStatus) -> dict[str, Any]:
    """The JSON document: ``format_version`` and the registry's status (``null`` where the
    registry does not say)."""
    return {
        "format_version": FORMAT_VERSION,
        "registry": status.registry,
        "reachable": status.reachable,
        "server_version": status.server_version,
        "subjects": status.total_subjects,
        "schemas": status.total_schemas,
        "compatibility": (
            status.global_compatibility.value if status.global_compatibility else None
        ),
        "mode": status.global_mode.value if status.global_mode else None,
        "capabilities": _capabilities_document(status.capabilities),
    }


def _implementation(known: Capabilities) -> str:
    name = known.implementation.value
    return f"{name} {known.version}" if known.version else name


def _capabilities_document(known: Capabilities | None) -> dict[str, Any] | None:
    if known is None:
        return None
    return {
        "implementation": known.implementation.value,
        "version": known.version,
        "found_by": known.found_by,
        "support": {c.value: s.value for c, s in known.support},
    }
