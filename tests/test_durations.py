"""Stated lengths of a meeting, in the languages read, and whether two can both be true."""
import pytest

from storyline.corpus.durations import compatible, stated_durations


@pytest.mark.parametrize("language, text, label", [
    ("en", "Tomas Ebbing said after the 87-minute summit that a deal was near.", "87 minutes"),
    ("en", "The discussions, which lasted nearly two hours, focused on trade.", "nearly 120 minutes"),
    ("en", "Speaking after more than two hours of closed-door talks with Dunca, Vrastek smiled.",
     "more than 120 minutes"),
    ("en", "The meeting began at 11 a.m. and ended after about 1 hour and 40 minutes.", "about 100 minutes"),
    ("en", "The talks lasted an hour and a half.", "90 minutes"),
    ("fr", "La rencontre a duré une heure et quarante minutes à Lausanne.", "100 minutes"),
    ("fr", "L'entretien a duré moins de deux heures.", "less than 120 minutes"),
    ("de", "Das Gespräch in Lissabon dauerte 1 Stunde 40 Minuten.", "100 minutes"),
    ("it", "L'incontro, durato circa trenta minuti, è stato il primo.", "about 30 minutes"),
    ("ru", "Переговоры продлились всего чуть более полутора часов.", "more than 90 minutes"),
    ("ru", "Встреча длилась два часа.", "120 minutes"),
    ("uk", "Переговори тривали півтори години.", "90 minutes"),
    ("zh", "會談於中午結束，歷時約1小時40分鐘。", "about 100 minutes"),
    ("zh", "雙方會談了87分鐘。", "87 minutes"),
    ("ja", "両首脳は約１時間４０分にわたり会談した。", "about 100 minutes"),
    ("ko", "두 정상은 87분간 회담했다.", "87 minutes"),
])
def test_a_duration_of_the_meeting_is_read_in_each_language(language, text, label):
    assert [d.label for d in stated_durations(text, language)] == [label]


@pytest.mark.parametrize("language, text", [
    ("en", "Ebbing took a two-hour flight to Porto before the talks."),
    ("en", "A deal on the talks is expected within 24 hours."),
    ("en", "The talks are expected to last two to three hours."),
    ("zh", "預料與對方的會談歷時3至4小時"),
    ("ja", "会談は11時40分に始まった"),
])
def test_a_duration_of_something_else_is_not_the_meetings(language, text):
    assert stated_durations(text, language) == []


def _one(text, language="en"):
    (found,) = stated_durations(text, language)
    return found


def test_lengths_that_cannot_both_be_true_are_incompatible():
    summit = _one("They met for 87 minutes.")
    assert not compatible(summit, _one("The talks lasted nearly two hours."))
    about = _one("The talks lasted about 1 hour and 40 minutes.")
    assert compatible(about, _one("The talks lasted 1 hour 40 minutes."))
    assert compatible(about, _one("The talks lasted less than two hours."))
    assert not compatible(about, _one("The talks lasted more than two hours."))
