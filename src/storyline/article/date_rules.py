"""Date rules: what a date expression means when only an anchor day can place it.

"On Tuesday" in a past-tense clause is the Tuesday on or before the publication date, "tomorrow" the day
after it, "Dec. 4" the 4 December nearest it.  ``timex.find_times`` reads such an expression into one of the
records here, and a record resolves itself against an anchor (``resolve``): a later stage that learns a
better publication date resolves it again.

Analyses store a rule as its text, ``str(rule)`` ("wd|1|-1", "after|1|md|12|2|2"), the form stored
analyses have always had; ``parse_rule`` reads the text back into its record.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import ClassVar

Span = tuple[date, date]


# ---------------------------------------------------------------- calendar arithmetic


def nearest_year(month: int, day: int, anchor: date) -> date | None:
    """The date with this month and day nearest the anchor.

    News looks back more than ahead, so a future date counts as twice as far:
    "May 5" in a December story is last May, "December 28" is this month.
    """
    def distance(candidate: date) -> int:
        days = (candidate - anchor).days
        return 2 * days if days > 0 else -days

    best = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or distance(candidate) < distance(best):
            best = candidate
    return best


def resolve_weekday(weekday: int, anchor: date, direction: int) -> date:
    """direction -1: on or before the anchor; +1: on or after; -2/+2: strictly before/after."""
    delta = (anchor.weekday() - weekday) % 7
    if direction == -1:
        return anchor - timedelta(days=delta)
    if direction == -2:
        return anchor - timedelta(days=delta or 7)
    ahead = (weekday - anchor.weekday()) % 7
    if direction == 2:
        return anchor + timedelta(days=ahead or 7)
    return anchor + timedelta(days=ahead)


def month_span(year: int, month: int) -> Span:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def week_bounds(anchor: date) -> Span:
    """The Monday and Sunday of the anchor's week."""
    monday = anchor - timedelta(days=anchor.weekday())
    return monday, monday + timedelta(days=6)


def _week_part(start: date, end: date, part: str, anchor: date) -> Span:
    if part == "before":
        return start, min(end, anchor)
    if part == "after":
        return max(start, anchor), end
    if part == "weekend":
        return end - timedelta(days=1), end
    if part == "weekend_past":
        # "over the weekend" in a story published early in a week is the one just gone
        saturday = end - timedelta(days=1)
        if saturday > anchor:
            saturday -= timedelta(days=7)
        return saturday, saturday + timedelta(days=1)
    if part == "start":
        return start, start + timedelta(days=1)
    if part == "end":
        return end - timedelta(days=2), end
    return start, end


