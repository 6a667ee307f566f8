from collections import Counter
from datetime import date

from storyline.stages.cluster import Clusterer

# The same envoy mediates two different negotiations: they share him and the word "talks", little else.
TALKS = ["n:dunka", "n:grodna", "n:ebing", "n:saltmere", "n:valdoria", "n:ostrava", "w:talks", "w:plan",
         "w:delegation", "w:negotiation", "w:security", "w:council", "w:points", "w:round"]
OTHER_TALKS = ["n:ebing", "n:kuzner", "n:portvelin", "n:marenland", "n:tessaly", "w:ceasefire", "w:hostage",
               "w:talks", "w:truce", "w:aid", "w:prisoners", "w:exchange", "w:border"]
STRIKE = ["n:ferrymen", "n:norrholm", "w:strike", "w:ferry", "w:union", "w:wages", "w:harbour", "w:passengers",
          "w:terminal", "w:operator"]


def doc(words, extra=()):
    return Counter(list(words) + list(extra))


ARTICLES = [
    ("a1", doc(TALKS[:6], ["w:geneva"]), date(2014, 3, 3)),
    ("a2", doc(STRIKE[:5]), date(2014, 3, 3)),
    ("a3", doc(TALKS[1:], ["w:round"]), date(2014, 3, 4)),
    ("a4", doc(OTHER_TALKS), date(2014, 3, 4)),
    ("a5", doc(TALKS[:4] + TALKS[6:]), date(2014, 3, 6)),
    ("a6", doc(STRIKE[1:]), date(2014, 3, 6)),
    ("a7", doc(OTHER_TALKS[:6], ["w:hostages"]), date(2014, 3, 7)),
]


def partition(assignments):
    groups = {}
    for article, story in assignments.items():
        groups.setdefault(story, set()).add(article)
    return sorted(sorted(g) for g in groups.values())


def test_stories_separate_confusable_topics():
    clusterer = Clusterer(threshold=0.2)
    for article_id, raw, when in ARTICLES:
        clusterer.add(article_id, raw, when)
    assert partition(clusterer.assignments) == [["a1", "a3", "a5"], ["a2", "a6"], ["a4", "a7"]]


def test_one_at_a_time_equals_batch_even_through_persistence():
    batch = Clusterer(threshold=0.2)
    for article_id, raw, when in ARTICLES:
        batch.add(article_id, raw, when)
    state = Clusterer(threshold=0.2).to_dict()
    for article_id, raw, when in ARTICLES:
        one = Clusterer.from_dict(state)  # a fresh process each time, as `storyline run` on one file
        one.add(article_id, raw, when)
        state = one.to_dict()
    assert Clusterer.from_dict(state).assignments == batch.assignments


def test_time_gap_damps_similarity():
    clusterer = Clusterer(threshold=0.2)
    clusterer.add("a", doc(TALKS), date(2014, 1, 1))
    assert clusterer.add("b", doc(TALKS), date(2014, 1, 2)) == clusterer.assignments["a"]
    assert clusterer.add("c", doc(TALKS[:3], ["w:unrelated", "w:other"]), date(2015, 6, 1)) != clusterer.assignments["a"]


def test_copies_attach_to_their_original_story():
    clusterer = Clusterer(threshold=0.2)
    story = clusterer.add("a", doc(TALKS), date(2014, 1, 1))
    assert clusterer.attach("copy", story, date(2014, 1, 2)) == story
    assert clusterer.stories[story].members == ["a", "copy"]
