"""One writer at a time (issue 14): the three ways two writers lost each other's work, run for
real in subprocesses, and what a second writer says.

To make two commands overlap every time, the first is stopped (SIGSTOP) as soon as it holds
the lock (its pid written in the lock file, or its advisory lock granted on PostgreSQL), the
second is started and seen waiting for it by name, and the first is let go (SIGCONT).
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import FIXTURES, SLICE
from tests.helpers import build_curated, copy_data, snapshot
from votes.database import locks, sqlite_sink
from votes.database.pipeline import import_sources

OFFICIAL = FIXTURES / "official-xml"
HOUSE_240 = OFFICIAL / "house_roll_2025_240.xml"  # h240-119.2025
SENATE_618 = OFFICIAL / "senate_vote_119_1_00618.xml"  # s618-119.2025
CURATED = 6  # the war-powers votes in data/
SLICE_VOTES = 410
TIMEOUT = 120


def votes(*args: str, log: Path) -> subprocess.Popen[bytes]:
    """`votes ARGS` started in its own process group, its stderr to `log`."""
    exe = Path(sys.executable).with_name("votes")
    with log.open("wb") as err:
        return subprocess.Popen(
            [str(exe), *args], stdout=subprocess.DEVNULL, stderr=err, start_new_session=True
        )


def finished(process: subprocess.Popen[bytes], log: Path) -> tuple[int, str]:
    """The exit status and stderr of a command, once it ends."""
    return process.wait(timeout=TIMEOUT), log.read_text()


def until(condition: Callable[[], bool], what: str, process: subprocess.Popen[bytes]) -> None:
    """Wait (polling every 2 ms) until `condition`, while `process` is still running."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert process.poll() is None, f"{process.args} ended before {what}"
        assert time.monotonic() < deadline, f"timed out waiting: {what}"
        time.sleep(0.002)


def holds(lock: Path, process: subprocess.Popen[bytes]) -> Callable[[], bool]:
    """Whether `process` holds the lock `lock` (it writes its pid there once it holds it)."""
    return lambda: lock.exists() and lock.read_text().startswith(f"{process.pid} ")


def waiting_line(target: str, holder: subprocess.Popen[bytes], command: str) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(target)}: waiting for pid {holder.pid} \({re.escape(command)} .*\) to "
        r"finish$",
        re.M,
    )


