"""voter_sessions (migration 0007): how a roll call's positions are found without an index of
positions by roll call. Every position's voter has a session in the roll call's congress and
chamber, and no session is empty; a replaced roll call leaves none of its old positions; a
database migrated from 0006 gets the rows the writer writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from tests.conftest import SLICE
from tests.test_bulk_import import _first_house_vote_with_ayes, _path_of, edited, write_tar
from votes.database.engine import alembic_config, engine_for
from votes.database.pipeline import import_sources

# Positions whose voter has no session in the roll call's congress and chamber: none, ever.
UNSEATED = """
SELECT COUNT(*)
FROM positions
JOIN roll_calls ON roll_calls.key = positions.roll_call_key
LEFT JOIN voter_sessions
    ON voter_sessions.congress = roll_calls.congress
    AND voter_sessions.chamber = roll_calls.chamber
    AND voter_sessions.voter_id = positions.voter_id
WHERE voter_sessions.voter_id IS NULL
"""
# What a load writes: the voters of each congress and chamber.
SEATED = """
SELECT DISTINCT roll_calls.congress, roll_calls.chamber, positions.voter_id
FROM positions
JOIN roll_calls ON roll_calls.key = positions.roll_call_key
ORDER BY 1, 2, 3
"""
SESSIONS = "SELECT * FROM voter_sessions ORDER BY 1, 2, 3"
KEPT = "SELECT congress, chamber, voter_id FROM voter_sessions ORDER BY 1, 2, 3"


def query(db: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql, params).fetchall()


def test_a_load_seats_every_voter_in_each_congress_and_chamber(slice_db: Path) -> None:
    sessions = query(slice_db, KEPT)
    assert len(sessions) > 500
    assert sessions == query(slice_db, SEATED)
    assert query(slice_db, UNSEATED) == [(0,)]


def test_every_roll_calls_positions_are_found_through_the_sessions(slice_db: Path) -> None:
    by_roll_call = query(
        slice_db,
        "SELECT roll_calls.id, COUNT(*) FROM positions "
        "JOIN roll_calls ON roll_calls.key = positions.roll_call_key GROUP BY 1 ORDER BY 1",
    )
    shown = query(slice_db, "SELECT roll_call_id, COUNT(*) FROM member_votes GROUP BY 1 ORDER BY 1")
    assert shown == by_roll_call
    assert len(shown) == 410


def _drop_two(doc: dict) -> None:
    """Two members leave the roll (the counts follow: they are tallied from the roll)."""
    doc["votes"]["Aye"] = doc["votes"]["Aye"][2:]


def test_a_replaced_roll_call_leaves_none_of_its_old_positions(tmp_path: Path) -> None:
    db = tmp_path / "votes.db"
    import_sources([str(SLICE)], db, jobs=0)
    vote = _first_house_vote_with_ayes()
    before = query(db, "SELECT COUNT(*) FROM member_votes WHERE roll_call_id = ?", vote)[0][0]
    every = query(db, "SELECT COUNT(*) FROM positions")[0][0]
    newer = write_tar(tmp_path / "newer.tar.xz", edited(_path_of(vote), _drop_two))
    assert import_sources([str(newer)], db, jobs=0).updated == 1
    key = query(db, "SELECT key FROM roll_calls WHERE id = ?", vote)[0][0]
    stored = query(db, "SELECT COUNT(*) FROM positions WHERE roll_call_key = ?", key)[0][0]
    shown = query(db, "SELECT COUNT(*) FROM member_votes WHERE roll_call_id = ?", vote)[0][0]
    assert stored == shown == before - 2
    assert query(db, UNSEATED) == [(0,)]
    assert query(db, "SELECT COUNT(*) FROM positions") == [(every - 2,)]


def test_migrating_from_0006_fills_the_sessions_the_writer_writes(
    slice_db: Path, tmp_path: Path
) -> None:
    """The voters, and their records too: the migration counts them in SQL by the rules the
    writer follows in Python (votes.database.sessions), so the two are checked one by the
    other."""
    db = Path(tmp_path / "migrated.db")
    db.write_bytes(slice_db.read_bytes())
    written = query(db, SESSIONS)
    engine = engine_for(db)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0006")
        names = {r[0] for r in query(db, "SELECT name FROM sqlite_master")}
        assert "voter_sessions" not in names
        assert "ix_positions_roll_call_key_voter_id_vote_option_id" in names
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    finally:
        engine.dispose()
    names = {r[0] for r in query(db, "SELECT name FROM sqlite_master")}
    assert "ix_positions_roll_call_key_voter_id_vote_option_id" not in names
    assert query(db, SESSIONS) == written
