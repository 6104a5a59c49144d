"""The `votes` command line: a thin layer, each command calling one library function."""

from __future__ import annotations

import os
import signal
from datetime import datetime
from pathlib import Path

import click

from votes.errors import RecordError, RecordErrors
from votes.importers import feeds
from votes.importers.fetch import Manners
from votes.paths import DATA_DIR


def _database(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """A SQLite path, or a SQLAlchemy URL of a dialect we support (checked before any work)."""
    from votes.database import targets

    path = _run(targets.sqlite_path, value)  # one line and exit 1, as for any other bad input
    if path is not None and not path.parent.is_dir():  # said before `votes update` fetches
        raise Fail(str(RecordError(str(path), "-", f"no such directory {path.parent}")))
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
WAIT_OPTION = click.option(
    "--wait/--no-wait",
    default=True,
    show_default=True,
    help="When another votes command is writing the same target (database or data/): wait "
    "for it to finish, saying whom for, or fail at once (exit 1) naming it.",
)


class Fail(click.ClickException):
    """A user error: every line names the file and record; exit 1."""

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        for line in self.message.splitlines():
            click.echo(f"Error: {line}", err=True)


MAX_NOTES = 20  # notes printed at the most; the count of the rest is said


def _notes(notes: list[RecordError]) -> None:
    """What a load could not settle yet, one line each (`Note: file:record: message`)."""
    for note in notes[:MAX_NOTES]:
        click.echo(f"Note: {note}", err=True)
    if len(notes) > MAX_NOTES:
        click.echo(f"Note: and {len(notes) - MAX_NOTES:,} more notes", err=True)


def _run(function, *args, wait: bool = True, **kwargs):  # type: ignore[no-untyped-def]
    """Call the library; its errors are one line each and exit 1. `wait`: for a writer's lock."""
    from votes.database import locks

    try:
        with locks.waiting(wait):
            return function(*args, **kwargs)
    except (RecordError, RecordErrors) as e:
        raise Fail(str(e)) from None


@click.group()
@click.version_option(package_name="votes")
def cli() -> None:
    """votes: roll calls of the U.S. Congress, and how close each came to two thirds.

    Limits on what one input may cost (import, record, update, build), from the environment:

    \b
    VOTES_MAX_INPUT_MB   the size of one record file, archive member or URL body
                         (default 64; past it the input is refused, never read whole)
    VOTES_URL_DEADLINE   seconds a whole URL fetch may take (default 60)
    """


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
    help="Archives or trees of vote (and bill) files to build from, instead of data/upstream/ "
    "(repeatable).",
)
@JOBS_OPTION
@WAIT_OPTION
def build(
    db: str,
    data_dir: Path,
    only_curated: bool,
    archives: tuple[str, ...],
    jobs: int | None,
    wait: bool,
) -> None:
    """Build a fresh database: the record in data/ and every roll call of 1989-2024 in the
    shipped archives (data/upstream/), validated; the previous one is kept on any problem.

    Where a vote is in both data/ and an archive, data/'s copy is kept. The curated vetoes
    (data/vetoes.csv) are then checked against every roll call: an override vote no veto row
    names, or a named one the record should hold but lacks, is a problem; one past what the
    record holds (a later session) is a note.
    """
    from votes.database.pipeline import build as build_db
    from votes.database.targets import display
    from votes.progress import Progress

    signal.signal(signal.SIGTERM, _interrupt)
    chosen = () if only_curated else (archives or None)
    s = _run(
        build_db, db, data_dir, chosen, jobs=jobs, progress=Progress(label="Building"), wait=wait
    )
    _notes(s.notes)
    bills = f", {s.bills:,} bill records" if s.bills else ""
    click.echo(
        f"Built {display(db)}: {s.votes:,} roll calls, {s.positions:,} positions{bills}", err=True
    )


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@DATA_OPTION
@WAIT_OPTION
def record(sources: tuple[str, ...], data_dir: Path, wait: bool) -> None:
    """Add or update roll calls (and bill records) in data/ from official or upstream files.

    SOURCES are files, directories, archives or URLs: unitedstates/congress vote or bill JSON,
    the official House Clerk / Senate LIS roll-call XML, or GPO Bill Status XML. Running it
    twice changes nothing.
    """
    from votes.record.write import record as record_sources

    changed = _run(record_sources, sources, data_dir, wait=wait)
    click.echo(f"Changed: {', '.join(changed)}" if changed else "No changes", err=True)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


@cli.command("import")
@click.argument("sources", nargs=-1, required=True)
@DB_OPTION
@JOBS_OPTION
@WAIT_OPTION
def import_(sources: tuple[str, ...], db: str, jobs: int | None, wait: bool) -> None:
    """Load roll calls and bill records straight into a database, without going through data/.

    SOURCES are unitedstates/congress vote or bill files (data.json), directories of them,
    .tar.xz / .tar.gz / .zip archives of such a tree (read as a stream), official House Clerk /
    Senate LIS roll-call XML, GPO Bill Status XML, or URLs. The database is migrated first.
    Importing the same source twice changes nothing; on any problem the database is left
    exactly as it was. Every roll call is checked as `votes build` checks data/ (ids, sources,
    options, reconciled counts). A bill record sets its measure's titles, law number and the
    President's actions, and links the roll calls it lists (one the record should hold but
    lacks is a problem; one past what it holds, a note).
    """
    from votes.database.pipeline import import_sources
    from votes.database.targets import display
    from votes.progress import Progress

    signal.signal(signal.SIGTERM, _interrupt)  # rolled back and cleaned up, as on Ctrl-C
    s = _run(import_sources, sources, db, jobs=jobs, progress=Progress(), wait=wait)
    _notes(s.notes)
    bills = f"; {s.bills:,} bill records" if s.bills else ""
    click.echo(
        f"Imported into {display(db)}: {s.added:,} added, {s.updated:,} updated, "
        f"{s.unchanged:,} unchanged ({s.positions:,} positions written){bills}",
        err=True,
    )


