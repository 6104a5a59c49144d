"""`votes serve` follows its file: a database replaced by rename is served without a restart.

Writers never change the served file: they fill a new one beside it and rename it over the path
(votes/database/sqlite_sink.py). So a connection keeps reading the file it opened, whole, and a
new file shows as a new inode at the path. Each server process looks at the path (one stat) at
most once a second, when a request comes. On a change it opens the new file on a thread and
computes there what Datasette caches for an immutable database (its table counts and sha256,
~0.5 s for the whole record), then swaps it in. A request runs on the databases current when it
began, to its end (the old file stays open until its last request is done, then is closed);
requests that begin after the swap get the new file. Nothing slow runs on the request path.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import sqlite3
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # not at import: Datasette loads this package's plugin while importing its app
    from datasette.app import Datasette
    from datasette.database import Database

CHECK_SECONDS = 1.0  # how often a process looks at the path (on a request), at most
# The tables every votes database has: a file without them is not one (not served, not swapped).
OUR_TABLES = ("alembic_version", "roll_calls")

Asgi = Callable[
    [dict, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[Any]
]
# The databases a request runs on (with the Datasette they belong to): those current when it began.
PINNED: contextvars.ContextVar[tuple[Datasette, dict[str, Database]] | None] = (
    contextvars.ContextVar("votes_pinned_databases", default=None)
)


class NotServable(Exception):
    """The file at the path cannot be served: missing, not SQLite, or not a votes database."""


class Moved(Exception):
    """The path changed again while the new file was being opened: try at the next check."""


@dataclass(frozen=True)
class FileId:
    """What tells one file at a path from another: a rename gives a new inode."""

    device: int
    inode: int
    size: int
    mtime_ns: int


def file_id(path: Path) -> FileId | None:
    """The identity of the file at `path` now; None when there is none."""
    try:
        s = os.stat(path)
    except FileNotFoundError:
        return None
    return FileId(s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns)


def check_ours(connection: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is not a votes database, in one line."""
    try:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = {row[0] for row in rows}
    except sqlite3.DatabaseError as error:
        raise NotServable(f"{path}: not a votes database ({error})") from None
    missing = [name for name in OUR_TABLES if name not in tables]
    if missing:
        raise NotServable(f"{path}: not a votes database (no {', '.join(missing)} table)")


