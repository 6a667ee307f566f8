"""Markup built from untrusted article text, and the timeline chart's layout.

Article text, titles, outlet names and entity names come from the open web.
Everything here builds HTML from pieces that ``markupsafe`` has escaped;
nothing article-derived is ever passed through ``Markup`` unescaped.
"""
from __future__ import annotations

import bisect
import itertools
import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import quote

from markupsafe import Markup, escape

_HTTP_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f<>\"'`]+", re.IGNORECASE)
_CLASS_SAFE = re.compile(r"[^a-z0-9_-]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def visible(value: object) -> object:
    """Text with control characters (which browsers draw as boxes) removed; other values unchanged.

    Used as the templates' ``finalize``: it runs before autoescaping, and
    leaves markup built here (already escaped) alone.
    """
    if isinstance(value, str) and not isinstance(value, Markup):
        return _CONTROL.sub("", value)
    return value


def _text(value: str) -> Markup:
    return escape(_CONTROL.sub("", value))


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) address, else None (javascript:, data:, oddly spaced schemes...)."""
    if not url:
        return None
    url = url.strip()
    return url if _HTTP_URL.fullmatch(url) else None


def css_class(value: object) -> str:
    """A value as a CSS class fragment: lower case letters, digits, dash and underscore only."""
    return _CLASS_SAFE.sub("-", str(value or "").lower()).strip("-") or "none"


def path_part(value: object) -> str:
    """One URL path segment (ids may hold slashes or spaces)."""
    return quote(str(value), safe="")


# ------------------------------------------------------------------ search snippets
def _fold(word: str) -> str:
    """Case- and accent-insensitive form, as FTS5's unicode61 tokenizer (remove_diacritics) compares words."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).casefold()


def _query_word(piece: str, wanted: set[str], prefixes: tuple[str, ...]) -> bool:
    """Every word of a highlighted run is a query word or starts with a query prefix (a phrase is one run)."""
    words = re.findall(r"[^\W_]+", _fold(piece))
    return bool(words) and all(w in wanted or w.startswith(prefixes) for w in words)


def snippet_parts(snippet: str | None, words: list[str] | None = None) -> list[tuple[str, bool]]:
    """Split an FTS snippet on its \\x02 (start) and \\x03 (stop) markers into (text, highlighted) runs.

    The article text may hold those characters itself; with ``words`` (the
    query's words, a prefix ending in ``*``) only runs made of them count as
    highlighted.
    """
    folded = [_fold(w) for w in words] if words is not None else []
    wanted = {w for w in folded if not w.endswith("*")}
    prefixes = tuple(w.rstrip("*") for w in folded if w.endswith("*") and w.rstrip("*"))
    parts: list[tuple[str, bool]] = []
    on = False
    for piece in re.split("([\x02\x03])", snippet or ""):
        if piece == "\x02":
            on = True
        elif piece == "\x03":
            on = False
        elif piece:
            parts.append((piece, on and (words is None or _query_word(piece, wanted, prefixes))))
    return parts


def snippet_plain(snippet: str | None, words: list[str] | None = None) -> tuple[str, list[list[int]]]:
    """The snippet without markers and the [start, end) offsets of its highlighted runs."""
    out, spans, position = [], [], 0
    for piece, on in snippet_parts(snippet, words):
        if on:
            spans.append([position, position + len(piece)])
        out.append(piece)
        position += len(piece)
    return "".join(out), spans


def marked_html(text: str | None, spans: list[list[int]]) -> Markup:
    """Plain text with the given [start, end) spans wrapped in <mark>, every piece escaped."""
    text = text or ""
    pieces, cursor = [], 0
    for start, end in sorted(spans):
        if start < cursor or end <= start:
            continue
        pieces.append(_text(text[cursor:start]))
        pieces.append(Markup("<mark>{}</mark>").format(_text(text[start:end])))
        cursor = end
    pieces.append(_text(text[cursor:]))
    return Markup("").join(pieces)


def context_html(before: str, match: str, after: str) -> Markup:
    return Markup("…{}<mark>{}</mark>{}…").format(_text(before), _text(match), _text(after))


# ------------------------------------------------------------------ article body
def sentence_spans(text: str, sentences: list[dict]) -> list[dict]:
    """Place each reporting sentence (event mentions, in sentence order) in the article text.

    The store keeps the sentence's text and index, not its offsets, so the
    text is searched for, from where the previous sentence ended.
    """
    spans: dict[int, dict] = {}
    cursor = 0
    for item in sorted(sentences, key=lambda s: s["sentence"]):
        key = item["sentence"]
        if key in spans:
            spans[key]["events"].append(item)
            continue
        needle = (item.get("text") or "").strip()
        if not needle:
            continue
        start = text.find(needle, cursor)
        if start < 0:
            start = text.find(needle)
        if start < 0:
            continue
        spans[key] = {"start": start, "end": start + len(needle), "sentence": key, "events": [item]}
        cursor = start + len(needle)
    ordered, last_end = [], 0
    for span in sorted(spans.values(), key=lambda s: s["start"]):
        if span["start"] >= last_end:  # overlapping placements are dropped, never nested
            ordered.append(span)
            last_end = span["end"]
    return ordered


