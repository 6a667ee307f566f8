"""Outlets as the directory knows them, and a story's coverage by outlet country and by ownership.

``profile`` describes one outlet (country, ownership, parent group) from the outlet directory
(``common/outlets.py``): found by its articles' web addresses or its name, else "unknown", never
guessed from a country-code domain.  ``coverage`` counts a story's articles by their outlets' country
and ownership, each syndicated copy folded into its original (one report, counted once, for the outlet
that wrote it), and ``bar_svg`` draws one count as a stacked bar whose every segment carries its label
as text, so that colour is never the only cue.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from storyline.common.outlets import OWNERSHIPS, Directory, bundled_directory, host
from storyline.read import queries
from storyline.report.charts import INK, Svg
from storyline.store import Store

OWNERSHIP_LABELS = {"state": "State-owned", "public": "Public", "private": "Private", "unknown": "Unknown"}
OWNERSHIP_HELP = {"state": "owned, funded or controlled by a government",
                  "public": "public-service media with statutory independence",
                  "private": "commercial, non-profit or cooperative",
                  "unknown": "not in the outlet directory"}
# segment colours; the text on each segment and the legend say the same, so colour is never the only cue
OWNERSHIP_COLOURS = {"state": "#b44d12", "public": "#2f7d4f", "private": "#1d5fa8", "unknown": "#d9e2ec"}
COUNTRY_COLOURS = ("#1d5fa8", "#b44d12", "#2f7d4f", "#6b3fa0", "#8a5a00", "#0f6f86", "#a0264f", "#3e4c59")
UNKNOWN_COLOUR = "#d9e2ec"


class _Row(Protocol):
    id: str
    outlet: str
    url: str | None
    duplicate_of: str | None


def profile(outlet: str, urls: Iterable[str | None], directory: Directory | None = None) -> dict[str, Any]:
    """One outlet as the directory describes it, found by the domains of ``urls`` or by its name."""
    directory = directory or bundled_directory()
    urls = list(urls)
    info, matched = directory.find(outlet, urls)
    hosts = sorted({h for h in (host(u) for u in urls) if h})
    if info is None:
        return {"outlet": outlet, "name": None, "domains": hosts, "country": None, "country_code": None,
                "ownership": "unknown", "side": "unknown", "group": None, "kind": None, "state_affiliated": None,
                "notes": "", "listed_in": None, "matched_by": None}
    return {"outlet": outlet, "name": info.name, "domains": hosts, "country": info.country,
            "country_code": info.country_code, "ownership": info.ownership, "side": info.side, "group": info.group,
            "kind": info.kind, "state_affiliated": info.state_affiliated, "notes": info.notes,
            "listed_in": info.source, "matched_by": matched}


def outlet_profiles(store: Store, story: str | None = None, directory: Directory | None = None) -> list[dict]:
    """Every outlet of the store (or of one story) with its profile and coverage counts, most articles first."""
    grouped: dict[str, list] = defaultdict(list)
    for row in queries.articles_metadata(store, story or None):
        grouped[row.outlet or ""].append(row)
    out = []
    for outlet, rows in grouped.items():
        found = profile(outlet, [r.url for r in rows], directory)
        dates = sorted(r.published for r in rows if r.published)
        found.update({"articles": len(rows), "copies": sum(1 for r in rows if r.duplicate_of),
                      "languages": sorted({r.language for r in rows if r.language}),
                      "first": dates[0] if dates else None, "last": dates[-1] if dates else None})
        out.append(found)
    out.sort(key=lambda p: (-p["articles"], p["outlet"].casefold()))
    return out


# ---------------------------------------------------------------- coverage


def _reports(rows: Sequence[_Row]) -> list[tuple[str, int]]:
    """(outlet of the original, copies folded into it) for each report: a copy whose original is in the
    story is no report of its own; one whose original is not counts once."""
    ids = {r.id: r for r in rows}
    copies: dict[str, int] = defaultdict(int)
    originals = []
    for r in rows:
        if r.duplicate_of and r.duplicate_of in ids and r.duplicate_of != r.id:
            copies[r.duplicate_of] += 1
        else:
            originals.append(r)
    return [(r.outlet or "", copies.get(r.id, 0)) for r in originals]


def _segments(reports: list[tuple[str, int]], key_of: dict[str, tuple[str, str]], total: int,
              order: Sequence[str] | None = None) -> list[dict]:
    """Reports counted by key (``key_of``: outlet -> (key, label)), most first (or in ``order``), unknown last."""
    counts: dict[str, dict] = {}
    for outlet, copies in reports:
        key, label = key_of[outlet]
        entry = counts.setdefault(key, {"key": key, "label": label, "articles": 0, "copies": 0, "outlets": {}})
        entry["articles"] += 1
        entry["copies"] += copies
        entry["outlets"][outlet] = entry["outlets"].get(outlet, 0) + 1
    if order is not None:
        ranked = [counts[k] for k in order if k in counts]
    else:
        ranked = sorted(counts.values(), key=lambda e: (e["key"] == "unknown", -e["articles"], e["label"].casefold()))
    for entry in ranked:
        entry["share"] = round(100.0 * entry["articles"] / total, 1) if total else 0.0
        entry["outlets"] = [o for o, _ in sorted(entry["outlets"].items(), key=lambda kv: (-kv[1], kv[0].casefold()))]
    return ranked


def coverage_of(rows: Sequence[_Row], directory: Directory | None = None) -> dict[str, Any]:
    """Reports (copies folded into their original) by outlet country and by ownership, with each outlet's profile."""
    urls: dict[str, list[str | None]] = defaultdict(list)
    for r in rows:
        urls[r.outlet or ""].append(r.url)
    profiles = {outlet: profile(outlet, found, directory) for outlet, found in urls.items()}
    reports = _reports(rows)
    total = len(reports)
    by_country = {o: (p["country_code"] or p["country"] or "unknown", p["country"] or "Unknown")
                  for o, p in profiles.items()}
    by_ownership = {o: (p["ownership"], OWNERSHIP_LABELS[p["ownership"]]) for o, p in profiles.items()}
    countries = _segments(reports, by_country, total)
    for i, entry in enumerate(countries):  # the unknown segment comes last: the others are 0, 1, 2, ...
        known = entry["key"] != "unknown"
        entry["colour"] = COUNTRY_COLOURS[i % len(COUNTRY_COLOURS)] if known else UNKNOWN_COLOUR
        entry["swatch"] = f"c{i % len(COUNTRY_COLOURS)}" if known else "unknown"
        entry["short"] = entry["key"] if known and len(entry["key"]) == 2 else entry["label"]  # "GB" on a narrow bar
    ownership = _segments(reports, by_ownership, total, OWNERSHIPS)
    for entry in ownership:
        entry["colour"], entry["swatch"] = OWNERSHIP_COLOURS[entry["key"]], entry["key"]
        entry["help"] = OWNERSHIP_HELP[entry["key"]]
    known = sum(1 for p in profiles.values() if p["ownership"] != "unknown")
    return {"articles": total, "copies": len(rows) - total, "outlets": len(profiles),
            "known_ownership": known, "known_share": round(100.0 * known / len(profiles), 1) if profiles else 0.0,
            "by_country": countries, "by_ownership": ownership,
            "profiles": sorted(profiles.values(), key=lambda p: p["outlet"].casefold())}