def table_counts(connection: sqlite3.Connection) -> dict[str, int]:
    """Every table's row count, as Datasette counts them for an immutable database."""
    names = [
        r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    return {
        name: connection.execute(f"SELECT count(*) FROM [{name}]").fetchone()[0] for name in names
    }


def servable(path: Path) -> None:
    """Raise NotServable (one line) unless `path` is a votes database: for `votes serve`."""
    if file_id(path) is None:
        raise NotServable(f"{path}: no such database; run `votes build` first")
    connection = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        check_ours(connection, path)
    finally:
        connection.close()


def open_database(
    datasette: Datasette, name: str, path: Path, immutable: bool
) -> tuple[Database, FileId]:
    """The file now at `path` as a Database named `name`, its read connection open (so it keeps
    this file, whatever comes to the path later) and, immutable, its counts and hash computed.

    Slow (a read of the whole file): called on a thread, or before the server starts.
    """
    from datasette.database import Database
    from datasette.inspect import inspect_hash

    before = file_id(path)
    if before is None:
        raise NotServable(f"{path}: no such database; run `votes build` first")
    database = Database(datasette, str(path), is_mutable=not immutable)
    database.name = database.route = name
    connection = database.connect()
    try:
        check_ours(connection, path)
        datasette._prepare_connection(connection, name)
        if immutable:
            database._cached_table_counts = table_counts(connection)
            database.cached_hash = inspect_hash(path)
            database.cached_size = before.size
        if file_id(path) != before:
            raise Moved(str(path))
    except BaseException:
        database.close()
        raise
    database._read_connection = connection  # Datasette's one connection when SQL runs inline
    return database, before


@dataclass(eq=False)
class Generation:
    """One file as served: Datasette's databases with it, and the requests running on them."""

    databases: dict[str, Database]
    database: Database
    file: FileId
    active: int = 0
    retired: bool = False

    def close_when_done(self) -> None:
        if self.retired and self.active == 0:
            self.database.close()


def say(message: str) -> None:
    """One line in the server's log (uvicorn's, on stderr)."""
    print(f"votes serve [{os.getpid()}]: {message}", file=sys.stderr, flush=True)


class Swapper:
    """The database `name` of one Datasette, followed at `path` (see the module's docstring)."""

    def __init__(self, datasette: Datasette, name: str, path: Path, immutable: bool) -> None:
        if datasette.executor is not None:
            raise ValueError("swapping needs num_sql_threads 0: thread-local connections by name")
        self.datasette, self.name, self.path, self.immutable = datasette, name, path, immutable
        database, found = open_database(datasette, name, path, immutable)
        databases = datasette.databases.copy()
        databases[name] = database
        datasette.databases = databases
        self.current = Generation(databases, database, found)
        self.checked = time.monotonic()
        self.pending: asyncio.Task[None] | None = None
        self.refused: FileId | None = None  # a file said to be unservable: not tried again
        self.missing = False

    def begin(self) -> Generation:
        """A request begins: look at the path (at most once a second); its generation."""
        self.check()
        generation = self.current
        generation.active += 1
        return generation

    def end(self, generation: Generation) -> None:
        generation.active -= 1
        generation.close_when_done()

    def check(self) -> None:
        """Start opening a new file at the path, if there is one (off the request path)."""
        now = time.monotonic()
        if (self.pending and not self.pending.done()) or now - self.checked < CHECK_SECONDS:
            return
        self.checked = now
        found = file_id(self.path)
        if found is None:
            if not self.missing:
                say(f"{self.path}: gone; still serving the file opened before")
            self.missing = True
            return
        self.missing = False
        if found in (self.current.file, self.refused):
            return
        self.pending = asyncio.get_running_loop().create_task(self.replace())

    async def replace(self) -> None:
        try:
            opened = await asyncio.to_thread(
                open_database, self.datasette, self.name, self.path, self.immutable
            )
        except NotServable as error:
            self.refused = file_id(self.path)
            say(f"{error}; still serving the file opened before")
        except Moved:
            pass  # the next check opens whatever is there then
        except Exception as error:  # noqa: BLE001 (the server keeps serving what it has)
            self.refused = file_id(self.path)
            say(f"{self.path}: cannot open the new file ({error}); still serving the one before")
        else:
            self.swap(*opened)
        finally:
            self.pending = None

    def swap(self, database: Database, found: FileId) -> None:
        """New requests get `database`; the one before closes once its last request ends."""
        old = self.current
        databases = old.databases.copy()
        databases[self.name] = database
        self.datasette.databases = databases
        self.current = Generation(databases, database, found)
        old.retired = True
        old.close_when_done()
        say(f"{self.path}: now serving the new file (inode {found.inode}, {found.size:,} bytes)")


def pinned_databases(datasette: Datasette) -> dict[str, Database]:
    """A request's databases: those current when it began (else the current ones)."""
    pinned = PINNED.get()
    if pinned is not None and pinned[0] is datasette:
        return pinned[1]
    return datasette.__dict__["databases"]


def set_databases(datasette: Datasette, value: dict[str, Database]) -> None:
    datasette.__dict__["databases"] = value


def swapping(cls: type) -> type:
    """`cls` (Datasette), its `databases` those a request began with (see pinned_databases)."""
    return type(
        f"Swapping{cls.__name__}", (cls,), {"databases": property(pinned_databases, set_databases)}
    )


def install(datasette: Datasette, name: str, path: Path, immutable: bool = True) -> Swapper:
    """Serve `path` as the database `name` of `datasette`, following the file at the path."""
    swapper = Swapper(datasette, name, path, immutable)
    datasette.__class__ = swapping(type(datasette))
    datasette._votes_swapper = swapper
    return swapper


def pin_requests(datasette: Datasette) -> Callable[[Asgi], Asgi]:
    """Each HTTP request of a Datasette with a Swapper runs on one generation, to its end."""

    def wrap(app: Asgi) -> Asgi:
        async def pinned(scope: dict, receive: Any, send: Any) -> Any:
            swapper: Swapper | None = getattr(datasette, "_votes_swapper", None)
            if swapper is None or scope["type"] != "http":
                return await app(scope, receive, send)
            generation = swapper.begin()
            token = PINNED.set((datasette, generation.databases))
            try:
                return await app(scope, receive, send)
            finally:
                PINNED.reset(token)
                swapper.end(generation)

        return pinned

    return wrap
