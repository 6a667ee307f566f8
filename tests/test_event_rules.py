"""The steps of ``extract_events``, on parses built by hand: no model is loaded.

Each test writes its sentence's tokens (with lemma, part of speech, tag and, where the rule reads it, the
dependency parse), names and dates itself, and calls one step: finding triggers, choosing them, picking
participants, place and dates, reading the tense, the status and the attribution.  A small gazetteer
stands in for the real one.  The same rules run on spaCy's parses in ``test_events.py``.
"""
from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest

from storyline.article.date_rules import Weekday, apply_rule
from storyline.article.events import (
    attribution_of,
    choose_triggers,
    event_context,
    event_dates,
    event_participants,
    event_place,
    event_status,
    extract_events,
    find_triggers,
    read_tense,
    select_triggers,
    sentence_events,
    sentence_parts,
)
from storyline.article.parsed import Parsed, Token
from storyline.common import gazetteer as gazetteer_module
from storyline.models import Mention, Sentence, TimeExpr

PUBLISHED = date(2014, 3, 5)  # a Wednesday


def anyone(start: int, end: int) -> bool:
    """``owned`` for a sentence with one encounter: every span belongs to it."""
    return True


class SmallGazetteer:
    KINDS = {"Lausanne": "city", "Berlin": "city", "Norrholm": "city", "Switzerland": "country"}

    def lookup(self, text, lemma=None):
        return SimpleNamespace(name=text, kind=self.KINDS[text]) if text in self.KINDS else None

    def country_of_demonym(self, text):
        return None


@pytest.fixture(autouse=True)
def small_gazetteer(monkeypatch):
    monkeypatch.setattr(gazetteer_module, "gazetteer", SmallGazetteer)


def parse(text: str, words: dict | None = None, names: list[tuple[str, str]] = (),
          deps: dict | None = None) -> Parsed:
    """A parse of ``text`` by hand.  A token per word or mark; its lemma is the word lower-cased unless
    ``words`` gives (lemma, pos, tag) for it; ``deps`` gives a word's (dep, head word) ("ROOT": its own
    head).  Sentences end at . ! or ?; ``names`` are (text, label), at their first occurrence."""
    words, deps = words or {}, deps or {}
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^.!?]+[.!?]?", text) if m.group().strip()]
    sentences = []
    for start, end in spans:
        start += len(text[start:end]) - len(text[start:end].lstrip())
        sentences.append(Sentence(len(sentences), start, end, text[start:end]))
    matches = list(re.finditer(r"\w+|[^\w\s]", text))
    index = {m.group(): i for i, m in reversed(list(enumerate(matches)))}
    tokens = []
    for i, m in enumerate(matches):
        lemma, pos, tag = words.get(m.group(), (m.group().lower(), "", ""))
        dep, head = deps.get(m.group(), ("", None))
        tokens.append(Token(m.start(), m.end(), m.group(), lemma, pos, tag, dep,
                            i if head is None or dep == "ROOT" else index[head]))
    mentions = []
    for name, label in names:
        start = text.index(name)
        sentence = next(s.index for s in sentences if s.start <= start < s.end)
        mentions.append(Mention(start, start + len(name), name, label, sentence))
    return Parsed(sentences, tokens, mentions)


def when(text: str, phrase: str, rule: Weekday, sentence: int = 0) -> TimeExpr:
    """The date expression ``phrase`` of ``text``, resolved by ``rule`` against PUBLISHED."""
    start = text.index(phrase)
    first, last = apply_rule(rule, PUBLISHED)
    return TimeExpr(start, start + len(phrase), phrase, first, last, True, sentence, True, rule=str(rule))


def set_dep(parsed: Parsed, index: int, dep: str, head: int) -> None:
    """The dependency of one token (for a word ``parse`` cannot tell apart: a second "on")."""
    parsed.tokens[index].dep, parsed.tokens[index].head = dep, head


def one_sentence(text: str, parsed: Parsed, times=()):
    """The context and parts of the first sentence of ``text``."""
    context = event_context(text, parsed, list(times), "en", PUBLISHED)
    return context, sentence_parts(context, parsed.sentences[0])


