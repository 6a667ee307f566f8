"""The web app in-process (httpx.ASGITransport, no socket): every page as HTML and JSON, errors, paging, filters,
the OpenAPI document, and a corpus of hostile articles that must render harmlessly."""
from __future__ import annotations

import asyncio
import re
from urllib.parse import quote, urlencode

import httpx
import pytest
from fastapi.routing import APIRoute
from markupsafe import escape
from typer.testing import CliRunner

from storyline.cli import app as cli_app
from storyline.store import Store
from storyline.web import render
from storyline.web.app import create_app
from storyline.web.views import router
from web_helpers import X, add_early_event, build_demo_store, build_hostile_store, build_outlets_store, unsafe_markup

HTML = {"accept": "text/html,application/xhtml+xml"}


class Client:
    """A synchronous face on an in-process ASGI client."""

    def __init__(self, db: str, outlets=None):
        self.app = create_app(db, outlets)
        self.loop = asyncio.new_event_loop()
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://storyline.test")

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.loop.run_until_complete(self.client.get(path, **kwargs))

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        return self.loop.run_until_complete(self.client.request(method, path, **kwargs))

    def json(self, path: str, status: int = 200) -> dict:
        response = self.get(path)
        assert response.status_code == status, (path, response.status_code, response.text[:500])
        assert response.headers["content-type"].startswith("application/json")
        return response.json()

    def html(self, path: str, status: int = 200) -> str:
        response = self.get(path, headers=HTML)
        assert response.status_code == status, (path, response.status_code, response.text[:500])
        assert response.headers["content-type"].startswith("text/html")
        return response.text

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.app.state.store.close()
        self.loop.close()


@pytest.fixture(scope="module")
def web(new_db):
    client = Client(build_demo_store(new_db("web")))
    yield client
    client.close()


@pytest.fixture(scope="module")
def hostile(new_db):
    client = Client(build_hostile_store(new_db("hostile")))
    yield client
    client.close()


@pytest.fixture(scope="module")
def ids(web):
    """Real ids from the demo store: the main story, an event with sources, people."""
    story = web.json("/stories.json")["items"][0]
    events = web.json(f"/events.json?story={story['id']}&type=meeting")["items"]
    people = {e["name"]: e["id"] for e in web.json("/entities.json?type=PERSON&limit=100")["items"]}
    return {"story": story["id"], "event": max(events, key=lambda e: e["independent_sources"])["id"],
            "ebbing": people["Tomas Ebbing"], "dunca": people["Mirela Dunca"]}


# ------------------------------------------------------------------ every page, both ways
def pages(ids: dict) -> list[str]:
    story, event, person = ids["story"], ids["event"], ids["ebbing"]
    return ["/stories", f"/stories/{story}", f"/stories/{story}/new?since=2000-01-01", "/events",
            f"/events?story={story}&type=meeting", f"/events/{event}", "/entities", "/entities?type=PERSON",
            f"/entities/{person}", "/articles", f"/articles?story={story}", "/articles/d01", "/articles/d06",
            "/outlets", f"/outlets/{quote('Harbour Wire')}", "/search?q=Saltmere+talks", "/claims",
            f"/claims?story={story}&status=contested", "/conflicts", f"/conflicts?story={story}", "/api"]


def json_path(path: str) -> str:
    base, _, query = path.partition("?")
    return f"{base}.json" + (f"?{query}" if query else "")


def documented_model(path: str):
    """The response model /openapi.json gives for the route serving ``path``."""
    for route in router.routes:
        if isinstance(route, APIRoute) and route.path_regex.match(path):
            return route.response_model
    raise AssertionError(f"no API route for {path}")


def test_every_page_serves_html_and_json(web, ids):
    for path in pages(ids):
        html = web.html(path)
        assert "<main" in html and 'class="json-link"' in html
        assert json_path(path).split("?")[0] in html  # the page links its JSON twin
        body = web.json(json_path(path))
        documented_model(json_path(path).split("?")[0]).model_validate(body)  # the API is as documented


def test_index_is_the_story_list_and_static_files(web):
    response = web.get("/")
    assert response.status_code == 200 and "Stories" in response.text
    assert web.request("HEAD", "/").status_code == 200
    css = web.get("/static/style.css")
    assert css.status_code == 200 and "overflow-wrap: anywhere" in css.text
    assert web.get("/static/app.js").status_code == 200
    assert "JSON API" in web.html("/api")


