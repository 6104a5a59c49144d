"""One writer at a time: every command that writes (build, record, import, update) holds an
exclusive lock on its target for as long as it reads what it will change and writes it.

- A SQLite database or data/: an OS lock (flock) on a lock file beside it, `.NAME.lock`, which
  is never removed (a database is replaced by rename, so its own inode cannot carry the lock).
  The holder writes its pid and command into the lock file, so a second writer can say whom it
  waits for. The kernel releases the lock when the holder dies, even by SIGKILL.
- PostgreSQL: a transaction-level advisory lock on a fixed key, taken first in the load's one
  transaction (votes.database.postgres_sink); the holder is named by its application_name.

A second writer waits, saying once on stderr whom for (`votes.db: waiting for pid 1234 (votes
import ...) to finish`); under `waiting(False)` (the CLI's --no-wait) it fails at once with
that holder in one RecordError line. A process that holds a lock may take it again (update
holds its database while it fetches, then imports).
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import IO, TYPE_CHECKING

from votes.errors import RecordError

if TYPE_CHECKING:
    import psycopg

WAIT: ContextVar[bool] = ContextVar("votes_lock_wait", default=True)
HELD: dict[Path, int] = {}  # lock files this process holds -> how many times taken
SETTLE = 1.0  # seconds a waiter gives a new holder to write its name
COMMAND_CHARS = 80  # of a holder's command line, said in messages


@contextmanager
def waiting(wait: bool) -> Iterator[None]:
    """Within the block, a writer finding its target locked waits (True) or fails at once."""
    token = WAIT.set(wait)
    try:
        yield
    finally:
        WAIT.reset(token)


def lock_file(target: Path) -> Path:
    """The lock file of a database file or of a directory (data/): `.NAME.lock` beside it."""
    target = target.absolute()
    return target.parent / f".{target.name}.lock"


def command() -> str:
    """This process's command line as a holder is named: `votes import x.tar.xz --db votes.db`."""
    words = [Path(sys.argv[0]).name if sys.argv else "python", *sys.argv[1:]]
    line = " ".join(words).replace("\n", " ")
    return line if len(line) <= COMMAND_CHARS else line[: COMMAND_CHARS - 3] + "..."


def holder_name(pid: int | str, cmd: str) -> str:
    return f"pid {pid} ({cmd})"


@contextmanager
def exclusive(target: Path, shown: str | None = None) -> Iterator[None]:
    """Hold the writer's lock of `target` (a SQLite file, or data/) for the block; `shown` is
    how messages name the target."""
    with _locked(target, shown or str(target), fcntl.LOCK_EX):
        yield


@contextmanager
def shared(target: Path, shown: str | None = None) -> Iterator[None]:
    """Read `target` (data/, as `votes build` does) while no writer changes it: many readers
    at once, never beside a writer."""
    with _locked(target, shown or str(target), fcntl.LOCK_SH):
        yield


@contextmanager
def _locked(target: Path, shown: str, mode: int) -> Iterator[None]:
    path = lock_file(target)
    if not path.parent.is_dir():
        raise RecordError(shown, "-", f"no such directory {path.parent}")
    key = path.resolve()
    if key in HELD:  # taken again by its holder (a writer may read what it holds)
        HELD[key] += 1
        try:
            yield
        finally:
            HELD[key] -= 1
        return
    with _opened(path, shown) as lock:
        _acquire(lock, shown, mode)
        if mode == fcntl.LOCK_EX:
            _name_holder(lock)
        HELD[key] = 1
        try:
            yield
        finally:
            del HELD[key]
            # The file keeps its last writer's name: a free lock is free, whatever it says.
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextmanager
def _opened(path: Path, shown: str) -> Iterator[IO[str]]:
    try:
        lock = path.open("a+", encoding="utf-8")  # created if missing, never truncated here
    except OSError as e:
        raise RecordError(shown, "-", f"cannot open the lock file {path} ({e.strerror})") from None
    with lock:
        yield lock


def _acquire(lock: IO[str], shown: str, mode: int) -> None:
    """The lock at once, or after saying whom we wait for (or failing, when not waiting)."""
    try:
        fcntl.flock(lock, mode | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    holder = _holder(lock)
    if not WAIT.get():
        raise RecordError(shown, "-", f"locked by {holder}, writing it (--no-wait)")
    print(f"{shown}: waiting for {holder} to finish", file=sys.stderr, flush=True)
    fcntl.flock(lock, mode)


def _holder(lock: IO[str]) -> str:
    """Who holds the lock, as it wrote itself into the file (given a moment to do so); a
    reader (`votes build` reading data/) does not write itself there."""
    deadline = time.monotonic() + SETTLE
    while True:
        lock.seek(0)
        text = lock.read().strip()
        pid, _, cmd = text.partition(" ")
        if pid.isdigit() and _alive(int(pid)):
            return holder_name(pid, cmd)
        if time.monotonic() > deadline:
            return "another votes command"
        time.sleep(0.05)


def _name_holder(lock: IO[str]) -> None:
    """Write this process into the lock file it now holds: `PID COMMAND`."""
    lock.seek(0)
    lock.truncate()
    lock.write(f"{os.getpid()} {command()}\n")
    lock.flush()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ---- PostgreSQL ---------------------------------------------------------------------------

PG_KEY = 0x766F7465  # "vote": the one advisory lock of a votes database (under 2**31: objid)
PG_HOLDER = """
SELECT a.application_name
FROM pg_locks AS l
JOIN pg_stat_activity AS a ON a.pid = l.pid
WHERE l.locktype = 'advisory'
    AND l.granted
    AND l.classid = 0
    AND l.objid = %s
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


def advisory(db: psycopg.Connection, shown: str) -> None:
    """The writer's advisory lock, held until the transaction `db` is in ends; first named by
    this process (`PID COMMAND` as its application_name), so a waiter can say whom it waits for."""
    with db.cursor() as cursor:
        name = f"{os.getpid()} {command()}"[:63]
        cursor.execute("SELECT set_config('application_name', %s, false)", (name,))
        got = cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", (PG_KEY,)).fetchone()
        if got and got[0]:
            return
        found = cursor.execute(PG_HOLDER, (PG_KEY,)).fetchone()
        pid, _, cmd = (found[0] if found else "").partition(" ")
        holder = holder_name(pid, cmd) if pid.isdigit() else "another votes command"
        if not WAIT.get():
            raise RecordError(shown, "-", f"locked by {holder}, writing it (--no-wait)")
        print(f"{shown}: waiting for {holder} to finish", file=sys.stderr, flush=True)
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (PG_KEY,))