def names(parsed: Parsed, indices) -> list[str]:
    return sorted(parsed.mentions[i].text for i in indices)


MET = {"met": ("meet", "VERB", "VBD")}


# ---------------------------------------------------------------- triggers


def test_a_trigger_is_found_by_its_lemma():
    parsed = parse("Dunca met Hrodna in Lausanne.", MET)
    assert [(t.type, t.text, t.lemma) for t in find_triggers(parsed.tokens, "en")] == [("meeting", "met", "meet")]


def test_a_title_is_no_statement_and_according_to_is_no_accord():
    parsed = parse("The Secretary of State left, according to Axios.",
                   {"State": ("state", "PROPN", "NNP"), "according": ("accord", "VERB", "VBG")})
    assert find_triggers(parsed.tokens, "en") == []


def test_calling_for_something_is_no_call_and_a_weak_meeting_word_needs_someone_named():
    words = {"called": ("call", "VERB", "VBD"), "discussions": ("discussion", "NOUN", "NNS")}
    text = "Officials called for discussions."
    context, parts = one_sentence(text, parse(text, words))
    assert choose_triggers(find_triggers(parts.tokens, "en"), parts, "en") == ({}, [])
    text = "Dunca called for discussions."
    context, parts = one_sentence(text, parse(text, words, [("Dunca", "PERSON")]))
    chosen, encounters = choose_triggers(find_triggers(parts.tokens, "en"), parts, "en")
    assert list(chosen) == ["meeting"] and {t.text for t in encounters} == {"discussions"}


@pytest.mark.parametrize("text,kept", [
    ("Dunca discussed the plan.", False),
    ("Dunca presented the plan.", True),
    ("Dunca discussed the 12-point plan.", True),
])
def test_a_proposal_needs_the_points_of_a_plan_or_a_verb_of_proposing(text, kept):
    parsed = parse(text, {"presented": ("present", "VERB", "VBD"), "plan": ("plan", "NOUN", "NN")},
                   [("Dunca", "PERSON")])
    context, parts = one_sentence(text, parsed)
    chosen, _ = choose_triggers(find_triggers(parts.tokens, "en"), parts, "en")
    assert ("proposal" in chosen) is kept


def test_an_agreement_only_floated_is_none():
    words = {"sign": ("sign", "VERB", "VB"), "signed": ("sign", "VERB", "VBD"), "agrees": ("agree", "VERB", "VBZ")}
    people = [("Dunca", "PERSON"), ("Hrodna", "PERSON")]
    text = "Dunca will sign if Hrodna agrees."
    context, parts = one_sentence(text, parse(text, words, people))
    assert "agreement" not in choose_triggers(find_triggers(parts.tokens, "en"), parts, "en")[0]
    text = "Dunca and Hrodna signed the accord."
    context, parts = one_sentence(text, parse(text, words, people))
    assert "agreement" in choose_triggers(find_triggers(parts.tokens, "en"), parts, "en")[0]


def test_a_call_comes_before_a_meeting_in_the_same_sentence():
    text = "Dunca met Hrodna after a phone call."
    context, parts = one_sentence(text, parse(text, MET, [("Dunca", "PERSON"), ("Hrodna", "PERSON")]))
    encounter, selected = select_triggers(*choose_triggers(find_triggers(parts.tokens, "en"), parts, "en"),
                                          context.syntax)
    assert encounter.type == "call" and selected == [encounter]


# ---------------------------------------------------------------- participants


def test_whoever_reports_the_meeting_and_a_possessive_owner_did_not_take_part():
    text = "Hrodna's deputy Irina Vasko met Tomas Ebbing in Berlin, Mirela Dunca said."
    parsed = parse(text, MET, [("Hrodna", "PERSON"), ("Irina Vasko", "PERSON"), ("Tomas Ebbing", "PERSON"),
                               ("Berlin", "PLACE"), ("Mirela Dunca", "PERSON")])
    context, parts = one_sentence(text, parsed)
    meeting = find_triggers(parts.tokens, "en")[0]
    people = event_participants(context, parts, meeting, anyone, meeting)
    assert names(parsed, people.chosen) == ["Irina Vasko", "Tomas Ebbing"]


