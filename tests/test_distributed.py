"""The dask run equals a local run: same articles, duplicates, stories, entities, events and claims."""
import json

import pytest

from storyline import pipeline
from storyline.cli.commands import demo_corpus
from storyline.report.export import export_document
from storyline.settings import Settings
from storyline.store import Store

distributed = pytest.importorskip("dask.distributed", reason="needs the optional dependency dask[distributed]")

pytestmark = pytest.mark.slow

GENERATED = {"generated_at", "exported_at", "updated_at", "at"}  # timestamps of the run, not results


def comparable(value):
    """The export without the times it was made at."""
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items() if k not in GENERATED}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    return value


@pytest.fixture(scope="module")
def cluster():
    from storyline.distributed import local_cluster

    with local_cluster(workers=2, threads_per_worker=1) as cluster, \
            distributed.Client(cluster, set_as_default=False) as client:
        yield client


def test_dask_run_equals_local_run(cluster, new_db):
    from storyline.distributed import run_distributed

    local_db, dask_db = new_db("local"), new_db("dask")
    local_store, dask_store = Store(local_db), Store(dask_db)
    ingested, processed = pipeline.run([str(demo_corpus())], local_store, Settings(db=local_db))
    report = run_distributed([str(demo_corpus())], dask_store, Settings(db=dask_db), client=cluster)

    assert report.workers == 2
    assert sorted(report.ingest.added) == sorted(ingested.added) and len(report.ingest.added) == 16
    assert (report.process.analysed, report.process.duplicates, report.process.stories, report.process.entities,
            report.process.events) == (processed.analysed, processed.duplicates, processed.stories,
                                       processed.entities, processed.events)
    local, remote = comparable(export_document(local_store)), comparable(export_document(dask_store))
    for key in local:
        assert remote[key] == local[key], key
    # the per-article results themselves, not only what the export shows
    assert dask_store.analyses() == local_store.analyses()
    assert [a.published for a in dask_store.articles()] == [a.published for a in local_store.articles()]
    for store in (local_store, dask_store):
        store.close()


def test_every_worker_loaded_the_models_once(cluster):
    from storyline.distributed import ModelLoader

    cluster.register_plugin(ModelLoader(["en"]), name=ModelLoader.name)

    def cached() -> dict:
        from storyline.article import nlp
        from storyline.common import encoder as clustering

        return {"spacy": nlp.english_model.cache_info().currsize, "encoder": clustering.encoder.cache_info().currsize}

    loaded = cluster.run(cached)
    assert len(loaded) == 2 and all(v == {"spacy": 1, "encoder": 1} for v in loaded.values())


def test_cli_run_dask_on_a_running_cluster(cluster, tmp_path, db):
    from typer.testing import CliRunner

    from storyline.cli import app

    folder = tmp_path / "inbox"
    folder.mkdir()
    source = demo_corpus() / "articles"
    for name in ("d01.txt", "d03.txt", "d04.txt", "d08.txt"):
        (folder / name).write_text((source / name).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"")
    result = CliRunner().invoke(app, ["run-dask", str(folder), "--scheduler", cluster.scheduler.address, "--db", db])
    assert result.exit_code == 1, result.output
    assert "added 4 articles" in result.output and "on 2 workers" in result.output
    assert "skipped:" in result.output
    store = Store(db)
    assert len(store.article_ids()) == 4 and json.loads(store.rows("features")[0]["names"])
