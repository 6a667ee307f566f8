"""Follow a story as it develops: poll feeds, pages and folders, ingest and process what is new.

A sources file (YAML) lists what to watch; each source has its own interval.
A cycle polls the sources that are due, one after the other:

- URLs use conditional GET (ETag / Last-Modified); 304 means nothing new.  Feed
  items already seen are skipped before any linked page is fetched, and the
  rest go to the store, where an article already stored is a no-op.
- Folders (or single files) are scanned; only new or changed files, whose
  size and modification time have settled, are read.

Each source's new articles are stored in one transaction; then the cycle runs
``pipeline.process`` once and reports what changed (``report.digest``) to the
log, a Markdown file and a webhook.  A failing source (an HTTP error, a hang
cut off by the fetch timeout, garbage) is logged and retried later with an
exponential, capped backoff; the others go on.  Per-source state lives in the
store's ``meta`` table under ``watch:<source>``, so a restart continues where
the last run stopped.

SIGINT/SIGTERM stop the watcher: a fetch or a wait is abandoned at once, a
write in progress (a source's batch, processing) is finished first; a second
signal abandons it too, and its open transaction rolls back.  Whatever was
stored but not processed is processed at the next start.
"""
from __future__ import annotations

import hashlib
import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import httpx
import yaml

from storyline import pipeline
from storyline.article import analyze as analyze_stage
from storyline.errors import E, StorylineError
from storyline.models import Article, RawDoc
from storyline.report.digest import digest_markdown, last_change_id, post_webhook, whats_new, write_digest
from storyline.settings import Settings
from storyline.sources import TEASER_CHARS, docs_from_response, fetch, is_url, looks_like_feed, with_full_page
from storyline.sources.feeds import entry_to_doc, parse_feed
from storyline.sources.files import MANIFEST, iter_file, iter_folder
from storyline.store import Store

__all__ = ["Source", "SourceState", "Watcher", "PollResult", "CycleReport", "load_sources", "backoff_delay",
           "configure_logging", "json_logging", "JsonLines", "DEFAULT_INTERVAL"]

log = logging.getLogger("storyline.watch")
log.addHandler(logging.NullHandler())

DEFAULT_INTERVAL = 900.0
MIN_INTERVAL = 1.0
BACKOFF_CAP = 3600.0  # seconds; a source polled less often than this is never slowed further
SETTLE_SECONDS = 2.0  # a file modified more recently than this may still be being written
MAX_SLEEP = 5.0  # wake up at least this often: to notice an edited sources file, and a changed clock
WEBHOOK_TIMEOUT = 10.0
STATE_PREFIX = "watch:"
PENDING_KEY = "watch-pending"  # set while processing; still set at start = the last run was cut short
CURSOR_KEY = "watch-cursor"  # the last change already reported
META_KEY_CHARS = 80  # the meta table's key column
SOURCE_KEYS = ("url", "path", "name", "interval", "allow_private")


# ------------------------------------------------------------------ the sources file
@dataclass(frozen=True)
class Source:
    name: str
    url: str | None = None
    path: str | None = None  # absolute
    interval: float = DEFAULT_INTERVAL
    allow_private: bool = False

    @property
    def target(self) -> str:
        return self.url or self.path or ""

    @property
    def key(self) -> str:
        """The meta key of this source's state: its URL or path, shortened with a hash when too long."""
        key = STATE_PREFIX + self.target
        if len(key) <= META_KEY_CHARS:
            return key
        digest = hashlib.sha1(self.target.encode("utf-8")).hexdigest()[:12]
        return key[:META_KEY_CHARS - 13] + "#" + digest


def load_sources(path: str | Path, default_interval: float = DEFAULT_INTERVAL) -> list[Source]:
    """Parse a sources file; any problem is one StorylineError naming the file, the entry and the problem.

    The file is a YAML list (or a mapping with a ``sources`` list).  Each entry is a URL or path string,
    or a mapping with ``url`` or ``path`` and optional ``name``, ``interval`` (seconds) and
    ``allow_private``.  Relative paths are relative to the sources file.
    """
    file = Path(path).expanduser()
    entries = _read_sources_file(file)
    sources: list[Source] = []
    seen_targets: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for number, entry in enumerate(entries, 1):
        source = _source_entry(file, number, entry, default_interval)
        if source.target in seen_targets:
            raise _bad_sources(file, f"source {number}: {source.target} is already source "
                                     f"{seen_targets[source.target]}")
        if source.name in seen_names:
            raise _bad_sources(file, f"source {number}: name {source.name!r} is already used by source "
                                     f"{seen_names[source.name]}")
        seen_targets[source.target], seen_names[source.name] = number, number
        sources.append(source)
    return sources


