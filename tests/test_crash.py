"""Crash safety (issue 14 item 5): `votes build`, `votes import` and `votes update` killed with
SIGKILL at seeded random points, on small inputs.

After each kill: the database is byte for byte the previous complete one, `PRAGMA
integrity_check` is ok, it has no journal, and no process of the killed run is left (its
readers die with it: PR_SET_PDEATHSIG). After the kills, the next run succeeds and leaves no
temporary file beside the database. `pytest -s` prints the figures (README's Reliability).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import SLICE
from tests.mirror import CONGRESS_119, Mirror, serving

SEED = 14
KILLS = 6  # per command
FAST = ["--delay", "0", "--timeout", "5", "--retries", "1", "--backoff", "0.01"]
GONE_WITHIN = 10.0  # seconds for the kernel to kill a killed run's readers


@dataclass
class Crashes:
    """What one command's kills came to."""

    command: str
    stages: Counter[str] = field(default_factory=Counter)  # where each kill landed
    survived: int = 0
    finished: int = 0  # runs that ended before their kill came

    @property
    def kills(self) -> int:
        return sum(self.stages.values())

    def line(self) -> str:
        where = ", ".join(f"{n} {stage}" for stage, n in sorted(self.stages.items()))
        return (
            f"crash: votes {self.command}: {self.kills} SIGKILLs ({where}), "
            f"{self.survived} survived ({self.finished} more runs ended before the kill)"
        )


@dataclass(frozen=True)
class Scenario:
    """A command to kill: its arguments, where `{db}` is the database and `{run}` the run."""

    command: str
    args: list[str]

    def argv(self, db: Path, run: int) -> list[str]:
        exe = Path(sys.executable).with_name("votes")
        filled = (a.replace("{db}", str(db)).replace("{run}", str(run)) for a in self.args)
        return [str(exe), *filled]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def integrity(db: Path) -> str:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state != "Z":
            found.append(int(stat.parent.name))
    return found


def temp_files(db: Path) -> list[str]:
    """Files beside `db` but the database and its lock file."""
    return sorted(
        p.name for p in db.parent.iterdir() if p.name not in (db.name, f".{db.name}.lock")
    )


