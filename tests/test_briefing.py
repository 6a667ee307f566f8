"""The briefing (Markdown and standalone HTML) and its chart: content, sources, escaping, and a real browser."""
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline import pipeline
from storyline.cli import app
from storyline.cli.commands import demo_corpus
from storyline.errors import StorylineError
from storyline.read import queries
from storyline.report.briefing import briefing_data, md_text, safe_url, write_briefing
from storyline.report.charts import coverage_svg
from storyline.settings import Settings
from storyline.store import Store
from test_framing import build_store, event_row, make_article

runner = CliRunner()
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def store(db):
    return build_store(db)


# ---------------------------------------------------------------- what the briefing says


def test_briefing_data_of_a_hand_built_story(store):
    data = briefing_data(store, "s1")
    assert [e["date"] for e in data["encounters"]] == ["2014-03-03", "2014-03-12/2014-03-13"]
    assert [e["type"] for e in data["statements"]] == ["statement"]
    first = data["encounters"][0]
    assert first["sources"] == ["a1", "b1", "g1"] and first["independent_sources"] == 3
    dunca = next(p for p in data["people"] if p["name"] == "Mirela Dunca")
    assert dunca["roles"] == [{"role": "chief negotiator", "articles": ["b1"]}] and dunca["side"] == "Valdoria"
    assert dunca["events"] == 2 and dunca["outlets"] == 4
    [conflict] = data["contested"]
    values = {v["value"]: v for v in conflict["values"]}
    assert values["40"]["outlets"] == ["Alpha Wire", "Echo Ledger"] and values["25"]["outlets"] == ["Beta Times"]
    assert values["25"]["sentences"][0]["text"].startswith("About twenty-five delegates")
    [changed] = data["changed"]
    assert [(s["value"], s["first_seen"]) for s in changed["steps"]] == [("12", "2014-03-12"), ("9", "2014-03-13")]
    single = {(c["attribute"], c["value"]) for c in data["single"]}
    assert ("date", "2014-03-04") in single and ("plan_points", "9") in single
    assert data["sources"]["e1"]["copy_of"] == "a2"
    assert data["chart"].startswith("<svg") and json.dumps({k: v for k, v in data.items() if k != "framing"})


def test_markdown_briefing_names_every_source(store, tmp_path):
    written = write_briefing(store, "s1", tmp_path / "brief.md")
    assert [p.name for p in written] == ["brief.md", "brief-coverage.svg"]
    text = written[0].read_text(encoding="utf-8")
    assert "![" in text and "](brief-coverage.svg)" in text
    ET.fromstring(written[1].read_text(encoding="utf-8"))  # a well-formed SVG file
    # the timeline, encounters first, each row with outlet names and article ids linked by reference
    assert text.index("| 2014-03-03 | meeting") < text.index("| 2014-03-12/2014-03-13 | meeting") < text.index(
        "| 2014-03-04 | statement")
    row = next(line for line in text.splitlines() if line.startswith("| 2014-03-03 | meeting"))
    assert "Alpha Wire [a1][" in row and "Beta Times [b1][" in row and "Gamma Radio [g1][" in row
    refs = dict(re.findall(r"^\[(\d+)\]: (\S+)$", text, re.M))
    assert "https://alpha.example.pl/1" in refs.values() and "http://echo.example.org/e1" in refs.values()
    assert "**40** according to Alpha Wire" in text and "(copy of a2)" in text
    assert "**25** according to Beta Times" in text
    assert "**12** from 2014-03-12" in text and "**9** from 2014-03-13" in text
    # coverage by country and by ownership: the copy e1 folds into a2; no outlet is known, none is guessed
    assert "inferred from the web address" not in text and "Poland" not in text
    assert "7 articles (1 syndicated copy folded into its original) from 5 outlets" in text
    assert ("| Unknown | 7 (+1 copy) | ████████████████████ 100.0% | Alpha Wire, Beta Times, Delta News, Gamma Radio |"
            in text)
    assert text.index("### By country of the outlet") < text.index("### By ownership") < text.index("## Who")
    assert "| Alpha Wire | 3 | en | unknown | unknown |  |" in text
    assert "“regime” (delegitimising)" in text and "“truce breach”" in text
    assert ("| First round in Saltmere (2014-03-03) [meeting] | Delta News (other language)†, Echo Ledger "
            "| 3 outlets: Alpha Wire [a1][") in text
    assert "| Mirela Dunca [person] | Delta News (other language)† | 4 outlets: Alpha Wire [a1][" in text


