"""Every regular expression storyline runs over article text runs in linear time (an empirical guard).

Article text is untrusted: one article whose body was a single 200,000-letter word stalled the
corpus stage on a pattern that re-scanned a capitalised run from every start position.  This test
collects every compiled pattern the package holds -- module globals (also inside dicts, lists and
tuples), the patterns built from data files (noise lines, date grammars, marker and delegation
lists, honorifics) and the pattern literals written inline in function bodies -- and times each
over pathological strings of n and 4n characters.  Linear matching takes ~4x as long on the longer
string, quadratic ~16x: a pattern fails when the 4n time exceeds 10x the n time plus a small floor.

The matching runs in a child process that reports each check as it goes; a check that hangs is
cut off after CHECK_TIMEOUT seconds and reported as a failure naming the pattern and the input.
The audit behind this guard is docs/audit-patterns.md.
"""
from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import queue
import re
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import storyline

N = 3_000  # characters of the short input; the long one has 4 N
RATIO = 10.0  # linear growth is ~4x, quadratic ~16x
FLOOR = 0.02  # seconds: timer noise on inputs that take microseconds
CHECK_TIMEOUT = 8.0  # seconds for one pattern on one input (both sizes) before it counts as hung

# Repeated units: long runs of one class of character, and the separators patterns like to re-scan.
UNITS = {
    "letter run 'AAAA'": "A",
    "letter run 'aaaa'": "a",
    "capitals and spaces 'A A A'": "A ",
    "initials 'A. A. A.'": "A. ",
    "open parentheses '(((('": "(",
    "commas ', , ,'": ", ",
    "date-like '1.1.1 1.1.1'": "1.1.1 ",
    "Cyrillic run 'ЖЖЖЖ'": "Ж",
    "mixed 'Aa-Aa-Aa-'": "Aa-",
    "apostrophes '\\'’\\'’'": "'’",
    "digits '1111'": "1",
    "day list '1, 2, 3, '": "1, 2, 3, ",
    "names 'Anna Petrova, '": "Anna Petrova, ",
    "weekdays 'Monday '": "Monday ",
    "spaces '    '": " ",
    "spaces and newlines ' \\n \\n'": " \n",
    "dots '....'": ".",
}

# Functions that build patterns from data files (lru-cached): what they return is walked like a global.
LANGUAGES = ("en", "uk", "ru", "pt", "ro", "fr", "de", "es", "it", "pl")


def _factories() -> list[tuple[str, object]]:
    from storyline.article import clean, events, roles, timex

    out: list[tuple[str, object]] = [("clean.noise_patterns()", clean.noise_patterns()),
                                     ("roles._honorific_regex()", roles._honorific_regex())]
    for language in LANGUAGES:
        out.append((f"timex.grammar({language!r})", timex.grammar(language).regex))
        out.append((f"timex._connective_regex({language!r})", timex._connective_regex(language)))
        for kind in ("future_markers", "cancel_markers"):
            out.append((f"timex._marker_regex({kind!r}, {language!r})", timex._marker_regex(kind, language)))
        out.append((f"events._delegation_pattern({language!r})", events._delegation_pattern(language)))
    return out


# How callers apply the noise patterns of data/noise.yaml (see clean.noise_kind, clean._byline).
_NOISE_MODES = {"ticker": "finditer", "date_header": "match"}


def _walk(value, name: str, found: list[tuple[str, re.Pattern, str]], mode: str = "finditer", depth: int = 0) -> None:
    if depth > 4:
        return
    if isinstance(value, re.Pattern):
        if isinstance(value.pattern, str):
            found.append((name, value, mode))
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(item, f"{name}[{key!r}]", found, mode, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for index, item in enumerate(value):
            _walk(item, f"{name}[{index}]", found, mode, depth + 1)


_RE_CALLS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}
_FLAGS = {name: getattr(re, name) for name in ("IGNORECASE", "I", "UNICODE", "U", "VERBOSE", "X", "MULTILINE", "M",
                                               "DOTALL", "S", "ASCII", "A")}


def _flags(node: ast.AST | None) -> int | None:
    if node is None:
        return 0
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
        return _FLAGS.get(node.attr)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _flags(node.left), _flags(node.right)
        return None if left is None or right is None else left | right
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    return None


def _inline_literals(module) -> list[tuple[str, re.Pattern, str]]:
    """Pattern literals passed straight to re.search/re.sub/... inside the module's functions."""
    path = getattr(module, "__file__", None)
    if not path or not path.endswith(".py"):
        return []
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                and node.func.attr in _RE_CALLS and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            continue
        flag_node = next((k.value for k in node.keywords if k.arg == "flags"), None)
        if flag_node is None:
            position = {"compile": 1, "search": 2, "match": 2, "fullmatch": 2, "findall": 2, "finditer": 2,
                        "split": 3, "sub": 4, "subn": 4}[node.func.attr]
            flag_node = node.args[position] if len(node.args) > position else None
        flags = _flags(flag_node)
        if flags is None:
            continue
        mode = "match" if node.func.attr == "match" else "fullmatch" if node.func.attr == "fullmatch" else "finditer"
        found.append((f"{module.__name__}:{node.lineno} re.{node.func.attr}", re.compile(node.args[0].value, flags),
                      mode))
    return found


def collect_patterns() -> list[tuple[str, re.Pattern, str]]:
    """(name, pattern, how it is applied) for every pattern storyline holds, deduplicated."""
    found: list[tuple[str, re.Pattern, str]] = []
    modules = [storyline] + [importlib.import_module(info.name) for info in
                             pkgutil.walk_packages(storyline.__path__, "storyline.")]
    for module in modules:
        for attr, value in list(vars(module).items()):
            if not attr.startswith("__"):
                _walk(value, f"{module.__name__}.{attr}", found)
        found.extend(_inline_literals(module))
    for name, value in _factories():
        if name.startswith("clean.noise_patterns"):
            for kind, patterns in value.items():
                _walk(patterns, f"{name}[{kind!r}]", found, _NOISE_MODES.get(kind, "fullmatch"))
        else:
            _walk(value, name, found)
    unique: dict[tuple[str, int, str], tuple[str, re.Pattern, str]] = {}
    for name, pattern, mode in found:
        unique.setdefault((pattern.pattern, pattern.flags, mode), (name, pattern, mode))
    return list(unique.values())


# ------------------------------------------------------------------ the timing child
_CHILD = textwrap.dedent(r"""
    import json, re, sys, time

    checks = json.loads(sys.stdin.readline())
    units = json.loads(sys.stdin.readline())
    n, skip = int(sys.argv[1]), int(sys.argv[2])

    def run(pattern, mode, text):
        if mode == "fullmatch":
            pattern.fullmatch(text)
        elif mode == "match":
            pattern.match(text)
        else:
            for _ in pattern.finditer(text):
                pass

    def timed(pattern, mode, text, repeat):
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            run(pattern, mode, text)
            best = min(best, time.perf_counter() - started)
        return best

    index = 0
    for source, flags, mode in checks:
        pattern = re.compile(source, flags)
        for unit in units:
            if index >= skip:
                short = (unit * (n // len(unit) + 1))[:n]
                long = (unit * (4 * n // len(unit) + 1))[:4 * n]
                print("start", index, flush=True)
                t1 = timed(pattern, mode, short, 3)
                t4 = timed(pattern, mode, long, 2 if t1 < 0.05 else 1)
                print("done", index, t1, t4, flush=True)
            index += 1
""")


