"""The views: each is one function returning data, served as JSON at ``path.json`` and as HTML at ``path``.

Datasette style: the HTML page renders exactly what the JSON carries, plus
what only a page needs (chart layout, form options), so the API is not a
second codebase.  Parameters are checked here; a bad value raises
``BadParameter`` (400) or ``StorylineError(E.NO_SUCH_ITEM)`` (404).
"""
# No ``from __future__ import annotations``: FastAPI reads these signatures at run time.
import inspect
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import Markup

from storyline.common.outlets import Directory
from storyline.errors import E, StorylineError
from storyline.models import CLAIM_STATUSES, EVENT_TYPES
from storyline.read import queries
from storyline.read.records import (
    LOW_CONFIDENCE,
    Conflict,
    EntityDetail,
    EventDetail,
    Outlet,
    OutletCount,
    Record,
    plain,
)
from storyline.report import outlets as outlet_report
from storyline.store import Store
from storyline.web import models, render

router = APIRouter()

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 10_000_000


class BadParameter(Exception):
    """A query parameter whose value cannot be used (answered with 400)."""

    def __init__(self, name: str, message: str):
        self.name = name
        self.message = message
        super().__init__(f"{name}: {message}")


def get_store(request: Request) -> Store:
    return request.app.state.store


StoreDep = Annotated[Store, Depends(get_store)]


def get_directory(request: Request) -> Directory:
    return request.app.state.directory


DirectoryDep = Annotated[Directory, Depends(get_directory)]
Limit = Annotated[int, Query(ge=0, le=MAX_LIMIT, description=f"Rows per page (0-{MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")]
StoryFilter = Annotated[str | None, Query(max_length=40, description="Only this story (id).")]


def _blank(value: str | None) -> str | None:
    """Empty form fields mean 'no filter'."""
    value = value.strip() if value is not None else None
    return value or None


def _day(name: str, value: str | None) -> str | None:
    value = _blank(value)
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise BadParameter(name, f"{value!r} is not a date; use YYYY-MM-DD") from None


def _story(store: Store, story: str | None) -> str | None:
    story = _blank(story)
    if story and not queries.exists(store, "stories", story):
        raise StorylineError(E.NO_SUCH_ITEM, f"story {story}")
    return story


def _page(total: int, limit: int, offset: int, items: list) -> dict:
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def timeline_filters(
    store: StoreDep,
    date_from: Annotated[str | None, Query(max_length=32,
                                           description="Events ending on or after (YYYY-MM-DD).")] = None,
    date_to: Annotated[str | None, Query(max_length=32,
                                         description="Events starting on or before (YYYY-MM-DD).")] = None,
    entity: Annotated[str | None, Query(max_length=40,
                                        description="Only events with this participant (entity id).")] = None,
    outlet: Annotated[str | None, Query(max_length=300, description="Only events reported by this outlet.")] = None,
    event_type: Annotated[str | None, Query(alias="type", max_length=20, description=(
        "meeting, visit, call, statement, proposal or agreement."))] = None,
    undated: Annotated[bool, Query(description="Also list events without a date.")] = False,
    confident: Annotated[bool, Query(description=(
        "Hide low-confidence events (one guessed or relative date, no corroboration).")) ] = False,
) -> dict[str, Any]:
    """The filters of a timeline, checked: dates are real dates in order, the type and entity exist."""
    filters: dict[str, Any] = {"date_from": _day("date_from", date_from), "date_to": _day("date_to", date_to),
                               "entity": _blank(entity), "outlet": _blank(outlet), "event_type": _blank(event_type),
                               "dated_only": not undated,
                               "min_confidence": LOW_CONFIDENCE if confident else None}
    if filters["date_from"] and filters["date_to"] and filters["date_from"] > filters["date_to"]:
        raise BadParameter("date_from", f"{filters['date_from']} is after date_to {filters['date_to']}")
    if filters["event_type"] and filters["event_type"] not in EVENT_TYPES:
        raise BadParameter("type", f"unknown event type {filters['event_type']!r}; use one of {', '.join(EVENT_TYPES)}")
    if filters["entity"] and not queries.exists(store, "entities", filters["entity"]):
        raise StorylineError(E.NO_SUCH_ITEM, f"entity {filters['entity']}")
    return filters


