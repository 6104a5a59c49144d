"""The PostgreSQL sink's bulk load: positions by COPY's binary format, and the settings of the
load's transaction (which end with it). Row-for-row agreement with SQLite is
tests/test_one_writer.py's."""

from __future__ import annotations

import struct
import time
import uuid

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import SLICE, UPSTREAM
from tests.postgres import Server
from votes.database import engine, postgres_sink
from votes.database.pipeline import import_sources
from votes.database.postgres_sink import binary_positions
from votes.errors import RecordError

ROLLS = [(7, [(3 << 16) | 2, (70_000 << 16) | 5]), (9, []), (12, [(1 << 16) | 1])]
ROWS = [(7, 3, 2), (7, 70_000, 5), (12, 1, 1)]


class Abandoned(Exception):
    """Raised inside a load to roll it back."""


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def test_positions_in_copy_binary_format_are_a_header_rows_of_three_int4_and_a_trailer() -> None:
    header = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
    rows = b"".join(struct.pack(">hiiiiii", 3, 4, k, 4, v, 4, o) for k, v, o in ROWS)
    assert binary_positions(ROLLS) == header + rows + struct.pack(">h", -1)


def test_positions_copied_in_binary_read_back_as_written(empty_postgres_url: str) -> None:
    with pytest.raises(Abandoned), postgres_sink.target(empty_postgres_url) as sink:
        sink.insert_positions(ROLLS)
        read = sink.query(
            "SELECT roll_call_key, voter_id, vote_option_id FROM positions ORDER BY 1, 2"
        )
        raise Abandoned  # (no roll calls or voters for them: their keys would refuse them)
    assert read == ROWS
    with psycopg.connect(libpq(empty_postgres_url)) as connection:  # as it was: empty
        assert connection.execute("SELECT to_regclass('positions')").fetchone() == (None,)


def test_a_load_runs_without_jit_compilation_and_the_server_keeps_its_setting(
    empty_postgres_url: str,
) -> None:
    with psycopg.connect(libpq(empty_postgres_url)) as connection:
        server_default = connection.execute("SHOW jit").fetchone()
    assert server_default == ("on",)  # else this test proves nothing
    with postgres_sink.target(empty_postgres_url) as sink:
        assert sink.query("SHOW jit") == [("off",)]
    with psycopg.connect(libpq(empty_postgres_url)) as connection:
        assert connection.execute("SHOW jit").fetchone() == ("on",)


def test_a_first_loads_statistics_are_coarse_and_autovacuum_counts_its_rows_again(
    empty_postgres_url: str,
) -> None:
    """A first load's ANALYZE samples at target 10, the server keeps its own (100); once the
    load commits, its rows are changes since that ANALYZE, which autovacuum analyzes again.
    A later load analyzes at the server's target."""
    import_sources([str(SLICE)], empty_postgres_url, jobs=0)
    with psycopg.connect(libpq(empty_postgres_url), autocommit=True) as connection:
        assert connection.execute("SHOW default_statistics_target").fetchone() == ("100",)
        bounds = connection.execute(
            "SELECT cardinality(histogram_bounds) FROM pg_stats "
            "WHERE tablename = 'positions' AND attname = 'roll_call_key'"
        ).fetchone()
        assert bounds is not None and bounds[0] == 11  # 10 buckets; 101 at the server's target
        positions = connection.execute("SELECT COUNT(*) FROM positions").fetchone()
        changes = "SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = 'positions'"
        for _ in range(100):  # the load's backend reports its counts as it ends
            changed = connection.execute(changes).fetchone()
            if changed is not None and changed[0]:
                break
            time.sleep(0.1)
    assert positions is not None and positions[0] > 10_000  # else this test proves little
    assert changed == positions  # over autovacuum's threshold: 50 rows and a tenth of the table
    import_sources([str(UPSTREAM / "h7" / "data.json")], empty_postgres_url, jobs=0)  # later
    with psycopg.connect(libpq(empty_postgres_url)) as connection:
        bounds = connection.execute(
            "SELECT cardinality(histogram_bounds) FROM pg_stats "
            "WHERE tablename = 'positions' AND attname = 'roll_call_key'"
        ).fetchone()
    assert bounds == (101,)  # too few rows for autovacuum: analyzed at the server's target


def test_every_id_sequence_goes_on_after_the_ids_a_load_wrote(empty_postgres_url: str) -> None:
    """COPY writes the writer's ids as they are; a row added afterwards by SQL gets a new id."""
    assert {"sources", "measures", "voters", "vote_options"} <= set(postgres_sink.SERIAL_TABLES)
    import_sources([str(SLICE)], empty_postgres_url, jobs=0)
    with psycopg.connect(libpq(empty_postgres_url)) as connection:
        for table in postgres_sink.SERIAL_TABLES:
            written, following = connection.execute(  # type: ignore[misc]
                f"SELECT COALESCE(MAX(id), 0), nextval(pg_get_serial_sequence('{table}', 'id')) "
                f"FROM {table}"
            ).fetchone()
            assert following > written, table
        assert connection.execute("SELECT MAX(id) FROM voters").fetchone()[0] > 100  # type: ignore[index]


