"""One-line summaries of events, in English, from what their reports agree on.

An event's participants, place, dates and status are what its sources agree on (``event_merge``
decides them); the summary says them as a sentence an analyst reads at a glance: "Tomas Ebbing,
Henrik Vasse and Pavel Vrastek met in Norrholm", "Pavel Hrodna will meet Mirela Dunca in
Saltmere", "Anna Varga and Tomas Ebbing met in Saltmere over two days".  The tense follows the
status (happened: past; scheduled: future; unknown: the present of a headline); a cancelled event
says so.  Nothing is invented: no participant, no place, no date the event does not carry.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SHOWN = 3  # participants named before "and N others"


@dataclass(frozen=True)
class Phrase:
    """How one type of event is said: its verb (present with one subject, present with several, past,
    future), the noun naming it, and whether the place is the verb's object ("visited Moscow")."""

    one: str
    many: str
    past: str
    future: str
    noun: str
    place_is_object: bool = False


PHRASES = {
    "meeting": Phrase("meets", "meet", "met", "will meet", "talks"),
    "visit": Phrase("visits", "visit", "visited", "will visit", "visit", place_is_object=True),
    "call": Phrase("holds a call", "hold a call", "held a call", "will hold a call", "call"),
    "agreement": Phrase("signs an agreement", "sign an agreement", "signed an agreement", "will sign an agreement",
                        "agreement"),
    "proposal": Phrase("proposes a plan", "propose a plan", "proposed a plan", "will propose a plan", "plan"),
    "statement": Phrase("makes a statement", "make a statement", "made a statement", "will make a statement",
                        "statement"),
}
_ALONE = {  # a meeting or call with one known participant: nobody to meet
    "meeting": Phrase("holds talks", "hold talks", "held talks", "will hold talks", "talks"),
    "call": Phrase("holds a call", "hold a call", "held a call", "will hold a call", "call"),
}
_VISIT_NOWHERE = Phrase("makes a visit", "make visits", "made a visit", "will make a visit", "visit")
_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


def joined(names: list[str], shown: int = SHOWN) -> str:
    """Names as English joins them: "A", "A and B", "A, B and C", "A, B, C and 2 others"."""
    names = [n for n in dict.fromkeys(n.strip() for n in names) if n]
    if len(names) > shown + 1:
        rest = len(names) - shown
        return f"{', '.join(names[:shown])} and {rest} others"
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _days(first: date | None, last: date | None) -> str:
    if not first or not last or last <= first:
        return ""
    days = (last - first).days + 1
    return f" over {_NUMBERS.get(days, str(days))} days"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _verb(phrase: Phrase, status: str, several: bool) -> str:
    if status == "happened":
        return phrase.past
    if status == "scheduled":
        return phrase.future
    return phrase.many if several else phrase.one


def summary(type_: str, participants: list[str], place: str | None, first: date | None, last: date | None,
            status: str) -> str:
    """The event in one English sentence: its participants joined, the verb of its type in the tense of
    its status, its place (and "over N days" for a span)."""
    people = [p for p in dict.fromkeys(p.strip() for p in participants) if p]
    phrase = PHRASES.get(type_) or Phrase(f"has a {type_}", f"have a {type_}", f"had a {type_}",
                                          f"will have a {type_}", type_ or "event")
    if len(people) == 1 and type_ in _ALONE:
        phrase = _ALONE[type_]
    if phrase.place_is_object and not place and people:
        phrase = _VISIT_NOWHERE
    where = f" in {place}" if place and not phrase.place_is_object else ""
    span = _days(first, last)
    if status == "cancelled":
        noun = f"{phrase.noun} {'to' if phrase.place_is_object else 'in'} {place}" if place else phrase.noun
        return f"{joined(people)}: {noun} called off" if people else f"{_capital(noun)} called off"
    if not people:
        state = {"scheduled": " planned", "happened": " held"}.get(status, "")
        if phrase.place_is_object:
            return f"{_capital(phrase.noun)}{f' to {place}' if place else ''}{state}{span}"
        return f"{_capital(phrase.noun)}{state}{where}{span}"
    if phrase.place_is_object:
        target = f" {place}" if place else ""
        return f"{joined(people)} {_verb(phrase, status, len(people) > 1)}{target}{span}"
    return f"{joined(people)} {_verb(phrase, status, len(people) > 1)}{where}{span}"


__all__ = ["summary", "joined", "PHRASES", "Phrase"]
