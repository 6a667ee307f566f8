"""Date rules (``storyline.article.date_rules``): the records, their stored text, and how they resolve.

Fast: records built by hand, and ``find_times`` (regular expressions, no model) where a rule comes
from a text.
"""
from __future__ import annotations

from datetime import date

import pytest

from storyline.article.date_rules import (
    Anaphor,
    Lasting,
    Month,
    MonthDays,
    MonthPart,
    RelativeDay,
    RelativePeriod,
    Shifted,
    Weekday,
    WeekdayOnDay,
    apply_rule,
    parse_rule,
    rule_kind,
)
from storyline.article.timex import find_times

WEDNESDAY = date(2014, 3, 5)


def days(first: str, last: str | None = None) -> tuple[date, date]:
    return date.fromisoformat(first), date.fromisoformat(last or first)


@pytest.mark.parametrize("rule,text", [
    (Weekday(1, -1), "wd|1|-1"),
    (WeekdayOnDay(5, 20), "wdday|5|20"),
    (RelativeDay(-1), "day|-1"),
    (RelativePeriod("week", 0, "before"), "period|week|0|before"),
    (MonthDays(12, 4, 5), "md|12|4|5"),
    (MonthPart(12, 1, 10), "part|12|1|10"),
    (Month(12), "month|12"),
    (Anaphor(1), "anaphor|1"),
    (Shifted(1, MonthDays(12, 2, 2)), "after|1|md|12|2|2"),
    (Lasting(2, Shifted(1, Weekday(0, -1))), "lasting|2|after|1|wd|0|-1"),
])
def test_a_rule_is_stored_as_the_text_it_always_had_and_read_back(rule, text):
    assert str(rule) == text and parse_rule(text) == rule


def test_no_rule_and_an_unknown_kind_read_as_none():
    assert parse_rule("") is None and parse_rule("fortnight|1") is None and parse_rule("after|1|fortnight|1") is None
    assert apply_rule("", WEDNESDAY) is None and rule_kind("") == ""


@pytest.mark.parametrize("direction,day", [(-1, "2014-03-04"), (1, "2014-03-11"), (-2, "2014-03-04"),
                                           (2, "2014-03-11")])
def test_a_weekday_other_than_the_anchors_in_each_direction(direction, day):
    assert Weekday(1, direction).resolve(WEDNESDAY, WEDNESDAY) == days(day)


@pytest.mark.parametrize("direction,day", [(-1, "2014-03-05"), (1, "2014-03-05"), (-2, "2014-02-26"),
                                           (2, "2014-03-12")])
def test_the_anchors_own_weekday_is_the_anchor_unless_strictly_before_or_after(direction, day):
    assert Weekday(2, direction).resolve(WEDNESDAY, WEDNESDAY) == days(day)


def test_a_weekday_read_the_other_way():
    assert Weekday(1, -1).read_forwards() == Weekday(1, 1) and Weekday(1, 1).read_backwards() == Weekday(1, -1)


def test_relative_rules_need_a_publication_date_and_year_less_dates_a_year_anchor():
    assert apply_rule(RelativeDay(1), None) is None and apply_rule(Weekday(1, -1), None) is None
    assert apply_rule(RelativeDay(1), WEDNESDAY) == days("2014-03-06")
    assert apply_rule(MonthDays(12, 4, 4), None) is None
    assert apply_rule(MonthDays(12, 4, 4), None, date(2014, 3, 5)) == days("2013-12-04")


@pytest.mark.parametrize("rule,span", [
    (RelativePeriod("week", 0, "before"), days("2014-03-03", "2014-03-05")),  # earlier this week
    (RelativePeriod("week", 0, "after"), days("2014-03-05", "2014-03-09")),  # later this week
    (RelativePeriod("week", 0, "weekend"), days("2014-03-08", "2014-03-09")),  # this weekend
    (RelativePeriod("week", 0, "weekend_past"), days("2014-03-01", "2014-03-02")),  # over the weekend
    (RelativePeriod("week", 1, "all"), days("2014-03-10", "2014-03-16")),  # next week
    (RelativePeriod("days", 7, "after"), days("2014-03-06", "2014-03-12")),  # in the coming days
    (RelativePeriod("month", -1, "all"), days("2014-02-01", "2014-02-28")),  # last month
    (RelativePeriod("month", 0, "before"), days("2014-03-01", "2014-03-05")),  # earlier this month
])
def test_periods_counted_from_the_anchor(rule, span):
    assert apply_rule(rule, WEDNESDAY) == span


@pytest.mark.parametrize("rule,span", [
    (MonthDays(3, 4, 5), days("2014-03-04", "2014-03-05")),
    (MonthDays(12, 28, 28), days("2013-12-28")),  # a future date counts as twice as far
    (MonthPart(12, 21, 31), days("2013-12-21", "2013-12-31")),
    (MonthPart(2, 21, 31), days("2014-02-21", "2014-02-28")),  # cut to the month's length
    (Month(2), days("2014-02-01", "2014-02-28")),
    (WeekdayOnDay(5, 1), days("2014-03-01")),  # "sábado (1)": the Saturday that is a 1st
])
def test_year_less_dates_take_the_year_nearest_the_anchor(rule, span):
    assert apply_rule(rule, WEDNESDAY) == span


