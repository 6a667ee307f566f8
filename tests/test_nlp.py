"""Repairs of the NER model's spans (on strings; the model itself is exercised by the pipeline tests)."""
from storyline.article.nlp import _institution_words, split_span


def test_a_body_tagged_as_a_person_is_recognised():
    assert _institution_words("Foreign Affairs")
    assert _institution_words("Armed Forces")
    assert not _institution_words("Affairs")  # one word: nothing to go on
    assert not _institution_words("Emily Post") and not _institution_words("Margaret Court")


def test_two_names_in_one_span_are_split():
    pieces = split_span("Varga, Ebbing", 10, "PERSON")
    assert [(p[0], p[1]) for p in pieces] == [("Varga", 10), ("Ebbing", 17)]


def test_a_hyphenated_pair_of_surnames_is_two_people():
    assert [p[0] for p in split_span("Dunca-Hrodna", 0, "PERSON")] == ["Dunca", "Hrodna"]


def test_a_word_repeated_without_end_is_blanked_for_the_models_offsets_kept():
    from storyline.article.nlp import MAX_REPEATS, mask_repetition

    text = "Talks went on. " + "A " * 1000 + "Then Anna Petrova spoke."
    masked = mask_repetition(text)
    assert len(masked) == len(text)
    assert masked.count("A ") == MAX_REPEATS
    assert masked.endswith("Then Anna Petrova spoke.") and masked.index("Then") == text.index("Then")
    prose = "The the the talks. " * 50  # repeated, but never more than a few times in a row
    assert mask_repetition(prose) == prose


def test_long_texts_are_parsed_in_pieces_cut_at_paragraphs_then_spaces():
    from storyline.article.nlp import parse_pieces

    assert parse_pieces("short text") == [(0, 10)]
    text = ("word " * 300 + "\n\n") * 10
    pieces = parse_pieces(text, limit=2000)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:], strict=False))  # contiguous, nothing lost
    assert all(end - start <= 2000 for start, end in pieces)
    assert all(text[end:end + 2] == "\n\n" for _, end in pieces[:-1])  # at paragraph breaks
    assert parse_pieces("x" * 5000, limit=2000) == [(0, 2000), (2000, 4000), (4000, 5000)]


def test_a_slavic_span_running_over_a_verb_or_a_parenthesis_is_cut_into_its_names():
    from storyline.article.nlp_slavic import parse_slavic

    parsed = parse_slavic("Посол Ґюнтер Вальмер (Günter Walmer) заявив, що Вірастек зустрівся з Томасом Еббінгом "
                          "у Лісабоні. Урсула фон дер Лайтен приїхала.", "uk")
    people = [m.text for m in parsed.mentions if m.label == "PERSON"]
    assert not [p for p in people if "(" in p or " з " in p or "зустрівся" in p]
    assert "Урсула фон дер Лайтен" in people  # name particles stay inside the name


def test_chinese_and_japanese_paragraphs_are_cut_into_sentences():
    """Written without spaces, a paragraph is one token to the sentencizer: 。！？ end its sentences."""
    from storyline.article.nlp import split_sentences

    text = "蓝秋月與德國總理會談。雙方同意合作！他說：「好。」然後離開。 Tomas Ebbing met Anna Varga. He left."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["蓝秋月與德國總理會談。", "雙方同意合作！", "他說：「好。」", "然後離開。",
                                           "Tomas Ebbing met Anna Varga.", "He left."]
    assert all(text[s.start:s.start + len(s.text)] == s.text for s in sentences)