# "meet" governs Vrastek, Holmsen and Tuesday; Korte belongs to "said"
KORTE = "Korte said that Vrastek will meet Holmsen on Tuesday."
KORTE_WORDS = {"said": ("say", "VERB", "VBD"), "will": ("will", "AUX", "MD"), "meet": ("meet", "VERB", "VB"),
               "Korte": ("Korte", "PROPN", "NNP"), "Vrastek": ("Vrastek", "PROPN", "NNP"),
               "Holmsen": ("Holmsen", "PROPN", "NNP"), "Tuesday": ("Tuesday", "PROPN", "NNP")}
KORTE_DEPS = {"Korte": ("nsubj", "said"), "said": ("ROOT", None), "that": ("mark", "meet"),
              "Vrastek": ("nsubj", "meet"), "will": ("aux", "meet"), "meet": ("ccomp", "said"),
              "Holmsen": ("dobj", "meet"), "on": ("prep", "meet"), "Tuesday": ("pobj", "on"), ".": ("punct", "said")}
KORTE_NAMES = [("Korte", "PERSON"), ("Vrastek", "PERSON"), ("Holmsen", "PERSON")]


def test_the_speaker_belongs_to_the_verb_that_reports_and_makes_the_statement():
    parsed = parse(KORTE, KORTE_WORDS, KORTE_NAMES, KORTE_DEPS)
    context, parts = one_sentence(KORTE, parsed)
    chosen, encounters = choose_triggers(find_triggers(parts.tokens, "en"), parts, "en")
    meeting, statement = chosen["meeting"], chosen["statement"]
    assert names(parsed, event_participants(context, parts, meeting, anyone, meeting).chosen) == ["Holmsen", "Vrastek"]
    assert names(parsed, event_participants(context, parts, statement, anyone, meeting).chosen) == ["Korte"]


def test_a_meeting_naming_nobody_takes_the_people_of_the_sentence_before():
    text = "Dunca and Hrodna arrived in Lausanne on Sunday. The meeting ended on Monday."
    parsed = parse(text, {"arrived": ("arrive", "VERB", "VBD")}, [("Dunca", "PERSON"), ("Hrodna", "PERSON")])
    context = event_context(text, parsed, [], "en", PUBLISHED)
    parts = sentence_parts(context, parsed.sentences[1])
    meeting = find_triggers(parts.tokens, "en")[0]
    assert names(parsed, event_participants(context, parts, meeting, anyone, meeting).chosen) == ["Dunca", "Hrodna"]


# ---------------------------------------------------------------- place and time


def test_the_place_is_the_most_specific_one_named_and_a_call_has_none():
    text = "Dunca met Hrodna in Switzerland, in Lausanne."
    parsed = parse(text, MET, [("Dunca", "PERSON"), ("Hrodna", "PERSON"), ("Switzerland", "PLACE"),
                               ("Lausanne", "PLACE")])
    context, parts = one_sentence(text, parsed)
    meeting = find_triggers(parts.tokens, "en")[0]
    assert parsed.mentions[event_place(context, parts, meeting, anyone)].text == "Lausanne"
    text = "Dunca held a phone call with Hrodna in Lausanne."
    context, parts = one_sentence(text, parse(text, None, [("Dunca", "PERSON"), ("Hrodna", "PERSON"),
                                                           ("Lausanne", "PLACE")]))
    assert event_place(context, parts, find_triggers(parts.tokens, "en")[0], anyone) is None


def test_the_day_of_a_report_is_not_the_day_of_the_meeting():
    text = "The talks in Lausanne were tense, the agency reported on Tuesday."
    parsed = parse(text, {"talks": ("talk", "NOUN", "NNS")})
    context, parts = one_sentence(text, parsed, [when(text, "Tuesday", Weekday(1, -1))])
    assert event_dates(context, parts, find_triggers(parts.tokens, "en")[0], anyone) == []
    text = "The talks in Lausanne on Tuesday were tense."
    parsed = parse(text, {"talks": ("talk", "NOUN", "NNS")})
    context, parts = one_sentence(text, parsed, [when(text, "Tuesday", Weekday(1, -1))])
    assert [t.text for t in event_dates(context, parts, find_triggers(parts.tokens, "en")[0], anyone)] == ["Tuesday"]


