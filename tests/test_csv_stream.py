"""A view's full CSV in one pass (votes/csv_stream.py) is Datasette's own CSV, byte for byte.

Datasette's own answer is had by adding `_datasette=1`: an underscore parameter Datasette
ignores and the one-pass stream does not handle, so the request goes to Datasette unchanged.
The database is the slice of the 1989-2020 archive (tests/test_bulk_import.py), so Datasette's
own stream runs to several pages of 1,000 rows where the one-pass stream runs one query.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import shutil
import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from datasette.app import Datasette

from tests.served import serving
from votes.database import views
from votes.publish import csv_stream, member_votes_csv, public, serve

DATASETTE_ITSELF = "&_datasette=1"
STREAMS = [
    *(f"/votes/{view}.csv?_stream=on" for view in views.names() if view != "member_votes"),
    "/votes/member_votes.csv?_stream=on&chamber=senate&party=R",  # 7,922 rows: 8 pages
    "/votes/member_votes.csv?_stream=on&member_id=S000244&_size=max",
    "/votes/member_votes.csv?_stream=on&roll_call_id__startswith=s&option=nay",
    "/votes/veto_status.csv?_stream=on&_dl=1",  # sorted by measure_id desc
    "/votes/vote_outcomes.csv?_stream=on&_header=off&outcome=failed",  # sorted by roll_call_id
    "/votes/party_defectors.csv?_stream=on&party=D&_nocount=1&_nofacet=1",
    "/votes/member_votes.csv?_stream=on&member_id=nobody",  # no rows: the header alone
]


@pytest.fixture(scope="module")
def datasette(slice_db: Path) -> Datasette:
    app = serve.app(slice_db)
    asyncio.run(app.invoke_startup())
    return app


@pytest.fixture
def one_pass(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL of each stream the one-pass route answered (none when Datasette did)."""
    answered: list[str] = []
    real = csv_stream.stream

    async def spy(datasette, request, send, sql, params, columns, **kw):  # type: ignore[no-untyped-def]
        answered.append(sql)
        await real(datasette, request, send, sql, params, columns, **kw)

    monkeypatch.setattr(csv_stream, "stream", spy)
    return answered


def get(datasette: Datasette, path: str) -> httpx.Response:
    return asyncio.run(datasette.client.get(path))


HEADERS = ("content-type", "content-disposition", "access-control-allow-origin", "vary")


@pytest.mark.parametrize("path", STREAMS)
def test_the_one_pass_stream_is_datasettes_csv_byte_for_byte(
    datasette: Datasette, one_pass: list[str], path: str
) -> None:
    ours = get(datasette, path)
    assert len(one_pass) == 1, "the one-pass route did not answer"
    theirs = get(datasette, path + DATASETTE_ITSELF)
    assert len(one_pass) == 1, "Datasette's own answer went through the one-pass route"
    assert (ours.status_code, theirs.status_code) == (200, 200)
    assert ours.content == theirs.content
    assert [ours.headers.get(h) for h in HEADERS] == [theirs.headers.get(h) for h in HEADERS]


def test_member_votes_streams_from_its_narrow_query(
    datasette: Datasette, one_pass: list[str]
) -> None:
    """member_votes' stream selects the six columns that vary by row (the rest is written from
    each roll call's and member's text); another view's selects its own columns."""
    get(datasette, "/votes/member_votes.csv?_stream=on&member_id=S000244")
    get(datasette, "/votes/vote_outcomes.csv?_stream=on")
    narrow, other = one_pass
    assert narrow.startswith(
        "select roll_call_id, member_id, party, state, option, raw_option from member_votes "
    )
    assert not other.startswith("select roll_call_id, member_id")


def test_a_server_makes_the_texts_as_it_starts(slice_db: Path, tmp_path: Path) -> None:
    """Made on a thread at start-up, so the first download does not wait for them."""
    path = tmp_path / "votes.db"
    shutil.copyfile(slice_db, path)
    assert str(path) not in member_votes_csv._CACHE
    app = serve.app(path)
    asyncio.run(app.invoke_startup())
    deadline = time.monotonic() + 30
    while str(path) not in member_votes_csv._CACHE and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(member_votes_csv._CACHE[str(path)].head) == 410


