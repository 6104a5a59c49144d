"""The SQLite sink: rows by executemany, positions unpacked by SQLite itself, and the file's
life: every load (build, import, update) fills a new file beside the database, under the
writer's lock (votes.database.locks), and renames it into place, so the served file is never
written and on any problem (or a crash) it is exactly as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from alembic.script import ScriptDirectory

from votes.database import locks, summaries, views
from votes.database.derive import Row
from votes.database.engine import alembic_config, engine_for, migrate
from votes.database.positions import position_rows
from votes.database.writer import columns
from votes.errors import RecordError
from votes.files import fsync_path

# SQLite page cache while building a new database. Since positions go in sorted batches, 4 MB
# inserts them as fast as 32 MB did (10.2-10.4 s for the whole record at 4, 8 and 32 MB),
# and the end of a load takes as long at 8 MB as at 32 (3.7 s): the writer's memory at the end
# of reading, 200 -> 170 MB.
CACHE_KIB = 8192
# Positions go ROWS_PER_INSERT to a statement: an INSERT of one row a position spent a third
# of its time in the statement's own steps and resets (3 million positions of 1989-2020 in
# the writer's order: 5.1 s one a statement, 3.4 s a hundred). The last few go one at a time.
# A batch's positions go in the primary key's order, each voter's together, one after another
# into the same pages: the whole record's positions took 13.9 s in the order they come and
# 10.2 s sorted (numpy's sort, unlike a sort of Python tuples, costs next to nothing).
ROWS_PER_INSERT = 100
INSERT_POSITIONS = "INSERT INTO positions (roll_call_key, voter_id, vote_option_id) VALUES "
INSERT_POSITION_ROWS = INSERT_POSITIONS + ", ".join(["(?, ?, ?)"] * ROWS_PER_INSERT)


class SqliteSink:
    """Rows into one sqlite3 connection, by the models' column names."""

    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection
        self.touched = summaries.Touched()  # what this load wrote, for summaries.refresh

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return self.db.execute(sql).fetchall()

    def execute(self, sql: str) -> None:
        self.db.execute(sql)

    def insert(self, table: str, rows: Sequence[Row]) -> None:
        self.touched.note(table, rows)
        if rows:
            cols = columns(table)
            marks = ", ".join("?" * len(cols.names))
            sql = f"INSERT INTO {table} ({', '.join(cols.names)}) VALUES ({marks})"
            self.db.executemany(sql, cols.values(rows))

    def update(self, table: str, key: str, rows: Sequence[Row]) -> None:
        self.touched.note(table, rows)
        if rows:
            cols = columns(table, without=(key,), only=rows[0])
            sets = ", ".join(f"{c} = ?" for c in cols.names)
            values = cols.values(rows)
            keys = [r[key] for r in rows]
            self.db.executemany(
                f"UPDATE {table} SET {sets} WHERE {key} = ?",
                [(*v, k) for v, k in zip(values, keys, strict=True)],
            )

    def delete(self, table: str, column: str, values: Sequence[Any]) -> None:
        self.db.executemany(f"DELETE FROM {table} WHERE {column} = ?", [(v,) for v in values])

    def insert_positions(self, rolls: Sequence[tuple[int, Sequence[int]]]) -> None:
        rows = position_rows(rolls)
        rows = rows[np.lexsort((-rows[:, 0], rows[:, 1]))]  # the key's order: voter, newest first
        whole = len(rows) - len(rows) % ROWS_PER_INSERT
        self.db.executemany(
            INSERT_POSITION_ROWS, rows[:whole].reshape(-1, 3 * ROWS_PER_INSERT).tolist()
        )
        self.db.executemany(INSERT_POSITIONS + "(?, ?, ?)", rows[whole:].tolist())


@contextmanager
def target(db: Path, fresh: bool = False) -> Iterator[SqliteSink]:
    """A sink on a new file beside `db` (a copy of it, unless it is missing or `fresh`),
    renamed into place when the block ends without an error, under the writer's lock.

    The file at `db` is never written in place: a reader (Datasette) only ever opens a whole
    database, and a crash at any point leaves it exactly as it was, with no journal to roll back.
    """
    with locks.exclusive(db):
        revision = _revision(db) if db.exists() else None
        try:
            with _beside(db, copy=db.exists() and not fresh, at_head=revision == _head()) as sink:
                yield sink
        except sqlite3.Error as e:  # disk full, a bad file: said in one line
            raise RecordError(str(db), "-", f"{e}; the database is as it was") from None


def _head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _revision(db: Path) -> str | None:
    """The revision of a votes database (None: an empty file). Any other file is refused, so
    that no command replaces a database that is not ours."""
    try:
        # Read-write: a hot journal left by an older version's interrupted import is rolled
        # back on first read (read-only, SQLite could only refuse the file).
        with closing(sqlite3.connect(db, timeout=30)) as connection:
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                if tables:
                    raise RecordError(str(db), "-", "not a votes database (no alembic_version)")
                return None
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as e:
        raise RecordError(str(db), "-", f"not a votes database ({e})") from None
    known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if row is not None and row[0] not in known:
        raise RecordError(str(db), "-", f"a database at an unknown revision {row[0]!r}")
    return row[0] if row else None


