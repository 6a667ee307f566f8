"""Briefing commands: briefing (Markdown or HTML), framing (how outlets differ), outlets (profiles)."""
from __future__ import annotations

from pathlib import Path

import typer

from storyline.cli._app import DB_HELP, app
from storyline.cli._util import emit, open_store, table
from storyline.errors import E, StorylineError
from storyline.read import queries
from storyline.report import framing as framing_stage
from storyline.report.briefing import write_briefing
from storyline.settings import Settings

OUTLETS_HELP = ("YAML file of outlets (country, ownership: state, public or private, parent group), a list or keyed "
                "by outlet name or domain; extends and overrides the bundled outlet directory.")
LEXICON_HELP = "YAML file of loaded terms by category and language; its categories replace the bundled ones."


def _story(store, story: str | None) -> str:
    if story:
        return story
    listed = queries.list_stories(store, limit=1)
    if not listed:
        raise StorylineError(E.NO_SUCH_ITEM, "stories", "the store has none yet; run `storyline run`")
    return listed[0].id


@app.command()
def briefing(
    story: str | None = typer.Argument(None, help="Story id (default: the largest story)."),
    out: Path = typer.Option(..., "--out", "-o", help="File to write: .md (the chart goes beside it as "
                             "NAME-coverage.svg) or .html (one standalone page)."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    outlets: Path | None = typer.Option(None, "--outlets", help=OUTLETS_HELP),
    lexicon: Path | None = typer.Option(None, "--lexicon", help=LEXICON_HELP),
) -> None:
    """Write the briefing of a story: timeline, people, contested and single-sourced facts, how outlets differ."""
    settings = _settings(db, outlets, lexicon)
    store = open_store(settings, readonly=True)
    written = write_briefing(store, _story(store, story), out,
                             profiles=framing_stage.load_profiles(_path(settings.outlets)),
                             lexicon=framing_stage.load_lexicon(_path(settings.lexicon)))
    typer.echo("wrote " + ", ".join(str(p) for p in written))


def _settings(db: str | None, outlets: Path | None, lexicon: Path | None) -> Settings:
    """Flags beat the `outlets` and `lexicon` settings (storyline.toml, STORYLINE_OUTLETS, ...)."""
    return Settings(db=db, outlets=str(outlets) if outlets else None, lexicon=str(lexicon) if lexicon else None)


def _path(value: str) -> Path | None:
    return Path(value) if value else None


def _examples(items: list[dict]) -> str:
    return "; ".join(f"[{e['article']}] {e['text'][:110]}" for e in items[:1])


@app.command()
def framing(
    story: str | None = typer.Argument(None, help="Story id (default: the largest story)."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    outlets: Path | None = typer.Option(None, "--outlets", help=OUTLETS_HELP),
    lexicon: Path | None = typer.Option(None, "--lexicon", help=LEXICON_HELP),
    top: int = typer.Option(10, help="Distinctive terms to keep per outlet."),
    min_sources: int = typer.Option(2, help="Independent sources an event needs before leaving it out counts."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """How the outlets of a story differ: profiles, loaded terms, distinctive words, omissions."""
    settings = _settings(db, outlets, lexicon)
    store = open_store(settings, readonly=True)
    result = framing_stage.framing(store, _story(store, story),
                                   profiles=framing_stage.load_profiles(_path(settings.outlets)),
                                   lexicon=framing_stage.load_lexicon(_path(settings.lexicon)), top=top,
                                   min_sources=min_sources)
    if emit(result, as_json):
        return
    typer.echo(f"Story {result['story']}: {len(result['profiles'])} outlets\n")
    table([_profile_row(p) for p in result["profiles"]], PROFILE_COLUMNS)
    loaded = result["loaded_terms"]
    typer.echo(f"\nLoaded terms (story average {loaded['per_1000_words']} per 1,000 words):")
    if not any(o["hits"] for o in loaded["outlets"].values()):
        typer.echo("  (none)")
    for outlet, o in loaded["outlets"].items():
        if o["hits"]:
            typer.echo(f"  {outlet}: {o['hits']} ({o['per_1000_words']} per 1,000 words)")
            for term in o["terms"][:8]:
                typer.echo(f"    {term['forms'][0]} ({term['category']}) x{term['count']}  "
                           f"{_examples(term['examples'])}")
        for term in o.get("quoted", [])[:4]:
            typer.echo(f"  {outlet} quotes {_speakers(term)}: \u201c{term['forms'][0]}\u201d ({term['category']}) "
                       f"x{term['count']}  {_examples(term['examples'])}")
    typer.echo("\nDistinctive words (log-odds z-score against the story's other outlets in the same language):")
    distinct = result["distinctive_terms"]["outlets"]
    if not any(o["terms"] for o in distinct.values()):
        typer.echo("  (none stands out)")
    for outlet, o in distinct.items():
        if o["terms"]:
            typer.echo(f"  {outlet}:")
            for term in o["terms"]:
                typer.echo(f"    {term['form']} x{term['count']} (others x{term['rest_count']}, z={term['z']})  "
                           f"{_examples(term['examples'])}")
    omitted = result["omissions"]
    typer.echo(f"\nLeft out (facts reported by at least {omitted['needed']} of {len(omitted['outlets'])} outlets):")
    if not any(omitted["by_outlet"].values()):
        typer.echo("  (nothing)")
    for outlet, items in omitted["by_outlet"].items():
        for item in items:
            typer.echo(f"  {outlet}: {item['label'][:80]}{' (' + item['date'] + ')' if item['date'] else ''} "
                       f"[{item['type']}, reported by {item['reported_by']}]")
    _echo_sides(result["sides"])


def _speakers(term: dict) -> str:
    names = term.get("speakers", []) + (["someone unnamed"] if term.get("unattributed") else [])
    return " and ".join(names) or "someone unnamed"


def _echo_sides(compared: dict) -> None:
    """State-owned against independent outlets: who, their loaded terms, the dated events only one side reports."""
    typer.echo("\nState-owned against independent outlets (public and private; from the outlet directory):")
    for side, label in (("state", "state-owned"), ("independent", "independent")):
        found = compared[side]
        typer.echo(f"  {label}: {', '.join(found['outlets']) or '(none)'}; {found['hits']} loaded terms in "
                   f"{found['words']} words ({found['per_1000_words']} per 1,000)")
        only = compared["terms_only"][side]
        if only:
            typer.echo("    only this side: " + ", ".join(f"{t['form']} x{t['count']}" for t in only[:8]))
        events = compared["events"][side]
        if events:
            typer.echo(f"    {len(events)} dated events only this side reports, e.g.: "
                       + "; ".join(f"{e['date']} {e['summary'][:60]}" for e in events[:3]))
    typer.echo(f"  both sides report {len(compared['events']['both'])} dated events")
    if compared["unknown"]:
        typer.echo(f"  ownership unknown (not in the outlet directory): {', '.join(compared['unknown'])}")


PROFILE_COLUMNS = [("outlet", "outlet"), ("articles", "articles"), ("languages", "languages"),
                   ("country", "country"), ("ownership", "ownership"), ("group", "group"), ("domains", "domains")]


def _profile_row(profile: dict) -> dict:
    """A profile as a table row: what the outlet directory does not know reads "unknown", never a guess."""
    return {**profile, "country": profile["country"] or "unknown", "group": profile["group"] or "",
            "languages": ", ".join(profile.get("languages", [])), "domains": ", ".join(profile["domains"])}


@app.command("outlets")
def outlets_command(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    story: str | None = typer.Option(None, "--story", help="Only the outlets of this story."),
    outlets: Path | None = typer.Option(None, "--outlets", help=OUTLETS_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Outlets with their country, ownership (state, public, private) and parent group, from the outlet directory."""
    settings = _settings(db, outlets, None)
    store = open_store(settings, readonly=True)
    rows = framing_stage.outlet_profiles(store, story, framing_stage.load_profiles(_path(settings.outlets)))
    if emit(rows, as_json):
        return
    table([_profile_row(p) for p in rows], PROFILE_COLUMNS)
