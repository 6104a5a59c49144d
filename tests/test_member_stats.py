"""member_stats: each member's record per congress and chamber and over a career, computed at
the end of every load. Hand-worked cases on a tiny record (SQLite and PostgreSQL), a direct
recount on the archive slice, and an import that touches one congress recomputing only what
changed, to the same figures as a fresh load."""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine

from tests.conftest import SLICE
from tests.test_bulk_import import slice_members, write_tar
from tests.tiny_record import Record
from votes.database import summaries
from votes.database.engine import engine_for, migrate
from votes.database.pipeline import import_sources
from votes.database.postgres_sink import PostgresSink
from votes.database.sqlite_sink import SqliteSink

FIGURES = (
    "member_id",
    "congress",
    "chamber",
    "party",
    "votes_eligible",
    "yea",
    "nay",
    "present",
    "missed_votes",
    "missed_pct",
    "party_votes",
    "votes_with_party",
    "with_party_pct",
    "defections",
    "unity_votes",
    "unity_with_party",
    "unity_pct",
)

# Five Senate roll calls of the 117th and one House roll call of the 118th, by member:
#          s1 (unity)  s2 (not)  s3 (no majorities)  s4 (unity)  s5 (unity)  h1-118 (unity)
# dan  D   yea         yea       not voting          not voting  present     yea
# dee  D   yea         yea       yea                 nay         yea
# don  D   nay         yea       nay                 nay         yea
# rob  R   nay         yea       nay                 yea         nay         nay
# rae  R   nay         yea       yea                 yea         nay
# ira  I   yea         nay       present             nay         not voting
# D majority: yea, yea, none (1-1... dan absent: dee yea, don nay), nay, yea; R: nay, yea, none,
# yea, nay. A unity vote: the two majorities opposed (s1, s4, s5, h1). The Vice President votes
# on s3 and is in no figure.
ROLLS: dict[str, dict[str, tuple[str, str]]] = {
    "s1-117.2021": {
        "dan": ("D", "yea"),
        "dee": ("D", "yea"),
        "don": ("D", "nay"),
        "rob": ("R", "nay"),
        "rae": ("R", "nay"),
        "ira": ("I", "yea"),
    },
    "s2-117.2021": {
        "dan": ("D", "yea"),
        "dee": ("D", "yea"),
        "don": ("D", "yea"),
        "rob": ("R", "yea"),
        "rae": ("R", "yea"),
        "ira": ("I", "nay"),
    },
    "s3-117.2021": {
        "dan": ("D", "not_voting"),
        "dee": ("D", "yea"),
        "don": ("D", "nay"),
        "rob": ("R", "nay"),
        "rae": ("R", "yea"),
        "ira": ("I", "present"),
        "VP": ("", "yea"),
    },
    "s4-117.2021": {
        "dan": ("D", "not_voting"),
        "dee": ("D", "nay"),
        "don": ("D", "nay"),
        "rob": ("R", "yea"),
        "rae": ("R", "yea"),
        "ira": ("I", "nay"),
    },
    "s5-117.2021": {
        "dan": ("D", "present"),
        "dee": ("D", "yea"),
        "don": ("D", "yea"),
        "rob": ("R", "nay"),
        "rae": ("R", "nay"),
        "ira": ("I", "not_voting"),
    },
    "h1-118.2023": {"dan": ("D", "yea"), "rob": ("R", "nay")},
}
S, H = (117, "senate"), (118, "house")
EXPECTED = {
    # dan missed 2 of 5 (present is no miss); voted with his party on both party votes.
    ("dan", *S): ("D", 5, 2, 0, 1, 2, 40, 2, 2, 100, 0, 1, 1, 100),
    ("dan", *H): ("D", 1, 1, 0, 0, 0, 0, 1, 1, 100, 0, 1, 1, 100),
    ("dan", None, None): ("D", 6, 3, 0, 1, 2, 33.3, 3, 3, 100, 0, 2, 2, 100),
    # don: s3 had no D majority; s1 a defection on a unity vote: unity 2 of 3 = 66.7.
    ("don", *S): ("D", 5, 2, 3, 0, 0, 0, 4, 3, 75, 1, 3, 2, 66.7),
    ("dee", *S): ("D", 5, 4, 1, 0, 0, 0, 4, 4, 100, 0, 3, 3, 100),
    ("rob", *S): ("R", 5, 2, 3, 0, 0, 0, 4, 4, 100, 0, 3, 3, 100),
    ("rob", *H): ("R", 1, 0, 1, 0, 0, 0, 1, 1, 100, 0, 1, 1, 100),
    ("rae", *S): ("R", 5, 3, 2, 0, 0, 0, 4, 4, 100, 0, 3, 3, 100),
    # The independent: missed 1 of 5; no party figures (the crosswalk names no caucus).
    ("ira", *S): ("I", 5, 1, 2, 1, 1, 20, None, None, None, None, None, None, None),
    ("ira", None, None): ("I", 5, 1, 2, 1, 1, 20, None, None, None, None, None, None, None),
}


