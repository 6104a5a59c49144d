"""The `votes` command line: a thin layer, each command calling one library function."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import click

from votes.errors import RecordError, RecordErrors
from votes.paths import DATA_DIR


def _database(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """A SQLite path, or a SQLAlchemy URL of a dialect we support (checked before any work)."""
    from votes.database import targets

    _run(targets.sqlite_path, value)  # one line and exit 1, as for any other bad input
    return value


DB_OPTION = click.option(
    "--db",
    callback=_database,
    default="votes.db",
    show_default=True,
    help="The database: a SQLite file, or a URL such as postgresql+psycopg://user@host/votes.",
)
JOBS_OPTION = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=None,
    help="Reader processes (0: read in this process).  [default: cores, at most 2]",
)
DATA_OPTION = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DATA_DIR,
    show_default="the project's data/",
    help="The directory holding the record's CSV files.",
)


class Fail(click.ClickException):
    """A user error: every line names the file and record; exit 1."""

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        for line in self.message.splitlines():
            click.echo(f"Error: {line}", err=True)


def _run(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return function(*args, **kwargs)
    except (RecordError, RecordErrors) as e:
        raise Fail(str(e)) from None


@click.group()
@click.version_option(package_name="votes")
def cli() -> None:
    """votes: roll calls of the U.S. Congress, and how close each came to two thirds."""


@cli.command()
@DB_OPTION
@DATA_OPTION
@click.option(
    "--only-curated",
    is_flag=True,
    help="Only the record in data/ (the 2020 war-powers votes): quick, for tests and review.",
)
@click.option(
    "--archive",
    "archives",
    multiple=True,
    type=click.Path(exists=True, dir_okay=True),
    help="Archives or trees of vote files to build from, instead of data/upstream/ (repeatable).",
)
@JOBS_OPTION
def build(
    db: str, data_dir: Path, only_curated: bool, archives: tuple[str, ...], jobs: int | None
) -> None:
    """Build a fresh database: the record in data/ and every roll call of 1989-2024 in the
    shipped archives (data/upstream/), validated; the previous one is kept on any problem.

    Where a vote is in both data/ and an archive, data/'s copy is kept.
    """
    from votes.database.pipeline import build as build_db
    from votes.database.targets import display
    from votes.progress import Progress

    signal.signal(signal.SIGTERM, _interrupt)
    chosen = () if only_curated else (archives or None)
    s = _run(build_db, db, data_dir, chosen, jobs=jobs, progress=Progress(label="Building"))
    click.echo(f"Built {display(db)}: {s.votes:,} roll calls, {s.positions:,} positions", err=True)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@DATA_OPTION
def record(sources: tuple[str, ...], data_dir: Path) -> None:
    """Add or update roll calls (and bill records) in data/ from official or upstream files.

    SOURCES are files, directories, archives or URLs: unitedstates/congress vote or bill JSON,
    the official House Clerk / Senate LIS roll-call XML, or GPO Bill Status XML. Running it
    twice changes nothing.
    """
    from votes.record.write import record as record_sources

    changed = _run(record_sources, sources, data_dir)
    click.echo(f"Changed: {', '.join(changed)}" if changed else "No changes", err=True)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


@cli.command("import")
@click.argument("sources", nargs=-1, required=True)
@DB_OPTION
@JOBS_OPTION
def import_(sources: tuple[str, ...], db: str, jobs: int | None) -> None:
    """Load roll calls straight into a database, without going through data/.

    SOURCES are unitedstates/congress vote files (data.json), directories of them, .tar.xz /
    .tar.gz / .zip archives of such a tree (read as a stream), official House Clerk / Senate
    LIS roll-call XML, or URLs. The database is migrated first. Importing the same source twice
    changes nothing; on any problem the database is left exactly as it was. Every roll call
    is checked as `votes build` checks data/ (ids, sources, options, reconciled counts).
    """
    from votes.database.pipeline import import_sources
    from votes.database.targets import display
    from votes.progress import Progress

    signal.signal(signal.SIGTERM, _interrupt)  # rolled back and cleaned up, as on Ctrl-C
    s = _run(import_sources, sources, db, jobs=jobs, progress=Progress())
    skipped = f"; {s.skipped:,} other records skipped" if s.skipped else ""
    click.echo(
        f"Imported into {display(db)}: {s.added:,} added, {s.updated:,} updated, "
        f"{s.unchanged:,} unchanged ({s.positions:,} positions written){skipped}",
        err=True,
    )


@cli.command()
@DB_OPTION
@click.option("-p", "--port", default=8001, show_default=True, help="Port to serve on.")
@click.option("-h", "--host", default="127.0.0.1", show_default=True, help="Host to bind to.")
@click.option(
    "-w",
    "--workers",
    type=click.IntRange(min=1),
    default=min(4, os.cpu_count() or 1),
    show_default="one per core, at most 4",
    help="Server processes.",
)
def serve(db: str, port: int, host: str, workers: int) -> None:
    """Serve the database in Datasette with metadata.yml (Datasette publishes SQLite files)."""
    from votes.database.targets import sqlite_path
    from votes.publish.serve import serve as serve_db

    path = sqlite_path(db)
    if path is None:
        raise Fail(f"{db}: Datasette serves SQLite files; build one with `votes build --db FILE`")
    if not path.exists():
        raise Fail(f"{path}: no such database; run `votes build` first")
    serve_db(path, host=host, port=port, workers=workers)
