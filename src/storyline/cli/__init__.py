"""The command line: thin commands over the library (see ``storyline --help``)."""
from __future__ import annotations

import sys

from storyline.cli import briefing as _briefing  # noqa: F401
from storyline.cli import commands as _commands  # noqa: F401  (registers the commands)
from storyline.cli import distributed as _distributed  # noqa: F401
from storyline.cli import rebuild as _rebuild  # noqa: F401
from storyline.cli import serve as _serve  # noqa: F401
from storyline.cli import watch as _watch  # noqa: F401
from storyline.cli._app import app
from storyline.errors import StorylineError

__all__ = ["app", "main"]


def main() -> None:
    try:
        app(standalone_mode=True)
    except StorylineError as error:
        print(f"storyline: {error}", file=sys.stderr)
        sys.exit(2)
