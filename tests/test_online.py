"""Stories built one article at a time equal the stories built in one batch."""
import json

import pytest

from storyline import pipeline
from storyline.cli.commands import demo_corpus
from storyline.settings import Settings
from storyline.store import Store

pytestmark = pytest.mark.slow


def demo_records():
    folder = demo_corpus()
    records = []
    for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        meta = json.loads(line)
        path = folder / meta.pop("file")
        meta["text" if path.suffix == ".txt" else "html"] = path.read_text(encoding="utf-8")
        records.append(meta)
    return records


def partition(store):
    groups = {}
    for row in store.rows("articles"):
        groups.setdefault(row["story"], set()).add(row["id"])
    return sorted(sorted(g) for g in groups.values())


def test_one_at_a_time_equals_batch(tmp_path, new_db):
    records = demo_records()
    batch_file = tmp_path / "all.jsonl"
    batch_file.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    batch_db = new_db("batch")
    pipeline.run([str(batch_file)], Store(batch_db), Settings(db=batch_db))

    single_db = new_db("single")
    store = Store(single_db)
    for index, record in enumerate(records):
        one = tmp_path / f"one-{index}.jsonl"
        one.write_text(json.dumps(record), encoding="utf-8")
        pipeline.run([str(one)], store, Settings(db=single_db))

    assert partition(store) == partition(Store(batch_db))
    assert len(partition(store)) >= 2