def test_html_briefing_is_standalone(store, tmp_path):
    [path] = write_briefing(store, "s1", tmp_path / "brief.html")
    page = Page.parse(path.read_text(encoding="utf-8"))
    assert page.tags["style"] == 1 and page.tags["svg"] == 3  # the chart and the two coverage bars
    assert not page.tags.keys() & {"script", "link", "img", "iframe", "object", "embed", "base", "form"}
    assert not page.sources  # nothing loaded from elsewhere
    assert all(h.startswith(("https://", "http://", "#")) for h in page.hrefs)
    assert "https://alpha.example.pl/1" in page.hrefs
    text = page.text
    assert "2014-03-12/2014-03-13" in text and "number of delegates" in text and "copy of a2" in text


# ---------------------------------------------------------------- hostile article text

SCRIPT = "<script>document.body.setAttribute('data-pwned','script')</script>"
IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">"
SVG_ATTACK = "<svg onload=\"document.body.setAttribute('data-pwned','svg')\">"
BREAKOUT = "\"><a href='javascript:alert(1)'>click</a>"
MD_ATTACK = "[click](javascript:alert(1)) | *bold* <b>x</b>"


def hostile_store(db):
    store = build_store(db, extra_articles=[
        make_article("x1", "Evil " + IMG, f"Title {SCRIPT}. The regime {SVG_ATTACK} spoke. {MD_ATTACK}.",
                     "2014-03-05", "javascript:document.body.setAttribute('data-pwned','href')",
                     title="Breaking \x01\x0b " + SCRIPT + BREAKOUT),
        make_article("x2", "Data " + SVG_ATTACK, "A plain text about a meeting. The regime met.", "2014-03-06",
                     "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", title=MD_ATTACK),
    ])
    with store.engine.begin() as conn:
        from storyline.store import schema as t

        conn.execute(t.events.insert().values(event_row(
            "vx", "meeting", "2014-03-05", "Salt" + IMG, ["Mallory " + SCRIPT], 2, "Summit " + SVG_ATTACK + BREAKOUT)))
        conn.execute(t.event_mentions.insert(), [
            {"event_id": "vx", "article_id": a, "sentence": 0, "text": "Said " + SCRIPT, "date_text": "",
             "status": "happened", "attribution": ""} for a in ("x1", "x2")])
        conn.execute(t.entities.insert().values(
            id="e-evil", name="Mallory " + IMG, type="PERSON", affiliation=BREAKOUT, affiliation_inferred=False,
            aliases=json.dumps([SCRIPT]), roles=json.dumps([{"role": SVG_ATTACK, "article": "x1"}]),
            mention_count=1, article_count=1))
        conn.execute(t.entity_mentions.insert().values(entity_id="e-evil", article_id="x1", start=0, end=5,
                                                       text="Title", sentence=0))
        conn.execute(t.conflicts.insert().values(
            id="k-evil", topic="topic " + SCRIPT, subject="story:s1", attribute="evil",
            values=json.dumps([{"value": IMG, "articles": ["x1"]}, {"value": MD_ATTACK, "articles": ["x2"]}]),
            story="s1", note=BREAKOUT))
        conn.execute(t.claims.insert().values(
            id="c-evil", subject="story:s1", attribute="evil", value=IMG, status="single_source",
            articles=json.dumps(["x1"]), sentences=json.dumps([{"article": "x1", "sentence": 0, "text": SCRIPT}]),
            story="s1"))
    return store


