"""Every facet value of every column of every view, clicked: its link returns the rows the facet
counted (a computed column's number included: override_math?override_vote=1 once showed none),
and so do the same filter's CSV stream and the numbers' other comparisons."""

from __future__ import annotations

import asyncio
import csv
import io
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from votes.database import summaries, views
from votes.publish import serve


@pytest.fixture(scope="module")
def datasette(war_powers_db: Path) -> Any:
    return serve.app(war_powers_db)


def get(datasette: Any, path: str) -> Any:
    response = asyncio.run(datasette.client.get(path))
    assert response.status_code == 200, (path, response.text[:300])
    return response


def columns(datasette: Any, view: str) -> list[str]:
    return list(get(datasette, f"/votes/{view}.json?_size=1").json()["columns"])


def local(url: str) -> str:
    """A link Datasette writes as an absolute URL, as a path on this app."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.mark.parametrize("view", views.names() + summaries.STORED)  # views, and those stored
def test_every_facet_value_returns_the_rows_it_counted(datasette: Any, view: str) -> None:
    clicked = 0
    for column in columns(datasette, view):
        page = get(datasette, f"/votes/{view}.json?_facet={column}&_size=0").json()
        facet = page["facet_results"][column]
        for result in facet["results"]:
            link = local(result["toggle_url"])
            assert f"{column}=" in link, link
            got = get(datasette, link).json()["filtered_table_rows_count"]
            assert got == result["count"], (view, column, result["value"], link)
            clicked += 1
    assert clicked, view


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ("override_vote=1", 1),  # the example: s84-116.2020
        ("carried_two_thirds=0", 6),
        ("margin=-13", 1),
        ("margin__lt=-40", 3),  # -41, -49, -55: a negative number compares as a number
        ("margin__gte=-13", 2),  # -12 and -13
        ("override_vote__in=0,1", 6),
        ("two_thirds_needed__not=62", 5),
    ],
)
def test_numbers_on_computed_columns_compare_as_numbers(
    datasette: Any, query: str, rows: int
) -> None:
    page = get(datasette, f"/votes/override_math.json?{query}").json()
    assert page["filtered_table_rows_count"] == rows, [r[0] for r in page["rows"]]
    streamed = get(datasette, f"/votes/override_math.csv?{query}&_stream=on").text
    assert len(list(csv.reader(io.StringIO(streamed)))) == rows + 1  # the stream agrees


def test_other_views_and_text_filters(datasette: Any) -> None:
    for path, rows in (
        ("/votes/veto_overrides.json?turn=1", 120),  # every veto of data/vetoes.csv
        ("/votes/veto_status.json?presentable=1", 123),
        ("/votes/threshold_math.json?carried=1", 5),
        ("/votes/member_votes.json?threshold=two_thirds_voting", 100),
        ("/votes/party_defectors.json?party_majority=nay", None),
    ):
        count = get(datasette, path).json()["filtered_table_rows_count"]
        assert count == rows if rows is not None else count > 0, path