CONSTRAINTS = """
SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
FROM pg_constraint
WHERE connamespace = 'public'::regnamespace
ORDER BY 1, 2
"""
INDEXES = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"


def schema(url: str) -> tuple[list[tuple[str, ...]], ...]:
    with psycopg.connect(libpq(url)) as connection:
        return tuple(connection.execute(sql).fetchall() for sql in (CONSTRAINTS, INDEXES))


def test_a_load_into_empty_tables_checks_foreign_keys_after_and_leaves_the_schema_whole(
    empty_postgres_url: str, postgres_server: Server
) -> None:
    with postgres_sink.target(empty_postgres_url) as sink:
        foreign = "SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = "
        assert sink.query(foreign + "'vote_counts'::regclass") == []  # checked at the end
    migrated = postgres_server.url(f"migrated_{uuid.uuid4().hex}")
    postgres_server.admin(f"CREATE DATABASE {make_url(migrated).database}")
    try:
        engine.migrate(engine.engine_for(migrated))
        assert schema(empty_postgres_url) == schema(migrated)
    finally:
        postgres_server.admin(f"DROP DATABASE {make_url(migrated).database} WITH (FORCE)")


def test_a_row_that_breaks_a_foreign_key_fails_the_load_at_the_end_and_changes_nothing(
    empty_postgres_url: str,
) -> None:
    count = {"party": "ALL", "yea": 1, "nay": 0, "present": 0, "not_voting": 0}
    with pytest.raises(RecordError, match="foreign key"):
        with postgres_sink.target(empty_postgres_url) as sink:
            sink.insert("vote_counts", [count | {"roll_call_id": "h1-101.1989", "source_id": 1}])
            assert sink.query("SELECT COUNT(*) FROM vote_counts") == [(1,)]  # taken, for now
    with psycopg.connect(libpq(empty_postgres_url)) as connection:  # as it was: empty
        assert connection.execute("SELECT to_regclass('vote_counts')").fetchone() == (None,)


def test_a_later_load_keeps_every_key_of_its_empty_tables(empty_postgres_url: str) -> None:
    import_sources([str(UPSTREAM / "h7" / "data.json")], empty_postgres_url, jobs=0)
    with postgres_sink.target(empty_postgres_url) as sink:
        assert sink.query("SELECT COUNT(*) FROM official_veto_counts") == [(0,)]
        foreign = "SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = "
        kept = sink.query(foreign + "'official_veto_counts'::regclass")
        positions = sink.query("SELECT COUNT(*) FROM positions")
    assert kept == [("fk_official_veto_counts_source_id_sources",)]
    assert positions[0][0] > 400  # the first load's, not truncated for a frozen copy


def test_a_first_load_writes_positions_frozen_on_pages_all_visible(
    empty_postgres_url: str,
) -> None:
    import_sources([str(SLICE)], empty_postgres_url, jobs=0)
    with psycopg.connect(libpq(empty_postgres_url)) as connection:
        pages = connection.execute(  # (as the load's ANALYZE counted them)
            "SELECT relpages, relallvisible FROM pg_class WHERE oid = 'positions'::regclass"
        ).fetchone()
    assert pages is not None and pages[0] > 10  # else this test proves little
    assert pages[1] == pages[0]  # unfrozen rows of an open transaction: none all-visible


def test_foreign_keys_are_checked_with_the_servers_jit_and_the_summaries_without(
    empty_postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, str]] = []
    run, refresh = postgres_sink._run, postgres_sink.summaries.refresh

    def noting_run(db: psycopg.Connection, statements: list[str]) -> None:
        if any("FOREIGN KEY" in sql for sql in statements):
            seen.append(("foreign keys", db.execute("SHOW jit").fetchone()[0]))  # type: ignore[index]
        run(db, statements)

    def noting_refresh(sink: postgres_sink.PostgresSink) -> None:
        seen.append(("summaries", sink.query("SHOW jit")[0][0]))
        refresh(sink)

    monkeypatch.setattr(postgres_sink, "_run", noting_run)
    monkeypatch.setattr(postgres_sink.summaries, "refresh", noting_refresh)
    with postgres_sink.target(empty_postgres_url):
        pass
    assert seen == [("foreign keys", "on"), ("summaries", "off")]


def test_updates_wait_for_the_next_flush_and_follow_the_rows_held_before_them(
    empty_postgres_url: str,
) -> None:
    source = {"url": "https://example.org/1", "publisher": "clerk", "date": None}

    def titles(sink: postgres_sink.PostgresSink) -> list[tuple[str, ...]]:
        with sink.db.cursor() as cursor:  # (not sink.query, which would flush first)
            return cursor.execute("SELECT title FROM sources ORDER BY id").fetchall()

    with pytest.raises(Abandoned), postgres_sink.target(empty_postgres_url) as sink:
        sink.insert("sources", [source | {"id": 1, "title": "first"}])
        sink.update("sources", "id", [source | {"id": 1, "title": "second"}])
        sink.update("sources", "id", [source | {"id": 1, "title": "third"}])
        held = titles(sink)
        sink.flush()
        sent = titles(sink)
        raise Abandoned
    assert (held, sent) == ([], [("third",)])
