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


def score(corpus: Path, tmp_path: Path, db: str) -> dict:
    store = Store(db)
    ingested, _ = pipeline.run([str(corpus)], store, Settings(db=db))
    assert not ingested.errors, [str(e) for e in ingested.errors]
    out = tmp_path / "export.json"
    write_json(export_document(store), out)
    if not SCORER.is_file():
        pytest.skip("shared/tools/score.py is not available here")
    result = subprocess.run([sys.executable, str(SCORER), str(corpus), str(out), "--json"],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", sorted(k for k in FLOORS if not k.startswith("_")))
def test_scores_stay_above_their_floors(name, tmp_path, db):
    corpus = shared_corpus(name)
    scores = score(corpus, tmp_path, db)
    below = {}
    for metric, floor in FLOORS[name].items():
        group, key = metric.split(".", 1)
        value = scores[group][key]
        if value is None or value < floor:
            below[metric] = (value, floor)
    assert not below, f"{name}: below floor: {below}"
