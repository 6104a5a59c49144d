"""Datasette, configured for the record: metadata.yml, templates and the votes plugin.

The one place that configures the publication: `votes serve` and the tests both get their
Datasette from `app()`, which parses `datasette_args()` with Datasette's own command line.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from datasette.app import Datasette

from votes.db import PROJECT_ROOT

METADATA = PROJECT_ROOT / "metadata.yml"
TEMPLATES = Path(__file__).with_name("templates")
# Published as /votes whatever the file is called: metadata.yml and every link name it so.
DATABASE_NAME = "votes"
SETTINGS = {
    "sql_time_limit_ms": "3000",
    "allow_csv_stream": "on",  # ?_stream=on: a table or view as CSV in full
    "max_csv_mb": "0",  # no cap on a streamed CSV: the whole record is the point
    "default_page_size": "100",
    # The facets worth having are set per table in metadata.yml; suggesting more costs a count
    # of every column, which at full size (millions of positions) overruns the time limit.
    "suggest_facets": "off",
}


def datasette_args(db: Path) -> list[str]:
    """The `datasette serve` arguments that publish `db` the way the project means it seen."""
    settings = [arg for name, value in SETTINGS.items() for arg in ("--setting", name, value)]
    return [
        str(db),
        "--metadata",
        str(METADATA),
        "--template-dir",
        str(TEMPLATES),
        "--cors",  # public records: let notebooks and other sites read the JSON and CSV
        *settings,
    ]


def app(db: Path) -> Datasette:
    """The Datasette instance `datasette serve` builds from `datasette_args(db)`, named "votes"."""
    from datasette.cli import serve as datasette_serve

    context = datasette_serve.make_context("serve", datasette_args(db))
    datasette: Datasette = context.invoke(
        datasette_serve.callback, **context.params, return_instance=True
    )
    database = datasette.get_database()
    if database.name != DATABASE_NAME:
        datasette.remove_database(database.name)
        datasette.add_database(database, name=DATABASE_NAME)
    return datasette


def serve(db: Path, host: str, port: int) -> None:
    """Serve `db` over HTTP until interrupted."""
    import uvicorn

    datasette = app(db)
    asyncio.run(datasette.invoke_startup())
    uvicorn.run(datasette.app(), host=host, port=port, log_level="info", lifespan="on", workers=1)
