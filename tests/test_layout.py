"""The package layout keeps its promises (ARCHITECTURE.md): layers call only downwards, no import
cycles, no private names across modules, SQL only in the store and the read layer, no function a
reader cannot follow (radon complexity over 30), imports at the top unless deferred on purpose.

Everything here reads the source with ``ast``; nothing is imported, so a broken rule names the
file and line.
"""
from __future__ import annotations

import ast
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest
from radon.complexity import cc_visit

import storyline

SRC = Path(storyline.__file__).resolve().parent
ROOT = SRC.parents[1]
MAX_COMPLEXITY = 30

# Which top-level parts of the package each part may import (besides itself and the shared
# foundations: models, errors, settings, budget, lang).  Orchestration (pipeline, distributed,
# watch, api) and the CLI sit on top and may import anything.
FOUNDATIONS = {"models", "errors", "settings", "budget", "lang"}
ALLOWED = {
    "lang": set(),
    "common": set(),
    "sources": set(),
    "article": {"common"},
    "corpus": {"article", "common", "store"},
    "store": set(),
    "read": {"store", "common"},
    "report": {"read", "store", "common", "sources", "article"},  # framing lemmatises its lexicon
    "web": {"read", "report", "store", "common"},
}
SQL_HOMES = {"store", "read"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(("storyline",) + parts)] = path
    return found


MODULES = _modules()


def _resolve(module: str, node: ast.ImportFrom, path: Path) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, path: Path, top_level_only: bool) -> list[tuple[str, int, list[str]]]:
    """(imported module, line, names) for each import of ``module``'s source."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node, path)
            names = [alias.name for alias in node.names]
            for name in names:  # "from storyline.article import nlp" imports a module
                if f"{target}.{name}" in MODULES:
                    found.append((f"{target}.{name}", node.lineno, []))
            found.append((target, node.lineno, names))
        elif top_level_only and isinstance(node, (ast.If, ast.Try)):
            # guarded imports at module level ("try: import x except ModuleNotFoundError")
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    wrapper = ast.Module(body=[inner], type_ignores=[])
                    found += _imports_of_tree(module, path, wrapper)
    return found


def _imports_of_tree(module: str, path: Path, tree: ast.Module) -> list[tuple[str, int, list[str]]]:
    found = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((_resolve(module, node, path), node.lineno, [a.name for a in node.names]))
    return found


def _part(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else ""


def test_no_import_cycles_between_modules():
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in MODULES.items():
        for target, _, _ in _imports(module, path, top_level_only=True):
            if target in MODULES and target != module and not module.startswith(target + "."):
                graph[module].add(target)
    # Tarjan's strongly connected components: a component of more than one module is a cycle
    index, low, stack, on_stack, cycles, counter = {}, {}, [], set(), [], [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in list(MODULES):
        if module not in index:
            visit(module)
    assert not cycles, cycles


def test_layers_import_only_downwards():
    wrong = []
    for module, path in MODULES.items():
        part = _part(module)
        if part not in ALLOWED:
            continue  # orchestration and the CLI
        for target, line, _ in _imports(module, path, top_level_only=False):
            if not target.startswith("storyline."):
                continue
            other = _part(target)
            if other != part and other not in FOUNDATIONS and other not in ALLOWED[part]:
                wrong.append(f"{path.relative_to(SRC)}:{line} ({part}) imports {target}")
    assert not wrong, "\n".join(wrong)


def test_no_private_names_imported_across_modules():
    wrong = []
    for module, path in MODULES.items():
        for target, line, names in _imports(module, path, top_level_only=False):
            if not target.startswith("storyline") or target == module:
                continue
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            # a package's own private helper module (sources/_fetch.py) is fine inside that package
            if private and target.rsplit(".", 1)[0] != module.rsplit(".", 1)[0]:
                wrong.append(f"{path.relative_to(SRC)}:{line} imports {private} from {target}")
    assert not wrong, "\n".join(wrong)


def test_sql_only_in_the_store_and_the_read_layer():
    wrong = []
    for module, path in MODULES.items():
        if _part(module) in SQL_HOMES:
            continue
        for target, line, _ in _imports(module, path, top_level_only=False):
            if target == "sqlalchemy" or target.startswith("sqlalchemy."):
                wrong.append(f"{path.relative_to(SRC)}:{line} imports {target}")
        text = path.read_text(encoding="utf-8")
        for keyword in ("SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", ".execute("):
            if keyword in text:
                wrong.append(f"{path.relative_to(SRC)}: writes SQL ({keyword.strip()})")
    assert not wrong, "\n".join(wrong)


def test_no_function_over_complexity_30():
    wrong = []
    for path in sorted(SRC.rglob("*.py")):
        for block in cc_visit(path.read_text(encoding="utf-8")):
            for item in [block, *getattr(block, "methods", [])]:
                if item.complexity > MAX_COMPLEXITY:
                    wrong.append(f"{path.relative_to(SRC)}:{item.lineno} {item.name} {item.complexity}")
    assert not wrong, "\n".join(wrong)


def test_imports_inside_functions_say_why():
    """An import inside a function defers a heavy or optional dependency on purpose, and says so."""
    wrong = []
    for path in sorted(SRC.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    nearby = " ".join(lines[max(0, inner.lineno - 5): inner.lineno]).lower()
                    if "defer" not in nearby and "optional" not in nearby:
                        wrong.append(f"{path.relative_to(SRC)}:{inner.lineno}")
    assert not sorted(set(wrong)), "imports inside functions without a comment saying why:\n" + "\n".join(
        sorted(set(wrong)))


def test_version_agrees_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert storyline.__version__ == project["version"]


@pytest.mark.parametrize("name", ["open_store", "run", "export", "write_export", "Store", "Settings"])
def test_the_public_api_is_there(name):
    assert callable(getattr(storyline, name))
    assert name in storyline.__all__


@pytest.mark.slow
def test_the_public_api_runs_a_corpus_and_exports(tmp_path):
    from storyline.cli.commands import demo_corpus  # deferred: the demo corpus path comes from the CLI

    db = str(tmp_path / "api.db")
    ingested, processed = storyline.run([str(demo_corpus())], db)
    assert ingested.added and not ingested.errors
    document = storyline.export(db)
    assert document["stories"] and document["events"]
    written = storyline.write_export(db, tmp_path / "out" / "export.json")
    assert written.read_text(encoding="utf-8").startswith("{")
