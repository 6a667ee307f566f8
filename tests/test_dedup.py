from storyline.article.fingerprint import minhash, paragraph_hashes
from storyline.corpus.dedup import DuplicateIndex, copy_score, copy_sentences

ORIGINAL = """Valdorian and Ostravan negotiators met in Saltmere on Monday for a first round of talks on the \
ceasefire plan.
The Valdorian delegation was led by Mirela Dunca, the secretary of the security council, who called the talks \
constructive.
Pavel Hrodna, the Ostravan foreign minister, said the twelve-point plan would need changes before it could be signed.
The Kestish envoy Tomas Ebbing, who mediated, said a second round was expected later this month in Norrholm.
Ferry services in the harbour were not affected by the talks, the port authority said in a statement on Monday."""

SPUN = """Valdorian and Ostravan negotiators gathered in Saltmere on Monday for a first round of discussions on the \
ceasefire plan.
The Valdorian delegation was headed by Mirela Dunca, the secretary of the security council, who described the talks \
as constructive.
Pavel Hrodna, the Ostravan foreign minister, stated the twelve-point plan would need changes before it could be signed.
The Kestish envoy Tomas Ebbing, who mediated, said a second round was anticipated later this month in Norrholm.
Ferry services in the harbour were not affected by the talks, the port authority stated in a statement on Monday."""

UNRELATED = """Ferry workers in Norrholm walked out on Tuesday over pay, stranding thousands of passengers in the \
harbour.
The union said the strike would last until the operator improved its offer, which it called insulting to its members.
The operator said it had offered a four percent rise and accused the union of holding passengers hostage to its \
demands.
City officials urged both sides to return to talks, and said extra buses would run between the two island terminals.
Passengers queued for hours at the terminal, and some said they would miss flights from the airport on the mainland."""


def build(texts):
    store = dict(texts)
    index = DuplicateIndex(text_of=store.__getitem__)
    results = {}
    for article_id, text in texts:
        results[article_id] = index.add(article_id, str(hash(text)), minhash(text), text)
    return results


def test_exact_copy():
    results = build([("a", ORIGINAL), ("b", ORIGINAL)])
    assert results["a"] == (None, 0.0)
    assert results["b"] == ("a", 1.0)


def test_spun_copy_is_a_near_duplicate_and_unrelated_is_not():
    results = build([("a", ORIGINAL), ("b", UNRELATED), ("c", SPUN)])
    assert results["b"][0] is None
    assert results["c"][0] == "a"


def test_copy_of_a_copy_points_at_the_first_original():
    copy_of_copy = SPUN + "\nOne more line added by the aggregator at the very end."
    results = build([("a", ORIGINAL), ("b", SPUN), ("c", copy_of_copy)])
    assert results["b"][0] == "a" and results["c"][0] == "a"


def test_copy_score_and_paragraphs():
    assert copy_score(copy_sentences(ORIGINAL), copy_sentences(SPUN)) >= 0.6
    assert copy_score(copy_sentences(ORIGINAL), copy_sentences(UNRELATED)) == 0.0
    shared = set(paragraph_hashes(ORIGINAL)) & set(paragraph_hashes(ORIGINAL.replace("Monday.", "Monday!")))
    assert shared
