"""rebuild: re-derive the corpus record from everything stored, whatever changed."""
from __future__ import annotations

import typer

from storyline import pipeline
from storyline.cli._app import DB_HELP, app
from storyline.cli._util import load_aliases, open_store, progress_for
from storyline.settings import Settings


@app.command()
def rebuild(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    aliases: str | None = typer.Option(None, help="YAML alias file forcing or forbidding entity merges."),
) -> None:
    """Re-derive entities, events, claims, conflicts and story titles from every stored article, even when
    nothing changed (run, process and watch skip that stage then). Articles not yet analysed are analysed first."""
    settings = Settings(db=db, aliases=aliases)
    store = open_store(settings)
    try:
        report = pipeline.process(store, settings, progress_for(settings), load_aliases(settings), force=True)
    finally:
        store.close()
    typer.echo(f"analysed {report.analysed} new articles; rebuilt {report.stories} stories, {report.entities} "
               f"entities, {report.events} events")
    if report.skipped:
        typer.echo(f"left out {len(report.skipped)} articles over their time budget (storyline problems lists them)",
                   err=True)