Filters = Annotated[dict[str, Any], Depends(timeline_filters)]


def _public_filters(filters: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in filters.items() if k not in ("dated_only", "event_type", "min_confidence")}
    return {**out, "type": filters["event_type"], "undated": not filters["dated_only"],
            "confident": bool(filters.get("min_confidence"))}


# ------------------------------------------------------------------ registration
Result = dict[str, Any] | Record  # what a view returns: records for the page, ``plain`` data for JSON
Extra = Callable[..., dict[str, Any]]


def _endpoint(fn: Callable[..., Result], respond: Callable[..., Response], name: str) -> Callable[..., Response]:
    """A route for ``fn``: same parameters plus the request, its result turned into a response by ``respond``."""
    signature = inspect.signature(fn)

    def endpoint(request: Request, **params: Any) -> Response:
        return respond(request, fn(**params), params)

    parameters = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)]
    parameters += [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in signature.parameters.values()]
    endpoint.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=parameters, return_annotation=Response)
    endpoint.__name__ = name
    endpoint.__doc__ = fn.__doc__
    return endpoint


def _json(request: Request, result: Result, params: dict) -> Response:
    # The view's records made plain are JSON-ready: answering directly skips FastAPI's re-validation of large
    # pages against the response model, which still documents the route (tests check responses against it).
    return JSONResponse(plain(result))


def view(path: str, *, template: str, model: type, summary: str, tag: str, extra: Extra | None = None,
         also: tuple[str, ...] = ()) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Serve ``fn`` as JSON at ``path.json`` (documented in /openapi.json) and as HTML at ``path`` (and at
    the paths ``also`` names)."""
    def html(request: Request, result: Result, params: dict) -> Response:
        context = {"data": result, **(extra(result, **params) if extra else {})}
        return request.app.state.render(request, template, context)

    def register(fn: Callable[..., Result]) -> Callable[..., Result]:
        router.add_api_route(f"{path}.json", _endpoint(fn, _json, f"{fn.__name__}_json"), methods=["GET"],
                             response_model=model, summary=summary, description=inspect.cleandoc(fn.__doc__ or ""),
                             responses=models.ERRORS, name=f"{fn.__name__}_json", tags=[tag])
        router.add_api_route(path, _endpoint(fn, html, f"{fn.__name__}_html"), methods=["GET"],
                             response_class=HTMLResponse, include_in_schema=False, name=fn.__name__)
        for other in also:
            router.add_api_route(other, _endpoint(fn, html, f"{fn.__name__}_html"), methods=["GET"],
                                 response_class=HTMLResponse, include_in_schema=False)
        return fn
    return register


# ------------------------------------------------------------------ stories
# the home page is the story list itself (not a redirect): HEAD / and GET / answer 200
@view("/stories", template="stories.html", model=models.StoryList, summary="Stories, largest first", tag="stories",
      also=("/",))
def stories(store: StoreDep, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    """Stories with their freshness: first and last publication dates, articles, outlets and events."""
    return _page(queries.count(store, "stories"), limit, offset, queries.list_stories(store, limit, offset))


def _timeline_extra(store: Store, story: str | None, filters: dict,
                    outlets: list[OutletCount] | list[Outlet] | None = None) -> dict:
    """The chart (every dated event the filters keep, not just this page) and the filter form's choices."""
    points = queries.timeline_points(store, story=story, **{k: v for k, v in filters.items() if k != "dated_only"})
    entities = queries.entities(store, story=story, limit=60) if story else []
    if outlets is None:
        outlets = queries.story_outlets(store, story) if story else queries.outlets(store)
    return {"chart": render.timeline_layout(points), "types": EVENT_TYPES,
            "entity_options": entities, "outlet_options": [o.outlet for o in outlets]}


