"""Full-text search syntax (``storyline.read.search``): AND, OR, NOT, "phrases", prefix*, (groups) on a real store
(SQLite FTS5, or PostgreSQL when the suite runs there); a malformed query is one clear line (API, CLI), never a
traceback; what reaches MATCH / to_tsquery is built from the parsed query, every term quoted."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import article
from storyline.errors import E, StorylineError
from storyline.read import queries
from storyline.read.search import fts5_query, parse_query, tsquery
from storyline.store import Store

ARTICLES = {
    "saltmere": "Envoys met in Saltmere on Monday for peace talks about the ceasefire.",
    "norrholm": "The delegation flew to Norrholm, where negotiations on the plan continued.",
    "both": "After Saltmere the envoys went on to Norrholm for a second round of talks.",
    "ferry": "Ferry crews went on strike over pay. They want talks, peace and quiet.",
    "syntax": "A spokesman typed NEAR(x y) and title:secret into the box; neither is a command.",
}


@pytest.fixture(scope="module")
def store(new_db):
    location = new_db("search")
    opened = Store(location)
    opened.add_articles([(article(text, article_id=key, outlet="Harbour Wire"), None)
                         for key, text in ARTICLES.items()])
    yield opened
    opened.close()
    new_db.drop(location)


def found(store: Store, q: str) -> set[str]:
    hits = {h.id for h in queries.search(store, q, limit=50)}
    assert queries.count_search(store, q) == len(hits), q  # the count pages through the same results
    return hits


def test_or_finds_either_word_instead_of_matching_the_word_or(store):
    assert found(store, "Saltmere") == {"saltmere", "both"}
    assert found(store, "Saltmere OR Norrholm") == {"saltmere", "norrholm", "both"}
    assert found(store, "Saltmere or Norrholm") == set()  # lower case: "or" is a word to find, as in FTS5


def test_and_is_implied_and_explicit(store):
    assert found(store, "Saltmere Norrholm") == found(store, "Saltmere AND Norrholm") == {"both"}


def test_not_leaves_out(store):
    assert found(store, "talks NOT Norrholm") == {"saltmere", "ferry"}
    assert found(store, "talks NOT (Norrholm OR strike)") == {"saltmere"}


def test_phrases_keep_their_order(store):
    assert found(store, '"peace talks"') == {"saltmere"}
    assert found(store, '"talks peace"') == {"ferry"}  # across the comma: punctuation only separates words
    assert found(store, "peace talks") == {"saltmere", "ferry"}


def test_prefixes(store):
    assert found(store, "negotiat*") == {"norrholm"}
    assert found(store, "negotiat") == set()
    assert found(store, '"peace tal"*') == {"saltmere"}
    hit = queries.search(store, "negotiat*")[0]
    assert "\x02negotiations\x03" in hit.snippet


def test_and_binds_tighter_than_or_and_parentheses_group(store):
    assert found(store, "strike OR Saltmere AND Norrholm") == {"ferry", "both"}
    assert found(store, "(strike OR Saltmere) AND Norrholm") == {"both"}


def test_query_syntax_of_the_index_is_not_read_from_the_user(store):
    # "text:" would be an FTS5 column filter, ^ an initial-token query, NEAR(...) a proximity group; here
    # they are words (and punctuation) to find, and nothing the user types can make the query fail
    assert found(store, "text:Saltmere") == set()  # the phrase "text saltmere", not the column "text"
    assert found(store, "NEAR(x y)") == {"syntax"}
    assert found(store, "title:secret") == {"syntax"}
    for q in ["Saltmere^", "^Saltmere", "Saltmere + Norrholm", "'", "Saltmere;--", "a:b:c", "{title text}: Saltmere",
              "-Norrholm", "Saltmere*Norrholm", "***", "@@ !! &&"]:
        queries.search(store, q)
        queries.count_search(store, q)
    assert found(store, "  *,;- ") == set() and parse_query("  *,;- ") is None  # punctuation only: nothing to find


@pytest.mark.parametrize(("q", "reason"), [
    ("Saltmere OR", "OR needs a term after it"),
    ("OR Saltmere", "OR needs a term before it"),
    ("NOT Norrholm", "NOT needs a term before it"),
    ("Saltmere NOT", "NOT needs a term after it"),
    ("Saltmere AND", "AND needs a term after it"),
    ("Saltmere AND OR Norrholm", "AND needs a term after it"),
    ('"peace talks', 'a quote (") is not closed'),
    ('Saltmere "', 'a quote (") is not closed'),
    ("(Saltmere OR Norrholm", "a parenthesis is not closed"),
    ("Saltmere)", 'a ")" has no "(" before it'),
    ("()", "the parentheses () hold nothing"),
    ('""', "a phrase in quotes has no words"),
    ("(" * 40 + "Saltmere" + ")" * 40, "parentheses nest deeper than"),
])
def test_a_malformed_query_is_one_clear_line(store, q, reason):
    for call in (queries.search, queries.count_search):
        with pytest.raises(StorylineError) as raised:
            call(store, q)
        assert raised.value.kind is E.BAD_QUERY
        line = str(raised.value)
        assert reason in line and "\n" not in line and line.endswith(f"[{E.BAD_QUERY.code}]")
        assert '"a phrase" in quotes' in line  # and how to write it


def test_the_compiled_query_quotes_every_term():
    node = parse_query('Saltmere OR "peace talks" NOT negotiat* text:x NEAR(a) O\'Brien')
    fts = fts5_query(node)
    assert re.findall(r'"[^"]*"', fts) == ['"Saltmere"', '"peace talks"', '"negotiat"', '"text x"', '"NEAR"', '"a"',
                                           '"O Brien"']
    # outside the quoted terms: only parentheses, spaces, the operators and prefix stars
    assert set(re.sub(r'"[^"]*"\*?|[()]', " ", fts).split()) == {"AND", "OR", "NOT"}
    ts = tsquery(node)
    assert re.findall(r"'[^']*'", ts) == ["'Saltmere'", "'peace'", "'talks'", "'negotiat'", "'text'", "'x'", "'NEAR'",
                                          "'a'", "'O'", "'Brien'"]
    assert set(re.sub(r"'[^']*'(:\*)?", "", ts)) <= set("()&|!<-> ")
    assert "'negotiat':*" in ts and "('peace' <-> 'talks')" in ts and "& !(" in ts


def test_the_compiled_query_for_simple_cases():
    assert fts5_query(parse_query("Saltmere OR Norrholm")) == '("Saltmere") OR ("Norrholm")'
    assert tsquery(parse_query("Saltmere OR Norrholm")) == "('Saltmere') | ('Norrholm')"
    assert fts5_query(parse_query("a NOT b c")) == '(("a") NOT ("b")) AND ("c")'  # NOT binds tightest, as in FTS5
    assert tsquery(parse_query('"peace tal"*')) == "('peace' <-> 'tal':*)"
    assert queries.search_terms('Saltmere "peace talks" negotiat* NOT Norrholm') == ["saltmere", "peace", "talks",
                                                                                  "negotiat*"]


def _storyline() -> list[str]:
    script = Path(sys.executable).with_name("storyline")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from storyline.cli import main; main()"]


@pytest.mark.sqlite_only("the command is given the store's file")
def test_the_cli_answers_a_malformed_query_with_one_line(store):
    location = str(store.engine.url.database)
    bad = subprocess.run([*_storyline(), "search", "Saltmere OR", "--db", location], capture_output=True, text=True,
                         timeout=120)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.strip().splitlines() == [bad.stderr.strip()]  # one line
    assert "Traceback" not in bad.stderr and "OR needs a term after it" in bad.stderr and "[S026]" in bad.stderr
    good = subprocess.run([*_storyline(), "search", "Saltmere OR Norrholm", "--db", location, "--json"],
                          capture_output=True, text=True, timeout=120)
    assert good.returncode == 0 and {'"saltmere"', '"norrholm"', '"both"'} <= set(re.findall(r'"[a-z]+"', good.stdout))
