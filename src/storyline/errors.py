"""The error catalogue: every message a user can see, with a stable code.

Raise ``StorylineError(E.xxx, path=..., detail=...)``; the CLI prints
``str(error)`` as one line and never a traceback.
"""
from __future__ import annotations

import hashlib
import re
from enum import Enum


class E(Enum):
    NOT_FOUND = ("S001", "no such file or folder")
    NOT_TEXT = ("S002", "not a text file (binary content)")
    EMPTY = ("S003", "empty file: no article text")
    TOO_LARGE = ("S004", "file is larger than the size limit")
    BAD_ENCODING = ("S005", "cannot decode the text")
    BAD_HTML = ("S006", "HTML page has no extractable article text")
    BAD_JSON = ("S007", "line is not valid JSON")
    BAD_RECORD = ("S008", "JSON record has no article text")
    BAD_FEED = ("S009", "feed cannot be parsed")
    UNSUPPORTED = ("S010", "unsupported file type")
    FETCH_FAILED = ("S011", "could not fetch the URL")
    FETCH_BLOCKED = ("S012", "refused to fetch a loopback or private address (allow it with --allow-private)")
    FETCH_TOO_LARGE = ("S013", "response is larger than the size limit")
    NO_SENTENCES = ("S014", "article has no sentences after cleaning")
    BAD_DATE = ("S015", "date out of range")
    BAD_ALIAS_FILE = ("S016", "alias file is not valid")
    BAD_SOURCES_FILE = ("S017", "sources file is not valid")
    BAD_STORE_URL = ("S018", "cannot open the store")
    NO_SUCH_ITEM = ("S019", "no such item in the store")
    MODEL_MISSING = ("S020", "an optional model is not installed")
    BAD_SETTING = ("S021", "setting has an invalid value")
    BAD_PROFILE_FILE = ("S022", "outlet profile or lexicon file is not valid")
    OVER_BUDGET = ("S023", "article exceeded its time budget")
    PARTLY_ANALYSED = ("S024", "article was only partly analysed")
    BAD_RULE_FILE = ("S025", "rule file is not valid")
    BAD_QUERY = ("S026", "cannot read the search query")

    @property
    def code(self) -> str:
        return self.value[0]

    @property
    def message(self) -> str:
        return self.value[1]


# Control characters and line separators (a newline in a file name) would split the one-line message.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def _one_line(text: str) -> str:
    """``text`` with its control characters escaped as Python writes them (``\\n``)."""
    return _UNPRINTABLE.sub(lambda match: repr(match.group())[1:-1], text)


MAX_NAME_CHARS = 200  # a file, URL or item named in an error line
MAX_DETAIL_CHARS = 300


def elide(text: str, limit: int = MAX_NAME_CHARS) -> str:
    """``text`` cut to ``limit`` characters in the middle, where a long URL or path varies least.

    The cut is marked with a short hash of what was cut out, so two long names that differ only
    there still read differently: ``https://feeds.example.org/item?id=…#3fa9c1…&tail``.
    """
    if len(text) <= limit:
        return text
    marker_chars = 9  # "…" + "#" + six hex digits + "…"
    head = (limit - marker_chars) * 2 // 3
    tail = limit - marker_chars - head
    cut = text[head:len(text) - tail]
    digest = hashlib.sha1(cut.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    return f"{text[:head]}…#{digest}…{text[len(text) - tail:]}"


class StorylineError(Exception):
    """A user-facing failure: one line naming the file and the problem."""

    def __init__(self, kind: E, path: str | None = None, detail: str | None = None):
        self.kind = kind
        self.path = path
        self.detail = detail
        super().__init__(str(self))

    def __reduce__(self):
        # raised in a worker process, it crosses back to the parent as itself, still one line
        return type(self), (self.kind, self.path, self.detail)

    def __str__(self) -> str:
        where = f"{elide(_one_line(self.path))}: " if self.path else ""
        extra = f" ({elide(_one_line(self.detail), MAX_DETAIL_CHARS)})" if self.detail else ""
        return f"{where}{self.kind.message}{extra} [{self.kind.code}]"
