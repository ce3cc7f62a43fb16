"""Fixtures shared by the end-to-end tests."""

from tests.fake_compat import fake_compat

__all__ = ["fake_compat"]
