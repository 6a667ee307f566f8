"""No single article can hold up the pipeline: per-article work runs within a time budget; an article
over it is recorded as a problem, left out by the stage that choked on it, and nothing stored is lost."""
import threading
import time

import pytest
from typer.testing import CliRunner

from storyline import pipeline
from storyline.article import analyze as analyze_stage
from storyline.budget import OverBudget, time_budget
from storyline.cli import app
from storyline.read import queries
from storyline.settings import Settings
from storyline.store import Store


def spin(seconds: float) -> int:
    """Pure Python work for about ``seconds`` of this thread's CPU time (what a runaway loop over
    article text looks like; budgets count CPU time)."""
    end, n = time.thread_time() + seconds, 0
    while time.thread_time() < end:
        n += 1
    return n


def test_a_sleeping_block_spends_no_budget():
    """Budgets are CPU time: waiting (a busy machine, a slow disk) never leaves an article out."""
    with time_budget(0.2):
        time.sleep(0.5)


def test_a_runaway_loop_is_stopped_when_its_budget_runs_out():
    start = time.process_time()
    with pytest.raises(OverBudget) as raised, time_budget(0.2):
        spin(30)
    assert time.process_time() - start < 2  # CPU seconds: not the 30 the loop wanted
    assert raised.value.budget == 0.2


def test_work_within_its_budget_is_untouched_and_leaves_no_timer_behind():
    with time_budget(1.0):
        assert spin(0.05) > 0
    spin(1.2)  # a stray timer would fire here


def test_budgets_nest_and_the_outer_one_still_fires():
    with pytest.raises(OverBudget) as raised, time_budget(0.3):
        with time_budget(5.0):
            spin(0.1)
        spin(30)
    assert raised.value.budget == 0.3


def test_without_a_timer_the_overrun_is_found_when_the_work_ends():
    """A worker thread (a Dask worker runs tasks in threads) cannot be interrupted: the work is timed."""
    caught = []

    def work():
        try:
            with time_budget(0.1):
                spin(0.3)
        except OverBudget as over:
            caught.append(over.spent)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert caught and caught[0] >= 0.3


def test_no_budget_means_no_limit():
    with time_budget(0):
        spin(0.05)


STALL = "Stallword"


@pytest.fixture
def stalling_analysis(monkeypatch):
    """The analysis of any article naming STALL runs forever, as a super-linear pattern would."""
    real = analyze_stage.analyze_parsed

    def analyze_parsed(article, parsed, reference=None):
        if STALL in article.text:
            spin(3600)
        return real(article, parsed, reference)

    monkeypatch.setattr(analyze_stage, "analyze_parsed", analyze_parsed)


@pytest.mark.slow  # loads spaCy
def test_an_article_over_budget_is_recorded_left_out_and_never_retried(stalling_analysis, tmp_path, new_db):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "ok1.txt").write_text("Talks in Saltmere\n\nTomas Ebbing met Pavel Vrastek in Saltmere on Monday, "
                                    "the foreign ministry said.\n", encoding="utf-8")
    (folder / "stuck.txt").write_text(f"A hostile item\n\n{STALL} and more words follow here for the body.\n",
                                      encoding="utf-8")
    (folder / "ok2.txt").write_text("Ministers to meet\n\nThe ministers will meet again in Brava next week, "
                                    "an official said.\n", encoding="utf-8")
    db = new_db("budget")
    store = Store(db)
    settings = Settings(db=db, article_budget=0.5)
    start = time.monotonic()
    ingested, processed = pipeline.run([str(folder)], store, settings)
    assert time.monotonic() - start < 120
    assert len(ingested.added) == 3  # stored, all of them
    assert len(processed.skipped) == 1
    stuck = processed.skipped[0]
    analyses = store.analyses()
    assert analyses[stuck].skipped and not analyses[stuck].mentions
    assert all(a.mentions for aid, a in analyses.items() if aid != stuck)  # the others went on
    total, rows = queries.problems(store)
    assert total == 1 and rows[0]["code"] == "S023" and "stuck.txt" in rows[0]["source"]
    assert "time budget" in rows[0]["message"] and stuck in rows[0]["message"]
    # a later run does not choke on it again
    assert store.pending_analysis(analyze_stage.VERSION) == []
    again = pipeline.process(store, settings)
    assert again.analysed == 0 and again.skipped == []
    # the user sees it
    result = CliRunner().invoke(app, ["problems", "--db", db])
    assert result.exit_code == 0 and "S023" in result.output and "time budget" in result.output
    store.close()


@pytest.mark.slow  # loads spaCy
def test_an_article_over_budget_in_the_corpus_stage_keeps_its_analysis_and_is_not_rescanned(monkeypatch, tmp_path,
                                                                                             new_db):
    from storyline.corpus import scan

    real, calls = scan.scan_article, []

    def scan_article(article, analysis, known):
        calls.append(article.id)
        if STALL in article.text:
            spin(3600)
        return real(article, analysis, known)

    monkeypatch.setattr(scan, "scan_article", scan_article)
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "ok.txt").write_text("Talks in Saltmere\n\nTomas Ebbing met Pavel Vrastek in Saltmere on Monday.\n",
                                   encoding="utf-8")
    (folder / "stuck.txt").write_text(f"Talks again\n\nTomas Ebbing spoke. {STALL} follows.\n", encoding="utf-8")
    db = new_db("corpus-budget")
    store = Store(db)
    settings = Settings(db=db, article_budget=0.5)
    ingested, processed = pipeline.run([str(folder)], store, settings)
    assert len(ingested.added) == 2 and processed.skipped == []  # the analysis itself went through
    total, rows = queries.problems(store)
    assert total == 1 and rows[0]["code"] == "S023" and "corpus stage scan" in rows[0]["message"]
    assert "stuck.txt" in rows[0]["source"]
    assert store.rows("entities")  # the record was built, from the other article and what the model found
    calls.clear()
    (folder / "more.txt").write_text("More talks\n\nPavel Vrastek flew home on Tuesday.\n", encoding="utf-8")
    pipeline.run([str(folder)], store, settings)
    assert "stuck" not in calls and "ok" in calls  # not scanned again; the others are
    assert queries.problems(store)[0] == 1
    store.close()
