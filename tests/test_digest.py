"""What's new since T: grouping, folding, story filter, Markdown, the whatsnew command and the webhook.

The store is built by hand (articles cleaned from short texts, corpus rows and
``changes`` rows written directly), so every timestamp is known and no model
is loaded.
"""
from __future__ import annotations

import io
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert
from typer.testing import CliRunner

from helpers import article
from http_helpers import LocalServer, QuietHandler
from storyline.cli import app, main
from storyline.errors import StorylineError
from storyline.report.digest import digest_markdown, last_change_id, parse_since, post_webhook, whats_new
from storyline.store import Store
from storyline.store import schema as t
from storyline.watch import json_logging

runner = CliRunner()
DAY1, DAY2, DAY3 = "2025-01-01T10:00:00+00:00", "2025-01-02T10:00:00+00:00", "2025-01-03T10:00:00+00:00"


def _event(event_id: str, story: str, status: str, summary: str, first: str = "2014-03-07", type_: str = "meeting",
           place: str | None = "Saltmere") -> dict:
    return {"id": event_id, "type": type_, "plover": "MEET", "first": first, "last": first, "status": status,
            "place": place, "participants": json.dumps(["Mirela Dunca"]), "participant_ids": "[]", "parties": "[]",
            "summary": summary, "independent_sources": 2, "story": story}


def _entity(entity_id: str, name: str, type_: str) -> dict:
    return {"id": entity_id, "name": name, "type": type_, "affiliation": None, "affiliation_inferred": True,
            "external_id": None, "aliases": json.dumps([name]), "roles": "[]", "mention_count": 1, "article_count": 1}


def _claim(claim_id: str, subject: str, attribute: str, value: str, status: str, story: str) -> dict:
    return {"id": claim_id, "subject": subject, "attribute": attribute, "value": value, "status": status,
            "articles": json.dumps(["a1"]), "sentences": "[]", "story": story}


def _change(at: str, kind: str, item: str, story: str | None, **detail) -> dict:
    return {"at": at, "kind": kind, "item": item, "story": story, "detail": json.dumps(detail)}


@pytest.fixture
def store(db) -> Store:
    store = Store(db)
    store.add_articles([
        (article("Mirela Dunca met Pavel Vrastek in Saltmere on Friday.", "2014-03-08", "a1", "Saltmere Courier"),
         None),
        (article("Tomas Ebbing will visit Corvel on Monday.", "2014-03-09", "a2", "Corvel Post"), None)])
    store.set_story_assignments({"a1": "s1", "a2": "s2"})
    store.replace_results(
        stories=[{"id": "s1", "title": "Saltmere talks", "first_seen": None, "last_seen": None, "size": 1,
                  "updated_at": DAY1},
                 {"id": "s2", "title": "Corvel visit", "first_seen": None, "last_seen": None, "size": 1,
                  "updated_at": DAY1}],
        entities=[_entity("e1", "Mirela Dunca", "PERSON"), _entity("e3", "Tomas Ebbing", "PERSON")],
        entity_mentions=[{"entity_id": "e1", "article_id": "a1", "start": 0, "end": 12, "text": "Mirela Dunca",
                          "sentence": 0},
                         {"entity_id": "e3", "article_id": "a2", "start": 0, "end": 12, "text": "Tomas Ebbing",
                          "sentence": 0}],
        events=[_event("v1", "s1", "happened", "Meeting of Mirela Dunca in Saltmere"),
                _event("v2", "s2", "scheduled", "Visit of Tomas Ebbing to Corvel", "2014-03-10", "visit", "Corvel"),
                _event("v3", "s1", "scheduled", "Call of Mirela Dunca", "2014-03-12", "call", None)],
        event_mentions=[],
        claims=[_claim("c1", "v1", "date", "2014-03-07", "corroborated", "s1"),
                _claim("c2", "story:s1", "plan_points", "12", "contested", "s1"),
                _claim("c3", "v1", "place", "Saltmere", "single_source", "s1")],
        conflicts=[], changes=[])
    with store.engine.begin() as conn:
        conn.execute(t.changes.delete())  # add_articles recorded its own; these have known times
        conn.execute(insert(t.changes), [
            _change(DAY1, "article_added", "a1", None),
            _change(DAY1, "event_added", "v1", "s1", summary="Meeting", date="2014-03-07", type="meeting"),
            _change(DAY1, "event_added", "v3", "s1", summary="Call", date="2014-03-12", type="call"),
            _change(DAY1, "entity_added", "e1", None, name="Mirela Dunca", type="PERSON"),
            _change(DAY2, "article_added", "a2", None),
            _change(DAY2, "event_status", "v1", "s1", **{"from": "scheduled", "to": "happened"}),
            _change(DAY2, "event_added", "v9", "s1", summary="merged away since", date=None, type="meeting"),
            _change(DAY2, "event_added", "v2", "s2", summary="Visit", date="2014-03-10", type="visit"),
            _change(DAY2, "entity_added", "e3", None, name="Tomas Ebbing", type="PERSON"),
            _change(DAY2, "claim_corroborated", "c1", "s1", subject="v1", attribute="date", value="2014-03-07",
                    **{"from": "single_source"}),
            _change(DAY2, "claim_contested", "c2", "s1", subject="story:s1", attribute="plan_points", value="12",
                    **{"from": "corroborated"}),
            _change(DAY2, "claim_corroborated", "c3", "s1", subject="v1", attribute="place", value="Saltmere",
                    **{"from": "single_source"}),  # since back to single_source: not news any more
            _change(DAY3, "event_status", "v3", "s1", **{"from": "scheduled", "to": "cancelled"}),
            _change(DAY3, "event_status", "v3", "s1", **{"from": "cancelled", "to": "scheduled"}),
            _change(DAY3, "event_status", "v2", "s2", **{"from": "unknown", "to": "scheduled"}),
        ])
    return store


def ids(news: dict, group: str) -> list[str]:
    return [item["id"] for item in news[group]]


def test_changes_are_grouped_folded_and_read_as_they_are_now(store):
    news = whats_new(store, "2025-01-01T12:00:00Z")
    assert news["since"] == "2025-01-01T12:00:00+00:00"
    assert ids(news, "new_events") == ["v2"]  # v9 no longer exists; v2's own status change is folded in
    assert ids(news, "status_changes") == ["v1"]  # v3 went to cancelled and back: nothing to report
    assert ids(news, "claims_corroborated") == ["c1"] and ids(news, "claims_contested") == ["c2"]
    assert ids(news, "new_entities") == ["e3"] and ids(news, "new_articles") == ["a2"]
    assert news["counts"] == {"new_events": 1, "status_changes": 1, "claims_contested": 1,
                              "claims_corroborated": 1, "new_entities": 1, "new_articles": 1}
    lines = [item["line"] for key in ("new_events", "status_changes", "claims_corroborated", "claims_contested",
                                      "new_entities", "new_articles") for item in news[key]]
    assert lines == [
        "New visit on 2014-03-10 (scheduled): Visit of Tomas Ebbing to Corvel [2 sources]",
        "The meeting on 2014-03-07 took place (was scheduled): Meeting of Mirela Dunca in Saltmere",
        "Now corroborated by several outlets: date of “Meeting of Mirela Dunca in Saltmere” = 2014-03-07 "
        "(was single source)",
        "Now contested by another outlet: number of points in the plan (story s1) = 12 (was corroborated)",
        "New person: Tomas Ebbing",
        "Corvel Post, 2014-03-09: Tomas Ebbing will visit Corvel on Monday.",
    ]
    json.dumps(news)  # the webhook body: plain JSON

    everything = whats_new(store)
    assert ids(everything, "new_events") == ["v1", "v2", "v3"]  # by date
    assert everything["status_changes"] == []
    assert whats_new(store, DAY3)["empty"] and whats_new(store, "2025-01-02")["counts"]["new_events"] == 1


def test_story_filter_and_cursor(store):
    s1 = whats_new(store, story="s1")
    assert ids(s1, "new_events") == ["v1", "v3"] and ids(s1, "new_entities") == ["e1"]
    assert ids(s1, "new_articles") == ["a1"] and ids(s1, "claims_contested") == ["c2"]
    s2 = whats_new(store, "2025-01-01T12:00:00Z", story="s2")
    assert ids(s2, "new_events") == ["v2"] and ids(s2, "new_entities") == ["e3"] and s2["status_changes"] == []
    last = last_change_id(store)
    assert whats_new(store, after_id=last)["empty"] and whats_new(store, after_id=last)["cursor"] == last
    assert ids(whats_new(store, after_id=last - 1), "status_changes") == ["v2"]  # unknown -> scheduled
    assert whats_new(store, after_id=last - 1)["cursor"] == last