def complete_run(scenario: Scenario, db: Path, run: int) -> float:
    """Run the command to its end; its duration in seconds."""
    started = time.monotonic()
    result = subprocess.run(scenario.argv(db, run), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return time.monotonic() - started


def killed_run(scenario: Scenario, db: Path, run: int, delay: float, at_write: bool) -> str | None:
    """Start the command and SIGKILL it (only it: its readers must die by themselves) after
    `delay` seconds, counted from its start or (`at_write`) from when its new file appears.
    Returns whether its new file was there; None if the command ended first."""
    log = db.parent.parent / f"{scenario.command}-{run}.err"
    with log.open("wb") as err:
        process = subprocess.Popen(
            scenario.argv(db, run), stdout=subprocess.DEVNULL, stderr=err, start_new_session=True
        )
    new = [db.with_name(f".{db.name}.{step}-{process.pid}") for step in ("new", "packed")]
    while at_write and not new[0].exists() and process.poll() is None:
        time.sleep(0.001)
    time.sleep(delay)
    if process.poll() is not None:
        assert process.returncode == 0, log.read_text()
        return None
    os.kill(process.pid, signal.SIGKILL)
    stage = "while writing its new file" if any(p.exists() for p in new) else "before writing"
    process.wait(timeout=30)
    deadline = time.monotonic() + GONE_WITHIN
    while left := group_members(process.pid):
        assert time.monotonic() < deadline, f"processes of the killed run left: {left}"
        time.sleep(0.05)
    return stage


def restore(db: Path, pristine: Path) -> None:
    """Put the previous complete database back, as a writer would: a new file, renamed."""
    shutil.copyfile(pristine, db.with_name("restoring"))
    os.replace(db.with_name("restoring"), db)


def crash(scenario: Scenario, db: Path, scratch: Path, rng: random.Random) -> Crashes:
    """Kill the command KILLS times, checking `db` after each; then the next run.

    Half the kills come at a random point of a complete run's length (timed on `scratch`, a
    copy in another directory), half at a random point soon after the new file appears. A
    kill after the rename finds a new inode: the new database, whole (as the complete run
    made it on `scratch`); the previous one is then put back for the next kill.
    """
    pristine = shutil.copyfile(db, db.parent.parent / "pristine.db")
    duration = complete_run(scenario, scratch, 0)
    previous, inode = sha256(db), db.stat().st_ino
    crashes = Crashes(scenario.command)
    for run in range(1, 4 * KILLS):
        at_write = run % 2 == 0
        delay = rng.uniform(0, 0.1) if at_write else rng.uniform(0.1, duration)
        stage = killed_run(scenario, db, run, delay, at_write)
        if stage is None:  # it ended before the kill: not a crash
            crashes.finished += 1
        elif db.stat().st_ino != inode:
            crashes.stages["after its rename"] += 1
            assert integrity(db) == "ok"
            assert roll_calls(db) == roll_calls(scratch)
        else:
            crashes.stages[stage] += 1
            assert sha256(db) == previous
            assert integrity(db) == "ok"
            assert not Path(f"{db}-journal").exists()
        crashes.survived += stage is not None
        if db.stat().st_ino != inode:
            restore(db, pristine)
            inode = db.stat().st_ino
        if crashes.kills == KILLS:
            break
    complete_run(scenario, db, 4 * KILLS)
    assert integrity(db) == "ok"
    assert temp_files(db) == []
    print(f"\n{crashes.line()}; the next run succeeded and left no temporary file")
    assert crashes.survived == crashes.kills == KILLS
    return crashes


def roll_calls(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT roll_call_id, digest FROM roll_call_digests ORDER BY 1"
        ).fetchall()


@pytest.fixture
def rng() -> random.Random:
    return random.Random(SEED)


@pytest.fixture
def mirror() -> Iterator[Mirror]:
    with serving(Mirror.of(CONGRESS_119)) as served:
        yield served


def databases(tmp_path: Path, war_powers_db: Path) -> tuple[Path, Path]:
    """The previous complete database (the war-powers record) and a scratch copy of it, each
    alone in its directory."""
    found = []
    for name in ("db", "scratch"):
        (tmp_path / name).mkdir()
        found.append(Path(shutil.copyfile(war_powers_db, tmp_path / name / "votes.db")))
    return found[0], found[1]


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def test_a_killed_build_leaves_the_previous_database(
    tmp_path: Path, war_powers_db: Path, rng: random.Random
) -> None:
    db, scratch = databases(tmp_path, war_powers_db)
    crash(Scenario("build", ["build", "--only-curated", "--db", "{db}"]), db, scratch, rng)


def test_a_killed_import_leaves_the_previous_database(
    tmp_path: Path, war_powers_db: Path, rng: random.Random
) -> None:
    db, scratch = databases(tmp_path, war_powers_db)
    crash(Scenario("import", ["import", str(SLICE), "--db", "{db}"]), db, scratch, rng)
    assert rows(db, "SELECT COUNT(*) FROM roll_calls") == [(6 + 409,)]


def test_a_killed_update_leaves_the_previous_database(
    tmp_path: Path, war_powers_db: Path, rng: random.Random, mirror: Mirror
) -> None:
    db, scratch = databases(tmp_path, war_powers_db)
    cache = f"{tmp_path}/caches/{{run}}"  # a new cache for each run: each fetches anew
    args = ["update", "--db", "{db}", "--cache", cache, "--congress", "119"]
    crash(Scenario("update", [*args, *mirror.options(), *FAST]), db, scratch, rng)
    assert rows(db, "SELECT COUNT(*) FROM roll_calls WHERE congress = 119") == [(2,)]
