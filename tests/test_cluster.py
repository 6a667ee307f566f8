from collections import Counter
from datetime import date

import numpy as np
import pytest

from storyline.common.encoder import embed
from storyline.corpus.stories import Clusterer

# The same envoy mediates two different negotiations: they share him, little else.
TALKS = ["dunka", "grodna", "ebing", "saltmere", "country:VA", "country:OS"]
OTHER_TALKS = ["ebing", "kuzner", "portvelin", "marenland", "tessaly"]
STRIKE = ["ferrymen", "norrholm", "gullskerry"]


def meaning(seed: int) -> np.ndarray:
    """A fixed unit vector per topic, with a little noise per article."""
    rng = np.random.default_rng(seed)
    base = np.random.default_rng(seed // 100).normal(size=512)
    vector = base + 0.3 * rng.normal(size=512)
    return (vector / np.linalg.norm(vector)).astype(np.float32)


ARTICLES = [
    ("a1", Counter(TALKS[:5]), meaning(101), date(2014, 3, 3)),
    ("a2", Counter(STRIKE), meaning(301), date(2014, 3, 3)),
    ("a3", Counter(TALKS[1:]), meaning(102), date(2014, 3, 4)),
    ("a4", Counter(OTHER_TALKS), meaning(201), date(2014, 3, 4)),
    ("a5", Counter(TALKS[:4]), meaning(103), date(2014, 3, 6)),
    ("a6", Counter(STRIKE[:2]), meaning(302), date(2014, 3, 6)),
    ("a7", Counter(OTHER_TALKS[:4]), meaning(202), date(2014, 3, 7)),
]


def partition(assignments):
    groups = {}
    for article, story in assignments.items():
        groups.setdefault(story, set()).add(article)
    return sorted(sorted(g) for g in groups.values())


def test_stories_separate_confusable_topics():
    clusterer = Clusterer()
    for article_id, names, vector, when in ARTICLES:
        clusterer.add(article_id, names, vector, when)
    assert partition(clusterer.assignments) == [["a1", "a3", "a5"], ["a2", "a6"], ["a4", "a7"]]


def test_one_at_a_time_equals_batch_even_through_persistence():
    batch = Clusterer()
    for article_id, names, vector, when in ARTICLES:
        batch.add(article_id, names, vector, when)
    state = Clusterer().to_dict()
    for article_id, names, vector, when in ARTICLES:
        one = Clusterer.from_dict(state)  # a fresh process each time, as `storyline run` on one file
        one.add(article_id, names, vector, when)
        state = one.to_dict()
    assert partition(Clusterer.from_dict(state).assignments) == partition(batch.assignments)


def test_time_gap_damps_similarity():
    clusterer = Clusterer()
    clusterer.add("a", Counter(TALKS), meaning(101), date(2014, 1, 1))
    assert clusterer.add("b", Counter(TALKS), meaning(102), date(2014, 1, 2)) == clusterer.assignments["a"]
    assert clusterer.add("c", Counter(TALKS), meaning(103), date(2015, 6, 1)) != clusterer.assignments["a"]


def test_copies_attach_to_their_original_story():
    clusterer = Clusterer()
    story = clusterer.add("a", Counter(TALKS), meaning(101), date(2014, 1, 1))
    assert clusterer.attach("copy", story, date(2014, 1, 2)) == story
    assert clusterer.stories[story].members == ["a", "copy"]


def test_an_early_article_finds_its_story_later():
    clusterer = Clusterer()
    # one talks article, then only strike articles for a while, then many talks articles
    clusterer.add("t0", Counter(TALKS[:3]), meaning(104), date(2014, 3, 1))
    for i in range(6):
        clusterer.add(f"s{i}", Counter(STRIKE), meaning(310 + i), date(2014, 3, 2))
    for i in range(9):
        clusterer.add(f"t{i + 1}", Counter(TALKS), meaning(110 + i), date(2014, 3, 3))
    assert clusterer.assignments["t0"] == clusterer.assignments["t9"]


@pytest.mark.slow
def test_multilingual_embedding_puts_translations_together():
    vectors = embed(["Tomas Ebbing and Henrik Vasse met Pavel Vrastek in Moscow for five hours of talks on the peace "
                     "plan.",
                     "Томас Эббинг и Хенрик Вассе встретились с Павлом Врастеком в Москве, переговоры длились пять "
                     "часов.",
                     "A fire in a residential block killed dozens of people overnight."])
    assert vectors[0] @ vectors[1] > 0.5 > vectors[0] @ vectors[2]


def test_a_surname_heard_alike_across_scripts_is_one_name():
    """The same surname from an English and a Russian report ("vrastek", "vrastak" with a case ending "vrastaka")
    is one clustering name; ids and keys of several words are kept as written, and a short key too."""
    from storyline.corpus.stories import heard

    assert heard(Counter(["vrastek"])) == heard(Counter(["vrastak"])) == heard(Counter(["vrastaka"]))
    assert heard(Counter(["country:VA", "saltmere harbour", "lee"])) == Counter(
        ["country:VA", "saltmere harbour", "lee"])
    only_names = Clusterer()
    first = only_names.add("en", Counter(["vrastek", "dunka", "country:VA"]), None, date(2014, 3, 3))
    assert only_names.add("ru", Counter(["vrastaka", "dunka", "country:VA"]), None, date(2014, 3, 4)) == first
