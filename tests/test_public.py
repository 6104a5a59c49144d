"""A public server that stays up (issue 14, item 7): immutable or read-only, SQL results of
bounded size, custom SQL off with one option, no filesystem paths, 400 for a bad sort, and a
file replaced by rename served without a restart. Real Datasette in process (datasette.client),
and `votes serve` on a port where a process's memory is the point."""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import sqlite3
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

import votes
from tests.helpers import votes_cli
from tests.served import serving
from votes.publish import public, serve, swap

ROLL_CALLS = "/votes/roll_calls.json?_size=1"


def get(datasette: Any, path: str) -> Any:
    return asyncio.run(datasette.client.get(path))


def count(datasette: Any) -> int:
    return int(get(datasette, ROLL_CALLS).json()["filtered_table_rows_count"])


@pytest.fixture
def db(war_powers_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "served" / "votes.db"
    copy.parent.mkdir()
    shutil.copyfile(war_powers_db, copy)
    return copy


# ---- immutable, or read-only --------------------------------------------------------------


def test_served_immutable_by_default_read_only_on_request(db: Path) -> None:
    immutable = get(serve.app(db), "/-/databases.json").json()
    read_only = get(serve.app(db, immutable=False), "/-/databases.json").json()
    assert [(d["name"], d["is_mutable"]) for d in immutable] == [("votes", False)]
    assert [(d["name"], d["is_mutable"]) for d in read_only] == [("votes", True)]
    assert len(immutable[0]["hash"]) == 64  # computed before serving, not on a request


def test_the_immutable_file_is_offered_whole(db: Path) -> None:
    download = get(serve.app(db), "/votes.db")
    assert download.status_code == 200 and download.content == db.read_bytes()
    assert download.headers["etag"] == f'"{hashlib.sha256(db.read_bytes()).hexdigest()}"'
    assert get(serve.app(db, immutable=False), "/votes.db").status_code == 403


# ---- no filesystem paths -------------------------------------------------------------------

PAGES = [
    "/",
    "/.json",
    "/votes",
    "/votes.json",
    "/-/databases",
    "/-/databases.json",
    "/-/metadata.json",
    "/-/settings.json",
    "/-/plugins.json",
    "/-/versions.json",
    "/votes/no_such_table",
    "/votes/no_such_table.json",
    "/votes.json?sql=SELECT+*+FROM+no_such_table",
    "/votes.json?sql=SELECT+*+FROM+pragma_database_list",
    "/votes.json?sql=SELECT+file+FROM+pragma_database_list()",
]


def test_no_page_says_where_the_files_are(db: Path) -> None:
    datasette = serve.app(db)
    places = {str(db.parent), str(Path(votes.__file__).parent.parent), os.getcwd()}
    for page in PAGES:
        text = get(datasette, page).text
        assert not [place for place in places if place in text], page
    listed = get(datasette, "/-/databases.json").json()
    assert "path" not in listed[0] and listed[0]["size"] == db.stat().st_size
    rows = get(datasette, "/votes.json?sql=SELECT+*+FROM+pragma_database_list").json()["rows"]
    assert rows == [[0, "main", None]]


def test_internal_database_is_not_public(db: Path) -> None:
    """Datasette's _internal database lists every file's path: only its root may read it."""
    assert get(serve.app(db), "/_internal/databases.json").status_code == 403


# ---- a sort on a column that is not there ---------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "/votes/roll_calls?_sort=nosuchcolumn",
        "/votes/roll_calls.json?_sort=nosuchcolumn",
        "/votes/roll_calls.json?_sort_desc=nosuchcolumn",
        "/votes/override_math?_sort_desc=nosuchcolumn",
        "/votes/override_math.json?_sort=nosuchcolumn",
        "/votes/override_math.csv?_sort=nosuchcolumn",
    ],
)
def test_sort_on_a_missing_column_is_400(db: Path, page: str) -> None:
    response = get(serve.app(db), page)
    assert response.status_code == 400
    assert "Cannot sort table by nosuchcolumn" in response.text


def test_sort_on_a_column_still_sorts(db: Path) -> None:
    datasette = serve.app(db)
    rows = get(datasette, "/votes/roll_calls.json?_sort=date&_shape=array").json()
    assert rows and [r["date"] for r in rows] == sorted(r["date"] for r in rows)


# ---- what custom SQL may cost -----------------------------------------------------------------

TOO_BIG = [
    ("SELECT zeroblob(1000000000)", "string or blob too big"),
    ("SELECT printf('%.*c', 1000000000, 'x')", "not authorized to use function: printf"),
    ("SELECT format('%.*c', 1e9, 'x')", "not authorized to use function: format"),
    ("SELECT replace(hex(zeroblob(400000)), '0', '00')", "string or blob too big"),
    (
        "SELECT zeroblob(999999), zeroblob(999999) FROM roll_calls, members LIMIT 1000",
        public.TOO_BIG,
    ),
]


