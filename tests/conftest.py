"""Shared fixtures: the in-process registry server of :mod:`aurum_sr.testing`."""

from aurum_sr.testing import registry_server

__all__ = ["registry_server"]
