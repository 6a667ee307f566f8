"""Charts as standalone SVG, with no dependencies: a tiny element builder and the coverage chart.

Every string that reaches the SVG is escaped (and stripped of characters XML forbids), so article
text (outlet names, titles in tooltips) cannot open an element or attribute.
"""
from __future__ import annotations

import html
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from storyline.report.text import shorten

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK, MUTED, GRID, BAND = "#1f2933", "#616e7c", "#d9e2ec", "#f5f7fa"
ORIGINAL, COPY = "#1d5fa8", "#7b8794"
LABEL_CHARS = 26  # longer outlet names are cut (the full name is the tooltip)
ROW, TOP, BOTTOM = 34.0, 14.0, 78.0  # the height of an outlet's row, the margins above and below the rows


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _esc(text: str) -> str:
    """Escaped for XML text and attributes; characters XML forbids (a stray control code) are dropped."""
    return html.escape(_NOT_XML.sub("", text))


def _attr(name: str) -> str:
    return name.rstrip("_").replace("_", "-")  # class_ -> class, font_size -> font-size


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class Svg:
    """Collects elements and renders them as one <svg> document (no XML declaration, so it also inlines)."""

    def __init__(self, width: float, height: float, title: str, desc: str = ""):
        self.width, self.height = width, height
        self.parts = [f"<title>{_esc(title)}</title>"]
        if desc:
            self.parts.append(f"<desc>{_esc(desc)}</desc>")

    def add(self, tag: str, text: str | None = None, tooltip: str | None = None, **attrs: object) -> None:
        rendered = "".join(f' {_attr(k)}="{_esc(_num(v) if isinstance(v, float) else str(v))}"'
                           for k, v in attrs.items() if v is not None)
        inner = _esc(text) if text is not None else ""
        if tooltip:
            inner = f"<title>{_esc(tooltip)}</title>" + inner
        self.parts.append(f"<{tag}{rendered}>{inner}</{tag}>" if inner else f"<{tag}{rendered}/>")

    def render(self, css_class: str = "chart") -> str:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
                f'width="{_num(self.width)}" height="{_num(self.height)}" '
                f'viewBox="0 0 {_num(self.width)} {_num(self.height)}" font-family="{_esc(FONT)}">'
                + "".join(self.parts) + "</svg>")


def _short(text: str, limit: int) -> str:
    return shorten(text, limit)


@dataclass(frozen=True)
class _Grid:
    """Where the coverage chart puts things: one row per outlet, one column per day (or week) from ``first``."""
    outlets: list[str]
    first: date
    step: int  # days per column: 1 or 7
    columns: int
    label_width: float
    cell: float  # the width of a column

    @property
    def plot_bottom(self) -> float:
        return TOP + ROW * len(self.outlets)

    def x(self, column: int) -> float:
        return self.label_width + self.cell * (column + 0.5)

    def day(self, column: int) -> date:
        return self.first + timedelta(days=column * self.step)


def _outlets_by_coverage(articles: list[dict]) -> list[str]:
    """The outlets, most articles first."""
    return sorted({a["outlet"] or "?" for a in articles},
                  key=lambda o: (-sum(1 for a in articles if (a["outlet"] or "?") == o), o.casefold()))


def _grid(outlets: list[str], days: list[date]) -> _Grid:
    first, last = min(days), max(days)
    step = 1 if (last - first).days <= 120 else 7
    if step == 7:
        first = first - timedelta(days=first.weekday())
    columns = (last - first).days // step + 1
    label_width = 18 + 7.8 * max(len(_short(o, LABEL_CHARS)) for o in outlets)
    return _Grid(outlets, first, step, columns, label_width, max(10.0, min(44.0, 760.0 / columns)))


def _draw_rows(svg: Svg, grid: _Grid) -> None:
    """Banded rows with the outlets' names."""
    for i, outlet in enumerate(grid.outlets):
        y = TOP + ROW * i
        if i % 2 == 0:
            svg.add("rect", x=grid.label_width, y=y, width=grid.cell * grid.columns, height=ROW, fill=BAND)
        svg.add("text", _short(outlet, LABEL_CHARS), tooltip=outlet, x=grid.label_width - 8, y=y + ROW / 2 + 4,
                text_anchor="end", font_size=13, fill=INK)


