"""Event mentions in sentences: meetings, visits, calls, statements, proposals, agreements.

A sentence with a trigger (``lang/<code>.yaml``) becomes an EventMention
with the date expression nearest the trigger, the people and place named in
it, the countries it involves, who reports it, and whether it happened or is
announced (future markers, a date after publication) or cancelled.
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache, lru_cache
from itertools import pairwise

from storyline.article.clean import caption_starts
from storyline.article.date_rules import DateRule, Lasting, Weekday, apply_rule, parse_rule, rule_kind
from storyline.article.nlp import Parsed, Token
from storyline.article.roles import is_role_word
from storyline.article.timex import clause_around, is_cancelled, is_future
from storyline.common.gazetteer import gazetteer
from storyline.lang import events_rules
from storyline.lang import get as lang_of
from storyline.models import EventMention, Fact, Mention, Quote, Sentence, TimeExpr

ENCOUNTERS = ("call", "meeting", "visit")  # priority order within a sentence
# Encounters a sentence reports besides its first: a real one reports two or three.  Each is weighed
# against the others for every name of the sentence, so without a bound a long list of meetings in one
# "sentence" took time cubic in its length.
MAX_SEPARATE_ENCOUNTERS = 7
_TIME_PREPOSITIONS = {"before", "after", "ahead", "during", "following", "since", "until", "prior"}
# nouns whose "of" names the gathering beside which an encounter took place (English parses)
_SIDELINES = {"sideline", "sidelines", "margin", "margins", "edge", "edges", "fringe", "fringes"}
# verbs that press someone to do something: what follows is asked for, not done (English parses)
_PRESSING = {"push", "urge", "press", "pressure", "force", "ask", "persuade", "convince", "compel", "want", "call",
             "encourage", "tell", "demand", "need", "refuse", "decline", "fail"}
OTHERS = ("agreement", "proposal", "statement")
_SPEECH = {"say", "said", "says", "tell", "told", "confirm", "confirmed", "note", "noted", "add", "added", "announce",
           "announced", "write", "wrote", "state", "stated", "stress", "stressed", "claim", "claimed", "warn", "warned",
           "заявив", "заявила", "сказав", "сказала", "повідомив", "повідомила", "зазначив", "наголосив", "заявил",
           "сказал", "сообщил", "сообщила", "отметил", "подчеркнул", "написав", "написал"}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10, "перший": 1, "другий": 2, "третій": 3, "первый": 1, "второй": 2, "третий": 3}
_PLACE_PREPOSITIONS = {"in", "at", "to", "near", "outside", "inside", "в", "у", "во", "на", "до", "em", "no", "na",
                       "în", "la", "à", "au", "dans", "en", "w", "we", "a", "nel", "nella", "nach", "im"}


@lru_cache(maxsize=1)
def _data() -> dict:
    """data/events.yaml and each language's ``events`` words (storyline/lang/), checked against their schemas."""
    return events_rules()


@dataclass(frozen=True)
class Trigger:
    type: str
    text: str
    start: int
    token: int  # index in the sentence's token list
    lemma: str


def _sentence_tokens(parsed: Parsed, sentence: Sentence) -> list[Token]:
    return [t for t in parsed.tokens if sentence.start <= t.start < sentence.end]


def _in_order(starts: list[int]) -> bool:
    return all(a <= b for a, b in pairwise(starts))


class _Sentences:
    """A parse's tokens, mentions and dates by sentence, and the sentence holding an offset, found once.

    Filtering the whole parse for every sentence (or every quote, fact or trigger) made an article of
    many sentences, names or dates quadratic.  Bisection needs things in order, as the parsers give
    them; out of order, the plain filters are used.
    """

    def __init__(self, parsed: Parsed, times: list[TimeExpr] = ()):
        self.parsed = parsed
        self.token_starts = [t.start for t in parsed.tokens]
        self.tokens_ordered = _in_order(self.token_starts)
        self.times = list(times)
        self.time_starts = [t.start for t in self.times]
        self.times_ordered = _in_order(self.time_starts)
        self.by_sentence: dict[int, list[tuple[int, Mention]]] = defaultdict(list)
        for i, m in enumerate(parsed.mentions):
            self.by_sentence[m.sentence].append((i, m))
        self.starts = [s.start for s in parsed.sentences]
        self.ordered = all(a.end <= b.start for a, b in pairwise(parsed.sentences))

    def tokens(self, sentence: Sentence) -> list[Token]:
        if not self.tokens_ordered:
            return _sentence_tokens(self.parsed, sentence)
        low = bisect.bisect_left(self.token_starts, sentence.start)
        return self.parsed.tokens[low:max(low, bisect.bisect_left(self.token_starts, sentence.end))]

    def times_in(self, sentence: Sentence) -> list[TimeExpr]:
        if not self.times_ordered:
            return [t for t in self.times if sentence.start <= t.start < sentence.end]
        low = bisect.bisect_left(self.time_starts, sentence.start)
        return self.times[low:max(low, bisect.bisect_left(self.time_starts, sentence.end))]

    def mentions(self, index: int) -> list[tuple[int, Mention]]:
        """(index, mention) of the mentions of one sentence, in the parse's order."""
        return self.by_sentence.get(index, [])

    def holding(self, offset: int) -> Sentence | None:
        sentences = self.parsed.sentences
        if not self.ordered:
            return next((s for s in sentences if s.start <= offset < s.end), None)
        position = bisect.bisect_right(self.starts, offset) - 1
        if position >= 0 and sentences[position].start <= offset < sentences[position].end:
            return sentences[position]
        return None


# English triggers of these types count only as the part of speech that makes them
# an event: "Secretary of State" is no statement, "according to" no accord.
_POS_REQUIRED = {"statement": ("VERB",), "agreement": ("VERB", "NOUN"), "proposal": ("VERB", "NOUN")}
_NOT_TRIGGERS = {"according", "accord", "post"}


_REPORTING_LEMMAS = {"say", "tell", "report", "confirm", "announce", "add", "note", "write", "claim", "state",
                     "cite", "quote", "stress", "emphasize", "insist", "post", "brief", "publish", "reveal",
                     "discuss", "describe", "praise", "welcome", "criticize", "deny", "downplay"}


