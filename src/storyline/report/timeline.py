"""The timeline as text for the terminal."""
from __future__ import annotations

from storyline.read.records import Event, EventWithMentions, SourceOutlet, Story
from storyline.report.text import listed

PARTICIPANTS = 6  # named on the event's line; the rest are counted ("+3 more"), all of them in --json
OUTLETS = 10  # outlets named on its sources line, likewise


def outlet_names(outlets: list[SourceOutlet]) -> list[str]:
    """Each outlet once, a syndicated copy under its original: "AP (copies: Tycoon Herald, News929)"."""
    names = []
    for o in outlets:
        copies = f" (cop{'ies' if len(o.copies) > 1 else 'y'}: {', '.join(o.copies)})" if o.copies else ""
        names.append(o.outlet + copies)
    return names


def format_timeline(story: Story, events: list[Event]) -> str:
    lines = [f"Story {story.id}: {story.title}",
             f"{story.size} articles, {story.first_seen or '?'} to {story.last_seen or '?'}", ""]
    if not events:
        lines.append("(no dated events)")
    for event in events:
        status = {"scheduled": " (scheduled)", "cancelled": " (cancelled)"}.get(event.status, "")
        people = listed(event.participants, PARTICIPANTS) or "-"
        sources = event.independent_sources
        low = ", LOW" if event.low_confidence else ""
        lines.append(f"{event.date:<23} {event.type:<9} {(event.place or '-'):<18} "
                     f"{people}  [{sources} source{'s' if sources != 1 else ''}, confidence "
                     f"{event.confidence:.2f}{low}]{status}")
        lines.append(f"{'':<23} {event.summary}")
        if isinstance(event, EventWithMentions) and event.mentions:
            lines.append(f"{'':<23} sources: {listed(outlet_names(event.outlets), OUTLETS, 'more outlets')}")
    return "\n".join(lines)
