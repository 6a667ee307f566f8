"""Nothing new costs nothing: a run that brings nothing the corpus stage reads leaves that stage alone;
what it reads changing (an article, a date, the alias file, a setting, a stage version) runs it again, and
``storyline rebuild`` runs it whatever changed."""
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import article
from storyline import pipeline
from storyline.cli import app
from storyline.report.export import export_document
from storyline.settings import Settings
from storyline.store import Store

MINI = Path(__file__).parent / "data" / "mini"
runner = CliRunner()
pytestmark = pytest.mark.slow

VISIT = {"id": "visit", "title": "Hrodna visits Norrholm", "outlet": "Norrholm Courier", "published": "2014-03-08",
         "language": "en", "text": "Ostravan foreign minister Pavel Hrodna visited Norrholm on Saturday and met "
         "the ferry union. He said talks with Valdoria would resume in Saltmere next week."}


@pytest.fixture
def rebuilds(monkeypatch) -> list:
    """The runs of the corpus stage (which still runs): one entry, the aliases it got, per run."""
    calls = []
    real = pipeline.rebuild_corpus

    def counted(store, settings=None, aliases=None):
        calls.append(aliases)
        return real(store, settings, aliases)

    monkeypatch.setattr(pipeline, "rebuild_corpus", counted)
    return calls


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    shutil.copytree(MINI, folder)
    return folder


def changes(store: Store) -> int:
    return len(store.rows("changes"))


def test_a_run_with_nothing_new_does_no_corpus_work_and_one_new_article_does(inbox, db, rebuilds):
    store = Store(db)
    settings = Settings(db=db, progress=False)
    _, first = pipeline.run([str(inbox)], store, settings)
    assert rebuilds == [None] and first.corpus_rebuilt
    stamp = store.get_meta(pipeline.CORPUS_STAMP)
    assert stamp["inputs"]["store"]["articles"] == stamp["inputs"]["store"]["analysed"] == 4
    record, logged = export_document(store), changes(store)

    ingested, again = pipeline.run([str(inbox)], store, settings)  # a poll that finds nothing new
    assert ingested.added == [] and ingested.existing == 4
    assert len(rebuilds) == 1 and not again.corpus_rebuilt
    assert (again.stories, again.entities, again.events) == (first.stories, first.entities, first.events)
    assert store.get_meta(pipeline.CORPUS_STAMP) == stamp  # the stamp of the last rebuild is untouched
    assert changes(store) == logged and export_document(store) == record
    result = runner.invoke(app, ["process", "--db", db])  # the CLI's process, in a process of its own settings
    assert result.exit_code == 0, result.output
    assert len(rebuilds) == 1 and store.get_meta(pipeline.CORPUS_STAMP) == stamp

    (inbox / "more.jsonl").write_text(json.dumps(VISIT) + "\n", encoding="utf-8")
    ingested, grown = pipeline.run([str(inbox)], store, settings)
    assert ingested.added == ["visit"]
    assert len(rebuilds) == 2 and grown.corpus_rebuilt
    assert store.get_meta(pipeline.CORPUS_STAMP)["inputs"]["store"]["analysed"] == 5
    assert "visit" in {a["id"] for a in export_document(store)["articles"]}
    _, idle = pipeline.run([str(inbox)], store, settings)
    assert len(rebuilds) == 2 and not idle.corpus_rebuilt


def test_what_else_the_corpus_stage_reads_runs_it_again(inbox, db, rebuilds, monkeypatch):
    store = Store(db)
    settings = Settings(db=db, progress=False)
    pipeline.run([str(inbox)], store, settings)
    assert len(rebuilds) == 1

    def runs(**options) -> bool:
        before = len(rebuilds)
        report = pipeline.process(store, options.pop("settings", settings), **options)
        assert report.corpus_rebuilt == (len(rebuilds) == before + 1)
        return report.corpus_rebuilt

    aliases = {"merge": [["Dunca", "Mirela Dunca"]], "separate": []}
    assert runs(aliases=aliases) and not runs(aliases=aliases)  # an alias file given, the same one again
    assert runs() and not runs()  # ... and left out again
    assert runs(settings=Settings(db=db, progress=False, article_budget=9.0))
    assert runs()
    store.set_publication("strike-1", "2014-03-05", "manifest")  # an article re-dated
    assert runs() and not runs()
    monkeypatch.setattr(pipeline, "claims_version", "claims-next")  # a new version of a corpus stage
    assert runs() and not runs()
    assert runs(force=True)


def test_an_article_stored_while_the_corpus_stage_runs_is_new_to_the_next_run(inbox, db, monkeypatch):
    store = Store(db)
    settings = Settings(db=db, progress=False)
    pipeline.run([str(inbox)], store, settings)
    real = pipeline.rebuild_corpus
    late = article("Ferry workers in Norrholm went back to work on Friday after the operator raised its offer.",
                   published="2014-03-07", article_id="late")
    calls = []

    def concurrent_ingest(store, settings=None, aliases=None):
        calls.append(1)
        summary = real(store, settings, aliases)
        store.add_articles([(late, None)])  # another process stores an article before the stamp is written
        return summary

    monkeypatch.setattr(pipeline, "rebuild_corpus", concurrent_ingest)
    pipeline.derive_corpus(store, settings, force=True)
    assert pipeline.derive_corpus(store, settings)[1] and len(calls) == 2
    assert not pipeline.derive_corpus(store, settings)[1] and len(calls) == 2


def test_rebuild_command_rederives_the_record(inbox, db, rebuilds):
    store = Store(db)
    settings = Settings(db=db, progress=False)
    pipeline.run([str(inbox)], store, settings)
    record = export_document(store)
    assert record["entities"] and record["events"] and record["stories"]
    # a record gone stale (here: emptied) is left alone while nothing it is derived from changes ...
    store.replace_results(stories=[], entities=[], entity_mentions=[], events=[], event_mentions=[], claims=[],
                          conflicts=[], changes=[])
    assert not pipeline.process(store, settings).corpus_rebuilt
    assert export_document(store)["entities"] == [] and len(rebuilds) == 1
    # ... and storyline rebuild derives it again from every stored article
    result = runner.invoke(app, ["rebuild", "--db", db])
    assert result.exit_code == 0, result.output
    assert "rebuilt" in result.output and len(rebuilds) == 2
    assert export_document(store) == record
    assert not pipeline.process(store, settings).corpus_rebuilt  # and the stamp is current again
