"""Full-text search: the query syntax, parsed once, compiled safely for SQLite FTS5 and PostgreSQL.

The syntax is FTS5's, as analysts know it from search boxes::

    Saltmere Norrholm        both words (AND is implied between terms)
    Saltmere AND Norrholm    the same
    Saltmere OR Norrholm     either
    Saltmere NOT Norrholm    Saltmere without Norrholm (NOT needs a term before it)
    "peace talks"            a phrase: these words, in this order
    negotiat*                a prefix: negotiate, negotiations...
    (Saltmere OR Norrholm) AND talks

Operators are upper case (``or`` is a word to find); punctuation inside a term only separates its
words (``U.S.`` is the phrase "u s", as the index reads it).  A query that cannot be read (a quote
or parenthesis left open, an operator with nothing on one side) raises one ``StorylineError``
(``E.BAD_QUERY``) saying what is wrong; it never reaches the database.

The text handed to ``MATCH`` (FTS5) or ``to_tsquery`` (PostgreSQL) is built from the parsed query
only: every term is reduced to its letters and digits and quoted, so nothing the user typed can
be read there as syntax, and it is always passed as a bound parameter.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from storyline.errors import E, StorylineError
from storyline.read.records import SearchHit
from storyline.store import Store

OPERATORS = ("AND", "OR", "NOT")
MAX_DEPTH = 16  # nested parentheses: deeper is a mistake (and FTS5 has its own limit)
HINT = 'write terms with AND, OR, NOT between them, "a phrase" in quotes, word* for a prefix'

_TOKEN = re.compile(r'\s+|"|\(|\)|[^\s"()]+')


@dataclass(frozen=True, slots=True)
class Term:
    """Words to find next to each other (one word, or a phrase); ``prefix``: the last one may go on."""
    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Op:
    """``left`` AND / OR / NOT ``right`` (NOT: left without right)."""
    op: str
    left: Node
    right: Node


Node = Term | Op


class _Tokens:
    """The query cut into terms (``Term``), operators and parentheses (``str``)."""

    def __init__(self, q: str):
        self.items: list[Term | str] = []
        position, q = 0, q.strip()
        while position < len(q):
            piece = _TOKEN.match(q, position)
            assert piece is not None  # the pattern matches any character
            position = piece.end()
            token = piece.group()
            if token.isspace():
                continue
            if token == '"':
                position = self._phrase(q, position)
            elif token in ("(", ")") or token in OPERATORS:
                self.items.append(token)
            else:
                self._bare(token)
        self.at = 0

    def _phrase(self, q: str, position: int) -> int:
        end = q.find('"', position)
        if end < 0:
            raise _bad('a quote (") is not closed')
        words = tuple(_words(q[position:end]))
        if not words:
            raise _bad('a phrase in quotes has no words ("")')
        prefix = q.startswith("*", end + 1)
        self.items.append(Term(words, prefix))
        return end + 1 + prefix

    def _bare(self, token: str) -> None:
        words = tuple(_words(token))
        if words:  # punctuation alone ("-", "&") is no term, as the index sees it
            self.items.append(Term(words, token.endswith("*")))

    def peek(self) -> Term | str | None:
        return self.items[self.at] if self.at < len(self.items) else None

    def take(self) -> Term | str | None:
        item = self.peek()
        self.at += 1
        return item


def _words(text: str) -> tuple[str, ...]:
    """What the indexes keep of a term: runs of letters, digits and combining marks (the vowel signs of
    Devanagari belong to their word); everything else separates words."""
    return tuple("".join(c if c.isalnum() or unicodedata.category(c)[0] == "M" else " " for c in text).split())


def _bad(problem: str) -> StorylineError:
    return StorylineError(E.BAD_QUERY, detail=f"{problem}; {HINT}")


def _starts_term(item: Term | str | None) -> bool:
    return isinstance(item, Term) or item == "("


class _Parser:
    """Recursive descent with FTS5's precedence: NOT binds tighter than AND, AND tighter than OR."""

    def __init__(self, tokens: _Tokens):
        self.tokens = tokens
        self.depth = 0

    def operand(self, op: str) -> None:
        if not _starts_term(self.tokens.peek()):
            raise _bad(f"{op} needs a term after it")

    def any(self) -> Node:
        node = self.all()
        while self.tokens.peek() == "OR":
            self.tokens.take()
            self.operand("OR")
            node = Op("OR", node, self.all())
        return node

    def all(self) -> Node:
        node = self.without()
        while True:
            item = self.tokens.peek()
            if item == "AND":
                self.tokens.take()
                self.operand("AND")
            elif not _starts_term(item):  # a term right after a term: AND is implied
                break
            node = Op("AND", node, self.without())
        return node

    def without(self) -> Node:
        node = self.primary()
        while self.tokens.peek() == "NOT":
            self.tokens.take()
            self.operand("NOT")
            node = Op("NOT", node, self.primary())
        return node

    def primary(self) -> Node:
        item = self.tokens.take()
        if isinstance(item, Term):
            return item
        if item == "(":
            if self.tokens.peek() == ")":
                raise _bad("the parentheses () hold nothing")
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _bad(f"parentheses nest deeper than {MAX_DEPTH}")
            node = self.any()
            if self.tokens.take() != ")":
                raise _bad("a parenthesis is not closed")
            self.depth -= 1
            return node
        if item == ")":
            raise _bad('a ")" has no "(" before it')
        if item in OPERATORS:
            example = ' ("Saltmere NOT Norrholm": Saltmere without Norrholm)' if item == "NOT" else ""
            raise _bad(f"{item} needs a term before it{example}")
        raise _bad("the query ends where a term is expected")