def coverage(store: Store, story: str, directory: Directory | None = None) -> dict[str, Any]:
    """A story's coverage by outlet country and by ownership (see ``coverage_of``)."""
    return coverage_of(queries.articles_metadata(store, story), directory)


def _text_colour(fill: str) -> str:
    return INK if fill == UNKNOWN_COLOUR else "#ffffff"


def bar_svg(segments: list[dict], title: str, width: float = 560.0) -> str:
    """One stacked bar: a segment per entry of ``segments`` (``label``, ``articles``, ``share``, ``colour``,
    ``outlets``; ``short``, a shorter label), its width the share, its label written on it where it fits (else
    the short label, else the count) and in its tooltip always."""
    total = sum(s["articles"] for s in segments)
    height = 30.0
    desc = "; ".join(f"{s['label']}: {s['articles']} ({s['share']}%)" for s in segments) or "No articles."
    svg = Svg(width, height, title, desc)
    if not total:
        svg.add("rect", x=0.0, y=0.0, width=width, height=height, fill=UNKNOWN_COLOUR)
        svg.add("text", "no articles", x=8.0, y=20.0, font_size=13, fill=INK)
        return svg.render("bar")
    x = 0.0
    for s in segments:
        w = width * s["articles"] / total
        plural = "" if s["articles"] == 1 else "s"
        tip = (f"{s['label']}: {s['articles']} article{plural} ({s['share']}%)"
               + (f", {s['copies']} cop{'y' if s['copies'] == 1 else 'ies'} folded in" if s.get("copies") else "")
               + (": " + ", ".join(s["outlets"]) if s.get("outlets") else ""))
        svg.add("rect", tooltip=tip, x=x, y=0.0, width=max(w - 1.5, 1.0), height=height, fill=s["colour"],
                class_="seg")
        for text in (f"{s['label']} {s['articles']}", f"{s.get('short') or s['label']} {s['articles']}",
                     str(s["articles"])):
            if 7.0 * len(text) + 10 <= w:
                svg.add("text", text, x=x + 6, y=20.0, font_size=13, fill=_text_colour(s["colour"]))
                break
        x += w
    return svg.render("bar")
