"""Fixtures shared by the render tests."""

from tests.fake_compat import fake_compat

__all__ = ["fake_compat"]
