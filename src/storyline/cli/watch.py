"""Following a story: watch (poll sources, ingest and process what is new) and whatsnew."""
from __future__ import annotations

import json
from pathlib import Path

import typer

from storyline.cli._app import DB_HELP, app
from storyline.cli._util import emit, load_aliases, open_store
from storyline.report.digest import digest_markdown, post_webhook, whats_new, write_digest
from storyline.settings import Settings
from storyline.watch import DEFAULT_INTERVAL, WEBHOOK_TIMEOUT, Watcher, json_logging, load_sources

SOURCES_HELP = ("YAML list of sources; each has 'url' (feed or page) or 'path' (folder or file), and optionally "
                "'name', 'interval' (seconds) and 'allow_private'.")
WEBHOOK_HELP = ("POST what is new as JSON to this URL when there is something new "
                f"({WEBHOOK_TIMEOUT:g}s timeout; failures are logged; loopback/private addresses only with "
                "--allow-private).")
LOG_HELP = "Least severe log lines written to stderr (JSON, one per line): debug, info, warning or error."


@app.command()
def watch(
    sources_file: Path = typer.Argument(..., help=SOURCES_HELP),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    once: bool = typer.Option(False, "--once", help="Poll every source once, process, print what is new and exit "
                              "(for cron); exit code 1 if a source failed or an item could not be read."),
    interval: float = typer.Option(DEFAULT_INTERVAL, min=1.0,
                                   help="Seconds between polls of a source whose entry sets no interval."),
    digest: Path | None = typer.Option(None, "--digest", help="Append a Markdown digest of what is new to this "
                                          "file after each cycle that found something."),
    webhook: str | None = typer.Option(None, "--webhook", help=WEBHOOK_HELP),
    story: str | None = typer.Option(None, "--story", help="Report only this story's changes (everything is "
                                        "still ingested and processed)."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Allow loopback/private addresses for every "
                                       "source and for the webhook."),
    fetch_timeout: float | None = typer.Option(None, "--fetch-timeout", help="Seconds before one fetch gives up "
                                                  "(default 20); bounds how long a hanging source can hold a cycle."),
    aliases: str | None = typer.Option(None, help="YAML alias file forcing or forbidding entity merges."),
    as_json: bool = typer.Option(False, "--json", help="With --once: print what is new as JSON, not Markdown."),
    log_level: str = typer.Option("info", "--log-level", help=LOG_HELP),
) -> None:
    """Poll feeds, pages and folders; ingest and process what is new; report it. Edits of the sources file are
    picked up while running; Ctrl-C or SIGTERM stops cleanly."""
    settings = Settings(db=db, aliases=aliases, allow_private=allow_private or None, fetch_timeout=fetch_timeout)
    sources = load_sources(sources_file, interval)
    with json_logging(log_level):
        store = open_store(settings)
        try:
            watcher = Watcher(store, sources, settings, aliases=load_aliases(settings), digest_path=digest,
                              webhook=webhook, story=story, sources_file=sources_file, default_interval=interval)
            with watcher.signals():
                if not once:
                    watcher.run_forever()
                    return
                report = watcher.run_once()
        finally:
            store.close()
    news = report.news
    if as_json:
        typer.echo(json.dumps(news or {}, ensure_ascii=False, indent=1, default=str))
    elif news and not news["empty"]:  # silent when nothing is new, so cron sends no mail
        typer.echo(digest_markdown(news, title=f"What's new, {news['until']}"), nl=False)
    raise typer.Exit(1 if report.failed or report.interrupted else 0)


@app.command()
def whatsnew(
    since: str = typer.Option(..., "--since", help="ISO date or time (local unless it ends in Z or +hh:mm), "
                              "or a duration such as 90m, 6h, 2d."),
    story: str | None = typer.Option(None, "--story", help="Only this story."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (the same document the webhook receives)."),
    digest: Path | None = typer.Option(None, "--digest", help="Also write the Markdown digest to this file."),
    webhook: str | None = typer.Option(None, "--webhook", help=WEBHOOK_HELP),
    allow_private: bool = typer.Option(False, "--allow-private", help="Allow a loopback/private webhook address."),
) -> None:
    """What changed since a time: new events, events whose status changed, claims now contested or corroborated,
    new entities and articles."""
    settings = Settings(db=db, allow_private=allow_private or None)
    store = open_store(settings, readonly=True)
    with json_logging("info"):
        try:
            news = whats_new(store, since, story)
            text = digest_markdown(news)
            if not emit(news, as_json):
                typer.echo(text, nl=False)
            if digest:
                write_digest(digest, text)
            if webhook and not news["empty"]:
                post_webhook(webhook, news, timeout=min(WEBHOOK_TIMEOUT, settings.fetch_timeout),
                             allow_private=settings.allow_private)
        finally:
            store.close()
