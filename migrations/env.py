"""Alembic environment: batch mode for SQLite, foreign keys on, views kept out of the way."""

from __future__ import annotations

import os

from alembic import context

from votes.db import engine_for
from votes.models import Base

target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Compare tables only; views are managed by votes.views, not by migrations."""
    return not (type_ == "table" and reflected and compare_to is None and name in _views())


def _views() -> set[str]:
    from votes import views

    return set(views.names())


def run_migrations(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


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