class Page(HTMLParser):
    """Tags, attributes and text of an HTML document, as a browser's tokenizer sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.hrefs, self.sources, self.chunks = {}, [], [], [], []

    @classmethod
    def parse(cls, html):
        page = cls()
        page.feed(html)
        page.close()
        return page

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for name, value in attrs:
            self.attrs.append((tag, name, value or ""))
            if name in ("href", "xlink:href"):
                self.hrefs.append(value or "")
            if name in ("src", "srcset", "data", "action", "formaction", "poster", "background"):
                self.sources.append(value or "")

    def handle_data(self, data):
        self.chunks.append(data)

    @property
    def text(self):
        return "".join(self.chunks)


def test_hostile_text_is_inert_in_html(db, tmp_path):
    store = hostile_store(db)
    [path] = write_briefing(store, "s1", tmp_path / "hostile.html")
    html = path.read_text(encoding="utf-8")
    page = Page.parse(html)
    assert "script" not in page.tags and "img" not in page.tags and page.tags["svg"] == 3
    assert not [a for a in page.attrs if a[1].startswith("on")]
    assert all(h.startswith(("https://", "http://", "#")) for h in page.hrefs)
    assert not page.sources
    # the hostile strings are shown as text, not dropped
    assert SCRIPT in page.text and IMG in page.text and "Mallory " in page.text
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    # the chart is well-formed XML with the outlet names as text
    chart = html[html.index("<svg"):html.index("</svg>") + 6]
    root = ET.fromstring(chart)
    assert not root.findall(f".//{SVG_NS}script") and all(
        not k.startswith("on") for el in root.iter() for k in el.attrib)
    assert any("Evil <img" in (el.text or "") for el in root.iter())
    # the coverage bars: well-formed, no handler, the hostile outlet named as text in a tooltip and the legend
    bars = re.findall(r'<svg[^>]*class="bar".*?</svg>', html, re.S)
    assert len(bars) == 2
    for bar in bars:
        assert all(not k.startswith("on") for el in ET.fromstring(bar).iter() for k in el.attrib)
    assert "Evil " + IMG in "".join(ET.fromstring(bars[1]).itertext())
    legend = html[html.index('id="coverage-bars"'):html.index('id="who"')]
    assert "Evil &lt;img" in legend and "Data &lt;svg" in legend and "<img" not in legend


def test_hostile_text_is_inert_in_markdown(db, tmp_path):
    store = hostile_store(db)
    path, chart = write_briefing(store, "s1", tmp_path / "hostile.md")
    text = path.read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text and "<svg" not in text and "<a " not in text
    assert not re.search(r"(?<!\\)\]\(javascript:", text)  # the link syntax is escaped, so no link is made
    assert "javascript:" not in "".join(re.findall(r"^\[\d+\]: .*$", text, re.M))
    assert "\\[click\\]" in text and "\\| \\*bold\\*" in text
    # every table row keeps its columns: escaped pipes do not split cells
    columns = None
    for line in text.splitlines():
        if not line.startswith("|"):
            columns = None
            continue
        count = len(re.findall(r"(?<!\\)\|", line))
        columns = columns or count
        assert count == columns, line
    ET.fromstring(chart.read_text(encoding="utf-8"))


def test_safe_url_and_md_text():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", " https://x.org", "data:text/html,x", "//x.org/a",
                "/relative", "https://", None, "http://exa mple.org", "vbscript:x", "https://x.org/\nfoo"):
        assert safe_url(bad) is None, bad
    assert md_text("<b>a</b> | [x](y) *z*\n_w_") == "&lt;b&gt;a&lt;/b&gt; \\| \\[x\\](y) \\*z\\* \\_w\\_"


# ---------------------------------------------------------------- the chart


def test_coverage_chart_dots_per_outlet_and_day():
    articles = [{"id": "a", "outlet": "One", "published": "2014-03-01", "title": "t", "duplicate_of": None},
                {"id": "b", "outlet": "One", "published": "2014-03-01", "title": "t", "duplicate_of": None},
                {"id": "c", "outlet": "Two", "published": "2014-03-03", "title": "t", "duplicate_of": "a"},
                {"id": "d", "outlet": "Two", "published": None, "title": "t", "duplicate_of": None}]
    root = ET.fromstring(coverage_svg(articles))
    dots = [c for c in root.iter(f"{SVG_NS}circle") if "dot" in c.get("class", "")]
    assert len(dots) == 2
    big, copy = dots
    assert float(big.get("r")) > float(copy.get("r")) and "copy" in copy.get("class")
    assert "1 undated" in "".join(root.itertext())
    labels = ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
    assert any(label.endswith("One") for label in labels) and "2014-03-01" in labels and "03-03" in labels


def test_coverage_chart_long_spans_go_weekly_and_empty_is_fine():
    articles = [{"id": str(i), "outlet": "Wire", "published": f"2014-{1 + i // 28:02d}-{1 + i % 28:02d}",
                 "title": "", "duplicate_of": None} for i in range(0, 300, 3)]
    root = ET.fromstring(coverage_svg(articles))
    assert "one column per week" in root.find(f"{SVG_NS}desc").text
    assert float(root.get("width")) < 1200
    undated = {"id": "x", "outlet": "W", "published": None, "title": "", "duplicate_of": None}
    empty = ET.fromstring(coverage_svg([undated]))
    assert "No dated articles" in "".join(empty.itertext())


# ---------------------------------------------------------------- the command line


def test_cli_briefing(store, db, tmp_path):
    out = tmp_path / "b.md"
    result = runner.invoke(app, ["briefing", "s1", "--db", db, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and (tmp_path / "b-coverage.svg").is_file()
    html = tmp_path / "b.html"
    assert runner.invoke(app, ["briefing", "--db", db, "--out", str(html)]).exit_code == 0  # default: largest story
    assert "<!DOCTYPE html>" in html.read_text(encoding="utf-8")
    bad = runner.invoke(app, ["briefing", "s1", "--db", db, "--out", str(tmp_path / "b.pdf")])
    assert isinstance(bad.exception, StorylineError)
    missing = runner.invoke(app, ["briefing", "nope", "--db", db, "--out", str(html)])
    assert isinstance(missing.exception, StorylineError)


# ---------------------------------------------------------------- the demo corpus, in a real browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, new_db):
    folder = tmp_path_factory.mktemp("briefing-demo")
    db = new_db("demo")
    store = Store(db)
    ingested, _ = pipeline.run([str(demo_corpus())], store, Settings(db=db))
    assert not ingested.errors
    story = next(s["id"] for s in queries.list_stories(store)
                 if "d01" in {a["id"] for a in queries.get_story(store, s["id"])["articles"]})
    paths = write_briefing(store, story, folder / "briefing.html")
    paths += write_briefing(store, story, folder / "briefing.md")
    return {"store": store, "story": story, "html": paths[0], "md": paths[1], "svg": paths[2], "folder": folder}


def chromium(tmp_path, *args):
    if not CHROMIUM:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    command = [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               f"--user-data-dir={tmp_path / 'chromium-profile'}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def section(dom, start_id, end_id):
    return dom[dom.index(f'id="{start_id}"'):dom.index(f'id="{end_id}"')]


@pytest.mark.slow
def test_demo_briefing_markdown(demo):
    text = demo["md"].read_text(encoding="utf-8")
    for day in ("2014-03-03", "2014-03-06", "2014-03-09"):
        assert f"| {day} | " in text
    assert "Harbour Wire [d01][" in text and "(copy of d03)" in text
    assert f"]({demo['svg'].name})" in text and demo["svg"].is_file()


@pytest.mark.slow
@pytest.mark.browser
def test_demo_briefing_renders_in_chromium(demo, tmp_path):
    result = chromium(tmp_path, "--dump-dom", demo["html"].resolve().as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert "<h1>Briefing:" in dom
    # what happened: the answer key's meeting, call and visit, in date order, before statements
    happened = section(dom, "encounters", "statements")
    positions = [happened.index(f'<td class="date">{day}</td>') for day in ("2014-03-03", "2014-03-06", "2014-03-09")]
    assert positions == sorted(positions)
    assert re.search(r'<td class="date">2014-03-1[23]', happened)  # the second round in Norrholm
    assert "Saltmere" in happened and "Port Velin" in happened and "Norrholm" in happened
    # what is contested: every value of every conflict in the store, with the outlets that say it; a value
    # that only changed over time (the plan's 12, then 9 points) is listed as a sequence, not as a conflict
    contested = section(dom, "contested", "single")
    for conflict in queries.conflicts(demo["store"], story=demo["story"], revisions=False):
        for value in conflict["values"]:
            assert f'<span class="value">{value["value"]}</span>' in contested
    [revision] = queries.revisions(demo["store"], story=demo["story"])
    assert [step.value for step in revision.steps] == ["12", "9"]
    changed = contested[contested.index("Changed over time"):]
    assert changed.index("<b>12</b> from 2014-03") < changed.index("<b>9</b> from 2014-03")
    assert '<span class="value">12</span>' not in contested
    # the chart: inline SVG, one dot per outlet and day
    chart = dom[dom.index("<svg"):dom.index("</svg>") + 6]
    articles = queries.get_story(demo["store"], demo["story"])["articles"]
    cells = {(a["outlet"], a["published"]) for a in articles if a["published"]}
    assert chart.count('class="dot') == len(cells)
    assert "Harbour Wire" in chart and "Coastline Herald" in chart
    # people with their roles, and every source linked
    assert "Mirela Dunca" in section(dom, "who", "contested")
    assert 'href="https://www.harbourwire.example/world/2014/03/02/kestland-to-host-talks-in-saltmere"' in dom


@pytest.mark.slow
@pytest.mark.browser
def test_demo_briefing_shows_the_answer_keys_contradiction(demo, tmp_path):
    dom = chromium(tmp_path, "--dump-dom", demo["html"].resolve().as_uri()).stdout
    contested = section(dom, "contested", "single")
    assert '<span class="value">40</span>' in contested and '<span class="value">25</span>' in contested
    assert "Harbour Wire" in contested and "Coastline Herald" in contested


@pytest.mark.slow
@pytest.mark.browser
def test_demo_briefing_screenshot(demo, tmp_path):
    shot = demo["folder"] / "briefing.png"
    result = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,2000", demo["html"].resolve().as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


@pytest.mark.browser
def test_hostile_briefing_runs_no_script_in_chromium(db, tmp_path):
    store = hostile_store(db)
    [path] = write_briefing(store, "s1", tmp_path / "hostile.html")
    # without the page's Content-Security-Policy too: the escaping alone must hold
    bare = tmp_path / "bare.html"
    bare.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", path.read_text(encoding="utf-8")),
                    encoding="utf-8")
    for page in (path, bare):
        result = chromium(tmp_path, "--dump-dom", page.resolve().as_uri())
        assert result.returncode == 0, result.stderr[-2000:]
        body = re.search(r"<body[^>]*>", result.stdout).group(0)
        assert "data-pwned" not in body
        assert "<script" not in result.stdout and "<img" not in result.stdout
        assert "&lt;script&gt;" in result.stdout
