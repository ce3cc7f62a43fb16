"""Run-wide CLI state set by the global options."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RunState:
    debug: bool = False


RUN = RunState()
