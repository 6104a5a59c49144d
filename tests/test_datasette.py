"""The Datasette publication: data dictionary, JSON, CSV (streamed in full), stored queries,
labels, charts; in process through votes.serve.app and over HTTP from a real `votes serve`.
"""

from __future__ import annotations

import asyncio
import csv
import html
import html as html_module
import io
import json
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from datasette.app import Datasette

from votes.publish import serve

METADATA = yaml.safe_load(serve.METADATA.read_text())
DOCUMENTED = METADATA["databases"]["votes"]["tables"]


class Published:
    """The war-powers database as votes.serve publishes it, answered in process."""

    def __init__(self, datasette: Datasette, db: Path) -> None:
        self.datasette, self.db = datasette, db

    def get(self, path: str) -> httpx.Response:
        return asyncio.run(self.datasette.client.get(path))

    def json(self, path: str) -> Any:
        response = self.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        return response.json()

    def names(self) -> dict[str, list[str]]:
        """Every table and view of the database, with its columns in order; not SQLite's own
        (sqlite_stat1: the planner's statistics) nor the search's full-text index and the tables
        FTS5 keeps for it (search_entries_fts*), which Datasette hides."""
        with sqlite3.connect(self.db) as connection:
            names = [
                n
                for (n,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                    "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_entries_fts%'"
                )
            ]
            return {n: [c[1] for c in connection.execute(f"PRAGMA table_info({n})")] for n in names}

    def count(self, name: str) -> int:
        with sqlite3.connect(self.db) as connection:
            return int(connection.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0])

    def measure_id(self, label: str) -> int:
        """A measure's row id (ids follow data/'s order, which grows)."""
        with sqlite3.connect(self.db) as connection:
            query = "SELECT id FROM measures WHERE label = ?"
            return int(connection.execute(query, (label,)).fetchone()[0])


@pytest.fixture(scope="module")
def published(war_powers_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Published:
    db = tmp_path_factory.mktemp("published") / "any-name.db"  # still published as /votes
    shutil.copyfile(war_powers_db, db)
    datasette = serve.app(db)
    asyncio.run(datasette.invoke_startup())
    return Published(datasette, db)


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


NAMES = sorted(DOCUMENTED)


# ---- the data dictionary ---------------------------------------------------------------------


def test_every_table_view_and_column_is_documented_in_order(published: Published) -> None:
    actual = published.names()
    assert sorted(actual) == NAMES
    for name, columns in actual.items():
        assert list(DOCUMENTED[name]["columns"]) == columns, name
        assert DOCUMENTED[name]["description"].strip(), name
        assert all(text.strip() for text in DOCUMENTED[name]["columns"].values()), name


def test_title_licence_source_and_about(published: Published) -> None:
    metadata = published.json("/-/metadata.json")
    assert metadata["title"].startswith("votes")
    assert "Public domain" in metadata["license"]
    for key in ("license_url", "source_url", "about_url"):
        assert metadata[key].startswith("https://"), key
    page = published.get("/").text
    assert "Public domain" in page and "RS22654" in page


def test_each_view_states_its_rule_and_source(published: Published) -> None:
    for view in ("override_math", "veto_overrides", "override_outlook"):
        # The description the page shows above the rows, not the SQL (whose header cites the
        # rule in every view, so a check of the whole page could not fail).
        description = " ".join(DOCUMENTED[view]["description"].split())
        assert "Art. I, sec. 7" in description, view
        assert "two thirds" in description, view
        page = html.unescape(published.get(f"/votes/{view}").text)
        assert description in " ".join(page.split()), view


# ---- JSON and CSV of every table and view ---------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_json_of_every_table_and_view(published: Published, name: str) -> None:
    rows, path = [], f"/votes/{name}.json?_shape=objects&_size=max"
    while path:
        page = published.json(path)
        rows.extend(page["rows"])
        path = page["next_url"] and page["next_url"].split("://", 1)[-1].split("/", 1)[-1]
        path = path and f"/{path}"
    assert len(rows) == published.count(name)
    assert all(list(row) == list(DOCUMENTED[name]["columns"]) for row in rows[:1])


@pytest.mark.parametrize("name", NAMES)
def test_csv_of_every_table_and_view_streams_in_full(published: Published, name: str) -> None:
    response = published.get(f"/votes/{name}.csv?_stream=on")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    header, *rows = csv_rows(response.text)
    assert header == list(DOCUMENTED[name]["columns"])
    assert len(rows) == published.count(name)


def test_csv_downloads_as_a_file(published: Published) -> None:
    response = published.get("/votes/override_math.csv?_stream=on&_dl=1")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]


