"""Repairs of the NER model's spans (on strings; the model itself is exercised by the pipeline tests)."""
from storyline.stages.nlp import _institution_words, split_span


def test_a_body_tagged_as_a_person_is_recognised():
    assert _institution_words("Foreign Affairs")
    assert _institution_words("Armed Forces")
    assert not _institution_words("Affairs")  # one word: nothing to go on
    assert not _institution_words("Emily Post") and not _institution_words("Margaret Court")


def test_two_names_in_one_span_are_split():
    pieces = split_span("Rubio, Witkoff", 10, "PERSON")
    assert [(p[0], p[1]) for p in pieces] == [("Rubio", 10), ("Witkoff", 17)]


def test_a_hyphenated_pair_of_surnames_is_two_people():
    assert [p[0] for p in split_span("Dunca-Hrodna", 0, "PERSON")] == ["Dunca", "Hrodna"]