def test_a_modal_reads_the_weekday_ahead():
    parsed = parse(KORTE, KORTE_WORDS, KORTE_NAMES, KORTE_DEPS)
    tuesday = when(KORTE, "Tuesday", Weekday(1, -1))
    context, parts = one_sentence(KORTE, parsed, [tuesday])
    meeting = find_triggers(parts.tokens, "en")[1]
    future, dates = read_tense(context.syntax, meeting, KORTE, [tuesday], "en", PUBLISHED)
    assert future and [(t.first, t.rule) for t in dates] == [(date(2014, 3, 11), "wd|1|1")]


def test_a_simple_past_reads_the_weekday_back_whatever_the_clause_says():
    text = "Dunca met Hrodna on Sunday ahead of a summit."
    parsed = parse(text, MET, [("Dunca", "PERSON"), ("Hrodna", "PERSON")],
                   {"met": ("ROOT", None), "Dunca": ("nsubj", "met"), "Hrodna": ("dobj", "met")})
    sunday = when(text, "Sunday", Weekday(6, 1))  # as a future clause ("ahead of") reads it
    context, parts = one_sentence(text, parsed, [sunday])
    future, dates = read_tense(context.syntax, find_triggers(parts.tokens, "en")[0], text, [sunday], "en", PUBLISHED)
    assert not future and [(t.first, t.rule) for t in dates] == [(date(2014, 3, 2), "wd|6|-1")]


@pytest.mark.parametrize("clause,first,published,status", [
    ("they met", date(2014, 3, 3), PUBLISHED, "happened"),
    ("they will meet", date(2014, 3, 10), PUBLISHED, "scheduled"),
    ("they will meet", None, PUBLISHED, "scheduled"),
    ("the meeting was called off", date(2014, 3, 10), PUBLISHED, "cancelled"),
    ("they met", None, None, "unknown"),
])
def test_the_status_of_an_event(clause, first, published, status):
    assert event_status(clause, "en", first, published) == status


@pytest.mark.parametrize("sentence,source", [
    ("The two met in Lausanne, according to Axios on Monday.", "Axios"),
    ("The talks went well, Axios reported.", "Axios"),
    ("The two met in Lausanne.", ""),
])
def test_who_reports_an_event(sentence, source):
    assert attribution_of(sentence) == source


# ---------------------------------------------------------------- a sentence, whole


def test_a_meeting_with_its_people_place_and_day():
    text = "Mirela Dunca met Pavel Hrodna in Lausanne on Monday."
    parsed = parse(text, MET, [("Mirela Dunca", "PERSON"), ("Pavel Hrodna", "PERSON"), ("Lausanne", "PLACE")])
    [meeting] = extract_events(text, parsed, [when(text, "Monday", Weekday(0, -1))], "en", PUBLISHED)
    assert (meeting.type, meeting.plover, meeting.first, meeting.status) == ("meeting", "CONSULT", date(2014, 3, 3),
                                                                             "happened")
    assert names(parsed, meeting.participants) == ["Mirela Dunca", "Pavel Hrodna"]
    assert parsed.mentions[meeting.place].text == "Lausanne" and meeting.date_rule == "wd|0|-1"


