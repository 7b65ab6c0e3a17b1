"""The one-way flow of planner/: no import cycle, no upward import, the app never imports a solver.

Layers, lowest first; a module imports only its own layer or lower ones at run time (imports under
`if TYPE_CHECKING:` are type hints, not imports).
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
LAYERS: list[tuple[str, ...]] = [
    (
        "planner.text",
        "planner.issues",
        "planner.legal",
        "planner.rules",
        "planner.interrupt",
        "planner.progress",
        "planner.explain",
        "planner.timeline",
        "planner.vocab",
    ),
    ("planner.loader", "planner.registry", "planner.catalogue", "planner.roster"),
    ("planner.scenario",),
    (
        "planner.kinship",
        "planner.eligibility",
        "planner.plan",
        "planner.edits",
        "planner.report",
        "planner.profiles",
        "planner.diff",
    ),
    ("planner.check",),
    ("planner.slate", "planner.schedule"),
    ("planner.export",),
    ("planner.workspace",),
    ("planner.cli", "planner.__main__"),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    for i, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return i
    if module == "planner":
        return 0
    raise AssertionError(f"{module} has no layer in tests/test_architecture.py")


def runtime_imports(path: Path) -> set[str]:
    """Modules imported anywhere in the file (functions included), except under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hints = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for child in node.body
        for n in ast.walk(child)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in hints:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def graph() -> nx.DiGraph:
    modules = {module_name(p): p for p in (ROOT / "planner").rglob("*.py")}
    g = nx.DiGraph()
    for name, path in modules.items():
        g.add_node(name)
        imports = runtime_imports(path)
        g.graph.setdefault("external", {})[name] = imports
        for target in imports:
            if target in modules and target != name:
                g.add_edge(name, target)
    return g


def test_no_import_cycle_in_planner():
    assert list(nx.simple_cycles(graph())) == []


def test_no_upward_import():
    upward = [(a, b) for a, b in graph().edges if layer_of(b) > layer_of(a)]
    assert upward == []


def test_the_checker_and_the_writers_never_reach_a_solver():
    g = graph()
    for name in g:
        if name.startswith(("planner.check", "planner.export", "planner.timeline", "planner.scenario")):
            reached = nx.descendants(g, name) | {name}
            imported = reached | {m for r in reached for m in g.graph["external"][r]}
            assert not [
                m for m in imported if m.startswith(("planner.slate", "planner.schedule", "ortools"))
            ], name


def test_the_library_never_imports_streamlit_and_the_app_never_imports_ortools():
    g = graph()
    assert not [n for n in g if any(m.startswith("streamlit") for m in g.graph["external"][n])]
    for page in [ROOT / "app.py", *(ROOT / "app_pages").glob("*.py")]:
        assert not [m for m in runtime_imports(page) if m.startswith("ortools")], page
