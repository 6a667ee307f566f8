"""Event one-liners (corpus/summaries.py): what the sources agree on, in a sentence, never "Meeting of X, Y"."""
from __future__ import annotations

import pytest

from helpers import day
from storyline.corpus.summaries import joined, summary

D, E = day("2014-03-03"), day("2014-03-04")


@pytest.mark.parametrize(("args", "expected"), [
    (("meeting", ["Tomas Ebbing", "Pavel Vrastek", "Mirela Dunca"], "Saltmere", D, D, "happened"),
     "Tomas Ebbing, Pavel Vrastek and Mirela Dunca met in Saltmere"),
    (("meeting", ["Tomas Ebbing", "Pavel Vrastek"], "Norrholm", D, E, "scheduled"),
     "Tomas Ebbing and Pavel Vrastek will meet in Norrholm over two days"),
    (("meeting", ["Tomas Ebbing", "Pavel Vrastek"], "Saltmere", D, D, "unknown"),
     "Tomas Ebbing and Pavel Vrastek meet in Saltmere"),
    (("meeting", ["Tomas Ebbing"], "Port Velin", D, D, "happened"), "Tomas Ebbing held talks in Port Velin"),
    (("meeting", [], "Saltmere", D, D, "happened"), "Talks held in Saltmere"),
    (("meeting", ["Tomas Ebbing", "Pavel Vrastek"], "Saltmere", D, D, "cancelled"),
     "Tomas Ebbing and Pavel Vrastek: talks in Saltmere called off"),
    (("visit", ["Tomas Ebbing"], "Port Velin", D, E, "happened"), "Tomas Ebbing visited Port Velin over two days"),
    (("visit", ["Tomas Ebbing"], None, D, D, "scheduled"), "Tomas Ebbing will make a visit"),
    (("call", ["Mirela Dunca", "Pavel Vrastek"], None, D, D, "happened"),
     "Mirela Dunca and Pavel Vrastek held a call"),
    (("agreement", ["Mirela Dunca", "Pavel Vrastek"], "Norrholm", D, D, "happened"),
     "Mirela Dunca and Pavel Vrastek signed an agreement in Norrholm"),
    (("proposal", ["Tomas Ebbing"], None, D, D, "unknown"), "Tomas Ebbing proposes a plan"),
    (("statement", ["Pavel Vrastek"], "Port Velin", D, D, "happened"), "Pavel Vrastek made a statement in Port Velin"),
])
def test_a_summary_says_who_did_what_where(args, expected):
    assert summary(*args) == expected


def test_no_participant_is_dropped_silently_and_none_is_invented():
    people = ["Tomas Ebbing", "Pavel Vrastek", "Mirela Dunca", "Greta Holmsen", "Henrik Vasse", "Agnes Tollan"]
    text = summary("meeting", people, None, D, D, "happened")
    assert text == "Tomas Ebbing, Pavel Vrastek, Mirela Dunca and 3 others met"
    assert "Meeting of" not in text and " in " not in text  # no place when the event has none
    assert summary("meeting", ["Tomas Ebbing", "Tomas Ebbing", " "], None, None, None, "unknown") == \
        "Tomas Ebbing holds talks"


def test_names_are_joined_as_english_joins_them():
    assert joined([]) == ""
    assert joined(["A"]) == "A"
    assert joined(["A", "B"]) == "A and B"
    assert joined(["A", "B", "C"]) == "A, B and C"
    assert joined(["A", "B", "C", "D"]) == "A, B, C and D"
    assert joined(["A", "B", "C", "D", "E"]) == "A, B, C and 2 others"
