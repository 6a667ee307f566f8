from datetime import date

import pytest

from storyline.article.date_rules import apply_rule, nearest_year, resolve_weekday
from storyline.article.timex import find_times

MONDAY = date(2014, 3, 3)  # a Monday


def spans(text, language="en", published=MONDAY, reference=None):
    return [(t.text, t.first, t.last) for t in find_times(text, language, published, reference=reference)]


@pytest.mark.parametrize("text,first,last", [
    ("They met on Tuesday, 4 March.", date(2014, 3, 4), date(2014, 3, 4)),
    ("They met on Dec. 4.", date(2013, 12, 4), date(2013, 12, 4)),
    ("Talks on March 4-5 ended.", date(2014, 3, 4), date(2014, 3, 5)),
    ("Talks on 4–5 March ended.", date(2014, 3, 4), date(2014, 3, 5)),
    ("on 14 and 15 March", date(2014, 3, 14), date(2014, 3, 15)),
    ("Nov. 23, 2013 was the day", date(2013, 11, 23), date(2013, 11, 23)),
    ("stamp 06.12.2013 here", date(2013, 12, 6), date(2013, 12, 6)),
    ("url 11-30-2013 here", date(2013, 11, 30), date(2013, 11, 30)),
    ("iso 2014-02-28 here", date(2014, 2, 28), date(2014, 2, 28)),
])
def test_absolute_dates(text, first, last):
    found = spans(text)
    assert found and found[0][1:] == (first, last)


def test_list_of_days_gives_one_date_each():
    found = spans("On 23 and 30 January, the delegations held consultations.")
    assert [(first, last) for _, first, last in found] == [(date(2014, 1, 23), date(2014, 1, 23)),
                                                           (date(2014, 1, 30), date(2014, 1, 30))]


def test_year_is_the_one_nearest_publication_and_past_is_preferred():
    assert nearest_year(12, 28, date(2014, 12, 1)) == date(2014, 12, 28)
    assert nearest_year(5, 5, date(2014, 12, 1)) == date(2014, 5, 5)
    assert nearest_year(12, 30, date(2014, 1, 2)) == date(2013, 12, 30)


def test_weekday_before_and_after_publication_day():
    # published Wednesday 2014-03-05
    wednesday = date(2014, 3, 5)
    past = spans("The ministers met on Monday in Saltmere.", published=wednesday)
    future = spans("The ministers will meet on Monday in Saltmere.", published=wednesday)
    same_day = spans("The ministers met on Wednesday.", published=wednesday)
    assert past[0][1] == date(2014, 3, 3)
    assert future[0][1] == date(2014, 3, 10)
    assert same_day[0][1] == wednesday


def test_last_and_next_weekday_are_strict():
    assert resolve_weekday(0, MONDAY, -2) == date(2014, 2, 24)
    assert resolve_weekday(0, MONDAY, 2) == date(2014, 3, 10)
    assert spans("last Monday")[0][1] == date(2014, 2, 24)
    assert spans("next Monday")[0][1] == date(2014, 3, 10)


@pytest.mark.parametrize("text,first,last", [
    ("tomorrow", date(2014, 3, 4), date(2014, 3, 4)),
    ("yesterday", date(2014, 3, 2), date(2014, 3, 2)),
    ("today", MONDAY, MONDAY),
    ("last week", date(2014, 2, 24), date(2014, 3, 2)),
    ("next week", date(2014, 3, 10), date(2014, 3, 16)),
    ("last month", date(2014, 2, 1), date(2014, 2, 28)),
    ("over the weekend", date(2014, 3, 1), date(2014, 3, 2)),
])
def test_relative_expressions(text, first, last):
    found = spans(f"It happened {text}.")
    assert found and found[0][1:] == (first, last)


def test_earlier_this_week_is_a_window_up_to_publication():
    thursday = date(2014, 3, 6)
    assert spans("talks earlier this week", published=thursday)[0][1:] == (date(2014, 3, 3), thursday)