def period_span(unit: str, count: int, part: str, anchor: date) -> Span:
    """The days of a period counted from the anchor: ``count`` days ("days"), or the week or month
    ``count`` weeks or months away, all of it or a ``part`` ("before" / "after" the anchor, "weekend", ...)."""
    if unit == "days":
        return (anchor + timedelta(days=1), anchor + timedelta(days=count)) if part == "after" else (
            anchor - timedelta(days=count), anchor)
    if unit == "week":
        start, end = week_bounds(anchor + timedelta(days=7 * count))
        return _week_part(start, end, part, anchor)
    month_index = anchor.year * 12 + anchor.month - 1 + count
    first, last = month_span(month_index // 12, month_index % 12 + 1)
    if part == "before":
        return first, min(last, anchor)
    if part == "after":
        return max(first, anchor), last
    return first, last


# ---------------------------------------------------------------- the rules


@dataclass(frozen=True)
class DateRule:
    """A relative date.  ``resolve(anchor, year_anchor)``: its days against a publication date ``anchor``
    (None: unknown) and the day a year-less date takes its year from; None when they do not place it."""

    kind: ClassVar[str] = ""

    def resolve(self, anchor: date | None, year_anchor: date | None) -> Span | None:
        raise NotImplementedError

    @property
    def base(self) -> DateRule:
        """The rule itself, or for a shift or a duration the rule it wraps ('after|1|wd|1|-1' -> 'wd|1|-1')."""
        return self

    def points_ahead(self) -> bool:
        """Whether the rule can only name days after the anchor ("tomorrow", "next week")."""
        return False


@dataclass(frozen=True)
class Weekday(DateRule):
    """A weekday: "on Tuesday", "last Tuesday" (``wd|1|-1``, ``wd|1|-2``)."""

    kind: ClassVar[str] = "wd"
    weekday: int  # 0 = Monday
    direction: int  # -1: on or before the anchor, 1: on or after it; -2, 2: strictly ("last", "next")

    def __str__(self) -> str:
        return f"wd|{self.weekday}|{self.direction}"

    def resolve(self, anchor: date | None, year_anchor: date | None) -> Span | None:
        if anchor is None:
            return None
        value = resolve_weekday(self.weekday, anchor, self.direction)
        return value, value

    def read_forwards(self) -> Weekday:
        """The same weekday on or after the anchor."""
        return replace(self, direction=1)

    def read_backwards(self) -> Weekday:
        """The same weekday on or before the anchor."""
        return replace(self, direction=-1)


@dataclass(frozen=True)
class WeekdayOnDay(DateRule):
    """A weekday with its day of the month, "sábado (20)" (``wdday|5|20``): the nearest such day."""

    kind: ClassVar[str] = "wdday"
    weekday: int  # 0 = Monday
    day: int

    def __str__(self) -> str:
        return f"wdday|{self.weekday}|{self.day}"

    def resolve(self, anchor: date | None, year_anchor: date | None) -> Span | None:
        if year_anchor is None:
            return None
        candidates = [nearest_year(m, self.day, year_anchor) for m in range(1, 13)]
        best = [c for c in candidates if c and c.weekday() == self.weekday]
        if not best:
            return None
        value = min(best, key=lambda c: abs((c - year_anchor).days))
        return value, value


@dataclass(frozen=True)
class RelativeDay(DateRule):
    """A day counted from the anchor: "yesterday" (``day|-1``), "tomorrow" (``day|1``)."""

    kind: ClassVar[str] = "day"
    offset: int  # days after the anchor

    def __str__(self) -> str:
        return f"day|{self.offset}"

    def resolve(self, anchor: date | None, year_anchor: date | None) -> Span | None:
        if anchor is None:
            return None
        value = anchor + timedelta(days=self.offset)
        return value, value

    def points_ahead(self) -> bool:
        return self.offset >= 1


@dataclass(frozen=True)
class RelativePeriod(DateRule):
    """A period counted from the anchor: "earlier this week" (``period|week|0|before``), "next month"
    (``period|month|1|all``), "in the coming days" (``period|days|7|after``)."""

    kind: ClassVar[str] = "period"
    unit: str  # days, week, month
    count: int  # days (unit "days"), or weeks or months from the anchor's
    part: str  # all, before, after, weekend, weekend_past, start, end

    def __str__(self) -> str:
        return f"period|{self.unit}|{self.count}|{self.part}"

    def resolve(self, anchor: date | None, year_anchor: date | None) -> Span | None:
        if anchor is None:
            return None
        return period_span(self.unit, self.count, self.part, anchor)

    def points_ahead(self) -> bool:
        # ("weekend_past" too: the rule of old matched its text by prefix)
        if self.unit == "week":
            return self.count >= 1 or (self.count == 0 and self.part.startswith(("after", "weekend")))
        if self.unit == "days":
            return self.count >= 0 and self.part.startswith("after")
        return self.unit == "month" and self.count >= 1


@dataclass(frozen=True)
class MonthDays(DateRule):
    """Days of a month without a year: "Dec. 4" (``md|12|4|4``), "4-5 December" (``md|12|4|5``)."""

    kind: ClassVar[str] = "md"
    month: int
    first: int
    last: int

    def __str__(self) -> str:
        return f"md|{self.month}|{self.first}|{self.last}"

    def resolve(self, anchor: date | None, year_anchor: date | None) -> Span | None:
        if year_anchor is None:
            return None
        first = nearest_year(self.month, self.first, year_anchor)
        if first is None:
            return None
        try:
            last = (date(first.year, self.month, self.last) if self.last >= self.first
                    else nearest_year(self.month, self.last, first))
        except ValueError:
            return None
        return (first, last) if last and last >= first else (first, first)


@dataclass(frozen=True)
class MonthDayWeekday(DateRule):
    """A day of a month named with its weekday, without a year: "Thursday, 29 October"
    (``mdw|10|29|3``).  When the two disagree, one of them is wrong and the text does not say which:
    the span from one to the other (not certain), so the date is reported as a doubt, not as a fact."""

    kind: ClassVar[str] = "mdw"
    month: int
    day: int
    weekday: int  # Monday 0

    def __str__(self) -> str:
        return f"mdw|{self.month}|{self.day}|{self.weekday}"

    def resolve(self, anchor: date | None, year_anchor: date | None) -> Span | None:
        stated = MonthDays(self.month, self.day, self.day).resolve(anchor, year_anchor)
        if stated is None:
            return None
        return weekday_checked(stated[0], self.weekday)


def weekday_checked(stated: date, weekday: int) -> Span:
    """The stated day when its weekday is the one named with it, else the span to the nearest day of
    that weekday (at most three days away)."""
    shift = (weekday - stated.weekday()) % 7
    other = stated + timedelta(days=shift if shift <= 3 else shift - 7)
    return min(stated, other), max(stated, other)


@dataclass(frozen=True)
class MonthPart(DateRule):
    """Part of a month without a year: "early December" (``part|12|1|10``)."""

    kind: ClassVar[str] = "part"
    month: int
    first: int  # first day of the part
    last: int  # its last day (31 for "late": cut to the month's length)

    def __str__(self) -> str:
        return f"part|{self.month}|{self.first}|{self.last}"

    def resolve(self, anchor: date | None, year_anchor: date | None) -> Span | None:
        if year_anchor is None:
            return None
        middle = nearest_year(self.month, 15, year_anchor)
        if middle is None:
            return None
        last_day = calendar.monthrange(middle.year, self.month)[1]
        return date(middle.year, self.month, self.first), date(middle.year, self.month, min(self.last, last_day))


@dataclass(frozen=True)
class Month(DateRule):
    """A month without a year: "in December" (``month|12``)."""

    kind: ClassVar[str] = "month"
    month: int

    def __str__(self) -> str:
        return f"month|{self.month}"

    def resolve(self, anchor: date | None, year_anchor: date | None) -> Span | None:
        if year_anchor is None:
            return None
        middle = nearest_year(self.month, 15, year_anchor)
        return month_span(middle.year, self.month) if middle else None


@dataclass(frozen=True)
class _DaysFromRule(DateRule):
    """A number of days counted from the single day another rule names (``kind|days|rule``)."""

    days: int
    rule: DateRule

    def __str__(self) -> str:
        return f"{self.kind}|{self.days}|{self.rule}"

    @property
    def base(self) -> DateRule:
        return self.rule.base


@dataclass(frozen=True)
class Shifted(_DaysFromRule):
    """Days after the single day of another rule: "the next day" after "on Tuesday" (``after|1|wd|1|-1``)."""

    kind: ClassVar[str] = "after"

    def resolve(self, anchor: date | None, year_anchor: date | None) -> Span | None:
        inner = self.rule.resolve(anchor, year_anchor)
        if inner is None or inner[0] != inner[1]:
            return None
        value = inner[0] + timedelta(days=self.days)
        return value, value


@dataclass(frozen=True)
class Lasting(_DaysFromRule):
    """Days from the single day of another rule: "arrived on Monday for a two-day visit" (``lasting|2|wd|0|-1``).
    A rule naming more than one day is left as it is."""

    kind: ClassVar[str] = "lasting"

    def resolve(self, anchor: date | None, year_anchor: date | None) -> Span | None:
        inner = self.rule.resolve(anchor, year_anchor)
        if inner is None or inner[0] != inner[1]:
            return inner
        return inner[0], inner[0] + timedelta(days=self.days - 1)


@dataclass(frozen=True)
class Anaphor(DateRule):
    """"The same day", "the next day" (``anaphor|0``, ``anaphor|1``): days after a day named earlier, a
    placeholder until that day is known (``timex`` then makes it a date or a ``Shifted`` rule)."""

    kind: ClassVar[str] = "anaphor"
    offset: int

    def __str__(self) -> str:
        return f"anaphor|{self.offset}"

    def resolve(self, anchor: date | None, year_anchor: date | None) -> Span | None:
        return None


# the rules whose text is their kind and so many whole numbers, in the order of their fields
_NUMBERED: dict[str, tuple[type[DateRule], int]] = {
    "wd": (Weekday, 2), "wdday": (WeekdayOnDay, 2), "day": (RelativeDay, 1), "md": (MonthDays, 3),
    "mdw": (MonthDayWeekday, 3), "part": (MonthPart, 3), "month": (Month, 1), "anaphor": (Anaphor, 1)}


def _numbers(args: list[str], count: int) -> list[int]:
    if len(args) < count:
        raise ValueError(f"a date rule needs {count} numbers: {'|'.join(args)!r}")
    return [int(a) for a in args[:count]]


def parse_rule(text: str) -> DateRule | None:
    """The record a rule's stored text stands for: 'wd|1|-1' -> Weekday(1, -1); None for no rule ('')
    or a kind no record has."""
    kind, *args = text.split("|")
    if kind in ("after", "lasting"):
        inner = parse_rule("|".join(args[1:]))
        if inner is None:
            return None
        return (Shifted if kind == "after" else Lasting)(_numbers(args, 1)[0], inner)
    if kind == "period":
        if len(args) < 3:
            raise ValueError(f"a period rule needs a unit, a count and a part: {text!r}")
        return RelativePeriod(args[0], int(args[1]), args[2])
    if kind not in _NUMBERED:
        return None
    record, count = _NUMBERED[kind]
    return record(*_numbers(args, count))


def as_rule(rule: DateRule | str | None) -> DateRule | None:
    """A rule record, from a record or its stored text (None or '' for no rule)."""
    if rule is None or isinstance(rule, DateRule):
        return rule
    return parse_rule(rule)


def apply_rule(rule: DateRule | str, anchor: date | None, year_anchor: date | None = None) -> Span | None:
    """Resolve a relative rule (a record, or its stored text) against a publication date (and a year
    anchor for year-less dates; the publication date by default)."""
    record = as_rule(rule)
    return record.resolve(anchor, year_anchor or anchor) if record is not None else None


def rule_kind(rule: DateRule | str | None) -> str:
    """The kind of a rule, looking through anaphoric shifts and durations: 'after|1|wd|1|-1' -> 'wd'
    ('' for no rule)."""
    record = as_rule(rule)
    return record.base.kind if record is not None else ""
