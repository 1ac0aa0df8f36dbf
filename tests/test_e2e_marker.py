"""Tests that start real processes carry the ``e2e`` marker, found from the source.

A test starts a process when a ``subprocess``, ``multiprocessing`` or ``os`` process call is
reachable from it: in its body, in a fixture it asks for, or in a function it refers to (in
its module, in a test helper such as ``slack_stack.serve_process`` for gunicorn, or in a
benchmark it drives), followed transitively. The source is read with :mod:`ast`, so nothing
is imported or run to find them, and a new end-to-end test cannot go unmarked.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MARKER = "pytest.mark.e2e"
# module -> the functions of it that start a process
PROCESS_CALLS: dict[str, set[str]] = {
    "subprocess": {"run", "Popen", "call", "check_call", "check_output"},
    "multiprocessing": {"get_context", "Process", "Pool"},
    "os": {"system", "fork", "posix_spawn", "posix_spawnp", "spawnv", "execv"},
}


@dataclass
class Module:
    """What one source file defines and imports, as far as the search needs it."""

    name: str
    path: Path
    tree: ast.Module
    functions: dict[str, ast.FunctionDef] = field(default_factory=dict)
    fixtures: set[str] = field(default_factory=set)
    # local name -> (module, attribute); attribute None when the name is a module
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)


def _is_fixture(fn: ast.FunctionDef) -> bool:
    return any(
        ast.unparse(d.func if isinstance(d, ast.Call) else d) == "pytest.fixture"
        for d in fn.decorator_list
    )


def _module(name: str, path: Path) -> Module:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    mod = Module(name, path, tree)
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef):
            mod.functions[stmt.name] = stmt
            if _is_fixture(stmt):
                mod.fixtures.add(stmt.name)
    for node in ast.walk(tree):  # imports inside functions count too
        if isinstance(node, ast.Import):
            for a in node.names:
                # `import a.b` binds `a`; `import a.b as c` binds `c` to `a.b`
                target = a.name if a.asname else a.name.split(".")[0]
                mod.imports[a.asname or target] = (target, None)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                mod.imports[a.asname or a.name] = (node.module, a.name)
    return mod


def load_modules() -> dict[str, Module]:
    """Test modules and helpers (imported by file name, as pytest puts them on the path) and
    the benchmarks package (imported from the repository root)."""
    mods: dict[str, Module] = {}
    for p in sorted((REPO / "tests").rglob("*.py")):
        # Basenames are unique across tests/, but each folder may have its own conftest.
        name = p.stem if p.parent == REPO / "tests" or p.stem != "conftest" else str(p.relative_to(REPO))
        mods[name] = _module(name, p)
    for p in sorted((REPO / "benchmarks").glob("*.py")):
        name = f"benchmarks.{p.stem}"
        mods[name] = _module(name, p)
    return mods


def _target(mods: dict[str, Module], mod: Module, name: str) -> tuple[str, str | None] | None:
    """What a local name refers to: (module, attribute), a module as (module, None), or None."""
    if name in mod.functions:
        return mod.name, name
    if name not in mod.imports:
        return None
    source, attr = mod.imports[name]
    if attr is not None and f"{source}.{attr}" in mods:  # `from benchmarks import bench_cli`
        return f"{source}.{attr}", None
    return source, attr


def process_starters(mods: dict[str, Module]) -> dict[str, set[str]]:
    """Module name -> its functions from which a process start is reachable (a fixed point)."""
    starters: dict[str, set[str]] = {m: set() for m in mods}
    conftests = [m for m in mods.values() if m.path.name == "conftest.py"]

    def starts(mod: Module, fn: ast.FunctionDef) -> bool:
        shared = {f for c in conftests for f in c.fixtures & starters[c.name]}
        for arg in fn.args.args:  # a fixture it asks for, from its module or a conftest
            if arg.arg in mod.fixtures:
                if arg.arg in starters[mod.name]:
                    return True
            elif arg.arg in shared:
                return True
        for node in ast.walk(fn):
            ref: tuple[str, str | None] | None = None
            if isinstance(node, ast.Name):
                ref = _target(mods, mod, node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                base = _target(mods, mod, node.value.id)
                if base is not None and base[1] is None:  # `module.function`
                    ref = (base[0], node.attr)
            if ref is None or ref[1] is None:
                continue
            source, attr = ref
            if attr in PROCESS_CALLS.get(source, set()) or attr in starters.get(source, set()):
                return True
        return False

    changed = True
    while changed:
        changed = False
        for mod in mods.values():
            for name, fn in mod.functions.items():
                if name not in starters[mod.name] and starts(mod, fn):
                    starters[mod.name].add(name)
                    changed = True
    return starters


def _module_marked(mod: Module) -> bool:
    for node in mod.tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
        ):
            values = node.value.elts if isinstance(node.value, (ast.List, ast.Tuple)) else [node.value]
            if any(ast.unparse(v) == MARKER for v in values):
                return True
    return False


def _tests(mods: dict[str, Module]) -> dict[str, tuple[Module, ast.FunctionDef]]:
    """``path::test_name`` -> its module and definition, for every test function."""
    return {
        f"{m.path.relative_to(REPO)}::{name}": (m, fn)
        for m in mods.values()
        if m.path.name.startswith("test_")
        for name, fn in m.functions.items()
        if name.startswith("test_")
    }


def starting_and_marked() -> tuple[set[str], set[str]]:
    """(tests that start a process, tests marked ``e2e``), as ``path::test_name``."""
    mods = load_modules()
    starters = process_starters(mods)
    starting: set[str] = set()
    marked: set[str] = set()
    for test_id, (mod, fn) in _tests(mods).items():
        if fn.name in starters[mod.name]:
            starting.add(test_id)
        if _module_marked(mod) or any(ast.unparse(d) == MARKER for d in fn.decorator_list):
            marked.add(test_id)
    return starting, marked


def test_the_e2e_marker_is_registered(pytestconfig: pytest.Config) -> None:
    lines = pytestconfig.getini("markers")
    assert any(line.startswith("e2e: starts real processes") for line in lines), lines


def test_every_test_that_starts_a_process_is_marked_e2e() -> None:
    starting, marked = starting_and_marked()
    unmarked = sorted(starting - marked)
    assert unmarked == [], "mark these @pytest.mark.e2e (or the module): " + ", ".join(unmarked)


def test_the_search_finds_each_way_of_starting_a_process() -> None:
    """Known starters by name only (files may move): the console script, gunicorn through
    ``serve_process``, a ``multiprocessing`` pair, a benchmark that runs the CLI; and a test
    that only calls ``main()`` in process is not among them."""
    starting, _ = starting_and_marked()
    names = {t.split("::")[1] for t in starting}
    assert {
        "test_console_script_prints_one_line",
        "test_streakbot_serve_answers_and_stops_on_sigterm",
        "test_two_processes_upgrading_at_once_migrate_once",
        "test_cli_benchmark_smoke",
    } <= names
    assert "test_records_per_year" not in names
    assert len({t.split("::")[0] for t in starting}) >= 10  # test modules with such a test