def _story_extra(result: dict, store: Store, story_id: str, filters: dict, **_: Any) -> dict:
    found = result["coverage"]
    bars = {"country": Markup(outlet_report.bar_svg(found["by_country"], "Articles by the outlet's country")),
            "ownership": Markup(outlet_report.bar_svg(found["by_ownership"], "Articles by the outlet's ownership"))}
    return {**_timeline_extra(store, story_id, filters, outlets=result["sources"]), "coverage_bars": bars,
            "owners": {p["outlet"]: p for p in found["profiles"]}}


@view("/stories/{story_id}", template="story.html", model=models.StoryDetail, summary="One story and its timeline",
      tag="stories", extra=_story_extra)
def story(store: StoreDep, directory: DirectoryDep, filters: Filters, story_id: Annotated[str, Path(max_length=40)],
          limit: Limit = DEFAULT_LIMIT, offset: Offset = 0,
          articles: Annotated[int, Query(ge=0, le=MAX_LIMIT, description="Newest articles to list.")] = 20) -> dict:
    """A story: its sources, people, newest articles, and its timeline (filtered and paged by limit/offset)."""
    found = queries.story_row(store, story_id)
    article_total, article_rows = queries.list_articles(store, story=story_id, limit=articles)
    events = queries.timeline(store, story=story_id, **filters, limit=limit, offset=offset)
    return {**plain(found),
            "sources": queries.story_outlets(store, story_id),
            "people": queries.entities(store, "PERSON", story=story_id, limit=12),
            "articles": _page(article_total, articles, 0, article_rows),
            "timeline": {**_page(queries.count_events(store, story=story_id, **filters), limit, offset, events),
                         "filters": {"story": story_id, **_public_filters(filters)}},
            "claims": queries.count(store, "claims", story=story_id),
            "conflicts": len(queries.conflicts(store, story_id, revisions=False)),
            "coverage": outlet_report.coverage(store, story_id, directory)}