@contextmanager
def _beside(db: Path, copy: bool, at_head: bool) -> Iterator[SqliteSink]:
    """A new file beside `db` (a plain copy of it when `copy`), migrated, filled, made durable
    and renamed into place; left unrenamed when a copy at head came out unchanged (a re-import),
    so the served inode stays.

    A database filled from no positions (a build, a first import) is written again with VACUUM
    INTO, which fills every page: fewer bytes per position. A copy only takes the changes.
    """
    _remove_stale(db)
    temp, packed = (temp_file(db, step) for step in ("new", "packed"))
    try:
        if copy:
            _durably(lambda: shutil.copyfile(db, temp), db)
        if not (copy and at_head):  # (migrations drop and recreate every view)
            engine = engine_for(temp)
            migrate(engine)
            engine.dispose()
        with closing(_connect(temp, foreign_keys=copy)) as connection:
            before = _schema_version(connection)
            pack = not connection.execute("SELECT 1 FROM positions LIMIT 1").fetchone()
            connection.execute("BEGIN")
            _refresh_views(connection)
            # Into a new database, positions go straight into their table (clustered by member)
            # and its index by roll call as they arrive: each member's at the end of that
            # member's run, each roll call's at the end of the index, so the pages written stay
            # in the cache; no staging and no sort alone at the end. VACUUM INTO packs them.
            sink = SqliteSink(connection)
            yield sink
            summaries.refresh(sink)  # once the positions are in place
            connection.execute("COMMIT")
            if copy and at_head and not _changed(connection, before):
                return
            if pack:
                connection.execute("VACUUM INTO ?", (str(packed),))
        _durably(lambda: _replace(packed if pack else temp, db), db)
    finally:
        _remove(temp)
        _remove(packed)


def temp_file(db: Path, step: str) -> Path:
    """A file this process writes beside `db` before renaming it into place."""
    return db.with_name(f".{db.name}.{step}-{os.getpid()}")


def _schema_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA schema_version").fetchone()[0])


def _changed(connection: sqlite3.Connection, schema_version: int) -> bool:
    """Whether the load changed a row or the schema (views) of its copy."""
    return connection.total_changes > 0 or _schema_version(connection) != schema_version


def _replace(new: Path, db: Path) -> None:
    """`new` onto disk, then renamed to `db` (with `db`'s permissions), the rename on disk too:
    after a crash `db` is the old file or the new one, whole."""
    if db.exists():
        shutil.copymode(db, new)
    fsync_path(new)
    os.replace(new, db)
    fsync_path(db.parent)


def _durably(step: Callable[[], object], db: Path) -> None:
    """A file operation on the way to `db`; a failure (disk full) in one line."""
    try:
        step()
    except OSError as e:
        raise RecordError(str(db), "-", f"{e.strerror or e}; the database is as it was") from None


def _remove_stale(db: Path) -> None:
    """Remove what killed runs left beside `db` (`.NAME.new-PID`, `.NAME.packed-PID`,
    `.NAME.building-PID` and their journals). Called under the writer's lock, so any such file
    but this process's own is a leftover, whether or not its pid has been given to another
    process since. The lock file (`.NAME.lock`) is never one of them."""
    pattern = re.compile(rf"\.{re.escape(db.name)}\.[a-z]+-(\d+)(-journal|-wal|-shm)?")
    for leftover in db.parent.glob(f".{db.name}.*-*"):
        found = pattern.fullmatch(leftover.name)
        if found and int(found[1]) != os.getpid():
            leftover.unlink(missing_ok=True)


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _connect(path: Path, foreign_keys: bool) -> sqlite3.Connection:
    """A connection in manual-transaction mode to a file no one else sees yet (no journal, no
    syncing until it is renamed into place); `foreign_keys` as any write to a database has them,
    for a copy of one (a new file is filled by the one writer from scratch)."""
    connection = sqlite3.connect(path, isolation_level=None, timeout=30)
    pragmas = [
        "journal_mode = OFF",
        "synchronous = OFF",
        "locking_mode = EXCLUSIVE",
        f"cache_size = -{CACHE_KIB}",
        f"foreign_keys = {'ON' if foreign_keys else 'OFF'}",
    ]
    for pragma in pragmas:
        connection.execute(f"PRAGMA {pragma}")
    return connection


def _refresh_views(connection: sqlite3.Connection) -> None:
    """Recreate the views if any differs from votes/database/sql/ (a database of older code)."""
    stored = dict(connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'"))
    wanted = views.create_statements()
    if any(stored.get(name, "").strip() != sql.strip() for name, sql in wanted.items()):
        for sql in [*views.drop_statements(), *wanted.values()]:
            connection.execute(sql)