def test_head_is_answered_wherever_get_is(web, ids):
    """HEAD: the GET answer's status and headers, no body (it was 405 everywhere)."""
    paths = pages(ids) + [json_path(p) for p in pages(ids) if p != "/api"]
    paths += ["/api.json", "/openapi.json", "/static/style.css", "/static/app.js", "/static/favicon.svg", "/problems"]
    for path in paths:
        get, head = web.get(path, headers=HTML), web.request("HEAD", path, headers=HTML)
        assert head.status_code == get.status_code == 200, (path, head.status_code)
        assert head.content == b"", path
        assert head.headers["content-type"] == get.headers["content-type"], path
        assert head.headers["content-security-policy"] == get.headers["content-security-policy"]
    index = web.request("HEAD", "/")
    assert index.status_code == 200 and index.content == b""  # the home page is the story list
    missing = web.request("HEAD", "/stories/nope.json")
    assert missing.status_code == 404 and missing.content == b""
    assert web.request("POST", "/stories.json").status_code == 405  # still read-only


def test_api_json_is_the_api_page_as_json(web):
    body = web.json("/api.json")
    documented_model("/api.json").model_validate(body)
    assert body["openapi"] == "/openapi.json" and body["title"] == "storyline"
    paths = [r["path"] for r in body["routes"]]
    assert {"/stories.json", "/events.json", "/search.json", "/claims.json", "/api.json"} <= set(paths)
    events = next(r for r in body["routes"] if r["path"] == "/events.json")
    assert events["method"] == "GET" and events["summary"] and "limit" in {p["name"] for p in events["parameters"]}
    html = web.html("/api")
    for path in paths:  # the page lists the same routes
        assert f"<code>{path}</code>" in html
    assert 'href="/api.json" class="json-link"' in html


def test_story_list_has_freshness_and_counts(web):
    body = web.json("/stories.json")
    assert body["total"] >= 2 and body["limit"] == 50 and body["offset"] == 0  # the talks, the ferry strike
    first = body["items"][0]
    assert first["size"] >= 11 and first["events"] > 0 and first["last_seen"] == "2014-03-15"
    html = web.html("/stories")
    assert "2014-03-15" in html and "Last seen" in html


def test_story_page_has_timeline_people_and_sources(web, ids):
    body = web.json(f"/stories/{ids['story']}.json")
    assert body["id"] == ids["story"] and body["size"] >= 11
    assert {s["outlet"] for s in body["sources"]} >= {"Harbour Wire", "Harbour Times"}
    assert "Tomas Ebbing" in {p["name"] for p in body["people"]}
    assert body["timeline"]["total"] >= len(body["timeline"]["items"]) > 0
    assert body["articles"]["total"] == body["size"]
    html = web.html(f"/stories/{ids['story']}")
    assert '<svg class="tl"' in html and 'class="mk t-meeting st-happened"' in html
    assert html.count("<circle") >= body["timeline"]["total"]  # one marker per dated event (+ legend)


def test_timeline_markers_differ_by_status_and_size():
    events = [{"id": "a", "type": "meeting", "first": "2014-03-03", "last": "2014-03-03", "status": "happened",
               "independent_sources": 1},
              {"id": "b", "type": "meeting", "first": "2014-03-20", "last": "2014-03-20", "status": "scheduled",
               "independent_sources": 5},
              {"id": "c", "type": "call", "first": "2014-03-04", "last": "2014-03-06", "status": "cancelled",
               "independent_sources": 0}]
    chart = render.timeline_layout(events)
    markers = {m["id"]: m for m in chart["markers"]}
    assert markers["b"]["r"] > markers["a"]["r"] > markers["c"]["r"]
    assert {m["status"] for m in markers.values()} == {"happened", "scheduled", "cancelled"}
    assert markers["c"]["x2"] > markers["c"]["x"]  # a span is drawn as a span
    assert markers["a"]["x"] < markers["b"]["x"] and len(chart["lanes"]) == 2
    assert render.timeline_layout([{"id": "u", "type": "call", "first": None, "last": None}]) is None


def _events(days: list[str], kind: str = "meeting") -> list[dict]:
    return [{"id": f"v{i}", "type": kind, "first": d, "last": d, "status": "happened", "independent_sources": 2,
             "summary": f"event {i}"} for i, d in enumerate(days)]


def test_timeline_axis_focuses_on_the_active_period():
    bulk = [f"2014-03-{d:02d}" for d in range(1, 21)]
    chart = render.timeline_layout(_events(["2013-08-14"] + bulk))
    early = chart["earlier"]
    assert early["count"] == 1 and early["label"] == "1 event" and str(early["to"]) == "2013-08-14"
    assert "event 0" in early["title"] and "2013-08-14" in early["title"]
    xs = [m["x"] for m in chart["markers"]]
    assert len(xs) == 20 and "v0" not in {m["id"] for m in chart["markers"]}  # folded, not drawn on the axis
    assert (max(xs) - min(xs)) / (chart["right"] - chart["left"]) > 0.85  # the bulk fills the axis
    assert chart["count"] == 21 and str(chart["from"]) == "2013-08-14" and str(chart["active_from"]) == "2014-03-01"
    assert chart["ticks"][0]["x"] >= chart["left"] and early["x"] + early["width"] < chart["left"]
    # several early events fold together; steady coverage, a short story or a short gap fold nothing
    chart = render.timeline_layout(_events(["2013-06-01", "2013-08-14"] + bulk))
    assert chart["earlier"]["count"] == 2 and len(chart["markers"]) == 20
    assert render.timeline_layout(_events([f"2014-{m:02d}-01" for m in range(1, 13)]))["earlier"] is None
    assert render.timeline_layout(_events(["2013-08-14", "2014-03-01"]))["earlier"] is None
    assert render.timeline_layout(_events(["2014-02-20"] + bulk))["earlier"] is None


