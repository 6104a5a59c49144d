"""A view's full CSV (`/votes/<view>.csv?_stream=on`) in one pass over one query.

Datasette streams a view's CSV a page at a time: each page of 1,000 rows is a new query with a
growing OFFSET, so SQLite walks every earlier row again, and each row is sent as an ASGI message
of its own. A member's 30 years (19,583 positions) took 324 ms that way, most of it re-reading.
Here the same rows come from one query, read a chunk at a time where Datasette runs its SQL,
and sent about 64 KB at a time. On a view sorted on a column that repeats, one query is also
the only way to get every row exactly once: OFFSET pages over ties may skip or repeat rows.

The output is Datasette's byte for byte (tests/test_csv_stream.py compares them): the same
columns, filters (Datasette's own `Filters` and `filters_from_request` hooks), sort (the view's
metadata sort), CSV dialect, headers, `_dl` and `_header=off`, and the time limit applies to
each chunk as Datasette applies it to each page. Two things differ, on purpose: a download
(`_dl`) is named for the filters it holds ("member_votes_member_id-S000033.csv", not
"member_votes.csv"), and an error after the first chunk ends the CSV with a line saying plainly
that it was cut, and why. Anything else (`_sort`, `_col`, `_trace`, a non-stream CSV, a table,
a size cap) is Datasette's own, unchanged: the route hands it over. Stored queries and custom
SQL stream through the same reader (votes/publish/query_csv.py).
"""

from __future__ import annotations

import asyncio
import csv
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import Any

from datasette.filters import Filters
from datasette.plugins import pm
from datasette.utils import add_cors_headers, await_me_maybe, escape_sqlite

from votes.database import views
from votes.publish import member_votes_csv, public
from votes.publish.csv_text import rows_text

# /<database>/<view>.csv for the views this package defines; everything else is Datasette's.
ROUTE = r"^/(?P<database>[^/.]+)/(?P<table>{})\.(?P<format>csv)$".format("|".join(views.names()))
# Query parameters the one-pass stream honours as Datasette does; any other hands over.
# A stream's lines made other than a column at a time (member_votes_csv): given the stream's
# connection and its database file's path, the function from a batch of rows to their lines.
LineMaker = Callable[[sqlite3.Connection, str], Callable[[list[tuple[Any, ...]]], str | None]]
HANDLED = frozenset(("_stream", "_size", "_dl", "_header", "_nofacet", "_nocount"))
CHUNK_BYTES = 64 * 1024
FETCH_ROWS = 100  # a batch of rows stays well under CHUNK_BYTES, whatever their questions


def filter_args(request: Any) -> list[tuple[str, str]]:
    """The query parameters Datasette reads as column filters (its own rule, table.py)."""
    return sorted(
        (key, value)
        for key in request.args
        if not (key.startswith("_") and "__" not in key)
        for value in request.args.getlist(key)
    )


def special_args(request: Any) -> set[str]:
    return {key for key in request.args if key.startswith("_") and "__" not in key}


async def plan(
    datasette: Any, request: Any
) -> tuple[str, dict, list[str], LineMaker | None] | None:
    """(sql, params, columns, lines) for the whole stream, or None when Datasette should
    answer; `lines`: how the lines are made when the SQL selects other columns than the
    stream's (member_votes_csv), else None."""
    database, view = request.url_vars["database"], request.url_vars["table"]
    if (
        not request.args.get("_stream")
        or not datasette.setting("allow_csv_stream")
        or datasette.setting("max_csv_mb")
        or not special_args(request) <= HANDLED
        or database not in datasette.databases
    ):
        return None
    db = datasette.get_database(database)
    if view not in await db.view_names() or not await visible(datasette, request, database, view):
        return None
    from datasette.views.table import ureg  # not at import: datasette loads this plugin early

    columns = await db.table_columns(view)
    metadata = datasette.table_metadata(database, view)
    filters = Filters(filter_args(request), metadata.get("units", {}), ureg)
    if any(column not in columns for column, _, _ in filters.selections()):
        return None  # Datasette reports the unknown column
    where, params = filters.build_where_clauses(view)
    for hook in pm.hook.filters_from_request(
        request=request, table=view, database=database, datasette=datasette
    ):
        extra = await await_me_maybe(hook)
        if extra:
            where.extend(extra.where_clauses)
            params.update(extra.params)
    order = order_by(metadata, columns)
    if order is None:
        return None  # Datasette reports the metadata sort it cannot apply
    selected, lines = member_votes_csv.stream_plan(view, columns) or (columns, None)
    return select(view, selected, where, order), params, columns, lines