def parse_query(q: str) -> Node | None:
    """The query as a tree of terms and operators; None when it holds no words (nothing to find).

    Raises ``StorylineError(E.BAD_QUERY)`` with a one-line reason when the query cannot be read.
    """
    tokens = _Tokens(q)
    if not tokens.items:
        return None
    parser = _Parser(tokens)
    node = parser.any()
    leftover = tokens.peek()
    if leftover is not None:
        raise _bad('a ")" has no "(" before it' if leftover == ")" else f"cannot read the query at {leftover}")
    return node


def search_terms(q: str) -> list[str]:
    """The words a match of ``q`` may show (not those after NOT), a prefix ending in ``*``: for highlighting."""
    node = parse_query(q)
    out: list[str] = []

    def visit(n: Node | None, wanted: bool) -> None:
        if isinstance(n, Term):
            if wanted:
                out.extend(n.words[:-1])
                out.append(n.words[-1] + ("*" if n.prefix else ""))
        elif isinstance(n, Op):
            visit(n.left, wanted)
            visit(n.right, wanted and n.op != "NOT")

    visit(node, True)
    return list(dict.fromkeys(w.casefold() for w in out))


# ------------------------------------------------------------------ compiling
def fts5_query(node: Node) -> str:
    """The FTS5 MATCH text: every term a quoted string of letters and digits, every operation in parentheses."""
    if isinstance(node, Term):
        quoted = '"' + " ".join(node.words).replace('"', '""') + '"'
        return quoted + ("*" if node.prefix else "")
    return f"({fts5_query(node.left)}) {node.op} ({fts5_query(node.right)})"


_TS_JOIN = {"AND": " & ", "OR": " | ", "NOT": " & !"}  # NOT: the left, and not the right


def tsquery(node: Node) -> str:
    """The PostgreSQL ``to_tsquery`` text: quoted lexemes joined by <-> in a phrase, :* for a prefix."""
    if isinstance(node, Term):
        lexemes = [f"'{w}'" for w in node.words]  # letters and digits only: nothing to escape
        if node.prefix:
            lexemes[-1] += ":*"
        return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"
    return f"({tsquery(node.left)}){_TS_JOIN[node.op]}({tsquery(node.right)})"


def _compiled(store: Store, q: str) -> str | None:
    node = parse_query(q)
    if node is None:
        return None
    return fts5_query(node) if store.dialect == "sqlite" else tsquery(node)


def search(store: Store, q: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
    """Articles matching ``q`` (the syntax above), best first: FTS5 on SQLite, tsvector on PostgreSQL."""
    match = _compiled(store, q)
    if match is None:
        return []
    params: dict[str, Any] = {"q": match, "limit": limit, "offset": offset}
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            rows = conn.execute(text(
                "SELECT a.id, a.title, a.outlet, a.published, a.story, "
                "snippet(articles_fts, 1, '\x02', '\x03', '…', 16) AS snippet "
                "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                "WHERE articles_fts MATCH :q ORDER BY rank LIMIT :limit OFFSET :offset"), params)
        else:
            rows = conn.execute(text(
                "SELECT a.id, a.title, a.outlet, a.published, a.story, "
                "ts_headline('simple', a.text, to_tsquery('simple', :q), "
                "'StartSel=\x02,StopSel=\x03,MaxWords=30,MinWords=10') AS snippet "
                "FROM articles a WHERE a.search @@ to_tsquery('simple', :q) "
                "ORDER BY ts_rank(a.search, to_tsquery('simple', :q)) DESC, a.id LIMIT :limit OFFSET :offset"), params)
        return [SearchHit(**r._mapping) for r in rows]


def count_search(store: Store, q: str) -> int:
    """How many articles ``search`` can page through for ``q``."""
    match = _compiled(store, q)
    if match is None:
        return 0
    sql = ("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH :q" if store.dialect == "sqlite" else
           "SELECT count(*) FROM articles a WHERE a.search @@ to_tsquery('simple', :q)")
    with store.engine.connect() as conn:
        return conn.execute(text(sql), {"q": match}).scalar_one()