@pytest.fixture(scope="module")
def early(new_db):
    """The hostile store with one event 200 days before the rest of its story, its summary hostile too."""
    location = build_hostile_store(new_db("early"))
    story, event = add_early_event(location, f"Background meeting {X}")
    client = Client(location)
    yield client, story, event
    client.close()
    new_db.drop(location)


def test_story_chart_folds_an_event_long_before_the_rest(early):
    client, story, event = early
    body = client.json(f"/stories/{story}.json")
    assert event in {e["id"] for e in body["timeline"]["items"]}  # listed in the table as ever
    html = client.html(f"/stories/{story}")
    chart = html[html.index('<svg class="tl"'):html.index("</svg>", html.index('<svg class="tl"'))]
    assert '<a class="earlier"' in chart and "earlier: </tspan>" in chart and ">1 event</tspan>" in chart
    assert f'data-event="{event}"' not in chart  # folded, not a marker stretching the axis
    assert "Background meeting &lt;script&gt;" in chart and unsafe_markup(html) == []  # the tooltip names it, escaped
    day = re.search(r'<a class="earlier" href="([^"]+)"', chart).group(1)
    assert day.startswith(f"/stories/{story}?") and "date_to=2013-" in day
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', chart)]
    left, right = (float(v) for v in re.search(r'<line class="axis" x1="([\d.]+)" x2="([\d.]+)"', chart).groups())
    assert (max(xs) - min(xs)) / (right - left) > 0.8  # the active period fills the axis
    assert "folded into “earlier” at the left" in html
    filtered = client.html(day.replace("&amp;", "&"))  # the marker's link: the earlier events alone
    assert f'data-event="{event}"' in filtered and '<a class="earlier"' not in filtered


def test_event_page_lists_every_sentence_and_claims(web, ids):
    body = web.json(f"/events/{ids['event']}.json")
    assert body["id"] == ids["event"] and body["independent_sources"] >= 2
    assert len(body["mentions"]) >= 2 and all(m["outlet"] and m["text"] for m in body["mentions"])
    assert body["claims"] and all(c["subject"] == ids["event"] for c in body["claims"])
    html = web.html(f"/events/{ids['event']}")
    for mention in body["mentions"]:
        assert f'/articles/{mention["article_id"]}#s{mention["sentence"]}' in html
    assert "Independent sources" in html


def test_entity_page_roles_affiliation_mentions_events(web, ids):
    body = web.json(f"/entities/{ids['dunca']}.json")
    assert body["name"] == "Mirela Dunca" and "Mirela Dunka" in body["aliases"]
    assert body["roles"] and all(r["article"] for r in body["roles"])
    assert body["mentions"] and body["mentions"][0]["match"]
    assert body["events"]
    html = web.html(f"/entities/{ids['dunca']}")
    assert "<mark>" in html and "Roles" in html and "Side" in html
    assert f'href="/articles/{body["roles"][0]["article"]}"' in html


def test_article_highlights_mentions_and_event_sentences(web):
    body = web.json("/articles/d01.json")
    assert body["mentions"] and body["events"]
    for m in body["mentions"]:
        assert body["text"][m["start"]:m["end"]] == m["text"]
    assert "original" not in body and "source" not in body  # no server paths, no bulky copies
    html = web.html("/articles/d01")
    assert html.count('class="m t-') >= len({(m["start"], m["end"]) for m in body["mentions"]}) - 2
    assert 'class="ev"' in html
    assert 'href="https://www.harbourwire.example/' in html


def test_outlets(web):
    body = web.json("/outlets.json")
    assert body["total"] == 5 and sum(o["articles"] for o in body["items"]) == 16
    one = web.json(f"/outlets/{quote('Harbour Wire')}.json")
    assert one["outlet"] == "Harbour Wire" and one["items"]["total"] == 4
    assert all(a["outlet"] == "Harbour Wire" for a in one["items"]["items"])
    web.json(f"/outlets/{quote('No Such Outlet')}.json", status=404)
    # the demo's outlets are fictional: the directory does not know them, and nothing is guessed
    assert {(o["country"], o["ownership"], o["group"]) for o in body["items"]} == {(None, "unknown", None)}
    assert one["ownership"] == "unknown"


@pytest.fixture(scope="module")
def outlets_web(new_db):
    client = Client(build_outlets_store(new_db("outlets")))
    yield client
    client.close()