@cli.command()
@DB_OPTION
@click.option(
    "--congress",
    type=click.IntRange(min=101),
    default=None,
    show_default="the current one",
    help="The Congress to bring current.",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="DATE",
    help="Re-check every vote taken on or after DATE (YYYY-MM-DD), not only the last days.",
)
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    show_default="$XDG_CACHE_HOME/votes, else ~/.cache/votes",
    help="Where fetched files are kept, exactly as fetched (`votes import CACHE/records` "
    "rebuilds from them with no network).",
)
@click.option(
    "--recheck-days",
    type=click.IntRange(min=0),
    default=feeds.RECHECK_DAYS,
    show_default=True,
    help="Corrections: re-check the votes taken in the last N days.",
)
@click.option(
    "--bill-days",
    type=click.IntRange(min=0),
    default=feeds.BILL_DAYS,
    show_default=True,
    help="Re-check the Bill Status of every measure voted on in the last N days (vetoes).",
)
@click.option(
    "--house-url",
    default=feeds.HOUSE,
    show_default=True,
    metavar="URL",
    help="The House Clerk's roll calls (or a mirror of their layout).",
)
@click.option(
    "--senate-url",
    default=feeds.SENATE,
    show_default=True,
    metavar="URL",
    help="The Senate's LIS vote menus and roll calls (or a mirror).",
)
@click.option(
    "--billstatus-url",
    default=feeds.BILLSTATUS,
    show_default=True,
    metavar="URL",
    help="GPO's Bill Status bulk data (or a mirror).",
)
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=Manners.delay,
    show_default=True,
    help="Seconds between requests (one request at a time).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=Manners.timeout,
    show_default=True,
    help="Seconds without an answer before a request is retried.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=Manners.retries,
    show_default=True,
    help="Retries of a request that timed out or got a 5xx answer.",
)
@click.option(
    "--backoff",
    type=click.FloatRange(min=0),
    default=Manners.backoff,
    show_default=True,
    help="Seconds before the first retry, doubled for each next one.",
)
@JOBS_OPTION
@WAIT_OPTION
def update(
    db: str,
    congress: int | None,
    since: datetime | None,
    cache: Path | None,
    recheck_days: int,
    bill_days: int,
    house_url: str,
    senate_url: str,
    billstatus_url: str,
    delay: float,
    timeout: float,
    retries: int,
    backoff: float,
    jobs: int | None,
    wait: bool,
) -> None:
    """Bring the database current from the official feeds: the House Clerk's and the Senate's
    roll-call XML, and GPO's Bill Status of every measure voted on.

    New votes are fetched; votes of the last days, and any whose source says it changed, are
    re-checked for corrections. Every file is checked as `votes import` checks it and written
    in one transaction, or not at all. A vote the feeds list that cannot be fetched is
    reported (exit 1) and asked for again next run. Killed, it goes on next run from the files
    it had fetched.
    """
    from votes.database.targets import display
    from votes.database.update import Options, default_cache
    from votes.database.update import update as update_db

    signal.signal(signal.SIGTERM, _interrupt)
    options = Options.make(
        cache=cache or default_cache(),
        congress=congress,
        since=since.date() if since else None,
        recheck_days=recheck_days,
        bill_days=bill_days,
        bases=feeds.Bases(house_url, senate_url, billstatus_url),
        manners=Manners(delay, timeout, retries, backoff),
        jobs=jobs,
    )
    report = _run(update_db, db, options, progress=True, wait=wait)
    for line in report.lines(display(db)):
        click.echo(line, err=True)
    if report.problems:
        raise Fail("\n".join(map(str, report.problems)))


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
@click.option(
    "--immutable/--read-only",
    default=True,
    show_default=True,
    help="Immutable: the file is only ever replaced (as every `votes` command does), and a "
    "replaced file is served without a restart. Read-only: for a file something else writes "
    "in place.",
)
@click.option(
    "--custom-sql/--no-custom-sql",
    default=True,
    show_default=True,
    help="Whether anyone may run their own SQL (the SQL box, ?sql=); off for a public server "
    "that must answer only the pages and stored queries.",
)
def serve(db: str, port: int, host: str, workers: int, immutable: bool, custom_sql: bool) -> None:
    """Serve the database in Datasette with metadata.yml (Datasette publishes SQLite files)."""
    from votes.database.targets import sqlite_path
    from votes.publish.serve import serve as serve_db
    from votes.publish.swap import NotServable, servable

    path = sqlite_path(db)
    if path is None:
        raise Fail(f"{db}: Datasette serves SQLite files; build one with `votes build --db FILE`")
    try:
        servable(path)
    except NotServable as e:
        raise Fail(str(e)) from None
    serve_db(path, host, port, workers, immutable, custom_sql)
