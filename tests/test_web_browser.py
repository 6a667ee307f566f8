"""The web app in a real headless Chromium: click through story -> event -> article, search, hostile articles.

Needs the Debian package ``chromium`` (/usr/bin/chromium) and the Python package ``playwright`` (its driver
only: no browser download).  Screenshots go to a temporary folder, or to $STORYLINE_SCREENSHOTS when set.
"""
from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.web.app import create_app
from web_helpers import (
    CROWD,
    add_crowded_event,
    add_early_event,
    build_demo_store,
    build_hostile_store,
    build_outlets_store,
)

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """The app served by uvicorn on 127.0.0.1 in a background thread."""

    def __init__(self, db: str):
        import uvicorn

        self.port = _free_port()
        self.server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=self.port,
                                                    log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def serving(db: str) -> Iterator[Served]:
    """A module fixture's body: the store served for the module's tests, stopped after them."""
    served = Served(db)
    yield served
    served.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("STORYLINE_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def demo_site(browser, new_db) -> Iterator[Served]:
    yield from serving(build_demo_store(new_db("browser-demo")))


@pytest.fixture(scope="module")
def hostile_site(browser, new_db) -> Iterator[Served]:
    yield from serving(build_hostile_store(new_db("browser-hostile")))


@pytest.fixture(scope="module")
def early_site(browser, new_db) -> Iterator[Served]:
    """The demo store with one background meeting 200 days before the talks (what squashed the chart)."""
    location = build_demo_store(new_db("browser-early"))
    add_early_event(location, "Envoys of both sides first met in Saltmere to prepare the talks")
    yield from serving(location)


@pytest.fixture(scope="module")
def outlets_site(browser, new_db) -> Iterator[Served]:
    """A story covered by outlets the outlet directory knows (state, public, private) and two it does not."""
    yield from serving(build_outlets_store(new_db("browser-outlets")))


@pytest.fixture(scope="module")
def crowded_site(browser, new_db) -> Iterator[Served]:
    """The demo store with one low-confidence meeting of nine people, reported by an article, its syndicated copy
    and another outlet (web_helpers.add_crowded_event)."""
    location = build_demo_store(new_db("browser-crowded"))
    add_crowded_event(location)
    yield from serving(location)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.dialogs = []  # any alert() that ran would land here
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
    yield tab
    context.close()


def test_click_through_story_event_article_and_search(page, demo_site, shots):
    page.goto(f"{demo_site.url}/stories")
    assert page.locator("h1").inner_text() == "Stories"
    rows = page.locator("table.stories tbody tr")
    assert rows.count() >= 2
    page.screenshot(path=str(shots / "1-stories.png"), full_page=True)

    rows.first.locator("td.wide a").click()
    page.wait_for_url("**/stories/*")
    markers = page.locator("svg.tl a.mk")
    assert markers.count() >= 3
    assert page.locator("svg.tl .lane-label").first.text_content() == "meeting"
    assert page.locator("table.events tbody tr").count() >= markers.count()
    assert "Tomas Ebbing" in page.locator("section", has_text="People").inner_text()
    page.screenshot(path=str(shots / "2-story.png"), full_page=True)

    markers.first.click()  # the SVG markers are links
    page.wait_for_url("**/events/*")
    assert page.locator("h1 .type").count() == 1
    page.go_back()
    page.locator("table.events tbody tr td.wide a").first.click()
    page.wait_for_url("**/events/*")
    sentences = page.locator("table.sentences tbody tr")
    assert sentences.count() >= 1
    assert "Independent sources" in page.locator("dl.facts").inner_text()
    page.screenshot(path=str(shots / "3-event.png"), full_page=True)

    sentences.first.locator("td.src a[href^='/articles/']").click()
    page.wait_for_url("**/articles/*")
    body = page.locator("article.body")
    assert body.locator("a.m").count() > 3 and body.locator(".ev").count() >= 1
    mention = body.locator("a.m").first
    entity = mention.get_attribute("data-entity")
    mention.hover()  # app.js lights up every mention of the same entity
    assert page.locator(f"a.m.hot[data-entity='{entity}']").count() >= 1
    page.screenshot(path=str(shots / "4-article.png"), full_page=True)

    page.fill("header .search input[type=search]", "Norrholm")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=Norrholm")
    hits = page.locator("ol.hits li.hit")
    assert hits.count() >= 2
    assert page.locator("ol.hits mark").first.inner_text() == "Norrholm"
    page.screenshot(path=str(shots / "5-search.png"), full_page=True)
    assert page.errors == [] and page.dialogs == []


def test_filters_and_pages_render(page, demo_site, shots):
    page.goto(f"{demo_site.url}/events?type=meeting")
    assert page.locator("select[name=type]").input_value() == "meeting"
    assert page.locator("table.events tbody tr").count() >= 1
    page.goto(f"{demo_site.url}/conflicts")
    assert page.locator(".side-col").count() >= 2
    page.screenshot(path=str(shots / "6-conflicts.png"), full_page=True)
    page.goto(f"{demo_site.url}/stories/nope")
    assert page.locator("h1").inner_text() == "Not found"
    assert page.errors == [e for e in page.errors if "404" in e]  # only the page's own 404


def test_hostile_articles_are_inert(page, hostile_site, shots):
    page.goto(f"{hostile_site.url}/articles/h01")
    assert "<script>alert('title')</script>" in page.locator("h1").inner_text()  # shown as text
    assert page.locator("a[href^='javascript' i], [onerror], [onload], iframe, object, img").count() == 0
    assert page.locator("article.body a.m[data-entity='eX']").count() == 1
    # very long words wrap instead of widening the page
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(shots / "7-hostile-article.png"), full_page=True)
    for path in ["/stories", "/articles/h03", "/outlets", "/claims", "/conflicts", "/search?q=marker", "/events/vX",
                 "/entities/eX"]:
        page.goto(hostile_site.url + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    page.goto(hostile_site.url + "/stories")
    page.locator("table.stories td.wide a").first.click()
    page.wait_for_url("**/stories/*")
    page.screenshot(path=str(shots / "8-hostile-story.png"), full_page=True)
    assert page.dialogs == [] and page.errors == []


def test_story_chart_is_focused_on_the_active_period(page, early_site, shots):
    page.goto(f"{early_site.url}/stories")
    page.locator("table.stories tbody tr").first.locator("td.wide a").click()
    page.wait_for_url("**/stories/*")
    chart = page.locator("svg.tl")
    earlier = chart.locator("a.earlier")
    assert earlier.count() == 1 and re.sub(r"\s+", " ", earlier.locator("text").first.text_content()) == (
        "earlier: 1 event")
    box = chart.bounding_box()
    circles = [c.bounding_box() for c in chart.locator("a.mk circle").all()]
    spread = (max(c["x"] + c["width"] for c in circles) - min(c["x"] for c in circles)) / box["width"]
    assert spread > 0.6, spread  # the talks fill the chart (the background meeting squashed them into a fifth)
    fold = earlier.locator("rect").bounding_box()
    assert fold["x"] - box["x"] < 0.2 * box["width"] and fold["x"] + fold["width"] <= min(c["x"] for c in circles)
    page.locator("figure.timeline").screenshot(path=str(shots / "9-chart-focused.png"))
    page.screenshot(path=str(shots / "10-story-focused.png"), full_page=True)
    earlier.click()  # the marker opens the timeline before the active period
    page.wait_for_url("**date_to=*")
    assert page.locator("svg.tl a.mk").count() == 1 and page.locator("svg.tl a.earlier").count() == 0
    assert "first met in Saltmere" in page.locator("table.events").inner_text()
    page.screenshot(path=str(shots / "11-earlier-events.png"), full_page=True)
    assert page.errors == [] and page.dialogs == []


def test_web_details(page, demo_site, shots):
    head = page.request.head(f"{demo_site.url}/stories")
    assert head.status == 200 and head.body() == b""
    home = page.request.head(f"{demo_site.url}/", max_redirects=0)
    assert home.status == 200 and home.body() == b""  # the home page is the story list: no redirect
    api = page.request.get(f"{demo_site.url}/api.json")
    assert api.status == 200 and "/stories.json" in {r["path"] for r in api.json()["routes"]}

    page.goto(f"{demo_site.url}/stories?offset=10000000")
    main = page.locator("main").inner_text()
    assert "No stories on this page" in main and "no stories yet" not in main and "10000001" in main
    assert "10000001–" not in main
    page.screenshot(path=str(shots / "12-past-the-end.png"), full_page=True)
    page.locator("main .off-page a[rel=first]").click()
    page.wait_for_url(f"{demo_site.url}/stories")
    assert page.locator("table.stories tbody tr").count() >= 2

    page.goto(f"{demo_site.url}/stories/nope")
    assert page.locator(".error-box").inner_text().count("S019") == 1
    page.screenshot(path=str(shots / "13-not-found.png"), full_page=True)

    page.fill("header .search input[type=search]", "Saltmere OR Norrholm")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    total = page.request.get(f"{demo_site.url}/search.json?q=Saltmere+OR+Norrholm").json()["total"]
    assert total > page.request.get(f"{demo_site.url}/search.json?q=Saltmere").json()["total"]
    assert page.locator("p.lede").inner_text().startswith(f"{total} articles match")
    page.screenshot(path=str(shots / "14-search-or.png"), full_page=True)
    page.fill("form.bigsearch input[type=search]", 'Saltmere OR')
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    assert "OR needs a term after it" in page.locator(".search-error").inner_text()
    assert page.locator("form.bigsearch input[type=search]").input_value() == "Saltmere OR"
    page.screenshot(path=str(shots / "15-search-error.png"), full_page=True)

    page.goto(f"{demo_site.url}/claims?limit=500")
    about = page.locator("table.claims td.about").all_inner_texts()
    assert about and not [a for a in about if re.search(r"\be[0-9a-f]{10}\b", a)]
    assert "Pavel Vrastek" in about
    page.screenshot(path=str(shots / "16-claims.png"))  # the first screen: the page is long
    assert [e for e in page.errors if "400" not in e and "404" not in e] == [] and page.dialogs == []


def test_story_page_shows_the_coverage_bar(page, outlets_site, shots):
    page.goto(f"{outlets_site.url}/stories/talks")
    ownership = page.locator("#coverage-ownership")
    bar = ownership.locator("svg.bar")
    assert bar.count() == 1 and bar.get_attribute("role") == "img"
    # each segment says what it is in text (colour is never the only cue), its width its share
    assert bar.locator("text").all_text_contents() == ["State-owned 4", "Public 2", "Private 2", "Unknown 2"]
    widths = [r.bounding_box()["width"] for r in bar.locator("rect.seg").all()]
    assert len(widths) == 4 and abs(widths[0] - 2 * widths[1]) < 4 and abs(widths[1] - widths[3]) < 2
    assert abs(sum(widths) - bar.bounding_box()["width"]) < 8  # the segments fill the bar
    legend = ownership.locator("ul.legend li").all_inner_texts()
    assert legend[0].startswith("State-owned 4 (40.0%): ") and "RT" in legend[0] and "Sputnik Brasil" in legend[0]
    assert legend[2].startswith("Private 2 (20.0%), 1 copy folded in: Reuters")
    country = page.locator("#coverage-country")
    assert country.locator("svg.bar text").first.text_content() == "Russia 4"
    assert "Evil <script>alert('x')</script>" in country.locator("ul.legend").inner_text()  # a name, shown as text
    tip = bar.locator("rect.seg title").first.text_content()
    assert tip.startswith("State-owned: 4 articles (40.0%): RT, ")
    sources = {r.locator("td").first.inner_text(): r.locator("td").all_inner_texts()[1:3]
               for r in page.locator("section", has_text="Sources").locator("table.list tbody tr").all()}
    assert sources["TASS"] == ["Russia", "state"] and sources["Harbour Wire"] == ["unknown", "unknown"]
    page.locator("section.coverage").screenshot(path=str(shots / "17-coverage-bars.png"))
    page.screenshot(path=str(shots / "18-story-coverage.png"), full_page=True)
    page.goto(f"{outlets_site.url}/outlets")
    rows = {r.locator("td").first.inner_text(): r.locator("td").all_inner_texts()
            for r in page.locator("table.list tbody tr").all()}
    assert rows["Sputnik Brasil"][1:4] == ["Russia", "state", "Rossiya Segodnya"]
    assert rows["Harbour Wire"][1:3] == ["unknown", "unknown"]
    page.screenshot(path=str(shots / "19-outlets.png"), full_page=True)
    assert page.dialogs == [] and page.errors == []


def test_titles_sources_participants_and_revisions_read_as_an_analyst_needs(page, crowded_site, shots):
    page.goto(f"{crowded_site.url}/stories")
    row = page.locator("table.stories tbody tr").first
    title = row.locator("td.wide a").inner_text()
    assert not title.startswith("Analysis:") and "Vrastek" in title  # what the sources agree on, in full
    listed_events = int(row.locator("td.num").nth(2).inner_text())
    page.screenshot(path=str(shots / "17-story-titles.png"), full_page=True)

    row.locator("td.wide a").click()
    page.wait_for_url("**/stories/*")
    meta = page.locator("p.meta").inner_text()
    assert f"{listed_events} events" in meta  # the list and the page count the same events
    crowded = page.locator("#ev-vCrowd")
    text = crowded.inner_text()
    assert "low confidence" in text and "+3 more" in text
    assert "Harbour Wire (copy: Evening Ledger), Coastline Herald" in crowded.locator(".outlets").inner_text()
    assert "Lene Halvard" not in text  # folded into "+3 more", named in its tooltip and on the event page
    crowded.scroll_into_view_if_needed()
    page.locator("table.events").screenshot(path=str(shots / "18-timeline-rows.png"))

    crowded.locator("a.more").click()
    page.wait_for_url("**/events/vCrowd")
    facts = page.locator("dl.facts").inner_text()
    assert all(name in facts for name in CROWD)
    assert "Harbour Wire (copy: Evening Ledger), Coastline Herald" in facts
    page.screenshot(path=str(shots / "19-event-participants.png"), full_page=True)

    page.goto(f"{crowded_site.url}/conflicts")
    revision = page.locator("section.revisions p.revision").first
    assert re.sub(r"\s+", " ", revision.inner_text()).startswith("number of points in the plan")
    values = revision.locator(".step .value").all_inner_texts()
    assert values == ["12", "9"]
    assert "12" not in page.locator(".sides .value").all_inner_texts()  # not shown as a conflict
    page.screenshot(path=str(shots / "20-revisions.png"))
    assert page.errors == [] and page.dialogs == []
