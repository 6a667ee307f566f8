"""The incremental benchmark: what a batch of new articles costs on a store that already holds N, and what a
poll with nothing new costs beside a plain read, all measured in one run.

    .venv/bin/python bench/incremental.py                         # N = 0 and 1,000 (~10 minutes on 2 cores)
    .venv/bin/python bench/incremental.py --stores 0,1000,10000   # + 10,000 (its store alone takes ~20 minutes)
    BENCH_STORES=0,1000,10000 make bench-incremental              # the same through make (and make bench)

The articles.  One corpus from ``bench/generate.py`` of max(N) + 100 articles; its last 100 are the new
ones, the same for every N (the batch of 20 is their first 20).  The store of N holds the corpus's first
N articles, in order, made by ``storyline run`` (timed: the end-to-end rate at N) and kept in
bench/cache/stores/: a later run of the same code and corpus copies it instead, untimed (``--fresh``: make
it again).

The measurements, each the CLI in a process of its own, so start-up is in every figure, as a user or cron
sees it:

- ``add 20``, ``add 100``: ``storyline run BATCH`` on a fresh copy of the store of N;
- on the store after ``add 100``: ``storyline run BATCH`` again (a poll that finds nothing new: the batch
  is read and every article is already stored), ``storyline process`` (nothing new), ``storyline stories``
  (a plain read), each ``--repeat`` times (the median is shown), and ``storyline rebuild`` once: the full
  corpus stage, which every run, new articles or not, did before runs with nothing new skipped it;
- ``start-up``: ``storyline --help`` (imports the CLI, reads no store).

Every run runs a copy of ``src/storyline`` taken at the start, so the code cannot change under the
benchmark.  Whether each run ran the corpus stage is read from the store's stamp of it
(``pipeline.CORPUS_STAMP``).
Results: a table, and bench/results/incremental-DATE.json.  The machine is shared: the load average
before the run is recorded, and figures move by 10-20% from run to run.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from storyline.pipeline import CORPUS_STAMP  # noqa: E402
from storyline.store import Store  # noqa: E402

RESULTS = HERE / "results"
CACHE = HERE / "cache" / "stores"  # scratch stores, and the base stores kept for the next run
STORES = (0, 1000)
BATCHES = (20, 100)
NEW = max(BATCHES)  # the new articles: the corpus's last NEW
CLI = [sys.executable, "-c", "from storyline.cli import main; main()"]


ENV = {**os.environ, "STORYLINE_PROGRESS": "0"}  # main() puts its copy of the code first on PYTHONPATH


def snapshot_code(folder: Path) -> Path:
    """Copy the package as it is now and make every CLI run of the benchmark run that copy: a run that spans
    minutes measures one code, even when the working tree changes meanwhile (a changed corpus stage would
    rightly make a run with nothing new re-derive the record)."""
    shutil.copytree(ROOT / "src" / "storyline", folder / "storyline", ignore=shutil.ignore_patterns("__pycache__"))
    ENV["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH", "")]))
    return folder / "storyline"


def storyline(*args: str) -> tuple[float, str]:
    """Runs the CLI once; (wall seconds, its output).  A failure stops the benchmark with the CLI's message."""
    start = time.perf_counter()
    done = subprocess.run([*CLI, *args], capture_output=True, text=True, env=ENV, cwd=ROOT)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"storyline {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return seconds, (done.stdout + done.stderr).strip()


