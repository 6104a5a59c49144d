"""CSV in full: a stored query's or custom SQL's CSV holds every row with _stream=on, sent in
pieces of about 64 KB; without it, Datasette's limit and a last line saying plainly that the
CSV was cut; a download is named for what it holds; permissions and read-only SQL as Datasette's.
"""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
from datasette.app import Datasette

from votes.publish import csv_stream, serve

CONGRESS_116 = "/votes/override_math_of_congress.csv?congress=116"
SQL = "/votes.csv?sql=SELECT+id,+question+FROM+roll_calls+WHERE+congress+=+:congress+ORDER+BY+id"


@pytest.fixture
def datasette(war_powers_db: Path) -> Datasette:
    return serve.app(war_powers_db)


def get(datasette: Datasette, path: str) -> httpx.Response:
    return asyncio.run(datasette.client.get(path))


def rows_of(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text[:300]
    return list(csv.reader(io.StringIO(response.text)))


@pytest.mark.parametrize("path", [CONGRESS_116, f"{SQL}&congress=116"])
def test_every_row_with_stream_on(datasette: Datasette, path: str) -> None:
    datasette._settings["max_returned_rows"] = 4  # fewer than the record's 6 roll calls
    header, *rows = rows_of(get(datasette, f"{path}&_stream=on"))
    assert len(rows) == 6 and header[0] in ("roll_call_id", "id")
    assert len({r[0] for r in rows}) == 6


@pytest.mark.parametrize("path", [CONGRESS_116, f"{SQL}&congress=116"])
def test_without_stream_the_csv_says_it_was_cut(datasette: Datasette, path: str) -> None:
    datasette._settings["max_returned_rows"] = 4
    header, *rows = rows_of(get(datasette, path))
    assert len(rows) == 5
    assert rows[-1][0].startswith("CSV cut after 4 rows")
    assert "add _stream=on to this address for every row" in rows[-1][0]
    datasette._settings["max_returned_rows"] = 6  # exactly all: nothing cut, nothing said
    assert len(rows_of(get(datasette, path))) == 7


def test_a_stored_query_as_datasette_shows_it(datasette: Datasette) -> None:
    """The same rows and columns as Datasette's own CSV, when nothing is cut."""
    ours = rows_of(get(datasette, f"{CONGRESS_116}&_stream=on"))
    theirs = rows_of(get(datasette, f"{CONGRESS_116}&_trace=1&_datasette=1"))  # handed over
    json = get(datasette, "/votes/override_math_of_congress.json?congress=116").json()
    assert ours[0] == json["columns"]
    assert [r[0] for r in ours[1:]] == [r[0] for r in json["rows"]]
    assert theirs  # Datasette answered the request the route handed over


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (f"{CONGRESS_116}&_stream=on&_dl=1", "override_math_of_congress_congress-116.csv"),
        (
            "/votes/member_agreement.csv?a=S000033&b=K000384&congress=&_stream=on&_dl=1",
            "member_agreement_a-S000033_b-K000384.csv",
        ),
        (
            "/votes/member_votes.csv?name=Bernard+Sanders&_stream=on&_dl=1",
            "member_votes_name-Bernard_Sanders.csv",
        ),
        ("/votes/override_math.csv?_stream=on&_dl=1", "override_math.csv"),
    ],
)
def test_a_download_is_named_for_what_it_holds(datasette: Datasette, path: str, name: str) -> None:
    response = get(datasette, path)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'


def test_custom_sql_is_named_by_its_text(datasette: Datasette) -> None:
    response = get(datasette, f"{SQL}&congress=116&_stream=on&_dl=1")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="votes_sql_')
    assert disposition.endswith('_congress-116.csv"')


def test_custom_sql_must_be_allowed_and_read_only(datasette: Datasette) -> None:
    assert get(datasette, "/votes.csv?sql=DELETE+FROM+roll_calls&_stream=on").status_code == 400
    datasette._settings["default_allow_sql"] = False
    assert get(datasette, f"{SQL}&congress=116&_stream=on").status_code == 403


def test_a_query_over_the_time_limit_is_an_error_page(datasette: Datasette) -> None:
    datasette._settings["sql_time_limit_ms"] = 0
    slow = "SELECT+COUNT(*)+FROM+positions+AS+a,+positions+AS+b"  # 9 million pairs
    response = get(datasette, f"/votes.csv?sql={slow}&_stream=on")
    assert response.status_code == 400 and "interrupted" in response.text


def test_an_error_after_the_first_piece_says_the_csv_was_cut(
    datasette: Datasette, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = csv_stream.Reader.next_chunk
    calls: list[int] = []

    def failing(self: csv_stream.Reader) -> str | None:
        calls.append(1)
        if len(calls) > 1:
            raise sqlite3.OperationalError("interrupted")
        return real(self)

    monkeypatch.setattr(csv_stream.Reader, "next_chunk", failing)
    text = get(datasette, f"{SQL}&congress=116&_stream=on").text
    assert text.endswith("\r\nCSV cut here: interrupted\r\n")


def test_a_long_stream_is_sent_in_pieces(slice_db: Path) -> None:
    """124,230 positions of the slice by custom SQL: every row, about 64 KB a message."""
    datasette = serve.app(slice_db)
    sizes: list[int] = []
    body = bytearray()

    async def run() -> None:
        query = b"sql=SELECT+*+FROM+member_votes&_stream=on"
        scope: dict[str, Any] = {
            "type": "http",
            "method": "GET",
            "path": "/votes.csv",
            "raw_path": b"/votes.csv",
            "query_string": query,
            "headers": [],
        }

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            if message["type"] == "http.response.body" and message.get("body"):
                sizes.append(len(message["body"]))
                body.extend(message["body"])

        await datasette.app()(scope, receive, send)

    asyncio.run(run())
    assert len(list(csv.reader(io.StringIO(body.decode())))) == 124_230 + 1
    assert all(size >= csv_stream.CHUNK_BYTES for size in sizes[:-1])
    assert max(sizes) < 2 * csv_stream.CHUNK_BYTES