@contextmanager
def stopped(process: subprocess.Popen[bytes]) -> Iterator[None]:
    """`process` stopped for the block, then let go (its readers run on, blocked on pipes)."""
    os.kill(process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(process.pid, signal.SIGCONT)


def second_waits_for_first(
    first: subprocess.Popen[bytes],
    held: Callable[[], bool],
    start_second: Callable[[], subprocess.Popen[bytes]],
    second_log: Path,
    expected: re.Pattern[str],
) -> subprocess.Popen[bytes]:
    """Stop `first` once it holds the lock, start the second, see it wait for `first` by name,
    let `first` go; returns the second."""
    until(held, "the first command held the lock", first)
    with stopped(first):
        second = start_second()
        until(lambda: bool(expected.search(second_log.read_text())), "the second waited", second)
    return second


def roll_call_ids(db: Path) -> set[str]:
    with sqlite3.connect(db) as connection:
        return {r[0] for r in connection.execute("SELECT id FROM roll_calls")}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def slice_ids(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The roll calls of the archive slice."""
    db = tmp_path_factory.mktemp("slice") / "slice.db"
    import_sources([str(SLICE)], db)
    ids = roll_call_ids(db)
    assert len(ids) == SLICE_VOTES
    return ids


@pytest.fixture(scope="module")
def curated_ids(war_powers_db: Path) -> set[str]:
    ids = roll_call_ids(war_powers_db)
    assert len(ids) == CURATED
    return ids


# ---- the three cases -------------------------------------------------------------------


def test_an_import_started_during_a_build_waits_and_lands_in_the_new_file(
    tmp_path: Path, slice_ids: set[str], curated_ids: set[str]
) -> None:
    """The issue's first case: `votes build` onto a file while `votes import` writes it. The
    build holds the lock until its file is renamed into place; the import, started meanwhile,
    waits for it by name, then adds its votes to the new file."""
    db = tmp_path / "votes.db"
    logs = tmp_path / "build.err", tmp_path / "import.err"
    build = votes("build", "--only-curated", "--db", str(db), log=logs[0])
    importer = second_waits_for_first(
        build,
        holds(locks.lock_file(db), build),
        lambda: votes("import", str(SLICE), "--db", str(db), log=logs[1]),
        logs[1],
        waiting_line(str(db), build, "votes build"),
    )
    assert finished(build, logs[0])[0] == 0
    status, said = finished(importer, logs[1])
    assert status == 0, said
    both = len(curated_ids & slice_ids)  # a war-powers vote is in the slice too
    assert said.splitlines()[-1].startswith(
        f"Imported into {db}: {SLICE_VOTES - both} added, 0 updated, {both} unchanged"
    )
    assert roll_call_ids(db) == curated_ids | slice_ids


def test_a_build_started_during_an_import_waits_then_rebuilds(
    tmp_path: Path, slice_ids: set[str], curated_ids: set[str]
) -> None:
    """The other order: the import is whole in the file before the build begins to write (the
    build waits for it by name); the build then makes the file anew, as a build does, from
    data/ and its archives alone. Before the lock, the import wrote into a file the build's
    rename had already unlinked: it said it had added its votes, and no file held them."""
    db = tmp_path / "votes.db"
    logs = tmp_path / "import.err", tmp_path / "build.err"
    importer = votes("import", str(SLICE), "--db", str(db), log=logs[0])
    build = second_waits_for_first(
        importer,
        holds(locks.lock_file(db), importer),
        lambda: votes("build", "--only-curated", "--db", str(db), log=logs[1]),
        logs[1],
        waiting_line(str(db), importer, "votes import"),
    )
    with stopped(build):  # so that the import's file can be seen before the build replaces it
        status, said = finished(importer, logs[0])
        assert status == 0, said
        assert said.splitlines()[-1].startswith(f"Imported into {db}: {SLICE_VOTES} added")
        imported_inode = db.stat().st_ino
        assert roll_call_ids(db) == slice_ids
    status, said = finished(build, logs[1])
    assert status == 0, said
    assert db.stat().st_ino != imported_inode
    assert roll_call_ids(db) == curated_ids


def test_two_imports_into_one_new_file_both_land(tmp_path: Path, slice_ids: set[str]) -> None:
    """The issue's second case: before, the vote of the import that finished first was gone."""
    db = tmp_path / "new.db"
    logs = tmp_path / "first.err", tmp_path / "second.err"
    first = votes("import", str(SLICE), "--db", str(db), log=logs[0])
    second = second_waits_for_first(
        first,
        holds(locks.lock_file(db), first),
        lambda: votes("import", str(HOUSE_240), "--db", str(db), log=logs[1]),
        logs[1],
        waiting_line(str(db), first, "votes import"),
    )
    for process, log in ((first, logs[0]), (second, logs[1])):
        status, said = finished(process, log)
        assert status == 0, said
    assert roll_call_ids(db) == slice_ids | {"h240-119.2025"}


def test_two_records_into_one_data_directory_both_land(tmp_path: Path) -> None:
    """The issue's third case: before, one side's votes were lost 5 times in 5, both exiting 0."""
    data = copy_data(tmp_path)
    logs = tmp_path / "first.err", tmp_path / "second.err"
    first = votes("record", str(SENATE_618), "--data-dir", str(data), log=logs[0])
    second = second_waits_for_first(
        first,
        holds(locks.lock_file(data), first),
        lambda: votes("record", str(HOUSE_240), "--data-dir", str(data), log=logs[1]),
        logs[1],
        waiting_line(str(data), first, "votes record"),
    )
    for process, log in ((first, logs[0]), (second, logs[1])):
        status, said = finished(process, log)
        assert status == 0, said
        assert said.splitlines()[-1].startswith("Changed: "), said
    rolls = (data / "roll_calls.csv").read_text()
    assert "\ns618-119.2025," in rolls and "\nh240-119.2025," in rolls
    positions = (data / "positions.csv").read_text()
    assert "\ns618-119.2025," in positions and "\nh240-119.2025," in positions
    assert sorted(p.name for p in data.iterdir() if p.name.startswith(".")) == []
    assert (tmp_path / ".data.lock").is_file()  # beside data/, never in it


# ---- --no-wait: one line naming the holder, nothing changed ------------------------------------


def test_no_wait_fails_at_once_naming_the_holder_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "votes.db"
    build_curated(db)
    before = sha256(db)
    logs = tmp_path / "holder.err", tmp_path / "refused.err"
    holder = votes("import", str(SLICE), "--db", str(db), log=logs[0])
    until(holds(locks.lock_file(db), holder), "the import held the lock", holder)
    with stopped(holder):
        started = time.monotonic()
        refused = votes("import", str(HOUSE_240), "--db", str(db), "--no-wait", log=logs[1])
        status, said = finished(refused, logs[1])
        took = time.monotonic() - started
        assert sha256(db) == before  # the holder writes a file beside it, never this one
    assert status == 1
    assert re.fullmatch(
        rf"Error: {re.escape(str(db))}:-: locked by pid {holder.pid} \(votes import .*\), "
        r"writing it \(--no-wait\)\n",
        said,
    ), said
    assert took < 10  # at once: no wait for the holder (stopped, it would never finish)
    assert finished(holder, logs[0])[0] == 0


@pytest.mark.parametrize("command", ["build", "import", "update", "record"])
def test_every_writer_takes_the_lock(tmp_path: Path, command: str) -> None:
    """This process holds the lock (as another writer would): each command refuses at once
    with --no-wait, naming this process, and leaves its target as it was."""
    data = copy_data(tmp_path)
    db = tmp_path / "votes.db"
    build_curated(db, data)
    target = data if command == "record" else db
    before = snapshot(data), sha256(db)
    nowhere = "http://127.0.0.1:9"  # never asked: the lock comes first
    args = {
        "build": ["build", "--only-curated", "--data-dir", str(data), "--db", str(db)],
        "import": ["import", str(HOUSE_240), "--db", str(db)],
        "update": ["update", "--db", str(db), "--cache", str(tmp_path / "cache")]
        + ["--house-url", nowhere, "--senate-url", nowhere, "--billstatus-url", nowhere],
        "record": ["record", str(HOUSE_240), "--data-dir", str(data)],
    }[command]
    log = tmp_path / "err"
    with locks.exclusive(target):
        status, said = finished(votes(*args, "--no-wait", log=log), log)
    assert status == 1
    assert said == (
        f"Error: {target}:-: locked by pid {os.getpid()} ({locks.command()}), writing it "
        "(--no-wait)\n"
    )
    assert (snapshot(data), sha256(db)) == before
    assert not (tmp_path / "cache").exists()


def test_a_build_reads_data_only_while_no_record_writes_it(tmp_path: Path) -> None:
    """`votes build` reads data/ under a shared lock: never halfway through a `votes record`;
    builds share it, a record waits for them. A record removes what a killed one left."""
    data = copy_data(tmp_path)
    (data / ".roll_calls.csv.tmp").write_text("left by a killed votes record")
    db = tmp_path / "votes.db"
    build = ["build", "--only-curated", "--data-dir", str(data), "--db", str(db), "--no-wait"]
    record = ["record", str(HOUSE_240), "--data-dir", str(data), "--no-wait"]
    log = tmp_path / "err"
    with locks.exclusive(data):
        assert finished(votes(*build, log=log), log) == (
            1,
            f"Error: {data}:-: locked by pid {os.getpid()} ({locks.command()}), writing it "
            "(--no-wait)\n",
        )
    with locks.shared(data):
        status, said = finished(votes(*build, log=log), log)
        assert status == 0, said
        assert len(roll_call_ids(db)) == CURATED
        status, said = finished(votes(*record, log=log), log)
        assert status == 1 and said.startswith(f"Error: {data}:-: locked by "), said
    status, said = finished(votes(*record, log=log), log)
    assert status == 0, said
    assert [p.name for p in data.iterdir() if p.name.startswith(".")] == []


def test_a_waiting_writer_says_whom_it_waits_for_once(tmp_path: Path) -> None:
    db = tmp_path / "votes.db"
    log = tmp_path / "err"
    with locks.exclusive(db):
        importer = votes("import", str(HOUSE_240), "--db", str(db), log=log)
        line = f"{db}: waiting for pid {os.getpid()} ({locks.command()}) to finish\n"
        until(lambda: log.read_text() == line, "the import waited", importer)
        time.sleep(0.5)
        assert importer.poll() is None and log.read_text() == line
    status, said = finished(importer, log)
    assert status == 0, said
    done = f"Imported into {db}: 1 added, 0 updated, 0 unchanged (430 positions written)\n"
    assert said == line + done


def test_the_lock_is_taken_again_by_its_holder(tmp_path: Path) -> None:
    """`votes update` holds its database while it fetches, then imports under the same lock."""
    db = tmp_path / "votes.db"
    with locks.exclusive(db), locks.exclusive(db), locks.waiting(False):
        import_sources([str(HOUSE_240)], db, jobs=0)
    assert roll_call_ids(db) == {"h240-119.2025"}


# ---- leftovers ----------------------------------------------------------------------------------


def test_leftovers_of_killed_runs_go_and_the_lock_file_stays(tmp_path: Path) -> None:
    """Under the lock, every temporary file beside the database but this run's own is a
    leftover, whether its pid is dead or given to another process since (pid 1 here)."""
    db = tmp_path / "votes.db"
    build_curated(db)
    dead = 2**22 + 12345  # above the kernel's default pid_max: no process has it
    left = [
        f".votes.db.new-{dead}",
        f".votes.db.packed-{dead}",
        f".votes.db.building-{dead}",
        f".votes.db.new-{dead}-journal",
        ".votes.db.new-1",
    ]
    kept = [".votes.db.lock", "votes.db", ".other.db.new-1", "notes.txt"]
    for name in left + kept[2:]:
        (tmp_path / name).write_bytes(b"left by a killed run")
    import_sources([str(HOUSE_240)], db, jobs=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept)
    sqlite_sink._remove_stale(db)
    assert (tmp_path / ".votes.db.lock").is_file()


def test_an_import_of_nothing_new_leaves_the_served_file_itself(tmp_path: Path) -> None:
    """A re-import that changes nothing renames nothing: the inode a server has open stays."""
    db = tmp_path / "votes.db"
    import_sources([str(HOUSE_240)], db, jobs=0)
    inode, before = db.stat().st_ino, sha256(db)
    summary = import_sources([str(HOUSE_240)], db, jobs=0)
    assert summary.unchanged == 1
    assert (db.stat().st_ino, sha256(db)) == (inode, before)
    import_sources([str(SENATE_618)], db, jobs=0)
    assert db.stat().st_ino != inode


# ---- PostgreSQL ---------------------------------------------------------------------------------


def advisory_holder(url: str) -> str | None:
    """The application_name of the session holding the writer's advisory lock, if any."""
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as connection:
        found = connection.execute(locks.PG_HOLDER, (locks.PG_KEY,)).fetchone()
    return found[0] if found else None


def postgres_ids(url: str) -> set[str]:
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as connection:
        return {r[0] for r in connection.execute("SELECT id FROM roll_calls")}


def test_two_imports_into_one_postgres_database_both_land(
    tmp_path: Path, empty_postgres_url: str, slice_ids: set[str]
) -> None:
    url = empty_postgres_url
    logs = tmp_path / "first.err", tmp_path / "second.err", tmp_path / "refused.err"
    first = votes("import", str(SLICE), "--db", url, log=logs[0])
    shown = make_url(url).render_as_string(hide_password=True)

    def first_holds() -> bool:
        return (advisory_holder(url) or "").startswith(f"{first.pid} ")

    second = second_waits_for_first(
        first,
        first_holds,
        lambda: votes("import", str(HOUSE_240), "--db", url, log=logs[1]),
        logs[1],
        waiting_line(shown, first, "votes import"),
    )
    for process, log in ((first, logs[0]), (second, logs[1])):
        status, said = finished(process, log)
        assert status == 0, said
    assert postgres_ids(url) == slice_ids | {"h240-119.2025"}


def test_no_wait_on_postgres_is_one_line(tmp_path: Path, empty_postgres_url: str) -> None:
    url = empty_postgres_url
    logs = tmp_path / "holder.err", tmp_path / "refused.err"
    holder = votes("import", str(SLICE), "--db", url, log=logs[0])
    until(lambda: (advisory_holder(url) or "").startswith(f"{holder.pid} "), "held", holder)
    with stopped(holder):
        refused = votes("import", str(HOUSE_240), "--db", url, "--no-wait", log=logs[1])
        status, said = finished(refused, logs[1])
    shown = make_url(url).render_as_string(hide_password=True)
    assert status == 1
    assert re.fullmatch(
        rf"Error: {re.escape(shown)}:-: locked by pid {holder.pid} \(votes import .*\), "
        r"writing it \(--no-wait\)\n",
        said,
    ), said
    assert finished(holder, logs[0])[0] == 0
    assert "h240-119.2025" not in postgres_ids(url)
