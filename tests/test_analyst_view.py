"""What an analyst sees on a real store (the demo corpus through the whole pipeline): titles, sources named,
participants never cut silently, counts that agree between pages, copies folded, quotes with their own speakers,
revised values as sequences, low-confidence events marked."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from storyline.cli import app
from storyline.read import queries
from storyline.report.briefing import briefing_data, render_markdown
from storyline.store import Store
from storyline.store import schema as t
from test_web_api import Client
from web_helpers import CROWD, add_crowded_event, build_demo_store

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture(scope="module")
def demo(new_db):
    db = build_demo_store(new_db("analyst"))
    story, event = add_crowded_event(db)
    store = Store(db)
    client = Client(db)
    yield {"db": db, "store": store, "story": story, "event": event, "web": client}
    client.close()
    store.close()


def test_the_talks_story_is_titled_by_what_its_sources_agree_on(demo):
    title = queries.story_row(demo["store"], demo["story"]).title
    # was one article's section label: "Analysis: what the nine-point framework says, and what comes next"
    assert not title.startswith("Analysis:")
    assert "Vrastek" in title and ("Dunca" in title or "Ebbing" in title)


def test_the_story_list_counts_the_events_the_story_page_lists(demo):
    web = demo["web"]
    listed = {s["id"]: s["events"] for s in web.json("/stories.json")["items"]}
    for story, events in listed.items():
        page = web.json(f"/stories/{story}.json")
        assert page["timeline"]["total"] == events == queries.count_events(demo["store"], story=story)
    undated = queries.count_events(demo["store"], story=demo["story"], dated_only=False)
    assert undated > listed[demo["story"]]  # undated reports are kept, and counted nowhere as timeline events


def test_cli_timeline_names_the_outlets_and_never_drops_a_participant_silently(demo):
    result = runner.invoke(app, ["timeline", demo["story"], "--db", demo["db"]])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    row = next(i for i, line in enumerate(lines) if "Nine delegates met in Saltmere" in line) - 1
    assert ", ".join(CROWD[:6]) + " +3 more" in lines[row] and "LOW" in lines[row]
    # the copy d04 (Evening Ledger) is folded under its original's outlet, and adds no outlet of its own
    assert lines[row + 2].split("sources: ")[1] == "Harbour Wire (copy: Evening Ledger), Coastline Herald"
    every = runner.invoke(app, ["timeline", demo["story"], "--db", demo["db"], "--json"])
    crowded = next(e for e in json.loads(every.output) if e["id"] == demo["event"])
    assert crowded["participants"] == CROWD


def test_cli_stories_cuts_a_long_title_after_a_whole_word(demo):
    long = ("Valdoria and the Ostrava Republic resume talks in Saltmere as Kestland presents its twelve-point plan "
            "and both delegations promise an answer within weeks")
    with demo["store"].engine.begin() as conn:
        old = conn.execute(select(t.stories.c.title).where(t.stories.c.id == demo["story"])).scalar_one()
        conn.execute(update(t.stories).where(t.stories.c.id == demo["story"]).values(title=long))
    try:
        result = runner.invoke(app, ["stories", "--db", demo["db"]])
    finally:
        with demo["store"].engine.begin() as conn:
            conn.execute(update(t.stories).where(t.stories.c.id == demo["story"]).values(title=old))
    line = next(line for line in result.output.splitlines() if line.startswith(demo["story"] + " "))
    shown = line[line.index("Valdoria"):]
    assert shown.endswith("…") and len(shown) <= 100
    assert long.startswith(shown[:-1]) and long[len(shown) - 1] == " "  # cut between two words


def test_entity_mention_counts_fold_syndicated_copies(demo):
    store = demo["store"]
    with store.engine.connect() as conn:
        copies = dict(conn.execute(select(t.articles.c.id, t.articles.c.duplicate_of)
                                   .where(t.articles.c.duplicate_of.is_not(None))).all())
        rows = conn.execute(select(t.entity_mentions.c.entity_id, t.entity_mentions.c.article_id)).all()
    assert copies == {"d04": "d03", "d15": "d14"}
    vrastek = next(e for e in queries.entities(store, "PERSON") if e.name == "Pavel Vrastek")
    per_article: dict[str, int] = {}
    for entity_id, article_id in rows:
        if entity_id == vrastek.id:
            per_article[article_id] = per_article.get(article_id, 0) + 1
    assert set(per_article) & set(copies)  # the copies name him too ...
    folded: dict[str, int] = {}
    for article_id, n in per_article.items():
        original = copies.get(article_id, article_id)
        folded[original] = max(folded.get(original, 0), n)
    # ... and add nothing to his count
    assert vrastek.mention_count == sum(folded.values()) < sum(per_article.values())
    assert vrastek.article_count == len(folded)


def test_a_revised_value_is_a_sequence_with_dates_not_a_conflict(demo):
    web = demo["web"]
    body = web.json(f"/conflicts.json?story={demo['story']}")
    assert all(k["attribute"] != "plan_points" for k in body["items"])
    [revision] = body["revisions"]
    assert revision["topic"] == "number of points in the plan"
    assert [(s["value"], s["first_seen"]) for s in revision["steps"]] == [("12", "2014-03-02"), ("9", "2014-03-13")]
    html = web.html(f"/conflicts?story={demo['story']}")
    assert "Changed over time" in html and re.search(r'class="value">12</b>.*→.*class="value">9</b>', html)
    assert web.json(f"/stories/{demo['story']}.json")["conflicts"] == body["total"]


def test_quotes_have_the_speaker_their_sentence_names(demo):
    quotes = [c for c in queries.claims(demo["store"]) if c.attribute == "quote"]
    names = queries.claim_subjects(demo["store"], {c.subject for c in quotes})
    speakers = {c.value: names[c.subject].name for c in quotes}
    assert not {"Guild", "Herald", "Harbour Wire"} & set(speakers.values())
    assert not [q for q in speakers if re.match(r"(and|but|or|while)\b", q)]  # no fragment
    assert speakers["as a basis for a final agreement"] == "Pavel Vrastek"
    assert speakers["It was a useful conversation. We agreed to keep the channel open,"] == "Pavel Vrastek"


def test_the_briefing_marks_low_confidence_events(demo):
    data = briefing_data(demo["store"], demo["story"])
    crowded = next(e for e in data["encounters"] if e["id"] == demo["event"])
    assert crowded["low_confidence"] and crowded["confidence"] == pytest.approx(0.3)
    assert not all(e["low_confidence"] for e in data["encounters"])
    text = render_markdown(data)
    row = next(line for line in text.splitlines() if "Nine delegates met in Saltmere" in line)
    assert "(**low confidence** 0.30)" in row


def test_web_event_rows_name_their_outlets_and_link_the_participants_they_fold(demo):
    web = demo["web"]
    html = web.html(f"/stories/{demo['story']}?limit=100")
    row = html[html.index(f'id="ev-{demo["event"]}"'):]
    row = row[:row.index("</tr>")]
    assert f'href="/events/{demo["event"]}"' in row and ">+3 more</a>" in row and "Lene Halvard" not in row.split(
        'title="')[0]
    assert re.search(r'class="outlet">Harbour Wire</span> <span class="muted">\(copy: Evening Ledger\)', row)
    page = web.html(f"/events/{demo['event']}")
    assert all(name in page for name in CROWD)  # the event page lists every participant
