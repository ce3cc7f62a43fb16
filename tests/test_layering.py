"""The package's layering, checked from the source: no upward import, no import cycle.

Every import in ``aurum_sr`` (at module level or inside a function) is read with ``ast``. A part
is a top-level package or module of ``aurum_sr`` (``aurum_sr/plan/`` -> ``plan``,
``aurum_sr/config.py`` -> ``config``), or a module that :data:`LAYERS` names on its own
(``render.words``). A part may import any part in a lower layer of :data:`LAYERS`; one in its own
layer only where :data:`SIDEWAYS` allows it, with the reason; never one in a higher layer.

Adding a package: put it in the lowest layer that holds everything it imports (a new schema
format sits inside ``formats``; a new output format inside ``render``), and run this file.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import aurum_sr

PACKAGE = Path(aurum_sr.__file__).resolve().parent

# Bottom first. The pipeline's steps are named after their packages (see aurum_sr/pipeline.py).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("capabilities", "datacontracts"),  # what a registry can do; data-contract values (no imports)
    ("model",),  # frozen data shared by every step
    # the error tree and exit codes; masking secrets; the run id; signals; registry requests seen
    ("errors", "secrets", "run", "interrupt", "telemetry"),
    ("formats", "config"),  # schema formats (Avro today); registry connection settings
    ("canonical", "avro_parse", "avro_defaults"),  # identity; the old Avro import paths
    ("desired", "registry", "diff", "compat"),  # steps 1-4: files, registry, diff, verdicts
    (
        "plan",
        "adopt",
        "codegen",
        "scaffold",
        "history",
    ),  # step 5, and what builds on steps 1-4 alone
    ("render.words",),  # the plan's words: apply's messages and every renderer use them
    ("render", "apply", "github"),  # every word a user reads; executing a plan; GitHub output
    ("metrics",),  # a run's Prometheus metrics, from the plan, apply and drift results
    ("pipeline", "manager"),  # the story in order; the Python API
    ("environments",),  # several environments in one run, over the pipeline
    ("registration",),  # the seed's CI entry point, over the pipeline
    ("cli",),  # typer commands and the one error boundary
    ("__main__", "testing"),  # entry points nothing in the package may import
)

# (importer, imported) pairs allowed within one layer, and why.
SIDEWAYS: dict[tuple[str, str], str] = {
    (
        "registry",
        "compat",
    ): "the in-process registry engine checks compatibility as a registry does",
    ("render", "apply"): "render writes the apply report from the apply result",
}

# The package root holds only the version and lazily loaded API names.
ROOT = "aurum_sr"


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name
    imported: str  # dotted module name (a module or package of aurum_sr)
    line: int
    type_only: bool  # under ``if TYPE_CHECKING:``: never runs

    @property
    def where(self) -> str:
        return f"{self.importer.replace('.', '/')}.py:{self.line}"


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(
    tree: ast.AST, type_only: bool = False
) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, type_only
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                yield from _import_nodes(ast.Module(body=[child], type_ignores=[]), True)
            for child in node.orelse:
                yield from _import_nodes(ast.Module(body=[child], type_ignores=[]), type_only)
        else:
            yield from _import_nodes(node, type_only)


def _nearest_module(name: str, modules: Collection[str]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _lazy_target(name: str) -> str:
    """``from aurum_sr import X``: the module X is, or lazily comes from, else the root."""
    if f"{ROOT}.{name}" in MODULES:
        return f"{ROOT}.{name}"
    lazy: dict[str, str] = getattr(aurum_sr, "_LAZY", {})
    return lazy.get(name, ROOT)


def imports_of(module: str, path: Path, modules: Collection[str] = MODULES) -> Iterator[Import]:
    """Every import of an ``aurum_sr`` module (one of ``modules``) that ``module`` makes."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node, type_only in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for alias in node.names:
                if source == ROOT:
                    targets.append(_lazy_target(alias.name))
                elif f"{source}.{alias.name}" in modules:  # ``from pkg import submodule``
                    targets.append(f"{source}.{alias.name}")
                else:
                    targets.append(source)
        for target in targets:
            if target != ROOT and not target.startswith(ROOT + "."):
                continue
            found = _nearest_module(target, modules)
            if found is not None and found != module:
                yield Import(module, found, node.lineno, type_only)


