"""Factories every test package shares: Avro schemas, retry policies, seeded registry servers.

Build schemas here rather than by hand in a test module: :func:`record`, :func:`field` and
:func:`enum` give the Avro structure, :func:`schema` a :class:`~aurum_sr.model.Schema`, and
:func:`avsc_text` the text of an ``.avsc`` file with one field per line (so a field's line number
is stable for annotations). A package's own helpers (``tests/compat/schemas.py``,
``tests/plan/factories.py``, ``tests/registry/helpers.py``) only fix defaults on top of these.

The registry server fixtures come from the :mod:`aurum_sr.testing.plugin` (``registry_server``,
``registry_server_factory``); :func:`seeded_server` starts one holding what the committed example
snapshot holds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from aurum_sr.model import Schema, SchemaReference
from aurum_sr.registry.retry import RetryPolicy
from aurum_sr.testing import RegistryServer

if TYPE_CHECKING:  # importing the plugin early would keep pytest from rewriting its asserts
    from aurum_sr.testing.plugin import ServerFactory

FAST_RETRY = RetryPolicy(max_attempts=4, max_seconds=5.0, base_seconds=0.01, cap_seconds=0.05)
"""Retries as in production, with millisecond waits. A test counting attempts reads
``FAST_RETRY.max_attempts`` rather than a number of its own."""

NO_RETRY = RetryPolicy(max_attempts=1, max_seconds=1.0)
"""One attempt: for tests about what a single answer of the registry becomes."""


def field(name: str, type_: Any = "string", **attrs: Any) -> dict[str, Any]:
    """An Avro record field: ``{"name", "type", **attrs}`` (``default=...`` for a default)."""
    return {"name": name, "type": type_, **attrs}


def record(
    name: str, *fields: dict[str, Any], namespace: str | None = None, **attrs: Any
) -> dict[str, Any]:
    """An Avro record: type, name, namespace (when given), fields, then ``attrs`` (doc, ...)."""
    out: dict[str, Any] = {"type": "record", "name": name}
    if namespace is not None:
        out["namespace"] = namespace
    out["fields"] = list(fields)
    out.update(attrs)
    return out


def enum(name: str, symbols: list[str], **attrs: Any) -> dict[str, Any]:
    """An Avro enum."""
    return {"type": "enum", "name": name, "symbols": symbols, **attrs}


def schema(value: Any, references: tuple[SchemaReference, ...] = ()) -> Schema:
    """``value`` (a dict, list or type name) as a registry :class:`Schema`, compact JSON."""
    return Schema(json.dumps(value), references=references)


def avsc_text(value: dict[str, Any]) -> str:
    """A record as ``.avsc`` text: its other keys on the first line, then one field per line."""
    body = {key: item for key, item in value.items() if key != "fields"}
    lines = [json.dumps(body)[:-1] + ', "fields": [']
    lines += [f"    {json.dumps(f)}," for f in value["fields"]]
    lines[-1] = lines[-1].rstrip(",")
    lines.append("]}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def seeded_server(tmp_path: Path, registry_server_factory: ServerFactory) -> RegistryServer:
    """A registry server holding what ``registry/snapshot.json`` holds (ids, versions, settings)."""
    from tests.e2e.helpers import seeded_engine  # e2e.helpers imports this module

    return registry_server_factory(engine=seeded_engine(tmp_path))
