"""Rebuild under load (issue 14, item 6): `votes serve` on a port answers 4 clients that ask for
real pages without pause, while `votes import`, `votes update` and `votes build` extend or
replace the served file, twice over. Not one request fails, and every answer comes from a
complete database: the count of roll calls it gives is the count of one of the states the
writers left, never one in between. Run with -s to see the figures."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import SLICE
from tests.helpers import copy_data, votes_cli
from tests.mirror import CONGRESS_119, Mirror
from tests.mirror import serving as mirrored
from tests.served import serving

FAST = ["--delay", "0", "--timeout", "5", "--retries", "2", "--backoff", "0.01"]
COUNT = "/votes/roll_calls.json?_size=1"  # JSON of a table, with the count of its rows
PAGES = [
    "/",  # the home page: every table's count, the file's hash
    "/votes/override_math",  # a view
    "/votes/roll_calls/s84-116~2E2020",  # a roll call's page (in the record in data/)
    "/votes/override_math.csv?_stream=on",  # a view's whole CSV
    COUNT,
]
CLIENTS = 4
ROUNDS = 2
SWAP_SECONDS = 30  # the most a writer's new state may take to be served


@dataclass
class Load:
    """What the clients asked and got."""

    base_url: str
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: Counter[str] = field(default_factory=Counter)
    counts: Counter[int] = field(default_factory=Counter)  # since the last write began
    seen: set[int] = field(default_factory=set)  # every count answered
    errors: list[str] = field(default_factory=list)
    step: str = "start"  # the writer running (or last run): each error is counted against it

    def ask(self, page: str) -> None:
        """One request; a failure (5xx, 4xx, a cut CSV, no connection) is an error."""
        try:
            with urllib.request.urlopen(self.base_url + page, timeout=60) as response:
                body = response.read()
        except (urllib.error.URLError, OSError) as error:
            detail = error.read()[:300] if isinstance(error, urllib.error.HTTPError) else b""
            self.failed(f"{page}: {error!r} {detail!r}")
            return
        with self.lock:
            self.requests[page] += 1
        if page == COUNT:
            found = json.loads(body)["filtered_table_rows_count"]
            with self.lock:
                self.counts[found] += 1
                self.seen.add(found)
        elif page.endswith("_stream=on") and b"CSV cut" in body:
            self.failed(f"{page}: {body[-200:]!r}")

    def failed(self, message: str) -> None:
        with self.lock:
            self.errors.append(f"during {self.step}: {message}")

    def client(self, offset: int) -> None:
        i = offset
        while not self.stop.is_set():
            self.ask(PAGES[i % len(PAGES)])
            i += 1


@contextmanager
def loaded(base_url: str) -> Iterator[Load]:
    """CLIENTS threads asking for PAGES round and round until the block ends."""
    load = Load(base_url)
    threads = [threading.Thread(target=load.client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    try:
        yield load
    finally:
        load.stop.set()
        for thread in threads:
            thread.join(timeout=120)


def roll_calls(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return int(connection.execute("SELECT count(*) FROM roll_calls").fetchone()[0])


def slice_data(tmp_path: Path) -> Path:
    """A copy of data/ that `votes build --archive SLICE` accepts: the vetoes' override votes
    that fall in the slice's years but not in its sample of 410 votes are left blank."""
    data = copy_data(tmp_path)
    scratch = str(tmp_path / "scratch.db")
    result = votes_cli("build", "--archive", str(SLICE), "--data-dir", str(data), "--db", scratch)
    missing = set(re.findall(r"vetoes\.csv:\S+: (\S+) is not in the record", result.stderr))
    path = data / "vetoes.csv"
    with path.open(newline="") as f:
        rows = list(csv.reader(f))
    kept = [["" if value in missing else value for value in row] for row in rows]
    with path.open("w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(kept)
    assert missing
    return data


def write(db: Path, step: str, mirror: Mirror, data: Path) -> list[str]:
    """The `votes` command line of one writer's step."""
    commands = {
        "import": ["import", str(SLICE), "--db", str(db)],
        "update": ["update", "--db", str(db), "--cache", str(db.parent / "cache")]
        + ["--congress", "119", *mirror.options(), *FAST],
        "build": ["build", "--only-curated", "--data-dir", str(data), "--db", str(db)],
        "build onto the slice": ["build", "--archive", str(SLICE), "--data-dir", str(data)]
        + ["--db", str(db)],
    }
    return commands[step]


def served(load: Load, expected: int) -> bool:
    """Whether a client got `expected` roll calls within SWAP_SECONDS."""
    deadline = time.monotonic() + SWAP_SECONDS
    while time.monotonic() < deadline:
        with load.lock:
            if load.counts[expected]:
                return True
        time.sleep(0.1)
    return False


def every_process_serves(load: Load, answers: int = 20) -> set[int]:
    """The counts of the next `answers` answers, once every server process has had requests
    for a few seconds since the last write (each swaps on its own)."""
    time.sleep(3)
    with load.lock:
        load.counts.clear()
    while True:
        with load.lock:
            if sum(load.counts.values()) >= answers:
                return set(load.counts)
        time.sleep(0.1)


def test_rebuilds_under_load_fail_no_request(tmp_path: Path) -> None:
    db = tmp_path / "served" / "votes.db"
    db.parent.mkdir()
    data = slice_data(tmp_path)
    assert votes_cli("build", "--only-curated", "--db", str(db)).returncode == 0
    states = [roll_calls(db)]
    steps = ["import", "update", "build", "build onto the slice"] * ROUNDS
    started = time.monotonic()
    with mirrored(Mirror.of(CONGRESS_119)) as mirror, serving(db) as base_url:
        with loaded(base_url) as load:
            for step in steps:
                with load.lock:
                    load.counts.clear()  # a state is served after its writer, not before
                    load.step = step
                result = votes_cli(*write(db, step, mirror, data))
                assert result.returncode == 0, f"{step}: {result.stderr}"
                states.append(roll_calls(db))
                assert served(load, states[-1]), f"{step}: {states[-1]} not served"
                print(f"{step}: {states[-1]:,} roll calls, served")
            last = every_process_serves(load)
    seconds = time.monotonic() - started
    total, errors = sum(load.requests.values()), len(load.errors)
    print(f"{total:,} requests in {seconds:.0f} s by {CLIENTS} clients over {len(steps)} writes")
    print(f"  {errors} errors; by page: {dict(load.requests)}; states: {states}")
    by_step = Counter(error.split(": ", 1)[0] for error in load.errors)
    print(f"  errors by step: {dict(by_step)}; first: {load.errors[:3]}")
    assert load.errors == []
    assert load.seen <= set(states), "an answer from an incomplete database"
    assert last == {states[-1]}, "a process still serves an older file"
    assert len(set(states)) >= 3 and total > 100