ALL_IMPORTS = [imp for module, path in MODULES.items() for imp in imports_of(module, path)]


_OWN_PARTS = sorted((p for layer in LAYERS for p in layer if "." in p), key=len, reverse=True)


def part(module: str) -> str:
    """``aurum_sr.plan.builder`` -> ``plan``; the root package is its own part, and so is a
    module :data:`LAYERS` names on its own (``aurum_sr.render.words`` -> ``render.words``)."""
    if module == ROOT:
        return ROOT
    name = module.removeprefix(ROOT + ".")
    for own in _OWN_PARTS:
        if name == own or name.startswith(own + "."):
            return own
    return name.split(".")[0]


def layer_of(name: str) -> int:
    for index, layer in enumerate(LAYERS):
        if name in layer:
            return index
    raise KeyError(name)


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {part(module) for module in MODULES} - {ROOT}
    unplaced = sorted(p for p in parts if not any(p in layer for layer in LAYERS))
    assert not unplaced, (
        f"aurum_sr parts in no layer: {unplaced}; add each to LAYERS in {Path(__file__).name} "
        "(the lowest layer holding everything it imports)"
    )
    stale = sorted(p for layer in LAYERS for p in layer if p not in parts)
    assert not stale, f"LAYERS names parts that no longer exist: {stale}"
    stale_sideways = sorted(pair for pair in SIDEWAYS if not set(pair) <= parts)
    assert not stale_sideways, f"SIDEWAYS names parts that no longer exist: {stale_sideways}"


def violations(imports: list[Import]) -> list[str]:
    """Each import that goes up a layer, or sideways without a SIDEWAYS entry."""
    found = []
    for imp in imports:
        source, target = part(imp.importer), part(imp.imported)
        if source == target or target == ROOT:
            continue
        if source == ROOT:
            found.append(f"{imp.where}: the package root imports {target} (keep it lazy)")
            continue
        up, down = layer_of(source), layer_of(target)
        if down > up:
            found.append(f"{imp.where}: {source} imports {target}, a higher layer")
        elif down == up and (source, target) not in SIDEWAYS:
            found.append(f"{imp.where}: {source} imports {target}, same layer, not in SIDEWAYS")
    return found


def test_no_part_imports_upward_or_sideways_unless_allowed() -> None:
    found = violations(ALL_IMPORTS)
    assert not found, "layering broken:\n  " + "\n  ".join(found)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(graph.get(succ, ())))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
    return components


