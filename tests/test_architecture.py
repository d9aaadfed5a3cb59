"""The package's shape: folders in pipeline order, no import circles, no module too long."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = REPO / "jixi_report"
# Bottom to top: a module imports only from its own folder and the folders before it.
LAYERS = ("base", "content", "assess", "compose", "render", "writers", "")  # "" = cli, build
MAX_LINES = 450


def _module(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package(path: Path, root: Path) -> str:
    name = _module(path, root)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def imports(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module → the modules of this package it imports, wherever the import stands (a lazy
    import inside a function is a dependency too)."""
    modules = {_module(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):  # absolute: only this package's names count
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = _package(path, root).split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{a.name}" for a in node.names] + [base]
            for target in targets:
                while target and target not in modules:  # `from . import pdf` names a module
                    target = target.rpartition(".")[0]
                if target and target != name and modules[target].name != "__init__.py":
                    graph[name].add(target)
    return graph


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def layer(module: str) -> int:
    parts = module.split(".")
    folder = parts[1] if len(parts) > 2 else ""
    return LAYERS.index(folder)


def test_the_cycle_finder_finds_one() -> None:
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_the_import_reader_sees_relative_and_lazy_imports(tmp_path: Path) -> None:
    pkg = tmp_path / "jixi_report"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "top.py").write_text("def f():\n    from .sub import low\n")
    (pkg / "sub" / "low.py").write_text("from .. import top\n")
    graph = imports(pkg)
    assert graph["jixi_report.top"] == {"jixi_report.sub.low"}
    assert graph["jixi_report.sub.low"] == {"jixi_report.top"}


def test_no_import_circles() -> None:
    graph = imports()
    assert "jixi_report.render.tree" in graph["jixi_report.writers.docx"]  # it reads the package
    found = cycle(graph)
    assert found is None, "import circle: " + " → ".join(found or [])


def test_folders_import_only_from_below() -> None:
    wrong = [
        f"{module} imports {target}"
        for module, targets in imports().items()
        for target in targets
        if layer(target) > layer(module)
    ]
    assert not wrong, wrong


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_no_module_is_too_long(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(REPO)}: {lines} lines"
