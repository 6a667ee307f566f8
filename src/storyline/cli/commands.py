"""Core commands: ingest, process, run, stories, timeline, entities, entity, export, search, demo, score."""
from __future__ import annotations

import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

import typer

from storyline import pipeline
from storyline.cli._app import DB_HELP, app
from storyline.cli._util import emit, load_aliases, open_store, progress_for, table
from storyline.errors import E, StorylineError
from storyline.read import queries
from storyline.read.records import LOW_CONFIDENCE, plain
from storyline.report.export import export_document, write_csv, write_json
from storyline.report.timeline import format_timeline
from storyline.settings import Settings
from storyline.store import Store


def _report_errors(errors: list[StorylineError], warnings: list[StorylineError] = ()) -> None:
    for error in errors:
        typer.echo(f"skipped: {error}", err=True)
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)


def _report_skipped(report: pipeline.ProcessReport) -> None:
    if report.skipped:
        typer.echo(f"left out {len(report.skipped)} articles over their time budget (storyline problems lists them)",
                   err=True)


@app.command()
def ingest(
    sources: list[str] = typer.Argument(
        ..., help="Files, folders, corpus folders (with articles.jsonl), feeds or http(s) URLs."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    allow_private: bool = typer.Option(False, help="Allow fetching loopback/private addresses."),
) -> None:
    """Read and clean articles into the store (no analysis). Re-ingesting an article is a no-op."""
    settings = Settings(db=db, allow_private=allow_private or None)
    store = open_store(settings)
    report = pipeline.ingest(sources, store, settings, progress_for(settings))
    _report_errors(report.errors, report.warnings)
    typer.echo(f"added {len(report.added)} articles, {report.existing} already stored, {len(report.errors)} skipped")
    raise typer.Exit(1 if report.errors else 0)


@app.command()
def process(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    aliases: str | None = typer.Option(None, help="YAML alias file forcing or forbidding entity merges."),
) -> None:
    """Analyse new articles, link duplicates, assign stories and rebuild entities, events and claims."""
    settings = Settings(db=db, aliases=aliases)
    store = open_store(settings)
    report = pipeline.process(store, settings, progress_for(settings), load_aliases(settings))
    typer.echo(f"analysed {report.analysed} articles ({report.inferred_dates} publication dates inferred), "
               f"{report.duplicates} duplicates; {report.stories} stories, {report.entities} entities, "
               f"{report.events} events")
    _report_skipped(report)


@app.command()
def run(
    sources: list[str] = typer.Argument(..., help="Files, folders, corpus folders, feeds or URLs."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    aliases: str | None = typer.Option(None, help="YAML alias file forcing or forbidding entity merges."),
    allow_private: bool = typer.Option(False, help="Allow fetching loopback/private addresses."),
) -> None:
    """Ingest and process in one go."""
    settings = Settings(db=db, aliases=aliases, allow_private=allow_private or None)
    store = open_store(settings)
    ingested, processed = pipeline.run(sources, store, settings, progress_for(settings), load_aliases(settings))
    _report_errors(ingested.errors, ingested.warnings)
    typer.echo(f"added {len(ingested.added)} articles ({ingested.existing} already stored, "
               f"{len(ingested.errors)} skipped); {processed.stories} stories, {processed.entities} entities, "
               f"{processed.events} events")
    _report_skipped(processed)
    raise typer.Exit(1 if ingested.errors else 0)


@app.command()
def stories(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List stories, largest first."""
    store = open_store(Settings(db=db), readonly=True)
    rows = queries.list_stories(store)
    if emit(rows, as_json):
        return
    table(rows, [("id", "story"), ("size", "articles"), ("outlets", "outlets"), ("events", "events"),
                 ("first_seen", "first"), ("last_seen", "last"), ("title", "title")])


@app.command()
def problems(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    limit: int = typer.Option(100, help="Most recent problems to show (0: all)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """What could not be read or was left out: bad files, feed items, articles over their time budget."""
    store = open_store(Settings(db=db), readonly=True)
    total, rows = queries.problems(store, limit or None)
    if emit({"total": total, "items": rows}, as_json):
        return
    for row in rows:  # whole lines: the message names the file or item (at most 200 characters of it)
        typer.echo(f"{row.at}  {row.message}")
    if not rows:
        typer.echo("(none)")
    if total > len(rows):
        typer.echo(f"({total - len(rows)} older problems not shown: --limit 0 shows all)")


@app.command()
def timeline(
    story: str | None = typer.Argument(None, help="Story id (default: the largest story)."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    all_types: bool = typer.Option(False, "--all", help="Include statements, proposals and agreements."),
    confident: bool = typer.Option(False, "--confident", help="Hide low-confidence events (marked LOW)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The dated events of a story: date, event, place, participants, independent sources, confidence."""
    store = open_store(Settings(db=db), readonly=True)
    if story is None:
        listed = queries.list_stories(store, limit=1)
        if not listed:
            raise StorylineError(E.NO_SUCH_ITEM, "stories", "the store has none yet; run `storyline run`")
        story = listed[0].id
    events = queries.timeline(store, story=story, min_confidence=LOW_CONFIDENCE if confident else None)
    if not all_types:
        events = [e for e in events if e.type in ("meeting", "visit", "call")]
    if emit(events, as_json):
        return
    typer.echo(format_timeline(queries.get_story(store, story), events))


@app.command()
def entities(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    entity_type: str | None = typer.Option(None, "--type", help="PERSON, ORG or PLACE."),
    q: str | None = typer.Option(None, "--q", help="Only names or aliases containing this."),
    limit: int = typer.Option(50, help="How many to show."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Entities with their aliases, roles and mention counts."""
    store = open_store(Settings(db=db), readonly=True)
    found = queries.entities(store, entity_type, q, limit=limit)
    if emit(found, as_json):
        return
    rows = [{**plain(e), "aliases": ", ".join(a for a in e.aliases if a != e.name),
             "roles": "; ".join(r["role"] for r in e.roles[:2])} for e in found]
    table(rows, [("id", "id"), ("type", "type"), ("name", "name"), ("mention_count", "mentions"),
                 ("affiliation", "side"), ("aliases", "aliases"), ("roles", "roles")])


@app.command()
def entity(
    name: str = typer.Argument(..., help="Entity id, or a name or alias."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """One entity with every mention in context."""
    store = open_store(Settings(db=db), readonly=True)
    try:
        found = queries.get_entity(store, name)
    except StorylineError:
        matches = [e for e in queries.entities(store, q=name) if name.lower() in
                   [a.lower() for a in e.aliases] + [e.name.lower()]] or queries.entities(store, q=name, limit=1)
        if not matches:
            raise
        found = queries.get_entity(store, matches[0].id)
    if emit(found, as_json):
        return
    typer.echo(f"{found.name} ({found.type}, {found.id})")
    if found.affiliation:
        typer.echo(f"  side: {found.affiliation}{' (inferred)' if found.affiliation_inferred else ''}")
    typer.echo(f"  aliases: {', '.join(found.aliases)}")
    for role in found.roles:
        typer.echo(f"  role: {role['role']}  [{role['article']}]")
    typer.echo(f"  {len(found.mentions)} mentions:")
    for m in found.mentions:
        typer.echo(f"    [{m.article}] …{m.before}[{m.match}]{m.after}…")


@app.command()
def search(
    q: str = typer.Argument(..., help='Terms to find in titles and texts: words (all of them), OR, NOT (after a '
                                      'term), "a phrase", prefix*, (groups); operators in upper case.'),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    limit: int = typer.Option(20, help="How many results."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Full-text search over the stored articles (a query that cannot be read stops with one line saying why)."""
    store = open_store(Settings(db=db), readonly=True)
    rows = queries.search(store, q, limit=limit)
    if emit(rows, as_json):
        return
    for row in rows:
        snippet = (row.snippet or "").replace("\x02", "[").replace("\x03", "]").replace("\n", " ")
        typer.echo(f"{row.id}  {row.published or '          '}  {row.outlet}: {row.title}\n    {snippet}")


@app.command()
def export(
    out: Path = typer.Option(..., "--out", "-o", help="File (json) or folder (csv) to write."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    story: str | None = typer.Option(None, help="Only this story."),
    fmt: str = typer.Option("json", "--format", help="json or csv."),
) -> None:
    """Write the export (contract version 1) as JSON, or CSV files."""
    store = open_store(Settings(db=db), readonly=True)
    document = export_document(store, story)
    if fmt == "csv":
        paths = write_csv(document, out)
        typer.echo(f"wrote {len(paths)} CSV files to {out}")
    elif fmt == "json":
        write_json(document, out)
        typer.echo(f"wrote {out}")
    else:
        raise StorylineError(E.BAD_SETTING, detail=f"--format {fmt!r}: use json or csv")


def demo_corpus() -> Path:
    return Path(str(resources.files("storyline").joinpath("demo_corpus")))


@app.command()
def demo(db: str = typer.Option("demo.db", "--db", help="Where to put the demo store.")) -> None:
    """Build a store from the bundled (fictional) demo corpus and print its timeline."""
    settings = Settings(db=db)
    path = Path(db)
    if "://" not in db and path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    store = open_store(settings)
    ingested, processed = pipeline.run([str(demo_corpus())], store, settings, progress_for(settings))
    _report_errors(ingested.errors, ingested.warnings)
    story = queries.list_stories(store, limit=1)[0]
    events = [e for e in queries.timeline(store, story=story.id) if e.type in ("meeting", "visit", "call")]
    typer.echo(format_timeline(queries.get_story(store, story.id), events))
    typer.echo(f"\n{len(ingested.added)} articles -> {processed.stories} stories, {processed.entities} entities, "
               f"{processed.events} events.")
    typer.echo(f"Store: {Path(db).resolve() if '://' not in db else db}")
    typer.echo(f"Next: storyline stories --db {db} | storyline entities --db {db} | "
               f"storyline export --db {db} --out demo.json")


def find_scorer(explicit: Path | None) -> Path:
    if explicit:
        return explicit
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        candidate = folder / "shared" / "tools" / "score.py"
        if candidate.is_file():
            return candidate
        candidate = folder.parent / "shared" / "tools" / "score.py"
        if candidate.is_file():
            return candidate
    raise StorylineError(E.NOT_FOUND, "shared/tools/score.py", "pass --scorer")


@app.command()
def score(
    corpus: Path = typer.Argument(..., help="A corpus folder with articles.jsonl (and gold.json for the scorer)."),
    out: Path | None = typer.Option(None, "--out", help="Where to write the export (default: a temporary file)."),
    scorer: Path | None = typer.Option(None, help="Path to score.py (default: ../shared/tools/score.py)."),
) -> None:
    """Run the whole pipeline on a corpus into a fresh store, export, and print the scorer's output."""
    if not (corpus / "articles.jsonl").is_file():
        raise StorylineError(E.NOT_FOUND, str(corpus / "articles.jsonl"))
    with tempfile.TemporaryDirectory(prefix="storyline-score-") as workdir:
        settings = Settings(db=str(Path(workdir) / "score.db"), progress=False)
        store = Store(settings.db)
        ingested, _ = pipeline.run([str(corpus)], store, settings)
        _report_errors(ingested.errors, ingested.warnings)
        target = out or Path(workdir) / "export.json"
        write_json(export_document(store), target)
        store.close()
        result = subprocess.run([sys.executable, str(find_scorer(scorer)), str(corpus), str(target)],
                                capture_output=True, text=True)
        typer.echo(result.stdout, nl=False)
        if result.returncode:
            typer.echo(result.stderr, err=True, nl=False)
            raise typer.Exit(result.returncode)
        if out:
            typer.echo(f"export: {out}")