def _forward(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _run_checks(patterns: list[tuple[str, re.Pattern, str]], n: int, units: dict[str, str] | None = None
                ) -> tuple[dict[int, tuple[float, float]], set[int]]:
    """Times of each (pattern, unit) check by index (pattern index * len(units) + unit index), and the
    indices of checks that hung."""
    units = UNITS if units is None else units
    payload = (json.dumps([[p.pattern, p.flags, mode] for _, p, mode in patterns]) + "\n"
               + json.dumps(list(units.values())) + "\n")
    total = len(patterns) * len(units)
    times: dict[int, tuple[float, float]] = {}
    hung: set[int] = set()
    skip = 0
    while skip < total:
        child = subprocess.Popen([sys.executable, "-c", _CHILD, str(n), str(skip)], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True)
        child.stdin.write(payload)
        child.stdin.close()
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=_forward, args=(child.stdout, lines), daemon=True).start()
        current = None
        while True:
            try:
                line = lines.get(timeout=CHECK_TIMEOUT)
            except queue.Empty:
                child.kill()
                child.wait()
                hung.add(current if current is not None else skip)
                skip = (current if current is not None else skip) + 1
                break
            if line is None:
                child.wait()
                assert child.returncode == 0, f"timing child failed with exit code {child.returncode}"
                skip = total
                break
            kind, index, *values = line.split()
            if kind == "start":
                current = int(index)
            else:
                times[int(index)] = (float(values[0]), float(values[1]))
                current = None
    return times, hung


def _superlinear(t1: float, t4: float) -> bool:
    return t4 > RATIO * t1 + FLOOR


@pytest.fixture(scope="module")
def patterns() -> list[tuple[str, re.Pattern, str]]:
    return collect_patterns()


def test_the_guard_sees_the_patterns_that_read_article_text(patterns):
    names = {name for name, _, _ in patterns}
    assert any(name.startswith("storyline.corpus.scan._ACRONYM") for name in names)
    assert any("noise_patterns" in name and "'photo'" in name for name in names)
    assert any(name.startswith("timex.grammar('uk')") for name in names)
    assert any(name.startswith("storyline.common.names._KEY_COMPILED") for name in names)
    assert any(" re.search" in name for name in names)  # inline literals
    assert len(patterns) > 100


def test_every_pattern_runs_in_linear_time_on_pathological_text(patterns):
    started = time.monotonic()
    times, hung = _run_checks(patterns, N)
    units = list(UNITS)
    suspects = [i for i, (t1, t4) in times.items() if _superlinear(t1, t4)]
    if suspects:  # a loaded machine can stall one timing: measure those again before judging
        again, hung_again = _run_checks([patterns[i // len(units)] for i in suspects], N)
        confirmed = set()
        for position, index in enumerate(suspects):
            for j in range(len(units)):
                pair = position * len(units) + j
                if j == index % len(units) and (pair in hung_again or (pair in again and _superlinear(*again[pair]))):
                    confirmed.add(index)
                    times[index] = again.get(pair, times[index])
        suspects = sorted(confirmed)
    failures = []
    for index in sorted(hung):
        name, pattern, mode = patterns[index // len(units)]
        failures.append(f"{name} ({mode}) on {units[index % len(units)]}: no answer within {CHECK_TIMEOUT:g} s "
                        f"for {N} and {4 * N} characters -- pattern {pattern.pattern[:120]!r}")
    for index in suspects:
        name, pattern, mode = patterns[index // len(units)]
        t1, t4 = times[index]
        failures.append(f"{name} ({mode}) on {units[index % len(units)]}: {t1 * 1000:.1f} ms for {N} characters, "
                        f"{t4 * 1000:.1f} ms for {4 * N} ({t4 / max(t1, 1e-9):.0f}x) "
                        f"-- pattern {pattern.pattern[:120]!r}")
    assert not failures, "super-linear patterns:\n" + "\n".join(failures)
    assert time.monotonic() - started < 300  # a hang guard, not a benchmark: a loaded machine is slow


def test_the_guard_catches_a_quadratic_pattern():
    """The old acronym pattern of corpus/scan.py backtracks over every start of a capitalised run."""
    old = re.compile(r"((?:[A-ZА-ЯІЇЄҐ][\w'’\-]+)"
                     r"(?:\s+(?:of|and|for|the|on|in|[A-ZА-ЯІЇЄҐ][\w'’\-]+|і|та|и|по|з)){1,9})"
                     r"\s*\(([A-ZА-ЯІЇЄҐ]{2,8})\)")
    letter_run = {"letter run 'AAAA'": "A"}
    caught = []
    for _ in range(3):  # a loaded machine can blur one timing
        times, hung = _run_checks([("old _ACRONYM", old, "finditer")], 1_000, letter_run)
        caught.append(0 in hung or _superlinear(*times[0]))
        if caught[-1]:
            break
    assert any(caught)
