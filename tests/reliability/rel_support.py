"""Shared helpers of the reliability tests: a synthetic corpus, the CLI in a subprocess, store comparisons.

The synthetic corpus varies the bundled (fictional) demo corpus: every variant renames its
countries, towns and people with invented names built from syllables, moves the story to another
year and gets its own ids and URLs, so a few hundred articles make many separate stories.
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from storyline.cli.commands import demo_corpus

SOURCE = Path(__file__).resolve().parents[2] / "src" / "storyline"

# The demo corpus's invented names, and what part of the replacement each becomes.
_SYLLABLES = ["bar", "vel", "dor", "mon", "tes", "kar", "lin", "sol", "rav", "nor", "ket", "mar", "vil", "dun",
              "hal", "bre", "tor", "gal", "fen", "ros", "quen", "zal", "pim", "orv", "ud", "yst"]
_FIRST_NAMES = ["Irela", "Oskan", "Vessa", "Tamir", "Ludo", "Ennia", "Barto", "Sillen", "Korvo", "Almis", "Fenna",
                "Dorit", "Haskel", "Umbra", "Pell", "Ristan", "Yoleth", "Marrik", "Quilla", "Tobren"]


def _word(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def variant_names(variant: int) -> dict[str, str]:
    """Demo name -> invented name for one variant (variant 0 keeps the demo's own names)."""
    if variant == 0:
        return {}
    rng = random.Random(f"storyline-variant-{variant}")
    valdor, ostrav, kest = _word(rng), _word(rng), _word(rng)
    keys = ("dunca", "vrastek", "ebbing", "holmsen", "tollan", "vasse", "lundqvist", "amsel")
    people = {key: (first, _word(rng)) for key, first in zip(keys, rng.sample(_FIRST_NAMES, len(keys)), strict=False)}
    names = {
        "Valdorian": f"{valdor}ian", "Valdoria": f"{valdor}ia", "Ostravan": f"{ostrav}an", "Ostrava": f"{ostrav}a",
        "Kestland": f"{kest}land", "Kestish": f"{kest}ish", "Saltmere": f"{_word(rng)}mere",
        "Norrholm": f"{_word(rng)}holm", "Velin": _word(rng), "Lessary": f"{_word(rng)}ary",
        "Brackwater": f"{_word(rng)}water", "Gullskerry": f"{_word(rng)}skerry",
        "Mirela": people["dunca"][0], "Dunca": people["dunca"][1], "Dunka": people["dunca"][1] + "e",
        "Pavel": people["vrastek"][0], "Paul": people["vrastek"][0], "Vrastek": people["vrastek"][1],
        "Tomas": people["ebbing"][0], "Thomas": people["ebbing"][0], "Ebbing": people["ebbing"][1],
        "Greta": people["holmsen"][0], "Holmsen": people["holmsen"][1],
        "Agnes": people["tollan"][0], "Tollan": people["tollan"][1],
        "Henrik": people["vasse"][0], "Vasse": people["vasse"][1],
        "Lundqvist": people["lundqvist"][1], "Amsel": people["amsel"][1],
    }
    for source, target in list(names.items()):  # lower-case forms live in URLs, upper-case ones in datelines
        names[source.lower()] = target.lower()
        names[source.upper()] = target.upper()
    return names


def _rename(text: str, names: dict[str, str], year: int) -> str:
    if names:
        pattern = re.compile(r"(?<![A-Za-z])(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True))
                             + r")(?![A-Za-z])")
        text = pattern.sub(lambda m: names[m.group(1)], text)
    return text.replace("2014", str(year))


def make_corpus(folder: Path, variants: int) -> int:
    """Write a corpus folder (``articles.jsonl`` + files) of ``variants`` x 16 articles; returns the count."""
    source = demo_corpus()
    records = [json.loads(line) for line in (source / "articles.jsonl").read_text(encoding="utf-8").splitlines()
               if line.strip()]
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    lines = []
    for variant in range(variants):
        names, year = variant_names(variant), 2014 + variant % 9
        for record in records:
            text = (source / record["file"]).read_text(encoding="utf-8")
            suffix = Path(record["file"]).suffix
            new_id = f"v{variant:03d}-{record['id']}"
            (folder / "articles" / f"{new_id}{suffix}").write_text(_rename(text, names, year), encoding="utf-8")
            url = _rename(record["url"], names, year).replace(".example/", f".example/v{variant}/", 1)
            published = record["published"].replace("2014", str(year)) if record["published"] else None
            lines.append(json.dumps({**record, "id": new_id, "file": f"articles/{new_id}{suffix}", "url": url,
                                     "published": published}, ensure_ascii=False))
    (folder / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


# ------------------------------------------------------------------ the CLI in a subprocess
def storyline_command() -> list[str]:
    script = Path(sys.executable).parent / "storyline"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from storyline.cli import main; main()"]


def cli_env(hash_seed: str | None = None, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLINE_")}
    env.update({"STORYLINE_PROGRESS": "0", "PYTHONUNBUFFERED": "1", **(extra or {})})
    if hash_seed is not None:
        env["PYTHONHASHSEED"] = hash_seed
    return env


def run_cli(args: list[str], cwd: Path, timeout: float = 600, hash_seed: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(storyline_command() + args, cwd=cwd, env=cli_env(hash_seed, env), capture_output=True,
                          text=True, timeout=timeout)


def start_cli(args: list[str], cwd: Path, hash_seed: str | None = None, group: bool = False,
              env: dict[str, str] | None = None) -> subprocess.Popen:
    """``storyline`` in the background; ``group``: in a process group of its own (it and its analysis workers)."""
    return subprocess.Popen(storyline_command() + args, cwd=cwd, env=cli_env(hash_seed, env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=group)


# ------------------------------------------------------------------ comparing stores
def export(db: Path, cwd: Path, env: dict[str, str] | None = None) -> dict:
    out = cwd / f"{db.stem}-export.json"
    done = run_cli(["export", "--db", str(db), "--out", str(out)], cwd, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text(encoding="utf-8"))


_GENERATED = {"ingested_at", "at", "updated_at", "applied_at", "generated", "generated_at"}


def without_timestamps(value):
    """The export with generated timestamps removed (the contract has none today; future-proof)."""
    if isinstance(value, dict):
        return {k: without_timestamps(v) for k, v in value.items() if k not in _GENERATED}
    if isinstance(value, list):
        return [without_timestamps(v) for v in value]
    return value


def row_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("articles", "analyses", "features", "stories", "entities", "entity_mentions",
                              "events", "event_mentions", "claims", "conflicts")}


def distinct_article_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {"articles": conn.execute("SELECT count(DISTINCT id) FROM articles").fetchone()[0],
                "fingerprints": conn.execute("SELECT count(DISTINCT fingerprint) FROM articles").fetchone()[0],
                "seq": conn.execute("SELECT count(DISTINCT seq) FROM articles").fetchone()[0]}


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def source_snapshot(folder: Path) -> dict[str, str]:
    """Copy the package as it is now; the environment that makes ``storyline`` subprocesses run that copy.

    A test comparing runs that span minutes must run the same code in all of them, even when the
    working tree changes meanwhile (the copy comes first on PYTHONPATH).
    """
    shutil.copytree(SOURCE, folder / "storyline", ignore=shutil.ignore_patterns("__pycache__"))
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH", "")]))}