def test_override_math_as_csv_row_by_row(published: Published) -> None:
    text = published.get("/votes/override_math.csv?_stream=on&_sort=roll_call_id").text
    header, *rows = csv_rows(text)
    s84 = dict(zip(header, next(r for r in rows if r[0] == "s84-116.2020"), strict=True))
    assert {
        k: s84[k]
        for k in (
            "yea",
            "nay",
            "present",
            "not_voting",
            "voting",
            "two_thirds_needed",
            "margin",
            "switches_needed",
            "carried_two_thirds",
            "official_result",
            "agrees_with_official",
        )
    } == {
        "yea": "49",
        "nay": "44",
        "present": "0",
        "not_voting": "7",
        "voting": "93",
        "two_thirds_needed": "62",
        "margin": "-13",
        "switches_needed": "13",
        "carried_two_thirds": "0",
        "official_result": "Veto Sustained",
        "agrees_with_official": "1",
    }


def test_views_answer_as_json(published: Published) -> None:
    rows = published.json("/votes/override_outlook.json?_shape=array&_sort=roll_call_id")
    assert [
        (r["roll_call_id"], r["yea"], r["nay"], r["two_thirds_needed"], r["margin"]) for r in rows
    ] == [("h101-116.2020", 227, 186, 276, -49), ("s52-116.2020", 55, 45, 67, -12)]
    vetoes = published.json(
        "/votes/veto_overrides.json?_shape=array&chamber=senate&roll_call_id__notblank=1"
    )
    assert [(v["roll_call_id"], v["margin"], v["outcome"]) for v in vetoes] == [
        ("s84-116.2020", -13, "sustained")
    ]
    hconres83 = published.measure_id("H.Con.Res. 83 (116th)")
    status = published.json(f"/votes/veto_status.json?_shape=array&measure_id={hconres83}")
    assert status[0]["veto_status"] == "not presented: a concurrent resolution (no veto applies)"


# ---- stored queries, sorts, facets, labels ------------------------------------------------


def test_stored_query_all_votes_on_a_measure(published: Published) -> None:
    rows = published.json(
        "/votes/votes_on_measure.json?_shape=array&congress=116&type=sjres&number=68"
    )
    assert [r["roll_call_id"] for r in rows] == ["s52-116.2020", "h101-116.2020", "s84-116.2020"]
    carried = published.json(
        "/votes/votes_on_measure.json?_shape=array&congress=116&type=HR&number=5543"
    )
    assert [(r["roll_call_id"], r["measure"]) for r in carried] == [
        ("h33-116.2020", "H.R. 550 (116th)")
    ]


def test_stored_queries_download_as_csv(published: Published) -> None:
    response = published.get("/votes/votes_on_measure.csv?congress=116&type=sjres&number=68")
    header, *rows = csv_rows(response.text)
    assert header == list(DOCUMENTED["override_math"]["columns"])
    assert [r[0] for r in rows] == ["s52-116.2020", "h101-116.2020", "s84-116.2020"]


def test_stored_query_one_members_record(published: Published) -> None:
    rows = published.json("/votes/member_record.json?_shape=array&member=Kaine")
    assert rows == [
        {
            "member_id": "K000384",
            "name": "Tim Kaine",
            "congress": 116,
            "chamber": "senate",
            "party": "D",
            "state": "VA",
            "first_vote": "2020-02-13",
            "last_vote": "2020-05-07",
            "roll_calls": 2,
            "yea": 2,
            "nay": 0,
            "present": 0,
            "not_voting": 0,
        }
    ]
    brown = published.json("/votes/member_record.json?_shape=array&member=B000944")
    assert [(r["roll_calls"], r["yea"], r["not_voting"]) for r in brown] == [(2, 1, 1)]
    assert published.json("/votes/member_record.json?_shape=array&member=") == []