def test_a_second_meeting_in_the_sentence_keeps_its_own_day_and_takes_the_people_and_place_of_the_first():
    text = "Dunca met Varga in Norrholm on Friday, ahead of a meeting on Saturday."
    # Dunca0 met1 Varga2 in3 Norrholm4 on5 Friday6 ,7 ahead8 of9 a10 meeting11 on12 Saturday13 .14
    deps = {"Dunca": ("nsubj", "met"), "met": ("ROOT", None), "Varga": ("dobj", "met"), "in": ("prep", "met"),
            "Norrholm": ("pobj", "in"), "on": ("prep", "met"), "Friday": ("pobj", "on"), ",": ("punct", "met"),
            "ahead": ("advmod", "met"), "of": ("prep", "ahead"), "a": ("det", "meeting"), "meeting": ("pobj", "of"),
            ".": ("punct", "met")}
    parsed = parse(text, {**MET, "meeting": ("meeting", "NOUN", "NN")},
                   [("Dunca", "PERSON"), ("Varga", "PERSON"), ("Norrholm", "PLACE")], deps)
    set_dep(parsed, 12, "prep", 11)  # "on Saturday" hangs off "meeting"
    set_dep(parsed, 13, "pobj", 12)
    times = [when(text, "Friday", Weekday(4, -1)), when(text, "Saturday", Weekday(5, 1))]
    context = event_context(text, parsed, times, "en", PUBLISHED)
    first, second = sentence_events(context, parsed.sentences[0])
    assert (first.trigger, first.first, first.status) == ("met", date(2014, 2, 28), "happened")
    assert (second.trigger, second.first, second.status) == ("meeting", date(2014, 3, 8), "scheduled")
    assert names(parsed, second.participants) == ["Dunca", "Varga"] and parsed.mentions[second.place].text == "Norrholm"


# ---------------------------------------------------------------- encounters in other wordings and scripts


@pytest.mark.parametrize("language,text,wanted", [
    ("zh", "两国外长在边境城市会晤", [("meeting", "会晤")]),
    ("zh", "外长与对方通电话", [("call", "通电话")]),
    ("ja", "両首脳は電話会談を行った", [("call", "電話会談")]),  # the longer word first: a call, not a meeting
    ("ja", "外相は首都に到着した", [("visit", "到着")]),
    ("ko", "두 장관은 정상회담에서 만났다", [("meeting", "정상회담"), ("meeting", "만났")]),
])
def test_in_a_script_without_spaces_a_trigger_is_found_inside_a_word(language, text, wanted):
    parsed = parse(text)
    found = find_triggers(parsed.tokens, language)
    assert [(t.type, t.text) for t in found] == wanted
    assert all(text[t.start:t.start + len(t.text)] == t.text for t in found)


@pytest.mark.parametrize("language,text,wanted", [
    ("fr", "Les deux ministres se sont rencontrés en marge du sommet.", [("meeting", "rencontrés"),
                                                                         ("meeting", "sommet")]),
    ("it", "I due ministri si sono incontrati a margine del vertice.", [("meeting", "incontrati"),
                                                                       ("meeting", "vertice")]),
    ("es", "Los ministros celebraron una cumbre.", [("meeting", "cumbre")]),
    ("pl", "Ministrowie spotkali się na szczycie.", [("meeting", "spotkali"), ("meeting", "szczycie")]),
])
def test_a_stem_matches_a_word_or_the_part_after_a_hyphen(language, text, wanted):
    assert [(t.type, t.text) for t in find_triggers(parse(text).tokens, language)] == wanted


def test_a_stem_matches_the_part_of_a_hyphenated_word_after_its_hyphen():
    words = [Token(0, 4, "Nach", "nach"), Token(5, 8, "dem", "dem"), Token(9, 18, "EU-Gipfel", "eu-gipfel"),
             Token(19, 25, "reiste", "reiste"), Token(26, 29, "sie", "sie"), Token(30, 32, "ab", "ab")]
    assert [(t.type, t.text) for t in find_triggers(words, "de")] == [("meeting", "EU-Gipfel"), ("visit", "reiste")]
    assert find_triggers([Token(0, 7, "EU-Plan", "eu-plan")], "de")[0].type == "proposal"
    assert find_triggers([Token(0, 9, "Betreffen", "betreffen")], "de") == []  # not inside a word


