"""Every table and view of a database as plain rows to compare, on SQLite or PostgreSQL.

`tables` gives each table as stored (surrogate ids included); `canonical` replaces every
surrogate id by the natural key it stands for (a source by its URL, a measure by congress, type
and number, a voter by member, party and state, a vote option by its raw text, a roll call's key
by its id) and drops the surrogate columns themselves, so two databases that hold the same record
compare equal whatever order their rows were written in. Values are made dialect-free (dates as
ISO text, booleans as 0/1, decimals as numbers) and rows are sorted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import inspect

from votes.database import views
from votes.database.engine import engine_for
from votes.database.models import Base

# table -> its surrogate column; table -> the natural key that column stands for.
SURROGATE_IDS = {
    "sources": "id",
    "measures": "id",
    "voters": "id",
    "vote_options": "id",
    "presidential_actions": "id",
    "roll_calls": "key",
}
# Tables computed at the end of a load, whose row numbers follow the order of computation:
# compared without them.
ROW_NUMBERED = {"member_stats": "id"}
# Tables computed at the end of a load that hold a surrogate id without a foreign key (a key
# would stop a load from replacing the roll call it was computed from): column -> its table.
COMPUTED_REFERENCES = {"override_math": {"measure_id": "measures"}}
NATURAL_KEYS = {
    "sources": ("url",),
    "measures": ("congress", "type", "number"),
    "voters": ("member_id", "party", "state"),
    "vote_options": ("raw_option",),
    "roll_calls": ("id",),
}


@dataclass(frozen=True)
class Rows:
    """A table's or view's column names and its rows, sorted."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def tables(db: str | Path) -> dict[str, Rows]:
    """Every table but alembic_version, every column, as stored."""
    engine = engine_for(db)
    try:
        with engine.connect() as connection:
            # The models' tables: not SQLite's own (sqlite_stat1) nor the full-text index's.
            present = set(inspect(connection).get_table_names())
            names = sorted(present & set(Base.metadata.tables))
            return {
                name: _without_row_number(name, _select(connection, f"SELECT * FROM {name}"))
                for name in names
            }
    finally:
        engine.dispose()


def view_rows(db: str | Path) -> dict[str, Rows]:
    """Every view of votes/database/sql/, every column."""
    engine = engine_for(db)
    try:
        with engine.connect() as connection:
            return {name: _select(connection, f"SELECT * FROM {name}") for name in views.names()}
    finally:
        engine.dispose()


def _without_row_number(name: str, table: Rows) -> Rows:
    if name not in ROW_NUMBERED:
        return table
    keep = [i for i, c in enumerate(table.columns) if c != ROW_NUMBERED[name]]
    rows = [tuple(r[i] for i in keep) for r in table.rows]
    return Rows(tuple(table.columns[i] for i in keep), sorted(rows, key=row_order))


def canonical(db: str | Path) -> dict[str, Rows]:
    """Every table with surrogate ids replaced by natural keys (and the surrogates dropped)."""
    stored = tables(db)
    engine = engine_for(db)
    try:
        with engine.connect() as connection:
            inspector = inspect(connection)
            references = {
                name: _references(inspector, name) | COMPUTED_REFERENCES.get(name, {})
                for name in stored
            }
    finally:
        engine.dispose()
    keys = {name: _natural_keys(name, stored[name]) for name in NATURAL_KEYS}
    return {name: _by_natural_keys(name, stored[name], references[name], keys) for name in stored}


def _references(inspector: Any, table: str) -> dict[str, str]:
    """column -> the table whose surrogate id it holds."""
    found = {}
    for fk in inspector.get_foreign_keys(table):
        target, (column,), (referred,) = (
            fk["referred_table"],
            fk["constrained_columns"],
            fk["referred_columns"],
        )
        if SURROGATE_IDS.get(target) == referred:
            assert target in NATURAL_KEYS, f"{table}.{column}: no natural key for {target}"
            found[column] = target
    return found


def _natural_keys(name: str, table: Rows) -> dict[Any, Any]:
    """A table's surrogate id -> its natural key (a value, or a tuple of several)."""
    at = {c: i for i, c in enumerate(table.columns)}
    surrogate, natural = at[SURROGATE_IDS[name]], [at[c] for c in NATURAL_KEYS[name]]
    return {
        row[surrogate]: row[natural[0]] if len(natural) == 1 else tuple(row[i] for i in natural)
        for row in table.rows
    }


def _by_natural_keys(
    name: str, table: Rows, references: dict[str, str], keys: dict[str, dict[Any, Any]]
) -> Rows:
    kept = [
        (i, column) for i, column in enumerate(table.columns) if column != SURROGATE_IDS.get(name)
    ]
    columns = tuple(
        f"{c}->{'+'.join(NATURAL_KEYS[references[c]])}" if c in references else c for _, c in kept
    )
    lookups = [keys[references[c]] if c in references else None for _, c in kept]
    rows = [
        tuple(
            row[i] if lookup is None or row[i] is None else lookup[row[i]]
            for (i, _), lookup in zip(kept, lookups, strict=True)
        )
        for row in table.rows
    ]
    return Rows(columns, sorted(rows, key=row_order))


def _select(connection: Any, sql: str) -> Rows:
    result = connection.exec_driver_sql(sql)
    rows = [tuple(map(plain, row)) for row in result]
    return Rows(tuple(result.keys()), sorted(rows, key=row_order))


def plain(value: Any) -> Any:
    """A value as both dialects can agree on it."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        return round(value, 9)
    return value


def row_order(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A sort key for rows with NULLs (first) and values of one type per column."""
    return tuple((v is not None, type(v).__name__, v) for v in row)


def differences(left: dict[str, Rows], right: dict[str, Rows]) -> dict[str, str]:
    """For each table or view that differs: its first differing row, or what else differs."""
    out = {}
    for name in sorted(set(left) | set(right)):
        a, b = left.get(name), right.get(name)
        if a is None or b is None:
            out[name] = "missing on the left" if a is None else "missing on the right"
        elif a.columns != b.columns:
            out[name] = f"columns {a.columns} != {b.columns}"
        elif a.rows != b.rows:
            extra_a, extra_b = set(a.rows) - set(b.rows), set(b.rows) - set(a.rows)
            first = sorted(extra_a, key=row_order)[:1], sorted(extra_b, key=row_order)[:1]
            out[name] = f"{len(a.rows)} rows != {len(b.rows)} rows; first {first[0]} / {first[1]}"
    return out