def test_outlets_carry_country_ownership_and_group(outlets_web):
    body = outlets_web.json("/outlets.json")
    documented_model("/outlets.json").model_validate(body)
    items = {o["outlet"]: o for o in body["items"]}
    rt = items["RT"]
    assert (rt["country"], rt["country_code"], rt["ownership"], rt["group"]) == ("Russia", "RU", "state", "TV-Novosti")
    sputnik = items["Sputnik Brasil"]  # on a .br domain, and Russian state media all the same
    assert (sputnik["country_code"], sputnik["ownership"], sputnik["state_affiliated"]) == ("RU", "state", True)
    assert (items["BBC News"]["ownership"], items["Reuters"]["ownership"]) == ("public", "private")
    assert (items["Harbour Wire"]["country"], items["Harbour Wire"]["ownership"]) == (None, "unknown")
    html = outlets_web.html("/outlets")
    assert "TV-Novosti" in html and 'class="badge own-state">state<' in html and "Evil &lt;script&gt;" in html
    assert unsafe_markup(html) == []
    one = outlets_web.json(f"/outlets/{quote('Sputnik Brasil')}.json")
    assert (one["ownership"], one["listed_as"], one["group"]) == ("state", "Sputnik Brasil", "Rossiya Segodnya")
    assert "Rossiya Segodnya" in outlets_web.html(f"/outlets/{quote('Sputnik Brasil')}")


def test_story_page_shows_coverage_by_country_and_ownership(outlets_web):
    body = outlets_web.json("/stories/talks.json")
    documented_model("/stories/talks.json").model_validate(body)
    coverage = body["coverage"]
    # eleven articles from nine outlets, Harbour Wire's copy of Reuters folded into its original
    assert (coverage["articles"], coverage["copies"], coverage["outlets"], coverage["known_ownership"]) == (
        10, 1, 9, 7)
    assert [(s["key"], s["articles"], s["share"]) for s in coverage["by_ownership"]] == [
        ("state", 4, 40.0), ("public", 2, 20.0), ("private", 2, 20.0), ("unknown", 2, 20.0)]
    private = coverage["by_ownership"][2]
    assert private["copies"] == 1 and private["outlets"] == ["Reuters", "The Kyiv Independent"]
    assert [(s["label"], s["articles"]) for s in coverage["by_country"]] == [
        ("Russia", 4), ("Ukraine", 2), ("United Kingdom", 2), ("Unknown", 2)]
    html = outlets_web.html("/stories/talks")
    assert unsafe_markup(html) == []
    section = html[html.index('id="coverage-h"'):html.index("<h2>Timeline")]
    assert section.count('<svg xmlns="http://www.w3.org/2000/svg" class="bar"') == 2
    # every segment is named in text, on the bar and in the legend: colour is never the only cue
    assert ">State-owned 4</text>" in section and "<b>State-owned</b> 4 (40.0%)" in section
    assert "<b>Russia</b> 4 (40.0%)" in section and "1 copy folded in" in section
    assert "Evil &lt;script&gt;" in section and "<script>alert" not in section


def test_a_users_outlet_file_extends_the_directory(new_db, tmp_path):
    path = tmp_path / "outlets.yaml"
    path.write_text("outlets:\n  - name: Harbour Wire\n    country: GB\n    ownership: private\n"
                    "    group: Harbour Media\n    domains: [harbourwire.example]\n", encoding="utf-8")
    client = Client(build_outlets_store(new_db("outlets-user")), outlets=path)
    try:
        wire = {o["outlet"]: o for o in client.json("/outlets.json")["items"]}["Harbour Wire"]
        assert (wire["country_code"], wire["ownership"], wire["group"]) == ("GB", "private", "Harbour Media")
        coverage = client.json("/stories/talks.json")["coverage"]
        assert coverage["known_ownership"] == 8 and coverage["by_ownership"][2]["articles"] == 3
    finally:
        client.close()


def test_search_marks_matches_safely(web):
    body = web.json("/search.json?q=Saltmere")
    assert body["total"] >= len(body["items"]) > 0 and body["q"] == "Saltmere"
    for hit in body["items"]:
        assert "\x02" not in hit["snippet"] and "\x03" not in hit["snippet"]
        for start, end in hit["highlights"]:
            assert hit["snippet"][start:end].lower() == "saltmere"
    html = web.html("/search?q=Saltmere")
    assert "<mark>Saltmere</mark>" in html and "\x02" not in html
    assert web.json("/search.json?q=")["total"] == 0
    assert web.json("/search.json?q=%2A%2C%3B-")["items"] == []  # punctuation only: nothing to find, no error
    paged = web.json("/search.json?q=Saltmere&limit=2&offset=2")
    assert paged["total"] == body["total"] and len(paged["items"]) <= 2