def test_parse_since():
    assert parse_since("2025-06-01T09:00:00Z") == "2025-06-01T09:00:00+00:00"
    assert parse_since("2025-06-01T09:00:00+02:00") == "2025-06-01T07:00:00+00:00"
    assert parse_since("2025-06-01T09:00") == datetime(2025, 6, 1, 9).astimezone(UTC).isoformat()
    two_hours = datetime.fromisoformat(parse_since("2h"))
    assert abs(datetime.now(UTC) - timedelta(hours=2) - two_hours) < timedelta(seconds=5)
    assert parse_since(None) is None
    with pytest.raises(StorylineError) as caught:
        parse_since("last tuesday")
    assert "since 'last tuesday'" in str(caught.value) and "\n" not in str(caught.value)


def test_markdown_digest(store):
    text = digest_markdown(whats_new(store, "2025-01-01T12:00:00Z", story="s1"))
    assert text.startswith("# What's new since 2025-01-01T12:00:00+00:00 in story s1\n")
    assert "## Events whose status changed\n\n- The meeting on 2014-03-07 took place" in text
    assert "## New events" not in text and "## Claims now contested" in text
    assert "Nothing new." in digest_markdown(whats_new(store, DAY3))


def test_whatsnew_command(store, db, tmp_path):
    digest = tmp_path / "out" / "digest.md"
    result = runner.invoke(app, ["whatsnew", "--since", "2025-01-01T12:00:00Z", "--db", db,
                                 "--digest", str(digest)])
    assert result.exit_code == 0, result.output
    assert "- New visit on 2014-03-10 (scheduled)" in result.stdout
    assert digest.read_text(encoding="utf-8") == result.stdout
    as_json = runner.invoke(app, ["whatsnew", "--since", "2025-01-02", "--story", "s1", "--db", db, "--json"])
    assert json.loads(as_json.stdout)["counts"]["status_changes"] == 1


def test_whatsnew_bad_since_is_one_line(store, db, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["storyline", "whatsnew", "--since", "yesterday-ish", "--db", db])
    with pytest.raises(SystemExit) as exited:
        main()
    err = capsys.readouterr().err
    assert exited.value.code == 2 and err.count("\n") == 1 and "since 'yesterday-ish'" in err


# ------------------------------------------------------------------ webhook
class Receiver(QuietHandler):

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.posts.append((self.path, self.headers.get("Content-Type"), body))
        if self.path == "/slow":
            self.server.stop.wait(5)
        status = 500 if self.path == "/broken" else 204
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def hooks(http_server) -> LocalServer:
    return http_server(Receiver)


def test_webhook_posts_the_digest_json(store, hooks):
    news = whats_new(store, "2025-01-01T12:00:00Z")
    assert post_webhook(hooks.url("/hook"), news, allow_private=True)
    path, content_type, body = hooks.posts[-1]
    assert path == "/hook" and content_type.startswith("application/json")
    assert json.loads(body) == news


def test_webhook_failures_are_logged_not_raised(store, hooks):
    news = whats_new(store)
    buffer = io.StringIO()
    with json_logging("info", buffer):
        assert not post_webhook(hooks.url("/hook"), news)  # loopback without allow_private: never sent
        assert not post_webhook(hooks.url("/broken"), news, allow_private=True)
        started = time.monotonic()
        assert not post_webhook(hooks.url("/slow"), news, allow_private=True, timeout=0.5)
        assert time.monotonic() - started < 3
        assert not post_webhook("file:///etc/passwd", news, allow_private=True)
    assert [p[0] for p in hooks.posts] == ["/broken", "/slow"]
    logged = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert [r["event"] for r in logged] == ["webhook_failed"] * 4
    assert "refused to fetch a loopback or private address" in logged[0]["error"]
    assert "HTTP 500" in logged[1]["error"] and "timed out" in logged[2]["error"]
    assert "only http and https" in logged[3]["error"]


def test_whatsnew_command_webhook(store, db, hooks):
    result = runner.invoke(app, ["whatsnew", "--since", "2025-01-01T12:00:00Z", "--db", db, "--json",
                                 "--webhook", hooks.url("/hook"), "--allow-private"])
    assert result.exit_code == 0, result.output
    sent = json.loads(hooks.posts[-1][2])
    assert sent["counts"] == json.loads(result.stdout)["counts"] and sent["new_events"][0]["id"] == "v2"
    assert json.loads(result.stderr.splitlines()[-1])["event"] == "webhook_sent"
    # refused without --allow-private: logged, exit code still 0
    refused = runner.invoke(app, ["whatsnew", "--since", "2025-01-01T12:00:00Z", "--db", db,
                                  "--webhook", hooks.url("/hook")])
    assert refused.exit_code == 0 and len(hooks.posts) == 1
    assert json.loads(refused.stderr.splitlines()[-1])["event"] == "webhook_failed"


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("STORYLINE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