def test_stored_query_override_math_of_a_congress(published: Published) -> None:
    rows = published.json("/votes/override_math_of_congress.json?_shape=array&congress=116")
    assert [(r["roll_call_id"], r["margin"]) for r in rows] == [
        ("s52-116.2020", -12),
        ("s84-116.2020", -13),
        ("h34-116.2020", -32),
        ("h33-116.2020", -41),
        ("h101-116.2020", -49),
        ("h7-116.2020", -55),
    ]
    assert published.json("/votes/override_math_of_congress.json?_shape=array&congress=1") == []


def test_default_sort_and_facets(published: Published) -> None:
    page = published.json("/votes/override_math.json")
    assert page["human_description_en"] == "sorted by date descending"
    assert [r[3] for r in page["rows"]][0] == "2020-05-07"
    # Three default facets: each is a GROUP BY over the whole view, so at full size every one
    # costs ~10 ms a page (benchmarks/serve_bench.py); category and agrees_with_official remain
    # a click away (?_facet=...).
    assert set(page["facet_results"]) == {"chamber", "requires", "carried_two_thirds"}
    agreement = published.json("/votes/override_math.json?_facet=agrees_with_official")
    facet = agreement["facet_results"]["agrees_with_official"]["results"]
    assert {f["value"]: f["count"] for f in facet} == {1: 1}  # s84, the one two-thirds vote
    chambers = {f["value"]: f["count"] for f in page["facet_results"]["chamber"]["results"]}
    assert chambers == {"house": 4, "senate": 2}
    parties = published.json("/votes/party_breakdown.json")["facet_results"]["party"]
    assert {f["value"]: f["count"] for f in parties["results"]} == {"D": 6, "R": 6, "I": 6}


def test_foreign_keys_show_labels(published: Published) -> None:
    row = published.json("/votes/positions.json?_labels=on&_shape=array&_size=1")[0]
    assert row["roll_call_key"]["label"] == "h101-116.2020"
    assert re.fullmatch(r".+ \([DRI]-[A-Z]{2}\)", row["voter_id"]["label"])
    assert row["vote_option_id"]["label"] in {"Aye", "No", "Not Voting", "Yea", "Nay"}
    action = published.json("/votes/presidential_actions.json?_labels=on&_shape=array")[0]
    assert action["measure_id"]["label"] == "S.J.Res. 68 (116th)"


# ---- pages and charts ----------------------------------------------------------------------


def charts(html: str, kind: str = "two-thirds-chart") -> list[dict[str, str]]:
    """The data-* attributes of every chart of a kind on a page: two-thirds-chart (a view's
    rows against two thirds) or threshold-chart (a row page's votes against their thresholds)."""
    found = re.findall(rf'<svg class="{kind}"[^>]*>', html)
    return [dict(re.findall(r'data-([a-z-]+)="([^"]*)"', svg)) for svg in found]


def test_a_vote_id_with_its_dot_finds_the_roll_call_page(published: Published) -> None:
    response = published.get("/votes/roll_calls/s84-116.2020")
    assert response.status_code == 302
    assert response.headers["location"] == "/votes/roll_calls/s84-116~2E2020"


def test_the_roll_call_page_draws_its_chart(published: Published) -> None:
    html = published.get("/votes/roll_calls/s84-116~2E2020").text
    assert charts(html, "threshold-chart") == [
        {
            "roll-call-id": "s84-116.2020",
            "threshold": "two_thirds_voting",
            "yea": "49",
            "nay": "44",
            "base": "93",
            "needed": "62",
            "margin": "-13",
            "carried": "0",
            "voting": "93",
            "two-thirds-needed": "62",
        }
    ]
    assert "it needed two thirds: 62 of 93 voting" in html
    assert "13 short of two thirds: 13 nays would have had to switch. Veto Sustained." in html
    assert (
        "<title>S.J.Res. 68 (116th): On Overriding the Veto: Veto Sustained, 49-44</title>" in html
    )


