"""The PostgreSQL sink: rows by COPY (psycopg 3), in one transaction with the migrations, so a
failed load leaves the server's database exactly as it was; one writer at a time, by an
advisory lock the transaction takes first (votes.database.locks).

A first load (a database with no positions yet) drops the foreign keys and plain indexes of
every empty table, and the positions table's keys, and makes them again at the end (the
indexes after the summaries that fill some of those tables): one pass over each table instead
of a check or an index entry per row. The load's transaction runs without JIT compilation
(but for those checks: `_server_settings`), a first load analyzes with coarse statistics
(`_coarse`), and positions go by COPY's binary format (`binary_positions`), FREEZE on a first
load (`_truncate`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import psycopg
from alembic import command
from alembic.util import CommandError
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from votes.database import locks, summaries
from votes.database.derive import Row
from votes.database.engine import alembic_config, engine_for
from votes.database.models import Base
from votes.database.positions import position_rows
from votes.database.writer import columns
from votes.errors import RecordError, first_line

# Tables keyed by a number (an INTEGER id), whose sequence must go on after the ids written.
SERIAL_TABLES = tuple(
    table.name
    for table in Base.metadata.sorted_tables
    if [(c.name, c.type.python_type) for c in table.primary_key.columns] == [("id", int)]
)
# COPY's binary format (PostgreSQL docs, "COPY", Binary Format): a signature, flags and header
# extension length; then per row a field count (int16) and each field's length and value
# (int32, big-endian); then -1 as a field count.
BINARY_HEADER = b"PGCOPY\n\xff\r\n\0" + bytes(8)
BINARY_TRAILER = b"\xff\xff"
POSITION_ROW = np.dtype(
    [
        ("fields", ">i2"),
        ("key_size", ">i4"),
        ("key", ">i4"),
        ("voter_size", ">i4"),
        ("voter", ">i4"),
        ("option_size", ">i4"),
        ("option", ">i4"),
    ]
)
COPY_POSITIONS = "COPY positions (roll_call_key, voter_id, vote_option_id) FROM STDIN"
BINARY, FROZEN = "(FORMAT BINARY)", "(FORMAT BINARY, FREEZE)"  # FROZEN: see _truncate
LOAD_SETTINGS = {"jit": "off"}  # for the load's transaction alone: see _tune
FIRST_LOAD_SETTINGS = {"default_statistics_target": "10"}  # and a first load's: see _coarse
INSERT_ORDER = [table.name for table in Base.metadata.sorted_tables]  # referred to first


class PostgresSink:
    """Rows into one psycopg connection, by the models' column names.

    New rows are held and sent as one COPY per table when the writer next asks anything else
    of the sink (or at the end), tables in the models' dependency order; updates are held too,
    and follow, in their order: a batch of votes costs a few round trips to the server, not one
    per new source or measure (1989-2020: 897 COPYs of sources and 783 UPDATEs of measures
    before updates were held).
    """

    dialect = "postgresql"

    def __init__(self, connection: psycopg.Connection, frozen: bool = False) -> None:
        self.db = connection
        self.copy_positions = f"{COPY_POSITIONS} {FROZEN if frozen else BINARY}"
        self.pending: dict[str, list[Row]] = {}
        self.updates: list[tuple[str, list[tuple[Any, ...]]]] = []  # (UPDATE, values), in order

        self.touched = summaries.Touched()  # what this load wrote, for summaries.refresh

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        self.flush()
        with self.db.cursor() as cursor:
            return cursor.execute(sql).fetchall()

    def execute(self, sql: str) -> None:
        self.flush()
        with self.db.cursor() as cursor:
            cursor.execute(sql.encode())

    def insert(self, table: str, rows: Sequence[Row]) -> None:
        self.touched.note(table, rows)
        if rows:
            self.pending.setdefault(table, []).extend(rows)

    def flush(self) -> None:
        """Send the rows held, a COPY per table, each after the tables it refers to; then the
        updates held, in their order (each statement's rows in one pipelined executemany)."""
        pending, self.pending = self.pending, {}
        for table in sorted(pending, key=INSERT_ORDER.index):
            cols = columns(table)
            sql = f"COPY {table} ({', '.join(cols.names)}) FROM STDIN"
            with self.db.cursor() as cursor, cursor.copy(sql) as copy:
                for values in cols.values(pending[table]):
                    copy.write_row(values)
        updates, self.updates = self.updates, []
        with self.db.cursor() as cursor:
            for sql, rows in updates:
                cursor.executemany(sql.encode(), rows)

    def update(self, table: str, key: str, rows: Sequence[Row]) -> None:
        self.touched.note(table, rows)
        if rows:
            cols = columns(table, without=(key,), only=rows[0])
            sets = ", ".join(f"{c} = %s" for c in cols.names)
            sql = f"UPDATE {table} SET {sets} WHERE {key} = %s"
            keys = [r[key] for r in rows]
            values = [(*v, k) for v, k in zip(cols.values(rows), keys, strict=True)]
            if self.updates and self.updates[-1][0] == sql:  # the same statement: one more row
                self.updates[-1][1].extend(values)
            else:
                self.updates.append((sql, values))

    def delete(self, table: str, column: str, values: Sequence[Any]) -> None:
        if values:
            self.flush()
            with self.db.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s)", (list(values),))

    def insert_positions(self, rolls: Sequence[tuple[int, Sequence[int]]]) -> None:
        if rolls:
            self.flush()
            with self.db.cursor() as cursor, cursor.copy(self.copy_positions) as copy:
                copy.write(binary_positions(rolls))