def write_jsonl(records: list[dict], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "part-0000.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return folder


def copy_store(source: Path, target: Path) -> Path:
    """A consistent copy of a SQLite store (the backup API: the WAL's pages included)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def corpus_runs(db: Path) -> int:
    """How often the corpus stage has run on this store (0: never, or no store yet)."""
    if not db.exists():
        return 0
    store = Store(str(db), readonly=True)
    try:
        return (store.get_meta(CORPUS_STAMP) or {}).get("runs", 0)
    finally:
        store.close()


def timed_run(db: Path, *args: str) -> dict:
    """One CLI run on the store; its seconds and whether it ran the corpus stage."""
    before = corpus_runs(db)
    seconds, output = storyline(*args, "--db", str(db))
    # the number of output lines, not the lines: they quote article titles, which stay out of the results
    return {"seconds": round(seconds, 2), "corpus_stage_ran": corpus_runs(db) > before,
            "output_lines": len(output.splitlines()) if output else 0}


def repeated(db: Path, repeat: int, *args: str) -> dict:
    runs = [timed_run(db, *args) for _ in range(repeat)]
    return {"seconds": round(statistics.median(r["seconds"] for r in runs), 2),
            "all_seconds": [r["seconds"] for r in runs], "corpus_stage_ran": any(r["corpus_stage_ran"] for r in runs),
            "output_lines": runs[-1]["output_lines"]}


def code_digest(package: Path) -> str:
    """The code and rule files a store is made by: a stored base store is used again only by the same code."""
    digest = hashlib.sha1()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".yaml", ".yml", ".json") and path.is_file():
            digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def base_store(n: int, base: list[dict], db: Path, code: str, fresh: bool) -> dict:
    """The store of the corpus's first ``n`` articles at ``db``, made by ``storyline run`` (timed: the end-to-end
    rate at n), or copied from bench/cache/stores/ when the same corpus and code made it before (unless
    ``fresh``); the copy is not timed."""
    key = hashlib.sha1(json.dumps([n, base[:n][-1]["id"], len(base), code]).encode()).hexdigest()[:12]
    kept = CACHE / f"base-{n}-{key}.db"
    if kept.exists() and not fresh:
        print(f"[incremental] store of {n} articles: {kept.relative_to(ROOT)} (made before by the same code)",
              flush=True)
        copy_store(kept, db)
        return {"cached": kept.name}
    print(f"[incremental] store of {n} articles: storyline run ...", flush=True)
    built = timed_run(db, "run", str(write_jsonl(base[:n], db.parent / f"base-{n}")))
    for old in CACHE.glob(f"base-{n}-*.db"):
        old.unlink()
    copy_store(db, kept)
    return {"seconds": built["seconds"], "articles_per_second": round(n / built["seconds"], 2), "kept": kept.name}


def measure_store(n: int, base: list[dict], new: list[dict], work: Path, repeat: int, code: str, fresh: bool
                  ) -> dict:
    """Everything measured on the store of ``n`` articles."""
    result: dict = {"existing": n}
    db = work / f"store-{n}.db"
    if n:
        result["build"] = base_store(n, base, db, code, fresh)
    for size in BATCHES:
        print(f"[incremental] N={n}: add {size} new articles ...", flush=True)
        copy = work / f"store-{n}-add-{size}.db"
        if n:
            copy_store(db, copy)
        result[f"add_{size}"] = timed_run(copy, "run", str(write_jsonl(new[:size], work / f"new-{size}")))
    after = work / f"store-{n}-add-{max(BATCHES)}.db"
    batch = str(work / f"new-{max(BATCHES)}")
    print(f"[incremental] N={n}: no-op poll, process, plain read ({repeat}x each), full rebuild ...", flush=True)
    result["noop_run"] = repeated(after, repeat, "run", batch)
    result["noop_process"] = repeated(after, repeat, "process")
    result["read_stories"] = repeated(after, repeat, "stories")
    result["rebuild"] = timed_run(after, "rebuild")
    read = result["read_stories"]["seconds"]
    result["noop_run_over_read"] = round(result["noop_run"]["seconds"] / read, 2)
    result["noop_process_over_read"] = round(result["noop_process"]["seconds"] / read, 2)
    return result


def table(results: list[dict], startup: float) -> str:
    header = (f"{'store':>6}  {'add 20':>8} {'add 100':>8}  {'no-op run':>9} {'no-op proc':>10} {'stories':>8} "
              f"{'ratio':>6}  {'rebuild':>8}  {'build art/s':>11}")
    lines = [f"seconds, each a `storyline` process (start-up alone, `storyline --help`: {startup:.2f} s); "
             "ratio = no-op run / stories", header, "-" * len(header)]
    for r in results:
        build = r.get("build", {}).get("articles_per_second")
        lines.append(f"{r['existing']:>6}  {r['add_20']['seconds']:>8.2f} {r['add_100']['seconds']:>8.2f}  "
                     f"{r['noop_run']['seconds']:>9.2f} {r['noop_process']['seconds']:>10.2f} "
                     f"{r['read_stories']['seconds']:>8.2f} {r['noop_run_over_read']:>6.2f}  "
                     f"{r['rebuild']['seconds']:>8.2f}  {build if build else '-':>11}")
    if len(results) > 1 and results[0]["existing"] == 0:
        for r in results[1:]:
            lines.append(f"add 20 into {r['existing']} / into an empty store: "
                         f"{r['add_20']['seconds'] / results[0]['add_20']['seconds']:.2f}x; "
                         f"add 100: {r['add_100']['seconds'] / results[0]['add_100']['seconds']:.2f}x")
    for r in results:
        ran = {k: r[k]["corpus_stage_ran"] for k in ("add_20", "add_100", "noop_run", "noop_process", "rebuild")}
        lines.append(f"corpus stage ran at N={r['existing']}: " + ", ".join(f"{k} {'yes' if v else 'no'}"
                                                                            for k, v in ran.items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = os.environ.get("BENCH_STORES") or ",".join(map(str, STORES))
    parser.add_argument("--stores", default=default,
                        help=f"comma-separated sizes N of the existing store (default {default}; env BENCH_STORES)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each no-op and read measurement (median)")
    parser.add_argument("--fresh", action="store_true",
                        help="make the stores of N again even when the same code made them before")
    parser.add_argument("--out", type=Path, help="results file (default bench/results/incremental-DATE.json)")
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.stores.split(",") if s.strip()})
    measured = datetime.now(UTC)
    total = max(sizes) + NEW
    print(f"[incremental] corpus of {total} articles ...", flush=True)
    folder = generate.ensure_corpus(total, args.seed)
    records = [json.loads(line) for part in sorted(folder.glob("part-*.jsonl"))
               for line in part.read_text(encoding="utf-8").splitlines()]
    base, new = records[:-NEW], records[-NEW:]
    latest: dict = {"measured_at": measured.isoformat(timespec="seconds"),
                    "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                "platform": platform.platform(),
                                "load_average_before": [round(x, 2) for x in os.getloadavg()]},
                    "seed": args.seed, "corpus": json.loads((folder / "corpus.json").read_text()),
                    "batches": list(BATCHES), "repeat": args.repeat, "stores": []}
    started = time.perf_counter()
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="incremental-", dir=CACHE) as tmp:
        latest["code"] = code = code_digest(snapshot_code(Path(tmp) / "code"))
        latest["startup_seconds"] = round(statistics.median(storyline("--help")[0] for _ in range(args.repeat)), 2)
        for n in sizes:
            latest["stores"].append(measure_store(n, base, new, Path(tmp), args.repeat, code, args.fresh))
    latest["wall_seconds"] = round(time.perf_counter() - started, 1)
    latest["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print()
    print(table(latest["stores"], latest["startup_seconds"]))
    out = args.out or RESULTS / f"incremental-{measured.date().isoformat()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(latest, indent=1, ensure_ascii=False) + "\n")
    print(f"\nresults in {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} ({latest['wall_seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