def _draw_axis(svg: Svg, grid: _Grid) -> None:
    """A grid line per column, a date label every ~34 pixels, the axis line."""
    tick_every = max(1, math.ceil(34.0 / grid.cell))
    for c in range(grid.columns):
        x = grid.x(c)
        svg.add("line", x1=x, x2=x, y1=TOP, y2=grid.plot_bottom, stroke=GRID, stroke_width=1)
        if c % tick_every == 0:
            ty = grid.plot_bottom + 10
            svg.add("text", grid.day(c).strftime("%Y-%m-%d" if c == 0 else "%m-%d"), x=x, y=ty,
                    transform=f"rotate(-45 {_num(x)} {_num(ty)})", text_anchor="end", font_size=10, fill=MUTED)
    svg.add("line", x1=grid.label_width, x2=grid.label_width + grid.cell * grid.columns, y1=grid.plot_bottom,
            y2=grid.plot_bottom, stroke=MUTED, stroke_width=1)


def _draw_dots(svg: Svg, grid: _Grid, cells: dict[tuple[str, int], list[dict]]) -> None:
    """A dot per outlet and column with articles: area by their number, hollow when all are copies."""
    most = max(len(v) for v in cells.values())
    radius_max = min(grid.cell, ROW) / 2 - 1.5
    for (outlet, column), items in sorted(cells.items()):
        x = grid.x(column)
        y = TOP + ROW * grid.outlets.index(outlet) + ROW / 2
        r = max(3.0, radius_max * math.sqrt(len(items) / most))
        copies_only = all(a.get("duplicate_of") for a in items)
        day = grid.day(column)
        when = day.isoformat() if grid.step == 1 else f"week of {day.isoformat()}"
        tip = f"{outlet}, {when}: {len(items)} article{'s' if len(items) != 1 else ''}\n" + "\n".join(
            f"{a['id']}: {_short(a.get('title') or '', 80)}"
            + (f" (copy of {a['duplicate_of']})" if a.get("duplicate_of") else "")
            for a in items)
        if copies_only:
            svg.add("circle", tooltip=tip, cx=x, cy=y, r=r, fill="#ffffff", stroke=COPY, stroke_width=2,
                    class_="dot copy")
        else:
            opacity = 0.45 + 0.55 * len(items) / most
            svg.add("circle", tooltip=tip, cx=x, cy=y, r=r, fill=ORIGINAL, fill_opacity=opacity, class_="dot")
        if len(items) > 1 and r >= 7:
            svg.add("text", str(len(items)), x=x, y=y + 3.5, text_anchor="middle", font_size=10,
                    fill="#ffffff" if not copies_only else COPY, font_weight="bold")


def _draw_legend(svg: Svg, grid: _Grid, unit: str, undated: int, height: float) -> None:
    ly = height - 14
    left = grid.label_width
    svg.add("circle", cx=left + 6, cy=ly - 4, r=5, fill=ORIGINAL)
    svg.add("text", "article(s) that " + unit, x=left + 16, y=ly, font_size=11, fill=MUTED)
    svg.add("circle", cx=left + 136, cy=ly - 4, r=5, fill="#ffffff", stroke=COPY, stroke_width=2)
    svg.add("text", "syndicated copies only", x=left + 146, y=ly, font_size=11, fill=MUTED)
    if undated:
        svg.add("text", f"{undated} undated not shown", x=left + 290, y=ly, font_size=11, fill=MUTED)


def coverage_svg(articles: list[dict], title: str = "Coverage per outlet over time") -> str:
    """Articles per outlet per day as dots (area = number of articles; hollow = syndicated copies only).

    ``articles``: dicts with ``id``, ``outlet``, ``published`` (ISO date or None), ``title`` and
    ``duplicate_of``.  Spans longer than 120 days are drawn per week.
    """
    dated = [a for a in articles if a.get("published")]
    undated = len(articles) - len(dated)
    outlets = _outlets_by_coverage(articles)
    if not dated:
        svg = Svg(480, 60, title, "No dated articles.")
        svg.add("text", "No dated articles to chart.", x=10, y=35, fill=MUTED, font_size=14)
        return svg.render()
    days = [date.fromisoformat(a["published"][:10]) for a in dated]
    grid = _grid(outlets, days)
    cells: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for article, day in zip(dated, days, strict=True):
        cells[(article["outlet"] or "?", (day - grid.first).days // grid.step)].append(article)
    width = max(grid.label_width + grid.cell * grid.columns + 24, grid.label_width + 440)
    height = TOP + ROW * len(outlets) + BOTTOM
    unit = "week" if grid.step == 7 else "day"
    desc = (f"{len(dated)} dated articles from {len(outlets)} outlets, {grid.first.isoformat()} to "
            f"{max(days).isoformat()}, one column per {unit}."
            + (f" {undated} undated articles are not shown." if undated else ""))
    svg = Svg(width, height, title, desc)
    _draw_rows(svg, grid)
    _draw_axis(svg, grid)
    _draw_dots(svg, grid, cells)
    _draw_legend(svg, grid, unit, undated, height)
    return svg.render()