def binary_positions(rolls: Sequence[tuple[int, Sequence[int]]]) -> bytes:
    """Positions as COPY's binary format (header, rows of three int4 fields, trailer), made by
    numpy from the rows positions.position_rows unpacks. A fifth of the time of the text
    format in Python, and no parsing of numbers by the server."""
    unpacked = position_rows(rolls)
    rows = np.empty(len(unpacked), POSITION_ROW)
    rows["fields"] = 3
    for size in ("key_size", "voter_size", "option_size"):
        rows[size] = 4  # bytes: the columns are INTEGER (a BIGINT would refuse the rows)
    rows["key"], rows["voter"], rows["option"] = unpacked.T
    return BINARY_HEADER + rows.tobytes() + BINARY_TRAILER


@contextmanager
def target(url: str, fresh: bool = False) -> Iterator[PostgresSink]:
    """A sink on a PostgreSQL database, migrated to head (and emptied first when `fresh`),
    all in one transaction that first takes the writer's advisory lock: committed when the
    block ends without an error."""
    shown = _shown(url)
    engine = engine_for(url)
    try:
        with engine.connect() as connection, connection.begin():
            raw = connection.connection.driver_connection
            assert isinstance(raw, psycopg.Connection)
            locks.advisory(raw, shown)  # first: one writer at a time, until this commits
            _tune(raw)
            _migrate(connection, shown, fresh)
            with _bulk(raw) as sink:
                yield sink
            _restart_sequences(raw)
    except DBAPIError as e:
        raise RecordError(shown, "-", first_line(e.orig or e)) from None
    except psycopg.Error as e:
        raise RecordError(shown, "-", first_line(e)) from None
    finally:
        engine.dispose()


def _tune(db: psycopg.Connection) -> None:
    """Settings for this load's transaction alone (SET LOCAL): no JIT compilation. The tables
    a load fills have no statistics yet, so the planner guesses the end-of-load statements
    costly enough to compile: 11 of threshold_math's 12 seconds on the 1989-2020 archive were
    spent compiling it."""
    _set_local(db, LOAD_SETTINGS)


def _set_local(db: psycopg.Connection, settings: dict[str, str]) -> None:
    """Settings for the rest of the transaction (SET LOCAL)."""
    with db.cursor() as cursor:
        for name, value in settings.items():
            cursor.execute("SELECT set_config(%s, %s, true)", (name, value))


@contextmanager
def _server_settings(db: psycopg.Connection) -> Iterator[None]:
    """The server's own settings instead of the load's (LOAD_SETTINGS) for the block: the
    checks of positions' foreign keys, each a join of its 9.5 million rows (1989-2020), are
    a sixth faster with JIT compilation (0.85 s instead of 1.0 s each), which compiles the
    one small join in a few milliseconds."""
    with db.cursor() as cursor:
        for name in LOAD_SETTINGS:
            cursor.execute(
                "SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name = %s",
                (name,),
            )
    yield
    _tune(db)


def _shown(url: str) -> str:
    from votes.database.targets import display

    return display(url)


def _migrate(connection: Connection, shown: str, fresh: bool) -> None:
    """Empty the database (a rebuild) and migrate it to head, in the caller's transaction."""
    config = alembic_config(connection)
    try:
        if fresh:
            command.downgrade(config, "base")
        command.upgrade(config, "head")
    except CommandError as e:
        raise RecordError(shown, "-", f"a database at an unknown revision ({e})") from None


