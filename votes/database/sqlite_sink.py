"""The SQLite sink: rows by executemany, positions unpacked by SQLite itself, and the file's
life: an existing database is changed in one transaction; a new one (or a rebuild) is made
beside it and renamed into place, so on any problem the file is exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory

from votes.database import summaries, views
from votes.database.derive import Row
from votes.database.engine import alembic_config, engine_for, migrate
from votes.database.writer import columns
from votes.errors import RecordError

CACHE_KIB = 32768  # SQLite page cache while building a new database
# A vote's positions in one statement: a JSON array of voter_id << 16 | vote_option_id, sorted,
# which SQLite unpacks in C and appends in key order (more than twice as fast as executemany
# of one tuple per position).
INSERT_POSITIONS = (
    "INSERT INTO positions (roll_call_key, voter_id, vote_option_id) "
    "SELECT ?, value >> 16, value & 65535 FROM json_each(?)"
)


class SqliteSink:
    """Rows into one sqlite3 connection, by the models' column names."""

    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection
        self.congresses: set[int] = set()  # of the roll calls written (votes.database.summaries)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return self.db.execute(sql).fetchall()

    def execute(self, sql: str) -> None:
        self.db.execute(sql)

    def insert(self, table: str, rows: Sequence[Row]) -> None:
        self.congresses.update(summaries.congresses_of(table, rows))
        if rows:
            cols = columns(table)
            marks = ", ".join("?" * len(cols.names))
            sql = f"INSERT INTO {table} ({', '.join(cols.names)}) VALUES ({marks})"
            self.db.executemany(sql, cols.values(rows))

    def update(self, table: str, key: str, rows: Sequence[Row]) -> None:
        self.congresses.update(summaries.congresses_of(table, rows))
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
        if rolls:
            # A list's repr is its JSON array, made in C.
            self.db.executemany(
                INSERT_POSITIONS, [(key, repr(list(packed))) for key, packed in rolls]
            )


@contextmanager
def target(db: Path, fresh: bool = False) -> Iterator[SqliteSink]:
    """A sink on `db`: in place in one transaction when it is a database at the head revision
    (and not `fresh`), else on a new file (a copy of it, unless `fresh`) renamed into place."""
    if not db.parent.is_dir():
        raise RecordError(str(db), "-", f"no such directory {db.parent}")
    revision = _revision(db) if db.exists() else None
    try:
        if revision == _head() and not fresh:
            with _in_place(db) as sink:
                yield sink
        else:
            with _beside(db, copy=db.exists() and not fresh) as sink:
                yield sink
    except sqlite3.Error as e:  # disk full, locked by a reader: rolled back, said in one line
        raise RecordError(str(db), "-", f"{e}; the database is as it was") from None


def _head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _revision(db: Path) -> str | None:
    """The revision of a votes database (None: an empty file). Any other file is refused, so
    that no command replaces a database that is not ours."""
    try:
        # Read-write: a hot journal left by an interrupted import is rolled back on first read
        # (read-only, SQLite could only refuse the file).
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
def _in_place(db: Path) -> Iterator[SqliteSink]:
    """One transaction on the existing database: committed whole, or rolled back."""
    with closing(_connect(db, fast=False)) as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            _refresh_views(connection)
            sink = SqliteSink(connection)
            yield sink
            summaries.refresh(sink)
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise


@contextmanager
def _beside(db: Path, copy: bool) -> Iterator[SqliteSink]:
    """A new file beside `db`, migrated, filled, renamed into place.

    It is written with VACUUM INTO, which fills every page: fewer bytes per position.
    """
    _remove_stale(db)
    temp, packed = (db.with_name(f".{db.name}.{step}-{os.getpid()}") for step in ("new", "packed"))
    try:
        if copy:
            shutil.copyfile(db, temp)
        engine = engine_for(temp)
        migrate(engine)
        engine.dispose()
        with closing(_connect(temp, fast=True)) as connection:
            connection.execute("BEGIN")
            with _building(connection) as sink:
                yield sink
            summaries.refresh(sink)  # once the positions are in place
            connection.execute("COMMIT")
            connection.execute("VACUUM INTO ?", (str(packed),))
        if db.exists():
            shutil.copymode(db, packed)
        os.replace(packed, db)
    finally:
        _remove(temp)
        _remove(packed)


@contextmanager
def _building(connection: sqlite3.Connection) -> Iterator[SqliteSink]:
    """Into a new database, positions go straight into their table (clustered by member) and
    its index by roll call, as they arrive: each member's positions are appended at the end of
    that member's run of the table and each roll call's at the end of the index, so the pages
    written stay in the cache. That is no more work than staging them and sorting them at the
    end, and it is done while the readers read, not alone after them. VACUUM INTO then packs
    the pages."""
    yield SqliteSink(connection)


def _remove_stale(db: Path) -> None:
    """Remove what a killed run left beside `db`: temporary files of processes that are gone."""
    for leftover in db.parent.glob(f".{db.name}.*-*"):
        pid = leftover.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
    """Recreate the views if any differs from votes/database/sql/ (a database of older code)."""
    stored = dict(connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'"))
    wanted = views.create_statements()
    if any(stored.get(name, "").strip() != sql.strip() for name, sql in wanted.items()):
        for sql in [*views.drop_statements(), *wanted.values()]:
            connection.execute(sql)
