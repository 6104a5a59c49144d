"""Import benchmark: the whole 1989-2020 archive into a new database, ours against a plain loader.

    .venv/bin/python benchmarks/import_bench.py [--archive PATH] [--jobs N] [--workdir DIR]

Prints, for `votes import` and for a plain hand-written loader (standard json + sqlite3
executemany of roll calls and positions into bare tables, no validation, no index beyond the
primary keys) run on the same input in the same run: votes, positions, seconds, positions per
second, peak memory (RSS), database bytes and bytes per position; then the ratio of the two
times. Each loader runs in its own process, so each peak RSS is its own. Ours also reports the
veto-override check: every veto-override roll call in override_math, with agrees_with_official.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ROOT.parent / "shared" / "data" / "votes-1989-2020.tar.xz"
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


def plain_load(archive: Path, db: Path) -> None:
    """The plainest loader: json + executemany into bare tables, one transaction."""
    connection = sqlite3.connect(db)
    for sql in PLAIN_SCHEMA:
        connection.execute(sql)
    with tarfile.open(archive) as tar:
        for member in tar:
            if not (member.isfile() and member.name.endswith(".json")):
                continue
            doc = json.load(tar.extractfile(member))  # type: ignore[arg-type]
            connection.execute(
                f"INSERT INTO roll_calls VALUES ({', '.join('?' * 12)})",
                [doc.get(f) for f in ROLL_FIELDS],
            )
            connection.executemany(
                "INSERT INTO positions VALUES (?, ?, ?, ?, ?)",
                [
                    (doc["vote_id"], v["id"], v.get("party"), v.get("state"), option)
                    if isinstance(v, dict)
                    else (doc["vote_id"], v, None, None, option)
                    for option, voters in doc["votes"].items()
                    for v in voters
                ],
            )
    connection.commit()
    connection.close()


def ours(archive: Path, db: Path, jobs: int | None) -> None:
    """`votes import ARCHIVE --db DB`, as the command runs it (without a progress bar)."""
    from votes.database.pipeline import import_sources

    import_sources([str(archive)], db, jobs=jobs)


class PeakRSS:
    """Samples the resident memory of this process and all its descendants (Linux /proc)."""

    def __init__(self, interval: float = 0.05) -> None:
        self.peak, self.interval = 0, interval
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
            self.peak = max(self.peak, sum(_rss(pid) for pid in _tree(os.getpid())))


def _tree(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *(p for child in children for p in _tree(int(child)))]


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def measure(which: str, archive: Path, db: Path, jobs: int | None) -> dict:
    """Run one loader in this process and return its figures."""
    db.unlink(missing_ok=True)
    start = time.perf_counter()
    with PeakRSS() as sampled:
        plain_load(archive, db) if which == "plain" else ours(archive, db, jobs)
    seconds = time.perf_counter() - start
    with sqlite3.connect(db) as connection:
        votes, positions = (
            connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("roll_calls", "positions")
        )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    figures = {
        "loader": which,
        "votes": votes,
        "positions": positions,
        "seconds": seconds,
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
    return {
        "veto_override_votes": len(ids),
        "agree_in_override_math": len(ids & agreeing),
        "in_veto_overrides": len(ids & in_vetoes),
    }


def run_child(which: str, archive: Path, workdir: Path, jobs: int | None) -> dict:
    """Run one loader in a fresh Python process, so its memory and time are its own."""
    args = [
        sys.executable,
        __file__,
        "--child",
        which,
        "--archive",
        str(archive),
        "--workdir",
        str(workdir),
    ] + (["--jobs", str(jobs)] if jobs is not None else [])
    out = subprocess.run(args, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(f: dict) -> None:
    """One loader's figures on one line."""
    rate, mb = f["positions"] / f["seconds"], 2**20
    print(
        f"{f['loader']:>6}: {f['votes']:,} votes, {f['positions']:,} positions, "
        f"{f['seconds']:.1f} s, {rate:,.0f} positions/s, peak RSS {f['rss_sampled'] / mb:.0f} MB "
        f"(main {f['rss_self'] / mb:.0f} MB, largest child {f['rss_child_max'] / mb:.0f} MB), "
        f"{f['bytes']:,} bytes, {f['bytes'] / f['positions']:.1f} bytes/position"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    parser.add_argument("--jobs", type=int, default=None, help="reader processes for ours")
    parser.add_argument("--workdir", type=Path, default=None, help="where the databases go")
    parser.add_argument("--runs", type=int, default=1, help="alternate the loaders this often")
    parser.add_argument("--child", choices=("plain", "ours"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="votes-bench-"))
    if args.child:
        figures = measure(args.child, args.archive, workdir / f"{args.child}.db", args.jobs)
        print(json.dumps(figures))
        return
    print(f"archive {args.archive} ({args.archive.stat().st_size:,} bytes); databases in {workdir}")
    for _ in range(args.runs):
        plain = run_child("plain", args.archive, workdir, None)
        mine = run_child("ours", args.archive, workdir, args.jobs)
        report(plain)
        report(mine)
        print(f" ratio: ours / plain = {mine['seconds'] / plain['seconds']:.2f} (target <= 1.0)")
        print(f"overrides: {mine['overrides']}")


if __name__ == "__main__":
    main()