@contextmanager
def _bulk(db: psycopg.Connection) -> Iterator[PostgresSink]:
    """A sink, and the end of its load: the summaries (summaries.refresh). A first load (no
    positions yet) fills its empty tables first and checks them after: their foreign keys
    are dropped and made again at the end, one check of each table instead of a trigger per
    row (vote_counts' 108,000 rows of 1989-2020: 0.3 s instead of 1.6 s); positions' primary
    key too, one sort instead of an index entry per row; and their plain indexes, made after
    the summaries, so that the stored tables are filled without an entry per row in each of
    their 15 indexes. (Not on a later load: dropping a key locks its table, and readers would
    wait for the load.) A first load's positions are copied frozen: see _truncate."""
    empty = _empty_tables(db)
    first = "positions" in empty
    dropped = Dropped()
    for table in empty if first else []:
        dropped += _drop_keys(db, table, everything=table == "positions")
    if first:
        _truncate(db, "positions")
        _coarse(db)
    sink = PostgresSink(db, frozen=first)
    yield sink
    sink.flush()
    _run(db, dropped.keys)  # first: a foreign key may refer to one
    with _server_settings(db):
        _run(db, dropped.foreign)
    summaries.refresh(sink)  # once positions' key is back: threshold_math reads them by it
    _run(db, dropped.indexes)


def _coarse(db: psycopg.Connection) -> None:
    """A first load's ANALYZE samples 3,000 rows a table (statistics target 10), not 30,000:
    0.2 s instead of 1.1 s on 1989-2020, with the same plans for the views' filtered pages.
    It gives the planner statistics from the moment the load commits; autovacuum, which counts
    every row of a first load as a change at that commit, analyzes the tables again soon after
    at the server's own target (tests/test_postgres_load.py). A later load, whose few rows
    autovacuum would not count enough, analyzes at the server's target itself."""
    _set_local(db, FIRST_LOAD_SETTINGS)


def _truncate(db: psycopg.Connection, table: str) -> None:
    """Truncate a table found empty (its keys dropped, the load holds its lock): its file is
    then new in this transaction, so COPY may write its rows FREEZE, visible to all once
    committed (no hint bit for the first readers to set on every page, the pages marked
    all-visible for index-only scans), and as nothing at all if the load fails."""
    with db.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}".encode())


@dataclass
class Dropped:
    """The statements that make again what a first load dropped, in the order they run."""

    keys: list[str] = field(default_factory=list)  # primary keys, other constraints
    foreign: list[str] = field(default_factory=list)  # after the keys they may refer to
    indexes: list[str] = field(default_factory=list)  # plain ones: after the summaries

    def __iadd__(self, other: Dropped) -> Dropped:
        self.keys += other.keys
        self.foreign += other.foreign
        self.indexes += other.indexes
        return self


def _run(db: psycopg.Connection, statements: list[str]) -> None:
    with db.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql.encode())


def _empty_tables(db: psycopg.Connection) -> list[str]:
    """The models' tables that hold no row, in one query."""
    sql = " UNION ALL ".join(
        f"SELECT '{table}' WHERE NOT EXISTS (SELECT 1 FROM {table})" for table in INSERT_ORDER
    )
    with db.cursor() as cursor:
        return [row[0] for row in cursor.execute(sql.encode()).fetchall()]


def _drop_keys(db: psycopg.Connection, table: str, everything: bool) -> Dropped:
    """Drop a table's foreign keys and plain indexes (not a unique one: a duplicate row is
    refused as it comes), or `everything`: all its constraints and indexes; returns the
    statements that make them again."""
    with db.cursor() as cursor:
        constraints = cursor.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND (contype = 'f' OR %s) ORDER BY contype DESC",
            (table, everything),
        ).fetchall()
        indexes = cursor.execute(
            "SELECT index.relname, pg_get_indexdef(pg_index.indexrelid) FROM pg_index "
            "JOIN pg_class AS index ON index.oid = pg_index.indexrelid "
            "WHERE pg_index.indrelid = %s::regclass AND (NOT pg_index.indisunique OR %s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = pg_index.indexrelid)",
            (table, everything),
        ).fetchall()
        for name, _, _ in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}".encode())
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}".encode())
    make = {n: f"ALTER TABLE {table} ADD CONSTRAINT {n} {d}" for n, _, d in constraints}
    return Dropped(
        keys=[make[n] for n, c, _ in sorted(constraints, key=lambda c: c[1] != "p") if c != "f"],
        foreign=[make[n] for n, c, _ in constraints if c == "f"],
        indexes=[d for _, d in indexes],
    )


def _restart_sequences(db: psycopg.Connection) -> None:
    """The writer hands out ids itself (COPY writes them as they are): each id sequence goes
    on after the largest, so that a row added by hand or by SQL gets a new one."""
    with db.cursor() as cursor:
        for table in SERIAL_TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE(MAX(id), 0) + 1, false) FROM {table} "
                f"WHERE pg_get_serial_sequence('{table}', 'id') IS NOT NULL"
            )