async def visible(datasette: Any, request: Any, database: str, view: str) -> bool:
    allowed, _ = await datasette.check_visibility(
        request.actor,
        permissions=[
            ("view-table", (database, view)),
            ("view-database", database),
            "view-instance",
        ],
    )
    return bool(allowed)


def order_by(metadata: dict[str, Any], columns: list[str]) -> str | None:
    """The view's metadata sort as Datasette applies it; "" for none; None if it can't be."""
    sort, sort_desc = metadata.get("sort"), metadata.get("sort_desc")
    if sort and not sort_desc and sort in columns:
        return escape_sqlite(sort)
    if sort_desc and not sort and sort_desc in columns:
        return f"{escape_sqlite(sort_desc)} desc"
    return "" if not (sort or sort_desc) else None


def select(view: str, columns: list[str], where: list[str], order: str) -> str:
    sql = f"select {', '.join(map(escape_sqlite, columns))} from {escape_sqlite(view)} "
    if where:
        sql += f"where {' and '.join(where)} "
    return sql + (f"order by {order}" if order else "")


def csv_chunks(
    cursor: sqlite3.Cursor,
    header: list[str] | None,
    limit: int | None = None,
    render: Callable[[list[tuple[Any, ...]]], str | None] = rows_text,
) -> Iterator[str]:
    """The CSV text of the cursor's rows in pieces of about CHUNK_BYTES (Datasette's dialect).

    With a `limit`, the rows stop there, and if any were left a last line says so plainly.
    `render`: a batch's lines, or None for csv.writer to write them.
    """
    pieces = Pieces()
    writer = csv.writer(pieces)
    if header is not None:
        writer.writerow(header or [d[0] for d in cursor.description or ()])
    left = limit
    while batch := cursor.fetchmany(FETCH_ROWS if left is None else min(FETCH_ROWS, left + 1)):
        if left is not None and len(batch) > left:
            writer.writerows(batch[:left])
            writer.writerow([cut_note(limit or 0)])
            break
        text = render(batch)
        if text is None:
            writer.writerows(batch)
        else:
            pieces.write(text)
        left = None if left is None else left - len(batch)
        if pieces.size >= CHUNK_BYTES:
            yield pieces.take()
    yield pieces.take()


class Pieces:
    """Text written in pieces (by csv.writer too), taken out joined. A list, not io.StringIO:
    writing to a StringIO after taking its text out copied every chunk twice more."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts, self.size = [], 0
        return text


def cut_note(limit: int) -> str:
    """The last line of a CSV that stopped before its last row: what happened, what to do."""
    return (
        f"CSV cut after {limit:,} rows, the limit of a download without _stream=on; "
        "add _stream=on to this address for every row."
    )


def read_only(datasette: Any, database: str, our_sql: bool = False) -> sqlite3.Connection:
    """The database file opened for reading as Datasette opens it (mode=ro, or immutable=1),
    with Datasette's and its plugins' connection set-up, but tuples and str.

    Datasette's own text_factory (a Python call per value, for invalid UTF-8) costs a third of
    a stream's time; text written by this package is UTF-8. Not Database.connect(): it keeps
    every connection it makes, for the life of the process.
    """
    db = datasette.get_database(database)
    flags = "mode=ro" if db.is_mutable else "immutable=1"
    connection = sqlite3.connect(f"file:{db.path}?{flags}", uri=True, check_same_thread=False)
    datasette._prepare_connection(connection, database)
    # A stream too is bounded, though not by the per-query bound (it would cut a whole view's
    # CSV): a batch of FETCH_ROWS rows stays within public.MAX_RESULT_BYTES.
    most = public.MAX_RESULT_BYTES // FETCH_ROWS
    if our_sql:
        # A view's SQL, written here over the record: its few columns each bounded by SQLite
        # (no value, and no row it sorts, over `most` bytes) at no cost per row; the row
        # factory's Python call per row was a fifth of a member's 19,583-row CSV.
        connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, most)
        connection.row_factory = None
    else:
        # One's own SQL may ask for any number of columns: each row is counted.
        connection.row_factory = public.bounded_rows(most)
    connection.text_factory = str
    return connection


class Reader:
    """One query on its own read-only connection, read a chunk at a time under a time limit.

    Each chunk is read where Datasette runs SQL (inline in `votes serve`, else on its threads),
    one call at a time, so the connection is never used by two threads at once. The time limit
    applies to each chunk (as Datasette applies it to each page): a query that produces no rows
    for that long is interrupted.
    """

    def __init__(
        self,
        datasette: Any,
        database: str,
        sql: str,
        params: dict[str, Any],
        header: list[str] | None,
        rows: int | None = None,
        our_sql: bool = False,
        lines: LineMaker | None = None,
    ) -> None:
        """`header`: the column names, [] for the query's own, None for no header line;
        `rows`: the most rows to send (a plain note follows when there were more);
        `our_sql`: a view's SQL built here (see read_only); `lines`: see plan."""
        self.datasette, self.database = datasette, database
        self.sql, self.params, self.header, self.rows = sql, params, header, rows
        self.our_sql, self.lines = our_sql, lines
        self.limit = datasette.setting("sql_time_limit_ms") / 1000
        self.deadline = 0.0
        self.connection: sqlite3.Connection | None = None
        self.chunks: Iterator[str] | None = None

    def _open(self) -> Iterator[str]:
        self.connection = read_only(self.datasette, self.database, self.our_sql)
        self.connection.set_progress_handler(self._over_time, 1000)
        path = self.datasette.get_database(self.database).path
        render = rows_text if self.lines is None else self.lines(self.connection, path)
        cursor = self.connection.execute(self.sql, self.params)
        return csv_chunks(cursor, self.header, self.rows, render)

    def _over_time(self) -> int:
        return 1 if time.monotonic() > self.deadline else 0

    def next_chunk(self) -> str | None:
        self.deadline = time.monotonic() + self.limit
        if self.chunks is None:
            self.chunks = self._open()
        return next(self.chunks, None)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()

    async def run(self, fn: Callable[[], Any]) -> Any:
        """Call fn where Datasette runs SQL: on its threads, or inline when it has none."""
        if self.datasette.executor is None:
            return fn()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.datasette.executor, fn)


