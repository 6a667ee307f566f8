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
    """Reports counted for an event although neither their own sentence nor their own article dates it:
    each report without a date (``date_basis`` none) must share its article with a dated report of
    the same event (an explicit link inside the article), never join by a name alone."""
    wrong = []
    for event in export["events"]:
        if not event.get("date"):
            continue
        dated = {m["article"] for m in event["mentions"] if m.get("date_basis", "none") != "none"}
        for m in event["mentions"]:
            if m.get("date_basis", "none") == "none" and m["article"] not in dated:
                wrong.append(f"{event['id']} {event['date']}: {m['article']} {m['sentence'][:80]!r}")
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
    export = {"events": [{"id": "v1", "date": "2014-03-04", "mentions": [
        {"article": "a", "sentence": "Dunca met Hrodna on March 4.", "date_basis": "stated"},
        {"article": "a", "sentence": "The talks lasted hours.", "date_basis": "none"},
        {"article": "b", "sentence": "Dunca praised Hrodna.", "date_basis": "none"}]}]}
    assert [w.split(": ")[1][:1] for w in unsupported_sources(export)] == ["b"]
