"""Alembic builds exactly the models' schema, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tests.conftest import UPSTREAM
from tests.dump import canonical, differences
from tests.helpers import build_curated
from votes.database import views
from votes.database.engine import alembic_config, engine_for, migrate
from votes.database.models import Base, Measure, RollCall, Source, VoteCount
from votes.database.pipeline import import_sources
from votes.paths import ALEMBIC_INI, PROJECT_ROOT

ALEMBIC = str(Path(sys.executable).with_name("alembic"))
TABLES = set(Base.metadata.tables)


def alembic(db: str | Path, *args: str) -> str:
    """Run the real `alembic` command on `db` (via VOTES_DB); return its stdout."""
    done = subprocess.run(
        [ALEMBIC, "-c", str(ALEMBIC_INI), *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "VOTES_DB": str(db)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, f"alembic {' '.join(args)}:\n{done.stdout}{done.stderr}"
    return done.stdout


def schema(connection: Connection) -> dict[str, dict[str, Any]]:
    """Every table's columns, types, keys, indexes and constraints, as the inspector sees them."""
    inspector = inspect(connection)
    tables = set(inspector.get_table_names()) - {"alembic_version"}
    return {name: _table(inspector, name) for name in sorted(tables)}


def _table(inspector: sa.Inspector, name: str) -> dict[str, Any]:
    return {
        "columns": [
            (c["name"], str(c["type"]), c["nullable"], c.get("default"))
            for c in inspector.get_columns(name)
        ],
        "primary key": inspector.get_pk_constraint(name),
        "foreign keys": sorted(
            (fk["name"], fk["constrained_columns"], fk["referred_table"], fk["referred_columns"])
            for fk in inspector.get_foreign_keys(name)
        ),
        "unique": sorted(
            (u["name"], u["column_names"]) for u in inspector.get_unique_constraints(name)
        ),
        "indexes": sorted(
            (i["name"], i["column_names"], i["unique"]) for i in inspector.get_indexes(name)
        ),
        "checks": sorted((c["name"], c["sqltext"]) for c in inspector.get_check_constraints(name)),
    }


def sqlite_ddl(connection: Connection) -> dict[str, tuple[str, ...]]:
    """SQLite's own CREATE TABLE/INDEX text, constraint lines sorted (their order is immaterial)."""
    rows = connection.execute(
        text("SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'index')")
    )
    # sql is NULL for SQLite's own indexes behind UNIQUE/PRIMARY KEY (compared via the table).
    return {
        f"{r.type} {r.name}": _normalized(r.sql)
        for r in rows
        if r.sql and r.name != "alembic_version" and not r.name.startswith("sqlite_stat")
    }


def _normalized(sql: str) -> tuple[str, ...]:
    # A table rebuilt by batch mode is renamed into place, and SQLite then quotes its name.
    sql = re.sub(r'^CREATE TABLE "(\w+)"', r"CREATE TABLE \1", sql)
    lines = [line.strip().rstrip(",").rstrip() for line in sql.splitlines() if line.strip()]
    constraints = sorted(line for line in lines if line.startswith("CONSTRAINT "))
    return tuple(line for line in lines if not line.startswith("CONSTRAINT ")) + tuple(constraints)


def diffs(connection: Connection) -> list[Any]:
    """Alembic's autogenerate comparison of a live database with the models."""
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


def models_engine(db: str | Path) -> Engine:
    """A database made straight from the models, to compare migrated ones against."""
    engine = engine_for(db)
    Base.metadata.create_all(engine)
    return engine


def assert_matches_models(migrated: Engine, reference: Engine) -> None:
    with migrated.connect() as got, reference.connect() as want:
        assert diffs(got) == []
        got_schema, want_schema = schema(got), schema(want)
        assert set(got_schema) == TABLES
        for table, parts in want_schema.items():
            for part, value in parts.items():
                assert got_schema[table][part] == value, f"{table}: {part}"
        if migrated.dialect.name == "sqlite":
            assert sqlite_ddl(got) == sqlite_ddl(want)


def view_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_view_names())


def assert_views_selectable(engine: Engine) -> None:
    assert view_names(engine) == set(views.names())
    with engine.connect() as connection:
        for name in views.names():
            connection.execute(text(f"SELECT * FROM {name} LIMIT 1")).all()


def downgrade_to_base(engine: Engine) -> None:
    """Downgrade with views in place: migrations/env.py must drop them first."""
    assert view_names(engine), "the views must exist before the downgrade"
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")


URL = "https://clerk.house.gov/evs/2024/roll001.xml"
ROLL_CALL = "h1-118.2024"