def test_search_query_syntax(web):
    def ids(q: str) -> set[str]:
        body = web.json("/search.json?" + urlencode({"q": q, "limit": 100}))
        assert body["total"] == len(body["items"]), q
        return {h["id"] for h in body["items"]}

    saltmere, norrholm = ids("Saltmere"), ids("Norrholm")
    assert saltmere and norrholm and saltmere != norrholm
    assert ids("Saltmere OR Norrholm") == saltmere | norrholm  # OR is an operator, not a word to find
    assert ids("Saltmere AND Norrholm") == ids("Saltmere Norrholm") == saltmere & norrholm
    assert ids("Saltmere NOT Norrholm") == saltmere - norrholm
    assert ids("negotiat*") and ids("negotiat*") >= ids("negotiators")
    phrase = web.json("/search.json?" + urlencode({"q": '"ferry crews"'}))
    assert phrase["total"] >= 1
    for hit in phrase["items"]:  # FTS5 marks the phrase as one run, PostgreSQL each of its words
        marked = {w for a, b in hit["highlights"] for w in hit["snippet"][a:b].lower().split()}
        assert marked == {"ferry", "crews"} and "ferry crews" in hit["snippet"].lower()
    prefixed = web.json("/search.json?q=negotiat*")["items"][0]
    assert all(prefixed["snippet"][a:b].lower().startswith("negotiat") for a, b in prefixed["highlights"])
    assert prefixed["highlights"]


@pytest.mark.parametrize(("q", "reason"), [("Saltmere OR", "OR needs a term after it"),
                                           ('"peace talks', 'a quote (") is not closed'),
                                           ("NOT Norrholm", "NOT needs a term before it"),
                                           ("(Saltmere OR Norrholm", "a parenthesis is not closed")])
def test_a_malformed_search_is_a_clear_400(web, q, reason):
    body = web.json("/search.json?" + urlencode({"q": q}), status=400)
    assert body["error"]["code"] == "S026" and reason in body["error"]["message"]
    assert "\n" not in body["error"]["message"]
    html = web.html("/search?" + urlencode({"q": q}), status=400)
    assert "search-error" in html and escape(reason) in html and "Traceback" not in html
    assert f'value="{escape(q)}"' in html  # the query stays in the box, to be fixed


def test_changes_since(web, ids):
    body = web.json(f"/stories/{ids['story']}/new.json?since=2000-01-01")
    assert body["total"] > 0 and body["story"] == ids["story"]
    assert {c["kind"] for c in body["items"]} & {"event_added", "entity_added"}
    assert web.json(f"/stories/{ids['story']}/new.json?since=2999-01-01T00:00:00Z")["total"] == 0
    assert web.json(f"/stories/{ids['story']}/new.json")["since"]  # default: a week ago
    web.json(f"/stories/{ids['story']}/new.json?since=yesterday", status=400)
    web.json("/stories/nope/new.json", status=404)


def test_claims_and_conflicts_side_by_side(web, ids):
    claims = web.json(f"/claims.json?story={ids['story']}")
    assert claims["total"] > 0
    contested = web.json("/claims.json?status=contested")
    assert all(c["status"] == "contested" for c in contested["items"])
    conflicts = web.json("/conflicts.json")
    assert conflicts["total"] >= 1
    sides = conflicts["items"][0]["values"]
    assert len(sides) >= 2 and all(side["sources"] for side in sides)
    assert any(s["sentences"] for side in sides for s in side["sources"])
    html = web.html("/conflicts")
    assert html.count('class="side-col"') >= 2


def test_claims_name_their_subjects(web):
    body = web.json("/claims.json?limit=500")
    documented_model("/claims.json").model_validate(body)
    entity_id = re.compile(r"^e[0-9a-f]{10}$")
    kinds = {c["subject_type"] for c in body["items"]}
    assert {"event", "entity", "story"} <= kinds
    names = {e["id"]: e["name"] for e in web.json("/entities.json?limit=500")["items"]}
    for claim in body["items"]:
        assert not entity_id.match(claim["subject"]), claim  # a name, never an id
        if claim["subject_type"] == "entity":
            assert entity_id.match(claim["subject_id"]) and claim["subject"] == names[claim["subject_id"]]
        if claim["subject_type"] == "story":
            assert claim["subject_id"].startswith("story:") and not claim["subject"].startswith("story:")
    quoted = [c for c in body["items"] if c["subject_type"] == "entity"]
    html = web.html("/claims?limit=500")
    text = re.sub(r"<[^>]+>", " ", html)
    for claim in quoted:
        assert claim["subject_id"] not in text  # only in links
        assert f'<a href="/entities/{claim["subject_id"]}">{escape(claim["subject"])}</a>' in html
    filtered = web.json(f"/claims.json?subject={quoted[0]['subject_id']}")
    assert filtered["total"] >= 1 and {c["subject_id"] for c in filtered["items"]} == {quoted[0]["subject_id"]}


