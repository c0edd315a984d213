"""The component graph, drawn from the source: which component imports which (every import counts,
including those inside functions and under ``TYPE_CHECKING``). Dependencies point down; no cycle; the
kernel imports no app; no app imports the wiring. ``pytest -s`` prints the graph.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "patrons",
    "loans",
    "disclosure_requests",
    "register",
    "incidents",
    "reports",
    "outsourcing",
    "backups",
    "mypage",
)
PROJECT_APPS = ("accounts", "audit", "registry", "devmail", "dispatch")  # registry: its migrations only
CORE = "privacy_admin.core"
WIRING = "privacy_admin"  # settings, urls, the API router, the Celery app, the admin site, commands
SKIPPED_DIRS = {"tests", "bench", "tools", "scripts", ".venv", ".tools", "var", "node_modules"}

Graph = dict[str, dict[str, set[str]]]  # component -> component -> the files that make the edge


def component_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] in APPS:
        return parts[0]
    if parts[0] != "privacy_admin":
        return None
    if len(parts) > 1 and parts[1] == "core":
        return CORE
    if len(parts) > 1 and parts[1] in PROJECT_APPS:
        return f"privacy_admin.{parts[1]}"
    return WIRING


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            names.add(target)
            # ``from privacy_admin import core`` names a component through the imported name.
            names.update(f"{target}.{alias.name}" for alias in node.names)
    return names


def component_graph() -> Graph:
    graph: Graph = defaultdict(lambda: defaultdict(set))
    roots = [ROOT / name for name in (*APPS, "privacy_admin")]
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            if SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
                continue
            module = _module_name(path)
            source = component_of(module)
            if source is None:
                continue
            graph[source]  # every component is a node, even one that imports nothing
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for name in _imported(tree, module, path.name == "__init__.py"):
                target = component_of(name)
                # ``from privacy_admin import core`` also yields "privacy_admin": not an edge to the wiring.
                if target is None or target == source or name == "privacy_admin":
                    continue
                graph[source][target].add(str(path.relative_to(ROOT)))
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            members = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                members.append(member)
                if member == node:
                    break
            if len(members) > 1:
                found.append(sorted(members))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def describe(graph: Graph) -> str:
    lines = ["component graph (A -> B: A imports B):"]
    for source in sorted(graph):
        targets = ", ".join(sorted(graph[source])) or "(nothing)"
        lines.append(f"  {source} -> {targets}")
    return "\n".join(lines)


def _cycle_edges(graph: Graph, members: list[str]) -> list[str]:
    return [
        f"{a} -> {b} ({', '.join(sorted(graph[a][b]))})"
        for a in members
        for b in sorted(graph[a])
        if b in members
    ]


def test_the_component_graph_has_no_cycle() -> None:
    graph = component_graph()
    print("\n" + describe(graph))
    problems = [
        "cycle between " + ", ".join(members) + ":\n    " + "\n    ".join(_cycle_edges(graph, members))
        for members in cycles(graph)
    ]
    assert problems == [], "\n".join(problems)


def test_the_kernel_imports_no_app() -> None:
    graph = component_graph()
    assert {target: sorted(files) for target, files in graph[CORE].items()} == {}


def test_no_app_imports_the_wiring() -> None:
    graph = component_graph()
    offenders = {
        source: sorted(targets[WIRING])
        for source, targets in graph.items()
        if source != WIRING and WIRING in targets
    }
    assert offenders == {}


def test_the_graph_reader_sees_lazy_and_relative_imports() -> None:
    tree = ast.parse(
        "from .selectors import x\nfrom .. import core\n\ndef f():\n    from loans.models import Loan\n"
    )
    names = _imported(tree, "privacy_admin.audit.views", is_package=False)
    assert {"privacy_admin.audit.selectors", "privacy_admin.core", "loans.models"} <= names
    graph = {"a": {"b": {"a.py"}}, "b": {"c": {"b.py"}}, "c": {"a": {"c.py"}}, "d": {}}
    assert cycles(graph) == [["a", "b", "c"]]
