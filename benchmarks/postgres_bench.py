"""PostgreSQL benchmark: `votes import` of the 1989-2020 archive, beside a plain psycopg COPY.

    .venv/bin/python benchmarks/postgres_bench.py [--archive PATH] [--url URL] [--jobs N]
        [--runs N] [--timeline] [--before DIR]

Without --url it starts a throwaway server of its own (as the tests do: initdb into a
temporary directory, fsync off, loopback TCP) and stops it at the end; with --url it creates
and drops two databases on that server (the URL's user must be allowed to).

Prints, for ours (`votes import ARCHIVE --db URL`: validation, reconciliation, every table,
key and index of the schema, tallies, digests) and for a plain loader (standard json, then
psycopg COPY of roll calls and positions into two bare tables with primary keys only, one
transaction), run on the same archive in the same run: votes, positions, seconds, positions
per second, the database's size; then the ratio of the two times (target <= 1.5). Each loader
runs in a process of its own; the server's own work is in neither's process but in both times.

--timeline adds where each loader's time went: every statement, COPY and commit (timed from the
client, so a COPY's time includes making its rows), by kind, longest first, with when the first
began; the writer's waits for the readers (Pipeline._next) and its own work (Writer.write,
which holds its COPYs); and the time outside any statement. --before DIR also runs ours with the
package of another checkout (e.g. `git archive main votes migrations metadata.yml data | tar -x
-C DIR`), in the same run and on the same server, for a before/after under the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psycopg
from import_bench import ARCHIVES, ROLL_FIELDS, cpu_seconds, plain_docs, plain_positions
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
PLAIN_SCHEMA = (
    "CREATE TABLE roll_calls (id TEXT PRIMARY KEY, chamber TEXT, congress INTEGER, "
    "session TEXT, number INTEGER, date TEXT, question TEXT, category TEXT, requires TEXT, "
    "result TEXT, result_text TEXT, source_url TEXT)",
    "CREATE TABLE positions (roll_call_id TEXT, member_id TEXT, party TEXT, state TEXT, "
    "option TEXT, PRIMARY KEY (roll_call_id, member_id))",
)


def libpq(url: str) -> str:
    """A SQLAlchemy URL as a libpq connection string."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def plain_load(archive: Path, url: str) -> None:
    """The plainest loader: json, then COPY into bare tables, one transaction (positions
    stream as they are read; the roll calls, a few MB, follow)."""
    rolls = []
    with psycopg.connect(libpq(url)) as connection, connection.cursor() as cursor:
        for sql in PLAIN_SCHEMA:
            cursor.execute(sql)  # type: ignore[arg-type]
        with cursor.copy("COPY positions FROM STDIN") as copy:
            for doc in plain_docs([archive]):
                rolls.append([_text(doc.get(f)) for f in ROLL_FIELDS])
                for row in plain_positions(doc):
                    copy.write_row(row)
        with cursor.copy("COPY roll_calls FROM STDIN") as copy:
            for roll in rolls:
                copy.write_row(roll)


def _text(value: object) -> object:
    return value if value is None or isinstance(value, str | int) else str(value)


def ours(archive: Path, url: str, jobs: int | None) -> None:
    """`votes import ARCHIVE --db URL`, as the command runs it (without a progress bar)."""
    from votes.database.pipeline import import_sources

    import_sources([str(archive)], url, jobs=jobs)


class Timeline:
    """Every statement, COPY and commit this process sends, timed from the client (so a COPY's
    time includes making its rows): for `--timeline`, where a load's time goes."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.spans: list[tuple[str, float, float]] = []  # label, start, end (from self.start)

    def note(self, label: str, began: float) -> None:
        self.spans.append((label, began - self.start, time.perf_counter() - self.start))

    def install(self) -> None:
        """Wrap psycopg's execute, executemany, copy and commit to note each call."""
        cursor, connection = psycopg.Cursor, psycopg.Connection
        for owner, name in ((cursor, "execute"), (cursor, "executemany"), (connection, "commit")):
            setattr(owner, name, self._timed(getattr(owner, name)))
        cursor.copy = self._timed_copy(cursor.copy)  # type: ignore[method-assign]
        from votes.database.pipeline import Pipeline
        from votes.database.writer import Writer

        phases = ((Pipeline, "_next"), (Writer, "define"), (Writer, "write"))
        for owner, name in phases:  # (in parentheses: not statements, which they contain)
            if hasattr(owner, name):  # (a checkout given by --before may not have them)
                label = f"({owner.__name__}.{name})"
                setattr(owner, name, self._timed(getattr(owner, name), label))

    def _timed(self, method, label: str = ""):  # type: ignore[no-untyped-def]
        def timed(this, *args, **kwargs):  # type: ignore[no-untyped-def]
            began = time.perf_counter()
            try:
                return method(this, *args, **kwargs)
            finally:
                self.note(label or _label(args[0] if args else "COMMIT"), began)

        return timed

    def _timed_copy(self, method):  # type: ignore[no-untyped-def]
        @contextmanager
        def timed(this, statement, *args, **kwargs):  # type: ignore[no-untyped-def]
            began = time.perf_counter()
            with method(this, statement, *args, **kwargs) as copy:
                yield copy
            self.note(_label(statement), began)

        return timed

    def report(self, total: float) -> list[str]:
        """Phases: statements by label (count, seconds), longest first; and the time outside
        any call (the writer's own work and its waits for the readers)."""
        by: dict[str, list[float]] = {}
        for label, began, ended in self.spans:
            by.setdefault(label, [0, 0.0, began])
            by[label][0] += 1
            by[label][1] += ended - began
        inside = sum(v[1] for k, v in by.items() if not k.startswith("("))
        lines = [f"{v[1]:7.2f} s  x{v[0]:<6} from {v[2]:6.1f} s  {k}" for k, v in by.items()]
        lines = sorted(lines, key=lambda line: -float(line.split()[0]))
        return [*lines, f"{total - inside:7.2f} s  outside any statement (writer and readers)"]