def _graph(edges: list[tuple[str, str]]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for source, target in edges:
        graph.setdefault(source, set()).add(target)
        graph.setdefault(target, set())
    return graph


def test_no_import_cycle_between_parts() -> None:
    edges = [
        (part(i.importer), part(i.imported))
        for i in ALL_IMPORTS
        if not i.type_only and part(i.importer) != part(i.imported)
    ]
    assert _cycles(_graph(edges)) == []


def test_no_import_cycle_between_modules() -> None:
    """Function-local imports count: deferring an import hides a cycle, it does not remove it."""
    edges = [(i.importer, i.imported) for i in ALL_IMPORTS if not i.type_only]
    cycles = _cycles(_graph(edges))
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


# The checker itself: each rule fails on the import it exists to catch.


@pytest.mark.parametrize(
    ("source", "imports", "expected"),
    [
        ("aurum_sr.diff.schemas", "aurum_sr.registry.http", "same layer, not in SIDEWAYS"),
        ("aurum_sr.model", "aurum_sr.plan.model", "a higher layer"),
        ("aurum_sr.plan.builder", "aurum_sr.render.human", "a higher layer"),
        ("aurum_sr.render.human", "aurum_sr.cli.options", "a higher layer"),
        ("aurum_sr", "aurum_sr.manager", "the package root imports manager"),
        ("aurum_sr.apply.result", "aurum_sr.render.human", "apply imports render, same layer"),
        ("aurum_sr.render.words", "aurum_sr.render.human", "render.words imports render, a hi"),
    ],
)
def test_a_forbidden_import_is_reported(source: str, imports: str, expected: str) -> None:
    [message] = violations([Import(source, imports, 7, type_only=False)])
    assert message.startswith(f"{source.replace('.', '/')}.py:7: ") and expected in message


@pytest.mark.parametrize(
    ("source", "imports"),
    [
        ("aurum_sr.plan.builder", "aurum_sr.compat.checker"),
        ("aurum_sr.registry.engine", "aurum_sr.compat"),
        ("aurum_sr.cli.plan", "aurum_sr.pipeline"),
        ("aurum_sr.plan.builder", "aurum_sr.plan.model"),
        ("aurum_sr.cli.errors", "aurum_sr"),
        ("aurum_sr.apply.result", "aurum_sr.render.words"),
        ("aurum_sr.render.human", "aurum_sr.render.words"),
    ],
)
def test_an_allowed_import_is_not_reported(source: str, imports: str) -> None:
    assert violations([Import(source, imports, 1, type_only=False)]) == []


def test_cycles_are_found_through_function_local_imports(tmp_path: Path) -> None:
    (tmp_path / "aurum_sr" / "compat").mkdir(parents=True)
    changes = tmp_path / "aurum_sr" / "compat" / "changes.py"
    checker = tmp_path / "aurum_sr" / "compat" / "checker.py"
    changes.write_text("from aurum_sr.compat.checker import parse\n", encoding="utf-8")
    checker.write_text("def f():\n    from aurum_sr.compat import changes\n", encoding="utf-8")
    modules = {"aurum_sr", "aurum_sr.compat", "aurum_sr.compat.changes", "aurum_sr.compat.checker"}
    found = [
        *imports_of("aurum_sr.compat.changes", changes, modules),
        *imports_of("aurum_sr.compat.checker", checker, modules),
    ]
    assert [(i.importer, i.imported, i.line) for i in found] == [
        ("aurum_sr.compat.changes", "aurum_sr.compat.checker", 1),
        ("aurum_sr.compat.checker", "aurum_sr.compat.changes", 2),
    ]
    edges = [(i.importer, i.imported) for i in found]
    assert _cycles(_graph(edges)) == [["aurum_sr.compat.changes", "aurum_sr.compat.checker"]]


def test_an_import_under_type_checking_is_type_only_and_makes_no_cycle(tmp_path: Path) -> None:
    errors, model = tmp_path / "errors.py", tmp_path / "model.py"
    errors.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from aurum_sr.model import X\n",
        encoding="utf-8",
    )
    model.write_text("from aurum_sr.errors import E\n", encoding="utf-8")
    modules = {"aurum_sr", "aurum_sr.errors", "aurum_sr.model"}
    found = [
        *imports_of("aurum_sr.errors", errors, modules),
        *imports_of("aurum_sr.model", model, modules),
    ]
    assert [(i.imported, i.type_only) for i in found] == [
        ("aurum_sr.model", True),
        ("aurum_sr.errors", False),
    ]
    assert _cycles(_graph([(i.importer, i.imported) for i in found if not i.type_only])) == []


def test_the_reader_sees_the_real_package() -> None:
    """Guards against a layering test that passes because it read nothing."""
    edges = {(i.importer, i.imported) for i in ALL_IMPORTS}
    assert ("aurum_sr.pipeline", "aurum_sr.plan") in edges
    assert ("aurum_sr.cli", "aurum_sr.cli.app") in edges
    assert len(MODULES) > 50
