"""Text cut to fit: at a word boundary, with "…" saying something was cut (never mid-word)."""
from __future__ import annotations

_TRAILING = " ,;:-–—/(["


def shorten(text: str | None, width: int) -> str:
    """``text`` on one line, at most ``width`` characters: cut after the last whole word that fits, and
    ending "…" when cut.  A single word longer than ``width`` is the only thing cut inside a word."""
    text = " ".join(str(text or "").split())
    if width <= 0:
        return ""
    if len(text) <= width:
        return text
    room = max(width - 1, 0)  # one character for the ellipsis
    cut = text[:room]
    if text[room] != " " and " " in cut:
        words = cut.rsplit(" ", 1)[0]
        if len(words) >= room // 2:  # a long last word: cut inside it rather than lose half the line
            cut = words
    return cut.rstrip(_TRAILING) + "…"


def listed(items: list[str], shown: int, noun: str = "more") -> str:
    """The first ``shown`` items joined by commas, then "+K more" for the rest: a list never cut silently."""
    items = [i for i in items if i]
    if len(items) <= shown:
        return ", ".join(items)
    return f"{', '.join(items[:shown])} +{len(items) - shown} {noun}"
