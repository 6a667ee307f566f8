"""What the code imports is declared in pyproject.toml, and what is declared is pinned in requirements.lock.

Fast and offline: it reads the source files, pyproject.toml, the lock and the installed distributions' metadata.
"""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PYPROJECT = ROOT / "pyproject.toml"


def top_level_imports(folder: Path) -> dict[str, set[str]]:
    """Top-level module names imported anywhere (also inside functions) in the .py files under a folder."""
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def local_modules(folder: Path) -> set[str]:
    """Modules a folder's scripts import from beside themselves (conftest, helpers, ...)."""
    return {path.stem for path in folder.rglob("*.py")} | {path.name for path in folder.rglob("*") if path.is_dir()}


@cache
def project() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]


def declared(*extras: str) -> list[Requirement]:
    """Requirements of [project] dependencies and of the named extras (all extras when none is named)."""
    optional = project().get("optional-dependencies", {})
    groups = [project()["dependencies"]] + [optional[name] for name in (extras or optional)]
    return [Requirement(line) for group in groups for line in group]


def declared_names(*extras: str) -> set[str]:
    return {canonicalize_name(requirement.name) for requirement in declared(*extras)}


@cache
def locked() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", line)
        assert match, f"requirements.lock: not an exact pin: {line!r}"
        name = canonicalize_name(match[1])
        assert name not in pins, f"requirements.lock pins {match[1]} twice"
        pins[name] = Version(match[2])
    return pins


def undeclared(imports: dict[str, set[str]], allowed: set[str], ignore: set[str] = frozenset()) -> list[str]:
    """Imported third-party modules none of whose distributions is among ``allowed``."""
    distributions = packages_distributions()
    problems = []
    for module, files in sorted(imports.items()):
        if module in sys.stdlib_module_names or module == "storyline" or module in ignore:
            continue
        providers = {canonicalize_name(name) for name in distributions.get(module, [])}
        if not providers:
            problems.append(f"{module} (imported by {', '.join(sorted(files))}) is not installed")
        elif not providers & allowed:
            problems.append(f"{module} (imported by {', '.join(sorted(files))}) comes from "
                            f"{', '.join(sorted(providers))}, which pyproject.toml does not declare")
    return problems


def test_every_module_storyline_imports_is_declared():
    imports = top_level_imports(ROOT / "src" / "storyline")
    assert {"httpx", "yaml", "numpy"} <= imports.keys()  # the walk found the code
    assert undeclared(imports, declared_names()) == []


def test_every_module_the_tests_and_benchmarks_import_is_declared():
    for folder in (ROOT / "tests", ROOT / "bench"):
        imports = top_level_imports(folder)
        assert undeclared(imports, declared_names(), ignore=local_modules(folder)) == [], folder.name


def test_every_declared_dependency_is_pinned_in_the_lock():
    pins = locked()
    missing = [str(requirement) for requirement in declared() if canonicalize_name(requirement.name) not in pins]
    assert missing == [], "run make lock"


def test_the_locked_versions_satisfy_the_declared_ranges():
    pins = locked()
    outside = [f"{requirement.name}=={pins[canonicalize_name(requirement.name)]} is not in {requirement.specifier}"
               for requirement in declared()
               if canonicalize_name(requirement.name) in pins
               and not requirement.specifier.contains(pins[canonicalize_name(requirement.name)], prereleases=True)]
    assert outside == [], "run make lock"


@pytest.mark.parametrize("requirement", declared(), ids=str)
def test_declared_dependencies_are_ranges_not_exact_pins(requirement):
    # exact versions live in the lock; pyproject.toml says what storyline works with
    assert requirement.specifier, f"{requirement} has no version range"
    assert not any(spec.operator in ("==", "===") for spec in requirement.specifier), f"{requirement} is pinned"
    upper = any(spec.operator in ("<", "<=", "~=") for spec in requirement.specifier)
    assert upper, f"{requirement} has no upper bound"


def test_the_extras_packages_are_in_the_lock():
    # make installs the test, postgres and dask extras from the lock (psycopg's binary build included)
    pins = locked()
    for name in declared_names("test", "postgres", "dask") | {"psycopg-binary"}:
        assert name in pins, name