def test_a_majority_vote_states_its_threshold_and_the_two_thirds_reading(
    published: Published,
) -> None:
    html = html_module.unescape(published.get("/votes/roll_calls/s52-116~2E2020").text)
    assert "a majority: 51 of 100 voting" in html
    assert "Majority reached with 4 to spare. Joint Resolution Passed." in html
    assert "Two thirds (a veto override's threshold) of 100 voting would be 67: 12 short." in html
    sjres68 = published.measure_id("S.J.Res. 68 (116th)")
    assert f'<a href="/votes/measures/{sjres68}">S.J.Res. 68 (116th)</a>' in html  # not the id
    assert '<a href="https://www.senate.gov/legislative/LIS/roll_call_votes/' in html
    split = re.findall(r'<tr class="party-(\w+)"><td>\w+</td><td>(\d+)</td><td>(\d+)</td>', html)
    assert split == [("R", "8", "45"), ("D", "45", "0"), ("I", "2", "0")]  # the largest first


def test_the_roll_call_page_links_to_its_member_roll(published: Published) -> None:
    html = published.get("/votes/roll_calls/s52-116~2E2020").text
    for view in ("member_votes", "party_breakdown", "party_defectors"):
        assert f'href="/votes/{view}?roll_call_id=s52-116.2020' in html, view
    assert "in positions" not in html, "positions are keyed by roll_call_key: no false 0 count"
    defectors = published.json("/votes/party_defectors.json?roll_call_id=s52-116.2020&_shape=array")
    assert len(defectors) == 8


def test_the_measure_page_draws_each_vote_in_order(published: Published) -> None:
    html = published.get(f"/votes/measures/{published.measure_id('S.J.Res. 68 (116th)')}").text
    assert [c["roll-call-id"] for c in charts(html, "threshold-chart")] == [
        "s52-116.2020",
        "h101-116.2020",
        "s84-116.2020",
    ]
    hconres83 = published.measure_id("H.Con.Res. 83 (116th)")
    (h7,) = charts(published.get(f"/votes/measures/{hconres83}").text, "threshold-chart")
    assert (h7["threshold"], h7["two-thirds-needed"]) == ("majority", "279")
    assert int(h7["margin"]) == int(h7["yea"]) - int(h7["needed"])


def test_override_math_draws_the_rows_it_shows(published: Published) -> None:
    one = published.get("/votes/override_math?roll_call_id=s52-116.2020").text
    assert [(c["yea"], c["two-thirds-needed"]) for c in charts(one)] == [("55", "67")]
    assert charts(published.get("/votes/roll_calls").text) == []


def test_pages_load_nothing_from_other_hosts(published: Published) -> None:
    sjres68 = f"/votes/measures/{published.measure_id('S.J.Res. 68 (116th)')}"
    for path in ("/votes/roll_calls/s84-116~2E2020", sjres68, "/votes/override_math"):
        html = published.get(path).text
        loaded = re.findall(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="([^"]*)"', html)
        links = re.findall(r"<link\b[^>]*>", html)
        loaded += [
            re.findall(r'href="([^"]*)"', link)[0]
            for link in links
            if 'rel="alternate"' not in link
        ]
        assert loaded and all(url.startswith("/") and not url.startswith("//") for url in loaded), (
            path,
            loaded,
        )


# ---- a real server on a real port ------------------------------------------------------------


def test_served_port_answers_json_and_csv_as_in_process(
    published: Published, served_war_powers: str
) -> None:
    with httpx.Client(base_url=served_war_powers, timeout=30) as client:
        for path in (
            "/votes/override_math.json?_shape=array&_sort=roll_call_id",
            "/votes/veto_overrides.json?_shape=array&_sort=chamber",
            "/votes/party_defectors.json?_shape=array&_size=max&_sort=member_id",
        ):
            response = client.get(path)
            assert response.status_code == 200, path
            assert response.json() == published.json(path)
        for name in ("override_math", "veto_overrides", "party_breakdown", "member_votes"):
            response = client.get(f"/votes/{name}.csv?_stream=on")
            assert response.status_code == 200, name
            assert response.text == published.get(f"/votes/{name}.csv?_stream=on").text
        plugins = client.get("/-/plugins.json").json()
        assert "votes" in {p["name"] for p in plugins}
        page = client.get("/votes/roll_calls/s84-116.2020", follow_redirects=True)
        assert charts(page.text, "threshold-chart")[0]["two-thirds-needed"] == "62"
        assert json.loads(client.get("/-/metadata.json").text)["title"] == METADATA["title"]
