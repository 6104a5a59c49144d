"""What a public server needs from the plugin: SQL results of bounded size, no filesystem
paths, and a 400 (not a 500) for a sort on a column that is not there.

Datasette's time limit (sql_time_limit_ms) stops SQL that runs long, but not SQL that is quick
and big: `select zeroblob(1000000000)` took SQLite no time and grew a server process by 5 GB
while Python copied, encoded and rendered the blob. So every read connection gets SQLite's own
bound on one string or blob (SQLITE_LIMIT_LENGTH: SQLite refuses to make a bigger one, at once),
and a bound on the text and blobs of all the rows one query hands to Python. A query over
either fails as any bad SQL does: an error message, status 400. And SQL of one's own may not
call printf (see SLOW_FUNCTIONS).
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Callable
from typing import Any

from datasette.views.base import DatasetteError

# The record's longest value is ~4 KB (a full-text index page); a view's longest a few hundred.
MAX_VALUE_BYTES = 1_000_000
# Text and blobs of the rows of one query. 1,000 rows of the widest view are ~200 KB, of the
# full-text index's own table ~4 MB. A process answering holds up to ~22 times this (measured:
# zero bytes, decoded, escaped as JSON "\u0000", encoded, sent): ~110 MB at most.
MAX_RESULT_BYTES = 5_000_000
TOO_BIG = (
    f"result too big: more than {MAX_RESULT_BYTES:,} bytes of text and blobs "
    f"(at most {MAX_VALUE_BYTES:,} in one value)"
)
RowFactory = Callable[[sqlite3.Cursor, tuple[Any, ...]], Any]


def bounded(make_row: RowFactory | None) -> RowFactory:
    """A row factory that counts the bytes of each query's text and blobs (per cursor: Datasette
    runs each query on a new one) and stops the query past MAX_RESULT_BYTES."""
    last: list[Any] = [None, 0]  # a weak reference to the cursor being counted, its bytes

    def row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> Any:
        if last[0] is None or last[0]() is not cursor:
            last[0], last[1] = weakref.ref(cursor), 0
        last[1] += sum(len(v) for v in values if isinstance(v, (str, bytes)))
        if last[1] > MAX_RESULT_BYTES:
            raise sqlite3.DataError(TOO_BIG)
        return values if make_row is None else make_row(cursor, values)

    return row


def bounded_rows(most: int) -> RowFactory:
    """A row factory for a CSV stream, which may send any number of rows a batch at a time:
    each row may carry at most `most` bytes of text and blobs, so one batch stays small."""

    def row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> Any:
        if sum(len(v) for v in values if isinstance(v, (str, bytes))) > most:
            raise sqlite3.DataError(f"a row too large to stream (at most {most:,} bytes)")
        return values

    return row


# SQLite 3.40's printf('%.*c', 1000000000, 'x') loops once per character asked for, even past
# SQLITE_LIMIT_LENGTH: ~10 s of CPU in one step, which the time limit cannot interrupt. The
# record's views and stored queries use neither; a view's own use (named in `source`) is allowed.
SLOW_FUNCTIONS = frozenset(("printf", "format"))


def authorize(action: int, arg1: str | None, arg2: str | None, _: Any, source: Any) -> int:
    """An SQLite authorizer for read connections: the file column of pragma_database_list
    reads as NULL (the path of the file is this machine's business), and SQL of one's own may
    not call printf or format."""
    if action == sqlite3.SQLITE_READ and arg1 == "pragma_database_list" and arg2 == "file":
        return sqlite3.SQLITE_IGNORE
    if (
        action == sqlite3.SQLITE_FUNCTION
        and source is None
        and (arg2 or "").lower() in SLOW_FUNCTIONS
    ):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def bound(connection: sqlite3.Connection) -> None:
    """Bound what one query on `connection` may cost in memory, and hide the file's path."""
    connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    connection.row_factory = bounded(connection.row_factory)
    connection.set_authorizer(authorize)


def unknown_sort(request: Any, exception: Exception) -> bool:
    """Datasette's own error for ?_sort or ?_sort_desc on a column it cannot sort by."""
    if not isinstance(exception, DatasetteError) or request is None or exception.status != 500:
        return False
    asked = (request.args.get("_sort"), request.args.get("_sort_desc"))
    return exception.message in {f"Cannot sort table by {c}" for c in asked if c is not None}


def as_bad_request(request: Any, exception: Exception) -> None:
    """A sort on a column that is not there is the asker's mistake: 400, as Datasette's own
    error page or JSON says it (its handler, which runs after this one, renders it)."""
    if unknown_sort(request, exception):
        exception.status = 400  # type: ignore[attr-defined]


def databases_without_paths(datasette: Any) -> list[dict[str, Any]]:
    """/-/databases.json as Datasette gives it, without where the files are on this machine."""
    return [
        {key: value for key, value in database.items() if key != "path"}
        for database in datasette._connected_databases()
    ]


def routes(datasette: Any) -> list[tuple[str, Callable[..., Any]]]:
    """Datasette's /-/databases page and JSON, without paths (routes of plugins come first)."""
    from datasette.views.special import JsonDataView

    view = JsonDataView.as_view(
        datasette, "databases.json", lambda: databases_without_paths(datasette)
    )
    return [(r"^/-/databases(\.(?P<format>json))?$", view)]