def test_an_unknown_name_after_a_place_preposition_that_the_gazetteer_knows_is_the_place():
    text = "Mirela Dunca a rencontré Tomas Ebbing à Lausanne."
    parsed = parse(text, names=[("Mirela Dunca", "UNKNOWN"), ("Tomas Ebbing", "UNKNOWN"), ("Lausanne", "UNKNOWN")])
    context = event_context(text, parsed, [], "fr", PUBLISHED)
    parts = sentence_parts(context, parsed.sentences[0])
    assert [m.text for _, m in parts.places] == ["Lausanne"]
    assert [m.text for _, m in parts.persons] == ["Mirela Dunca", "Tomas Ebbing"]
    (meeting,) = [e for e in sentence_events(context, parsed.sentences[0]) if e.type == "meeting"]
    assert parsed.mentions[meeting.place].text == "Lausanne"


def test_a_name_that_only_describes_another_noun_did_not_take_part():
    # "Hrodna adviser Vasko met Ebbing to discuss the plan of Dunca."
    text = "Hrodna adviser Vasko met Ebbing to discuss the plan of Dunca."
    words = {**MET, "discuss": ("discuss", "VERB", "VB"), "plan": ("plan", "NOUN", "NN"),
             "adviser": ("adviser", "NOUN", "NN")}
    deps = {"Hrodna": ("compound", "Vasko"), "adviser": ("compound", "Vasko"), "Vasko": ("nsubj", "met"),
            "met": ("ROOT", None), "Ebbing": ("dobj", "met"), "to": ("aux", "discuss"), "discuss": ("advcl", "met"),
            "the": ("det", "plan"), "plan": ("dobj", "discuss"), "of": ("prep", "plan"), "Dunca": ("pobj", "of"),
            ".": ("punct", "met")}
    for proper in ("Hrodna", "Vasko", "Ebbing", "Dunca"):
        words[proper] = (proper, "PROPN", "NNP")
    parsed = parse(text, words, [(n, "PERSON") for n in ("Hrodna", "Vasko", "Ebbing", "Dunca")], deps)
    context, parts = one_sentence(text, parsed)
    meeting = find_triggers(parts.tokens, "en")[0]
    assert names(parsed, event_participants(context, parts, meeting, anyone, meeting).chosen) == ["Ebbing", "Vasko"]


def test_an_agreement_others_press_for_is_none():
    text = "Dunca pushed Hrodna to agree."
    words = {"pushed": ("push", "VERB", "VBD"), "agree": ("agree", "VERB", "VB")}
    deps = {"Dunca": ("nsubj", "pushed"), "pushed": ("ROOT", None), "Hrodna": ("dobj", "pushed"),
            "to": ("aux", "agree"), "agree": ("advcl", "pushed"), ".": ("punct", "pushed")}
    people = [("Dunca", "PERSON"), ("Hrodna", "PERSON")]
    parsed = parse(text, words, people, deps)
    context, parts = one_sentence(text, parsed)
    triggers = find_triggers(parts.tokens, "en")
    assert "agreement" in choose_triggers(triggers, parts, "en")[0]  # without the parse: the verb alone
    assert "agreement" not in choose_triggers(triggers, parts, "en", context.syntax)[0]


def test_the_gathering_on_whose_sidelines_they_met_is_no_second_meeting():
    text = "Dunca met Hrodna on the sidelines of the summit."
    words = {**MET, "sidelines": ("sideline", "NOUN", "NNS"), "summit": ("summit", "NOUN", "NN")}
    deps = {"Dunca": ("nsubj", "met"), "met": ("ROOT", None), "Hrodna": ("dobj", "met"), "on": ("prep", "met"),
            "sidelines": ("pobj", "on"), "of": ("prep", "sidelines"), "summit": ("pobj", "of"),
            ".": ("punct", "met")}
    parsed = parse(text, words, [("Dunca", "PERSON"), ("Hrodna", "PERSON")], deps)
    set_dep(parsed, 5, "det", 6)  # "the" of "the sidelines" (``parse`` gives a word one head)
    context, parts = one_sentence(text, parsed)
    encounter, selected = select_triggers(*choose_triggers(find_triggers(parts.tokens, "en"), parts, "en"),
                                          context.syntax)
    assert encounter.text == "met" and [t.text for t in selected] == ["met"]