def _mentions_html(text: str, start: int, end: int, mentions: list[dict], reach: list[int] | None = None) -> Markup:
    """``mentions`` in order of start; ``reach``: the furthest end among the first i + 1 of them, so
    that only the mentions that can touch [start, end) are looked at (all of them for every sentence
    made an article of many names and many reported sentences quadratic)."""
    pieces: list[Markup] = []
    cursor = start
    first = bisect.bisect_right(reach, start) if reach is not None else 0  # those before end by start
    for m in mentions[first:]:
        if reach is not None and m["start"] >= end:
            break  # in order of start: none after it reaches into [start, end)
        a, b = max(m["start"], start), min(m["end"], end)
        if a < cursor or b <= a:
            continue
        pieces.append(_text(text[cursor:a]))
        pieces.append(Markup('<a class="m t-{}" href="/entities/{}" data-entity="{}" title="{} ({})">{}</a>').format(
            css_class(m.get("type")), path_part(m["entity_id"]), m["entity_id"], visible(m.get("name") or ""),
            m.get("type") or "", _text(text[a:b])))
        cursor = b
    pieces.append(_text(text[cursor:end]))
    return Markup("").join(pieces)


def article_html(text: str, mentions: list[dict], sentences: list[dict]) -> Markup:
    """The article text with entity mentions linked and event-reporting sentences marked.

    ``mentions`` carry start/end offsets into ``text``; ``sentences`` come
    from ``sentence_spans``.  Every slice of ``text`` is escaped.
    """
    text = text or ""
    mentions = sorted((m for m in mentions if 0 <= m["start"] < m["end"] <= len(text)),
                      key=lambda m: (m["start"], -m["end"]))
    reach = list(itertools.accumulate((m["end"] for m in mentions), max))
    pieces: list[Markup] = []
    cursor = 0
    for span in sentences:
        pieces.append(_mentions_html(text, cursor, span["start"], mentions, reach))
        titles = "; ".join(f"{e.get('type', '')}: {e.get('summary', '')}" for e in span["events"])
        pieces.append(Markup('<span class="ev" id="s{}" title="{}">{}</span>').format(
            int(span["sentence"]), visible(titles), _mentions_html(text, span["start"], span["end"], mentions, reach)))
        cursor = span["end"]
    pieces.append(_mentions_html(text, cursor, len(text), mentions, reach))
    return Markup("").join(pieces)


# ------------------------------------------------------------------ timeline chart
TYPE_ORDER = ("meeting", "visit", "call", "agreement", "proposal", "statement")
WIDTH, LEFT, RIGHT, TOP, ROW, BOTTOM = 960, 96, 24, 12, 26, 34


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def marker_radius(sources: int | None) -> float:
    return round(min(16.0, 3.5 + 3.0 * math.sqrt(max(0, sources or 0))), 1)