@pytest.mark.parametrize(("sql", "error"), TOO_BIG)
def test_sql_too_big_fails_fast_with_400(db: Path, sql: str, error: str) -> None:
    datasette = serve.app(db)
    started = time.monotonic()
    response = asyncio.run(datasette.client.get("/votes.json", params={"sql": sql}))
    assert time.monotonic() - started < 2
    assert (response.status_code, response.json()["error"]) == (400, error)
    html = asyncio.run(datasette.client.get("/votes", params={"sql": sql}))
    assert html.status_code == 400 and error in html.text


def test_a_full_page_of_the_widest_rows_is_within_the_bound(db: Path) -> None:
    """1,000 rows of the record's widest text are far from MAX_RESULT_BYTES."""
    datasette = serve.app(db)
    sql = "SELECT r.*, m.* FROM roll_calls r, measures m, members ORDER BY r.id LIMIT 1000"
    response = asyncio.run(datasette.client.get("/votes.json", params={"sql": sql}))
    assert response.status_code == 200 and len(response.json()["rows"]) == 1000


def test_the_bound_is_per_query(db: Path) -> None:
    """Many queries each under the bound, on one connection, all answer."""
    datasette = serve.app(db)
    sql = "SELECT zeroblob(900000) FROM roll_calls LIMIT 5"  # 4.5 MB: under 5 MB
    for _ in range(3):
        response = asyncio.run(datasette.client.get("/votes.json", params={"sql": sql}))
        assert response.status_code == 200


def test_no_custom_sql_switches_off_the_sql_box_and_its_csv(db: Path) -> None:
    closed = serve.app(db, custom_sql=False)
    assert get(closed, "/votes.json?sql=SELECT+1").status_code == 403
    assert get(closed, "/votes.csv?sql=SELECT+1&_stream=on").status_code == 403
    assert get(closed, "/votes/override_math_of_congress.json?congress=116").status_code == 200
    assert get(closed, "/votes/override_math.csv?_stream=on").status_code == 200
    assert get(closed, "/-/settings.json").json()["default_allow_sql"] is False
    assert get(serve.app(db), "/votes.json?sql=SELECT+1").status_code == 200


# ---- a process's memory, on a port ------------------------------------------------------------