def fill(record: Record) -> None:
    for vote_id, roll in ROLLS.items():
        counts = Counter(option for _, option in roll.values())
        record.roll_call(
            vote_id,
            (counts["yea"], counts["nay"], counts["present"], counts["not_voting"]),
            requires="1/2",
            result="Passed",
            category="passage",
            date="2021-06-01" if vote_id.endswith("2021") else "2023-02-01",
        )
        for member, (party, option) in roll.items():
            record.position(vote_id, member, party, option)
    record.tally()


def figures(rows: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """member_stats rows by (member, congress, chamber); PostgreSQL's exact percentages
    (Decimal) as plain numbers, to compare with SQLite's."""
    return {
        tuple(r[:3]): tuple(float(v) if isinstance(v, Decimal) else v for v in r[3:]) for r in rows
    }


STATS_SQL = f"SELECT {', '.join(FIGURES)} FROM member_stats ORDER BY 1, 2, 3"


def hand_worked(engine: Engine) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """The tiny record in a migrated database, member_stats computed as a load computes them."""
    migrate(engine)
    with engine.begin() as connection:
        fill(Record(connection))
        raw = connection.connection.driver_connection
        sink = SqliteSink(raw) if isinstance(raw, sqlite3.Connection) else PostgresSink(raw)
        assert isinstance(raw, sqlite3.Connection | psycopg.Connection)
        sink.touched.congresses = {117}  # 118 is computed too: it has no rows yet
        summaries.refresh(sink)
        rows = [tuple(r) for r in connection.exec_driver_sql(STATS_SQL)]
    engine.dispose()
    return figures(rows)


def test_hand_worked_figures(tmp_path: Path) -> None:
    got = hand_worked(engine_for(tmp_path / "votes.db"))
    for key, want in EXPECTED.items():
        assert got[key] == want, key
    assert {k[0] for k in got} == {"dan", "dee", "don", "rob", "rae", "ira"}  # never the VP
    assert len(got) == 6 + 2 + 6  # each member's congress rows and one career row each


def test_hand_worked_figures_on_postgresql(empty_postgres_url: str, tmp_path: Path) -> None:
    assert hand_worked(engine_for(empty_postgres_url)) == hand_worked(
        engine_for(tmp_path / "votes.db")
    )


# ---- the archive slice: the figures recounted another way ------------------------------------


@pytest.fixture(scope="module")
def sliced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("stats") / "votes.db"
    import_sources([str(SLICE)], db, jobs=0)
    return db


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def recount(db: Path) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """member_stats' counts recomputed in Python from member_votes and party_breakdown."""
    majorities = {
        (r, p): "yea" if y > n else "nay" if n > y else None
        for r, p, y, n in rows(db, "SELECT roll_call_id, party, yea, nay FROM party_breakdown")
    }
    found: dict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    for roll, member, party, option, congress, chamber in rows(
        db,
        "SELECT member_votes.roll_call_id, member_id, party, option, member_votes.congress, "
        "member_votes.chamber "
        "FROM member_votes JOIN roll_calls ON roll_calls.id = member_votes.roll_call_id "
        "WHERE member_id <> 'VP' AND roll_calls.status = 'counted'",
    ):
        for key in ((member, congress, chamber), (member, None, None)):
            c = found[key]
            c["eligible"] += 1
            c[option] += 1
            majority = majorities.get((roll, party)) if party in ("D", "R") else None
            c["scored"] += party in ("D", "R")
            if majority and option in ("yea", "nay"):
                c["party"] += 1
                c["with"] += option == majority
                dem, rep = majorities.get((roll, "D")), majorities.get((roll, "R"))
                if dem and rep and dem != rep:
                    c["unity"] += 1
                    c["unity_with"] += option == majority
    return {
        key: (
            c["eligible"],
            c["yea"],
            c["nay"],
            c["present"],
            c["not_voting"],
            *(
                (c["party"], c["with"], c["party"] - c["with"], c["unity"], c["unity_with"])
                if c["scored"]
                else (None,) * 5
            ),
        )
        for key, c in found.items()
    }


def test_the_slices_figures_are_a_direct_recount(sliced: Path) -> None:
    stored = {
        tuple(r[:3]): tuple(r[3:])
        for r in rows(
            sliced,
            "SELECT member_id, congress, chamber, votes_eligible, yea, nay, present, "
            "missed_votes, party_votes, votes_with_party, defections, unity_votes, "
            "unity_with_party FROM member_stats",
        )
    }
    assert len(stored) > 500
    assert stored == recount(sliced)


def test_percentages_are_the_counts_rounded_half_up(sliced: Path) -> None:
    for eligible, missed, pct in rows(
        sliced, "SELECT votes_eligible, missed_votes, missed_pct FROM member_stats"
    ):
        assert round(pct * 10) == (1000 * missed + eligible // 2) // eligible


def test_defections_are_party_defectors_rows(sliced: Path) -> None:
    """Every defection counted is a row of party_defectors, and the reverse (D and R)."""
    assert rows(
        sliced, "SELECT SUM(defections) FROM member_stats WHERE congress IS NOT NULL"
    ) == rows(sliced, "SELECT COUNT(*) FROM party_defectors WHERE party IN ('D', 'R')")


def test_an_import_recomputes_the_congresses_it_touches(tmp_path: Path) -> None:
    """The slice in two imports (the 101st first) gives the figures of one import."""
    members = slice_members()
    first = [(n, d) for n, d in members if "/101/" in n]
    db = tmp_path / "votes.db"
    import_sources([str(write_tar(tmp_path / "first.tar.xz", first))], db, jobs=0)
    before = rows(db, "SELECT * FROM member_stats WHERE congress = 101 ORDER BY member_id")
    import_sources([str(write_tar(tmp_path / "all.tar.xz", members))], db, jobs=0)
    fresh = tmp_path / "fresh.db"
    import_sources([str(SLICE)], fresh, jobs=0)
    sql = f"SELECT {', '.join(FIGURES)} FROM member_stats ORDER BY 1, 2, 3"
    assert rows(db, sql) == rows(fresh, sql)
    after = rows(db, "SELECT * FROM member_stats WHERE congress = 101 ORDER BY member_id")
    assert after == before  # untouched: the same rows, ids and all


def test_the_stored_arithmetic_follows_every_import_and_fills_in_what_is_missing(
    tmp_path: Path,
) -> None:
    """override_math, threshold_math and party_breakdown (stored at the end of a load, 0006):
    two imports give the rows of one; emptied (a database migrated from before 0006), the next
    import, which writes no roll call, computes them again."""
    members = slice_members()
    first = [(n, d) for n, d in members if "/101/" in n]
    db, fresh = tmp_path / "votes.db", tmp_path / "fresh.db"
    import_sources([str(write_tar(tmp_path / "first.tar.xz", first))], db, jobs=0)
    import_sources([str(SLICE)], db, jobs=0)
    import_sources([str(SLICE)], fresh, jobs=0)
    stored = [f"SELECT * FROM {name} ORDER BY 1, 2, 3, 4, 5" for name in summaries.STORED]
    assert all(rows(db, sql) == rows(fresh, sql) for sql in stored)
    assert len(rows(db, stored[0])) == len(rows(db, "SELECT id FROM roll_calls")) > 400
    with sqlite3.connect(db) as connection:
        for name in summaries.STORED:
            connection.execute(f"DELETE FROM {name}")
    import_sources([str(SLICE)], db, jobs=0)
    assert all(rows(db, sql) == rows(fresh, sql) for sql in stored)


# ---- the pandas API -------------------------------------------------------------------------


def test_the_api_reads_a_members_figures_and_a_congresss_misses(war_powers_db: Path) -> None:
    from votes import api

    sanders = api.member_stats("Bernard Sanders", db=war_powers_db)
    assert sanders[["congress", "votes_eligible", "missed_votes"]].values.tolist()[0] == [
        116,
        2,
        1,
    ]
    assert sanders["congress"].isna().tolist() == [False, True]  # the career row last
    missed = api.missed_votes(116, db=war_powers_db)
    assert missed.iloc[0]["missed_votes"] >= missed.iloc[-1]["missed_votes"]
    assert "S000033" in set(missed["member_id"])
