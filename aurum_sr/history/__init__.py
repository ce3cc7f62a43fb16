"""Schema evolution history: how a subject's schema and contract changed in git, commit by
commit, with the compatibility verdict and the checker's change list between versions."""

from aurum_sr.history.evolution import (
    Category,
    ContractChange,
    ContractEntry,
    Event,
    SubjectHistory,
    evolve,
)
from aurum_sr.history.reading import read_history

__all__ = [
    "Category",
    "ContractChange",
    "ContractEntry",
    "Event",
    "SubjectHistory",
    "evolve",
    "read_history",
]
