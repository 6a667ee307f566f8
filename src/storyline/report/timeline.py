"""The timeline as text for the terminal."""
from __future__ import annotations

from storyline.read.records import Event, Story


def format_timeline(story: Story, events: list[Event]) -> str:
    lines = [f"Story {story.id}: {story.title}",
             f"{story.size} articles, {story.first_seen or '?'} to {story.last_seen or '?'}", ""]
    if not events:
        lines.append("(no dated events)")
    for event in events:
        status = {"scheduled": " (scheduled)", "cancelled": " (cancelled)"}.get(event.status, "")
        people = ", ".join(event.participants[:6]) or "-"
        sources = event.independent_sources
        low = ", LOW" if event.low_confidence else ""
        lines.append(f"{event.date:<23} {event.type:<9} {(event.place or '-'):<18} "
                     f"{people}  [{sources} source{'s' if sources != 1 else ''}, confidence "
                     f"{event.confidence:.2f}{low}]{status}")
        lines.append(f"{'':<23} {event.summary}")
    return "\n".join(lines)