def _since(value: str | None) -> str:
    value = _blank(value)
    if value is None:
        return (datetime.now(UTC) - timedelta(days=7)).isoformat(timespec="seconds")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadParameter("since", f"{value!r} is not a date or time; use YYYY-MM-DD or an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _changes_extra(result: dict, store: Store, story_id: str, **_: Any) -> dict:
    return {"story": queries.story_row(store, story_id)}


@view("/stories/{story_id}/new", template="changes.html", model=models.ChangeList,
      summary="What changed in a story since a time", tag="stories", extra=_changes_extra)
def changes(store: StoreDep, story_id: Annotated[str, Path(max_length=40)],
            since: Annotated[str | None, Query(max_length=40, description=(
                "YYYY-MM-DD or an ISO 8601 time (UTC when no zone is given); default: 7 days ago."))] = None,
            limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    """Events added, events whose status changed, claims newly corroborated or contested, entities first seen."""
    if not queries.exists(store, "stories", story_id):
        raise StorylineError(E.NO_SUCH_ITEM, f"story {story_id}")
    moment = _since(since)
    rows = queries.changes_since(store, moment, story_id)
    return {**_page(len(rows), limit, offset, rows[offset:offset + limit]), "story": story_id, "since": moment}


# ------------------------------------------------------------------ events
def _events_extra(result: dict, store: Store, filters: dict, **_: Any) -> dict:
    return _timeline_extra(store, result["filters"]["story"], filters)


@view("/events", template="events.html", model=models.EventList, summary="The timeline: events by date",
      tag="events", extra=_events_extra)
def events(store: StoreDep, filters: Filters, story: StoryFilter = None, limit: Limit = DEFAULT_LIMIT,
           offset: Offset = 0) -> dict:
    """Events ordered by date with the sentences reporting them, filtered by story, dates, entity, outlet, type."""
    story = _story(store, story)
    rows = queries.timeline(store, story=story, **filters, limit=limit, offset=offset)
    return {**_page(queries.count_events(store, story=story, **filters), limit, offset, rows),
            "filters": {"story": story, **_public_filters(filters)}}


def _event_extra(result: EventDetail, store: Store, **_: Any) -> dict:
    ids = {m.article_id for m in result.mentions}
    ids |= {s["article"] for c in result.claims for s in c.sentences}
    # ids padded with None: a participant without an id still shows
    participants = list(zip(result.participants,
                            result.participant_ids + [None] * len(result.participants), strict=False))
    return {"labels": queries.articles_by_id(store, ids), "participants": participants}


@view("/events/{event_id}", template="event.html", model=models.EventDetail, summary="One event", tag="events",
      extra=_event_extra)
def event(store: StoreDep, event_id: Annotated[str, Path(max_length=40)]) -> Result:
    """An event: date, status, place, participants, every sentence reporting it, and the claims about it."""
    return queries.get_event(store, event_id)


# ------------------------------------------------------------------ entities
@view("/entities", template="entities.html", model=models.EntityList, summary="People, organisations, places",
      tag="entities", extra=lambda result, store, **_: {"types": queries.entity_types(store)})
def entities(store: StoreDep,
             entity_type: Annotated[str | None, Query(alias="type", max_length=12,
                                                      description="PERSON, ORG or PLACE.")] = None,
             q: Annotated[str | None, Query(max_length=200, description="Names or aliases containing this.")] = None,
             story: StoryFilter = None, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    """Entities, most mentioned first, with aliases and roles."""
    entity_type = _blank(entity_type)
    if entity_type and entity_type.upper() not in queries.entity_types(store):
        raise BadParameter("type", f"unknown entity type {entity_type!r}; use one of "
                                   f"{', '.join(queries.entity_types(store))}")
    story, q = _story(store, story), _blank(q)
    rows = queries.entities(store, entity_type, q, story, limit=limit, offset=offset)
    return _page(queries.count_entities(store, entity_type, q, story), limit, offset, rows)


def _entity_extra(result: EntityDetail, store: Store, **_: Any) -> dict:
    ids = {r["article"] for r in result.roles if r.get("article")}
    return {"labels": queries.articles_by_id(store, ids)}


@view("/entities/{entity_id}", template="entity.html", model=models.EntityDetail, summary="One entity",
      tag="entities", extra=_entity_extra)
def entity(store: StoreDep, entity_id: Annotated[str, Path(max_length=40)]) -> Result:
    """An entity: aliases, roles with the article that says so, affiliation, mentions in context, events."""
    return queries.get_entity(store, entity_id)


# ------------------------------------------------------------------ articles and outlets
@view("/articles", template="articles.html", model=models.ArticleList, summary="Articles, newest first",
      tag="articles")
def articles(store: StoreDep, story: StoryFilter = None,
             outlet: Annotated[str | None, Query(max_length=300, description="Only this outlet.")] = None,
             limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    """Articles, newest first, by story or outlet."""
    total, rows = queries.list_articles(store, _story(store, story), _blank(outlet), limit, offset)
    return _page(total, limit, offset, rows)


def _article_extra(result: dict, store: Store, **_: Any) -> dict:
    spans = render.sentence_spans(result["text"], result["events"])
    seen: dict[str, dict] = {}
    for m in result["mentions"]:
        entry = seen.setdefault(m["entity_id"],
                                {"id": m["entity_id"], "name": m["name"], "type": m["type"], "count": 0})
        entry["count"] += 1
    return {"body": render.article_html(result["text"], result["mentions"], spans),
            "placed": {s["sentence"] for s in spans},
            "entity_list": sorted(seen.values(), key=lambda e: (-e["count"], e["name"]))}


@view("/articles/{article_id:path}", template="article.html", model=models.ArticleDetail, summary="One article",
      tag="articles", extra=_article_extra)
def article(store: StoreDep, article_id: Annotated[str, Path(max_length=200)]) -> dict:
    """An article's cleaned text with its entity mentions (offsets into text) and the sentences reporting events."""
    found = plain(queries.get_article(store, article_id))
    for private in ("original", "offsets", "source"):  # bulky, or a path on the ingesting machine
        found.pop(private, None)
    return found


@view("/outlets", template="outlets.html", model=models.OutletList, summary="Outlets by number of articles",
      tag="outlets")
def outlets(store: StoreDep, directory: DirectoryDep, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    """Outlets with their article counts, first and last publication dates, and what the outlet directory says
    of them: country, ownership (state, public, private; unknown when the directory does not know the outlet)
    and parent group."""
    rows = queries.outlets(store)
    page = rows[offset:offset + limit]
    urls = queries.outlet_urls(store, [o.outlet for o in page])
    return _page(len(rows), limit, offset, [_described(o, urls.get(o.outlet, []), directory) for o in page])


def _described(row: Outlet, urls: list[str], directory: Directory) -> dict:
    """An outlet row with its country, ownership and group from the outlet directory."""
    found = outlet_report.profile(row.outlet, urls, directory)
    return {**plain(row), **{k: found[k] for k in ("country", "country_code", "ownership", "group",
                                                    "state_affiliated")}, "listed_as": found["name"]}


@view("/outlets/{name:path}", template="outlet.html", model=models.OutletDetail, summary="One outlet and its articles",
      tag="outlets")
def outlet(store: StoreDep, directory: DirectoryDep, name: Annotated[str, Path(max_length=300)],
           limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    """An outlet's country, ownership and group (from the outlet directory), and its articles, newest first."""
    summary = queries.outlet_summary(store, name)
    total, rows = queries.list_articles(store, outlet=name, limit=limit, offset=offset)
    urls = queries.outlet_urls(store, [name]).get(name, [])
    return {**_described(summary, urls, directory), "items": _page(total, limit, offset, rows)}


@view("/problems", template="problems.html", model=models.ProblemList,
      summary="What could not be read or was left out", tag="problems")
def problems(store: StoreDep, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    """Bad files and feed items, and articles left out because they took longer than their time budget."""
    total, rows = queries.problems(store, limit, offset)
    return _page(total, limit, offset, rows)


# ------------------------------------------------------------------ search
@view("/search", template="search.html", model=models.SearchResults, summary="Full-text search over articles",
      tag="search")
def search(store: StoreDep,
           q: Annotated[str, Query(max_length=500, description=(
               'Terms to find in titles and texts: words (all of them), AND, OR, NOT (upper case), "a phrase", '
               "prefix*, (groups). A query that cannot be read is answered 400."))] = "",
           limit: Annotated[int, Query(ge=0, le=100, description="Results per page (0-100).")] = 20,
           offset: Offset = 0) -> dict:
    """Articles matching q, best first, each with a snippet and the offsets of the matches."""
    total = queries.count_search(store, q)  # reads the query first: a malformed one stops here, with its reason
    hits = queries.search(store, q, limit=limit, offset=offset) if limit else []
    words = queries.search_terms(q)
    rows = []
    for hit in hits:
        snippet, highlights = render.snippet_plain(hit.snippet, words)
        rows.append({**plain(hit), "snippet": snippet, "highlights": highlights})
    return {**_page(total, limit, offset, rows), "q": q}


# ------------------------------------------------------------------ claims and conflicts
def _claims_extra(result: dict, store: Store, **_: Any) -> dict:
    ids = {s["article"] for c in result["items"] for s in c["sentences"]}
    ids |= {a for c in result["items"] for a in c["articles"]}
    subjects = {c["subject_id"] for c in result["items"]}
    return {"labels": queries.articles_by_id(store, ids), "event_subjects": queries.events_by_id(store, subjects),
            "statuses": CLAIM_STATUSES}


@view("/claims", template="claims.html", model=models.ClaimList, summary="Claims and how well they are sourced",
      tag="claims", extra=_claims_extra)
def claims(store: StoreDep, story: StoryFilter = None,
           subject: Annotated[str | None, Query(max_length=200, description=(
               "A subject id: an event id, an entity id (who is quoted), or story:<id>."))] = None,
           status: Annotated[str | None, Query(max_length=20, description=(
               "corroborated, single_source, contested or superseded."))] = None,
           limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    """Claims (dates, places, participants, figures, quotes) with the articles and sentences stating them.

    ``subject`` is what the claim is about, by name (an event's summary, a speaker's name, a story's
    title); ``subject_id`` is its id (an event, an entity, or ``story:<id>``) and ``subject_type`` says which.
    """
    status = _blank(status)
    if status and status not in CLAIM_STATUSES:
        raise BadParameter("status", f"unknown claim status {status!r}; use one of {', '.join(CLAIM_STATUSES)}")
    rows = queries.claims(store, _story(store, story), _blank(subject), status)
    page = rows[offset:offset + limit]
    names = queries.claim_subjects(store, {c.subject for c in page})
    items = [{**plain(c), "subject": names[c.subject].name, "subject_id": c.subject,
              "subject_type": names[c.subject].type} for c in page]
    return _page(len(rows), limit, offset, items)


def _side(conflict: Conflict, side: dict, stated: dict[tuple, dict[str, list[str]]], labels: dict) -> dict:
    """One value of a conflict with its sources: outlet, title and the sentences stating it, per article."""
    said = stated.get((conflict.subject, conflict.attribute, str(side.get("value"))), {})
    side = dict(side)
    for sentence in side.pop("sentences", None) or ():
        texts = said.setdefault(sentence["article"], [])
        if sentence["text"] not in texts:
            texts.append(sentence["text"])
    side["value"] = str(side.get("value"))
    side["sources"] = [{"article": a, "outlet": labels[a].outlet if a in labels else "",
                        "title": labels[a].title if a in labels else "", "sentences": said.get(a, [])}
                       for a in side.get("articles", [])]
    return side


@view("/conflicts", template="conflicts.html", model=models.ConflictList,
      summary="Where outlets disagree, sources side by side", tag="claims")
def conflicts(store: StoreDep, story: StoryFilter = None, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict:
    """Conflicting values for one fact, each value with the outlets, articles and sentences stating it.

    ``revisions`` lists the facts whose value only changed over time (a plan of 28, then 19, then 20 points):
    each value with the dates it was reported, in order; they are not conflicts and not counted in ``total``.
    """
    story = _story(store, story)
    rows = queries.conflicts(store, story, revisions=False)
    page = rows[offset:offset + limit]
    stated: dict[tuple, dict[str, list[str]]] = {}
    for claim in queries.claims(store, story=story):
        by_article = stated.setdefault((claim.subject, claim.attribute, claim.value), {})
        for sentence in claim.sentences:
            by_article.setdefault(sentence["article"], []).append(sentence["text"])
    labels = queries.articles_by_id(store, {a for c in page for v in c.values for a in v.get("articles", [])})
    items = [{**plain(conflict), "values": [_side(conflict, side, stated, labels) for side in conflict.values]}
             for conflict in page]
    return {**_page(len(rows), limit, offset, items), "revisions": plain(queries.revisions(store, story))}


# ------------------------------------------------------------------ the API's own page
def _api_index(request: Request) -> dict:
    """The JSON routes with what they answer and their parameters (from /openapi.json, the full description)."""
    schema = request.app.openapi()
    routes = [{"path": path, "method": method.upper(), "summary": op.get("summary", ""),
               "description": op.get("description", ""), "parameters": op.get("parameters", [])}
              for path, ops in schema["paths"].items() for method, op in ops.items()]
    return {"title": schema["info"]["title"], "version": schema["info"]["version"],
            "description": schema["info"].get("description", ""), "openapi": "/openapi.json", "routes": routes}


@router.get("/api.json", response_model=models.ApiIndex, summary="The JSON routes and their parameters",
            description="What /api shows: every JSON route, what it answers and its parameters; "
                        "/openapi.json is the full OpenAPI 3 description.", tags=["api"], name="api_json")
def api_json(request: Request) -> JSONResponse:
    return JSONResponse(_api_index(request))


@router.get("/api", include_in_schema=False, response_class=HTMLResponse)
def api_page(request: Request) -> HTMLResponse:
    index = _api_index(request)
    return request.app.state.render(request, "api.html", {"data": index, "routes": index["routes"],
                                                          "json_url": "/api.json"})