class Syntax:
    """Which words belong to the clause of an event word, from a dependency parse (when there is one).

    "Korte said Vrastek will meet Ebbing in Norrholm on Tuesday": "meet" governs Vrastek,
    Ebbing, Norrholm and Tuesday; Korte belongs to "said".  Clauses joined by xcomp or
    conj ("arrived in Norrholm to meet Vrastek") count as one.
    """

    def __init__(self, parsed: Parsed):
        self.tokens = parsed.tokens
        self.available = any(t.dep for t in parsed.tokens)
        self.starts = [t.start for t in parsed.tokens]
        self.ordered = _in_order(self.starts)
        self._children: dict[int, list[Token]] | None = None
        self._paths: dict[int, list[int]] = {}
        self._position_maps: dict[int, dict[int, int]] = {}
        self._distances: dict[tuple[int, int], int] = {}
        self._clauses: dict[int, int] = {}

    def children(self, index: int) -> list[Token]:
        """The tokens whose head is ``index``, in order (a scan of every token per question before)."""
        if self._children is None:
            self._children = defaultdict(list)
            for token in self.tokens:
                self._children[token.head].append(token)
        return self._children.get(index, [])

    def modal_ahead(self, offset: int) -> bool:
        """Whether a modal governs the event word: "will meet", "could continue negotiating"
        (but not "could have met")."""
        index = self.token_at(offset) if self.available else None
        if index is not None:
            token = self.tokens[index]
            if (token.pos in ("NOUN", "PROPN") and token.dep in ("dobj", "obj", "nsubjpass", "nsubj")
                    and token.head != index):
                index = token.head  # "could continue the talks": the verb governing the event noun
        seen = set()
        while index is not None and index not in seen:
            seen.add(index)
            auxiliaries = [t for t in self.children(index) if t.dep == "aux"]
            if any(t.lemma == "have" for t in auxiliaries):
                return False
            if any(t.tag == "MD" for t in auxiliaries):
                return True
            token = self.tokens[index]
            if token.dep not in ("xcomp",) or token.head == index:
                return False
            index = token.head
        return False

    def past_tense(self, offset: int) -> bool:
        """Whether the event word at ``offset`` is told in the simple past: "met", "held talks",
        "talks were held" (a finite past verb, or the noun such a verb governs)."""
        index = self.token_at(offset) if self.available else None
        if index is None:
            return False
        token = self.tokens[index]
        if (token.pos in ("NOUN", "PROPN") and token.dep in ("dobj", "obj", "nsubjpass", "nsubj")
                and token.head != index):
            index, token = token.head, self.tokens[token.head]
        if token.tag == "VBD":
            return True
        if token.tag == "VBN":
            auxiliaries = [t for t in self.children(index) if t.dep in ("aux", "auxpass")]
            return bool(auxiliaries) and all(t.tag == "VBD" and t.lemma not in ("would", "should", "could", "might")
                                             for t in auxiliaries)
        return False

    def token_at(self, offset: int) -> int | None:
        index = bisect.bisect_right(self.starts, offset) - 1
        if (0 <= index < len(self.tokens)
                and self.tokens[index].start <= offset < max(self.tokens[index].end, offset + 1)):
            return index
        return index if index >= 0 else None

    def span_root(self, start: int, end: int) -> int | None:
        if self.ordered:
            low = bisect.bisect_left(self.starts, start)
            inside = range(low, max(low, bisect.bisect_left(self.starts, end)))
        else:
            inside = [i for i, t in enumerate(self.tokens) if start <= t.start < end]
        for i in inside:
            head = self.tokens[i].head
            if head == i or not (start <= self.tokens[head].start < end):
                return i
        return inside[0] if inside else None

    def clause(self, index: int) -> int:
        if index not in self._clauses:
            self._clauses[index] = self._clause(index)
        return self._clauses[index]

    def _clause(self, index: int) -> int:
        seen = set()
        while index not in seen:
            seen.add(index)
            token = self.tokens[index]
            if token.pos in ("VERB", "AUX") or token.head == index:
                break
            index = token.head
        while True:
            token = self.tokens[index]
            head = self.tokens[token.head]
            if token.dep in ("xcomp", "conj") and head.pos in ("VERB", "AUX") and token.head != index:
                index = token.head
                continue
            break
        return index

    def in_time_adjunct(self, start: int, end: int, trigger_start: int) -> bool:
        """'Shortly before Dunca's arrival, Hrodna held a call': the name sits in a phrase that
        only dates the event ("before ...", "after ...", "during ..."), not among its people."""
        if not self.available:
            return False
        root, trigger = self.span_root(start, end), self.token_at(trigger_start)
        if root is None or trigger is None:
            return False
        for index in self._path_up(root)[1:]:
            if index == trigger:
                return False
            token = self.tokens[index]
            if token.dep == "prep" and token.lemma.lower() in _TIME_PREPOSITIONS:
                return True
        return False

    def modifies_other_noun(self, start: int, end: int, trigger_start: int) -> bool:
        """'Hrodna adviser Ebbing', "Hrodna's plan", 'the peace plan of President Hrodna': the name only
        describes another noun (a compound, a possessive, "of" after a noun), not the event's own word."""
        if not self.available:
            return False
        root, trigger = self.span_root(start, end), self.token_at(trigger_start)
        if root is None or trigger is None:
            return False
        token = self.tokens[root]
        head = token.head
        if token.dep == "pobj" and self.tokens[head].lemma.lower() == "of" and self.tokens[head].head != head:
            head = self.tokens[head].head  # "the plan of X": the noun the "of" hangs off
        elif token.dep not in ("compound", "poss"):
            return False
        if head in (root, trigger) or start <= self.tokens[head].start < end:
            return False
        return self.tokens[head].pos in ("NOUN", "PROPN") and not self.under(trigger, head)

    def _adjunct_of(self, index: int, verb: int) -> bool:
        """Whether ``index`` hangs off ``verb`` through adverbials only (prep, npadvmod, advmod, obl, pobj)."""
        seen = set()
        while index != verb and index not in seen:
            seen.add(index)
            token = self.tokens[index]
            if (token.dep not in ("prep", "npadvmod", "advmod", "obl", "pobj", "compound", "nummod")
                    or token.head == index):
                return False
            index = token.head
        return index == verb

    def under(self, index: int, ancestor: int) -> bool:
        """Whether ``ancestor`` is on the way up from ``index`` (``index`` itself included)."""
        return ancestor in self._positions(index)

    # Paths up the parse, their positions and distances are remembered per token: a long sentence asks
    # for them again for every name and every event word in it.
    def _path_up(self, index: int) -> list[int]:
        path = self._paths.get(index)
        if path is None:
            path, seen = [index], {index}
            while True:
                head = self.tokens[path[-1]].head
                if head == path[-1] or head in seen:
                    break
                path.append(head)
                seen.add(head)
            self._paths[index] = path
        return path

    def _positions(self, index: int) -> dict[int, int]:
        positions = self._position_maps.get(index)
        if positions is None:
            positions = self._position_maps[index] = {token: i for i, token in enumerate(self._path_up(index))}
        return positions

    def distance(self, a: int, b: int) -> int:
        if (a, b) not in self._distances:
            up_a, position_b = self._path_up(a), self._positions(b)
            common = (i + position_b[token] for i, token in enumerate(up_a) if token in position_b)
            self._distances[(a, b)] = next(common, len(up_a) + len(position_b))
        return self._distances[(a, b)]

    def separate_encounters(self, encounters: list[Trigger], first: Trigger | None) -> list[Trigger]:
        """Encounter words other than the first that stand apart from it in the parse (not its
        object, not a few words of the same phrase)."""
        if not self.available or first is None:
            return []
        first_token = self.token_at(first.start)
        out: list[Trigger] = []
        for trigger in encounters:
            if trigger is first or trigger.start == first.start:
                continue
            token = self.token_at(trigger.start)
            if token is None or first_token is None or self.distance(token, first_token) <= 2:
                continue
            if self.on_the_sidelines(token):
                continue  # "met ... on the sidelines of the APEC summit": the summit only places the meeting
            if all(self.distance(token, self.token_at(o.start)) > 2 for o in out):
                out.append(trigger)
                if len(out) >= MAX_SEPARATE_ENCOUNTERS:
                    break  # a "sentence" listing hundreds of meetings is no report of them
        return out

    def on_the_sidelines(self, index: int) -> bool:
        """'on the sidelines of the summit', 'on the margins of the conference': the event word names
        where another encounter took place."""
        token = self.tokens[index]
        if token.dep != "pobj" or self.tokens[token.head].lemma.lower() != "of":
            return False
        return self.tokens[self.tokens[token.head].head].lemma.lower() in _SIDELINES

    def pressed_to(self, index: int) -> bool:
        """'pushed Ukraine to agree', 'urged Kyiv to sign': an infinitive others press for, not an act."""
        token = self.tokens[index]
        if token.dep not in ("xcomp", "ccomp", "advcl") or token.head == index:
            return False
        return (self.tokens[token.head].lemma.lower() in _PRESSING
                and any(t.lemma.lower() == "to" and t.dep == "aux" for t in self.children(index)))

    def nearest_owner(self, trigger: Trigger, encounters: list[Trigger]):
        """A test: does a span belong to this trigger rather than to another encounter in the sentence?"""
        if not self.available or len(encounters) < 2 or trigger not in encounters:
            return lambda start, end: True
        tokens = {id(t): self.token_at(t.start) for t in encounters}

        def owned(start: int, end: int) -> bool:
            root = self.span_root(start, end)
            if root is None:
                return True
            distances = {id(t): self.distance(root, tokens[id(t)]) for t in encounters if tokens[id(t)] is not None}
            mine = distances.get(id(trigger))
            return mine is not None and mine <= min(distances.values())

        return owned

    def together(self, start: int, end: int, trigger_start: int) -> bool:
        """May the span [start, end) describe the trigger's event?  Not when it belongs to another
        clause whose verb reports ("Axios reported on Monday", "Korte said"): parses are not good
        enough to demand more than that."""
        if not self.available:
            return True
        root = self.span_root(start, end)
        trigger = self.token_at(trigger_start)
        if root is None or trigger is None:
            return True
        own, theirs = self.clause(trigger), self.clause(root)
        if self.under(root, trigger):
            return True
        if own == theirs:
            # "Dunca announced a meeting on Friday": the day is the announcement's
            trigger_token = self.tokens[trigger]
            # ("Earlier on December 26, Dunca announced a meeting": the same, a level further down)
            return not (trigger_token.pos == "NOUN" and self.tokens[own].lemma in _REPORTING_LEMMAS
                        and root != own and self._adjunct_of(root, own))
        head = self.tokens[theirs]
        return not (head.lemma in _REPORTING_LEMMAS or head.dep == "relcl" and not self.under(trigger, theirs))


