"""Settings are data: each has a name, a default and a help line.

Layering, lowest first: defaults < config file (``storyline.toml`` in the
working folder, or ``--config``) < environment (``STORYLINE_<NAME>``) <
explicit keyword arguments (the CLI's flags).
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.errors import E, StorylineError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "storyline.db", "Store: a SQLite file path, or a SQLAlchemy URL (postgresql://...)."),
    Setting("aliases", "", "Optional YAML alias file forcing or forbidding entity merges."),
    Setting("outlets", "", "Optional YAML file of outlets (country, ownership, group) extending the outlet directory."),
    Setting("lexicon", "", "Optional YAML file of loaded terms extending the bundled lexicon."),
    Setting("max_file_bytes", 20_000_000, "Largest input file accepted, in bytes."),
    Setting("max_article_chars", 200_000, "Article text beyond this many characters is cut."),
    Setting("fetch_timeout", 20.0, "Seconds before a URL fetch gives up."),
    Setting("fetch_max_bytes", 10_000_000, "Largest HTTP response accepted, in bytes."),
    Setting("fetch_max_redirects", 5, "Redirects followed when fetching a URL."),
    Setting("allow_private", False, "Allow fetching loopback and private-network addresses."),
    Setting("batch_size", 64, "Articles analysed and written per batch."),
    Setting("workers", 0, "Processes for the per-article NLP stage (0: one per core, at most two)."),
    Setting("article_budget", 5.0, "CPU seconds one article may take in a stage (not wall-clock: a busy machine "
            "never leaves an article out); an article over it is recorded as a problem and left out (0: no budget)."),
    Setting("story_threshold", 0.27, "Similarity above which an article joins a story."),
    Setting("progress", True, "Show progress bars on long runs."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(name: str, value: Any) -> Any:
    default = _BY_NAME[name].default
    if value is None or isinstance(value, type(default)):
        return value
    try:
        if isinstance(default, bool):
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off", ""):
                return False
            raise ValueError(value)
        return type(default)(value)
    except (TypeError, ValueError):
        raise StorylineError(E.BAD_SETTING, detail=f"{name}={value!r}") from None


class Settings:
    """Resolved settings; attribute access by name."""

    def __init__(self, config: str | Path | None = None, **overrides: Any):
        values = {s.name: s.default for s in SETTINGS}
        path = Path(config) if config else Path("storyline.toml")
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise StorylineError(E.BAD_SETTING, str(path), str(exc)) from None
            for key, value in data.get("storyline", data).items():
                if key in values:
                    values[key] = _coerce(key, value)
        for name in values:
            env = os.environ.get(f"STORYLINE_{name.upper()}")
            if env is not None:
                values[name] = _coerce(name, env)
        for name, value in overrides.items():
            if name not in values:
                raise StorylineError(E.BAD_SETTING, detail=f"unknown setting {name!r}")
            if value is not None:
                values[name] = _coerce(name, value)
        self._values = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)
