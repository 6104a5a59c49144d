"""`votes import`: roll calls from files, trees and archives straight into a database.

Worker processes read and parse (decompress, JSON or XML, validate, normalise, pack); this
process writes. Votes travel in chunks, dealt round-robin to the workers and collected in the
same order, so a database is the same whatever the number of workers. A database that does not
exist (or is not yet at the head revision) is built beside its target and renamed into place;
an existing one is changed in one transaction. On any problem it is exactly as it was before.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sqlite3
import traceback
from collections.abc import Iterator, Sequence
from contextlib import closing, suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from alembic.script import ScriptDirectory

from votes.database import views
from votes.database.engine import alembic_config, engine_for, migrate
from votes.database.packing import Code, CodeBook, PackedVote
from votes.database.writer import Summary, Writer
from votes.errors import RecordError
from votes.importers import inputs as sources
from votes.importers.archives import Member
from votes.normalized import RollCallRecord
from votes.progress import Progress

CHUNK = 250  # votes per message between processes
STAGING = "positions_by_roll_call"  # positions as they arrive, while building a database
CACHE_KIB = 32768  # SQLite page cache while building a new database: more only slows the sort


@dataclass
class Batch:
    """A chunk of consecutive source files, as one worker read them."""

    chunk: int
    worker: int
    votes: list[PackedVote] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    skipped: int = 0  # records that are not roll calls (bill files)
    done: float = 0.0  # fraction of the input read


def import_sources(
    paths: Sequence[str], db: Path, jobs: int | None = None, progress: Progress | None = None
) -> Summary:
    """Import every roll call in `paths` into `db`, migrated to head first; all or nothing."""
    for path in paths:  # before any reader starts
        if not sources.URL.match(path) and not Path(path).exists():
            raise RecordError(path, "-", "no such file or directory")
    jobs = default_jobs() if jobs is None else jobs
    try:
        with Pipeline(list(paths), jobs) as pipeline:
            if db.exists() and _at_head(db):
                summary = _in_place(db, pipeline, progress)
            else:
                summary = _beside(db, pipeline, progress)
        if progress:  # done only once committed (and renamed into place)
            progress.finish(summary.votes)
        return summary
    except sqlite3.Error as e:  # disk full, locked by a reader: rolled back, said in one line
        if progress:
            progress.abandon()
        raise RecordError(str(db), "-", f"{e}; the database is as it was") from None
    except BaseException:
        if progress:
            progress.abandon()
        raise


def default_jobs() -> int:
    """Reader processes: one per core, at most two (the writer needs a core too)."""
    return max(1, min(2, os.cpu_count() or 1))


def _at_head(db: Path) -> bool:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    try:
        # Read-write: a hot journal left by an interrupted import is rolled back on first read
        # (read-only, SQLite could only refuse the file).
        with closing(sqlite3.connect(db, timeout=30)) as connection:
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                return False
            return connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
                head,
            )
    except sqlite3.DatabaseError as e:
        raise RecordError(str(db), "-", f"not a votes database ({e})") from None


def _in_place(db: Path, pipeline: Pipeline, progress: Progress | None) -> Summary:
    """One transaction on the existing database: committed whole, or rolled back."""
    with closing(_connect(db, fast=False)) as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            _refresh_views(connection)
            summary = _load(connection, pipeline, progress)
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
    return summary


def _beside(db: Path, pipeline: Pipeline, progress: Progress | None) -> Summary:
    """A new file beside `db` (a copy of it, if any), migrated, filled, renamed into place.

    It is written with VACUUM INTO, which fills every page: fewer bytes per position.
    """
    temp, packed = (db.with_name(f".{db.name}.{step}-{os.getpid()}") for step in ("new", "packed"))
    try:
        if db.exists():
            shutil.copyfile(db, temp)
        engine = engine_for(temp)
        migrate(engine)
        engine.dispose()
        with closing(_connect(temp, fast=True)) as connection:
            connection.execute("BEGIN")
            summary = _load(connection, pipeline, progress, building=True)
            connection.execute("COMMIT")
            connection.execute("VACUUM INTO ?", (str(packed),))
        if db.exists():
            shutil.copymode(db, packed)
        os.replace(packed, db)
        return summary
    finally:
        _remove(temp)
        _remove(packed)


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _connect(path: Path, fast: bool) -> sqlite3.Connection:
    """A connection in manual-transaction mode; `fast` only for a file no one else sees yet."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=30)
    pragmas = (
        [
            "journal_mode = OFF",
            "synchronous = OFF",
            "locking_mode = EXCLUSIVE",
            f"cache_size = -{CACHE_KIB}",
        ]
        if fast
        else ["foreign_keys = ON"]
    )
    for pragma in pragmas:
        connection.execute(f"PRAGMA {pragma}")
    return connection