@cache
def _trigger_index(language: str) -> tuple[dict[str, list[tuple[str, tuple[str, ...]]]], bool]:
    """first word of an entry -> [(type, all words)], and whether words match by lemma (else by stem)."""
    triggers = _data()["triggers"]
    table = triggers.get(language) or triggers["en"]
    by_lemma = lang_of(language).events.lemmas or language not in triggers
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for kind, entries in table.items():
        for entry in entries:
            parts = tuple(entry.split())
            index.setdefault(parts[0], []).append((kind, parts))
    return index, by_lemma


def substring_triggers(language: str) -> bool:
    """Whether the language's trigger words are matched anywhere inside a word: a script written without
    spaces ("首脳会談", "정상회담에서") has no word starts to match stems at."""
    events = lang_of(language).events
    return events.substrings if events.substrings is not None else lang_of(language).script == "cjk"


@cache
def _substring_pattern(language: str) -> tuple[re.Pattern, dict[str, tuple[str, str]]] | None:
    """One alternation of a language's trigger words, longest first ("電話会談" a call before "会談" a
    meeting), and what each matched word is: (type, entry).  A scan of each word is linear in its length
    times the number of trigger words (literals only: no backtracking)."""
    if not substring_triggers(language) or language not in _data()["triggers"]:
        return None
    kinds: dict[str, tuple[str, str]] = {}
    for kind, entries in _data()["triggers"][language].items():
        for entry in entries:
            kinds.setdefault(entry.lower().replace(" ", ""), (kind, entry))
    ordered = sorted(kinds, key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in ordered)), kinds


def _substring_hits(tokens: list[Token], language: str) -> list[Trigger]:
    pattern, kinds = _substring_pattern(language)
    found = []
    for i, token in enumerate(tokens):
        for match in pattern.finditer(token.text.lower()):
            kind, entry = kinds[match.group()]
            found.append(Trigger(kind, token.text[match.start():match.end()], token.start + match.start(), i, entry))
    found.sort(key=lambda t: (t.start, t.type))
    return found


def _word_starts(word: str) -> list[str]:
    """A word and the parts after its hyphens: "apec-gipfel" is also "gipfel", "us-china-summit" "summit"."""
    if "-" not in word:
        return [word]
    parts = word.split("-")
    return [word] + ["-".join(parts[k:]) for k in range(1, len(parts)) if parts[k]]


def find_triggers(tokens: list[Token], language: str) -> list[Trigger]:
    if _substring_pattern(language) is not None:
        return _substring_hits(tokens, language)
    index, by_lemma = _trigger_index(language)
    found = []
    lemmas = [t.lemma.lower() for t in tokens]
    words = [t.text.lower() for t in tokens]
    stems = sorted(index, key=len, reverse=True) if not by_lemma else ()
    for i in range(len(tokens)):
        if by_lemma:
            candidates = index.get(lemmas[i], []) + (index.get(words[i], []) if words[i] != lemmas[i] else [])
        else:
            starts = _word_starts(words[i])
            candidates = [c for stem in stems if any(w.startswith(stem) for w in starts) for c in index[stem]]
        for kind, parts in candidates:
            if i + len(parts) > len(tokens):
                continue
            if by_lemma:
                hit = all(lemmas[i + k] == parts[k] or words[i + k] == parts[k] for k in range(len(parts)))
            else:
                hit = all(words[i + k].startswith(parts[k]) for k in range(1, len(parts)))  # the first: a candidate's
            if not hit:
                continue
            if lang_of(language).events.pos_filter:
                first = tokens[i]
                wanted = _POS_REQUIRED.get(kind)
                if wanted and first.pos and first.pos not in wanted:
                    continue
                if first.text.lower() in _NOT_TRIGGERS or (kind == "statement" and first.text[:1].isupper() and i > 0):
                    continue
            found.append(Trigger(kind, " ".join(t.text for t in tokens[i:i + len(parts)]),
                                 tokens[i].start, i, " ".join(parts)))
    found.sort(key=lambda t: (t.start, t.type))
    return found


