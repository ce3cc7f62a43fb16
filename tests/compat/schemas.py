"""The compatibility tests' defaults on the shared schema factories: a record is an ``Order``
unless named, an enum a ``Status``; fields come first because most cases vary only them."""

from __future__ import annotations

from typing import Any

from tests import factories
from tests.factories import field, schema

__all__ = ["enum", "field", "record", "schema"]


def record(*fields: dict[str, Any], name: str = "Order", **attrs: Any) -> dict[str, Any]:
    return factories.record(name, *fields, **attrs)


def enum(symbols: list[str], name: str = "Status", **attrs: Any) -> dict[str, Any]:
    return factories.enum(name, symbols, **attrs)