def _ticks(lo: date, hi: date) -> list[tuple[date, str]]:
    span = (hi - lo).days
    if span <= 16:
        days = [lo + timedelta(n) for n in range(span + 1)]
        return [(d, d.strftime("%b %-d")) for d in days]
    if span <= 100:
        first = lo + timedelta((7 - lo.weekday()) % 7)  # Mondays
        return [(first + timedelta(7 * n), (first + timedelta(7 * n)).strftime("%b %-d"))
                for n in range((hi - first).days // 7 + 1)]
    if span <= 1100:
        out, d = [], date(lo.year, lo.month, 1)
        step = 1 if span <= 400 else 3
        while d <= hi:
            if d >= lo:
                out.append((d, d.strftime("%b %Y")))
            month = d.month - 1 + step
            d = date(d.year + month // 12, month % 12 + 1, 1)
        return out
    return [(date(y, 1, 1), str(y)) for y in range(lo.year + 1, hi.year + 1)]


# Events long before the rest (an earlier meeting a story recalls) would stretch the axis and squash the
# story's active period into its right edge: they fold into one "earlier" marker at the left instead.
FOLD = 96  # the width of that marker's zone, left of the axis proper
FOLD_MIN_GAP = 14  # days: a quieter stretch than this is never folded
FOLD_MAX_SHARE = 0.2  # at most this share of the events (but one is always allowed) is folded
FOLD_LISTED = 8  # earlier events named in the marker's tooltip
FOLD_MIN_HEIGHT = 84  # the lanes are made at least this tall when there is an "earlier" marker


def _fold_count(dated: list[tuple[dict, date, date]]) -> int:
    """How many of the earliest events (``dated`` in order of start) to fold: those before the last quiet
    gap that is wider than the rest of the story after it, and at least ``FOLD_MIN_GAP`` days."""
    last = max(b for _, _, b in dated)
    allowed = max(1, int(len(dated) * FOLD_MAX_SHARE))
    folded, reach = 0, date.min  # reach: the latest end among the events before k
    for k in range(1, min(allowed, len(dated) - 2) + 1):  # keep at least two events on the axis
        reach = max(reach, dated[k - 1][2])
        start = dated[k][1]
        gap, rest = (start - reach).days, (last - start).days
        if gap >= FOLD_MIN_GAP and gap > rest:
            folded = k
    return folded


def _earlier(folded: list[tuple[dict, date, date]], x: float, y: float, height: float) -> dict | None:
    """The marker standing for the folded events: their number, dates and a tooltip naming them."""
    if not folded:
        return None
    first, last = folded[0][1], max(b for _, _, b in folded)
    lines = [f"{a.isoformat()} · {e['type']} · {e.get('summary') or ''}" for e, a, _ in folded[:FOLD_LISTED]]
    if len(folded) > FOLD_LISTED:
        lines.append(f"… and {len(folded) - FOLD_LISTED} more")
    count = len(folded)
    label = f"{count} event{'' if count == 1 else 's'}"
    span = " – ".join(dict.fromkeys(d.strftime("%b %-d, %Y") for d in (first, last)))  # one date when they agree
    return {"count": count, "from": first, "to": last, "label": label, "dates": span,
            "x": x, "width": FOLD - 14, "y": y, "height": height, "mid": round(y + height / 2, 1),
            "title": f"Earlier: {label} before the active period ({span}), not drawn to scale:\n" + "\n".join(lines)}


def _lanes(dated: list[tuple[dict, date, date]], x: Callable[[date], float]) -> tuple[list[dict], list[dict], float]:
    """One lane per event type (extra rows where markers would overlap); the y below the last lane."""
    types = sorted({e["type"] for e, _, _ in dated}, key=lambda k: (TYPE_ORDER.index(k) if k in TYPE_ORDER else 99, k))
    lanes, markers, y = [], [], TOP
    for kind in types:
        rows_end: list[float] = []
        placed = []
        for e, a, b in sorted(((e, a, b) for e, a, b in dated if e["type"] == kind), key=lambda i: (i[1], i[2])):
            r = marker_radius(e.get("independent_sources"))
            x1, x2 = x(a), x(b)
            row = next((i for i, end in enumerate(rows_end) if end + 2 < x1 - r), None)
            if row is None:
                rows_end.append(0.0)
                row = len(rows_end) - 1
            rows_end[row] = x2 + r
            placed.append((e, x1, x2, r, row))
        height = ROW * max(1, len(rows_end)) + 8
        lanes.append({"type": kind, "y": y, "height": height, "label_y": y + ROW / 2 + 8})
        for e, x1, x2, r, row in placed:
            status = css_class(e.get("status") or "unknown")
            when = e["first"] if not e.get("last") or e["last"] == e["first"] else f"{e['first']}/{e['last']}"
            markers.append({"id": e["id"], "href": f"/events/{path_part(e['id'])}", "x": x1, "x2": x2,
                            "y": y + ROW / 2 + 4 + row * ROW, "r": r, "status": status, "type": kind,
                            "title": f"{when} · {kind} · {e.get('status') or 'unknown'} · "
                                     f"{e.get('independent_sources') or 0} independent source(s)"
                                     f"{' · ' + e['place'] if e.get('place') else ''}\n{e.get('summary') or ''}"})
        y += height
    return lanes, markers, y


def timeline_layout(events: list[dict]) -> dict | None:
    """Positions for an SVG timeline: one lane per event type, x by date, radius by independent sources.

    Markers that would overlap in a lane go to extra rows of that lane.  The axis covers the story's
    active period: events long before it (see ``_fold_count``) become one "earlier" marker at the left.
    """
    dated = [(e, _day(e.get("first")), _day(e.get("last")) or _day(e.get("first"))) for e in events]
    dated = sorted(((e, a, b if b and b >= a else a) for e, a, b in dated if a), key=lambda i: (i[1], i[2]))
    if not dated:
        return None
    folded_count = _fold_count(dated)
    folded, shown = dated[:folded_count], dated[folded_count:]
    lo = min(a for _, a, _ in shown) - timedelta(1)
    hi = max(b for _, _, b in shown) + timedelta(1)
    span = max(1, (hi - lo).days)
    left = LEFT + (FOLD if folded else 0)
    inner = WIDTH - left - RIGHT

    def x(d: date) -> float:
        return round(left + inner * (d - lo).days / span, 1)

    lanes, markers, y = _lanes(shown, x)
    if folded and y - TOP < FOLD_MIN_HEIGHT:  # room for the "earlier" marker's three lines
        lanes[-1]["height"] += TOP + FOLD_MIN_HEIGHT - y
        y = TOP + FOLD_MIN_HEIGHT
    ticks = [{"x": x(d), "label": label} for d, label in _ticks(lo, hi)]
    if len(ticks) > 14:  # keep labels readable on long spans
        step = math.ceil(len(ticks) / 14)
        ticks = ticks[::step]
    return {"width": WIDTH, "height": y + BOTTOM, "left": left, "right": WIDTH - RIGHT, "axis_y": y + 4,
            "lanes": lanes, "markers": markers, "ticks": ticks, "count": len(dated),
            "earlier": _earlier(folded, LEFT + 4, TOP, y - TOP),
            "from": dated[0][1], "to": hi - timedelta(1), "active_from": lo + timedelta(1)}
