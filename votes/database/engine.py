"""Engines and migrations: Alembic creates and evolves every database (views: see env.py)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection

from votes.paths import ALEMBIC_INI, MIGRATIONS


def url_for(db: str | Path) -> str:
    """A SQLAlchemy URL for a path (SQLite) or a URL passed through (PostgreSQL)."""
    text = str(db)
    return text if "://" in text else f"sqlite:///{Path(text).resolve()}"


def engine_for(db: str | Path) -> Engine:
    """An engine; on SQLite every connection enforces foreign keys."""
    engine = create_engine(url_for(db))
    if engine.dialect.name == "sqlite":
        # At every checkout, not only on connect: a migration turns them off for a while
        # (migrations/env.py), and the pool hands the same connection out again.
        event.listen(engine, "checkout", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, pointed at migrations/ (and at a live connection if given)."""
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade to `revision`; migrations/env.py drops the views and recreates them at head."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)
