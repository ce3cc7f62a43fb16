"""Moved to :mod:`aurum_sr.formats.avro.defaults`; kept so existing imports still work."""

from aurum_sr.formats.avro.defaults import DefaultProblem, default_problems, fits

__all__ = ["DefaultProblem", "default_problems", "fits"]