def test_a_file_replaced_at_the_path_gets_its_own_texts(
    tmp_path: Path, war_powers_db: Path, slice_db: Path
) -> None:
    """The roll calls' and members' texts are made again when a writer renames another file
    into place, and kept while the file is the same."""
    path = tmp_path / "votes.db"
    shutil.copyfile(war_powers_db, path)
    with closing(sqlite3.connect(path)) as connection:
        first = member_votes_csv.texts(connection, str(path))
        assert member_votes_csv.texts(connection, str(path)) is first
    assert set(first.head) == {
        "h101-116.2020",
        "h33-116.2020",
        "h34-116.2020",
        "h7-116.2020",
        "s52-116.2020",
        "s84-116.2020",
    }
    assert first.head["s84-116.2020"].startswith("s84-116.2020,senate,2020-05-07")
    new = tmp_path / "new.db"
    shutil.copyfile(slice_db, new)
    os.replace(new, path)
    with closing(sqlite3.connect(path)) as connection:
        second = member_votes_csv.texts(connection, str(path))
        count = connection.execute("SELECT COUNT(*) FROM roll_calls").fetchone()[0]
    assert second is not first
    assert len(second.head) == count > len(first.head)


def test_every_row_comes_once(datasette: Datasette) -> None:
    """The stream of a whole view is every row of it (124,230 positions of the slice)."""
    text = get(datasette, "/votes/member_votes.csv?_stream=on").text
    header, *rows = list(csv.reader(io.StringIO(text)))
    with sqlite3.connect(datasette.get_database("votes").path) as connection:
        expected = connection.execute("SELECT * FROM member_votes").fetchall()
    assert header[:3] == ["roll_call_id", "chamber", "date"]
    assert sorted(map(tuple, rows)) == sorted(
        tuple("" if v is None else str(v) for v in row) for row in expected
    )
    assert len(rows) == 124_230


@pytest.mark.parametrize(
    "path",
    [
        "/votes/member_votes.csv?member_id=S000244&_size=5",  # not a stream: one page
        "/votes/override_math.csv?_stream=on&_sort=roll_call_id",  # a sort of the reader's
        "/votes/override_math.csv?_stream=on&_col=roll_call_id",  # a choice of columns
        "/votes/roll_calls.csv?_stream=on",  # a table: Datasette pages it by key
        "/votes/member_votes.csv?_stream=on&no_such_column=1",  # Datasette's error
    ],
)
def test_anything_else_is_answered_by_datasette(
    datasette: Datasette, one_pass: list[str], path: str
) -> None:
    ours = get(datasette, path)
    assert one_pass == []
    theirs = get(datasette, path + DATASETTE_ITSELF)
    assert (ours.status_code, ours.content) == (theirs.status_code, theirs.content)


