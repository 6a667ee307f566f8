"""Which quotations are quotes, and who said them: the speaker the quote's own sentence names, or none.

The article stage takes text between quotation marks as a quote and guesses its speaker from the
names nearby (its sentence or the one before).  Quotation marks in scraped text are often unbalanced,
so some spans are the narrative *between* two quotes ("and reply in writing. Ebbing described the
atmosphere as"), and a name nearby is not always who spoke: the city, the newspaper spoken to ("told
the Herald"), the person spoken about, a name of the sentence before.  Over the corpus, with the
resolved entities at hand:

- a span is no quote when it runs across a paragraph break, when its opening mark closes a quote
  (an odd straight mark of its paragraph, or an English opening mark where one should close), when
  it starts with a lowercase conjunction ("and reply in writing"), ends on a word no sentence ends on
  ("described the meeting as"), or has fewer than ``MIN_WORDS`` words;
- its speaker is a person its own sentence names as speaking: right after the closing mark
  (", Vrastek told reporters", ", said Agnes Tollan", "», — заявил Врастек"), or as the subject of a
  verb of saying before the opening mark ("Korte also stated that ...", "Dunca added: ...").
  Never a place or an organisation (by its resolved type, or a last word like "Guild" or "Herald"),
  a name the sentence speaks to or about ("told the Herald", "Dunca's office"), or a name of
  another sentence.  A sentence naming nobody ("he said") leaves the quote without a speaker.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from storyline.article.roles import org_words
from storyline.common.gazetteer import gazetteer
from storyline.common.names import fold
from storyline.models import Analysis, Article, Mention, Quote

MIN_WORDS = 4  # fewer words are a phrase, not a quote
AFTER_REACH = 60  # characters from the closing mark to the speaker's name (", government spokeswoman Ilse Korte")
# A quote never starts mid-sentence with these (lowercase) ...
CONJUNCTIONS = frozenset({"and", "but", "or", "nor", "yet", "so", "while", "whereas", "although", "though",
                          "because", "adding", "saying", "which", "who", "whom", "whose", "whereby"})
# ... nor ends on these: what follows them is missing
OPEN_ENDINGS = frozenset({"as", "that", "the", "a", "an", "of", "to", "and", "or", "but", "with", "for", "by", "at",
                          "from", "than", "which", "whose", "his", "her", "their", "its", "our", "my", "your",
                          "said", "says"})
# Last words of organisations that the name model may take for people ("the Guild", "the Herald").
ORG_HEADS = frozenset({"guild", "gazette", "tribune", "league", "club", "society", "foundation", "trust", "board",
                       "chamber", "courier", "chronicle", "observer", "monitor", "express", "mirror", "standard",
                       "telegraph", "guardian", "globe", "star", "sun", "wire", "ledger"})
# Verbs of saying (and "according to"): a name before one of them in the quote's sentence is its speaker.
_SAYING = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|stated|states|wrote|writes|declared|declares|noted|notes|stressed|"
    r"stresses|insisted|insists|warned|warns|explained|explains|announced|announces|argued|argues|described|"
    r"describes|called|calls|asked|asks|replied|replies|answered|answers|commented|comments|claimed|claims|"
    r"confirmed|confirms|acknowledged|admitted|conceded|suggested|promised|vowed|pledged|posted|tweeted|urged|"
    r"urges|emphasi[sz]ed|praised|reiterated|recalled|remarked|saying|adding|quoted)\b|:\s*$")
# Words between the closing mark and a name that make the name someone spoken to or about, not the speaker.
_NOT_SPEAKER_GAP = re.compile(r"\b(?:told|tells|to|by|with|for|from|of|in|at|on|about|citing|according|than|"
                              r"against|cited|quoting)\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"^['’]s\b")
_OBJECT_BEFORE = re.compile(r"\b(?:told|tells|to|by|with|for|from|of|about|thanked|met|meet|meeting|after|before|"
                            r"called on|cited|in|at|on)\s+(?:the\s+)?$", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_][\w'’-]*")
_CLOSERS = "”\"»“"


def is_quote(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (the span between a pair of quotation marks) is a quote and not a
    fragment: see the module's docstring for what is not."""
    body = text[start:end]
    if "\n" in body:
        return False
    words = _WORDS.findall(body)
    if len(words) < MIN_WORDS:
        return False
    opening = text[start - 1] if start > 0 else ""
    closing = text[end] if end < len(text) else ""
    if opening == '"':
        paragraph = text.rfind("\n", 0, start - 1) + 1
        if text.count('"', paragraph, start - 1) % 2:
            return False  # this mark closes the quote before it: the span is what lies between two quotes
    if opening == "“" and closing == "“":
        return False  # an English quote left open: the span runs on to the next one
    stripped = body.strip()
    if not stripped[:1].isalnum() and stripped[:1] not in "[(…'‘¿¡":
        return False
    if words[0] in CONJUNCTIONS or stripped.startswith("as well as"):
        return False  # starts mid-sentence: "and reply in writing"
    last = words[-1].casefold()
    return last not in OPEN_ENDINGS and not re.search(r"['’]s$", last)