def headers(datasette: Any, request: Any, name: str) -> list[tuple[bytes, bytes]]:
    """Datasette's CSV headers: plain text, or with ?_dl a CSV file named for what it holds."""
    out: dict[str, str] = {}
    if datasette.cors:
        add_cors_headers(out)
    content_type = "text/plain; charset=utf-8"
    if request.args.get("_dl"):
        content_type = "text/csv; charset=utf-8"
        out["content-disposition"] = f'attachment; filename="{download_name(name, request)}"'
    out["content-type"] = content_type
    return [(key.encode(), value.encode()) for key, value in out.items()]


def download_name(name: str, request: Any) -> str:
    """A file name that says what the CSV holds: the view or query, then each filter or
    parameter given ("member_votes_member_id-S000033.csv"), in at most 120 characters."""
    given = [(k, v) for k, v in filter_args(request) if v and k != "sql"]
    words = [name, *(f"{k}-{v}" for k, v in given)]
    slug = re.sub(r"[^A-Za-z0-9.-]+", "_", "_".join(words)).strip("_.")
    return f"{slug[:120] or 'votes'}.csv"


async def stream(
    datasette: Any,
    request: Any,
    send: Any,
    sql: str,
    params: dict[str, Any],
    columns: list[str],
    name: str | None = None,
    rows: int | None = None,
    our_sql: bool = False,
    lines: LineMaker | None = None,
) -> None:
    """Send the CSV. An error on the first chunk is an error page, as Datasette's first page
    is; an error later ends the stream with a line saying plainly that it was cut, and why.
    `columns` []: the query's own; `name`: what the download is named for (the view's);
    `our_sql`: the SQL of a view's stream, built here (see read_only); `lines`: see plan."""
    from datasette.views.base import DatasetteError

    header = None if request.args.get("_header") == "off" else columns
    database = request.url_vars["database"]
    reader = Reader(datasette, database, sql, params, header, rows, our_sql, lines)
    try:
        try:
            chunk = await reader.run(reader.next_chunk)
        except sqlite3.Error as error:
            raise DatasetteError(str(error), title="Invalid SQL", status=400) from error
        start = {"type": "http.response.start", "status": 200}
        named = name or request.url_vars["table"]
        await send(dict(start, headers=headers(datasette, request, named)))
        try:
            while chunk is not None:
                await send(
                    {"type": "http.response.body", "body": chunk.encode(), "more_body": True}
                )
                await asyncio.sleep(0)  # let the process take up other requests between chunks
                chunk = await reader.run(reader.next_chunk)
        except sqlite3.Error as error:
            cut = f"\r\nCSV cut here: {error}\r\n"
            await send({"type": "http.response.body", "body": cut.encode(), "more_body": True})
    finally:
        await reader.run(reader.close)
    await send({"type": "http.response.body", "body": b""})


async def view_csv(datasette: Any, request: Any, send: Any) -> Any:
    """The route: one pass when the request is a plain stream of a view, else Datasette's."""
    planned = await plan(datasette, request)
    if planned is None:
        from datasette.views.table import TableView

        return await TableView.as_view(datasette)(request, send)
    sql, params, columns, lines = planned
    await stream(datasette, request, send, sql, params, columns, our_sql=True, lines=lines)
    return None
