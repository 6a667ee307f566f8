"""The bundled demo corpus end to end: the timeline's facts against the corpus's answer key."""
import pytest

from storyline import pipeline
from storyline.cli.commands import demo_corpus
from storyline.report.export import export_document
from storyline.settings import Settings
from storyline.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def document(new_db):
    db = new_db("demo")
    store = Store(db)
    ingested, _ = pipeline.run([str(demo_corpus())], store, Settings(db=db))
    assert not ingested.errors and len(ingested.added) == 16
    return export_document(store)


def articles(document):
    return {a["id"]: a for a in document["articles"]}


def test_copies_are_linked(document):
    by_id = articles(document)
    assert by_id["d04"]["duplicate_of"] == "d03"
    assert by_id["d15"]["duplicate_of"] == "d14"


def test_missing_publication_dates_are_recovered(document):
    by_id = articles(document)
    assert by_id["d03"]["published"] == "2014-03-04"
    assert by_id["d11"]["published"] == "2014-03-11"
    assert by_id["d15"]["published"] == "2014-03-14"


def test_unrelated_story_stays_apart(document):
    by_id = articles(document)
    talks = {by_id[i]["story"] for i in ("d01", "d02", "d03", "d05", "d07", "d09", "d10", "d12", "d13", "d14", "d16")}
    assert len(talks) == 1
    assert by_id["d08"]["story"] == by_id["d11"]["story"]
    assert by_id["d08"]["story"] not in talks


def test_spelling_variants_resolve_to_one_person(document):
    people = {e["name"]: set(e["aliases"]) for e in document["entities"] if e["type"] == "PERSON"}
    assert {"Mirela Dunka", "Dunca"} <= people["Mirela Dunca"]
    assert "Paul Vrastek" in people["Pavel Vrastek"]
    assert "Thomas Ebbing" in people["Tomas Ebbing"]


def dated(document, kind):
    return [e for e in document["events"] if e["type"] == kind and e["date"]]


def test_timeline_facts(document):
    first_round = [e for e in dated(document, "meeting") if e["date"] == "2014-03-03" and e["place"] == "Saltmere"]
    assert first_round and first_round[0]["independent_sources"] >= 3
    call = [e for e in dated(document, "call") if e["date"] == "2014-03-06"]
    assert call and {"Mirela Dunca", "Pavel Vrastek"} <= set(call[0]["participants"]) and call[0]["place"] is None
    visit = [e for e in dated(document, "meeting") + dated(document, "visit")
             if e["date"] == "2014-03-09" and e["place"] == "Port Velin"]
    assert visit and {"Tomas Ebbing", "Pavel Vrastek"} <= set(visit[0]["participants"])
    second = [e for e in dated(document, "meeting") if e["place"] == "Norrholm" and e["date_status"] == "happened"]
    assert second and second[0]["date"].startswith("2014-03-1")
    # ordered by date, each with its sources
    dates = [e["date"] for e in document["events"] if e["date"]]
    assert dates == sorted(dates)


def test_plan_points_change_is_recorded(document):
    values = {c["value"] for c in document["claims"] if c["attribute"] == "plan_points"}
    assert {"12", "9"} <= values
