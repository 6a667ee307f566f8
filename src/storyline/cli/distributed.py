"""run-dask: ingest and process a large corpus with the per-article work on a dask cluster."""
from __future__ import annotations

import typer

from storyline.cli._app import DB_HELP, app
from storyline.cli._util import load_aliases, open_store, progress_for
from storyline.errors import E, StorylineError
from storyline.settings import Settings


@app.command("run-dask")
def run_dask(
    sources: list[str] = typer.Argument(..., help="Files, folders, corpus folders, feeds or URLs."),
    workers: int = typer.Option(2, "--workers", min=1, help="Worker processes of the local cluster (one thread each)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Use the dask cluster at this scheduler "
                                            "address (tcp://host:8786) instead of starting a local one."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    aliases: str | None = typer.Option(None, help="YAML alias file forcing or forbidding entity merges."),
    allow_private: bool = typer.Option(False, help="Allow fetching loopback/private addresses."),
) -> None:
    """Like `run`, with cleaning and analysis spread over dask workers (each loads the models once); the store,
    duplicates, stories and the corpus stages stay here. Gives the same store as `run`. Needs storyline[dask]."""
    try:
        from dask.distributed import Client  # deferred: dask is an optional extra (storyline[dask])

        from storyline.distributed import run_distributed
    except ModuleNotFoundError as exc:
        raise StorylineError(E.MODEL_MISSING, detail=f"missing {exc.name}; install storyline[dask]") from None
    settings = Settings(db=db, aliases=aliases, allow_private=allow_private or None)
    store = open_store(settings)
    client = Client(scheduler, set_as_default=False) if scheduler else None
    try:
        report = run_distributed(sources, store, settings, client=client, workers=workers,
                                 progress=progress_for(settings), aliases=load_aliases(settings))
    finally:
        if client is not None:
            client.close()
    for error in report.ingest.errors:
        typer.echo(f"skipped: {error}", err=True)
    timings = ", ".join(f"{k} {v:.1f}s" for k, v in report.timings.items())
    typer.echo(f"added {len(report.ingest.added)} articles ({report.ingest.existing} already stored, "
               f"{len(report.ingest.errors)} skipped) on {report.workers} workers; {report.process.stories} stories, "
               f"{report.process.entities} entities, {report.process.events} events ({timings})")
    raise typer.Exit(1 if report.ingest.errors else 0)