# ------------------------------------------------------------------ filters and paging
def test_timeline_filters(web, ids):
    story = ids["story"]
    everything = web.json(f"/events.json?story={story}&limit=500")
    meetings = web.json(f"/events.json?story={story}&type=meeting&limit=500")
    assert 0 < meetings["total"] < everything["total"]
    assert all(e["type"] == "meeting" for e in meetings["items"])
    ranged = web.json(f"/events.json?story={story}&date_from=2014-03-05&date_to=2014-03-10")
    assert ranged["items"] and all("2014-03-05" <= e["first"] <= "2014-03-10" for e in ranged["items"])
    assert ranged["filters"]["date_from"] == "2014-03-05"
    person = web.json(f"/events.json?entity={ids['ebbing']}")
    assert person["items"] and all(ids["ebbing"] in e["participant_ids"] for e in person["items"])
    outlet = web.json(f"/events.json?outlet={quote('Evening Ledger')}")
    assert outlet["items"] and all(any(m["outlet"] == "Evening Ledger" for m in e["mentions"])
                                   for e in outlet["items"])
    undated = web.json(f"/events.json?story={story}&undated=true&limit=500")
    assert undated["total"] >= everything["total"]
    on_story_page = web.json(f"/stories/{story}.json?type=meeting")
    assert on_story_page["timeline"]["total"] == meetings["total"]
    html = web.html(f"/stories/{story}?type=meeting&date_from=2014-03-01")
    assert 'class="mk t-call' not in html and '<option value="meeting" selected>' in html


def test_empty_form_fields_mean_no_filter(web, ids):
    body = web.json(f"/events.json?story={ids['story']}&type=&entity=&outlet=&date_from=&date_to=")
    assert body["total"] == web.json(f"/events.json?story={ids['story']}")["total"]


def test_pagination_is_consistent(web):
    first = web.json("/events.json?limit=5&undated=true")
    second = web.json("/events.json?limit=5&offset=5&undated=true")
    assert first["total"] == second["total"] > 10
    assert len(first["items"]) == len(second["items"]) == 5
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    assert web.json("/events.json?limit=0")["items"] == []
    beyond = web.json(f"/events.json?undated=true&offset={first['total'] + 10}")
    assert beyond["items"] == [] and beyond["total"] == first["total"]
    entities = web.json("/entities.json?limit=3&offset=3")
    assert entities["total"] > 6 and len(entities["items"]) == 3
    html = web.html("/events?limit=5&offset=5&undated=true")
    assert 'rel="next"' in html and 'rel="prev"' in html and "offset=10" in html


LISTS = ["/stories", "/events", "/entities", "/entities?type=PERSON", "/articles", "/outlets", "/claims", "/conflicts",
         "/search?q=Saltmere", "/outlets/Harbour%20Wire"]


@pytest.mark.parametrize("offset", [10_000_000, 1000])
def test_a_page_past_the_end_says_so_and_links_the_first_page(web, ids, offset):
    story = ids["story"]
    for path in LISTS + [f"/stories/{story}", f"/stories/{story}/new?since=2000-01-01", f"/events?story={story}"]:
        glue = "&" if "?" in path else "?"
        body = web.json(json_path(path) + f"{glue}offset={offset}")
        listing = body["timeline"] if path == f"/stories/{story}" else body["items"] if "outlets/" in path else body
        assert listing["items"] == [] and listing["total"] > 0 and listing["offset"] == offset, path
        html = web.html(f"{path}{glue}offset={offset}")
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
        assert "on this page: there" in text and f"{listing['total']} in all" in text, (path, text[:2000])
        assert "Go to the first page" in text and 'rel="first"' in html, path
        assert "no stories yet" not in text and "No events match" not in text and "No claims match" not in text
        assert f"{offset + 1}–" not in text and f"{offset + 1}&ndash;" not in html, path  # never "10000001–5 of 5"
        first = re.search(r'<a rel="first" href="([^"]+)"', html).group(1)
        assert "offset=" not in first and first.split("?")[0] == path.split("?")[0], (path, first)
        assert web.json(json_path(first.replace("&amp;", "&")))  # the link works
    nothing = web.html("/stories?limit=0")
    assert "asks for none (limit=0)" in nothing and "no stories yet" not in nothing


def test_an_empty_store_still_says_it_is_empty(new_db):
    location = new_db("empty")
    Store(location).close()
    empty = Client(location)
    try:
        assert "The store has no stories yet" in empty.html("/stories")
        assert "The store has no stories yet" in empty.html("/stories?offset=100")  # nothing at all: no "page" talk
        assert empty.json("/stories.json?offset=100") == {"total": 0, "limit": 50, "offset": 100, "items": []}
    finally:
        empty.close()
        new_db.drop(location)