def test_a_query_over_the_time_limit_is_an_error_page(
    datasette: Datasette, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(datasette._settings, "sql_time_limit_ms", 0)
    response = get(datasette, "/votes/member_votes.csv?_stream=on&chamber=senate")
    assert response.status_code == 400
    assert "interrupted" in response.text


def test_a_stream_is_sent_in_pieces_not_row_by_row(datasette: Datasette) -> None:
    """About 64 KB a message: a member's 250 votes are one piece, the whole slice many."""
    sizes: list[int] = []

    async def run(path: str) -> None:
        app = datasette.app()
        scope = {
            "type": "http",
            "method": "GET",
            "path": path.split("?")[0],
            "raw_path": path.split("?")[0].encode(),
            "query_string": path.split("?")[1].encode(),
            "headers": [],
        }

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            if message["type"] == "http.response.body" and message.get("body"):
                sizes.append(len(message["body"]))

        await app(scope, receive, send)

    asyncio.run(run("/votes/member_votes.csv?_stream=on&chamber=senate"))
    assert len(sizes) > 4
    assert all(size >= csv_stream.CHUNK_BYTES for size in sizes[:-1])
    assert max(sizes) < 2 * csv_stream.CHUNK_BYTES


def test_the_route_covers_every_view_and_no_table() -> None:
    route = re.compile(csv_stream.ROUTE)
    assert all(route.match(f"/votes/{view}.csv") for view in views.names())
    assert not route.match("/votes/positions.csv")
    assert not route.match("/votes/member_votes.json")


def test_one_process_answers_other_requests_while_it_streams(slice_db: Path) -> None:
    """`votes serve` serves one request at a time per process, but a long stream gives way
    between chunks: with a single process, a page asked for mid-stream is answered mid-stream."""
    finished: dict[str, float] = {}
    streaming = threading.Event()

    def stream_everything(base_url: str) -> None:
        url = f"{base_url}/votes/member_votes.csv?_stream=on"  # 124,230 rows, ~10 MB
        with httpx.stream("GET", url, timeout=60) as response:
            for _ in response.iter_bytes():
                streaming.set()
        finished["stream"] = time.monotonic()

    with serving(slice_db, "--workers", "1") as base_url:
        reader = threading.Thread(target=stream_everything, args=(base_url,))
        reader.start()
        assert streaming.wait(30)
        page = httpx.get(f"{base_url}/votes/roll_calls.json?_size=1", timeout=30)
        finished["page"] = time.monotonic()
        reader.join(60)
    assert page.status_code == 200
    assert finished["page"] < finished["stream"]


# Values csv.writer quotes (delimiter, quote, CR, LF), leaves bare, or writes its own way.
PLAIN_VALUES = [
    "",
    "plain",
    "a, b",
    'say "no"',
    "two\r\nlines",
    "\n",
    "\r",
    "cr\r",
    "é, ü",
    " x ",
    None,
    0,
    -7,
]
OTHER_VALUES = [1.0, 1.5, 1e20, b"by,tes", "nul\x00", True]


def csv_writer_text(rows: list[tuple]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def cursor_of(rows: list[tuple]) -> sqlite3.Cursor:
    """The rows read back from SQLite, as a stream reads them."""
    connection = sqlite3.connect(":memory:")
    width = len(rows[0])
    connection.execute(f"CREATE TABLE t ({', '.join(f'c{i}' for i in range(width))})")
    connection.executemany(f"INSERT INTO t VALUES ({', '.join('?' * width)})", rows)
    return connection.execute("SELECT * FROM t ORDER BY rowid")


@pytest.mark.parametrize("width", [1, 2, 3])
def test_rows_are_written_exactly_as_csv_writer_writes_them(width: int) -> None:
    """Every plain value (the fast path) and every other (csv.writer's own) in every place."""
    values = PLAIN_VALUES + OTHER_VALUES
    rows = [tuple(values[(i + j) % len(values)] for j in range(width)) for i in range(60)]
    plain = [
        tuple(PLAIN_VALUES[(i * 7 + j) % len(PLAIN_VALUES)] for j in range(width))
        for i in range(60)
    ]
    for special in (",", '"', "\r", "\n"):  # a column whose one special is this one
        alone = [tuple(f"{i}{special}" if j == 0 else i for j in range(width)) for i in range(3)]
        assert "".join(csv_stream.csv_chunks(cursor_of(alone), None)) == csv_writer_text(alone)
    for batch in (rows, plain, plain + rows):
        expected = csv_writer_text(list(cursor_of(batch)))
        assert "".join(csv_stream.csv_chunks(cursor_of(batch), None)) == expected
    assert (csv_stream.rows_text(list(cursor_of(plain))) is None) == (width == 1)


def test_a_views_stream_is_bounded_by_sqlite_and_ones_own_sql_row_by_row(
    datasette: Datasette,
) -> None:
    """A view's stream (SQL built here): no Python call per row, SQLite refuses any value or
    sorted row over a batch's share; one's own SQL: each row counted."""
    most = public.MAX_RESULT_BYTES // csv_stream.FETCH_ROWS
    ours = csv_stream.read_only(datasette, "votes", our_sql=True)
    assert ours.row_factory is None
    assert ours.execute("SELECT length(zeroblob(?))", (most,)).fetchone() == (most,)
    with pytest.raises(sqlite3.DataError, match="too big"):
        ours.execute("SELECT zeroblob(?)", (most + 1,)).fetchone()
    own = csv_stream.read_only(datasette, "votes")
    with pytest.raises(sqlite3.DataError, match="a row too large to stream"):
        own.execute("SELECT zeroblob(?), zeroblob(?)", (most // 2, most // 2 + 1)).fetchone()
