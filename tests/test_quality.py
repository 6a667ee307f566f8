"""The evaluation gate: the whole pipeline on the hand-annotated corpora, scores above pinned floors.

Reads ../shared/corpus (skipped where it is absent) and ../shared/tools/score.py.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SHARED, shared_corpus
from storyline import pipeline
from storyline.report.export import export_document, write_json
from storyline.settings import Settings
from storyline.store import Store

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())
SCORER = SHARED.parent / "tools" / "score.py"
pytestmark = pytest.mark.slow


def score(corpus: Path, tmp_path: Path, db: str) -> tuple[dict, dict]:
    store = Store(db)
    ingested, _ = pipeline.run([str(corpus)], store, Settings(db=db))
    assert not ingested.errors, [str(e) for e in ingested.errors]
    out = tmp_path / "export.json"
    write_json(export_document(store), out)
    if not SCORER.is_file():
        pytest.skip("shared/tools/score.py is not available here")
    result = subprocess.run([sys.executable, str(SCORER), str(corpus), str(out), "--json"],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout), json.loads(out.read_text(encoding="utf-8"))


def unsupported_sources(export: dict) -> list[str]:
    """Events that count more independent sources than they have reports standing on a date: a report
    without a date of its own (``date_basis`` none) counts only when its article also has a dated report
    of the event (an explicit link inside the article); one that joined by what it names supports the
    record but must not add a source (EXPORT.md, ``independent_sources``)."""
    wrong = []
    for event in export["events"]:
        if not event.get("date"):
            continue
        dated = {m["article"] for m in event["mentions"] if m.get("date_basis", "none") != "none"}
        if event.get("independent_sources", 0) > len(dated):
            undated = [m for m in event["mentions"] if m["article"] not in dated]
            wrong.append(f"{event['id']} {event['date']}: {event['independent_sources']} sources, "
                         f"{len(dated)} dated articles; e.g. {undated[0]['article']} {undated[0]['sentence'][:80]!r}")
    return wrong


@pytest.mark.parametrize("name", sorted(k for k in FLOORS if not k.startswith("_")))
def test_scores_stay_above_their_floors(name, tmp_path, db):
    corpus = shared_corpus(name)
    scores, export = score(corpus, tmp_path, db)
    assert export["version"] == "1.1"
    assert all(0.0 <= e["confidence"] <= 1.0 for e in export["events"])
    assert not unsupported_sources(export), unsupported_sources(export)[:10]
    below = {}
    for metric, floor in FLOORS[name].items():
        group, key = metric.split(".", 1)
        value = scores[group][key]
        if value is None or value < floor:
            below[metric] = (value, floor)
    assert not below, f"{name}: below floor: {below}"


def test_the_evidence_check_catches_a_report_joined_by_name_alone():
    mentions = [{"article": "a", "sentence": "Dunca met Hrodna on March 4.", "date_basis": "stated"},
                {"article": "a", "sentence": "The talks lasted hours.", "date_basis": "none"},
                {"article": "b", "sentence": "Dunca and Hrodna met in Saltmere.", "date_basis": "none"}]
    counted = {"events": [{"id": "v1", "date": "2014-03-04", "independent_sources": 2, "mentions": mentions}]}
    assert [w.split("e.g. ")[1][:1] for w in unsupported_sources(counted)] == ["b"]
    supporting = {"events": [{"id": "v1", "date": "2014-03-04", "independent_sources": 1, "mentions": mentions}]}
    assert unsupported_sources(supporting) == []
