"""The format and compatibility modules import one another without a cycle (deferred imports
included), and a format imports nothing above it."""

from __future__ import annotations

import ast
from pathlib import Path

import aurum_sr

ROOT = Path(aurum_sr.__file__).parent
PACKAGES = ("formats", "compat")
ABOVE_FORMATS = ("compat", "desired", "registry", "diff", "plan", "render", "apply", "cli")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    path = ROOT.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imports_within(path: Path) -> set[str]:
    """The aurum_sr modules ``path`` imports anywhere in its body (inside functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:  # "from package import module" imports the module
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if is_module(submodule) else node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name.startswith("aurum_sr.")}


GRAPH = {
    module_name(path): imports_within(path)
    for package in PACKAGES
    for path in sorted((ROOT / package).rglob("*.py"))
}


def test_the_graph_reads_the_real_packages() -> None:
    assert {"aurum_sr.formats.avro.checker", "aurum_sr.formats.avro.changes"} <= set(GRAPH)
    assert "aurum_sr.formats.avro.parse" in GRAPH["aurum_sr.formats.avro.parsed"]


def test_no_import_cycle() -> None:
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, "import cycle: " + " -> ".join((*trail, name))
        if name in done:
            return
        for target in sorted(GRAPH.get(name, ())):
            visit(target, (*trail, name))
        done.add(name)

    for name in sorted(GRAPH):
        visit(name, ())


def test_formats_import_nothing_above_them() -> None:
    upward = {
        (module, target)
        for module, targets in GRAPH.items()
        if module.startswith("aurum_sr.formats")
        for target in targets
        if target.split(".")[1] in ABOVE_FORMATS or target == "aurum_sr.canonical"
    }
    assert upward == set()
