"""Desired state: ``contracts/contracts.yml`` and the ``schemas/**/*.avsc`` it lists.

:func:`load_desired` reads and validates everything offline, collecting every problem as a
:class:`~aurum_sr.errors.Diagnostic` before reporting. ruamel.yaml is imported only here.
"""

from __future__ import annotations

from aurum_sr.desired.diagnostics import SWITCHABLE_RULES, Level
from aurum_sr.desired.loader import LoadedDesired, load_desired

__all__ = ["SWITCHABLE_RULES", "Level", "LoadedDesired", "load_desired"]
