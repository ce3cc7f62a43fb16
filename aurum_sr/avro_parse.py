"""Moved to :mod:`aurum_sr.formats.avro.parse`; kept so existing imports still work."""

from aurum_sr.formats.avro.parse import (
    ReferenceResolver,
    obviously_strict,
    parse_avro,
    strictness_problems,
)

__all__ = ["ReferenceResolver", "obviously_strict", "parse_avro", "strictness_problems"]