def a_record() -> list[Base]:
    """A source, a measure, a roll call on it and its official counts, in insertion order."""
    day = dt.date(2024, 1, 10)
    return [
        Source(id=1, url=URL, publisher="Clerk of the House", date=day),
        Measure(
            id=1,
            congress=118,
            type="hjres",
            number=1,
            label="H.J.Res. 1",
            kind="joint_resolution",
            originating_chamber="house",
            presented=True,
            source_id=1,
        ),
        RollCall(
            id=ROLL_CALL,
            key=1,
            chamber="house",
            congress=118,
            session="2024",
            number=1,
            date=day,
            voted_at="2024-01-10T12:00:00-05:00",
            question="On Passage",
            category="passage",
            requires="1/2",
            result="Passed",
            result_text="Passed",
            measure_id=1,
            source_id=1,
        ),
        VoteCount(
            roll_call_id=ROLL_CALL, party="ALL", yea=1, nay=2, present=0, not_voting=3, source_id=1
        ),
    ]


def add_record(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        for row in a_record():
            session.add(row)
            session.flush()


# SQLite -------------------------------------------------------------------------------------


def test_alembic_upgrade_head_on_an_empty_file_gives_the_models_schema(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    alembic(db, "upgrade", "head")
    assert_matches_models(engine_for(db), models_engine(tmp_path / "models.db"))


def test_migrate_gives_the_models_schema_and_every_view(tmp_path: Path) -> None:
    engine = engine_for(tmp_path / "votes.db")
    migrate(engine)
    assert_matches_models(engine, models_engine(tmp_path / "models.db"))
    assert_views_selectable(engine)


def test_every_view_exists_and_is_selectable(tmp_path: Path) -> None:
    engine = engine_for(tmp_path / "votes.db")
    migrate(engine)
    assert views.names(), "no views in votes/sql/"
    assert_views_selectable(engine)


def test_the_comparison_notices_a_difference(tmp_path: Path) -> None:
    engine = engine_for(tmp_path / "votes.db")
    migrate(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_roll_calls_measure_id"))
    with pytest.raises(AssertionError):
        assert_matches_models(engine, models_engine(tmp_path / "models.db"))


def test_alembic_check_is_clean(tmp_path: Path) -> None:
    db = tmp_path / "votes.db"
    migrate(engine_for(db))
    assert "No new upgrade operations detected" in alembic(db, "check")


def env_configure_options(db: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The options migrations/env.py passes to `context.configure` when it migrates `db`."""
    seen: dict[str, Any] = {}
    configure = EnvironmentContext.configure

    def spy(self: EnvironmentContext, **options: Any) -> None:
        seen.update(options)
        configure(self, **options)

    monkeypatch.setattr(EnvironmentContext, "configure", spy)
    migrate(engine_for(db))
    return seen


def test_env_turns_batch_mode_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options = env_configure_options(tmp_path / "votes.db", monkeypatch)
    assert options["render_as_batch"] is True
    assert options["compare_type"] is True


def drifted_models() -> MetaData:
    """The models with members.first_name made nullable: a change SQLite cannot ALTER in place."""
    drifted = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(drifted)
    drifted.tables["members"].c.first_name.nullable = True
    return drifted


def test_an_autogenerated_migration_runs_on_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The migration env.py's settings would write for an ALTER runs on SQLite (batch mode)."""
    db = tmp_path / "votes.db"
    options = env_configure_options(db, monkeypatch)
    opts = {k: v for k, v in options.items() if k not in ("connection", "target_metadata")}
    with engine_for(db).begin() as connection:
        views.drop_all(connection)  # as migrate() does: alembic #1207
        context = MigrationContext.configure(connection, opts=opts)
        script = produce_migrations(context, drifted_models())
        code = render_python_code(script.upgrade_ops, render_as_batch=opts["render_as_batch"])
        assert "batch_alter_table('members'" in code
        namespace = {"op": Operations(context), "sa": sa}
        exec(f"def upgrade():\n    {code}", namespace)  # the body of a revision's upgrade()
        namespace["upgrade"]()
        columns = {c["name"]: c for c in inspect(connection).get_columns("members")}
    assert columns["first_name"]["nullable"] is True


def test_every_revision_downgrades_and_upgrades_again(tmp_path: Path) -> None:
    """The stairway: each revision up, down to its parent, and up again; then head is the models."""
    engine = engine_for(tmp_path / "votes.db")
    revisions = list(ScriptDirectory.from_config(alembic_config()).walk_revisions())
    assert revisions, "no Alembic revisions found"
    for revision in reversed(revisions):
        migrate(engine, revision.revision)
        with engine.begin() as connection:
            views.drop_all(connection)
            command.downgrade(alembic_config(connection), revision.down_revision or "base")
        migrate(engine, revision.revision)
    assert_matches_models(engine, models_engine(tmp_path / "models.db"))
    assert_views_selectable(engine)


def test_alembic_downgrade_base_leaves_nothing_and_upgrade_rebuilds(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    alembic(db, "upgrade", "head")
    alembic(db, "downgrade", "base")
    assert set(inspect(engine_for(db)).get_table_names()) == {"alembic_version"}
    alembic(db, "upgrade", "head")
    assert_matches_models(engine_for(db), models_engine(tmp_path / "models.db"))


def insert_orphan_count(connection: Connection) -> None:
    """A vote_counts row for a roll call (and source) that does not exist."""
    connection.execute(
        text(
            "INSERT INTO vote_counts"
            " (roll_call_id, party, yea, nay, present, not_voting, source_id)"
            " VALUES ('h999-118.2024', 'ALL', 1, 0, 0, 0, 999)"
        )
    )


def test_foreign_keys_are_enforced_on_every_sqlite_connection(tmp_path: Path) -> None:
    engine = engine_for(tmp_path / "votes.db")
    migrate(engine)
    with engine.connect() as first, engine.connect() as second:
        assert first.connection.dbapi_connection is not second.connection.dbapi_connection
        for connection in (first, second):
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            with pytest.raises(IntegrityError, match="FOREIGN KEY"):
                insert_orphan_count(connection)
            connection.rollback()


def test_migrate_twice_is_harmless(tmp_path: Path) -> None:
    engine = engine_for(tmp_path / "votes.db")
    migrate(engine)
    add_record(engine)
    migrate(engine)
    assert_matches_models(engine, models_engine(tmp_path / "models.db"))
    assert_views_selectable(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT url FROM sources")).scalars().all() == [URL]
        assert connection.execute(text("SELECT yea FROM vote_counts")).scalars().all() == [1]


# PostgreSQL ---------------------------------------------------------------------------------


def test_postgres_migrate_gives_the_models_schema_and_every_view(
    empty_postgres_url: str, postgres_url: str
) -> None:
    engine = engine_for(empty_postgres_url)
    migrate(engine)
    assert engine.dialect.name == "postgresql"
    assert_matches_models(engine, models_engine(postgres_url))
    assert_views_selectable(engine)
    migrate(engine)
    assert_views_selectable(engine)
    engine.dispose()


def test_postgres_alembic_check_is_clean(empty_postgres_url: str) -> None:
    engine = engine_for(empty_postgres_url)
    migrate(engine)
    engine.dispose()
    assert "No new upgrade operations detected" in alembic(empty_postgres_url, "check")


def test_postgres_downgrades_to_base_and_upgrades_again(empty_postgres_url: str) -> None:
    engine = engine_for(empty_postgres_url)
    migrate(engine)
    downgrade_to_base(engine)
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    assert view_names(engine) == set()
    migrate(engine)
    with engine.connect() as connection:
        assert diffs(connection) == []
    assert_views_selectable(engine)
    engine.dispose()


def test_postgres_round_trip_with_foreign_keys(empty_postgres_url: str) -> None:
    engine = engine_for(empty_postgres_url)
    migrate(engine)
    add_record(engine)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT roll_call_id, yea, nay FROM vote_counts")).one()
        assert tuple(row) == (ROLL_CALL, 1, 2)
        with pytest.raises(IntegrityError, match="foreign key"):
            insert_orphan_count(connection)
    engine.dispose()


# Both ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_alembic_round_trip_with_a_record_in_place(
    dialect: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The `alembic` command on a database holding the record (every table filled, views in
    place): downgrade base leaves only alembic_version; upgrade head gives the models' schema
    and every view, and the writer loads it as it loads a new database."""
    if dialect == "sqlite":
        db, reference = str(tmp_path / "votes.db"), str(tmp_path / "models.db")
    else:
        db = request.getfixturevalue("empty_postgres_url")
        reference = request.getfixturevalue("postgres_url")
    build_curated(db)
    engine = engine_for(db)
    with engine.connect() as connection:
        for table in TABLES:
            assert connection.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).all(), table
    assert view_names(engine) == set(views.names())
    alembic(db, "downgrade", "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    assert view_names(engine) == set()
    alembic(db, "upgrade", "head")
    assert_matches_models(engine, models_engine(reference))
    assert_views_selectable(engine)
    engine.dispose()
    assert import_sources([str(UPSTREAM)], db, jobs=0).added == 6
    import_sources([str(UPSTREAM)], tmp_path / "fresh.db", jobs=0)
    assert differences(canonical(db), canonical(tmp_path / "fresh.db")) == {}
