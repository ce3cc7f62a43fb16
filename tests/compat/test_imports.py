"""The compatibility modules import one another without a cycle, deferred imports included."""

from __future__ import annotations

import ast
from pathlib import Path

import aurum_sr.compat

PACKAGE = Path(aurum_sr.compat.__file__).parent
PREFIX = "aurum_sr.compat."


def imports_within(path: Path) -> set[str]:
    """The compat modules ``path`` imports anywhere in its body (inside functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX):
            found.add(node.module.removeprefix(PREFIX))
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix(PREFIX) for a in node.names if a.name.startswith(PREFIX)}
    return found


def test_no_import_cycle_between_compat_modules() -> None:
    graph = {p.stem: imports_within(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert {"checker", "changes"} <= set(graph)  # the test reads the real package
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, "import cycle: " + " -> ".join((*trail, name))
        if name in done:
            return
        for target in sorted(graph.get(name, ())):
            visit(target, (*trail, name))
        done.add(name)

    for name in sorted(graph):
        visit(name, ())
