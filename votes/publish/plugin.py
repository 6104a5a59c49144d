"""The votes Datasette plugin: the charts (a roll call against its threshold on roll call and
measure pages, against two thirds on override_math pages), what row pages add (votes/publish/
pages.py), links from views' cells to their rows, filters that work on computed columns, the
search results' links, and full CSV streams of views, stored queries and custom SQL
(votes/publish/csv_stream.py, query_csv.py).

Registered as the `votes` entry point of the `datasette` group (pyproject.toml). The templates in
votes/publish/templates/ (passed with --template-dir by votes.serve) extend Datasette's own and
place what this plugin provides.
"""

from __future__ import annotations

import asyncio
import re
import urllib.parse
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any

from datasette import hookimpl
from datasette.filters import FilterArguments, Filters
from datasette.utils import tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from votes.database import summaries, views
from votes.publish import csv_stream, member_votes_csv, pages, public, query_csv
from votes.publish.charts import two_thirds_svg
from votes.publish.swap import pin_requests

CHART_COLUMNS = frozenset(
    (
        "roll_call_id",
        "chamber",
        "date",
        "status",
        "yea",
        "nay",
        "present",
        "not_voting",
        "voting",
        "two_thirds_needed",
        "margin",
        "switches_needed",
    )
)
MAX_TABLE_CHARTS = 10  # a table page draws charts only when it shows this few rows
# A unitedstates/congress vote id ("s84-116.2020"): its dot is not a format extension.
VOTE_ID_PATH = r"^/(?P<database>[^/.]+)/roll_calls/(?P<vote_id>[hs][0-9]+-[0-9]+\.[0-9]{4})$"


def two_thirds_chart(row: Mapping[str, Any]) -> Markup:
    """The chart of an override_math row as a template sees it (a sqlite3.Row or a dict)."""
    values = dict(row)
    if not CHART_COLUMNS <= values.keys():
        return Markup("")
    return two_thirds_svg(values)


def table_charts(table: str | None, rows: list[Any]) -> list[Markup]:
    """Charts for an override_math table page that shows few enough rows to draw one each."""
    if table != "override_math" or not 0 < len(rows) <= MAX_TABLE_CHARTS:
        return []
    return [chart for chart in map(two_thirds_chart, rows) if chart]


# ---- links from the views' and stored queries' columns to the rows they name ------------------

# Read once: render_cell asks for every cell of a page. The views, and the views of old now
# stored (override_math, ...): no foreign keys for Datasette to follow, so these columns lead to
# their rows' pages.
VIEWS = frozenset(views.names()) | frozenset(summaries.STORED)
ROW_LINKS = {
    "roll_call_id": "roll_calls",
    "override_roll_call_id": "roll_calls",
    "member_id": "members",
    "measure_id": "measures",
}


def row_link(datasette: Any, database: str, column: str, value: Any) -> Markup | None:
    """A link to the row a view's cell names: a roll call, a member, a measure (by id or by
    its label); None for any other cell."""
    if value is None or value == "":
        return None
    text = str(value)
    if column == "measure":
        query = urllib.parse.urlencode({"label": text})
        href = f"{datasette.urls.table(database, 'measures')}?{query}"
    elif column in ROW_LINKS:
        href = datasette.urls.row(database, ROW_LINKS[column], tilde_encode(text))
    else:
        return None
    return Markup(f'<a href="{escape(href)}">{escape(text)}</a>')


SEARCH_TARGETS = {"member": "members", "measure": "measures", "roll_call": "roll_calls"}


def search_link(datasette: Any, database: str, row: Any, value: Any) -> Markup:
    """A search result's title, linked to the page of what it found."""
    target = SEARCH_TARGETS[row["entity"]]
    href = datasette.urls.row(database, target, tilde_encode(str(row["ref"])))
    return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Any:
    """In a view or a stored query (not a table, whose foreign keys Datasette links itself);
    and a search result's title."""
    if table == "search_entries" and column == "title":
        return search_link(datasette, database, row, value)
    if table is not None and table not in VIEWS:
        if column.endswith("_id"):  # a foreign key, on a row page: its label
            return pages.labelled(datasette, database, table, column, value)
        return None
    return row_link(datasette, database, column, value)


# ---- filters on a view's computed columns ---------------------------------------------------

# A view column computed by an expression (CASE ... THEN 1, yea - needed) has no type, so SQLite
# compares it with the text '1' a filter or facet link passes as text, and finds nothing:
# override_math?override_vote=1 showed 0 rows where the facet counted 66. A number-like value
# filtering such a column is passed as the number it spells.
NUMBER = re.compile(r"-?\d+(\.\d+)?")
NUMBER_LOOKUPS = frozenset(("exact", "not", "gt", "gte", "lt", "lte", "in", "notin"))


def as_number(value: Any) -> Any:
    """ "1" -> 1, "-13" -> -13, "12.5" -> 12.5; anything else unchanged."""
    text = str(value)
    if not NUMBER.fullmatch(text):
        return value
    return float(text) if "." in text else int(text)


def numbered_filters(filters: Filters, table: str) -> Iterator[tuple[str, str, str, Any]]:
    """(param, column, lookup, value) of each parameter Datasette's Filters gives its WHERE
    clauses, numbered as Filters.build_where_clauses numbers them (p0, p1, ...)."""
    i = 0
    for column, lookup, value in filters.selections():
        found = filters._filters_by_key.get(lookup)
        if found is None:
            continue
        _, param = found.where_clause(table, column, filters.convert_unit(column, value), i)
        for one in [] if param is None else param if isinstance(param, list) else [param]:
            yield f"p{i}", column, lookup, one
            i += 1


