"""threshold_math and threshold_exceptions: hand-worked thresholds, and the archive slice.

Each hand-worked case is a tiny record inserted into a database built by the migrations, on
SQLite and on a real PostgreSQL server. Expected figures are worked by hand: a majority needs
base // 2 + 1 yeas (base // 2 on a tie the Vice President broke yea), three fifths
(3 * base + 4) // 5, two thirds (2 * base + 2) // 3, where base is yea + nay, or every member on
the roll for three fifths in the Senate and for a quorum call.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.conftest import SLICE
from tests.test_override_math import migrated
from tests.tiny_record import Record, view_rows
from votes.database.pipeline import import_sources

MATH = (
    "threshold",
    "base",
    "needed",
    "margin",
    "switches_needed",
    "switches_to_defeat",
    "carried",
    "official_outcome",
    "agrees_with_official",
    "documented_exception",
)
SENATE_TIE = (50, 50, 0, 0)

# vote id: (official counts yea, nay, present, not voting), requires, published result, the
# Vice President's vote (None: none recorded), expected MATH columns, worked by hand.
CASES: dict[str, tuple[tuple[int, int, int, int], str, str, str | None, tuple[Any, ...]]] = {
    # ---- majority: yea > nay; a tie fails unless the Vice President breaks it
    # 50-50 and the VP votes yea: half is enough, so 50 needed and carried; one switch defeats
    "s1-117.2021": (
        SENATE_TIE,
        "1/2",
        "Bill Passed",
        "yea",
        ("majority", 100, 50, 0, 0, 1, 1, "carried", 1, None),
    ),
    # 50-50 and the VP votes nay: a majority is 51, one short
    "s2-117.2021": (
        SENATE_TIE,
        "1/2",
        "Bill Defeated",
        "nay",
        ("majority", 100, 51, -1, 1, None, 0, "failed", 1, None),
    ),
    # 50-50 and no VP vote: the tie fails
    "s3-117.2021": (
        SENATE_TIE,
        "1/2",
        "Bill Defeated",
        None,
        ("majority", 100, 51, -1, 1, None, 0, "failed", 1, None),
    ),
    # the House has no tie-breaker: 215-215 fails
    "h4-117.2021": (
        (215, 215, 0, 5),
        "1/2",
        "Failed",
        None,
        ("majority", 430, 216, -1, 1, None, 0, "failed", 1, None),
    ),
    # the narrowest majority: 51-49 carries, one switch makes a tie that fails
    "s5-117.2021": (
        (51, 49, 0, 0),
        "1/2",
        "Bill Passed",
        None,
        ("majority", 100, 51, 0, 0, 1, 1, "carried", 1, None),
    ),
    # ---- three fifths of the senators duly chosen and sworn: every senator on the roll
    # 60 of 100 sworn: exactly three fifths
    "s10-117.2021": (
        (60, 40, 0, 0),
        "3/5",
        "Cloture Motion Agreed to",
        None,
        ("three_fifths_sworn", 100, 60, 0, 0, 1, 1, "carried", 1, None),
    ),
    # 59-37 with 96 sworn: 3/5 of 96 is 57.6, so 58 needed and 59 carries...
    "s11-117.2021": (
        (59, 37, 0, 0),
        "3/5",
        "Cloture Motion Agreed to",
        None,
        ("three_fifths_sworn", 96, 58, 1, 0, 2, 1, "carried", 1, None),
    ),
    # ...but the same 59-37 with 100 sworn (4 absent) is one short of 60: absences count
    "s12-117.2021": (
        (59, 37, 0, 4),
        "3/5",
        "Cloture Motion Rejected",
        None,
        ("three_fifths_sworn", 100, 60, -1, 1, None, 0, "failed", 1, None),
    ),
    # a vacancy: 99 sworn, 3/5 is 59.4, so (3 * 99 + 4) / 5 = 60 still
    "s13-117.2021": (
        (60, 35, 0, 4),
        "3/5",
        "Cloture Motion Agreed to",
        None,
        ("three_fifths_sworn", 99, 60, 0, 0, 1, 1, "carried", 1, None),
    ),
    "s14-117.2021": (
        (59, 36, 0, 4),
        "3/5",
        "Cloture Motion Rejected",
        None,
        ("three_fifths_sworn", 99, 60, -1, 1, None, 0, "failed", 1, None),
    ),
    # two vacancies lower it: 98 sworn, 3/5 is 58.8, so 59
    "s15-117.2021": (
        (59, 39, 0, 0),
        "3/5",
        "Cloture Motion Agreed to",
        None,
        ("three_fifths_sworn", 98, 59, 0, 0, 1, 1, "carried", 1, None),
    ),
    # "present" is on the roll, so in the base
    "s16-117.2021": (
        (59, 31, 5, 5),
        "3/5",
        "Motion Rejected",
        None,
        ("three_fifths_sworn", 100, 60, -1, 1, None, 0, "failed", 1, None),
    ),
    # ---- three fifths of those voting (the House tax-rate rule): present stays out
    "h20-117.2021": (
        (258, 172, 3, 2),
        "3/5",
        "Passed",
        None,
        ("three_fifths_voting", 430, 258, 0, 0, 1, 1, "carried", 1, None),
    ),
    "h21-117.2021": (
        (257, 173, 0, 5),
        "3/5",
        "Failed",
        None,
        ("three_fifths_voting", 430, 258, -1, 1, None, 0, "failed", 1, None),
    ),
    # ---- two thirds of those voting
    "h30-117.2021": (
        (290, 145, 0, 0),
        "2/3",
        "Passed",
        None,
        ("two_thirds_voting", 435, 290, 0, 0, 1, 1, "carried", 1, None),
    ),
    "s31-117.2021": (
        (61, 32, 0, 7),
        "2/3",
        "Veto Sustained",
        None,
        ("two_thirds_voting", 93, 62, -1, 1, None, 0, "failed", 1, None),
    ),
    # ---- quorum calls: a majority of those on the roll answering; nobody has a side to switch
    "h40-117.2021": (
        (0, 0, 400, 35),
        "QUORUM",
        "Passed",
        None,
        ("quorum", 435, 218, 182, None, None, 1, "carried", 1, None),
    ),
    # no quorum answered, yet "Passed": a disagreement nobody documented
    "h41-117.2021": (
        (0, 0, 200, 235),
        "QUORUM",
        "Passed",
        None,
        ("quorum", 435, 218, -18, None, None, 0, "carried", 0, 0),
    ),
    # ---- documented exceptions (threshold_exceptions), with their real ids and counts
    # "Amendment Agreed to (23-74)": the arithmetic says failed and is not bent
    "s14-103.1993": (
        (23, 74, 0, 3),
        "1/2",
        "Amendment Agreed to",
        None,
        ("majority", 97, 49, -26, 26, None, 0, "carried", 0, 1),
    ),
    # 181 of 433 answered: no quorum, so carried is empty, and "Passed" disagrees
    "h233-102.1991": (
        (109, 72, 0, 252),
        "1/2",
        "Passed",
        None,
        ("majority", 181, 91, 18, 0, None, None, "carried", 0, 1),
    ),
}
NOTHING = ("none",) + (None,) * (len(MATH) - 1)
SPEAKER, ELECTION_1995, VACATED = "h50-117.2021", "h51-117.2021", "h52-117.2021"
SMALL_BASES = range(1, 31)


def senate_ties(record: Record, vote_id: str, vice_president: str | None) -> None:
    """The Vice President's tie-break: a position of member 'VP', in no count."""
    if vice_president is not None:
        record.position(vote_id, "VP", "", vice_president)


