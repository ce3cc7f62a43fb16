"""Small builders for Avro schemas in tests."""

from __future__ import annotations

import json
from typing import Any

from aurum_sr.model import Schema


def record(*fields: dict[str, Any], name: str = "Order", **attrs: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "fields": list(fields), **attrs}


def field(name: str, type_: Any, **attrs: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **attrs}


def enum(symbols: list[str], name: str = "Status", **attrs: Any) -> dict[str, Any]:
    return {"type": "enum", "name": name, "symbols": symbols, **attrs}


def schema(value: Any) -> Schema:
    return Schema(json.dumps(value))