def _valid_call(trigger: Trigger, tokens: list[Token], sentence_text: str, mentions: list[Mention], language: str,
                sentence_start: int = 0) -> bool:
    if not lang_of(language).events.call_checks:
        if trigger.lemma in ("розмова", "разговор"):
            return bool(re.search(r"телефон", sentence_text, re.IGNORECASE))
        return True
    lowered = sentence_text.lower()
    nxt = tokens[trigger.token + 1].text.lower() if trigger.token + 1 < len(tokens) else ""
    prev = tokens[trigger.token - 1].text.lower() if trigger.token > 0 else ""
    if trigger.lemma == "call":
        if nxt in ("for", "on", "off", "it", "them", "this", "the", "a", "an", "out", "up") or prev in ("so", "so-"):
            return False
        if tokens[trigger.token].pos == "NOUN":
            adjective = trigger.token > 0 and tokens[trigger.token - 1].pos == "ADJ"  # "a lengthy call with"
            return (prev in ("phone", "telephone", "leaked", "video", "the", "a", "their", "his", "her")
                    or adjective) and any(
                c in lowered for c in ("phone", "telephone", "call with", "call between", "leaked call", "video call"))
        # verb: "called Dunca", "called Valdoria's Mirela Dunca"
        following = [m for m in mentions if m.label == "PERSON" and 0 < m.start - tokens[trigger.token].end <= 25]
        return bool(following) or "phone" in lowered
    if trigger.lemma == "conversation":
        return any(c in lowered for c in ("phone", "telephone"))
    if trigger.lemma in ("speak with", "speak to"):
        # "spoke with Dunca", "spoke with European leaders" -- not "speaking to reporters"
        end = tokens[trigger.token].end
        after = sentence_text.lower()[max(0, end - sentence_start):][:60]
        following = [m for m in mentions if m.label == "PERSON" and 0 < m.start - end <= 40]
        return bool(following) or bool(_COUNTERPART.search(after))
    return True


_COUNTERPART = re.compile(r"\b(?:leaders?|counterparts?|president|prime minister|chancellor|premier|king|"
                          r"minister|secretary|envoy|head of state)\b")


def possessive_modifier(sentence_text: str, offset: int, mention: Mention, language: str) -> bool:
    """'Hrodna's son-in-law Henrik Vasse': Hrodna describes someone else, he is not there."""
    after = sentence_text[offset + len(mention.text):offset + len(mention.text) + 40]
    match = re.match(r"['’]s\s+([\w\-]+)(?:\s+([\w\-]+))?", after)
    if not match:
        return False
    return any(w and is_role_word(w, language) for w in match.groups())


def genitive_possessors(mentions: list[tuple[int, Mention]], text: str, language: str) -> set[int]:
    """In a language whose names inflect, a person's name right before another's is its possessor
    ("посланник Врастека Томас Эббинг": Vrastek's envoy, Ebbing): not one who was there."""
    if not lang_of(language).inflected_names:
        return set()
    people = sorted(((m.start, m.end, i) for i, m in mentions if m.label in ("PERSON", "UNKNOWN")))
    return {i for (_, end, i), (start, _, _) in pairwise(people)
            if 0 < start - end <= 2 and not text[end:start].strip()}


def credited(sentence_text: str, offset: int) -> bool:
    """'Фото Мирели Дунки, ...', 'Photo: Tomas Ebbing': the one who took the picture, not one who was there."""
    before = sentence_text[max(0, offset - 16):offset].lower().rstrip(" :/(")
    words = before.split()
    if words and words[-1] == "by":
        words = words[:-1]
    return bool(words) and words[-1].strip(",.;:(") in caption_starts()


def _reach_of_speaker(text: str, sentence: Sentence, mention: Mention) -> str:
    """``text[sentence.start:]`` as far as ``speaker_at`` reads it for this mention (a copy of the rest of
    the article for each name was quadratic)."""
    if mention.start < sentence.start:
        return text[sentence.start:]
    return text[sentence.start:mention.start + len(mention.text) + 30]


def speaker_at(sentence_text: str, offset: int, mention: Mention) -> bool:
    """'Korte said ...', '..., said Korte', 'Korte told reporters'."""
    after = sentence_text[offset + len(mention.text):offset + len(mention.text) + 30].lower().split()
    before = sentence_text[max(0, offset - 20):offset].lower().split()
    return bool(after and after[0].strip(",.;:") in _SPEECH) or bool(before and before[-1].strip(",.;:") in _SPEECH)


def _pick_place(candidates: list[tuple[int, Mention]]) -> int | None:
    ranked = []
    for index, mention in candidates:
        place = gazetteer().lookup(mention.text, mention.lemma or None)
        kind = place.kind if place else "unknown"
        specificity = {"city": 4, "unknown": 3, "state": 2, "country": 1, "continent": 0}[kind]
        ranked.append((specificity, -index, index))
    if not ranked:
        return None
    return max(ranked)[2]


def _parties(sentence_mentions: list[tuple[int, Mention]]) -> tuple[str, ...]:
    gaz = gazetteer()
    parties: list[str] = []
    for _, mention in sentence_mentions:
        country = None
        if mention.label == "NORP":
            if mention.lemma:
                country = mention.lemma
            else:
                place = gaz.country_of_demonym(mention.text)
                country = place.name if place else None
        elif mention.label == "PLACE":
            place = gaz.lookup(mention.text, mention.lemma or None)
            country = place.name if place and place.kind == "country" else None
        if country and country not in parties:
            parties.append(country)
    return tuple(parties)


# The names before "said" start at the start of a word and are taken whole (possessive ``++``): an
# optional space between pieces let a long capitalised run split into up to four pieces in every way,
# from every letter.
_ATTRIBUTION = re.compile(
    r"(?:according to|citing|cited by|reported by|as reported by|told)\s+((?:[A-Z][\w.'’\-]+\s?){1,4})"
    r"|(?<![\w.'’\-])((?:[A-Z][\w.'’\-]++\s?){1,4})\s+(?:reported|said|reports|says|told|wrote|confirmed)"
    r"|(?:за словами|за даними|як повідомляє|повідомляє|по словам|по данным|как сообщает|сообщает)"
    r"\s+((?:[А-ЯІЇЄҐA-Z][\w'’\-]+\s?){1,4})")


def attribution_of(sentence_text: str) -> str:
    match = _ATTRIBUTION.search(sentence_text)
    if not match:
        return ""
    return next(g for g in match.groups() if g).strip()


def _ordinal(sentence_text: str) -> int | None:
    match = re.search(r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+(?:meeting|round|day)",
                      sentence_text, re.IGNORECASE)
    return _ORDINALS.get(match.group(1).lower()) if match else None


_REPORTING_BEFORE = re.compile(
    r"(?:reported|reports|said|says|told\s+\w+(?:\s+\w+)?|confirmed|announced|wrote|stated|noted|added|"
    r"published|posted|повідомив|повідомила|заявив|заявила|сообщил|сообщила|заявил|заявила)\s+(?:on\s+|late\s+on\s+|early\s+on\s+)?$",
    re.IGNORECASE)


def _reporting_date(text: str, time: TimeExpr) -> bool:
    """'Axios reported on Monday': the day of the report, not of the event."""
    return bool(_REPORTING_BEFORE.search(text[max(0, time.start - 40):time.start]))


def _dates_for(trigger: Trigger, times: list[TimeExpr], text: str) -> list[TimeExpr]:
    """The date expression nearest the trigger (all dates when it lists several)."""
    if trigger.type != "statement":
        times = [t for t in times if not _reporting_date(text, t)]
    if not times:
        return []
    groups: dict[int, list[TimeExpr]] = {}
    for t in times:
        groups.setdefault(t.start, []).append(t)

    def score(start: int) -> tuple[int, int]:
        group = groups[start]
        vague = 0 if all(t.certain for t in group) else 1
        return vague, abs(start - trigger.start)

    # an expression that will never resolve (no rule, no date) is no use
    groups = {k: v for k, v in groups.items() if any(t.first is not None or t.rule for t in v)}
    if not groups:
        return []

    best = min(groups, key=score)
    return groups[best]