def fewest(base: int, share: tuple[int, int], more_than: bool) -> int:
    """The fewest yeas that are (more than) numerator/denominator of base, counting up."""
    numerator, denominator = share
    return next(
        yea
        for yea in range(base + 1)
        if denominator * yea > numerator * base
        or (not more_than and denominator * yea == numerator * base)
    )


CATEGORIES = {"1/2": "passage", "3/5": "cloture", "2/3": "passage", "QUORUM": "quorum"}


def hand_worked(record: Record) -> None:
    for vote_id, (counts, requires, result, vice_president, _) in CASES.items():
        category = CATEGORIES[requires]
        record.roll_call(vote_id, counts, requires=requires, result=result, category=category)
        senate_ties(record, vote_id, vice_president)
    record.roll_call(SPEAKER, (0, 0, 3, 1), requires="1/2", result="Pelosi", category="leadership")
    record.roll_call(
        ELECTION_1995,
        (0, 0, 4, 0),
        requires="1/2",
        result="Foley",
        category="unknown",
        question="ELECTION OF SPEAKER",
    )
    record.roll_call(VACATED, (0, 0, 0, 0), requires="unknown", result="Vacated", status="vacated")
    for base in SMALL_BASES:
        majority, three_fifths = fewest(base, (1, 2), True), fewest(base, (3, 5), False)
        for yea in range(base + 1):
            counts, number = (yea, base - yea, 0, 0), base * 100 + yea
            passed = "Passed" if yea >= majority else "Failed"
            record.roll_call(f"h{number}-117.2022", counts, requires="1/2", result=passed)
            cloture = "Agreed to" if yea >= three_fifths else "Rejected"
            record.roll_call(
                f"s{number}-117.2022",
                counts,
                requires="3/5",
                result=f"Cloture Motion {cloture}",
                category="cloture",
            )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def hand_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    yield from migrated(request, tmp_path_factory, hand_worked)


@pytest.fixture(scope="module")
def threshold_math(hand_db: Engine) -> dict[str, dict[str, Any]]:
    return view_rows(hand_db, "threshold_math", "roll_call_id")


@pytest.mark.parametrize("vote_id", CASES)
def test_hand_worked_case(threshold_math: dict[str, dict[str, Any]], vote_id: str) -> None:
    counts, _, _, vice_president, expected = CASES[vote_id]
    row = threshold_math[vote_id]
    assert (row["yea"], row["nay"], row["present"], row["not_voting"]) == counts
    assert row["vice_president"] == vice_president
    assert tuple(row[c] for c in MATH) == expected