def _bad_sources(file: Path, detail: str) -> StorylineError:
    return StorylineError(E.BAD_SOURCES_FILE, str(file), detail)


def _read_sources_file(file: Path) -> list:
    """The file's list of entries: readable UTF-8, valid YAML, a non-empty list (or ``sources:`` list)."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _bad_sources(file, "no such file") from None
    except UnicodeDecodeError:
        raise _bad_sources(file, "not UTF-8 text") from None
    except OSError as exc:
        raise _bad_sources(file, exc.strerror or type(exc).__name__) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise _bad_sources(file, f"YAML syntax error{where}: {problem}") from None
    if isinstance(data, dict) and set(data) == {"sources"}:
        data = data["sources"]
    if not isinstance(data, list) or not data:
        raise _bad_sources(file, "expected a list of sources, each with 'url' or 'path'")
    return data


def _source_entry(file: Path, number: int, entry: object, default_interval: float) -> Source:
    """One entry of the sources file, checked key by key, as a Source."""
    def bad(detail: str) -> StorylineError:
        return _bad_sources(file, f"source {number}: {detail}")

    if isinstance(entry, str):
        entry = {"url": entry} if is_url(entry) else {"path": entry}
    if not isinstance(entry, dict):
        raise bad(f"expected a mapping with 'url' or 'path', not {type(entry).__name__}")
    unknown = [str(k) for k in entry if k not in SOURCE_KEYS]
    if unknown:
        raise bad(f"unknown key {unknown[0]!r} (keys: {', '.join(SOURCE_KEYS)})")
    url, where = entry.get("url"), entry.get("path")
    if (url is None) == (where is None):
        raise bad("needs exactly one of 'url' or 'path'")
    if url is not None and (not isinstance(url, str) or not is_url(url.strip())):
        raise bad(f"url {url!r} must start with http:// or https://")
    if where is not None and (not isinstance(where, str) or not where.strip()):
        raise bad("path must be a non-empty string")
    interval = entry.get("interval", default_interval)
    if isinstance(interval, bool) or not isinstance(interval, (int, float)) or not interval >= MIN_INTERVAL:
        raise bad(f"interval must be a number of seconds >= {MIN_INTERVAL:g}, not {interval!r}")
    allow_private = entry.get("allow_private", False)
    if not isinstance(allow_private, bool):
        raise bad(f"allow_private must be true or false, not {allow_private!r}")
    if url is not None:
        target_url, target_path = url.strip(), None
    else:
        resolved = Path(where.strip()).expanduser()
        target_url, target_path = None, str(resolved if resolved.is_absolute()
                                            else (file.parent / resolved).resolve())
    name = entry.get("name", url.strip() if url is not None else where.strip())
    if not isinstance(name, str) or not name.strip():
        raise bad("name must be a non-empty string")
    return Source(name.strip(), target_url, target_path, float(interval), allow_private)


# ------------------------------------------------------------------ per-source state
def _iso(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds")


def _ts(value: str | None) -> float | None:
    try:
        return datetime.fromisoformat(value).timestamp() if value else None
    except ValueError:
        return None


def backoff_delay(interval: float, failures: int) -> float:
    """Seconds until the next poll: the interval, doubled per consecutive failure, capped at an hour."""
    if failures <= 0:
        return interval
    return min(interval * 2 ** min(failures, 30), max(BACKOFF_CAP, interval))


@dataclass
class SourceState:
    etag: str | None = None
    last_modified: str | None = None
    last_poll: float | None = None
    last_success: float | None = None
    failures: int = 0
    last_error: str | None = None
    next_due: float | None = None
    body_sha1: str | None = None  # of the last good response: a server without ETags still says "unchanged"
    seen: list[str] = field(default_factory=list)  # feed item keys present in the last good response
    files: dict[str, list[int]] = field(default_factory=dict)  # relative path -> [mtime_ns, size]

    @classmethod
    def from_dict(cls, data: Any) -> SourceState:
        if not isinstance(data, dict):
            return cls()
        return cls(etag=data.get("etag"), last_modified=data.get("last_modified"),
                   last_poll=_ts(data.get("last_poll")), last_success=_ts(data.get("last_success")),
                   failures=int(data.get("failures") or 0), last_error=data.get("last_error"),
                   next_due=_ts(data.get("next_due")), body_sha1=data.get("body_sha1"),
                   seen=list(data.get("seen") or []),
                   files={k: list(v) for k, v in (data.get("files") or {}).items()})

    def to_dict(self) -> dict[str, Any]:
        return {"etag": self.etag, "last_modified": self.last_modified, "last_poll": _iso(self.last_poll),
                "last_success": _iso(self.last_success), "failures": self.failures, "last_error": self.last_error,
                "next_due": _iso(self.next_due), "body_sha1": self.body_sha1, "seen": self.seen,
                "files": self.files}


# ------------------------------------------------------------------ structured logging
class JsonLines(logging.Formatter):
    """One JSON object per line: time, level, event, then source, counts, error and any other fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {"time": _iso(record.created), "level": record.levelname.lower(),
                               "event": record.getMessage()}
        fields = getattr(record, "fields", None) or {}
        for key in ("source", "counts", "error"):
            if key in fields:
                out[key] = fields[key]
        out.update({k: v for k, v in fields.items() if k not in out})
        if record.exc_info and "error" not in out:
            out["error"] = f"{record.exc_info[0].__name__}: {record.exc_info[1]}" if record.exc_info[0] else None
        return json.dumps(out, ensure_ascii=False, default=str)


