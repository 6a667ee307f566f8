"""An article's analysis is a function of the article alone: the same bit for bit whatever else
shares its batch, its process or its worker (the dask test checks the same on a cluster)."""
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest

from storyline.article.analyze import analyze_batch
from storyline.cli.commands import demo_corpus
from storyline.common.encoder import embed
from storyline.pipeline import prepare
from storyline.settings import Settings
from storyline.sources import iter_sources

pytestmark = pytest.mark.slow  # loads spaCy, natasha and the sentence encoder


@pytest.fixture(scope="module")
def articles():
    prepared, problems = prepare(iter_sources(str(demo_corpus()), Settings()), Settings())
    assert not problems
    return sorted((article for article, _ in prepared), key=lambda a: a.id)


def results(batch):
    """What the store keeps of each article: the analysis and its features, keyed by article id."""
    return {analysis.article_id: (analysis, features) for analysis, features in analyze_batch(batch)}


def _in_child(batch):
    return results(batch)


def test_encoder_gives_a_text_the_same_vector_in_any_company():
    texts = ["The envoys met in the capital on Tuesday.", "Переговоры продолжатся завтра.", "A" * 300]
    together = embed(texts)
    for index, text in enumerate(texts):
        alone = embed([text])[0]
        assert alone.tobytes() == together[index].tobytes()
    assert embed(texts[::-1])[::-1].tobytes() == together.tobytes()


def test_analysis_does_not_depend_on_the_batch(articles):
    whole = results(articles)
    # every article alone, and in batches of a different make-up and order
    for article in articles[:6]:
        assert results([article]) == {article.id: whole[article.id]}
    shuffled = results(articles[::-1][:9] + articles[:3])
    for article_id, result in shuffled.items():
        assert result == whole[article_id], article_id
    quoted = [a for a in whole.values() if a[0].quotes]
    assert quoted, "the demo corpus has quotes: their vectors are part of what is compared"


def test_analysis_does_not_depend_on_the_process(articles):
    here = results(articles[:5])
    context = multiprocessing.get_context("spawn")  # a fresh interpreter that loads the models itself
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        there = pool.submit(_in_child, articles[3:5] + articles[:3]).result(timeout=600)
    assert there == here
