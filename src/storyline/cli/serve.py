"""`storyline serve`: browse a store in a web browser, and its JSON API."""
from __future__ import annotations

import typer

from storyline.cli._app import DB_HELP, app
from storyline.settings import Settings


@app.command()
def serve(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 exposes the store to the network)."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
) -> None:
    """Serve the store read-only: HTML pages and a JSON API (every page + .json; /api lists the routes)."""
    # deferred on purpose: the web stack (uvicorn, FastAPI, Jinja2) costs every other command's start-up ~1 s
    import uvicorn

    from storyline.web.app import create_app

    settings = Settings(db=db)
    web = create_app(settings.db)
    typer.echo(f"serving {settings.db} read-only at http://{host}:{port}/ (Ctrl+C stops)")
    uvicorn.run(web, host=host, port=port, log_level="warning")
