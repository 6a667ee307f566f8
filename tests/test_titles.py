"""Story titles (corpus/titles.py): the headline most sources agree with, or one composed from the story's core
names; never a byline, a section label or a lead cut short."""
from __future__ import annotations

import pytest

from helpers import day
from storyline.corpus.titles import Headline, StoryName, is_headline, story_names, story_title
from storyline.models import Entity, EntityMentionRef


@pytest.mark.parametrize(("title", "outlet"), [
    ("WAR ON LESSARY", "Coastline Herald"),  # a section label
    ("Ilsa Marrow Harbour Herald", "Coastline Review (Harbour Herald)"),  # a byline with the outlet's name
    ("Ilsa Marrow", "Harbour Times"),  # a byline alone
    ("By Ilsa Marrow, Saltmere correspondent", "Harbour Times"),
    ("World", "Harbour Times"),
    ("Harbour Times", "Harbour Times"),
    ("Tuesday, 11 March 2014 | 18:20", "Coastline Herald"),
    ("Senior officials from Valdoria and the Ostrava Republic said on Monday that the talks in Saltmere…", ""),
])
def test_bylines_labels_and_cut_leads_are_no_headlines(title, outlet):
    assert not is_headline(title, outlet)


@pytest.mark.parametrize("title", [
    "Vrastek and Dunca resume talks in Saltmere",
    "Kestish Envoy Ebbing Meets Vrastek In Port Velin Amid Reports Of A Nine-Point Plan",  # Title Case
    "Vrastek: Ostrava Republic backs nine-point framework",
    "Norrholm talks end",
    "索尔特米尔会谈结束，双方同意继续谈判",  # no spaces between words: counted by letters
])
def test_headlines_are_headlines(title):
    assert is_headline(title, "Harbour Times")


def name(text: str, kind: str, articles: set[str], *aliases: str, mentions: int = 0, elsewhere: int = 0):
    return StoryName(text, kind, (text, *aliases), frozenset(articles), mentions or len(articles), elsewhere)


TALKS = [  # one round of talks, four outlets
    name("Valdoria", "PLACE", {"a", "b", "c", "d"}),
    name("Pavel Vrastek", "PERSON", {"a", "b", "c", "d"}, "Vrastek"),
    name("Mirela Dunca", "PERSON", {"a", "b", "c"}, "Dunca"),
    name("Saltmere", "PLACE", {"a", "b", "c"}),
    name("Port Velin", "PLACE", {"d"}),
]


def headlines(*rows: tuple[str, str, str]) -> list[Headline]:
    return [Headline(article, title, outlet, "en", day(f"2014-03-0{i + 2}"))
            for i, (article, title, outlet) in enumerate(rows)]


def test_the_title_is_the_headline_most_sources_agree_with():
    title = story_title(headlines(
        ("a", "WAR ON LESSARY", "Coastline Herald"),
        ("b", "Ilsa Marrow Harbour Herald", "Coastline Review (Harbour Herald)"),
        ("c", "Vrastek and Dunca resume talks in Saltmere", "Harbour Times"),
        ("d", "Vrastek flies home to Port Velin after the talks", "Evening Ledger"),  # one outlet's detail
    ), TALKS)
    assert title == "Vrastek and Dunca resume talks in Saltmere"


def test_a_story_of_many_happenings_gets_a_title_composed_from_its_core_names():
    names = [
        name("Valdoria", "PLACE", {"a", "b", "c", "d"}, mentions=12),
        name("Kestland", "PLACE", {"a", "b", "c", "d"}, mentions=5, elsewhere=3),  # in other stories too
        name("Pavel Vrastek", "PERSON", {"a", "b", "c", "d"}, "Vrastek"),  # the articles write "Vrastek" alone
        name("Mirela Dunca", "PERSON", {"a", "b", "c"}, "Dunca"),
        name("Tomas Ebbing", "PERSON", {"b", "c"}),  # ... but never "Ebbing": his full name
        name("Saltmere", "PLACE", {"a"}), name("Port Velin", "PLACE", {"b"}),
        name("Norrholm", "PLACE", {"c"}), name("Lindenport", "PLACE", {"d"}),
    ]
    title = story_title(headlines(
        ("a", "Talks open in Saltmere", "Harbour Times"),
        ("b", "Vrastek meets the envoy in Port Velin", "Evening Ledger"),
        ("c", "Norrholm talks end with a framework", "Harbour Wire"),
        ("d", "Dunca flies to Lindenport", "Coastline Herald"),
    ), names, stories=4)
    assert title == "Valdoria talks: Vrastek, Dunca and Tomas Ebbing"


def test_a_lone_article_without_a_headline_gets_a_composed_title():
    rows = [Headline("a", "WAR ON LESSARY", "Coastline Herald", "en", day("2014-03-03")),
            Headline("b", "Officials in Lessary said on Monday that the truce…", "Evening Ledger", "en",
                     day("2014-03-03"), copy_of="a")]
    names = [name("Lessary", "PLACE", {"a"}, mentions=4), name("Valdoria", "PLACE", {"a"}, mentions=2),
             name("Mirela Dunca", "PERSON", {"a"}, "Dunca")]
    assert story_title(rows, names) == "Lessary truce: Dunca"


def test_a_lone_article_with_a_headline_keeps_it():
    rows = [Headline("a", "Brackwater ferry crews to strike over pay", "Harbour Times", "en", day("2014-03-10"))]
    assert story_title(rows, [name("Brackwater", "PLACE", {"a"})]) == "Brackwater ferry crews to strike over pay"


def test_names_written_only_in_another_script_are_not_composed_into_an_english_title():
    # the corpus writes Витков and Лессария only: their romanisations were made for matching, not written
    names = [StoryName("Vitkov", "PERSON", ("Vitkov", "Витков"), frozenset({"a", "b"}), 4, 0, ("Витков",)),
             StoryName("Lessariya", "PLACE", ("Lessariya", "Лессария"), frozenset({"a", "b"}), 4, 0, ("Лессария",))]
    rows = [Headline("a", "Витков прибыл в Лессарию для переговоров", "Vestnik", "ru", day("2014-03-03")),
            Headline("b", "Переговоры в Лессарии продолжаются третий день", "Kurier", "ru", day("2014-03-04"))]
    assert story_title(rows, names) == "Витков прибыл в Лессарию для переговоров"  # the most central headline


def test_story_names_fold_copies_and_count_other_stories():
    entity = Entity("e1", "Pavel Vrastek", "PERSON", ["Vrastek", "Paul Vrastek"], [
        EntityMentionRef("a", "Vrastek", 0, 7), EntityMentionRef("a2", "Vrastek", 0, 7),
        EntityMentionRef("b", "Paul Vrastek", 0, 12), EntityMentionRef("x", "Vrastek", 0, 7)])
    names = story_names([entity], {"s1": ["a", "a2", "b"], "s2": ["x"]}, {"a2": "a"})
    [vrastek] = names["s1"]
    assert vrastek.articles == frozenset({"a", "b"})  # the copy a2 counts as its original a
    assert vrastek.mentions == 2 and vrastek.other_stories == 1
    assert vrastek.forms == ("Pavel Vrastek", "Vrastek", "Paul Vrastek")
    assert vrastek.written == ("Vrastek", "Paul Vrastek")  # most written first
