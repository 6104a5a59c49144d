"""The pages people read, in process: the database page lists the views first with their
descriptions and hides the internal tables; a stored query is titled by its title and offers
every row as CSV; a row page names its foreign keys by their labels; the roll call, measure and
member pages are titled for what they show (tests/test_browser.py reads them in a browser)."""

from __future__ import annotations

import asyncio
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from votes.publish import serve
from votes.publish.pages import vote_title


@pytest.fixture(scope="module")
def datasette(war_powers_db: Path) -> Any:
    return serve.app(war_powers_db)


def page(datasette: Any, path: str) -> str:
    response = asyncio.run(datasette.client.get(path))
    assert response.status_code == 200, (path, response.text[:300])
    return html.unescape(response.text)


def measure_id(datasette: Any, label: str) -> int:
    """A measure's id in the war-powers database (ids follow data/measures.csv's order)."""
    found = page(datasette, f"/votes/measures.json?label={label}&_shape=array")
    return int(json.loads(found)[0]["id"])


def title(text: str) -> str:
    found = re.search(r"<title>(.*?)</title>", text, re.S)
    assert found
    return " ".join(found.group(1).split())


def test_the_database_page_lists_the_views_first_and_hides_internal_tables(
    datasette: Any,
) -> None:
    text = page(datasette, "/votes")
    sections = [
        text.index(h) for h in ("Views: the answers", "Stored queries", "Tables: the record")
    ]
    assert sections == sorted(sections)
    listed = re.findall(r'<h3><a href="/votes/(\w+)">', text)
    assert listed[0] == "member_votes" and "override_math" in listed
    assert listed.index("veto_overrides") < listed.index("roll_calls")  # views, then tables
    for internal in ("positions", "party_tallies", "voters", "vote_options", "roll_call_digests"):
        assert internal not in listed, internal
    assert "roll_call_thresholds" not in listed  # a building block, hidden
    assert "Every member's position on every roll call, newest first" in text
    assert "select * from carried_texts" not in text
    assert "WHERE congress = 118" in text  # the SQL box starts from a question


def test_a_stored_query_is_titled_and_offers_every_row_as_csv(datasette: Any) -> None:
    text = page(datasette, "/votes/override_math_of_congress?congress=116")
    assert title(text) == "The override math of a congress: votes"
    link = re.search(r'<p class="csv-in-full"><a href="([^"]+)">', text)
    assert link and link.group(1).startswith("/votes/override_math_of_congress.csv?")
    assert link.group(1).endswith("&_stream=on&_dl=1") and "congress=116" in link.group(1)


def test_titles_name_what_a_page_shows(datasette: Any) -> None:
    assert title(page(datasette, "/votes/roll_calls/h101-116~2E2020")) == (
        "S.J.Res. 68 (116th): On Passage: Passed, 227-186"
    )
    hr5543 = measure_id(datasette, "H.R. 5543 (116th)")
    assert title(page(datasette, f"/votes/measures/{hr5543}")) == (
        "H.R. 5543 (116th): No War Against Iran Act"
    )
    assert title(page(datasette, "/votes/members/K000384")) == "Tim Kaine (D, VA)"
    assert title(page(datasette, "/votes/sources/1")) == "votes: sources: 1"  # anything else


def test_a_vote_title_drops_the_citation_its_question_repeats() -> None:
    vote = {"label": "S.J.Res. 68 (116th)", "question": "On Overriding the Veto S.J.Res. 68"}
    vote |= {"result": "Veto Sustained", "yea": 49, "nay": 44}
    assert vote_title(vote) == "S.J.Res. 68 (116th): On Overriding the Veto: Veto Sustained, 49-44"
    house = vote | {"question": "On Passage: S J RES 68 To direct the removal of ..."}
    assert vote_title(house).startswith("S.J.Res. 68 (116th): On Passage: Veto Sustained")
    nomination = {"label": None, "question": "On the Nomination", "result": "Confirmed"}
    assert vote_title(nomination | {"yea": None, "nay": None}) == "On the Nomination: Confirmed"


def test_a_foreign_key_reads_as_its_label(datasette: Any) -> None:
    stats = page(datasette, "/votes/member_stats/1")
    assert re.search(
        r'<td class="col-member_id[^"]*"><a href="/votes/members/\w+">[^<]+</a>', stats
    )
    roll = page(datasette, "/votes/roll_calls/h7-116~2E2020")
    hconres83 = measure_id(datasette, "H.Con.Res. 83 (116th)")
    assert f'<a href="/votes/measures/{hconres83}">H.Con.Res. 83 (116th)</a>' in roll
    assert re.search(r'<td class="col-source_id[^"]*"><a href="https://clerk\.house\.gov/', roll)


def test_a_table_page_links_each_source_to_the_official_record(datasette: Any) -> None:
    """On a table page Datasette has the source's url already (its label): each cell links it."""
    table = page(datasette, "/votes/roll_calls?chamber=house")
    links = re.findall(r'<td class="col-source_id[^"]*"><a href="https://clerk\.house\.gov/', table)
    assert len(links) == table.count('<td class="col-source_id') > 0


def test_a_member_page_links_to_every_vote_and_its_csv(datasette: Any) -> None:
    text = page(datasette, "/votes/members/K000384")
    assert '<a href="/votes/member_votes.csv?member_id=K000384&_stream=on&_dl=1">' in text
    assert '<a href="/votes/party_defectors?member_id=K000384&_facet=congress">' in text
    assert "/votes/member_agreement?a=K000384&b=&congress=" in text
    assert re.findall(r'<tr class="(congress|career)">', text) == ["congress", "career"]


def test_a_view_too_large_to_count_is_counted_when_filtered(datasette: Any) -> None:
    whole = asyncio.run(datasette.client.get("/votes/member_votes.json")).json()
    assert whole["filtered_table_rows_count"] is None and len(whole["rows"]) == 100
    one = asyncio.run(datasette.client.get("/votes/member_votes.json?member_id=S000033")).json()
    assert one["filtered_table_rows_count"] == 2
    searched = asyncio.run(datasette.client.get("/votes/party_defectors.json?_sort=date")).json()
    assert searched["filtered_table_rows_count"] is None  # a sort is no filter
    other = asyncio.run(datasette.client.get("/votes/override_math.json")).json()
    assert other["filtered_table_rows_count"] == 6  # any other view is counted as usual
