"""The whole pipeline on small synthetic inputs, through the library and the CLI."""
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline import pipeline
from storyline.cli import app
from storyline.report.export import export_document
from storyline.settings import Settings
from storyline.store import Store

MINI = Path(__file__).parent / "data" / "mini"
runner = CliRunner()
pytestmark = pytest.mark.slow


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "inbox"
    shutil.copytree(MINI, folder)
    # the text scrape has no date of its own besides the dateline; give it one through its name? no: infer it
    return folder


def test_ingest_process_export(corpus, db):
    store = Store(db)
    ingested, processed = pipeline.run([str(corpus)], store, Settings(db=db))
    assert not ingested.errors
    assert sorted(ingested.added) == ["call", "strike-1", "talks", "talks-copy"]
    # re-ingesting is a no-op
    again = pipeline.ingest([str(corpus)], store, Settings(db=db))
    assert again.added == [] and again.existing == 4

    document = export_document(store)
    assert document["version"] == "1.1"
    articles = {a["id"]: a for a in document["articles"]}
    assert set(articles) == {"call", "strike-1", "talks", "talks-copy"}
    assert articles["talks-copy"]["duplicate_of"] == "talks" or articles["talks"]["duplicate_of"] == "talks-copy"
    assert articles["call"]["published"] == "2014-03-07" and articles["call"]["outlet"] == "Valdoria Daily"
    # the scrape's date comes from its dateline and the corpus (year) when nothing else gives it
    assert articles["talks"]["published"] == "2014-03-03"
    assert articles["talks"]["published_source"] == "inferred"
    stories = {a["story"] for a in document["articles"] if a["id"] != "strike-1"}
    assert len(stories) == 1 and articles["strike-1"]["story"] not in stories

    people = {e["name"]: e for e in document["entities"] if e["type"] == "PERSON"}
    assert {"Mirela Dunca", "Pavel Hrodna", "Tomas Ebbing"} <= set(people)
    assert "Dunca" in people["Mirela Dunca"]["aliases"]
    for entity in document["entities"]:
        for mention in entity["mentions"]:
            text = store.article_text(mention["article"])
            assert text[mention["start"]:mention["end"]] == mention["text"]

    meetings = [e for e in document["events"] if e["type"] == "meeting" and e["date"] == "2014-03-03"]
    assert len(meetings) == 1
    meeting = meetings[0]
    assert meeting["place"] == "Saltmere" or meeting["place"] is None
    assert {"Mirela Dunca", "Pavel Hrodna"} <= set(meeting["participants"])
    assert meeting["independent_sources"] == 1  # the aggregator's copy does not count
    calls = [e for e in document["events"] if e["type"] == "call"]
    assert calls and calls[0]["date"] == "2014-03-06"
    conflict_topics = [c["topic"] for c in document["conflicts"]]
    points = [c for c in document["claims"] if c["attribute"] == "plan_points"]
    assert {c["value"] for c in points} == {"12", "9"}
    assert "number of points in the plan" in conflict_topics


def test_bad_inputs_are_reported_and_the_rest_ingested(tmp_path, db):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("Mirela Dunca met Pavel Hrodna in Saltmere on Monday.\n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.html").write_text("<html><body><div><script>x</script></div></body></html>", encoding="utf-8")
    (folder / "dump.jsonl").write_text(
        '{"text": "Pavel Hrodna spoke in Saltmere on Tuesday about the plan."}\n{not json}\n', encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("skipped:")]
    assert len(lines) == 4
    assert any("binary.txt" in line for line in lines) and any("empty.txt" in line for line in lines)
    assert any("broken.html" in line for line in lines) and any("dump.jsonl:2" in line for line in lines)
    assert "added 2 articles" in result.output
    assert len(Store(db).article_ids()) == 2


def test_every_command_has_help():
    for name, command in [(c.name, c) for c in app.registered_commands]:
        result = runner.invoke(app, [name or command.callback.__name__, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_cli_run_stories_timeline_entities_export(corpus, db, tmp_path):
    assert runner.invoke(app, ["run", str(corpus), "--db", db]).exit_code == 0
    stories = runner.invoke(app, ["stories", "--db", db, "--json"])
    listed = json.loads(stories.output)
    assert listed and listed[0]["size"] >= 2
    timeline = runner.invoke(app, ["timeline", "--db", db])
    assert "2014-03-03" in timeline.output and "meeting" in timeline.output
    entity = runner.invoke(app, ["entity", "Dunca", "--db", db])
    assert "Mirela Dunca" in entity.output and "[Dunca]" in entity.output
    out = tmp_path / "export.json"
    assert runner.invoke(app, ["export", "--db", db, "--out", str(out)]).exit_code == 0
    assert json.loads(out.read_text())["version"] == "1.1"
    csv_dir = tmp_path / "csv"
    assert runner.invoke(app, ["export", "--db", db, "--out", str(csv_dir), "--format", "csv"]).exit_code == 0
    assert (csv_dir / "events.csv").read_text().startswith("id,")
    found = runner.invoke(app, ["search", "Saltmere", "--db", db, "--json"])
    assert json.loads(found.output)


def test_missing_store_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["stories", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code != 0
