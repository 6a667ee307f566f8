"""Reliability tests: hostile input, crashes, load, network and web safety.

Tests add to the session's counters through the ``reliability`` fixture; the
totals are printed at the end of the run (``make reliability``, and ``make test``
when these tests ran).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

SUITE_CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"


def pytest_plugin_registered(plugin, manager) -> None:
    """Give ``from conftest import ...`` back to tests/conftest.py.

    Without ``__init__.py`` files pytest imports every conftest.py as the top-level module ``conftest``;
    loading this one replaces the suite's in ``sys.modules``, and test modules collected afterwards that
    import helpers from it would get this module.  The hook is historic: pytest replays it for every
    plugin registered before this one, the suite's conftest among them.
    """
    if getattr(plugin, "__file__", None) and Path(plugin.__file__).resolve() == SUITE_CONFTEST:
        sys.modules["conftest"] = plugin

COUNTERS: dict[str, int] = {"inputs tried": 0, "crashes": 0, "kills survived": 0, "records lost": 0,
                            "requests served": 0, "errors": 0}
DETAILS: dict[str, str] = {}
_USED: list[bool] = []


class Reliability:
    """The session's counters: ``reliability.add("inputs tried", 10)``; ``note`` adds a detail line."""

    counters = COUNTERS

    def add(self, name: str, amount: int = 1) -> None:
        _USED.append(True)
        COUNTERS[name] = COUNTERS.get(name, 0) + amount

    def note(self, name: str, text: str) -> None:
        _USED.append(True)
        DETAILS[name] = text


@pytest.fixture(scope="session")
def reliability() -> Reliability:
    return Reliability()


@pytest.fixture(autouse=True, scope="module")
def isolated_environment(tmp_path_factory):
    """No storyline.toml from the working folder, no STORYLINE_* settings from the environment (for the
    module's own fixtures too: autouse fixtures come first in their scope)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("STORYLINE_"):
                patch.delenv(name)
        patch.setenv("STORYLINE_PROGRESS", "0")
        patch.chdir(tmp_path_factory.mktemp("cwd"))
        yield


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not _USED:
        return
    terminalreporter.write_sep("=", "reliability summary")
    width = max(len(name) for name in [*COUNTERS, *DETAILS])
    for name, value in COUNTERS.items():
        terminalreporter.write_line(f"{name:>{width}}: {value}")
    for name, text in DETAILS.items():
        terminalreporter.write_line(f"{name:>{width}}: {text}")
