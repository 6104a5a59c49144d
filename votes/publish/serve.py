"""Datasette, configured for the record: metadata.yml, templates and the votes plugin.

The one place that configures the publication: `votes serve` and the tests both get their
Datasette from `app()`, which parses `datasette_args()` with Datasette's own command line.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

from datasette.app import Datasette

from votes.paths import METADATA, TEMPLATES
from votes.publish import swap

# Published as /votes whatever the file is called: metadata.yml and every link name it so.
DATABASE_NAME = "votes"
SERVE_DB = "VOTES_SERVE_DB"  # how `serve` tells its worker processes which database to open
SERVE_MODE = "VOTES_SERVE_MODE"  # ... how to open it ("immutable" or "read-only")
SERVE_SQL = "VOTES_SERVE_SQL"  # ... and whether anyone may run custom SQL ("on" or "off")
SETTINGS = {
    "sql_time_limit_ms": "1000",
    "allow_csv_stream": "on",  # ?_stream=on: a table or view as CSV in full
    "max_csv_mb": "0",  # no cap on a streamed CSV: the whole record is the point
    "default_page_size": "100",
    # The facets worth having are set per table in metadata.yml; suggesting more costs a count
    # of every column, which at full size (millions of positions) overruns the time limit.
    "suggest_facets": "off",
    # One request at a time in each process, its SQL run inline: a busy process takes no new
    # connection, so the kernel hands it to an idle one (one process per core, see serve()).
    # With SQL threads a process awaiting its SQL accepts a second request and both share one
    # core while another core idles (2 clients: p95 of the member CSV 170 ms threaded, 63 not).
    "num_sql_threads": "0",
}


def datasette_args(db: Path, immutable: bool = True, custom_sql: bool = True) -> list[str]:
    """The `datasette serve` arguments that publish `db` the way the project means it seen:
    immutable (writers replace the file, never change it: votes/publish/swap.py), or read-only
    for a file something else writes in place; `custom_sql` off: nobody may run their own SQL."""
    given = SETTINGS | ({} if custom_sql else {"default_allow_sql": "off"})
    settings = [arg for name, value in given.items() for arg in ("--setting", name, value)]
    return [
        *(["-i"] if immutable else []),
        str(db),
        "--metadata",
        str(METADATA),
        "--template-dir",
        str(TEMPLATES),
        "--cors",  # public records: let notebooks and other sites read the JSON and CSV
        *settings,
    ]


def app(db: Path, immutable: bool = True, custom_sql: bool = True) -> Datasette:
    """The Datasette instance `datasette serve` builds from `datasette_args(db)`, its database
    named "votes" and following the file at `db` when a writer replaces it (swap.py)."""
    from datasette.cli import serve as datasette_serve

    args = datasette_args(db, immutable, custom_sql)
    context = datasette_serve.make_context("serve", args)
    datasette: Datasette = context.invoke(
        datasette_serve.callback, **context.params, return_instance=True
    )
    datasette.remove_database(datasette.get_database().name)
    swap.install(datasette, DATABASE_NAME, db.resolve(), immutable)
    return datasette


def asgi_app() -> Any:
    """The ASGI app of one server process, for the database named by $VOTES_SERVE_DB.

    The ~100,000 objects made at start-up (Datasette, Jinja, SQLAlchemy, pandas) are frozen
    out of the garbage collector's reach: otherwise every full collection walks them all, a
    30 ms stall in about one request of twenty.
    """
    immutable, custom_sql = os.environ[SERVE_MODE] == "immutable", os.environ[SERVE_SQL] == "on"
    asgi = app(Path(os.environ[SERVE_DB]), immutable, custom_sql).app()
    gc.freeze()
    return asgi


def serve(
    db: Path,
    host: str,
    port: int,
    workers: int = 1,
    immutable: bool = True,
    custom_sql: bool = True,
) -> None:
    """Serve `db` over HTTP until interrupted, in `workers` processes (one per core serves best).

    Each process builds its own Datasette (read-only SQLite, so they share nothing but the file)
    and follows the file on its own when a writer replaces it (swap.py); Datasette finishes its
    start-up on the first request.
    """
    import uvicorn

    os.environ[SERVE_DB] = str(db.resolve())
    os.environ[SERVE_MODE] = "immutable" if immutable else "read-only"
    os.environ[SERVE_SQL] = "on" if custom_sql else "off"
    uvicorn.run(
        f"{__name__}:asgi_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )
