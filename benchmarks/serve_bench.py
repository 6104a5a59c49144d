"""Serving benchmark: `votes serve` on the full database, real pages, concurrent clients.

    .venv/bin/python benchmarks/serve_bench.py DB [--clients N] [--seconds 30] [--port 8765]

Starts `votes serve` on loopback (one process per core, each serving one request at a time),
waits until it answers, then `--clients` threads each request the pages below in turn (each
client starting at a different page) until `--seconds` have passed; by default as many clients
as `votes serve` has processes (more clients than cores measure queueing on a saturated
machine, not a page). Prints, per page, the requests made, p50 / p95 / max latency in
milliseconds and the errors (any status but 200, or a failed request). A response is timed
until its last byte, so the CSV stream is timed in full. Target: p95 <= 100 ms on every page,
no errors.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOTES = ROOT / ".venv" / "bin" / "votes"
MEMBER = "S000244"  # F. James Sensenbrenner, Jr.: 19,583 House positions, 1990-2020
ROLL_CALL = "h101-116.2020"
PAGES: dict[str, str] = {
    "roll call page": f"/votes/roll_calls/{ROLL_CALL.replace('.', '~2E')}",
    "roll call positions": f"/votes/member_votes?roll_call_id={ROLL_CALL}",
    "member record (view)": f"/votes/member_votes?member_id={MEMBER}",
    "member record (query)": f"/votes/member_record?member={MEMBER}",  # per Congress
    "override_math senate": "/votes/override_math?chamber=senate",
    "party facet": "/votes/party_breakdown?_facet=party",
    "member CSV stream": f"/votes/member_votes.csv?member_id={MEMBER}&_stream=on&_size=max",
}


def ours(db: Path, port: int) -> list[str]:
    """`votes serve`: our metadata, settings, templates, one process per core."""
    return [str(VOTES), "serve", "--db", str(db), "--port", str(port)]


def baseline(db: Path, port: int) -> list[str]:
    """Plain `datasette serve` of the same file: Datasette's defaults, one process."""
    return [str(VOTES.with_name("datasette")), "serve", str(db), "--port", str(port)]


def baseline_pages(db: Path) -> dict[str, str]:
    """The same pages under plain Datasette (the database named by its file; no stored query)."""
    return {
        name: path.replace("/votes/", f"/{db.stem}/", 1)
        for name, path in PAGES.items()
        if "(query)" not in name
    }


def start(command: list[str], port: int) -> subprocess.Popen:
    """A server in a child process, once it answers on loopback."""
    server = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if fetch(port, "/-/versions.json")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("votes serve did not answer within 60 s")


def fetch(port: int, path: str) -> tuple[int, int]:
    """Status and body size of one GET, the body read to its end."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def client(
    port: int, pages: dict[str, str], offset: int, until: float, timings: dict, errors: dict
) -> None:
    """Request the pages in turn, from `offset`, until the time is up."""
    names = list(pages)
    n = offset
    while time.monotonic() < until:
        name = names[n % len(names)]
        n += 1
        start_time = time.perf_counter()
        try:
            status, _ = fetch(port, pages[name])
        except OSError:
            status = 0
        elapsed = (time.perf_counter() - start_time) * 1000
        timings[name].append(elapsed)
        if status != 200:
            errors[name] += 1


def run(port: int, pages: dict[str, str], clients: int, seconds: float) -> tuple[dict, dict]:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for path in pages.values():  # warm the page cache once, untimed
        fetch(port, path)
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(port, pages, i, until, timings, errors))
        for i in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return timings, errors


def report(title: str, pages: dict[str, str], timings: dict, errors: dict) -> None:
    print(title)
    print(f"{'page':<24} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>6}")
    for name in pages:
        values = sorted(timings[name])
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(
            f"{name:<24} {len(values):>8} {statistics.median(values):>8.1f} {p95:>8.1f} "
            f"{values[-1]:>8.1f} {errors[name]:>6}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--clients", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip plain `datasette serve` of the same file"
    )
    args = parser.parse_args()
    print(
        f"{args.db} ({args.db.stat().st_size:,} bytes), {args.clients} clients, "
        f"{args.seconds:.0f} s, Python {sys.version.split()[0]}"
    )
    for name, path in PAGES.items():
        print(f"  {name}: {path}")
    runs = [("votes serve", ours, PAGES)]
    if not args.no_baseline:
        runs.append(("baseline: plain datasette serve", baseline, baseline_pages(args.db)))
    for title, command, pages in runs:
        report(title, pages, *measure(command(args.db, args.port), args, pages))


def measure(command: list[str], args: argparse.Namespace, pages: dict[str, str]):  # type: ignore[no-untyped-def]
    """Start the server, drive it, stop it: (timings, errors)."""
    server = start(command, args.port)
    try:
        return run(args.port, pages, args.clients, args.seconds)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
