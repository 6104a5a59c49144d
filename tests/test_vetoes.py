"""The curated vetoes (data/vetoes.csv, veto_sources.csv, official_veto_counts.csv): what they
hold, how they reach a database, and every check against the record, on real files.

The whole record is the shipped archives (a build takes minutes on a shared machine), so the
checks run against the archive slice (every "veto-override" vote of 1989-2020) with
override-extras.tar.xz (the eleven other override roll calls the vetoes name: ten House votes
of 1991-1996 filed under another category, and the cloture vote on S.J.Res. 22's veto message).
`votes build` on the shipped archives gives the same: no problem, and the two notes of 2026.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SLICE, UPSTREAM
from tests.helpers import build_curated, copy_data, edit_csv, snapshot, votes_cli
from votes.database.pipeline import build
from votes.database.writer import Summary
from votes.publish import serve
from votes.record import validate
from votes.record.read import read_tables

EXTRAS = FIXTURES / "bulk" / "override-extras.tar.xz"
SJRES68_BILL = UPSTREAM / "bills" / "116_sjres68_data.json"
SJRES68_ROW = "116,sjres,68,Donald J. Trump (first term),2020-05-06,regular,sustained_senate,,"


@pytest.fixture(scope="module")
def slice_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Summary]:
    """data/ with the archive slice and the override extras, built once for this module."""
    db = tmp_path_factory.mktemp("vetoes") / "votes.db"
    summary = build(db, archives=[str(SLICE), str(EXTRAS)], jobs=0)
    return db, summary


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


# ---- what the files hold ---------------------------------------------------------------------


def test_the_shipped_vetoes_validate_and_hold_the_inventory() -> None:
    tables = read_tables()
    assert validate.problems(tables) == []
    vetoes = tables["vetoes"]
    assert len(vetoes) == 120
    assert Counter(vetoes["president"]) == {
        "George H. W. Bush": 35,
        "William J. Clinton": 36,
        "George W. Bush": 12,
        "Barack Obama": 12,
        "Donald J. Trump (first term)": 10,
        "Joseph R. Biden Jr.": 13,
        "Donald J. Trump (second term)": 2,
    }
    assert Counter(vetoes["outcome"])["overridden"] == 9
    assert (vetoes["vetoed_on"] == "").sum() == 6
    # Every source of every row is described in sources.csv, with a publisher.
    sources = tables["sources"].set_index("url")
    urls = set(vetoes["source_url"]) | set(tables["veto_sources"]["source_url"])
    assert len(urls) == 185
    assert (sources.loc[sorted(urls), "publisher"] != "").all()


def test_official_counts_beside_the_rows() -> None:
    official = read_tables()["official_veto_counts"].set_index("president")
    assert official.loc["George H. W. Bush", ["regular", "pocket", "total"]].tolist() == [
        "29",
        "15",
        "44",
    ]
    assert official.loc["William J. Clinton", ["regular", "pocket", "total"]].tolist() == [
        "36",
        "1",
        "37",
    ]
    assert set(official["source_url"]) == {
        "https://www.senate.gov/legislative/vetoes/vetoCounts.htm"
    }


# ---- against the record ------------------------------------------------------------------------


def test_the_vetoes_against_the_archive_slice(slice_build: tuple[Path, Summary]) -> None:
    """No problem; a note for each override vote of a session the slice does not hold (2023-
    2024, and the two House votes of 2026-01-08, which no archive holds yet)."""
    db, summary = slice_build
    notes = [str(n) for n in summary.notes]
    assert len(notes) == 14
    assert notes[-2:] == [
        "data/vetoes.csv:119/hr/131: h9-119.2026 is not in the record yet (the House's roll "
        "calls of 2026 are not in it): linked once imported",
        "data/vetoes.csv:119/hr/504: h8-119.2026 is not in the record yet (the House's roll "
        "calls of 2026 are not in it): linked once imported",
    ]
    assert all("-118.202" in n for n in notes[:-2])
    assert rows(db, "SELECT COUNT(*) FROM veto_records") == [(120,)]
    assert rows(db, "SELECT COUNT(*) FROM veto_sources") == [(107,)]
    assert rows(db, "SELECT COUNT(*) FROM official_veto_counts") == [(6,)]
    # Every override vote of the database is a row's, and on the row's measure.
    unnamed = rows(
        db,
        """
        SELECT override_math.roll_call_id FROM override_math
        LEFT JOIN veto_records ON override_math.roll_call_id
            IN (veto_records.house_roll_call_id, veto_records.senate_roll_call_id)
            AND veto_records.measure_id = override_math.measure_id
        WHERE override_math.override_vote = 1 AND veto_records.id IS NULL""",
    )
    assert unnamed == []
    assert rows(db, "SELECT COUNT(*) FROM override_math WHERE override_vote = 1") == [(76,)]


def test_a_veto_keeps_every_source(slice_build: tuple[Path, Summary]) -> None:
    db, _ = slice_build
    found = rows(
        db,
        """
        SELECT first.url, more.url, more.publisher FROM veto_records
        JOIN measures ON measures.id = veto_records.measure_id
        JOIN sources AS first ON first.id = veto_records.source_id
        JOIN veto_sources ON veto_sources.veto_record_id = veto_records.id
        JOIN sources AS more ON more.id = veto_sources.source_id
        WHERE measures.label = 'H.R. 2990 (101st)'""",
    )
    assert found == [
        (
            "https://www.latimes.com/archives/la-xpm-1989-10-27-mn-921-story.html",
            "https://www.presidency.ucsb.edu/documents/statement-signing-bill-making-continuing-"
            "appropriations-for-fiscal-year-1990-and-providing",
            "The American Presidency Project (UC Santa Barbara)",
        )
    ]
    dates = rows(
        db,
        "SELECT date FROM sources WHERE url IN ("
        "'https://www.latimes.com/archives/la-xpm-1989-10-27-mn-921-story.html', "
        "'https://www.senate.gov/legislative/vetoes/vetoCounts.htm') ORDER BY url",
    )
    assert dates == [("1989-10-27",), (None,)]  # a page that states no date has none


def test_a_title_only_a_vote_gives_is_marked_so(slice_build: tuple[Path, Summary]) -> None:
    """The vetoed H.R. 2712 (101st) has no title in data/: the one it shows is the Senate
    vote's, sourced to that vote's file; S.J.Res. 68's is data/'s."""
    db, _ = slice_build
    found = rows(
        db,
        """
        SELECT label, title_source, sources.url FROM measures
        JOIN sources ON sources.id = measures.source_id
        WHERE label IN ('H.R. 2712 (101st)', 'S.J.Res. 68 (116th)') ORDER BY label""",
    )
    assert found == [
        (
            "H.R. 2712 (101st)",
            "vote",
            "https://www.senate.gov/legislative/LIS/roll_call_votes/vote1012/vote_101_2_00001.xml",
        ),
        (
            "S.J.Res. 68 (116th)",
            "curated",
            "https://www.congress.gov/bill/116th-congress/senate-joint-resolution/68/all-actions",
        ),
    ]
    assert rows(db, "SELECT COUNT(*) FROM measures WHERE title = '' AND title_source IS NULL") == (
        rows(db, "SELECT COUNT(*) FROM measures WHERE title = ''")
    )


# ---- bad input: one line naming the file and the record, exit 1, nothing changed --------------


def failed_build(data: Path, db: Path) -> list[str]:
    """`votes build --only-curated` on a changed data/: its error lines (it must fail)."""
    result = votes_cli("build", "--only-curated", "--data-dir", str(data), "--db", str(db))
    assert result.returncode == 1, result.stderr
    assert not db.exists()
    return result.stderr.splitlines()


def test_a_veto_row_without_a_source(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    url = "https://github.com/d-schwabe/congress-bills-data/blob/"
    text = (data / "vetoes.csv").read_text()
    line = next(x for x in text.splitlines() if x.startswith("116,sjres,68,"))
    assert line.split(",")[-1].startswith(url)
    (data / "vetoes.csv").write_text(text.replace(line, line[: line.rindex(",") + 1]))
    before = snapshot(data)
    assert failed_build(data, tmp_path / "votes.db") == [
        f"Error: {data / 'vetoes.csv'}:116/sjres/68: source_url: missing"
    ]
    assert snapshot(data) == before


def test_a_veto_before_the_measure_was_presented(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    edit_csv(data, "vetoes", SJRES68_ROW, SJRES68_ROW.replace("2020-05-06", "2020-05-01"))
    assert failed_build(data, tmp_path / "votes.db") == [
        f"Error: {data / 'vetoes.csv'}:116/sjres/68: "
        "vetoed on 2020-05-01, before it was presented (2020-05-05)",
        f"Error: {data / 'presidential_actions.csv'}:116/sjres/68/2020-05-06/vetoed: "
        "vetoes.csv dates this veto 2020-05-01",
    ]


def test_a_veto_before_the_measure_passed(tmp_path: Path) -> None:
    """Without the presidential actions, the record's own votes show it: the House passed
    S.J.Res. 68 on 2020-03-11 (h101-116.2020)."""
    data = copy_data(tmp_path)
    actions = data / "presidential_actions.csv"
    actions.write_text(actions.read_text().splitlines()[0] + "\n")
    edit_csv(data, "vetoes", SJRES68_ROW, SJRES68_ROW.replace("2020-05-06", "2020-03-01"))
    assert failed_build(data, tmp_path / "votes.db") == [
        f"Error: {data / 'vetoes.csv'}:116/sjres/68: "
        "vetoed on 2020-03-01, before the measure passed (a roll call of 2020-03-11)"
    ]


def test_an_override_vote_no_row_names(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    edit_csv(data, "vetoes", f"{SJRES68_ROW}s84-116.2020,", f"{SJRES68_ROW},")
    assert failed_build(data, tmp_path / "votes.db") == [
        f"Error: {data / 'vetoes.csv'}:116/sjres/68: override roll call s84-116.2020 is in no "
        "veto row"
    ]


def test_a_named_roll_call_the_record_should_hold(tmp_path: Path) -> None:
    """s60-116.2020 is inside what the record holds of the Senate's 2020 (to no. 84): an error;
    a vote past it, or of a session it does not hold, is a note (see the slice test)."""
    data = copy_data(tmp_path)
    edit_csv(data, "vetoes", f"{SJRES68_ROW}s84-116.2020,", f"{SJRES68_ROW}s60-116.2020,")
    assert failed_build(data, tmp_path / "votes.db") == [
        f"Error: {data / 'vetoes.csv'}:116/sjres/68: override roll call s84-116.2020 is in no "
        "veto row",
        f"Error: {data / 'vetoes.csv'}:116/sjres/68: s60-116.2020 is not in the record (the "
        "Senate's roll calls of 2020 run to no. 84)",
    ]


def test_an_outcome_the_votes_contradict(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    edit_csv(data, "vetoes", SJRES68_ROW, SJRES68_ROW.replace("sustained_senate", "overridden"))
    assert failed_build(data, tmp_path / "votes.db") == [
        f"Error: {data / 'vetoes.csv'}:116/sjres/68: outcome overridden, but s84-116.2020 failed"
    ]


def test_official_counts_that_do_not_add_up(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    edit_csv(
        data, "official_veto_counts", "William J. Clinton,36,1,37", "William J. Clinton,36,2,37"
    )
    assert failed_build(data, tmp_path / "votes.db") == [
        f"Error: {data / 'official_veto_counts.csv'}:William J. Clinton: 36 + 2 is not the total 37"
    ]


# ---- bill files against the record -------------------------------------------------------------


def changed_bill(tmp_path: Path, edit: dict[str, str]) -> Path:
    """A copy of S.J.Res. 68's bill file with one action changed (type -> a key's new value)."""
    doc = json.loads(SJRES68_BILL.read_text())
    for action in doc["actions"]:
        for key, (old, new) in edit.items():
            if str(action.get(key)) == old:
                action[key] = new
    path = tmp_path / "116_sjres68_data.json"
    path.write_text(json.dumps(doc))
    return path


def test_a_bill_file_naming_a_roll_call_the_record_lacks(tmp_path: Path) -> None:
    """An error: one line naming the file and the bill, exit 1, the database unchanged."""
    db = tmp_path / "votes.db"
    build_curated(db)
    bill = changed_bill(tmp_path, {"roll": ("84", "60")})
    before = db.read_bytes()
    result = votes_cli("import", str(bill), "--db", str(db))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: {bill}:sjres68-116: lists roll call s60-116.2020, which the record lacks (the "
        "Senate's roll calls of 2020 run to no. 84)"
    ]
    assert db.read_bytes() == before


def test_a_bill_file_disagreeing_with_the_vetoes_is_a_note(tmp_path: Path) -> None:
    db = tmp_path / "votes.db"
    build_curated(db)
    bill = changed_bill(tmp_path, {"acted_at": ("2020-05-06", "2020-05-07")})
    result = votes_cli("import", str(bill), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"Note: {bill}:sjres68-116: vetoed on 2020-05-07 here; data/vetoes.csv says 2020-05-06"
    )
    # data/'s title stands; the bill file adds its action, beside data/'s.
    assert rows(db, "SELECT title_source FROM measures WHERE label = 'S.J.Res. 68 (116th)'") == [
        ("curated",)
    ]
    assert rows(db, "SELECT action, date FROM presidential_actions ORDER BY date, action") == [
        ("presented", "2020-05-05"),
        ("vetoed", "2020-05-06"),
        ("vetoed", "2020-05-07"),
    ]


def test_the_build_says_its_notes(tmp_path: Path) -> None:
    result = votes_cli("build", "--only-curated", "--db", str(tmp_path / "votes.db"))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[-2:] == [
        "Note: and 70 more notes",
        "Built " + str(tmp_path / "votes.db") + ": 6 roll calls, 1,918 positions",
    ]
    assert sum(line.startswith("Note: data/vetoes.csv:") for line in lines) == 20


def test_a_database_without_vetoes_is_not_compared(tmp_path: Path) -> None:
    """`votes import` into a database `votes build` did not make: no curated vetoes, no note."""
    result = votes_cli("import", str(UPSTREAM), "--db", str(tmp_path / "votes.db"))
    assert result.returncode == 0, result.stderr
    assert not [line for line in result.stderr.splitlines() if line.startswith("Note:")]


# ---- the views: vetoes, veto_counts, veto_status ---------------------------------------------


def view(db: Path, name: str, where: str = "1 = 1") -> list[dict]:
    with sqlite3.connect(db) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(r) for r in connection.execute(f"SELECT * FROM {name} WHERE {where}")]


def without_ids(row: dict) -> dict:
    """A row without its surrogate ids (they follow data/'s order, which grows)."""
    return {k: v for k, v in row.items() if k not in ("veto_id", "measure_id")}


def test_the_vetoes_view_for_a_veto_the_senate_sustained(slice_build: tuple[Path, Summary]) -> None:
    db, _ = slice_build
    (row,) = view(db, "vetoes", "measure = 'S.J.Res. 68 (116th)'")
    assert without_ids(row) == {
        "president": "Donald J. Trump (first term)",
        "congress": 116,
        "measure": "S.J.Res. 68 (116th)",
        "title": "Removal of U.S. forces from hostilities against Iran",
        "vetoed_on": "2020-05-06",
        "kind": "regular",
        "outcome": "sustained_senate",
        "house_roll_call_id": None,
        "house_yea": None,
        "house_nay": None,
        "house_two_thirds_needed": None,
        "house_margin": None,
        "house_switches_needed": None,
        "senate_roll_call_id": "s84-116.2020",
        "senate_yea": 49,
        "senate_nay": 44,
        "senate_two_thirds_needed": 62,  # (2 * 93 + 2) // 3
        "senate_margin": -13,
        "senate_switches_needed": 13,
        "source": "https://github.com/d-schwabe/congress-bills-data/blob/"
        "2f6b00691996d865c62e750053f4e715dac15867/congress/data/116/bills/sjres/sjres68/data.json",
        "doubt": None,
    }
    assert rows(db, f"SELECT label FROM measures WHERE id = {row['measure_id']}") == [
        ("S.J.Res. 68 (116th)",)
    ]


def test_the_vetoes_view_for_a_veto_overridden(slice_build: tuple[Path, Summary]) -> None:
    """H.R. 6395 (116th), the NDAA: the House 322-87 on 2020-12-28, the Senate 81-13 on
    2021-01-01 (still the 116th Congress's second session: s292-116.2020)."""
    db, _ = slice_build
    (row,) = view(db, "vetoes", "measure = 'H.R. 6395 (116th)'")
    assert without_ids(row) == {
        "president": "Donald J. Trump (first term)",
        "congress": 116,
        "measure": "H.R. 6395 (116th)",
        "title": "William M. (Mac) Thornberry NDAA for FY2021",
        "vetoed_on": "2020-12-23",
        "kind": "regular",
        "outcome": "overridden",
        "house_roll_call_id": "h253-116.2020",
        "house_yea": 322,
        "house_nay": 87,
        "house_two_thirds_needed": 273,  # (2 * 409 + 2) // 3
        "house_margin": 49,
        "house_switches_needed": 0,
        "senate_roll_call_id": "s292-116.2020",
        "senate_yea": 81,
        "senate_nay": 13,
        "senate_two_thirds_needed": 63,  # (2 * 94 + 2) // 3
        "senate_margin": 18,
        "senate_switches_needed": 0,
        "source": "https://github.com/d-schwabe/congress-bills-data/blob/"
        "2f6b00691996d865c62e750053f4e715dac15867/congress/data/116/bills/hr/hr6395/data.json",
        "doubt": None,
    }


def test_the_vetoes_view_shows_doubts_and_no_figures_it_lacks(
    slice_build: tuple[Path, Summary],
) -> None:
    """S.J.Res. 22 (114th): the vote named is a cloture vote, not an override, so no two-thirds
    figures; the row is doubtful, so its notes are its doubt. H.R. 504 (119th): the House vote
    of 2026 is not in the record yet."""
    db, _ = slice_build
    (sjres22,) = view(db, "vetoes", "measure = 'S.J.Res. 22 (114th)'")
    assert sjres22["senate_roll_call_id"] == "s5-114.2016"
    assert sjres22["senate_yea"] is None and sjres22["senate_switches_needed"] is None
    assert sjres22["doubt"].startswith("No direct override vote: Senate cloture")
    (hr504,) = view(db, "vetoes", "measure = 'H.R. 504 (119th)'")
    assert (hr504["house_roll_call_id"], hr504["house_yea"]) == ("h8-119.2026", None)
    dated = [r["vetoed_on"] for r in view(db, "vetoes") if r["vetoed_on"]]
    assert len(dated) == 114
    assert len(view(db, "vetoes", "doubt IS NOT NULL")) == 39


def test_veto_counts_beside_the_official_totals(slice_build: tuple[Path, Summary]) -> None:
    db, _ = slice_build
    columns = (
        "vetoes",
        "regular",
        "pocket",
        "held_enacted",
        "overridden",
        "official_regular",
        "official_pocket",
        "official_total",
        "regular_gap",
        "pocket_gap",
        "gap",
    )
    found = {r["president"]: tuple(r[c] for c in columns) for r in view(db, "veto_counts")}
    assert found == {
        "George H. W. Bush": (35, 27, 6, 2, 1, 29, 15, 44, 2, 9, 11),
        "William J. Clinton": (36, 35, 1, 0, 2, 36, 1, 37, 1, 0, 1),
        "George W. Bush": (12, 12, 0, 0, 4, 12, 0, 12, 0, 0, 0),
        "Barack Obama": (12, 12, 0, 0, 1, 12, 0, 12, 0, 0, 0),
        "Donald J. Trump (first term)": (10, 10, 0, 0, 1, 10, 0, 10, 0, 0, 0),
        "Joseph R. Biden Jr.": (13, 13, 0, 0, 0, 12, 0, 12, -1, 0, -1),
        "Donald J. Trump (second term)": (2, 2, 0, 0, 0, None, None, None, None, None, None),
    }


def test_veto_status_never_says_not_presented_of_a_bill(slice_build: tuple[Path, Summary]) -> None:
    db, _ = slice_build
    wrong = view(
        db,
        "veto_status",
        "status = 'not_presented' AND kind IN ('bill', 'joint_resolution') "
        "AND measure_id NOT IN (SELECT id FROM measures WHERE constitutional_amendment)",
    )
    assert wrong == []
    statuses = {r["measure"]: r["veto_status"] for r in view(db, "veto_status")}
    assert statuses["H.R. 2491 (104th)"] == "vetoed 1995-12-06, no override attempt"
    assert statuses["H.R. 6395 (116th)"] == "vetoed 2020-12-23, overridden: law"
    assert statuses["H.R. 2 (101st)"] == "vetoed 1989-06-13, sustained in the House"
    assert statuses["H.R. 4638 (101st)"] == "pocket vetoed 1990-11-10"
    assert statuses["H.J.Res. 390 (101st)"] == (
        "pocket vetoed (date unknown), as the President said; Congress held it enacted "
        "(not returned)"
    )
    assert statuses["H.R. 550 (116th)"] == "no presidential action in the record"


def test_veto_status_with_bill_records(tmp_path: Path) -> None:
    """A bill record's law number and actions: H.R. 1058 (104th) became Public Law 104-67 over
    Clinton's veto; S. 1300 (114th) was signed as Public Law 114-70; H.Con.Res. 70 (114th) is
    never presented; the constitutional amendment H.J.Res. 45 (114th) would be marked so only
    by data/, so from its bill record alone it is a joint resolution with no action recorded."""
    db = tmp_path / "votes.db"
    build_curated(db)
    bills = [FIXTURES / "bills" / "104_hr1058_data.json", FIXTURES / "billstatus"]
    result = votes_cli("import", *map(str, bills), "--db", str(db))
    assert result.returncode == 0, result.stderr
    statuses = {
        r["measure"]: (r["status"], r["law_number"], r["veto_status"])
        for r in view(db, "veto_status")
    }
    assert statuses["H.R. 1058 (104th)"] == (
        "overridden",
        "Public Law 104-67",
        "vetoed 1995-12-19, overridden: Public Law 104-67",
    )
    assert statuses["S. 1300 (114th)"] == (
        "became_law",
        "Public Law 114-70",
        "became law: Public Law 114-70",
    )
    assert statuses["H.Con.Res. 70 (114th)"] == (
        "not_presented",
        "",
        "not presented: a concurrent resolution (no veto applies)",
    )
    assert statuses["H.J.Res. 45 (114th)"][0] == "no_presidential_action"
    assert statuses["S.J.Res. 8 (114th)"] == (
        "vetoed",
        "",
        "vetoed 2015-03-31, no override attempt",
    )


def test_closest_to_override_puts_attempts_without_figures_last(
    slice_build: tuple[Path, Summary], tmp_path: Path
) -> None:
    """The stored query as Datasette publishes it: every attempt, by switches needed."""
    db, _ = slice_build
    copy = tmp_path / "slice.db"
    shutil.copyfile(db, copy)
    datasette = serve.app(copy)
    asyncio.run(datasette.invoke_startup())
    response = asyncio.run(
        datasette.client.get("/votes/closest_to_override.json?_shape=array&_size=max")
    )
    assert response.status_code == 200, response.text[:500]
    attempts = response.json()
    switches = [a["switches_needed"] for a in attempts]
    known = [s for s in switches if s is not None]
    assert switches == known + [None] * (len(switches) - len(known))
    assert known == sorted(known)
    closest_miss = next(a for a in attempts if a["switches_needed"])  # 66-34: 67 needed
    assert (closest_miss["measure"], closest_miss["switches_needed"]) == ("S.J.Res. 113 (101st)", 1)
    assert len(attempts) == 91 and switches.count(None) == 15


def test_the_veto_views_answer_alike_on_postgresql(
    empty_postgres_url: str, war_powers_db: Path
) -> None:
    """The record in data/, built into PostgreSQL (the checks against the record run there
    too): vetoes, veto_counts and veto_status give SQLite's rows, value for value."""
    from votes.database.engine import engine_for

    build_curated(empty_postgres_url)
    engine = engine_for(empty_postgres_url)
    queries = {
        "vetoes": "SELECT * FROM vetoes ORDER BY veto_id",
        "veto_counts": "SELECT * FROM veto_counts ORDER BY president",
        "veto_status": "SELECT * FROM veto_status ORDER BY measure_id",
    }
    try:
        with engine.connect() as connection:
            for name, sql in queries.items():
                got = [tuple(map(plain, r)) for r in connection.exec_driver_sql(sql)]
                assert got == [tuple(map(plain, r)) for r in rows(war_powers_db, sql)], name
                assert len(got) == {"vetoes": 120, "veto_counts": 7, "veto_status": 124}[name]
    finally:
        engine.dispose()


def plain(value: object) -> object:
    """A value as both databases can give it: dates as ISO text, booleans as 0 or 1."""
    if isinstance(value, bool):
        return int(value)
    return value.isoformat() if hasattr(value, "isoformat") else value
