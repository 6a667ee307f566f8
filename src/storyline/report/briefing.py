"""The briefing an analyst reads: one story as Markdown or as one standalone HTML page.

What happened (the dated timeline, encounters first), who is involved, what
is contested, what rests on one source, and how the outlets differ, with
every line naming its sources.  ``briefing_data`` gathers everything into
plain dicts (also usable as JSON); the templates under ``templates/`` only lay
it out.  Article-derived text is escaped in both formats (Jinja autoescape in
HTML, ``md_text`` in Markdown); links are only made to http(s) URLs, and the
HTML page carries a Content-Security-Policy that allows no script at all.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup

from storyline.common.outlets import Directory
from storyline.errors import E, StorylineError
from storyline.read import queries
from storyline.read.records import ArticleRow, Claim, Conflict, Event, EventWithMentions, StoryWithArticles
from storyline.report import framing as framing_stage
from storyline.report import outlets as outlet_report
from storyline.report.charts import coverage_svg
from storyline.store import Store

ENCOUNTERS = ("meeting", "visit", "call")
TEMPLATES = Path(__file__).parent / "templates"


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) URL with a host, else None (no javascript:, data:, relative paths)."""
    if not url or not isinstance(url, str) or any(c.isspace() or ord(c) < 32 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


# ---------------------------------------------------------------- gathering


def _source(article_id: str, article: ArticleRow | None) -> dict:
    """How the briefing names a source; an article the store does not have is named by its id alone."""
    if article is None:
        return {"id": article_id, "outlet": "", "url": None, "published": None, "title": "", "language": "",
                "copy_of": None, "story": None}
    return {"id": article.id, "outlet": article.outlet or "", "url": safe_url(article.url),
            "published": article.published, "title": article.title or "", "language": article.language or "",
            "copy_of": article.duplicate_of, "story": article.story}


def _order(ids: set[str] | list[str] | dict[str, Any], sources: dict[str, dict]) -> list[str]:
    return sorted(set(ids), key=lambda i: ((sources.get(i) or {}).get("published") or "9999", i))


def _sources(store: Store, info: StoryWithArticles, events: list[EventWithMentions], claims: list[Claim],
             conflicts: list[Conflict]) -> dict[str, dict]:
    """Every article the briefing cites, by id, each with its number (``ref``) in date order."""
    referenced = {a.id for a in info.articles}
    referenced |= {m.article_id for e in events for m in e.mentions}
    referenced |= {a for c in claims for a in c.articles}
    referenced |= {a for k in conflicts for v in k.values for a in v.get("articles", [])}
    found = queries.articles_by_id(store, referenced)
    sources = {i: _source(i, found.get(i)) for i in referenced}
    for n, i in enumerate(_order(sources, sources), 1):
        sources[i]["ref"] = n  # Markdown reference-style link label
    return sources


def _event_row(event: EventWithMentions, sources: dict[str, dict]) -> dict:
    quotes, seen = [], set()
    for m in event.mentions:
        if m.article_id not in seen:
            seen.add(m.article_id)
            quotes.append({"article": m.article_id, "text": (m.text or "").strip()})
    return {"id": event.id, "ids": [event.id], "date": event.date, "type": event.type,
            "types": [event.type], "status": event.status,
            "place": event.place, "participants": event.participants, "parties": event.parties,
            "summary": event.summary, "independent_sources": event.independent_sources,
            "confidence": event.confidence, "low_confidence": event.low_confidence,
            "sources": _order([m.article_id for m in event.mentions], sources), "quotes": quotes}


def _merge_same_sentence(rows: list[dict]) -> list[dict]:
    """One row for a sentence read as several kinds of event (a statement that is also an agreement)."""
    merged: dict[tuple, dict] = {}
    for row in rows:
        key = (row["date"], row["summary"], tuple(row["sources"]))
        if key in merged:
            kept = merged[key]
            kept["types"] = kept["types"] + [row["type"]] if row["type"] not in kept["types"] else kept["types"]
            kept["ids"].append(row["id"])
            kept["independent_sources"] = max(kept["independent_sources"], row["independent_sources"])
            kept["confidence"] = max(kept["confidence"], row["confidence"])
            kept["low_confidence"] = kept["low_confidence"] and row["low_confidence"]
        else:
            merged[key] = row | {"types": [row["type"]], "ids": [row["id"]]}
    return list(merged.values())


def _folded_mentions(found: Counter[str], sources: dict[str, dict]) -> int:
    """Mentions with syndicated copies folded: a copy's mentions do not add to its original's."""
    per_original: dict[str, int] = {}
    for article, n in found.items():
        original = (sources.get(article) or {}).get("copy_of") or article
        per_original[original] = max(per_original.get(original, 0), n)
    return sum(per_original.values())


def _people(store: Store, story: str, sources: dict[str, dict], events: list[dict],
            limit: int = 25) -> tuple[list, list]:
    mentions = queries.mention_counts(store, story)
    outlet_names = [(s.get("outlet") or "").casefold() for s in sources.values()]
    in_story = set(sources)
    involved = Counter(p for e in events for p in e["participants"])
    people, others = [], []
    for entity in queries.entities(store, story=story):
        found = mentions.get(entity.id)
        if not found or any(entity.name.casefold() in name for name in outlet_names if name):
            continue  # an outlet naming itself ("told Harbour Wire") is not an actor of the story
        roles: dict[str, list[str]] = {}
        for role in entity.roles:
            if role.get("article") in in_story and role.get("role"):
                roles.setdefault(role["role"], []).append(role["article"])
        row = {"id": entity.id, "name": entity.name, "type": entity.type,
               "aliases": [a for a in entity.aliases if a != entity.name][:6],
               "roles": [{"role": r, "articles": _order(a, sources)}
                         for r, a in sorted(roles.items(), key=lambda kv: (-len(kv[1]), len(kv[0])))][:3],
               "side": entity.affiliation, "side_inferred": bool(entity.affiliation_inferred),
               "mentions": _folded_mentions(found, sources), "articles": _order(found, sources),
               "outlets": len({sources[a]["outlet"] for a in found if a in sources}),
               "events": involved.get(entity.name, 0)}
        (people if entity.type == "PERSON" else others).append(row)
    key = lambda r: (-r["outlets"], -r["mentions"], r["name"])  # noqa: E731
    return sorted(people, key=key)[:limit], sorted(others, key=key)[:12]


def _claim_sentences(claims: list[Claim], subject: str | None, attribute: str | None, value: str) -> list[dict]:
    out, seen = [], set()
    for claim in claims:
        if claim.subject == subject and claim.attribute == attribute and claim.value == value:
            for s in claim.sentences:
                if s.get("article") not in seen:
                    seen.add(s.get("article"))
                    out.append({"article": s.get("article"), "text": (s.get("text") or "").strip()})
    return out[:3]


def _event_label(event: Event | None) -> str:
    if event is None:
        return "the story"
    where = f" in {event.place}" if event.place else ""
    return f"{event.type}{where}, {event.date or 'undated'}"


def _contested(conflicts: list[Conflict], claims: list[Claim], sources: dict[str, dict],
               events: dict[str, EventWithMentions]) -> list[dict]:
    """Each conflict with its values, and for each value the articles, outlets and sentences stating it."""
    contested = []
    for conflict in conflicts:
        values = []
        for v in conflict.values:
            ids = _order(v.get("articles", []), sources)
            values.append({"value": v.get("value"), "articles": ids,
                           "outlets": sorted({sources[a]["outlet"] for a in ids}),
                           "sentences": _claim_sentences(claims, conflict.subject, conflict.attribute,
                                                         v.get("value"))})
        contested.append({"id": conflict.id, "topic": conflict.topic, "note": conflict.note or "",
                          "subject": _event_label(events.get(conflict.subject or "")),
                          "values": values})
    return contested


def _changed(claims: list[Claim], sources: dict[str, dict], events: dict[str, EventWithMentions]) -> list[dict]:
    """The facts whose value changed over time: each value in the order it was first reported."""
    changed_keys = {(c.subject, c.attribute) for c in claims if c.status == "superseded"}
    changed = []
    for subject, attribute in sorted(changed_keys):
        steps = []
        for c in claims:
            if (c.subject, c.attribute) == (subject, attribute):
                ids = _order(c.articles, sources)
                first = next((sources[a]["published"] for a in ids if sources[a]["published"]), None)
                steps.append({"value": c.value, "status": c.status, "first_seen": first, "articles": ids,
                              "sentences": _claim_sentences(claims, subject, attribute, c.value)})
        steps.sort(key=lambda s: s["first_seen"] or "9999")
        changed.append({"subject": _event_label(events.get(subject)), "attribute": attribute, "steps": steps})
    return changed


def _single_sourced(claims: list[Claim], sources: dict[str, dict],
                    events: dict[str, EventWithMentions]) -> tuple[list[dict], int]:
    """The single-sourced facts about dated events and the story, and how many about undated ones are left out."""
    single, unlisted = [], 0
    for c in claims:
        if c.status != "single_source":
            continue
        event = events.get(c.subject)
        if event is None and not c.subject.startswith("story:") or event is not None and not event.date:
            unlisted += 1  # facts about undated mentions are too thin to list one by one
            continue
        single.append({"subject": _event_label(event), "date": event.date if event else None,
                       "attribute": c.attribute, "value": c.value, "articles": _order(c.articles, sources),
                       "sentence": next((s.get("text", "").strip() for s in c.sentences), "")})
    single.sort(key=lambda s: (s["date"] or "9999", s["subject"], s["attribute"], s["value"]))
    return single, unlisted


def _story_header(info: StoryWithArticles, outlets: int) -> dict:
    return {"id": info.id, "title": info.title, "first_seen": info.first_seen, "last_seen": info.last_seen,
            "size": info.size, "updated_at": info.updated_at,
            "languages": sorted({a.language for a in info.articles if a.language}),
            "outlets": outlets, "copies": sum(1 for a in info.articles if a.duplicate_of)}


def briefing_data(store: Store, story: str, *, profiles: Directory | None = None,
                  lexicon: dict[str, dict] | None = None) -> dict[str, Any]:
    """Everything the briefing shows, as plain data (ids, values, sources), with the chart as SVG markup."""
    info = queries.get_story(store, story)
    all_events = queries.timeline(store, story=story, dated_only=False)
    claims = queries.claims(store, story=story)
    conflicts = queries.conflicts(store, story=story, revisions=False)  # revisions are listed as "changed"
    sources = _sources(store, info, all_events, claims, conflicts)
    dated = [_event_row(e, sources) for e in all_events if e.date]
    events_by_id = {e.id: e for e in all_events}
    people, others = _people(store, story, sources, dated)
    single, unlisted = _single_sourced(claims, sources, events_by_id)
    framed = framing_stage.framing(store, story, profiles=profiles, lexicon=lexicon)
    story_articles = [sources[a.id] | {"duplicate_of": a.duplicate_of} for a in info.articles]
    return {
        "story": _story_header(info, len(framed["profiles"])),
        "sources": sources,
        "articles": [a.id for a in info.articles],
        "encounters": [e for e in dated if e["type"] in ENCOUNTERS],
        "statements": _merge_same_sentence([e for e in dated if e["type"] not in ENCOUNTERS]),
        "undated_events": len(all_events) - len(dated),
        "people": people, "others": others,
        "contested": _contested(conflicts, claims, sources, events_by_id),
        "changed": _changed(claims, sources, events_by_id),
        "single": single, "single_unlisted": unlisted,
        "framing": framed,
        "chart": coverage_svg(story_articles, f"Coverage of story {info.id}: articles per outlet per day"),
        **_coverage(store, story, profiles),
    }


def _coverage(store: Store, story: str, directory: Directory | None) -> dict[str, Any]:
    """The coverage section: articles by outlet country and by ownership (copies folded), and their bars."""
    covered = outlet_report.coverage(store, story, directory)
    bars = {"country": outlet_report.bar_svg(covered["by_country"], "Articles by the outlet's country"),
            "ownership": outlet_report.bar_svg(covered["by_ownership"], "Articles by the outlet's ownership")}
    return {"coverage": covered, "coverage_bars": bars}


# ---------------------------------------------------------------- rendering

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_text(value: Any) -> str:
    """Article text made inert in Markdown: no HTML, no emphasis, links or table breaks; one line."""
    text = " ".join(str(value if value is not None else "").split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_url(url: str) -> str:
    return quote(url, safe=":/?#[]@!$&'*+,;=%-._~").replace("(", "%28").replace(")", "%29")


def _grouped(ids: list[str], sources: dict[str, dict]) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {}
    for i in ids:
        s = sources.get(i) or {"id": i, "outlet": "", "url": None, "copy_of": None}
        groups.setdefault(s["outlet"] or "?", []).append(s)
    return list(groups.items())


def _md_sources(ids: list[str], sources: dict[str, dict]) -> str:
    if not ids:
        return "—"
    parts = []
    for outlet, items in _grouped(ids, sources):
        refs = []
        for s in items:
            ref = f"[{md_text(s['id'])}][{s['ref']}]" if s["url"] else md_text(s["id"])
            refs.append(ref + (f" (copy of {md_text(s['copy_of'])})" if s.get("copy_of") else ""))
        parts.append(f"{md_text(outlet)} {', '.join(refs)}")
    return "; ".join(parts)


def _html_sources(ids: list[str], sources: dict[str, dict], fold: int = 10) -> Markup:
    if not ids:
        return Markup("—")
    if len(ids) > fold:  # long lists fold away, so a table stays readable
        outlets = len({(sources.get(i) or {}).get("outlet") for i in ids})
        return Markup('<details class="more"><summary>{} articles from {} outlets</summary>{}</details>').format(
            len(ids), outlets, _html_sources(ids, sources, fold=len(ids)))
    parts = []
    for outlet, items in _grouped(ids, sources):
        refs = []
        for s in items:
            tip = " · ".join(x for x in (s.get("published") or "", s.get("title") or "") if x)
            if s["url"]:
                ref = Markup('<a href="{}" title="{}" rel="noopener noreferrer nofollow">{}</a>').format(
                    s["url"], tip, s["id"])
            else:
                ref = Markup('<span class="ref" title="{}">{}</span>').format(tip, s["id"])
            if s.get("copy_of"):
                ref += Markup(' <span class="copy">(copy of {})</span>').format(s["copy_of"])
            refs.append(ref)
        parts.append(Markup('<span class="src"><span class="outlet">{}</span> {}</span>').format(
            outlet, Markup(", ").join(refs)))
    return Markup("; ").join(parts)


def _environment(kind: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=kind == "html",
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["md"] = md_text
    env.filters["mdurl"] = md_url
    return env


def render_markdown(data: dict, chart_file: str | None = None) -> str:
    """The briefing as Markdown; ``chart_file`` is the coverage SVG's path relative to the Markdown file."""
    template = _environment("md").get_template("briefing.md.j2")
    return template.render(d=data, f=data["framing"], chart_file=chart_file,
                           src=lambda ids: _md_sources(ids, data["sources"]))


def render_html(data: dict) -> str:
    """The briefing as one standalone HTML page: CSS and the chart inline, no external resources."""
    template = _environment("html").get_template("briefing.html.j2")
    return template.render(d=data, f=data["framing"], chart=Markup(data["chart"]),
                           bars={k: Markup(v) for k, v in data["coverage_bars"].items()},
                           src=lambda ids: _html_sources(ids, data["sources"]))


def write_briefing(store: Store, story: str, out: str | Path, *, profiles: Directory | None = None,
                   lexicon: dict[str, dict] | None = None) -> list[Path]:
    """Write ``out`` (.md with the chart as ``<name>-coverage.svg`` beside it, or .html); returns the files."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".md", ".markdown", ".html", ".htm"):
        raise StorylineError(E.BAD_SETTING, str(out), "the briefing is written as .md or .html")
    data = briefing_data(store, story, profiles=profiles, lexicon=lexicon)
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix in (".html", ".htm"):
        _write(out, render_html(data))
        return [out]
    chart = out.with_name(f"{out.stem}-coverage.svg")
    _write(chart, data["chart"])
    _write(out, render_markdown(data, chart.name))
    return [out, chart]


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