def configure_logging(level: str = "info", stream: TextIO | None = None) -> logging.Handler:
    """Send storyline's log records to ``stream`` (stderr) as JSON lines; returns the handler to remove later."""
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise StorylineError(E.BAD_SETTING, detail=f"log level {level!r}: use debug, info, warning or error")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLines())
    handler.setLevel(numeric)
    root = logging.getLogger("storyline")
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > numeric:
        root.setLevel(numeric)
    return handler


@contextmanager
def json_logging(level: str = "info", stream: TextIO | None = None) -> Iterator[logging.Handler]:
    """``configure_logging`` for the length of a ``with`` block (a CLI command)."""
    handler = configure_logging(level, stream)
    try:
        yield handler
    finally:
        logging.getLogger("storyline").removeHandler(handler)
        handler.close()


def _emit(level: int, event: str, source: str | None = None, counts: dict | None = None,
          error: str | None = None, **more: Any) -> None:
    fields: dict[str, Any] = {}
    if source is not None:
        fields["source"] = source
    if counts is not None:
        fields["counts"] = counts
    if error is not None:
        fields["error"] = error
    fields.update(more)
    log.log(level, event, extra={"fields": fields})


# ------------------------------------------------------------------ the watcher
class Interrupted(BaseException):
    """Raised by the signal handler to abandon a fetch or a wait (never a write in progress)."""


@dataclass
class PollResult:
    source: str
    status: str  # new, unchanged, not_modified, failed
    items: int = 0  # feed items or changed files looked at
    new: int = 0  # of which not seen before
    added: int = 0  # articles stored
    existing: int = 0  # already in the store
    skipped: int = 0  # items that could not be read
    error: str | None = None
    next_poll_in: float = 0.0

    @property
    def counts(self) -> dict[str, int]:
        return {"items": self.items, "new": self.new, "added": self.added, "existing": self.existing,
                "skipped": self.skipped}


@dataclass
class CycleReport:
    polls: list[PollResult] = field(default_factory=list)
    processed: pipeline.ProcessReport | None = None
    process_error: str | None = None
    news: dict[str, Any] | None = None
    interrupted: bool = False

    @property
    def failed(self) -> bool:
        """A source failed, an item could not be read, or processing failed."""
        return bool(self.process_error) or any(p.status == "failed" or p.skipped for p in self.polls)

    @property
    def added(self) -> int:
        return sum(p.added for p in self.polls)


@dataclass
class _Fetched:
    docs: list[RawDoc | StorylineError]
    items: int
    new: int
    whole: bool = False  # a page or a whole source: any unreadable item fails the source
    not_modified: bool = False
    state: dict[str, Any] = field(default_factory=dict)  # what to remember once the batch is stored


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _entry_key(entry: dict) -> str:
    key = entry.get("id") or entry.get("link") or entry.get("title")
    if key:
        return str(key)
    text = json.dumps([entry.get("summary"), entry.get("content")], default=str, sort_keys=True)
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()


