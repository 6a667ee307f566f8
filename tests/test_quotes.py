"""Quotes (corpus/quotes.py): fragments left out, and a quote given only to the speaker its own sentence names."""
from __future__ import annotations

import re

import pytest

from helpers import article
from storyline.corpus.quotes import checked_quotes, is_quote
from storyline.corpus.resolve import Resolution
from storyline.models import Analysis, Entity, Mention, Quote, Sentence

# Who is who in the fictional texts below: the type the corpus settled on for each name.
PEOPLE = {"Pavel Vrastek": "PERSON", "Vrastek": "PERSON", "Mirela Dunca": "PERSON", "Dunca": "PERSON",
          "Tomas Ebbing": "PERSON", "Ebbing": "PERSON", "Agnes Tollan": "PERSON",
          "Guild": "PERSON", "Herald": "PERSON",  # the name model took these for people
          "Saltmere": "PLACE", "Port Velin": "PLACE", "Kestland": "PLACE", "Harbour Wire": "ORG"}
_QUOTE = re.compile(r"[“\"«„]([^”\"»“]{20,600})[”\"»“]")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[”\"]?|$)")


def analysed(text: str) -> tuple:
    """The cleaned article, and its analysis built by hand: sentences, the names above, every quoted span."""
    doc = article(text)
    body = doc.text
    sentences = tuple(Sentence(i, m.start(), m.end(), m.group()) for i, m in enumerate(_SENTENCE.finditer(body)))

    def sentence_of(offset: int) -> int:
        return next((s.index for s in sentences if s.start <= offset < s.end), 0)

    mentions, taken = [], set()
    for name in sorted(PEOPLE, key=len, reverse=True):
        for m in re.finditer(rf"\b{re.escape(name)}\b", body):
            if not any(a <= m.start() < b for a, b in taken):
                taken.add((m.start(), m.end()))
                mentions.append(Mention(m.start(), m.end(), name, "PERSON", sentence_of(m.start())))
    mentions.sort(key=lambda m: m.start)
    quotes = tuple(Quote(m.start(1), m.end(1), m.group(1).strip(), sentence_of(m.start()))
                   for m in _QUOTE.finditer(body))
    entities = {name: Entity(f"e-{name}", name, kind) for name, kind in PEOPLE.items()}
    resolution = Resolution(list(entities.values()),
                            {(doc.id, i): f"e-{m.text}" for i, m in enumerate(mentions)})
    return doc, Analysis(doc.id, sentences, tuple(mentions), quotes=quotes), resolution


def said(text: str) -> dict[str, str | None]:
    doc, analysis, resolution = analysed(text)
    return {quote.text: (speaker.removeprefix("e-") if speaker else None)
            for quote, speaker in checked_quotes(doc, analysis, resolution)}


def test_narrative_between_two_quotes_is_no_quote():
    found = said('Dunca said Valdoria would study the plan "point by point" and reply in writing.\n\n'
                 'Ebbing described the atmosphere as "businesslike" and said Kestland would host a second round.')
    assert found == {}  # "and reply in writing. Ebbing described the atmosphere as" lies between two quotes


@pytest.mark.parametrize("text", [
    'Vrastek met Dunca. "and would reply to the Kestish proposals in writing soon," a diplomat said.',
    'The envoy was upbeat. "Our talks went on for a long time and ended with Ebbing describing the plan as," he said.',
    'Ebbing spoke briefly. "Fine words," he said.',
])
def test_fragments_are_left_out(text):
    assert said(text) == {}


def test_the_speaker_is_named_in_the_quotes_own_sentence():
    found = said('Mirela Dunca met Pavel Vrastek in Saltmere.\n\n'
                 '"We made progress, but we are at the beginning," Vrastek told reporters after the session.\n\n'
                 'Tomas Ebbing also stated that nothing was wrong, since "Pavel Vrastek himself has already spoken in '
                 'defence of the plan," and "this is the usual work of a negotiator with the parties."\n\n'
                 '"We did not want this, but the company left us no choice," he said.')
    assert found == {
        "We made progress, but we are at the beginning,": "Vrastek",
        "Pavel Vrastek himself has already spoken in defence of the plan,": "Tomas Ebbing",  # not Vrastek
        "this is the usual work of a negotiator with the parties.": "Tomas Ebbing",
        "We did not want this, but the company left us no choice,": None,  # "he": the sentence names no one
    }


def test_a_quote_is_never_given_to_a_place_or_an_organisation():
    found = said('Ferry crews walked out in Saltmere.\n\n'
                 '"The crews have shown how much this town depends on them," Agnes Tollan, general secretary of the '
                 'Guild, told the Herald on the picket line.\n\n'
                 'The Guild said: "Our members work long shifts in all weathers and are owed a raise."\n\n'
                 '"Nobody expects a settlement in one day, not even in Saltmere," a diplomat told Harbour Wire.')
    assert found == {
        "The crews have shown how much this town depends on them,": "Agnes Tollan",
        "Our members work long shifts in all weathers and are owed a raise.": None,  # "Guild" is no person
        "Nobody expects a settlement in one day, not even in Saltmere,": None,  # Harbour Wire was spoken to
    }


def test_is_quote_reads_the_marks_around_the_span():
    text = 'He said "one" to the crowd gathered in the square, then "two words of text here" today.'
    start = text.index("two")
    assert is_quote(text, start, start + len("two words of text here"))
    between = text.index('" to the') + 1
    assert not is_quote(text, between, text.index('"two'))  # the mark before it closes "one"
    assert is_quote(text.replace('"one"', "one"), between - 1, text.index('"two') - 2)  # no mark before: fine
    curly = "“The talks went on and on for a long time, “ said Ebbing."
    assert not is_quote(curly, 1, curly.index(", “") + 2)  # an English opening mark where one should close
