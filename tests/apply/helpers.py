"""Registries to apply against: in memory, seeded from a LiveState, and one that fails on cue."""

from __future__ import annotations

from typing import Any

from aurum_sr.errors import RegistryError
from aurum_sr.model import LiveState, SubjectState
from aurum_sr.registry.engine import RegistryEngine
from aurum_sr.registry.memory import InMemoryRegistry

WRITES = frozenset(
    {
        "register",
        "set_compatibility",
        "delete_compatibility",
        "set_mode",
        "delete_mode",
        "delete_subject",
        "delete_version",
    }
)


def memory_registry(state: LiveState | None = None) -> InMemoryRegistry:
    """An in-memory registry holding ``state`` (ids and versions kept)."""
    engine = RegistryEngine("memory:")
    if state is not None:
        engine.load_state(state)
    return InMemoryRegistry(engine)


def snapshot_of(registry: InMemoryRegistry) -> dict[str, SubjectState]:
    """Every subject the registry holds, soft-deleted versions included."""
    names = registry.list_subjects(deleted=True)
    return dict(registry.read_state(names).subjects)


class Recording:
    """A registry wrapper that counts writes and can fail the Nth one (1-based)."""

    def __init__(
        self,
        inner: InMemoryRegistry,
        *,
        fail_write: int | None = None,
        error: BaseException | None = None,
        after: bool = False,
    ) -> None:
        self.inner = inner
        self.after = after
        """Fail after the write took effect (the answer was lost on the way back)."""
        self.writes: list[tuple[str, tuple[Any, ...]]] = []
        self.fail_write = fail_write
        self.error: BaseException = error or RegistryError(
            "Internal Server Error (https://ops:hunter2@registry.example:8081)",
            registry="https://ops:***@registry.example:8081",
            http_status=500,
            error_code=50001,
        )

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.inner, name)
        if name not in WRITES:
            return target

        def write(*args: Any, **kwargs: Any) -> Any:
            self.writes.append((name, args))
            failing = self.fail_write is not None and len(self.writes) == self.fail_write
            if failing and not self.after:
                raise self.error
            answer = target(*args, **kwargs)
            if failing:
                raise self.error
            return answer

        return write

    @property
    def name(self) -> str:
        return self.inner.name