def _scan(root: Path) -> dict[str, list[int]]:
    if root.is_file():
        stat = root.stat()
        return {root.name: [stat.st_mtime_ns, stat.st_size]}
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        try:
            stat = path.stat()
        except OSError:
            continue  # removed while scanning
        found[relative.as_posix()] = [stat.st_mtime_ns, stat.st_size]
    return found


class Watcher:
    """Polls sources, stores and processes what is new, reports it; see the module docstring."""

    def __init__(self, store: Store, sources: list[Source], settings: Settings | None = None, *,
                 aliases: dict | None = None, digest_path: str | Path | None = None, webhook: str | None = None,
                 story: str | None = None, transport: httpx.BaseTransport | None = None,
                 settle: float = SETTLE_SECONDS, clock=time.time, sources_file: str | Path | None = None,
                 default_interval: float = DEFAULT_INTERVAL):
        self.store = store
        self.sources = list(sources)
        self.settings = settings or Settings()
        self.aliases = aliases
        self.digest_path = digest_path
        self.webhook = webhook
        self.story = story
        self.transport = transport
        self.settle = settle
        self.clock = clock
        self.sources_file = Path(sources_file) if sources_file else None
        self.default_interval = default_interval
        self._sources_stamp = self._stamp()
        self.states: dict[str, SourceState] = {}
        self._settings: dict[str, Settings] = {}
        self._adopt(self.sources)
        self._stop = threading.Event()
        self._busy = False
        self._signal: str | None = None
        self._abandoned = False
        self._checked_pending = False
        self._current: CycleReport | None = None
        if store.get_meta(CURSOR_KEY) is None:  # report what happens from the first watch on, not the past
            store.set_meta(CURSOR_KEY, last_change_id(store))

    def _adopt(self, sources: list[Source]) -> None:
        self.sources = list(sources)
        for source in self.sources:
            if source.key not in self.states:
                self.states[source.key] = SourceState.from_dict(self.store.get_meta(source.key))
            self._settings[source.key] = self._settings_for(source)

    def _stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.sources_file.stat() if self.sources_file else None
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size) if stat else None

    def reload_sources(self) -> bool:
        """Re-read the sources file if it changed since it was read; an invalid edit keeps the old list."""
        stamp = self._stamp()
        if self.sources_file is None or stamp is None or stamp == self._sources_stamp:
            return False
        self._sources_stamp = stamp
        try:
            sources = load_sources(self.sources_file, self.default_interval)
        except StorylineError as error:
            _emit(logging.WARNING, "sources_invalid", error=str(error), counts={"sources": len(self.sources)})
            return False
        self._adopt(sources)
        _emit(logging.INFO, "sources_reloaded", counts={"sources": len(sources)})
        return True

    def _settings_for(self, source: Source) -> Settings:
        if not source.allow_private or self.settings.allow_private:
            return self.settings
        return Settings(**{**self.settings.as_dict(), "allow_private": True})

    # ---------------------------------------------------------- stopping
    def stop(self) -> None:
        """Ask the watcher to stop after the current write (safe from any thread)."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def _on_signal(self, signum: int, _frame: Any) -> None:
        # No logging here: the handler may run inside a log call of the main thread.
        self._signal = signal.Signals(signum).name
        if self._stop.is_set() and self._busy:
            self._abandoned = True
            raise Interrupted(self._signal)  # second signal: abandon the write; its transaction rolls back
        self._stop.set()
        if not self._busy:
            raise Interrupted(self._signal)

    @contextmanager
    def signals(self) -> Iterator[None]:
        """Handle SIGINT and SIGTERM while inside (main thread only; elsewhere use ``stop()``)."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    @contextmanager
    def _write(self) -> Iterator[None]:
        """A write that a first signal lets finish; the stop takes effect right after it."""
        self._busy = True
        try:
            yield
        finally:
            self._busy = False
        if self._stop.is_set():
            raise Interrupted(self._signal or "stop")

    # ---------------------------------------------------------- timing
    def due_in(self, source: Source, now: float | None = None) -> float:
        state = self.states[source.key]
        if state.last_poll is None:
            return 0.0
        now = self.clock() if now is None else now
        return state.last_poll + backoff_delay(source.interval, state.failures) - now

    # ---------------------------------------------------------- polling one source
    def _fetch_url(self, source: Source, state: SourceState) -> _Fetched:
        settings = self._settings[source.key]
        result = fetch(source.url or "", timeout=settings.fetch_timeout, max_bytes=settings.fetch_max_bytes,
                       max_redirects=settings.fetch_max_redirects, allow_private=settings.allow_private,
                       etag=state.etag, last_modified=state.last_modified, transport=self.transport)
        if result.not_modified:
            return _Fetched([], 0, 0, not_modified=True)
        remember: dict[str, Any] = {"etag": _header(result.headers, "etag"),
                                    "last_modified": _header(result.headers, "last-modified"),
                                    "body_sha1": hashlib.sha1(result.content).hexdigest()}
        if remember["body_sha1"] == state.body_sha1:
            return _Fetched([], 0, 0, state=remember)
        if not looks_like_feed(result):
            return _Fetched(list(docs_from_response(result, settings, self.transport)), 1, 1, whole=True,
                            state=remember)
        title, entries = parse_feed(result.content, result.url)  # garbage raises BAD_FEED: the source fails
        seen, keys, docs = set(state.seen), [], []
        for entry in entries:
            key = _entry_key(entry)
            keys.append(key)
            if key in seen:
                continue
            seen.add(key)
            doc = entry_to_doc(entry, title, result.url)
            if isinstance(doc, RawDoc) and doc.url and len(doc.content) < TEASER_CHARS:
                doc = with_full_page(doc, settings, self.transport)
            docs.append(doc)
        remember["seen"] = list(dict.fromkeys(keys))
        return _Fetched(docs, len(entries), len(docs), state=remember)

    def _scan_path(self, source: Source, state: SourceState) -> _Fetched:
        root = Path(source.path or "")
        if not root.exists():
            raise StorylineError(E.NOT_FOUND, str(root))
        files = _scan(root)
        now = self.clock()
        settled = {rel: sig for rel, sig in files.items() if now - sig[0] / 1e9 >= self.settle}
        changed = [rel for rel, sig in settled.items() if state.files.get(rel) != sig]
        # a file still being written keeps its old signature, so it counts as changed next time
        remember = {"files": {rel: settled.get(rel) or state.files[rel] for rel in files
                              if rel in settled or rel in state.files}}
        limit = self.settings.max_file_bytes
        docs: list[RawDoc | StorylineError] = []
        if changed and root.is_dir() and (root / MANIFEST).is_file():
            docs = list(iter_folder(root, limit))  # a corpus folder is read whole; stored articles are no-ops
        else:
            for rel in changed:
                docs.extend(iter_file(root if root.is_file() else root / rel, limit))
        return _Fetched(docs, len(changed), len(changed), state=remember)

    def poll(self, source: Source) -> PollResult:
        """Poll one source now: fetch or scan, store what is new in one transaction, remember the state."""
        state = self.states[source.key]
        result = PollResult(source.name, "failed")
        prepared: list[tuple[Article, str | None]] = []
        problems: list[StorylineError] = []
        fetched: _Fetched | None = None
        try:
            fetched = self._fetch_url(source, state) if source.url else self._scan_path(source, state)
            prepared, problems = pipeline.prepare(fetched.docs, self.settings)
            if fetched.whole and problems:
                raise problems[0]  # a page that cannot be read: the source failed, keep its old validators
            result.status = "not_modified" if fetched.not_modified else "new" if fetched.new else "unchanged"
            result.items, result.new, result.skipped = fetched.items, fetched.new, len(problems)
        except StorylineError as error:
            result.error = str(error)
        except Exception as exc:  # noqa: BLE001 - one source's bug must not stop the others
            result.error = f"{type(exc).__name__}: {exc}"
        with self._write():
            now = self.clock()
            state.last_poll = now
            if result.error is None and fetched is not None:
                try:
                    for problem in problems:
                        self.store.record_problem(problem.path or source.target, problem.kind.code, str(problem))
                    if prepared:
                        added = self.store.add_articles(prepared)  # one transaction: never half a batch
                        result.added, result.existing = len(added), len(prepared) - len(added)
                except Exception as exc:  # noqa: BLE001 - e.g. the store is locked: retry later
                    result.error, result.status = f"{type(exc).__name__}: {exc}", "failed"
                    result.added = result.existing = 0
                else:
                    for key, value in fetched.state.items():
                        setattr(state, key, value)
                    state.failures, state.last_error, state.last_success = 0, None, now
            if result.error is not None:
                result.status = "failed"
                state.failures += 1
                state.last_error = result.error
            state.next_due = now + backoff_delay(source.interval, state.failures)
            result.next_poll_in = round(state.next_due - now, 3)
            self.store.set_meta(source.key, state.to_dict())
            for problem in problems if result.error is None else []:
                _emit(logging.WARNING, "item_skipped", source.name, error=str(problem))
            _emit(logging.WARNING if result.error else logging.INFO, "poll", source.name, result.counts,
                  result.error, status=result.status, failures=state.failures, next_poll_in=result.next_poll_in)
        return result

    # ---------------------------------------------------------- a cycle
    def _needs_processing(self, added: int) -> bool:
        if added or self.store.get_meta(PENDING_KEY):
            return True
        if not self._checked_pending:  # articles stored by a run that was stopped before processing
            self._checked_pending = True
            return bool(self.store.pending_analysis(analyze_stage.VERSION))
        return False

    def cycle(self, sources: list[Source] | None = None) -> CycleReport:
        """Poll the given sources (default: all), process what is new, report it."""
        report = self._current = CycleReport()
        for source in self.sources if sources is None else sources:
            if self._stop.is_set():
                report.interrupted = True
                return report
            report.polls.append(self.poll(source))
        if self._needs_processing(report.added):
            with self._write():
                try:
                    self.store.set_meta(PENDING_KEY, True)
                    report.processed = pipeline.process(self.store, self.settings, aliases=self.aliases)
                    self.store.set_meta(PENDING_KEY, False)
                except Exception as exc:  # noqa: BLE001 - logged; retried next cycle (the flag stays set)
                    report.process_error = f"{type(exc).__name__}: {exc}"
                    _emit(logging.ERROR, "process_failed", error=report.process_error)
                else:
                    p = report.processed
                    _emit(logging.INFO, "processed", counts={"analysed": p.analysed, "duplicates": p.duplicates,
                                                             "stories": p.stories, "entities": p.entities,
                                                             "events": p.events})
        self._report_news(report)
        return report

    def _report_news(self, report: CycleReport) -> None:
        cursor = int(self.store.get_meta(CURSOR_KEY) or 0)
        news = report.news = whats_new(self.store, story=self.story, after_id=cursor)
        if news["cursor"] == cursor:
            return
        with self._write():  # the digest file, the webhook and the cursor go together
            if not news["empty"]:
                _emit(logging.INFO, "digest", counts=news["counts"])
                if self.digest_path:
                    write_digest(self.digest_path, digest_markdown(news, title=f"What's new, {news['until']}"),
                                 append=True)
                if self.webhook:
                    post_webhook(self.webhook, news, timeout=min(WEBHOOK_TIMEOUT, self.settings.fetch_timeout),
                                 allow_private=self.settings.allow_private, transport=self.transport)
            self.store.set_meta(CURSOR_KEY, news["cursor"])

    # ---------------------------------------------------------- running
    def run_once(self) -> CycleReport:
        """Poll every source once (due or not), process, report; for cron."""
        _emit(logging.INFO, "watch_started", counts={"sources": len(self.sources)}, mode="once")
        try:
            report = self.cycle()
        except Interrupted:
            report = self._current or CycleReport()
            report.interrupted = True
        except Exception as exc:  # noqa: BLE001 - e.g. the store stayed locked: exit 1 with a log line
            report = self._current or CycleReport()
            report.process_error = f"{type(exc).__name__}: {exc}"
            _emit(logging.ERROR, "cycle_failed", error=report.process_error)
        self._stopped(counts={"added": report.added})
        return report

    def run_forever(self) -> None:
        """Poll each source when it is due until stopped (a signal inside ``signals()``, or ``stop()``)."""
        _emit(logging.INFO, "watch_started", counts={"sources": len(self.sources)}, mode="watch")
        try:
            while not self._stop.is_set():
                self.reload_sources()
                now = self.clock()
                due = [s for s in self.sources if self.due_in(s, now) <= 0]
                if due:
                    try:
                        self.cycle(due)
                    except Exception as exc:  # noqa: BLE001 - a long-lived process logs and goes on
                        _emit(logging.ERROR, "cycle_failed", error=f"{type(exc).__name__}: {exc}")
                        self._stop.wait(1.0)
                if self._stop.is_set():
                    break
                wait = min((self.due_in(s) for s in self.sources), default=MAX_SLEEP)
                self._stop.wait(min(max(wait, 0.0), MAX_SLEEP))
        except Interrupted:
            pass
        self._stopped()

    def _stopped(self, **fields: Any) -> None:
        if self._signal:
            fields.update(signal=self._signal, abandoned_write=self._abandoned)
        _emit(logging.WARNING if self._abandoned else logging.INFO, "watch_stopped", **fields)
