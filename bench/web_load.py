"""Load test of the web app: requests/second and latency of the story and search endpoints on 10,000 articles.

    .venv/bin/python bench/web_load.py                # build (or reuse) the store, measure, write results
    .venv/bin/python bench/web_load.py --rebuild      # build the store again

How the store is made (no NLP, a few seconds): synthetic articles -- sentences
drawn from fixed word lists about fictional people, places and outlets -- are
inserted with ``Store.add_articles`` (so the FTS5 index is filled by the
store's own triggers), assigned to 50 stories with ``set_story_assignments``,
and given minimal corpus results (entities with mentions at real offsets,
events with reporting sentences, claims, a conflict per story, changes) with
``Store.replace_results``, the call the corpus stages use.  The store is kept
at --db and reused while it holds --articles articles.

The app is served by uvicorn (one worker) on 127.0.0.1 in a subprocess; an
asyncio/httpx generator on the same machine sends a fixed number of requests
per endpoint, at most --concurrency at a time, and stops at --time-limit
seconds.  Client and server share the machine's cores, so the numbers are a
floor.  Results go to bench/results/web_load.json.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

import httpx  # noqa: E402

from storyline.models import Article  # noqa: E402
from storyline.store import Store  # noqa: E402

FIRST = ["Mirela", "Pavel", "Tomas", "Greta", "Agnes", "Henrik", "Ilona", "Marek", "Sofia", "Anton", "Lena", "Oskar"]
LAST = ["Dunca", "Vrastek", "Ebbing", "Holmsen", "Tollan", "Vasse", "Kerne", "Barsk", "Lind", "Morrow", "Ostrek",
        "Vale"]
PLACES = ["Saltmere", "Norrholm", "Port Velin", "Brackwater", "Gullskerry", "Kestland", "Valdoria", "Lessary",
          "Orlov Bay", "Treskin", "Halvard", "Mirren"]
OUTLETS = ["Harbour Wire", "Harbour Times", "Coastline Herald", "Evening Ledger", "Pribrezhny Vestnik",
           "Northern Post", "Delta Daily", "Bay Courier", "Morning Signal", "Island Gazette"]
TOPICS = ["border talks", "ferry strike", "grain deal", "port dispute", "fishing rights", "energy tariff",
          "rail link", "water treaty", "prisoner exchange", "election monitors"]
VERBS = ["met", "spoke with", "visited", "called", "hosted talks with", "signed a memorandum with"]
FILLER = ("officials said the sides discussed sequencing, monitoring, a joint commission and the next round "
          "while observers expected little progress before the summer recess").split()
TYPES = ["meeting", "call", "visit", "statement", "proposal", "agreement"]
STATUSES = ["happened", "happened", "happened", "scheduled", "cancelled"]


def _people(rng: random.Random) -> list[str]:
    first = rng.sample(FIRST, 2)
    return [f"{name} {rng.choice(LAST)}" for name in first]


def synthetic_articles(count: int, stories: int, seed: int = 7) -> list[dict]:
    """Articles as plain dicts: text with known entity offsets and one event sentence each."""
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    out = []
    for n in range(count):
        story = n % stories
        topic = TOPICS[story % len(TOPICS)]
        a, b = _people(rng)
        place = PLACES[(story + n) % len(PLACES)]
        day = start + timedelta(days=(story * 3 + n // stories) % 360)
        title = f"{a} and {b} in {place}: {topic} round {n // stories + 1}"
        lede = f"{a} {rng.choice(VERBS)} {b} in {place} on {day:%B} {day.day}, {day.year}."
        body = " ".join(rng.choice(FILLER) for _ in range(120))
        text = f"{title}\n\n{lede} {body.capitalize()}.\n\n{b} said the {topic} would continue in {place}."
        mentions = []
        for name in (a, b, place):
            at = text.find(name, len(title) + 2)
            if at >= 0:
                mentions.append((name, at, at + len(name)))
        out.append({"id": f"b{n:05d}", "story": f"s{story + 1}", "title": title, "text": text, "lede": lede,
                    "outlet": OUTLETS[n % len(OUTLETS)], "published": day, "people": (a, b), "place": place,
                    "mentions": mentions})
    return out


def build_store(db: str, count: int, stories: int) -> dict:
    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(db + suffix).unlink(missing_ok=True)
    store = Store(db)
    docs = synthetic_articles(count, stories)
    batch = []
    for d in docs:
        fingerprint = hashlib.sha1(d["text"].encode()).hexdigest()
        batch.append((Article(id=d["id"], text=d["text"], original=d["text"], offsets=((0, 0, len(d["text"])),),
                              title=d["title"], url=f"https://news.example/{d['id']}", outlet=d["outlet"],
                              published=d["published"], published_source="manifest", language="en",
                              language_source="declared", source="bench", fingerprint=fingerprint,
                              paragraph_languages=("en", "en", "en")), None))
    for at in range(0, len(batch), 1000):
        store.add_articles(batch[at:at + 1000])
    store.set_story_assignments({d["id"]: d["story"] for d in docs})

    names = sorted({m[0] for d in docs for m in d["mentions"]})
    entity_id = {name: f"e{n:04d}" for n, name in enumerate(names)}
    mention_rows, counts, articles_of = [], {}, {}
    for d in docs:
        for name, s, e in d["mentions"]:
            mention_rows.append({"entity_id": entity_id[name], "article_id": d["id"], "start": s, "end": e,
                                 "text": name, "sentence": 1})
            counts[name] = counts.get(name, 0) + 1
            articles_of.setdefault(name, set()).add(d["id"])
    entities = [{"id": entity_id[n], "name": n, "type": "PLACE" if n in PLACES else "PERSON", "affiliation": None,
                 "affiliation_inferred": True, "external_id": None, "aliases": json.dumps([n]),
                 "roles": json.dumps([]), "mention_count": counts[n], "article_count": len(articles_of[n])}
                for n in names]

    by_story: dict[str, list[dict]] = {}
    for d in docs:
        by_story.setdefault(d["story"], []).append(d)
    events, event_mentions, claims, conflicts, story_rows, changes = [], [], [], [], [], []
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    for sid, members in by_story.items():
        days = [m["published"] for m in members]
        story_rows.append({"id": sid, "title": members[0]["title"], "first_seen": min(days).isoformat(),
                           "last_seen": max(days).isoformat(), "size": len(members), "updated_at": stamp})
        for k in range(0, len(members), 8):  # an event per 8 articles, reported by each of them
            group = members[k:k + 8]
            lead = group[0]
            eid = f"v{sid}_{k // 8:03d}"
            kind = TYPES[(k // 8) % len(TYPES)]
            people = list(lead["people"])
            events.append({"id": eid, "type": kind, "plover": "", "first": lead["published"].isoformat(),
                           "last": lead["published"].isoformat(), "status": STATUSES[(k // 8) % len(STATUSES)],
                           "place": lead["place"], "participants": json.dumps(people),
                           "participant_ids": json.dumps([entity_id.get(p) for p in people]), "parties": "[]",
                           "summary": f"{kind.capitalize()} of {', '.join(people)} in {lead['place']}",
                           "independent_sources": len({g["outlet"] for g in group}), "story": sid})
            for g in group:
                event_mentions.append({"event_id": eid, "article_id": g["id"], "sentence": 1, "text": g["lede"],
                                       "date_text": "", "status": "happened", "attribution": ""})
            claims.append({"id": f"c{eid}", "subject": eid, "attribute": "place", "value": lead["place"],
                           "status": "corroborated", "articles": json.dumps([g["id"] for g in group]),
                           "sentences": json.dumps([{"article": g["id"], "sentence": 1, "text": g["lede"]}
                                                    for g in group]), "story": sid})
            changes.append({"at": stamp, "kind": "event_added", "item": eid, "story": sid,
                            "detail": json.dumps({"summary": events[-1]["summary"], "type": kind})})
        conflicts.append({"id": f"k{sid}", "topic": "number of points in the plan", "subject": f"story:{sid}",
                          "attribute": "plan_points", "story": sid, "note": "",
                          "values": json.dumps([{"value": "12", "articles": [members[0]["id"]]},
                                                {"value": "9", "articles": [members[1]["id"]]}])})
    store.replace_results(stories=story_rows, entities=entities, entity_mentions=mention_rows, events=events,
                          event_mentions=event_mentions, claims=claims, conflicts=conflicts, changes=changes)
    built = {"articles": count, "stories": len(story_rows), "entities": len(entities), "events": len(events),
             "event_mentions": len(event_mentions), "entity_mentions": len(mention_rows),
             "build_seconds": round(time.perf_counter() - started, 1)}
    store.set_meta("bench_store", built)
    store.close()
    return built


def built_store(db: str) -> dict | None:
    """What an earlier run built at ``db``, or None."""
    if not Path(db).exists():
        return None
    try:
        store = Store(db, readonly=True)
        value = store.get_meta("bench_store")
        store.close()
        return value
    except Exception:  # an unreadable or half-built file is rebuilt
        return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: str, port: int) -> subprocess.Popen:
    code = ("import uvicorn, sys; from storyline.web.app import create_app; "
            "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')")
    env = {**os.environ, "PYTHONPATH": str(HERE.parent / "src")}
    server = subprocess.Popen([sys.executable, "-c", code, db, str(port)], env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/stories.json?limit=1", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            raise SystemExit("the server exited before it answered")
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not answer within 30 s")


async def load(base: str, paths: list[str], requests: int, concurrency: int, time_limit: float) -> dict:
    """Send ``requests`` GETs (cycling through ``paths``), ``concurrency`` at a time, for at most ``time_limit`` s."""
    latencies: list[float] = []
    errors = 0
    counter = iter(range(requests))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        for path in paths[:5]:  # warm up
            await client.get(path)
        started = time.perf_counter()
        deadline = started + time_limit

        async def worker() -> None:
            nonlocal errors
            for n in counter:
                if time.perf_counter() > deadline:
                    return
                t0 = time.perf_counter()
                try:
                    response = await client.get(paths[n % len(paths)])
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - t0)
                errors += not ok

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1) if latencies else 0.0

    return {"requests": len(latencies), "errors": errors, "seconds": round(elapsed, 2),
            "rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
            "p50_ms": pct(0.50), "p90_ms": pct(0.90), "p99_ms": pct(0.99), "max_ms": pct(1.0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "storyline-bench" / "web_load.db"))
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--stories", type=int, default=50)
    parser.add_argument("--requests", type=int, default=600, help="Requests per endpoint.")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--time-limit", type=float, default=15.0, help="Seconds per endpoint at most.")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--out", default=str(HERE / "results" / "web_load.json"))
    args = parser.parse_args()

    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    built = None if args.rebuild else built_store(args.db)
    if built and built.get("articles") == args.articles and built.get("stories") == args.stories:
        built = {**built, "reused": True}
    else:
        print(f"building a store of {args.articles} synthetic articles at {args.db} ...", flush=True)
        built = build_store(args.db, args.articles, args.stories)
    print(f"store: {built}", flush=True)

    load_before = [round(x, 2) for x in os.getloadavg()]
    port = free_port()
    server = start_server(args.db, port)
    base = f"http://127.0.0.1:{port}"
    stories = [f"s{n}" for n in range(1, args.stories + 1)]
    words = ["Saltmere", "Norrholm talks", "ferry strike", "Dunca", "Vrastek Ebbing", "grain", "commission",
             "Port Velin", "monitoring", "treaty"]
    scenarios = [
        ("story JSON", [f"/stories/{s}.json" for s in stories]),
        ("story HTML", [f"/stories/{s}" for s in stories]),
        ("search JSON", [f"/search.json?q={w}" for w in words]),
        ("search HTML", [f"/search?q={w}" for w in words]),
    ]
    results = []
    try:
        for name, paths in scenarios:
            measured = asyncio.run(load(base, paths, args.requests, args.concurrency, args.time_limit))
            results.append({"endpoint": name, "example": paths[0], **measured})
            print(f"  {name}: {measured['rps']} req/s, p99 {measured['p99_ms']} ms", flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()

    document = {"measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                            "platform": platform.platform(), "load_average_before": load_before,
                            "note": "other processes on the machine compete for the same cores"},
                "store": built, "server": "uvicorn, 1 worker, 127.0.0.1, SQLite read-only",
                "load": {"requests_per_endpoint": args.requests, "concurrency": args.concurrency,
                         "time_limit_s": args.time_limit, "client": "httpx.AsyncClient on the same machine"},
                "results": results}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    print()
    print(f"{'endpoint':<12} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}")
    for r in results:
        print(f"{r['endpoint']:<12} {r['requests']:>8} {r['errors']:>6} {r['rps']:>8} {r['p50_ms']:>8} "
              f"{r['p90_ms']:>8} {r['p99_ms']:>8}")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
