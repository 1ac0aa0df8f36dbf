"""The layers point one way: read from the source, every import counted (inside functions too).

``LAYERS`` is the rule the README's Architecture section states: each package of ``bot/`` and
``analytics`` with the packages it may import. The import graph is read with :mod:`ast`, so a
lazy import inside a function is an edge like any other, and nothing is imported to find it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# package -> the packages it may import (besides itself). Entry points come last.
LAYERS: dict[str, set[str]] = {
    "analytics": set(),
    "bot.domain": {"analytics"},
    "bot.services": {"analytics", "bot.domain"},
    "bot.questions": {"analytics", "bot.domain", "bot.services"},
    "bot.claims": {"analytics", "bot.domain", "bot.services"},
    "bot.render": {"analytics", "bot.domain", "bot.services", "bot.questions", "bot.claims"},
    "bot.adapters": {"analytics", "bot.domain"},
    "bot.store": {"analytics", "bot.domain"},
    "bot.settings": {"bot.domain"},
}
# Entry points may import every layer below them; ``bootstrap`` builds the real objects.
ENTRY = {"bot.bootstrap", "bot.cli", "bot.oneshot", "bot.failures", "bot.slack", "bot.daily",
         "bot.rebuild_store"}
# The only modules that may import the bootstrap: they start a process.
STARTERS = {"bot.cli", "bot.slack.serve", "bot.daily.clock"}


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for top in ("bot", "analytics"):
        for path in sorted((REPO / top).rglob("*.py")):
            parts = list(path.relative_to(REPO).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imported(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """Every module of ours that ``name`` imports, at any depth of its code."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                if path.name != "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - node.level + 1]
                mod = ".".join([*base, *([node.module] if node.module else [])])
            else:
                mod = node.module or ""
            targets = [mod, *(f"{mod}.{a.name}" for a in node.names)]
        for target in targets:
            if target in known and target != name:
                yield target


def package(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "analytics":
        return "analytics"
    return ".".join(parts[:2])


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: set(imported(name, path, known)) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def package_graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for a, targets in graph().items():
        for b in targets:
            if package(a) != package(b):
                edges[package(a)].add(package(b))
    return dict(edges)


def violations(edges: dict[str, set[str]]) -> set[tuple[str, str]]:
    """The imports ``LAYERS`` and ``STARTERS`` forbid, as (importer, imported) modules."""
    bad = set()
    for a, targets in edges.items():
        pa = package(a)
        for b in targets:
            pb = package(b)
            if pa != pb and pa in LAYERS and pb not in LAYERS[pa]:
                bad.add((a, b))
            if b == "bot.bootstrap" and a not in STARTERS:
                bad.add((a, b))
    return bad


def test_every_package_has_a_layer() -> None:
    assert {package(m) for m in modules()} - {"bot"} <= set(LAYERS) | ENTRY


def test_no_import_cycle_between_packages() -> None:
    assert cycles(package_graph()) == []


def test_no_import_cycle_between_modules() -> None:
    assert cycles(graph()) == []


def test_layers_point_one_way() -> None:
    assert violations(graph()) == set()


def test_analytics_imports_nothing_of_bot() -> None:
    assert {
        b
        for a, bs in graph().items()
        if a.startswith("analytics")
        for b in bs
        if b.startswith("bot")
    } == set()


def test_only_the_starters_import_the_bootstrap() -> None:
    assert {a for a, bs in graph().items() if "bot.bootstrap" in bs} == STARTERS


def test_the_checker_flags_an_upward_import_and_a_bootstrap_import() -> None:
    edges = {
        "bot.store.prices": {"bot.services.market", "bot.domain.bars"},
        "bot.render.text": {"bot.bootstrap"},
        "bot.slack.serve": {"bot.bootstrap"},
    }
    assert violations(edges) == {
        ("bot.store.prices", "bot.services.market"),
        ("bot.render.text", "bot.bootstrap"),
    }


def test_the_checker_sees_imports_inside_functions(tmp_path: Path) -> None:
    src = tmp_path / "m.py"
    src.write_text("def f():\n    from bot.domain import symbols\n    import analytics.runs\n")
    known = {"bot.domain.symbols": src, "analytics.runs": src, "bot.domain": src}
    assert set(imported("bot.x", src, known)) == {
        "bot.domain",
        "bot.domain.symbols",
        "analytics.runs",
    }


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def readme_layers() -> dict[str, set[str]]:
    """The README's layer table: ``<package> ... may import: a, b`` on each package's last line."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Architecture\n", 1)[1].split("\n## ", 1)[0]
    table = section.split("```text\n", 1)[1].split("```", 1)[0]
    rules: dict[str, set[str]] = {}
    current = ""
    for line in table.splitlines():
        if line and not line.startswith(" "):
            current = line.split()[0]
        if "may import:" in line:
            allowed = line.split("may import:", 1)[1].strip()
            rules[current] = set() if allowed == "nothing of bot" else set(allowed.split(", "))
    return rules


def test_the_readme_states_these_layers() -> None:
    assert readme_layers() == LAYERS


# The real objects: stores, ledgers, sources, the calendar and the clients. Only the
# bootstrap builds them (and the light one-shot start its reader and calendar, and
# ``rebuild_store`` the store the package ships, the long way); a module
# that defines one may build it internally.
BUILT_BY_BOOTSTRAP = {
    "PriceStore", "SubscriptionStore", "SqlPostLedger", "EventLedger", "SqlAlchemyUnitOfWork",
    "NyseCalendar", "BundledSource", "CsvDirSource", "YahooSource", "DeadlineSource",
    "make_engine", "open_engine", "make_web_client", "daily_client", "ResponsePoster",
    "SlackSender", "WebClient", "GatedWebClient",
    "TeamSlackSender", "TeamTokens", "SQLAlchemyInstallationStore", "SQLAlchemyOAuthStateStore",
}
BUILDERS = {"bot.bootstrap", "bot.oneshot", "bot.rebuild_store"}
FACTORIES = {
    ("bot.adapters.slack_client", "WebClient"),  # make_web_client: the one WebClient factory
    ("bot.store.migrations.env", "open_engine"),  # the `alembic` command's own entry point
    # installation_store / state_store: the one factory of each of slack_sdk's OAuth stores
    ("bot.adapters.slack_installs", "SQLAlchemyInstallationStore"),
    ("bot.adapters.slack_installs", "SQLAlchemyOAuthStateStore"),
}


def constructions() -> set[tuple[str, str]]:
    """(module, name) for every call of a ``BUILT_BY_BOOTSTRAP`` name outside the builders."""
    found = set()
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef | ast.FunctionDef)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            called = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            if called in BUILT_BY_BOOTSTRAP and called not in defined and name not in BUILDERS:
                found.add((name, called))
    return found - FACTORIES


def test_only_the_bootstrap_builds_real_objects() -> None:
    assert constructions() == set()
