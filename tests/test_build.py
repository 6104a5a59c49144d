"""`votes build`: data/ -> a database equal to the verified figures; bad data changes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.helpers import build_curated, copy_data, edit_csv
from votes.errors import RecordError, RecordErrors

# The verified figures (facts/war-powers-2020.md): official counts, and party rows counted
# from the member rolls.
FACTS = {
    "h7-116.2020": {
        "ALL": (224, 194, 0, 13),
        "D": (220, 8, 0, 4),
        "R": (3, 186, 0, 9),
        "I": (1, 0, 0, 0),
    },
    "h33-116.2020": {
        "ALL": (228, 175, 0, 26),
        "D": (223, 3, 0, 5),
        "R": (4, 172, 0, 21),
        "I": (1, 0, 0, 0),
    },
    "h34-116.2020": {
        "ALL": (236, 166, 0, 27),
        "D": (224, 2, 0, 5),
        "R": (11, 164, 0, 22),
        "I": (1, 0, 0, 0),
    },
    "s52-116.2020": {
        "ALL": (55, 45, 0, 0),
        "D": (45, 0, 0, 0),
        "R": (8, 45, 0, 0),
        "I": (2, 0, 0, 0),
    },
    "h101-116.2020": {
        "ALL": (227, 186, 0, 16),
        "D": (220, 6, 0, 5),
        "R": (6, 180, 0, 11),
        "I": (1, 0, 0, 0),
    },
    "s84-116.2020": {
        "ALL": (49, 44, 0, 7),
        "D": (41, 0, 0, 4),
        "R": (7, 44, 0, 2),
        "I": (1, 0, 0, 1),
    },
}
ROLL_CALLS = {  # id: (chamber, local time, requires, result)
    "h7-116.2020": ("house", "2020-01-09T18:01:00-05:00", "1/2", "Passed"),
    "h33-116.2020": ("house", "2020-01-30T12:43:00-05:00", "1/2", "Passed"),
    "h34-116.2020": ("house", "2020-01-30T12:54:00-05:00", "1/2", "Passed"),
    "s52-116.2020": ("senate", "2020-02-13T13:37:00-05:00", "1/2", "Joint Resolution Passed"),
    "h101-116.2020": ("house", "2020-03-11T17:42:00-04:00", "1/2", "Passed"),
    "s84-116.2020": ("senate", "2020-05-07T13:30:00-04:00", "2/3", "Veto Sustained"),
}


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql, params).fetchall()


def test_official_counts_and_party_rows_equal_the_facts(war_powers_db: Path) -> None:
    got: dict[str, dict[str, tuple]] = {}
    for rid, party, *counts in rows(
        war_powers_db, "SELECT roll_call_id, party, yea, nay, present, not_voting FROM vote_counts"
    ):
        got.setdefault(rid, {})[party] = tuple(counts)
    assert got == FACTS


def test_s84_counts_query(war_powers_db: Path) -> None:
    assert rows(
        war_powers_db,
        "SELECT yea, nay, not_voting FROM vote_counts "
        "WHERE roll_call_id = 's84-116.2020' AND party = 'ALL'",
    ) == [(49, 44, 7)]


def test_roll_calls_and_every_position(war_powers_db: Path) -> None:
    got = rows(war_powers_db, "SELECT id, chamber, voted_at, requires, result FROM roll_calls")
    assert {r[0]: r[1:] for r in got} == ROLL_CALLS
    per_roll = dict(
        rows(war_powers_db, "SELECT roll_call_id, count(*) FROM member_votes GROUP BY roll_call_id")
    )
    assert per_roll == {
        "h7-116.2020": 431,
        "h33-116.2020": 429,
        "h34-116.2020": 429,
        "s52-116.2020": 100,
        "h101-116.2020": 429,
        "s84-116.2020": 100,
    }


def test_measures_carried_texts_and_the_veto(war_powers_db: Path) -> None:
    assert rows(
        war_powers_db,
        """
        SELECT roll_calls.id, voted_on.label, carried.label FROM carried_texts
        JOIN roll_calls ON roll_calls.id = carried_texts.roll_call_id
        JOIN measures AS voted_on ON voted_on.id = roll_calls.measure_id
        JOIN measures AS carried ON carried.id = carried_texts.measure_id ORDER BY 1""",
    ) == [
        ("h33-116.2020", "H.R. 550 (116th)", "H.R. 5543 (116th)"),
        ("h34-116.2020", "H.R. 550 (116th)", "H.R. 2456 (116th)"),
    ]
    assert rows(
        war_powers_db,
        """
        SELECT measures.label, action, presidential_actions.date FROM presidential_actions
        JOIN measures ON measures.id = measure_id ORDER BY 3""",
    ) == [
        ("S.J.Res. 68 (116th)", "presented", "2020-05-05"),
        ("S.J.Res. 68 (116th)", "vetoed", "2020-05-06"),
    ]
    assert rows(
        war_powers_db,
        "SELECT label, kind, originating_chamber, presented FROM measures "
        "WHERE type IN ('hconres', 'sjres') AND title <> '' ORDER BY label",
    ) == [
        ("H.Con.Res. 83 (116th)", "concurrent_resolution", "house", 0),
        ("S.J.Res. 68 (116th)", "joint_resolution", "senate", 1),
    ]


def test_every_figure_has_a_source(war_powers_db: Path) -> None:
    for table in ("roll_calls", "vote_counts", "presidential_actions", "carried_texts"):
        assert rows(
            war_powers_db,
            f"SELECT count(*) FROM {table} t LEFT JOIN sources s "
            "ON s.id = t.source_id WHERE s.url IS NULL OR s.publisher = ''",
        ) == [(0,)]


def _failing_build(tmp_path: Path, *edits: tuple[str, str, str]) -> list[str]:
    data = copy_data(tmp_path)
    db = tmp_path / "votes.db"
    build_curated(db, data)
    before = db.read_bytes()
    for name, old, new in edits:
        edit_csv(data, name, old, new)
    with pytest.raises(RecordErrors) as e:
        build_curated(db, data)
    assert db.read_bytes() == before, "the previous database must be untouched"
    left = [p for p in tmp_path.glob(".votes.db.*") if p.name != ".votes.db.lock"]
    assert not left, "no temporary file left behind (the lock file stays)"
    return [str(err) for err in e.value.errors]


def test_a_position_that_does_not_sum_to_the_official_count(tmp_path: Path) -> None:
    errors = _failing_build(
        tmp_path,
        (
            "positions",
            "s84-116.2020,B000944,D,OH,not_voting,Not Voting",
            "s84-116.2020,B000944,D,OH,yea,Yea",
        ),
    )
    assert any(
        e.endswith(
            "positions.csv:s84-116.2020/ALL: member positions give yea 50, the official count is 49"
        )
        for e in errors
    ), errors
    assert any(
        "positions.csv:s84-116.2020/D: member positions give not_voting 3" in e for e in errors
    ), errors


def test_party_rows_that_do_not_sum_to_the_total(tmp_path: Path) -> None:
    errors = _failing_build(
        tmp_path, ("vote_counts", "s84-116.2020,ALL,49,44,0,7", "s84-116.2020,ALL,49,44,0,8")
    )
    assert any(
        e.endswith("vote_counts.csv:s84-116.2020: party rows give not_voting 7, the total says 8")
        for e in errors
    ), errors


def test_a_figure_without_a_source(tmp_path: Path) -> None:
    url = "https://clerk.house.gov/evs/2020/roll101.xml"
    errors = _failing_build(tmp_path, ("sources", url, "https://example.org/elsewhere.xml"))
    assert any(
        e.endswith(f"roll_calls.csv:h101-116.2020: source {url} is not in sources.csv")
        for e in errors
    ), errors


def test_a_missing_official_total(tmp_path: Path) -> None:
    errors = _failing_build(tmp_path, ("vote_counts", "h7-116.2020,ALL,", "h7-116.2020,ALX,"))
    assert any(
        e.endswith("vote_counts.csv:h7-116.2020: no ALL row (the official total)") for e in errors
    ), errors


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    errors = _failing_build(
        tmp_path,
        ("roll_calls", ",veto-override,2/3,", ",veto-override,7/8,"),
        ("positions", "h101-116.2020,A000055,R,AL,nay,No", "h101-116.2020,A000055,R,AL,nay,Nope"),
    )
    assert any("roll_calls.csv:s84-116.2020: requires: invalid value '7/8'" in e for e in errors)
    assert any(
        "positions.csv:h101-116.2020/A000055: unknown vote option 'Nope'" in e for e in errors
    )


ACTIONS = "https://www.congress.gov/bill/116th-congress/senate-joint-resolution/68/all-actions"
LIS = "https://www.senate.gov/legislative/LIS/roll_call_votes/vote1162/vote_116_2_"
HCONRES83 = "https://www.congress.gov/bill/116th-congress/house-concurrent-resolution/83"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (  # a title whose source sources.csv does not describe
            ("measures", f"false,{HCONRES83}", "false,https://example.org/nope"),
            "measures.csv:116/hconres/83: source https://example.org/nope is not in sources.csv",
        ),
        (  # a title with no source at all
            ("measures", f"false,{HCONRES83}", "false,"),
            "measures.csv:116/hconres/83: source (none) is not in sources.csv",
        ),
        (  # a day that does not exist
            ("presidential_actions", "presented,2020-05-05", "presented,2020-02-30"),
            "presidential_actions.csv:116/sjres/68/2020-02-30/presented: "
            "date: invalid value '2020-02-30'",
        ),
        (
            ("roll_calls", "2020-03-11T17:42:00-04:00", "yesterday"),
            "roll_calls.csv:h101-116.2020: voted_at: invalid value 'yesterday'",
        ),
        (  # one number, one spelling
            ("measures", "116,hr,550,", "116,hr,0550,"),
            "measures.csv:116/hr/0550: number: invalid value '0550'",
        ),
        (  # H.Con.Res. 83 never goes to the President (Art. I, sec. 7)
            ("presidential_actions", "116,sjres,68,vetoed", "116,hconres,83,vetoed"),
            "presidential_actions.csv:116/hconres/83/2020-05-06/vetoed: "
            "116-hconres-83 is never presented to the President",
        ),
        (
            ("presidential_actions", "vetoed,2020-05-06", "vetoed,2020-05-04"),
            "presidential_actions.csv:116/sjres/68/2020-05-04/vetoed: "
            "vetoed on 2020-05-04, before it was presented",
        ),
        (  # counts sourced to another roll call's file
            (
                "vote_counts",
                f"s84-116.2020,ALL,49,44,0,7,{LIS}00084.xml",
                f"s84-116.2020,ALL,49,44,0,7,{LIS}00052.xml",
            ),
            f"vote_counts.csv:s84-116.2020/ALL: source {LIS}00052.xml is not its roll call's "
            f"({LIS}00084.xml)",
        ),
        (
            (
                "measures",
                "Merchant Mariners of World War II Congressional Medal Act,false",
                "Merchant Mariners of World War II Congressional Medal Act,true",
            ),
            "measures.csv:116/hr/550: only a joint resolution is an amendment",
        ),
    ],
)
def test_facts_the_record_must_keep(
    tmp_path: Path, edit: tuple[str, str, str], message: str
) -> None:
    errors = _failing_build(tmp_path, edit)
    assert any(e.endswith(message) for e in errors), errors


def test_a_count_that_is_not_a_number_is_reported_once(tmp_path: Path) -> None:
    errors = _failing_build(
        tmp_path, ("vote_counts", "s84-116.2020,ALL,49,44,0,7", "s84-116.2020,ALL,4O,44,0,7")
    )
    assert errors == [f"{errors[0].split(':')[0]}:s84-116.2020/ALL: yea: invalid value '4O'"]


def test_a_missing_file_of_the_record(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    (data / "presidential_actions.csv").unlink()
    with pytest.raises(RecordError) as e:
        build_curated(tmp_path / "votes.db", data)
    assert str(e.value).endswith(
        "presidential_actions.csv:-: missing: every file of data/ is part of the record"
    )
    assert not (tmp_path / "votes.db").exists()


def test_the_record_loads_into_postgresql_as_into_sqlite(
    empty_postgres_url: str, war_powers_db: Path
) -> None:
    """A team's PostgreSQL gets the same record through the same migrations and writer."""
    from votes.database.engine import engine_for

    build_curated(empty_postgres_url)
    engine = engine_for(empty_postgres_url)
    sql = (
        "SELECT roll_call_id, party, yea, nay, present, not_voting FROM vote_counts "
        "ORDER BY roll_call_id, party"
    )
    with engine.connect() as connection:
        got = [tuple(r) for r in connection.exec_driver_sql(sql)]
        lis = connection.exec_driver_sql(
            "SELECT COUNT(*) FROM members WHERE lis_id IS NULL"
        ).scalar_one()
        math = connection.exec_driver_sql(
            "SELECT voting, two_thirds_needed, margin FROM override_math "
            "WHERE roll_call_id = 's84-116.2020'"
        ).one()
    assert got == rows(war_powers_db, sql)
    assert lis == rows(war_powers_db, "SELECT COUNT(*) FROM members WHERE lis_id IS NULL")[0][0]
    assert tuple(math) == (93, 62, -13)
    engine.dispose()