def _backwards(expr: TimeExpr, published: date | None) -> TimeExpr:
    """A weekday read forwards ("wd|1|1") read backwards instead."""
    rule = parse_rule(expr.rule)
    if not (isinstance(rule, Weekday) and rule.direction == 1):
        return expr
    return _reread(expr, rule.read_backwards(), published)


def _forwards(expr: TimeExpr, published: date | None) -> TimeExpr:
    """A weekday read backwards ("wd|1|-1") read forwards instead."""
    rule = parse_rule(expr.rule)
    if not (isinstance(rule, Weekday) and rule.direction == -1):
        return expr
    return _reread(expr, rule.read_forwards(), published)


_DURATION_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "двух": 2, "дво": 2, "трех": 3, "трёх": 3, "три": 3,
                   "чотирь": 4, "четырех": 4, "четырёх": 4}
_DURATION = re.compile(r"\b(\d|two|three|four|five)[-\s]day\b|(двух|трех|трёх|четырех|четырёх)дневн"
                       r"|(дво|три|чотири)денн",
                       re.IGNORECASE)


def _duration(sentence_text: str) -> int:
    """Days a visit or round lasts, when the sentence says so ("a two-day visit", "двухдневный визит")."""
    match = _DURATION.search(sentence_text)
    if not match:
        return 1
    word = next(g for g in match.groups() if g).lower()
    value = int(word) if word.isdigit() else _DURATION_WORDS.get(word, _DURATION_WORDS.get(word[:6], 1))
    return value if 1 < value <= 7 else 1


def _lasting(expr: TimeExpr, days: int, published: date | None) -> TimeExpr:
    """The expression lasting ``days`` days from its first: a rule for one day (a weekday, a relative day,
    days of a month) wrapped in a ``Lasting`` rule, a span of one day stretched."""
    single = expr.first is not None and expr.first == expr.last
    rule = parse_rule(expr.rule)
    if rule is not None and rule_kind(rule) in ("wd", "day", "md", "mdw", "wdday"):
        expr = replace(expr, rule=str(Lasting(days, rule)))
    elif not single:
        return expr
    return replace(expr, last=expr.first + timedelta(days=days - 1)) if single else expr


def _reread(expr: TimeExpr, rule: DateRule, published: date | None) -> TimeExpr:
    resolved = apply_rule(rule, published)
    return replace(expr, rule=str(rule), first=resolved[0] if resolved else None,
                   last=resolved[1] if resolved else None)


def future_clause(clause: str, language: str) -> bool:
    fallback = lang_of(language).fallback
    return is_future(clause, language) or bool(fallback and is_future(clause, fallback))


def event_status(clause: str, language: str, first: date | None, published: date | None,
                 future: bool | None = None) -> str:
    if clause and (is_cancelled(clause, language) or is_cancelled(clause, "en")):
        return "cancelled"
    if future is None:
        future = future_clause(clause, language)
    if first is not None and published is not None:
        if first > published:
            return "scheduled"
        if future and first >= published:
            return "scheduled"
        return "happened"
    if future:
        return "scheduled"
    return "happened" if published is not None else "unknown"


# ---------------------------------------------------------------- the steps of extract_events


@dataclass
class EventContext:
    """What the steps of ``extract_events`` read about the whole article: its text and parse, its tokens,
    names and dates by sentence (``view``), the dependency parse's answers (``syntax``), the language its
    trigger words are read in and its publication date."""

    text: str
    parsed: Parsed
    language: str
    published: date | None
    syntax: Syntax
    view: _Sentences


def event_context(text: str, parsed: Parsed, times: list[TimeExpr], language: str,
                  published: date | None) -> EventContext:
    """The context of an article's events (a language without trigger words of its own reads English ones)."""
    lang = language if language in _data()["triggers"] else "en"
    return EventContext(text, parsed, lang, published, Syntax(parsed), _Sentences(parsed, times))


@dataclass
class SentenceParts:
    """One sentence and what its events are made of: its tokens; its names, as (index in the parse,
    mention); those that may be people (the model often calls a person an ORG: the corpus stage keeps
    only those resolved as people); the places named after a preposition ("in Saltmere"); its dates."""

    sentence: Sentence
    tokens: list[Token]
    mentions: list[tuple[int, Mention]]
    persons: list[tuple[int, Mention]]
    places: list[tuple[int, Mention]]
    times: list[TimeExpr]


def sentence_parts(context: EventContext, sentence: Sentence, tokens: list[Token] | None = None) -> SentenceParts:
    """The parts of one sentence (``tokens``: its tokens, when the caller has them)."""
    view, text = context.view, context.text
    mentions = view.mentions(sentence.index)
    # a name of unknown kind after "in", "à", "nach" that the gazetteer knows is a place, not a person
    located = {i for i, m in mentions if m.label in ("PLACE", "FAC", "UNKNOWN")
               and _preposition_before(text, m.start).lower() in _PLACE_PREPOSITIONS
               and not _attributive(text, m.end)
               and (m.label != "UNKNOWN" or gazetteer().lookup(m.text, m.lemma or None) is not None)}
    persons = [(i, m) for i, m in mentions if m.label in ("PERSON", "ORG", "UNKNOWN") and i not in located]
    places = [(i, m) for i, m in mentions if i in located]
    return SentenceParts(sentence, view.tokens(sentence) if tokens is None else tokens, mentions, persons, places,
                         view.times_in(sentence))


def _borne_out(trigger: Trigger, parts: SentenceParts, lang: str) -> bool:
    """Whether the sentence bears a trigger out: a call must be one ("called for talks" is not,
    ``_valid_call``), a weak meeting word ("talks") needs someone named."""
    sentence, tokens, persons = parts.sentence, parts.tokens, parts.persons
    if trigger.type == "call" and not _valid_call(trigger, tokens, sentence.text, [m for _, m in persons], lang,
                                                     sentence.start):
        return False
    return not (trigger.type == "meeting" and trigger.lemma in _data()["weak_meeting"] and not persons)


def choose_triggers(triggers: list[Trigger], parts: SentenceParts, lang: str,
                    syntax: Syntax | None = None) -> tuple[dict[str, Trigger], list[Trigger]]:
    """The first trigger of each type the sentence bears out (``_borne_out``), and all its encounter
    words (calls, meetings, visits) in order.  A proposal needs the points of a plan or a verb of
    proposing; an agreement a verb of agreeing, no "if", "unless" or "whether" before it, and not one
    others press for ("pushed Ukraine to agree", ``Syntax.pressed_to``)."""
    sentence = parts.sentence
    chosen: dict[str, Trigger] = {}
    encounters: list[Trigger] = []
    for trigger in sorted(triggers, key=lambda t: t.start):
        if not _borne_out(trigger, parts, lang):
            continue
        chosen.setdefault(trigger.type, trigger)
        if trigger.type in ENCOUNTERS:
            encounters.append(trigger)
    lemmas_here = {t.lemma for t in parts.tokens}
    if "proposal" in chosen and not _POINTS.search(sentence.text) and not (
            lemmas_here & set(_data()["proposal_verbs"].get(lang, [])) or lang not in _data()["proposal_verbs"]):
        del chosen["proposal"]
    if "agreement" in chosen and syntax is not None and syntax.available:
        index = syntax.token_at(chosen["agreement"].start)
        if index is not None and syntax.pressed_to(index):
            del chosen["agreement"]
    if "agreement" in chosen and (
            lang in _data()["agreement_verbs"] and not lemmas_here & set(_data()["agreement_verbs"][lang])
            or re.search(r"\b(?:if|unless|whether)\b[^,.;]*\bagree", sentence.text, re.IGNORECASE)):
        del chosen["agreement"]
    return chosen, encounters