def test_a_shift_counts_from_a_single_day_only():
    assert apply_rule(Shifted(1, Weekday(0, -1)), WEDNESDAY) == days("2014-03-04")  # the day after Monday
    assert apply_rule(Shifted(1, RelativePeriod("week", 1, "all")), WEDNESDAY) is None


def test_a_duration_stretches_a_single_day_and_leaves_a_span_alone():
    assert apply_rule(Lasting(2, Weekday(0, -1)), WEDNESDAY) == days("2014-03-03", "2014-03-04")
    assert apply_rule(Lasting(2, Month(2)), WEDNESDAY) == days("2014-02-01", "2014-02-28")


def test_an_anaphor_resolves_to_nothing_until_its_day_is_known():
    assert apply_rule(Anaphor(0), WEDNESDAY) is None


def test_the_kind_looks_through_shifts_and_durations():
    assert rule_kind(Lasting(2, Shifted(1, Weekday(0, -1)))) == "wd" == rule_kind("lasting|2|after|1|wd|0|-1")
    assert Lasting(2, MonthDays(3, 4, 4)).base == MonthDays(3, 4, 4)


@pytest.mark.parametrize("rule,ahead", [
    (RelativeDay(1), True), (RelativeDay(0), False), (RelativeDay(-1), False),
    (RelativePeriod("week", 1, "all"), True), (RelativePeriod("week", 0, "weekend"), True),
    (RelativePeriod("week", 0, "after"), True), (RelativePeriod("week", 0, "before"), False),
    (RelativePeriod("week", -1, "weekend"), False), (RelativePeriod("days", 7, "after"), True),
    (RelativePeriod("month", 1, "all"), True), (RelativePeriod("month", 0, "after"), False),
    (Weekday(1, 2), False), (Shifted(1, RelativeDay(1)), False),
])
def test_rules_that_only_point_ahead(rule, ahead):
    assert rule.points_ahead() is ahead


@pytest.mark.parametrize("rule", ["wd|1|-1", "md|12|4|5", "after|1|md|12|2|2", "period|week|0|before"])
def test_text_and_record_resolve_alike(rule):
    for anchor in (date(2013, 12, 31), WEDNESDAY, date(2016, 2, 29)):
        assert apply_rule(rule, anchor) == apply_rule(parse_rule(rule), anchor)


# ---------------------------------------------------------------- rules find_times makes


def test_a_weekday_in_the_past_and_in_the_future():
    past, = find_times("They met on Sunday.", "en", WEDNESDAY)
    future, = find_times("They will meet on Sunday.", "en", WEDNESDAY)
    assert (past.rule, past.first) == (str(Weekday(6, -1)), date(2014, 3, 2))
    assert (future.rule, future.first) == (str(Weekday(6, 1)), date(2014, 3, 9))


def test_the_same_day_shifts_the_day_named_before():
    text = "They met on March 2. On the same day, Dunca flew home."
    found = find_times(text, "en", WEDNESDAY, [(0, 20), (21, len(text))])
    same_day = next(t for t in found if "same day" in t.text.lower())
    assert parse_rule(same_day.rule) == Shifted(0, MonthDays(3, 2, 2)) and same_day.first == date(2014, 3, 2)


def test_a_weekday_beside_an_expression_pointing_ahead_points_ahead():
    text = "Leaders arrive this weekend; Dunca meets Hrodna on Monday."
    monday = next(t for t in find_times(text, "en", WEDNESDAY, [(0, len(text))]) if t.text.endswith("Monday"))
    assert parse_rule(monday.rule) == Weekday(0, 1) and monday.first == date(2014, 3, 10)


# ---------------------------------------------------------------- scripts without spaces


@pytest.mark.parametrize("language,text,wanted", [
    ("zh", "两国外长将于3月7日（周五）在边境城市会晤", [("3月7日（周五）", "2014-03-07")]),
    ("zh", "发言人周二宣布", [("周二", "2014-03-04")]),
    ("zh", "代表团明日抵达", [("明日", "2014-03-06")]),
    ("ja", "首相は２日午後、外相と会談した", [("２日", "2014-03-02")]),
    ("ja", "両首脳は2013年12月30日に会談した", [("2013年12月30日", "2013-12-30")]),
    ("ko", "두 장관은 2월 27일(현지시간) 회담했다", [("2월 27일(현지시간)", "2014-02-27")]),
    ("ko", "장관은 오늘 도착했다", [("오늘", "2014-03-05")]),
    ("ko", "회담은 월요일에 열렸다", [("월요일", "2014-03-03")]),
])
def test_dates_in_scripts_without_spaces_are_read_with_their_counters(language, text, wanted):
    found = [(t.text, str(t.first)) for t in find_times(text, language, WEDNESDAY)]
    assert found == wanted


def test_a_day_without_its_month_after_publication_is_the_month_before():
    assert [str(t.first) for t in find_times("28日に会談した", "ja", WEDNESDAY)] == ["2014-02-28"]
    assert find_times("日本の首相", "ja", WEDNESDAY) == []