def test_unknown_publication_date_leaves_relative_dates_unresolved():
    found = find_times("They met on Sunday. They will meet again tomorrow.", "en", None)
    assert [(t.text, t.first, t.rule) for t in found] == [("Sunday", None, "wd|6|-1"), ("tomorrow", None, "day|1")]
    # an absolute date without a year needs an anchor too, unless the corpus gives a reference
    assert spans("They met on March 4.", published=None)[0][1] is None
    assert spans("They met on March 4.", published=None, reference=date(2014, 3, 20))[0][1] == date(2014, 3, 4)


def test_rules_reanchor_to_another_publication_date():
    sunday = find_times("They met on Sunday.", "en", None)[0]
    assert apply_rule(sunday.rule, date(2014, 3, 5)) == (date(2014, 3, 2), date(2014, 3, 2))
    assert apply_rule(sunday.rule, date(2014, 3, 12)) == (date(2014, 3, 9), date(2014, 3, 9))


def test_month_part_and_month():
    assert spans("in mid-February")[-1][1:] == (date(2014, 2, 11), date(2014, 2, 20))
    found = spans("the plan leaked in February")
    assert found[0][1:] == (date(2014, 2, 1), date(2014, 2, 28))


def test_may_the_verb_is_not_a_date():
    assert spans("Officials may meet soon.") == []


@pytest.mark.parametrize("language,text,first,last", [
    ("ru", "Встреча пройдёт 4-5 марта в Салтмере.", date(2014, 3, 4), date(2014, 3, 5)),
    ("ru", "Переговоры состоялись в понедельник.", MONDAY, MONDAY),
    ("ru", "Министр прилетит завтра.", date(2014, 3, 4), date(2014, 3, 4)),
    ("uk", "Зустріч відбулася 2 березня.", date(2014, 3, 2), date(2014, 3, 2)),
    ("uk", "Делегації зустрінуться у п'ятницю.", date(2014, 3, 7), date(2014, 3, 7)),
    ("uk", "Перемовини тривали 14 і 15 березня.", date(2014, 3, 14), date(2014, 3, 15)),
    ("pt", "O enviado chegou neste sábado (1).", date(2014, 3, 1), date(2014, 3, 1)),
    ("ro", "Discuțiile au avut loc pe 13 martie 2014.", date(2014, 3, 13), date(2014, 3, 13)),
])
def test_other_languages(language, text, first, last):
    found = spans(text, language)
    assert found and found[0][1:] == (first, last)


def test_anaphoric_days_follow_the_date_just_named():
    text = "Talks were held on December 2. On the same day the envoy flew home. The next day he resigned."
    found = find_times(text, "en", date(2014, 12, 5))
    assert [(t.text, t.first) for t in found] == [("December 2", date(2014, 12, 2)),
                                                ("the same day", date(2014, 12, 2)),
                                                ("The next day", date(2014, 12, 3))]
    # a relative antecedent stays relative: it re-anchors with the article
    found = find_times("Переговори відбулися 28 листопада. Того ж дня голова пішов у відставку.", "uk", None)
    same_day = found[-1]
    assert same_day.rule == "after|0|md|11|28|28" and apply_rule(same_day.rule, date(2014, 12, 1)) == (
        date(2014, 11, 28), date(2014, 11, 28))
    # with nothing named before, "that day" says nothing
    assert find_times("That day nobody came.", "en", date(2014, 12, 5)) == []


def test_a_weekday_that_contradicts_its_day_leaves_a_doubt():
    published = date(2014, 3, 8)  # a Saturday
    agree = find_times("They met on Tuesday, March 4.", "en", published)
    assert [(t.first, t.last, t.certain) for t in agree] == [(date(2014, 3, 4), date(2014, 3, 4), True)]
    # Wednesday is the 5th: one of the two is wrong and the text does not say which
    clash = find_times("Ils se sont rencontrés mercredi 4 mars.", "fr", published)
    assert [(t.first, t.last, t.certain) for t in clash] == [(date(2014, 3, 4), date(2014, 3, 5), False)]
    with_year = find_times("They met on Monday, 4 March 2014.", "en", published)
    assert [(t.first, t.last, t.certain) for t in with_year] == [(date(2014, 3, 3), date(2014, 3, 4), False)]
    # the rule is kept, so a better anchor resolves it again
    assert apply_rule(clash[0].rule, date(2014, 3, 8)) == (date(2014, 3, 4), date(2014, 3, 5))