def _refresh_views(connection: sqlite3.Connection) -> None:
    """Recreate the views if any differs from votes/sql/ (a database built by older code)."""
    stored = dict(connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'"))
    wanted = views.create_statements()
    if any(stored.get(name, "").strip() != sql.strip() for name, sql in wanted.items()):
        for sql in [*views.drop_statements(), *wanted.values()]:
            connection.execute(sql)


def _load(
    connection: sqlite3.Connection,
    pipeline: Pipeline,
    progress: Progress | None,
    building: bool = False,
) -> Summary:
    """Write every batch. Building a database that has no positions yet, they arrive in roll
    call order in a staging table and go into `positions` (clustered by member) in one sorted
    pass at the end, its index built after."""
    fresh = building and not connection.execute("SELECT 1 FROM positions LIMIT 1").fetchone()
    indexes = _drop_indexes(connection, "positions") if fresh else []
    if fresh:
        connection.execute(
            f"CREATE TABLE {STAGING} (roll_call_key INTEGER NOT NULL, "
            "voter_id INTEGER NOT NULL, vote_option_id INTEGER NOT NULL, "
            "PRIMARY KEY (roll_call_key, voter_id)) WITHOUT ROWID"
        )
    writer = Writer(connection, STAGING if fresh else "positions")
    for batch in pipeline:
        writer.define(batch.worker, batch.codes)
        writer.write(batch.worker, batch.votes)
        writer.summary.skipped += batch.skipped
        if progress:
            progress.update(writer.summary.votes, batch.done)
    if fresh:
        connection.execute(
            f"INSERT INTO positions (roll_call_key, voter_id, vote_option_id) "
            f"SELECT roll_call_key, voter_id, vote_option_id FROM {STAGING} "
            "ORDER BY voter_id, roll_call_key"
        )
        connection.execute(f"DROP TABLE {STAGING}")
    for sql in indexes:
        connection.execute(sql)
    return writer.summary


def _drop_indexes(connection: sqlite3.Connection, table: str) -> list[str]:
    """Drop a table's secondary indexes; returns the statements that recreate them."""
    found = connection.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    for name, _ in found:
        connection.execute(f"DROP INDEX {name}")
    return [sql for _, sql in found]


class Pipeline:
    """Reader processes feeding batches, in source order, to the writer (this process).

    Each reader writes to a pipe whose only write end it holds: if it dies, even in the middle
    of a message, the writer reads an end of file and stops the import; if the writer dies, the
    reader's next send fails and it exits. With jobs=0 the reading is done in this process, as
    a plain generator.
    """

    def __init__(self, paths: list[str], jobs: int) -> None:
        self.paths, self.jobs = paths, jobs
        self.processes: list[multiprocessing.Process] = []
        self.pipes: list[Connection] = []

    def __enter__(self) -> Pipeline:
        context = multiprocessing.get_context()
        for worker in range(self.jobs):
            receiver, sender = context.Pipe(duplex=False)
            others = list(self.pipes)  # earlier readers' pipes, which this one must not hold
            process = context.Process(
                target=_work, args=(self.paths, worker, self.jobs, sender, others), daemon=True
            )
            process.start()
            sender.close()
            self.pipes.append(receiver)
            self.processes.append(process)
        return self

    def __exit__(self, *exc: object) -> None:
        for pipe in self.pipes:
            pipe.close()
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()

    def __iter__(self) -> Iterator[Batch]:
        if not self.jobs:
            yield from read(self.paths, 0, 1)
            return
        chunk = 0
        while (batch := self._next(chunk % self.jobs)) is not None:
            yield batch
            chunk += 1

    def _next(self, worker: int) -> Batch | None:
        try:
            kind, payload = self.pipes[worker].recv()
        except EOFError:
            self.processes[worker].join()
            code = self.processes[worker].exitcode
            raise RecordError(
                ", ".join(self.paths), "-", f"reader process {worker} died (exit code {code})"
            ) from None
        if kind == "error":
            raise RecordError(*payload)
        if kind == "crash":
            raise RuntimeError(f"import worker failed:\n{payload}")
        return payload if kind == "batch" else None


def _work(
    paths: list[str], worker: int, workers: int, out: Connection, others: list[Connection]
) -> None:
    """A reader process: its batches, then ("end", None); or the error that stopped it."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the import command's handler
    for pipe in others:  # so a reader whose writer has gone gets a broken pipe, not a wait
        pipe.close()
    try:
        for batch in read(paths, worker, workers):
            out.send(("batch", batch))
        out.send(("end", None))
    except RecordError as e:
        out.send(("error", (e.file, e.record, e.message)))
    except BrokenPipeError:  # the writer has gone: nothing to report to
        pass
    except BaseException:  # reported to the writer, which stops the import
        with suppress(BrokenPipeError):
            out.send(("crash", traceback.format_exc()))


def read(paths: list[str], worker: int, workers: int, chunk: int = CHUNK) -> Iterator[Batch]:
    """This worker's batches: every chunk whose number is `worker` modulo `workers`."""
    book, batch = CodeBook(), Batch(0, worker)
    for n, entry in enumerate(entries(paths)):
        if n // chunk != batch.chunk:
            if batch.chunk % workers == worker:
                yield _closed(batch, book)
            batch = Batch(n // chunk, worker)
        batch.done = entry.done
        if batch.chunk % workers == worker:
            _add(batch, book, entry)
    if batch.chunk % workers == worker:
        yield _closed(batch, book)


def _add(batch: Batch, book: CodeBook, entry: Member) -> None:
    record = sources.parse(entry.origin, entry.read())
    if isinstance(record, RollCallRecord):
        batch.votes.append(book.pack(record))
    else:
        batch.skipped += 1


def _closed(batch: Batch, book: CodeBook) -> Batch:
    batch.codes = book.take_new()
    return batch


def entries(paths: list[str]) -> Iterator[Member]:
    """Every record file of every source, in order, read lazily where the source allows."""
    for i, path in enumerate(paths):
        for member in sources.members(path):
            yield Member(member.origin, member.read, (i + member.done) / len(paths))
