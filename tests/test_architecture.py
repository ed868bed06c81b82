"""The boundaries docs/architecture.md describes, checked (napari's import contracts, in
a few lines of our own): the core never loads Qt, nothing under ui/ talks SQL, the core
never imports ui/, and no two project modules import each other (directly or round a
longer loop). Imports inside functions and under TYPE_CHECKING count too, and so does a
module named in a string (`importlib.import_module("screening_app.export.pdf")`): a lazy
import hides a cycle from Python, not from the reader."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("screening_app", "ui")
SQL_MODULES = {"sqlite3", "sqlite_utils", "psycopg", "psycopg_pool", "sqlcipher3"}
QT_MODULES = {"PySide6", "shiboken6"}

# Cycles kept on purpose: {frozenset of modules: why}. Empty today; an entry needs a reason
# that docs/architecture.md repeats.
INTENDED_CYCLES: dict[frozenset[str], str] = {}


def module_files(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    files = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return files


def imported_names(name: str, path: Path, packages: tuple[str, ...] = PACKAGES) -> set[str]:
    """Every module name `path` imports anywhere (absolute, with relative ones resolved)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            # `from pkg import mod` imports pkg.mod (pkg itself is already loading when
            # pkg.mod runs it); `from mod import Name` comes down to mod in import_graph.
            found.update(module if alias.name == "*" else f"{module}.{alias.name}"
                         for alias in node.names)
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and node.value.startswith(tuple(f"{p}." for p in packages))
              and node.value.replace(".", "").replace("_", "").isalnum()):
            found.add(node.value)  # a module imported by its name
    return found


def import_graph(files: dict[str, Path], packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    graph = {}
    for name, path in files.items():
        edges = set()
        for imported in imported_names(name, path, packages):
            while imported and imported not in files:  # `pkg.mod.Class` -> `pkg.mod`
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                edges.add(imported)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(frozenset(group))
    return found


def test_no_import_cycles_among_project_modules():
    found = {group: sorted(group) for group in cycles(import_graph(module_files()))}
    unexplained = [members for group, members in found.items() if group not in INTENDED_CYCLES]
    assert unexplained == []
    assert set(INTENDED_CYCLES) <= set(found), "an intended cycle is gone: drop its entry"


def test_the_cycle_finder_finds_a_loop(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg.sub import b\n")
    (package / "sub" / "b.py").write_text("def f():\n    from ..c import thing\n")
    (package / "c.py").write_text("from typing import TYPE_CHECKING\n"
                                  "if TYPE_CHECKING:\n    from . import a\n")
    (package / "d.py").write_text("import pkg.a\n")
    (package / "e.py").write_text("import importlib\nimportlib.import_module('pkg.f')\n")
    (package / "f.py").write_text("from pkg import e\n")
    graph = import_graph(module_files(tmp_path, ("pkg",)), ("pkg",))
    assert sorted(cycles(graph), key=len) == [frozenset({"pkg.e", "pkg.f"}),
                                              frozenset({"pkg.a", "pkg.sub.b", "pkg.c"})]


def broken_rules(files: dict[str, Path]) -> list[tuple[str, str, str]]:
    """(importing module, imported name, the rule's reason) for each import a rule forbids."""
    return sorted((who, imported, why)
                  for who, path in files.items()
                  for imported in imported_names(who, path)
                  for importers, forbidden, why in RULES
                  if within(who, importers) and within(imported, forbidden))


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


ENGINE_ABOVE = ("screening_app.store", "screening_app.export", "screening_app.interop",
                "screening_app.demo", "screening_app.cli", "screening_app.commands")

# (who, may not import, why): docs/architecture.md, "What may import what", says the same.
RULES: list[tuple[tuple[str, ...], tuple[str, ...], str]] = [
    (("screening_app",), ("ui", *QT_MODULES), "the core runs without Qt (command line, tests)"),
    (("ui",), tuple(SQL_MODULES), "the windows go through the Store; no SQL in ui/"),
    (("screening_app.engine",), ENGINE_ABOVE,
     "the engine knows questionnaires and answers, not where they are kept or sent"),
    (("screening_app.interop",), ("screening_app.store", "screening_app.export"),
     "conversions of plain data; the store and the exports call them"),
    (("ui.widgets",), ("ui.desk", "ui.kiosk"), "the input widgets serve both windows"),
    (("ui.kiosk",), ("ui.desk",), "the kiosk shows nothing of the desk"),
    (("ui.desk",), ("ui.kiosk",), "the desk hands drafts to a kiosk through the store only"),
]


def test_each_room_imports_only_what_it_may():
    assert broken_rules(module_files()) == []


def test_the_rules_see_a_forbidden_import(tmp_path):
    for folder in ("ui", "ui/widgets", "screening_app", "screening_app/engine"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text("")
    (tmp_path / "ui" / "list.py").write_text("def rows():\n    import sqlite3.dbapi2\n")
    (tmp_path / "ui" / "widgets" / "x.py").write_text("from ui.desk.window import W\n")
    (tmp_path / "screening_app" / "engine" / "y.py").write_text("from ..store import Store\n")
    (tmp_path / "screening_app" / "z.py").write_text("from PySide6 import QtCore\n")
    broken = [(who, imported) for who, imported, _why in broken_rules(module_files(tmp_path))]
    assert broken == [("screening_app.engine.y", "screening_app.store.Store"),
                      ("screening_app.z", "PySide6.QtCore"),
                      ("ui.list", "sqlite3.dbapi2"),
                      ("ui.widgets.x", "ui.desk.window.W")]


def test_importing_every_core_module_loads_no_qt():
    script = textwrap.dedent("""\
        import importlib, pkgutil, sys
        import screening_app
        names = [m.name for m in pkgutil.walk_packages(screening_app.__path__, "screening_app.")]
        for name in names:
            importlib.import_module(name)
        print(len(names), sorted(m for m in sys.modules if m.split(".")[0] in {"PySide6", "shiboken6"}))
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split(" ", 1)
    assert int(out[0]) >= len(module_files(packages=("screening_app",))) - 1
    assert out[1].strip() == "[]"