def test_only_a_documented_disagreement_gives_its_reason(
    threshold_math: dict[str, dict[str, Any]],
) -> None:
    assert "23-74" in threshold_math["s14-103.1993"]["exception_reason"]
    assert "quorum" in threshold_math["h233-102.1991"]["exception_reason"]
    assert threshold_math["h41-117.2021"]["exception_reason"] is None  # disagrees, undocumented
    assert threshold_math["s1-117.2021"]["exception_reason"] is None  # agrees


@pytest.mark.parametrize("vote_id", [SPEAKER, ELECTION_1995, VACATED])
def test_no_arithmetic_without_a_threshold(
    threshold_math: dict[str, dict[str, Any]], vote_id: str
) -> None:
    assert tuple(threshold_math[vote_id][c] for c in MATH) == NOTHING


def test_majority_and_three_fifths_of_every_small_base(
    threshold_math: dict[str, dict[str, Any]],
) -> None:
    for base in SMALL_BASES:
        majority, three_fifths = fewest(base, (1, 2), True), fewest(base, (3, 5), False)
        for yea in range(base + 1):
            number = base * 100 + yea
            for vote_id, needed in (
                (f"h{number}-117.2022", majority),
                (f"s{number}-117.2022", three_fifths),
            ):
                row = threshold_math[vote_id]
                assert (row["base"], row["needed"]) == (base, needed), row
                assert row["carried"] == (1 if yea >= needed else 0), row
                assert row["switches_needed"] == max(0, needed - yea), row
                assert row["switches_to_defeat"] == (yea - needed + 1 if yea >= needed else None)
                assert row["agrees_with_official"] == 1, row


def test_every_exception_is_listed_once_with_its_reason(hand_db: Engine) -> None:
    rows = view_rows(hand_db, "threshold_exceptions", "roll_call_id")
    assert len(rows) == 14
    assert all(len(r["reason"]) > 80 for r in rows.values())
    assert {"s14-103.1993", "h233-102.1991", "s216-111.2009"} <= set(rows)


# ---- the archive slice: every published result against the arithmetic -----------------------

SLICE_EXCEPTIONS = {"s216-111.2009"}  # the documented exceptions that fall in the slice


@pytest.fixture(scope="module")
def sliced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("threshold-slice") / "votes.db"
    import_sources([str(SLICE)], db, jobs=0)
    return db


def slice_rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def test_every_published_result_in_the_slice_agrees_but_the_documented_exceptions(
    sliced: Path,
) -> None:
    rows = slice_rows(
        sliced,
        "SELECT roll_call_id, agrees_with_official, documented_exception FROM threshold_math "
        "WHERE official_outcome IS NOT NULL",
    )
    assert len(rows) == 396
    disagreements = {r[0]: r[2] for r in rows if r[1] != 1}
    assert disagreements == dict.fromkeys(SLICE_EXCEPTIONS, 1)
    listed = {r[0] for r in slice_rows(sliced, "SELECT roll_call_id FROM threshold_exceptions")}
    in_slice = {r[0] for r in slice_rows(sliced, "SELECT id FROM roll_calls")}
    assert listed & in_slice == SLICE_EXCEPTIONS


def test_every_vice_presidents_tie_break_in_the_slice_carries(sliced: Path) -> None:
    rows = slice_rows(
        sliced,
        "SELECT yea, nay, needed, margin, carried, agrees_with_official FROM threshold_math "
        "WHERE vice_president IS NOT NULL",
    )
    assert len(rows) == 25
    assert all(r[0] == r[1] == r[2] and r[3:] == (0, 1, 1) for r in rows), rows


def test_speaker_elections_in_the_slice_have_no_threshold(sliced: Path) -> None:
    rows = slice_rows(
        sliced,
        "SELECT threshold, COUNT(*) FROM threshold_math "
        "WHERE category = 'leadership' OR question LIKE 'election of%' GROUP BY 1",
    )
    assert rows == [("none", 14)]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "SELECT * FROM threshold_math ORDER BY date DESC LIMIT 51",
            "SCAN threshold_math USING INDEX ix_threshold_math_date",
        ),
        (
            "SELECT * FROM threshold_math WHERE chamber = 'senate' ORDER BY date DESC LIMIT 51",
            "SCAN threshold_math USING INDEX ix_threshold_math_date",
        ),
        (
            "SELECT * FROM threshold_math WHERE congress = 116 AND chamber = 'senate'",
            "SEARCH threshold_math USING INDEX ix_threshold_math_congress_chamber "
            "(congress=? AND chamber=?)",
        ),
    ],
)
def test_a_page_reads_the_stored_rows_by_an_index(sliced: Path, sql: str, expected: str) -> None:
    """threshold_math is stored at the end of a load (migration 0006): a page reads its rows in
    date order, or those of a congress and chamber, and works nothing out."""
    steps = "\n".join(r[-1] for r in slice_rows(sliced, f"EXPLAIN QUERY PLAN {sql}"))
    assert steps == expected, steps