@hookimpl
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    """Number-like filter values on untyped (computed) columns, as numbers."""

    async def inner() -> FilterArguments | None:
        args = csv_stream.filter_args(request)
        if not args or not table or database not in datasette.databases:
            return None
        db = datasette.get_database(database)
        untyped = {c.name for c in await db.table_column_details(table) if not c.type}
        if not untyped:
            return None
        from datasette.views.table import ureg  # not at import: Datasette loads plugins early

        units = datasette.table_metadata(database, table).get("units", {})
        params = {
            param: as_number(value)
            for param, column, lookup, value in numbered_filters(Filters(args, units, ureg), table)
            if column in untyped and lookup in NUMBER_LOOKUPS
        }
        return FilterArguments([], params)

    return inner


@hookimpl
def extra_template_vars(
    template: str, database: str | None, table: str | None, request: Any, datasette: Any
) -> Callable[[], Awaitable[dict[str, Any]]]:
    async def inner() -> dict[str, Any]:
        page = pages.RowPage()
        pks = request.url_vars.get("pks") if request is not None else None
        if template == "row.html" and database and pks:
            page = await pages.row_page(datasette, database, table, pks)
        extra = pages.database_page(datasette, database) if template == "database.html" else {}
        return {"page": page, "table_charts": table_charts, **extra}

    return inner


# ---- a view too large to count whole is counted when filtered --------------------------------

# /votes/member_votes or /votes/member_votes.json: a view page (not its CSV, which never counts).
VIEW_PAGE = re.compile(r"^/(?P<database>[^/.]+)/(?P<table>[^/.]+?)(?:\.json)?$")
# Marks the _nocount=1 added here, so that it is taken off again when it comes back in a link
# the page wrote (a facet or a filter): a filtered page is counted.
ADDED = ("_uncounted", "1")


def uncounted(datasette: Any, scope: dict[str, Any]) -> dict[str, Any]:
    """The request for a whole view whose metadata says `count: filtered` (member_votes: 10.6
    million rows, counted in seconds) with Datasette's own _nocount=1 added; any other request
    without the _nocount=1 this added to the page it came from."""
    if scope.get("type") != "http":
        return scope
    query = scope.get("query_string", b"").decode("latin-1")
    args = urllib.parse.parse_qsl(query, keep_blank_values=True)
    kept = [(k, v) for k, v in args if k not in ("_nocount", ADDED[0])] if ADDED in args else args
    if whole_view_uncounted(datasette, scope.get("path", ""), kept):
        kept = [*kept, ("_nocount", "1"), ADDED]
    if kept == args:
        return scope
    return dict(scope, query_string=urllib.parse.urlencode(kept).encode("latin-1"))


def whole_view_uncounted(datasette: Any, path: str, args: list[tuple[str, str]]) -> bool:
    """A page of a whole view (no filter, no search) that metadata says to count only filtered."""
    found = VIEW_PAGE.match(path)
    if not found:
        return False
    config = datasette.plugin_config("votes", found["database"], found["table"]) or {}
    filtered = any(
        not (k.startswith("_") and "__" not in k) or k.startswith("_search") for k, _ in args
    )
    return config.get("count") == "filtered" and not filtered


# Datasette's connections read the file through a memory map (SQLite's mmap_size): the pages
# every request reads (the roll calls, the views' lookups) come from the OS page cache without
# a read() call each; the figures of benchmarks/RESULTS.md are taken with it (a fifth to a third
# off the views' counts and facets at full size).
MMAP_BYTES = 1 << 30


@hookimpl
def startup(datasette: Any) -> Callable[[], Awaitable[None]]:
    """member_votes' CSV texts (member_votes_csv) made on a thread as a process starts, so the
    first download does not wait for them."""

    async def warm() -> None:
        loop = asyncio.get_running_loop()
        for db in datasette.databases.values():
            if db.path:
                loop.run_in_executor(None, member_votes_csv.warm, db.path)

    return warm


@hookimpl
def prepare_connection(conn: Any) -> None:
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    public.bound(conn)


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[Any], Any]:
    """Each request runs on one generation of a replaced file, whole views counted when filtered."""
    pinned = pin_requests(datasette)

    def wrap(app: Any) -> Any:
        async def counted_when_filtered(scope: dict[str, Any], receive: Any, send: Any) -> None:
            await app(uncounted(datasette, scope), receive, send)

        return pinned(counted_when_filtered)

    return wrap


async def vote_id_redirect(datasette: Any, request: Any) -> Response:
    """/votes/roll_calls/s84-116.2020 -> the row page, whose id Datasette writes s84-116~2E2020."""
    database, vote_id = request.url_vars["database"], request.url_vars["vote_id"]
    return Response.redirect(datasette.urls.row(database, "roll_calls", tilde_encode(vote_id)))


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Callable[..., Awaitable[Any]]]]:
    routes: list[tuple[str, Callable[..., Awaitable[Any]]]] = [
        (VOTE_ID_PATH, vote_id_redirect),
        (csv_stream.ROUTE, csv_stream.view_csv),
        (query_csv.SQL_ROUTE, query_csv.sql_csv),
        *public.routes(datasette),
    ]
    names = query_csv.stored_query_names(datasette)
    if names:
        routes.append((query_csv.query_route(names), query_csv.stored_query_csv))
    return routes


# ---- a public server: bounded SQL results, no paths, 400 for a bad sort (public.py) ---------


@hookimpl
def handle_exception(request: Any, exception: Exception) -> None:
    public.as_bad_request(request, exception)