class Speakers:
    """Who may speak: a mention whose resolved entity is a person, and not by its name a place or an
    organisation."""

    def __init__(self, resolution) -> None:
        self.resolution = resolution
        self.orgs = org_words("en") | ORG_HEADS

    def entity(self, article_id: str, index: int) -> str | None:
        entity_id = self.resolution.mention_entity.get((article_id, index))
        entity = self.resolution.by_id.get(entity_id) if entity_id else None
        if entity is None or entity.type != "PERSON":
            return None
        words = entity.name.split()
        if not words or fold(words[-1]) in self.orgs:
            return None
        if len(words) == 1 and gazetteer().lookup(entity.name) is not None:
            return None  # "Kherson": a place the name model took for a person
        return entity_id


def _after(text: str, end: int, mentions: list[tuple[int, Mention]], may_speak) -> str | None:
    """The speaker named right after the closing mark: the first person within reach, before the
    sentence ends, with no word making them someone spoken to or about."""
    start = end + 1
    stop = min(len(text), start + AFTER_REACH)
    for mark in ".!?\n":
        found = text.find(mark, start, stop)
        if found >= 0:
            stop = found
    for index, mention in mentions:
        if mention.start < start or mention.start >= stop:
            continue
        if _NOT_SPEAKER_GAP.search(text[start:mention.start]):
            return None
        speaker = may_speak(index)
        if speaker is not None and not _POSSESSIVE.match(text[mention.end:mention.end + 3]):
            return speaker
    return None


def _before(text: str, sentence_start: int, opening: int, mentions: list[tuple[int, Mention]], may_speak,
            quoted: list[tuple[int, int]]) -> str | None:
    """The speaker named before the opening mark: the person nearest before the sentence's first verb of
    saying, passing over names it speaks to or of ("Korte also stated that ...", "After meeting Dunca in
    Saltmere, Vrastek said: ...", "Mirela Dunka, who heads the Security Council, told the Herald ...")."""
    paragraph = text.rfind("\n", 0, opening) + 1
    begin = max(sentence_start, paragraph)
    cue = _SAYING.search(text, begin, opening)
    if cue is None:
        return None
    for index, mention in reversed(mentions):  # the nearest name before the verb is its subject
        if mention.start < begin or mention.end > cue.start():
            continue
        if any(s <= mention.start < e for s, e in quoted):
            continue  # a name inside an earlier quote of the sentence
        if _POSSESSIVE.match(text[mention.end:mention.end + 3]) or _OBJECT_BEFORE.search(text[begin:mention.start]):
            continue  # "Dunca's office", "thanked Korte": not the one speaking
        speaker = may_speak(index)
        if speaker is not None:
            return speaker
    return None


def checked_quotes(article: Article, analysis: Analysis, resolution) -> Iterator[tuple[Quote, str | None]]:
    """The article's quotes that are quotes, each with its speaker's entity id (or None)."""
    text = article.text
    speakers = Speakers(resolution)
    kept = [q for q in analysis.quotes if 0 < q.start <= q.end <= len(text) and is_quote(text, q.start, q.end)]
    quoted = [(q.start, q.end) for q in kept]
    mentions = sorted(enumerate(analysis.mentions), key=lambda pair: pair[1].start)
    sentences = sorted(analysis.sentences, key=lambda s: s.start)

    def may_speak(index: int) -> str | None:
        return speakers.entity(analysis.article_id, index)

    for quote in kept:
        opening = quote.start - 1
        sentence_start = max((s.start for s in sentences if s.start <= opening), default=0)
        speaker = _after(text, quote.end, mentions, may_speak)
        if speaker is None:
            speaker = _before(text, sentence_start, opening, mentions, may_speak, quoted)
        yield quote, speaker


__all__ = ["checked_quotes", "is_quote", "Speakers", "MIN_WORDS"]
