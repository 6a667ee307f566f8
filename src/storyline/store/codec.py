"""Records to JSON and back."""
from __future__ import annotations

import json
from dataclasses import asdict, fields, is_dataclass
from datetime import date
from typing import Any

from storyline.models import Analysis, EventMention, Fact, Mention, Quote, Sentence, TimeExpr


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value):
        return asdict(value)
    raise TypeError(type(value).__name__)


def dumps(value: Any) -> str:
    return json.dumps(value, default=_default, ensure_ascii=False, separators=(",", ":"))


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _build(cls, data: dict):
    names = {f.name for f in fields(cls)}
    kwargs = {k: v for k, v in data.items() if k in names}
    for key in ("first", "last"):
        if key in kwargs and isinstance(kwargs[key], str):
            kwargs[key] = date.fromisoformat(kwargs[key])
    for key in ("participants", "parties"):
        if key in kwargs and isinstance(kwargs[key], list):
            kwargs[key] = tuple(kwargs[key])
    return cls(**kwargs)


def analysis_to_json(analysis: Analysis) -> str:
    return dumps(asdict(analysis))


def analysis_from_json(text: str) -> Analysis:
    data = json.loads(text)
    return Analysis(
        article_id=data["article_id"],
        sentences=tuple(_build(Sentence, s) for s in data.get("sentences", [])),
        mentions=tuple(_build(Mention, m) for m in data.get("mentions", [])),
        times=tuple(_build(TimeExpr, t) for t in data.get("times", [])),
        events=tuple(_build(EventMention, e) for e in data.get("events", [])),
        quotes=tuple(_build(Quote, q) for q in data.get("quotes", [])),
        facts=tuple(_build(Fact, f) for f in data.get("facts", [])),
        version=data.get("version", ""),
        skipped=data.get("skipped", ""),
        limited=data.get("limited", ""),
    )


def parse_date(value: str | None) -> date | None:
    return _date(value)