@pytest.mark.parametrize("path", [
    "/stories.json?limit=-1", "/stories.json?offset=-1", "/stories.json?limit=100000", "/stories.json?limit=ten",
    "/events.json?limit=-5", "/events.json?offset=99999999999999999999999", "/search.json?q=x&limit=1000",
    "/entities.json?limit=1.5", "/search.json?q=" + "a" * 501,
])
def test_out_of_range_parameters_are_422(web, path):
    body = web.json(path, status=422)
    assert body["error"]["status"] == 422 and body["error"]["code"] == "bad_parameter"
    assert body["error"]["message"] and body["error"]["details"]


@pytest.mark.parametrize("path", [
    "/events.json?type=bogus", "/events.json?date_from=2014-13-01", "/events.json?date_to=tomorrow",
    "/events.json?date_from=2014-03-10&date_to=2014-03-01", "/entities.json?type=ALIEN", "/claims.json?status=maybe",
    "/stories/s1.json?type=bogus", "/stories/s1/new.json?since=13/13/2013",
])
def test_unusable_parameters_are_400(web, path):
    body = web.json(path, status=400)
    assert body["error"]["status"] == 400 and body["error"]["message"]


@pytest.mark.parametrize("path", [
    "/stories/nope.json", "/events/nope.json", "/entities/nope.json", "/articles/nope.json",
    "/outlets/nope.json", "/stories/nope/new.json", "/events.json?story=nope", "/events.json?entity=nope",
    "/claims.json?story=nope", "/no/such/page.json", "/no-such-page",
])
def test_unknown_ids_are_404_json(web, path):
    body = web.json(path, status=404)
    assert body["error"]["status"] == 404 and body["error"]["message"]


def test_browsers_get_an_html_error_page(web):
    html = web.html("/stories/nope", status=404)
    assert "Not found" in html and "story nope" in html
    html = web.html("/events?type=bogus", status=400)
    assert "unknown event type" in html
    assert "limit" in web.html("/events?limit=-1", status=422)


def test_the_404_page_gives_its_code_once(web):
    html = web.html("/stories/nope", status=404)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert text.count("S019") == 1 and "[S019] [S019]" not in text
    assert "404 story nope: no such item in the store [S019]" in text
    body = web.json("/stories/nope.json", status=404)
    assert body["error"]["code"] == "S019" and body["error"]["message"] == "story nope: no such item in the store"
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", web.html("/no-such-page", status=404))).count("not_found") == 1


def test_read_only(web):
    assert web.request("POST", "/stories.json").status_code == 405
    assert web.request("DELETE", "/stories/s1.json").status_code == 405
    with web.app.state.store.engine.connect() as conn, pytest.raises(Exception, match="readonly|read-only|query_only"):
        conn.exec_driver_sql("INSERT INTO meta(key, value) VALUES ('x', '1')")


def test_security_headers(web):
    response = web.get("/stories", headers=HTML)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


# ------------------------------------------------------------------ the API document
def test_openapi_describes_the_json_routes(web):
    doc = web.json("/openapi.json")
    paths = doc["paths"]
    for route in ["/stories.json", "/stories/{story_id}.json", "/stories/{story_id}/new.json", "/events.json",
                  "/events/{event_id}.json", "/entities.json", "/entities/{entity_id}.json", "/articles.json",
                  "/articles/{article_id}.json", "/outlets.json", "/outlets/{name}.json", "/search.json",
                  "/claims.json", "/conflicts.json"]:
        assert route in paths, route
        operation = paths[route]["get"]
        assert operation["summary"]
        assert "$ref" in str(operation["responses"]["200"]["content"]["application/json"]["schema"])
        assert {"404", "422"} <= set(operation["responses"])
    assert not [p for p in paths if not p.endswith(".json")]  # HTML pages are not API routes
    events = {p["name"]: p for p in paths["/events.json"]["get"]["parameters"]}
    assert {"story", "date_from", "date_to", "entity", "outlet", "type", "limit", "offset"} <= set(events)
    assert events["limit"]["schema"]["maximum"] == 500
    assert "EventList" in doc["components"]["schemas"]


def test_serve_command_is_registered():
    result = CliRunner().invoke(cli_app, ["serve", "--help"])
    assert result.exit_code == 0 and "--port" in result.output and "read-only" in result.output


