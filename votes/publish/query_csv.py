"""The CSV of a stored query (`/votes/<query>.csv`) or of custom SQL (`/votes.csv?sql=...`):
every row with `_stream=on`, in one pass at constant memory (votes.publish.csv_stream's reader);
without it, the rows Datasette would give (max_returned_rows) and, if there were more, a last
line saying plainly that the CSV was cut and how to get every row.

Datasette 0.65 answers both with one page of at most 1,000 rows, `_stream=on` or not, and says
nothing of the rest: override_math_of_congress gave 1,000 of the 116th's 1,674 roll calls.

The same permissions as Datasette's (view-query for a stored query, execute-sql for custom
SQL), the same read-only check of custom SQL, the same named parameters (missing ones are ""),
the same time limit (to each chunk, as csv_stream applies it). A write query, `_trace`, or any
other special parameter is Datasette's own: the route hands the request over.
"""

from __future__ import annotations

import hashlib
from typing import Any

from datasette.utils import derive_named_parameters

from votes.publish import csv_stream

# Query parameters answered here as Datasette answers them; any other hands over.
HANDLED = frozenset(("_stream", "_size", "_dl", "_header", "_nofacet", "_nocount", "_timelimit"))
SQL_ROUTE = r"^/(?P<database>[^/.]+)\.(?P<format>csv)$"


def query_route(names: list[str]) -> str:
    """/<database>/<stored query>.csv for the stored queries metadata.yml names."""
    return r"^/(?P<database>[^/.]+)/(?P<table>{})\.(?P<format>csv)$".format("|".join(names))


def stored_query_names(datasette: Any) -> list[str]:
    """Every stored query of every database in metadata.yml."""
    databases = (datasette.metadata() or {}).get("databases") or {}
    return sorted({name for db in databases.values() for name in (db.get("queries") or {})})


def handled(request: Any) -> bool:
    return csv_stream.special_args(request) <= HANDLED


def rows_allowed(datasette: Any, request: Any) -> int | None:
    """Every row with _stream=on (when streaming is allowed), else Datasette's page limit."""
    if request.args.get("_stream") and datasette.setting("allow_csv_stream"):
        return None
    return int(datasette.setting("max_returned_rows"))


async def named_values(datasette: Any, database: str, sql: str, request: Any) -> dict[str, str]:
    """Each :name of the SQL with its value from the request, "" when not given."""
    names = await derive_named_parameters(datasette.get_database(database), sql)
    return {n: request.args.get(n) or "" for n in names if not n.startswith("_")}


async def stored_query_csv(datasette: Any, request: Any, send: Any) -> Any:
    """A stored query's CSV: every row with _stream=on."""
    from datasette.utils.asgi import Forbidden
    from datasette.views.table import TableView

    database, name = request.url_vars["database"], request.url_vars["table"]
    query = None
    if database in datasette.databases and handled(request):
        query = await datasette.get_canned_query(database, name, request.actor)
    if query is None or query.get("write"):
        return await TableView.as_view(datasette)(request, send)
    visible, _ = await datasette.check_visibility(
        request.actor,
        permissions=[
            ("view-query", (database, name)),
            ("view-database", database),
            "view-instance",
        ],
    )
    if not visible:
        raise Forbidden("You do not have permission to view this query")
    params = await named_values(datasette, database, query["sql"], request)
    rows = rows_allowed(datasette, request)
    await csv_stream.stream(datasette, request, send, query["sql"], params, [], name, rows)
    return None


async def sql_csv(datasette: Any, request: Any, send: Any) -> Any:
    """Custom SQL's CSV (/votes.csv?sql=...): every row with _stream=on."""
    from datasette.utils import InvalidSql, validate_sql_select
    from datasette.views.base import DatasetteError
    from datasette.views.database import DatabaseView

    database, sql = request.url_vars["database"], request.args.get("sql")
    if not sql or database not in datasette.databases or not handled(request):
        return await DatabaseView.as_view(datasette)(request, send)
    await datasette.ensure_permissions(
        request.actor, [("execute-sql", database), ("view-database", database), "view-instance"]
    )
    try:
        validate_sql_select(sql)
    except InvalidSql as error:
        raise DatasetteError(str(error), title="Invalid SQL", status=400) from error
    params = await named_values(datasette, database, sql, request)
    name = f"{database}_sql_{hashlib.sha1(sql.encode()).hexdigest()[:8]}"
    rows = rows_allowed(datasette, request)
    await csv_stream.stream(datasette, request, send, sql, params, [], name, rows)
    return None
