"""Fixtures shared by the apply tests."""

from tests.fake_compat import fake_compat

__all__ = ["fake_compat"]
