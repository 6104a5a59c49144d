"""The search: Datasette's own full-text search (SQLite FTS5) of search_entries finds a member
by nickname, a measure by its citation however written or its title, a roll call by its
question; the search box is on the home page; on PostgreSQL the build writes the plain table."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.helpers import build_curated
from votes.database.engine import engine_for
from votes.database.search import normalized_key
from votes.publish import serve


@pytest.fixture(scope="module")
def datasette(war_powers_db: Path) -> Any:
    return serve.app(war_powers_db)


def found(datasette: Any, words: str) -> list[tuple[str, str]]:
    """(entity, ref) of every entry the search box finds for `words`, in order."""
    response = asyncio.run(
        datasette.client.get(
            "/votes/search_entries.json", params={"_search": words, "_shape": "objects"}
        )
    )
    assert response.status_code == 200, response.text
    return [(row["entity"], row["ref"]) for row in response.json()["rows"]]


def test_a_member_is_found_by_nickname(datasette: Any) -> None:
    assert found(datasette, "Bernie") == [("member", "S000033")]
    assert ("member", "S000033") in found(datasette, "sanders")


def measure_id(datasette: Any, label: str) -> str:
    """A measure's id, as text, in the war-powers database (ids follow data/measures.csv)."""
    response = asyncio.run(datasette.client.get(f"/votes/measures.json?label={label}&_shape=array"))
    return str(response.json()[0]["id"])


def test_accents_do_not_matter(datasette: Any) -> None:
    assert ("member", "G000551") in found(datasette, "Raul Grijalva")


@pytest.mark.parametrize(
    "written", ["HR 5543", "H.R.5543", "hr5543", "H.R. 5543 (116th)", "h.r. 5543"]
)
def test_a_bill_number_is_found_however_written(datasette: Any, written: str) -> None:
    hits = found(datasette, written)
    assert hits[0] == ("measure", measure_id(datasette, "H.R. 5543 (116th)"))
    # and the vote on H.R. 550 that carried its text
    assert ("roll_call", "h33-116.2020") in hits


@pytest.mark.parametrize("written", ["S.J.Res. 68", "SJRES 68", "sjres68", "S.J.Res.68 (116th)"])
def test_a_joint_resolution_and_every_vote_on_it(datasette: Any, written: str) -> None:
    assert found(datasette, written) == [
        ("measure", measure_id(datasette, "S.J.Res. 68 (116th)")),
        ("roll_call", "s84-116.2020"),
        ("roll_call", "h101-116.2020"),
        ("roll_call", "s52-116.2020"),
    ]


def test_measure_titles_and_roll_call_questions(datasette: Any) -> None:
    assert found(datasette, "merchant mariners")[0] == (
        "measure",
        measure_id(datasette, "H.R. 550 (116th)"),
    )
    assert found(datasette, "overriding the veto") == [("roll_call", "s84-116.2020")]


def test_each_title_leads_to_its_page_and_the_home_page_has_the_box(datasette: Any) -> None:
    page = asyncio.run(datasette.client.get("/votes/search_entries?_search=Bernie")).text
    assert '<a href="/votes/members/S000033">Bernard Sanders</a>' in page
    home = asyncio.run(datasette.client.get("/")).text
    assert '<form class="votes-search" action="/votes/search_entries"' in home
    assert 'name="_search"' in home


def test_the_search_key_spells_a_bill_number_once(datasette: Any) -> None:
    response = asyncio.run(
        datasette.client.get("/votes/search_entries.json?search_key=sjres68&_shape=objects")
    )
    assert [r["ref"] for r in response.json()["rows"]] == [
        measure_id(datasette, "S.J.Res. 68 (116th)"),
        "s84-116.2020",
        "h101-116.2020",
        "s52-116.2020",
    ]


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("HR 6395", "hr6395"),
        ("H.R.6395", "hr6395"),
        ("hr6395", "hr6395"),
        ("H.R. 6395 (116th)", "hr6395"),
        ("S. J. Res. 68", "sjres68"),
        ("Senate bill 5", None),
        ("6395", None),
    ],
)
def test_a_citation_normalized(written: str, key: str | None) -> None:
    assert normalized_key(written) == key


def test_postgresql_gets_the_plain_table_and_no_index(empty_postgres_url: str) -> None:
    build_curated(empty_postgres_url)
    engine = engine_for(empty_postgres_url)
    with engine.connect() as connection:
        bernie = connection.execute(
            text("SELECT ref FROM search_entries WHERE text ILIKE '%bernie%'")
        ).all()
        tables = connection.execute(
            text("SELECT COUNT(*) FROM pg_tables WHERE tablename LIKE 'search_entries_fts%'")
        ).scalar_one()
    engine.dispose()
    assert [tuple(r) for r in bernie] == [("S000033",)]
    assert tables == 0