def select_triggers(chosen: dict[str, Trigger], encounters: list[Trigger],
                    syntax: Syntax) -> tuple[Trigger | None, list[Trigger]]:
    """The sentence's encounter (a call before a meeting before a visit) and the events it reports: the
    encounter, the other encounters that stand apart from it in the parse ("met Varga on Friday morning
    ... ahead of a meeting with Holmsen on Saturday": each keeps the names and days nearest it), then
    its agreement, proposal and statement."""
    encounter = next((chosen[k] for k in ENCOUNTERS if k in chosen), None)
    selected = [encounter] if encounter else []
    selected += syntax.separate_encounters(encounters, encounter)
    selected += [chosen[k] for k in OTHERS if k in chosen]
    return encounter, selected


@dataclass(frozen=True)
class Participants:
    """Who took part in an event (indices into the parse's mentions), and the names of its own clause."""

    chosen: list[int]
    in_clause: list[tuple[int, Mention]]


def event_participants(context: EventContext, parts: SentenceParts, trigger: Trigger,
                       owned: Callable[[int, int], bool], encounter: Trigger | None) -> Participants | None:
    """Who took part: the people the trigger's clause names (``Syntax.together``), that belong to it
    rather than to another encounter of the sentence (``owned``) and do not only date it ("shortly
    before X's arrival"), less a possessive's owner ("Hrodna's son-in-law") and whoever reports the event
    (``_participants``); for a statement, its speaker.  The sentence's ``encounter`` naming nobody takes
    the people of the sentences around it.  None for a statement without a speaker (and, beside an
    encounter, in a sentence where nobody speaks)."""
    text, sentence, syntax = context.text, parts.sentence, context.syntax
    # (the text from the sentence's start to just past the name: speaker_at reads no further)
    if trigger.type == "statement" and encounter is not None and not any(
            speaker_at(_reach_of_speaker(text, sentence, m), m.start - sentence.start, m) for _, m in parts.persons):
        return None
    in_clause = [(i, m) for i, m in parts.persons if syntax.together(m.start, m.end, trigger.start)
                 and owned(m.start, m.end) and not syntax.in_time_adjunct(m.start, m.end, trigger.start)
                 and not syntax.modifies_other_noun(m.start, m.end, trigger.start)]
    chosen = _participants(trigger, in_clause, text, sentence, context.language)
    if trigger.type in ("statement",) and not chosen:
        return None
    if not chosen and trigger is encounter:
        # "The second round ended on Thursday." names its people in the sentences around it
        chosen = _neighbour_participants(context.parsed, sentence, text, context.language, context.view)
    return Participants(chosen, in_clause)


def event_place(context: EventContext, parts: SentenceParts, trigger: Trigger,
                owned: Callable[[int, int], bool]) -> int | None:
    """Where a meeting, visit or agreement took place: the most specific of the places named after a
    preposition in its clause (and not another encounter's).  A call has no venue: "in X" in its
    sentence is somewhere else."""
    if trigger.type not in ("meeting", "visit", "agreement"):
        return None
    syntax = context.syntax
    return _pick_place([(i, m) for i, m in parts.places if syntax.together(m.start, m.end, trigger.start)
                        and owned(m.start, m.end)])


def event_dates(context: EventContext, parts: SentenceParts, trigger: Trigger,
                owned: Callable[[int, int], bool]) -> list[TimeExpr]:
    """The date expressions of the trigger's clause (not another encounter's) nearest it, all of them
    when it lists several; not the day something was reported on (``_dates_for``)."""
    syntax = context.syntax
    return _dates_for(trigger, [t for t in parts.times if syntax.together(t.start, t.end, trigger.start)
                                and owned(t.start, t.end)], context.text)


def read_tense(syntax: Syntax, trigger: Trigger, clause: str, dates: list[TimeExpr], language: str,
               published: date | None) -> tuple[bool, list[TimeExpr]]:
    """Whether the event lies ahead, and its dates read that way.  A modal governing the trigger points
    a weekday ahead ("officials could keep negotiating Monday"); a verb in the simple past points it
    back ("met ... on Tuesday in an attempt to end the war"), whatever marker words ("plan to", "ahead
    of") the clause holds; else the clause's future markers tell, and the dates stay as read."""
    if syntax.modal_ahead(trigger.start):
        return True, [_forwards(t, published) for t in dates]
    if syntax.past_tense(trigger.start):
        return False, [_backwards(t, published) for t in dates]
    future = future_clause(clause, language)
    if future and lang_of(language).script in ("cjk", "hangul"):
        # a weekday there is read back unless its clause says what is to come ("將於…周四"): then ahead
        return True, [_forwards(t, published) for t in dates]
    return future, dates


def lasting_dates(trigger: Trigger, sentence_text: str, dates: list[TimeExpr],
                  published: date | None) -> list[TimeExpr]:
    """A visit's or meeting's dates over the days the sentence says it lasts ("a two-day visit")."""
    days = _duration(sentence_text) if trigger.type in ("visit", "meeting") else 1
    return [_lasting(t, days, published) for t in dates] if days > 1 else dates


def event_category(trigger: Trigger, sentence_text: str, language: str) -> str:
    """The event's PLOVER category: its type's; a statement's, the one its sentence's words call for."""
    if trigger.type == "statement":
        lowered = sentence_text.lower()
        return next((v for k, v in _data()["statement_plover"].get(language, {}).items() if k in lowered), "")
    return _data()["plover"].get(trigger.type, "")


def describe_event(context: EventContext, parts: SentenceParts, trigger: Trigger, participants: list[int],
                   place: int | None, dates: list[TimeExpr]) -> list[EventMention]:
    """The mentions of one event, one per date (one without a date when it has none): its dates read
    with the verb's tense (``read_tense``) and over the days it lasts, its status (``event_status``:
    happened, scheduled or cancelled), its category and who reports it (``attribution_of``)."""
    sentence, published = parts.sentence, context.published
    clause = clause_around(context.text, trigger.start, trigger.start + len(trigger.text),
                           (sentence.start, sentence.end))
    future, dates = read_tense(context.syntax, trigger, clause, dates, context.language, published)
    dates = lasting_dates(trigger, sentence.text, dates, published)
    category = event_category(trigger, sentence.text, context.language)
    attribution, parties = attribution_of(sentence.text), _parties(parts.mentions)
    out = []
    for when in dates or [None]:
        first = when.first if when else None
        out.append(EventMention(
            sentence=sentence.index, sentence_text=sentence.text, type=trigger.type, plover=category,
            trigger=trigger.text, trigger_start=trigger.start, first=first, last=when.last if when else None,
            date_text=when.text if when else "", date_certain=bool(when and when.certain),
            status=event_status(clause, context.language, first, published, future=future), place=place,
            participants=tuple(participants), parties=parties, attribution=attribution,
            ordinal=_ordinal(sentence.text), date_rule=when.rule if when else "", future=future,
            date_basis=date_basis(when)))
    return out


