"""aurum-sr: GitOps for Kafka schema registries.

Importing the package has no side effects and stays cheap; the public API is loaded on first use.
"""

from __future__ import annotations

from typing import Any

# The one place the version is written: pyproject.toml reads it (setuptools dynamic metadata), and
# CHANGELOG.md names it when a release is cut.
__version__ = "0.1.0"

_LAZY = {
    "CompatibilityChecker": "aurum_sr.compat",
    "CompatibilityResult": "aurum_sr.compat",
    "SchemaRegistryConfig": "aurum_sr.config",
    "SchemaRegistryManager": "aurum_sr.manager",
    "CompatibilityLevel": "aurum_sr.model",
    "Mode": "aurum_sr.model",
    "SchemaCompatibilityMode": "aurum_sr.model",
}

__all__ = [
    "CompatibilityChecker",
    "CompatibilityLevel",
    "CompatibilityResult",
    "Mode",
    "SchemaCompatibilityMode",
    "SchemaRegistryConfig",
    "SchemaRegistryManager",
    "__version__",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'aurum_sr' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