def _label(sql: object) -> str:
    text = sql.decode() if isinstance(sql, bytes) else str(sql)
    words = " ".join(text.split())
    if words.startswith("COPY"):
        return " ".join(words.split()[:2])
    return words[:90]


def measure(which: str, archive: Path, url: str, jobs: int | None, timeline: bool = False) -> dict:
    """Run one loader in this process and return its figures."""
    spans = Timeline() if timeline else None
    if spans:
        spans.install()
    start = time.perf_counter()
    plain_load(archive, url) if which == "plain" else ours(archive, url, jobs)
    seconds = time.perf_counter() - start
    with psycopg.connect(libpq(url)) as connection:
        votes, positions, size = (
            connection.execute(sql).fetchone()[0]  # type: ignore[index]
            for sql in (
                "SELECT COUNT(*) FROM roll_calls",
                "SELECT COUNT(*) FROM positions",
                "SELECT pg_database_size(current_database())",
            )
        )
    return {"loader": which, "votes": votes, "positions": positions, "seconds": seconds,
            "cpu": cpu_seconds(), "bytes": size,
            "timeline": spans.report(seconds) if spans else []}  # fmt: skip


@dataclass
class Server:
    """A server's `postgres` database, and its postmaster's process id if it is ours."""

    url: str
    pid: int | None = None

    def cpu(self) -> float | None:
        """CPU seconds of the whole server so far: the postmaster, its ended children (counted
        in its cutime and cstime) and its live ones."""
        if self.pid is None:
            return None
        stat = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = sum(int(v) for v in stat[11:15])  # utime, stime, cutime, cstime
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        for child in children:
            with suppress(OSError):
                fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")


@contextmanager
def server(url: str | None) -> Iterator[Server]:
    """The server given, or a throwaway one of our own."""
    if url:
        yield Server(url)
        return
    sys.path.insert(0, str(ROOT))
    from tests import postgres

    bin_dir, home, port = postgres.find_bin_dir(), postgres.make_home(), postgres.free_port()
    try:
        postgres.start(bin_dir, home, port)
        pid = int((home / "data" / "postmaster.pid").read_text().split()[0])
        yield Server(postgres.Server(port).url("postgres"), pid)
    finally:
        postgres.stop(bin_dir, home)


@contextmanager
def database(url: str) -> Iterator[str]:
    """A new, empty database on the server of `url`, dropped afterwards."""
    name = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(libpq(url), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(libpq(url), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")  # type: ignore[arg-type]


def run_child(
    which: str, archive: Path, at: Server, jobs: int | None, timeline: bool, code: Path = ROOT
) -> dict:
    """Run one loader in a fresh Python process, into a new database, with the package
    `votes` of the checkout `code`; with the server's CPU time over the run, when the server
    is ours."""
    before = at.cpu()
    with database(at.url) as target:
        command = [sys.executable, __file__, "--child", which, "--archive", str(archive)]
        command += ["--url", target] + (["--jobs", str(jobs)] if jobs is not None else [])
        command += ["--timeline"] if timeline else []
        env = os.environ | {"PYTHONPATH": str(code)}
        out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT, env=env)
    after = at.cpu()
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["server_cpu"] = None if before is None or after is None else after - before
    return figures


def report(f: dict) -> None:
    rate = f["positions"] / f["seconds"]
    server = "" if f["server_cpu"] is None else f" + {f['server_cpu']:.1f} s of the server's"
    print(
        f"{f['loader']:>6}: {f['votes']:,} votes, {f['positions']:,} positions, "
        f"{f['seconds']:.1f} s (CPU: {f['cpu']:.1f} s of the loader's{server}), "
        f"{rate:,.0f} positions/s, database {f['bytes'] / 2**20:,.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=ARCHIVES["import"][0])
    parser.add_argument("--url", help="a server to use (postgresql+psycopg://...)")
    parser.add_argument("--jobs", type=int, default=None, help="reader processes for ours")
    parser.add_argument("--runs", type=int, default=1, help="alternate the loaders this often")
    parser.add_argument("--timeline", action="store_true", help="print where the time goes")
    parser.add_argument(
        "--before",
        type=Path,
        help="also run ours from this checkout (an earlier commit's tree) in the same run",
    )
    parser.add_argument("--child", choices=("plain", "ours", "before"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.archive, args.url, args.jobs, args.timeline)))
        return
    print(f"archive {args.archive} ({args.archive.stat().st_size:,} bytes)")
    with server(args.url) as at:
        print(f"server {make_url(at.url).render_as_string(hide_password=True)}")
        for _ in range(args.runs):
            plain = run_child("plain", args.archive, at, None, args.timeline)
            runs = [run_child("ours", args.archive, at, args.jobs, args.timeline)]
            if args.before:
                code = args.before.resolve()
                runs.append(run_child("before", args.archive, at, args.jobs, args.timeline, code))
            for figures in (plain, *runs):
                report(figures)
                print("".join(f"        {line}\n" for line in figures["timeline"]), end="")
            for mine in runs:
                ratio = mine["seconds"] / plain["seconds"]
                cpu = (mine["cpu"] + (mine["server_cpu"] or 0)) / (
                    plain["cpu"] + (plain["server_cpu"] or 0)
                )
                print(
                    f" ratio: {mine['loader']} / plain = {ratio:.2f} (target <= 1.5); "
                    f"of CPU time {cpu:.2f}"
                )


if __name__ == "__main__":
    main()