def date_basis(when: TimeExpr | None) -> str:
    """What a mention's date stands on: the sentence's own words naming the day ("stated": "on
    30 October", "Friday (Oct 31)"), a phrase resolved on the publication date ("relative": "on
    Sunday", "tomorrow"), or a day named in an earlier sentence ("borrowed": "the same day")."""
    if when is None or (when.first is None and not when.rule):
        return ""
    if when.borrowed:
        return "borrowed"
    kind = rule_kind(when.rule) if when.rule else ""
    return "stated" if kind in ("", "md", "mdw", "part", "month", "wdday") else "relative"


def sentence_events(context: EventContext, sentence: Sentence) -> list[EventMention]:
    """The event mentions of one sentence.  Its trigger words (``find_triggers``; beside one, a verb
    whose object is a person, "received Ebbing"), those it bears out (``choose_triggers``) and the
    events it reports (``select_triggers``); then for each event its people (``event_participants``),
    place (``event_place``) and dates (``event_dates``), and the mentions they make
    (``describe_event``).  An encounter after the first that names no people takes the first one's,
    and its place; one that names neither people nor a date is the first one again."""
    tokens = context.view.tokens(sentence)
    triggers = find_triggers(tokens, context.language)
    if not triggers:
        return []
    parts = sentence_parts(context, sentence, tokens)
    triggers += _object_meetings(tokens, context.syntax, parts.persons, context.language)
    encounter, selected = select_triggers(*choose_triggers(triggers, parts, context.language, context.syntax),
                                          context.syntax)
    owners = [t for t in selected if t.type in ENCOUNTERS]
    first_people: tuple[int, ...] = ()
    first_place: int | None = None
    out: list[EventMention] = []
    for trigger in selected:
        owned = context.syntax.nearest_owner(trigger, owners)
        people = event_participants(context, parts, trigger, owned, encounter)
        if people is None:
            continue
        participants, place = people.chosen, event_place(context, parts, trigger, owned)
        dates = event_dates(context, parts, trigger, owned)
        if trigger is encounter:
            first_people, first_place = tuple(participants), place
        elif trigger.type in ENCOUNTERS:
            if not dates and not people.in_clause:
                continue  # a second encounter word with nothing of its own is the first one again
            # "... held talks with Varga in Saltmere on Dec 4, slated to meet again on Dec 5"
            participants = participants or list(first_people)
            if trigger.type in ("meeting", "visit") and place is None:
                place = first_place
        out += describe_event(context, parts, trigger, participants, place, dates)
    return out


def extract_events(text: str, parsed: Parsed, times: list[TimeExpr], language: str,
                   published: date | None) -> list[EventMention]:
    """Event mentions, one per sentence and event type (one per date for listed dates): each sentence's
    (``sentence_events``), then the people a delegation list names added to the meeting it goes with."""
    context = event_context(text, parsed, times, language, published)
    out: list[EventMention] = []
    for sentence in parsed.sentences:
        out += sentence_events(context, sentence)
    return _with_delegations(out, parsed, text, context.language, context.view)


@cache
def _delegation_pattern(language: str) -> re.Pattern | None:
    source = _data().get("delegation_lists", {}).get(language)
    return re.compile(source, re.IGNORECASE) if source else None


# sentences a delegation list reaches back (a report of the meeting, then colour, then who came)
# and forward (the list first, the meeting after it)
_DELEGATION_REACH = (12, 3)


def _with_delegations(events: list[EventMention], parsed: Parsed, text: str, language: str,
                      view: _Sentences | None = None) -> list[EventMention]:
    """'The American delegation included A, B and C': a sentence that only lists who came adds them
    to the article's meeting or visit nearest before it (after it, if the list comes first)."""
    pattern = _delegation_pattern(language)
    gatherings = [i for i, e in enumerate(events) if e.type in ("meeting", "visit")]
    if pattern is None or not gatherings:
        return events
    sentences_of = [events[i].sentence for i in gatherings]  # in order, as extract_events makes them
    in_order = _in_order(sentences_of)
    for sentence in parsed.sentences:
        match = pattern.search(sentence.text)
        if not match:
            continue
        mentions = view.mentions(sentence.index) if view else [
            (i, m) for i, m in enumerate(parsed.mentions) if m.sentence == sentence.index]
        listed = [i for i, m in mentions
                  if m.label in ("PERSON", "ORG", "UNKNOWN")
                  and m.start - sentence.start >= match.start()
                  and not possessive_modifier(sentence.text, m.start - sentence.start, m, language)
                  and not credited(sentence.text, m.start - sentence.start)]
        if not listed or _names_own_gathering(parsed, sentence, match.start(), language, view):
            continue
        target = _gathering_for_list(events, gatherings, sentences_of, in_order, sentence.index)
        if target is None:
            continue
        nearest, same = target
        # every mention of that sentence's event (one per listed date) gets the delegation
        for i in same:
            if events[i].sentence == events[nearest].sentence and events[i].type == events[nearest].type:
                added = tuple(p for p in listed if p not in events[i].participants)
                events[i] = replace(events[i], participants=events[i].participants + added)
    return events


def _gathering_for_list(events: list[EventMention], gatherings: list[int], sentences_of: list[int], in_order: bool,
                        index: int) -> tuple[int, list[int]] | None:
    """The meeting or visit a delegation list in sentence ``index`` goes with (the nearest before it within
    reach, else the nearest after), and the gatherings of that one's sentence; None if none is in reach."""
    if in_order:  # the gatherings of the sentences around, by bisection
        low = bisect.bisect_left(sentences_of, index - _DELEGATION_REACH[0])
        middle = bisect.bisect_right(sentences_of, index)
        before = gatherings[low:middle]
        after = gatherings[middle:bisect.bisect_right(sentences_of, index + _DELEGATION_REACH[1])]
    else:
        before = [i for i in gatherings if index - _DELEGATION_REACH[0] <= events[i].sentence <= index]
        after = [i for i in gatherings if index < events[i].sentence <= index + _DELEGATION_REACH[1]]
    if not before and not after:
        return None
    nearest = (max(before, key=lambda i: events[i].sentence) if before
               else min(after, key=lambda i: events[i].sentence))
    same = gatherings
    if in_order:
        same = gatherings[bisect.bisect_left(sentences_of, events[nearest].sentence):
                          bisect.bisect_right(sentences_of, events[nearest].sentence)]
    return nearest, same


def _names_own_gathering(parsed: Parsed, sentence, before: int, language: str, view: _Sentences | None) -> bool:
    """Whether a sentence names a meeting of its own before offset ``before`` ("at future negotiations,
    Valdoria will be represented by A and B"): then the people it names are that meeting's, not an earlier
    or a neighbouring one's.  (An arrival is not one: "A and B arrived on Sunday" names who then met.)"""
    index, by_lemma = _trigger_index(language)
    tokens = view.tokens(sentence) if view else [t for t in parsed.tokens if sentence.start <= t.start < sentence.end]
    for token in tokens:
        if token.start - sentence.start >= before:
            break
        word = (token.lemma if by_lemma else token.text).lower()
        if any(kind == "meeting" and len(words) == 1 for kind, words in index.get(word, ())):
            return True
    return False


