"""Alembic environment: batch mode for SQLite, foreign keys on, views kept out of the way."""

from __future__ import annotations

import os
from contextlib import contextmanager

from alembic import context

from votes.database import search, views
from votes.database.engine import engine_for
from votes.database.models import Base

target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Compare tables only; views are defined in votes/sql/, not by migrations, and the search's
    full-text index (SQLite FTS5 and its own tables) is built by each load."""
    unmodelled = name in views.names() or name.startswith(search.FTS)
    return not (type_ == "table" and reflected and compare_to is None and unmodelled)


def run_migrations(connection) -> None:  # type: ignore[no-untyped-def]
    """Migrate with the views out of the way; recreate them once the schema is at head.

    SQLite batch migrations fail while a view references the table (alembic #1207), and
    PostgreSQL will not drop a table a view depends on.
    """
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
    )
    views.drop_all(connection)
    with _foreign_keys_checked_after(connection), context.begin_transaction():
        context.run_migrations()
    if _at_head():
        views.create_all(connection)


@contextmanager
def _foreign_keys_checked_after(connection):  # type: ignore[no-untyped-def]
    """On SQLite, foreign keys are off while migrating and every one is checked after.

    A batch migration rebuilds a table by dropping it, and dropping a table that others refer
    to fails while they are enforced (on in every connection, votes.database.engine). SQLite
    takes the pragma only outside a transaction, as here before the first migration.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys = ON")
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration broke {len(broken)} foreign keys, e.g. {broken[0]}")


def _at_head() -> bool:
    heads = set(context.script.get_heads())
    return set(context.get_context().get_current_heads()) == heads


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url") or os.environ.get("VOTES_DB", "votes.db")
    with engine_for(url).begin() as connection:
        run_migrations(connection)


if context.is_offline_mode():
    raise SystemExit("offline (--sql) mode is not supported: migrate a database")
run_online()
