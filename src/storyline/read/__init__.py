"""The read layer: the only code outside ``storyline.store`` that queries the store.

The web app, the reports, the export and the CLI call ``queries`` (every read function in one
import) and get records back, never SQL rows:

- ``queries``     the whole API, re-exported from the modules below;
- ``records``     the records (frozen dataclasses) every function returns, and ``plain`` to make JSON of them;
- ``stories``     the list of stories, one story, a story's outlets;
- ``events``      the timeline (filtered, paged, counted), one event, chart points, events by id;
- ``entities``    entity lists, one entity with mentions in context, where entities are named;
- ``articles``    one article, article lists, articles by id, outlets;
- ``search``      full-text search: the query syntax (AND, OR, NOT, "phrases", prefix*) parsed and compiled safely;
- ``claims``      claims and conflicts, and the names of what claims are about;
- ``changes``     what changed since a time or a cursor, and the problems met reading sources;
- ``framing``     what the framing report reads: a story's texts with analyses, who reports which fact;
- ``connection``  opening a store read-only, and its name for display;
- ``base``        paging, JSON columns, id chunks, counts and existence by table.
"""