def _object_meetings(tokens: list[Token], syntax: Syntax, persons: list[tuple[int, Mention]],
                     language: str) -> list[Trigger]:
    """'Vrastek received Ebbing', 'Vrastek would see Ebbing': a meeting when the verb's object is a person."""
    verbs = set(_data().get("meeting_with_object", {}).get(language, []))
    if not verbs or not syntax.available:
        return []
    found = []
    for index, token in enumerate(tokens):
        if token.lemma not in verbs or token.pos != "VERB":
            continue
        position = syntax.token_at(token.start)
        for _, mention in persons:
            root = syntax.span_root(mention.start, mention.end)
            if root is not None and syntax.tokens[root].head == position and syntax.tokens[root].dep in ("dobj", "obj"):
                found.append(Trigger("meeting", token.text, token.start, index, token.lemma))
                break
    return found


def _participants(trigger: Trigger, persons: list[tuple[int, Mention]], text: str, sentence: Sentence,
                  language: str) -> list[int]:
    local = text[sentence.start:sentence.end]
    chosen = []
    possessors = genitive_possessors(persons, text, language)
    for index, mention in persons:
        offset = mention.start - sentence.start
        if possessive_modifier(local, offset, mention, language) or credited(local, offset) or index in possessors:
            continue
        if trigger.type == "statement":
            if speaker_at(local, offset, mention) or len(persons) == 1:
                chosen.append(index)
            continue
        if speaker_at(local, offset, mention) and len(persons) > 1:
            continue  # the one who reports the meeting, not one who met
        chosen.append(index)
    return chosen


def _neighbour_participants(parsed: Parsed, sentence: Sentence, text: str, language: str,
                            view: _Sentences | None = None) -> list[int]:
    """People named in the sentence before or after, within the same paragraph."""
    chosen: list[int] = []
    for neighbour in (sentence.index - 1, sentence.index + 1):
        if not 0 <= neighbour < len(parsed.sentences):
            continue
        other = parsed.sentences[neighbour]
        between = text[min(other.end, sentence.end):max(other.start, sentence.start)]
        if "\n\n" in between or _names_own_gathering(parsed, other, other.end - other.start, language, view):
            continue  # another paragraph; or a sentence of its own gathering, whose people are that one's
        mentions = view.mentions(neighbour) if view else [
            (i, m) for i, m in enumerate(parsed.mentions) if m.sentence == neighbour]
        people = [(i, m) for i, m in mentions if m.label in ("PERSON", "ORG", "UNKNOWN")]
        local = text[other.start:other.end]
        possessors = genitive_possessors(people, text, language)
        for index, mention in people:
            offset = mention.start - other.start
            if (possessive_modifier(local, offset, mention, language) or credited(local, offset) or index in possessors
                    or (speaker_at(local, offset, mention) and len(people) > 1)):
                continue
            chosen.append(index)
    return chosen


# a capitalised word right after a place name, with a space or a hyphen between: "in Portugal Brazil relations",
# "in Portugal-Brazil trade" use the place to qualify something else (an all-capitals word, "Lisbon DC", does not)
_NAME_AFTER = re.compile(r"[ \-‐]([A-ZА-ЯІЇЄҐ][a-zа-яіїєґ'’]+)")


def _attributive(text: str, end: int) -> bool:
    """Whether the place name ending at ``end`` qualifies the name after it rather than locating anything."""
    return _NAME_AFTER.match(text, end, min(len(text), end + 40)) is not None


def _preposition_before(text: str, offset: int) -> str:
    before = text[max(0, offset - 12):offset].split()
    while before and before[-1].lower() in ("the", "a"):
        before.pop()
    return before[-1] if before else ""


# ---------------------------------------------------------------- facts and quotes

_POINT_WORDS = {"five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11",
                "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16",
                "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20"}
_POINTS = re.compile(
    r"(?<![\d.,])(\d{1,3}|" + "|".join(_POINT_WORDS) + r")\s*(?:-|‑|–|\s)?\s*"
    r"(?:point|пункт\w*|puncte|punct\w*|pontos|ponto|points|punkt\w*)\b", re.IGNORECASE)
_QUOTE = re.compile(r"[“\"«„]([^”\"»“]{20,600})[”\"»“]")


_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                 "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                 "sixty": 60, "hundred": 100, "dozens": 0}
# "40 delegates", "some 25 Ostravan officials": a count of people or things at an event.
_COUNT = re.compile(r"\b(\d{1,4}|" + "|".join(_NUMBER_WORDS) + r")\s+(?:[A-Za-z][a-z]+\s+)?([a-z]{4,}s)\b")
# Counts of time and measures say how long or how much, not how many were there.
_NOT_COUNTED = {"days", "hours", "weeks", "months", "years", "minutes", "seconds", "times", "points", "percent",
                "kilometres", "kilometers", "miles", "dollars", "euros", "rounds", "decades", "centuries"}


def extract_facts(parsed: Parsed, text: str) -> list[Fact]:
    """Values an article states: the number of points of a plan, counts ("40 delegates")."""
    holding = _Sentences(parsed).holding

    def sentence_of(offset: int) -> int:
        sentence = holding(offset)
        return sentence.index if sentence is not None else -1

    facts = []
    for match in _POINTS.finditer(text):
        value = _POINT_WORDS.get(match.group(1).lower(), match.group(1))
        facts.append(Fact(sentence_of(match.start()), "plan_points", value, match.group(), match.start(), match.end()))
    for match in _COUNT.finditer(text):
        number, noun = match.group(1).lower(), match.group(2)
        value = _NUMBER_WORDS.get(number) if not number.isdigit() else int(number)
        if not value or noun in _NOT_COUNTED or (number.isdigit() and 1900 <= value <= 2100):
            continue
        facts.append(Fact(sentence_of(match.start()), f"count:{noun}", str(value), match.group(),
                          match.start(), match.end()))
    return facts


def extract_quotes(parsed: Parsed, text: str) -> list[Quote]:
    quotes = []
    view = _Sentences(parsed)
    for match in _QUOTE.finditer(text):
        body = match.group(1).strip()
        if len(body.split()) < 5:
            continue
        sentence = view.holding(match.start())
        if sentence is None:
            continue
        speaker = None
        best = None
        # the names of this sentence and the one before, in the parse's order
        nearby = sorted(view.mentions(sentence.index) + view.mentions(sentence.index - 1), key=lambda pair: pair[0])
        for mention_index, mention in nearby:
            if mention.label != "PERSON" or match.start() <= mention.start < match.end():
                continue
            if mention.sentence not in (sentence.index, sentence.index - 1):
                continue
            distance = min(abs(mention.start - match.end()), abs(match.start() - mention.end))
            if best is None or distance < best:
                best, speaker = distance, mention_index
        quotes.append(Quote(match.start(1), match.start(1) + len(match.group(1)), body, sentence.index, speaker))
    return quotes
