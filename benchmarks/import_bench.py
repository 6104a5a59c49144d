"""Load benchmark: `votes build` (or `votes import`) into a new database, beside a plain loader.

    .venv/bin/python benchmarks/import_bench.py [--road build|import] [--archive PATH ...]
        [--jobs N] [--runs N] [--workdir DIR]

`--road build` (the default) is `votes build`: the record in data/ and the shipped archives
(data/upstream/*.tar.xz, 1989-2024); `--road import` is `votes import` of the 1989-2020
archive. `--archive` (repeatable) names other archives, such as ../shared/data/*.tar.xz.

Prints, for ours and for a plain hand-written loader (standard json + sqlite3 executemany of
roll calls and positions into bare tables, no validation, no index beyond the primary keys) run
on the same archives in the same run: votes, positions, seconds, positions per second, peak
memory (RSS of the process tree: ours reads in child processes), database bytes and bytes per
position; then the ratio of the two times. Each loader runs in a process of its own, so each
peak is its own. Ours also reports the veto-override check: every veto-override roll call in
override_math, with agrees_with_official. Targets: ratio <= 1.0, peak RSS < 500 MB, <= 25
bytes per position.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UPSTREAM = ROOT / "data" / "upstream"
ARCHIVES = {  # the default input of each road
    "build": sorted(UPSTREAM.glob("*.tar.xz")),
    "import": [UPSTREAM / "votes-1989-2020.tar.xz"],
}
PLAIN_SCHEMA = (
    "CREATE TABLE roll_calls (id TEXT PRIMARY KEY, chamber TEXT, congress INTEGER, session TEXT, "
    "number INTEGER, date TEXT, question TEXT, category TEXT, requires TEXT, result TEXT, "
    "result_text TEXT, source_url TEXT)",
    "CREATE TABLE positions (roll_call_id TEXT, member_id TEXT, party TEXT, state TEXT, "
    "option TEXT, PRIMARY KEY (roll_call_id, member_id))",
)
ROLL_FIELDS = (
    "vote_id",
    "chamber",
    "congress",
    "session",
    "number",
    "date",
    "question",
    "category",
    "requires",
    "result",
    "result_text",
    "source_url",
)


def plain_load(archives: list[Path], db: Path) -> None:
    """The plainest loader: json + executemany into bare tables, one transaction."""
    connection = sqlite3.connect(db)
    for sql in PLAIN_SCHEMA:
        connection.execute(sql)
    for doc in plain_docs(archives):
        connection.execute(
            f"INSERT INTO roll_calls VALUES ({', '.join('?' * 12)})",
            [doc.get(f) for f in ROLL_FIELDS],
        )
        connection.executemany("INSERT INTO positions VALUES (?, ?, ?, ?, ?)", plain_positions(doc))
    connection.commit()
    connection.close()


def plain_docs(archives: list[Path]) -> Iterator[dict]:
    """Every vote file of the archives, parsed by the standard json module."""
    for archive in archives:
        with tarfile.open(archive) as tar:
            for member in tar:
                if member.isfile() and member.name.endswith(".json"):
                    yield json.load(tar.extractfile(member))  # type: ignore[arg-type]


def plain_positions(doc: dict) -> list[tuple]:
    """(vote id, member id, party, state, option) of each position of a vote file."""
    return [
        (doc["vote_id"], v["id"], v.get("party"), v.get("state"), option)
        if isinstance(v, dict)
        else (doc["vote_id"], v, None, None, option)
        for option, voters in doc["votes"].items()
        for v in voters
    ]


def ours(road: str, archives: list[Path], db: Path, jobs: int | None) -> None:
    """`votes build --db DB` or `votes import ARCHIVE --db DB`, as the command runs it
    (without a progress bar)."""
    from votes.database.pipeline import build, import_sources

    if road == "build":
        build(db, archives=[str(a) for a in archives], jobs=jobs)
    else:
        import_sources([str(a) for a in archives], db, jobs=jobs)


def cpu_seconds() -> float:
    """CPU time (user and system) of this process and of its children that have ended."""
    own, children = (
        resource.getrusage(r) for r in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class PeakRSS:
    """Samples the memory of this process and all its descendants (Linux /proc): the sum of
    their resident sets (RSS; pages a forked reader shares with the writer count in both) and
    of their proportional sets (PSS; a shared page is divided among its sharers)."""

    def __init__(self, interval: float = 0.05) -> None:
        self.peak, self.peak_pss, self.interval = 0, 0, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            tree = _tree(os.getpid())
            self.peak = max(self.peak, sum(_rss(pid) for pid in tree))
            self.peak_pss = max(self.peak_pss, sum(_pss(pid) for pid in tree))


def _tree(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *(p for child in children for p in _tree(int(child)))]


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def measure(which: str, road: str, archives: list[Path], db: Path, jobs: int | None) -> dict:
    """Run one loader in this process and return its figures."""
    db.unlink(missing_ok=True)
    start = time.perf_counter()
    with PeakRSS() as sampled:
        plain_load(archives, db) if which == "plain" else ours(road, archives, db, jobs)
    seconds = time.perf_counter() - start
    with sqlite3.connect(db) as connection:
        votes, positions = (
            connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("roll_calls", "positions")
        )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    figures = {
        "loader": which if which == "plain" else road,
        "votes": votes,
        "positions": positions,
        "seconds": seconds,
        "cpu": cpu_seconds(),
        "pss_sampled": sampled.peak_pss,
        "rss_sampled": max(sampled.peak, own),
        "rss_self": own,
        "rss_child_max": children,
        "bytes": db.stat().st_size,
    }
    if which == "ours":
        figures["overrides"] = override_check(db)
    return figures


def override_check(db: Path) -> dict:
    """Every veto-override roll call: is it in override_math and veto_overrides, and agreeing?"""
    with sqlite3.connect(db) as connection:
        ids = {
            r[0]
            for r in connection.execute(
                "SELECT id FROM roll_calls WHERE category = 'veto-override'"
            )
        }
        agreeing = {
            r[0]
            for r in connection.execute(
                "SELECT roll_call_id FROM override_math WHERE category = 'veto-override' "
                "AND agrees_with_official = 1"
            )
        }
        in_vetoes = {
            r[0]
            for r in connection.execute(
                "SELECT roll_call_id FROM veto_overrides WHERE roll_call_id IS NOT NULL"
            )
        }
        thresholds = connection.execute(
            "SELECT COUNT(*), SUM(agrees_with_official = 1), SUM(agrees_with_official = 0), "
            "SUM(agrees_with_official = 0 AND documented_exception = 1) "
            "FROM threshold_math WHERE agrees_with_official IS NOT NULL"
        ).fetchone()
    return {
        "veto_override_votes": len(ids),
        "agree_in_override_math": len(ids & agreeing),
        "in_veto_overrides": len(ids & in_vetoes),
        # threshold_math: roll calls with a published outcome, agreeing, disagreeing, and of
        # those the documented exceptions (README gives the count).
        "threshold_outcomes": thresholds[0],
        "threshold_agree": thresholds[1],
        "threshold_exceptions": thresholds[2],
        "threshold_documented": thresholds[3],
    }


def run_child(which: str, args: argparse.Namespace, workdir: Path) -> dict:
    """Run one loader in a fresh Python process, so its memory and time are its own."""
    command = [sys.executable, __file__, "--child", which, "--road", args.road]
    command += [f"--archive={a}" for a in args.archive]
    command += ["--workdir", str(workdir)]
    command += ["--jobs", str(args.jobs)] if args.jobs is not None else []
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(f: dict) -> None:
    """One loader's figures on one line."""
    rate, mb = f["positions"] / f["seconds"], 2**20
    print(
        f"{f['loader']:>6}: {f['votes']:,} votes, {f['positions']:,} positions, "
        f"{f['seconds']:.1f} s ({f['cpu']:.1f} s of CPU), {rate:,.0f} positions/s, "
        f"peak RSS {f['rss_sampled'] / mb:.0f} MB (PSS {f['pss_sampled'] / mb:.0f} MB; "
        f"main {f['rss_self'] / mb:.0f} MB, largest child {f['rss_child_max'] / mb:.0f} MB), "
        f"{f['bytes']:,} bytes, {f['bytes'] / f['positions']:.1f} bytes/position"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--road", choices=("build", "import"), default="build")
    parser.add_argument("--archive", type=Path, action="append", help="repeatable")
    parser.add_argument("--jobs", type=int, default=None, help="reader processes for ours")
    parser.add_argument("--workdir", type=Path, default=None, help="where the databases go")
    parser.add_argument("--runs", type=int, default=1, help="alternate the loaders this often")
    parser.add_argument("--child", choices=("plain", "ours"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.archive = args.archive or ARCHIVES[args.road]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="votes-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.child:
        db = workdir / f"{args.child}.db"
        print(json.dumps(measure(args.child, args.road, args.archive, db, args.jobs)))
        return
    for archive in args.archive:
        print(f"archive {archive} ({archive.stat().st_size:,} bytes)")
    print(f"votes {args.road}; databases in {workdir}")
    for _ in range(args.runs):
        plain = run_child("plain", args, workdir)
        mine = run_child("ours", args, workdir)
        report(plain)
        report(mine)
        ratio, cpu = (mine[k] / plain[k] for k in ("seconds", "cpu"))
        print(f" ratio: ours / plain = {ratio:.2f} (target <= 1.0); of CPU time {cpu:.2f}")
        print(f"overrides: {mine['overrides']}")


if __name__ == "__main__":
    main()