# ------------------------------------------------------------------ untrusted text
def test_render_helpers_escape_everything():
    assert render.safe_url("https://example.org/a?b=c") == "https://example.org/a?b=c"
    for bad in ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,x", "java\tscript:alert(1)",
                "//evil.example", "https://x.example/\"onmouseover=alert(1)", "vbscript:x", "", None]:
        assert render.safe_url(bad) is None, bad
    snippet = "a \x02<b>x</b>\x03 <script>\x02y"
    plain, spans = render.snippet_plain(snippet)
    assert plain == "a <b>x</b> <script>y" and [plain[a:b] for a, b in spans] == ["<b>x</b>", "y"]
    assert str(render.marked_html(plain, spans)) == "a <mark>&lt;b&gt;x&lt;/b&gt;</mark> &lt;script&gt;<mark>y</mark>"
    # markers that were in the article text itself do not highlight what is not a query word
    plain, spans = render.snippet_plain("\x02<b>\x02Mätch\x03</b>\x03 \x02x", ["match"])
    assert plain == "<b>Mätch</b> x" and [plain[a:b] for a, b in spans] == ["Mätch"]
    text = "<i>Ann</i> met Bob. <script>Bob</script>"
    mentions = [{"entity_id": "e\"1", "start": 3, "end": 6, "type": "PER\"SON", "name": "<Ann>"},
                {"entity_id": "e2", "start": 11, "end": 14, "type": "PERSON", "name": "Bob"},
                {"entity_id": "e3", "start": 4, "end": 9, "type": "PERSON", "name": "overlap"}]
    spans = render.sentence_spans(text, [{"sentence": 0, "text": "<i>Ann</i> met Bob.", "type": "meeting",
                                          "summary": "<b>"}])
    html = str(render.article_html(text, mentions, spans))
    assert "<script>" not in html and "<i>" not in html and "&lt;script&gt;" in html
    assert 'href="/entities/e%221"' in html and 'class="m t-per-son"' in html and "overlap" not in html
    assert re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"') == text


def test_hostile_corpus_renders_harmlessly(hostile):
    story = hostile.json("/stories.json")["items"][0]["id"]
    event_ids = [e["id"] for e in hostile.json("/events.json?undated=true&limit=500")["items"]]
    entity_ids = [e["id"] for e in hostile.json("/entities.json?limit=500")["items"]]
    outlets = [o["outlet"] for o in hostile.json("/outlets.json")["items"]]
    assert "vX" in event_ids and "eX" in entity_ids and "<img src=x onerror=alert('outlet')>" in outlets
    paths = ["/stories", f"/stories/{story}", f"/stories/{story}?undated=true",
             f"/stories/{story}/new?since=2000-01-01", "/events?undated=true", "/entities", "/articles", "/outlets",
             "/claims", "/conflicts",
             "/problems", "/search?q=script", "/search?q=Saltmere", "/search?q=onerror", "/search?q=marker",
             "/articles/h01", "/articles/h02", "/articles/h03", "/articles/h04", "/api"]
    paths += [f"/events/{i}" for i in event_ids] + [f"/entities/{i}" for i in entity_ids]
    paths += [f"/outlets/{quote(o, safe='')}" for o in outlets]
    paths += [f"/events?entity=eX&outlet={quote(outlets[0], safe='')}", "/stories/%3Cscript%3E"]
    for path in paths:
        if path not in ("/api", "/stories/%3Cscript%3E"):
            json = json_path(path)
            documented_model(json.split("?")[0]).model_validate(hostile.json(json))
    for path in paths:
        response = hostile.get(path, headers=HTML)
        assert response.status_code in (200, 404), (path, response.status_code)
        html = response.text
        assert unsafe_markup(html) == [], (path, unsafe_markup(html))
        for raw in ("<script>alert", "<img", "<iframe", "<svg onload", "<svg/onload", "<object", "<marquee"):
            assert raw not in html, (path, raw)
    article = hostile.html("/articles/h01")
    assert "&lt;script&gt;alert(&#39;body&#39;)&lt;/script&gt;" in article  # shown as text, not run
    assert 'href="javascript' not in article and "javascript:alert(document.cookie)" in article  # shown, not linked
    assert 'class="m t-person" href="/entities/eX"' in article  # a mention spanning a <script> tag, escaped inside
    assert "&lt;img src=x onerror=alert(&#39;outlet&#39;)&gt;" in article
    assert 'href="https://www.harbourwire.example/2014/03/08/ok' not in hostile.html("/articles/h04")  # '<' in URL
    assert "overflow-wrap: anywhere" in hostile.get("/static/style.css").text
    conflicts = hostile.html("/conflicts")
    assert "Topic &lt;script&gt;" in conflicts and "One &lt;script&gt;" in conflicts
    assert "Value &lt;script&gt;" in hostile.html("/claims")
    assert "feed item &lt;script&gt;" in hostile.html("/problems")
    assert hostile.json("/problems.json")["items"][0]["source"] == f"feed item {X}"
    assert "Summary &lt;script&gt;" in hostile.html(f"/stories/{story}")


def test_hostile_json_is_data(hostile):
    response = hostile.get("/articles/h01.json")
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    body = response.json()
    assert body["url"] == "javascript:alert(document.cookie)" and "<script>" in body["text"]
    hit = hostile.json("/search.json?q=marker")["items"][0]
    assert "\x02" not in hit["snippet"] and all(hit["snippet"][a:b].lower() == "marker" for a, b in hit["highlights"])
    assert X in hostile.json("/events/vX.json")["summary"]