def worker_pids(server: int) -> list[int]:
    """The processes of `votes serve` that answer requests: uvicorn's workers (spawned
    children), or the server itself when it runs one."""
    children = Path(f"/proc/{server}/task/{server}/children").read_text().split()
    workers = [
        int(pid) for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    return workers or [server]


def peak_rss_kb(pid: int) -> int:
    """The most resident memory the process has had (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmHWM for {pid}")


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_huge_sql_results_do_not_grow_the_server(db: Path) -> None:
    """zeroblob(1e9) grew a worker by 5 GB; now it fails at once and the worker's peak memory
    grows by at most 160 MB (not GBs) after each, in JSON, HTML and CSV."""
    with serving(db, "--workers", "1") as base_url:
        pid = worker_pids(server_pid())[0]
        assert status_of(f"{base_url}/votes.json?sql=SELECT+1") == 200
        before = peak_rss_kb(pid)
        for sql in ("SELECT+zeroblob(1000000000)", "SELECT+printf('%25.*c',1000000000,'x')"):
            for page in ("/votes.json", "/votes", "/votes.csv"):
                assert status_of(f"{base_url}{page}?sql={sql}") == 400, (page, sql)
        wide = "SELECT+zeroblob(999999),zeroblob(999999)+FROM+roll_calls,members+LIMIT+1000"
        assert status_of(f"{base_url}/votes.json?sql={wide}") == 400
        under = "SELECT+zeroblob(999999)+FROM+roll_calls+LIMIT+3"  # its JSON: ~70 MB to answer
        for page in ("/votes.json", "/votes"):
            assert status_of(f"{base_url}{page}?sql={under}") == 200
        grown = peak_rss_kb(pid) - before
        print(f"worker {pid}: peak RSS {before:,} KiB before, grown by {grown:,} KiB")
        assert grown < 160 * 1024


def server_pid() -> int:
    """The `votes serve` process this test started (its child)."""
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"serve" in command:
            return int(entry.name)
    raise AssertionError("no votes serve process")


# ---- a replaced file, served without a restart -----------------------------------------------


def smaller_copy(db: Path, beside: Path, keep: int) -> Path:
    """A complete database beside `db` holding its first `keep` roll calls (for a rename)."""
    copy = beside / f"next-{keep}.db"
    shutil.copyfile(db, copy)
    with sqlite3.connect(copy) as connection:
        connection.execute("PRAGMA foreign_keys = OFF")
        ids = [r[0] for r in connection.execute("SELECT key FROM roll_calls ORDER BY key")]
        for key in ids[keep:]:
            connection.execute("DELETE FROM positions WHERE roll_call_key = ?", (key,))
            connection.execute("DELETE FROM roll_calls WHERE key = ?", (key,))
    return copy


async def served_count(datasette: Any, expected: int, seconds: float = 10) -> int:
    """Ask until the count is `expected` (a swap is prepared off the request path), in one
    event loop as a server process runs."""
    deadline = time.monotonic() + seconds
    while True:
        response = await datasette.client.get(ROLL_CALLS)
        found = int(response.json()["filtered_table_rows_count"])
        if found == expected or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.05)


def open_deleted(path: Path) -> list[str]:
    """Files this process holds open that were `path` before a rename replaced them."""
    fds = Path("/proc/self/fd")
    links = []
    for fd in fds.iterdir():
        try:
            links.append(os.readlink(fd))
        except OSError:
            continue
    return [link for link in links if link == f"{path} (deleted)"]


def test_a_file_replaced_by_rename_is_served_without_restart(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(swap, "CHECK_SECONDS", 0.0)
    datasette = serve.app(db)
    first = count(datasette)

    async def run() -> None:
        os.replace(smaller_copy(db, db.parent.parent, 3), db)
        assert await served_count(datasette, 3) == 3
        listed = (await datasette.client.get("/-/databases.json")).json()
        assert listed[0]["size"] == db.stat().st_size
        assert (await datasette.client.get("/")).status_code == 200  # the new file's counts
        assert open_deleted(db) == []  # the old file is closed once no request runs on it
        os.replace(smaller_copy(db, db.parent.parent, 2), db)
        assert await served_count(datasette, 2) == 2

    asyncio.run(run())
    assert first > 3


def test_a_request_ends_on_the_file_it_began_with(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request pinned to a generation sees it to its end, whatever is swapped in meanwhile;
    its file is closed only when it ends."""
    monkeypatch.setattr(swap, "CHECK_SECONDS", 0.0)
    datasette = serve.app(db)
    swapper: swap.Swapper = datasette._votes_swapper
    first = count(datasette)

    async def run() -> None:
        generation = swapper.begin()
        os.replace(smaller_copy(db, db.parent.parent, 1), db)
        assert await served_count(datasette, 1) == 1
        token = swap.PINNED.set((datasette, generation.databases))
        try:  # what the request began with is what it gets, to its end
            database = datasette.get_database("votes")
            assert database is generation.database is not swapper.current.database
            result = await database.execute("SELECT count(*) FROM roll_calls")
            assert result.first()[0] == first  # the old file, still open though replaced
            assert open_deleted(db) == [f"{db} (deleted)"]
        finally:
            swap.PINNED.reset(token)
            swapper.end(generation)
        assert datasette.get_database("votes") is swapper.current.database
        assert open_deleted(db) == []

    asyncio.run(run())


def test_a_file_that_is_not_ours_is_not_swapped_in(
    db: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(swap, "CHECK_SECONDS", 0.0)
    datasette = serve.app(db)
    first = count(datasette)
    other = db.parent.parent / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")

    async def run() -> None:
        os.replace(other, db)
        for _ in range(20):
            response = await datasette.client.get(ROLL_CALLS)
            assert response.json()["filtered_table_rows_count"] == first
            await asyncio.sleep(0.02)

    asyncio.run(run())
    said = [line for line in capfd.readouterr().err.splitlines() if "not a votes database" in line]
    assert len(said) == 1 and said[0].endswith(
        f"{db}: not a votes database (no alembic_version, roll_calls table); "
        "still serving the file opened before"
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (None, "no such database; run `votes build` first"),
        (
            b"not a database at all, just text" * 200,
            "not a votes database (file is not a database)",
        ),
        (b"", "not a votes database (no alembic_version, roll_calls table)"),
    ],
)
def test_votes_serve_refuses_what_it_cannot_serve(
    tmp_path: Path, make: bytes | None, message: str
) -> None:
    path = tmp_path / "x.db"
    if make is not None:
        path.write_bytes(make)
    result = votes_cli("serve", "--db", str(path), "--port", "1")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"Error: {path}: {message}"]


def test_serve_runs_several_workers_each_on_its_own(db: Path) -> None:
    """Two worker processes, each with its own Datasette on the immutable file."""
    with serving(db, "--workers", "2") as base_url:
        assert len(worker_pids(server_pid())) == 2
        assert status_of(f"{base_url}/votes/override_math") == 200


def test_a_streamed_csv_of_ones_own_sql_is_bounded_per_row(db: Path) -> None:
    """A stream sends every row, so the per-query bound cannot apply; each row may carry at most
    1/100 of it, and 100 rows of 900 kB (90 MB a batch) are refused with the reason."""
    datasette = serve.app(db)
    sql = "SELECT zeroblob(900000) FROM roll_calls LIMIT 100"
    response = asyncio.run(datasette.client.get("/votes.csv", params={"sql": sql, "_stream": "on"}))
    assert response.status_code == 400 and "a row too large to stream" in response.text
    sql = "SELECT r.*, m.* FROM roll_calls r, measures m LIMIT 500"  # the widest real rows
    response = asyncio.run(datasette.client.get("/votes.csv", params={"sql": sql, "_stream": "on"}))
    assert response.status_code == 200 and len(response.text.splitlines()) > 500
