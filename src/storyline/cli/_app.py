from __future__ import annotations

import typer

app = typer.Typer(
    name="storyline",
    help="Turn news articles from many outlets into a sourced, cross-checked record of a developing story.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

DB_HELP = "Store: a SQLite file or a database URL (env STORYLINE_DB; default storyline.db)."
