"""Where a load writes: a SQLite file or a PostgreSQL database, named by a path or a URL.

Every command that takes `--db` takes either: a path is a SQLite file, a URL is given to
SQLAlchemy (`postgresql+psycopg://user@host/db`, or `sqlite:///path`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from votes.database.writer import Sink
from votes.errors import RecordError

URL = re.compile(r"^[a-z][a-z0-9+]*://", re.I)
DIALECTS = ("sqlite", "postgresql")


def is_url(db: str | Path) -> bool:
    return bool(URL.match(str(db)))


def sqlite_path(db: str | Path) -> Path | None:
    """The file of a SQLite database named by path or sqlite:/// URL; None for a server."""
    if not is_url(db):
        return Path(db)
    url = _parsed(str(db))
    return Path(url.database or "") if url.get_backend_name() == "sqlite" else None


def _parsed(db: str):  # type: ignore[no-untyped-def]
    try:
        url = make_url(db)
    except ArgumentError as e:
        raise RecordError(db, "-", f"not a database URL ({e})") from None
    if url.get_backend_name() not in DIALECTS:
        raise RecordError(
            _hidden(db),
            "-",
            f"unsupported database {url.get_backend_name()!r}: use a SQLite "
            "file (a path) or PostgreSQL (postgresql+psycopg://user@host/db)",
        )
    if url.get_backend_name() == "postgresql" and url.get_driver_name() not in (
        "psycopg",
        "psycopg2",
        "",
    ):
        raise RecordError(
            _hidden(db), "-", "PostgreSQL is reached with psycopg 3: postgresql+psycopg://"
        )
    return url


def _hidden(db: str) -> str:
    """A URL as said in a message: without its password."""
    try:
        return make_url(db).render_as_string(hide_password=True)
    except ArgumentError:
        return db


def display(db: str | Path) -> str:
    return _hidden(str(db)) if is_url(db) else str(db)


@contextmanager
def writing(db: str | Path) -> Iterator[None]:
    """Hold the writer's lock of a SQLite database for the block (a command that reads the
    database before it loads, as `votes update` does); a server's lock is taken by each load's
    transaction (votes.database.postgres_sink)."""
    path = sqlite_path(db)
    if path is None:
        yield
        return
    from votes.database import locks

    with locks.exclusive(path, display(db)):
        yield


@contextmanager
def target(db: str | Path, fresh: bool = False) -> Iterator[Sink]:
    """A sink on the database `db`, committed whole when the block ends without an error.
    `fresh`: the database is made anew (a rebuild), not added to."""
    path = sqlite_path(db)
    if path is not None:
        from votes.database import sqlite_sink

        with sqlite_sink.target(path, fresh=fresh) as sink:
            yield sink
    else:
        from votes.database import postgres_sink

        with postgres_sink.target(
            str(
                _parsed(str(db))
                .set(drivername="postgresql+psycopg")
                .render_as_string(hide_password=False)
            ),
            fresh=fresh,
        ) as sink:
            yield sink
