"""One derivation, one writer: both roads, both dialects, migrations, bad targets, failures.

- `votes build` (data/, then archives) and `votes import` of the same sources write the same
  rows in every table (tests/dump.py compares them by natural keys);
- SQLite and PostgreSQL hold the same rows in every table and every view;
- a column a migration adds is written by the writer with no other change;
- a bad --db is one line and changes nothing; a failed load leaves every database as it was.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Column, MetaData, String

from tests.conftest import SLICE, UPSTREAM
from tests.dump import Rows, canonical, differences, row_order, tables, view_rows
from tests.helpers import build_curated, votes_cli
from votes.database import engine, sqlite_sink, views, writer
from votes.database.engine import engine_for
from votes.database.models import Base
from votes.database.pipeline import build, import_sources
from votes.errors import RecordError, RecordErrors
from votes.paths import MIGRATIONS
from votes.record import datafiles
from votes.record.write import record

EXTRAS = SLICE.with_name("override-extras.tar.xz")  # the override votes the slice lacks
VOTE_FILES = [str(UPSTREAM / n / "data.json") for n in ("h7", "h33", "h34", "h101", "s52", "s84")]
BILL_FILE = str(UPSTREAM / "bills" / "116_sjres68_data.json")
AddColumns = Callable[[], list[str]]
BILL_URL = "https://www.congress.gov/bill/116th-congress/senate-joint-resolution/68/all-actions"


def empty_data(directory: Path) -> Path:
    """A data/ with every file of the record, headers only."""
    directory.mkdir()
    for name, spec in datafiles.FILES.items():
        empty = pd.DataFrame({c: pd.Series(dtype=str) for c in spec.names})
        datafiles.write(name, empty, directory)
    return directory


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def counts(dump: dict[str, Rows]) -> dict[str, int]:
    return {name: len(table.rows) for name, table in dump.items()}


# ---- (a) votes build and votes import of the same sources -----------------------------------


def without_source(dump: dict[str, Rows], url: str) -> dict[str, Rows]:
    """The dump less what one source gave: its own row, the rows it is the source of, and the
    titles of the measures it titled (the measures stay: votes name them)."""
    return {name: _without_source(name, table, url) for name, table in dump.items()}


def _without_source(name: str, table: Rows, url: str) -> Rows:
    at = {c: i for i, c in enumerate(table.columns)}
    source = at["url"] if name == "sources" else at.get("source_id->url")
    if source is None:
        return table
    if name != "measures":
        return Rows(table.columns, [r for r in table.rows if r[source] != url])
    untitled = {"title": "", "source_id->url": None}
    rows = [
        tuple(untitled.get(c, v) for c, v in zip(table.columns, r, strict=True))
        if r[source] == url
        else r
        for r in table.rows
    ]
    return Rows(table.columns, sorted(rows, key=row_order))


def test_build_and_import_of_the_war_powers_files_write_the_same_rows(tmp_path: Path) -> None:
    """`votes record` into an empty data/ then `votes build`, against `votes import` of the same
    vote files: the same rows in every table. The override vote (s84) and the vetoed bill's file
    are left out: in data/, a veto and its override vote need their curated row in
    data/vetoes.csv (tests/test_vetoes.py); the other five votes are the roads' whole test."""
    files = [f for f in VOTE_FILES if "/s84/" not in f]
    data = tmp_path / "data"
    data.mkdir()
    record(files, data)
    build(tmp_path / "built.db", data, archives=[], jobs=0)
    summary = import_sources(files, tmp_path / "imported.db", jobs=0)
    assert summary.added == 5
    built, imported = canonical(tmp_path / "built.db"), canonical(tmp_path / "imported.db")
    assert set(built) == set(Base.metadata.tables)
    assert counts(built)["positions"] == 1918 - 100
    assert differences(built, imported) == {}


def test_build_and_import_of_the_archive_slice_write_the_same_rows(tmp_path: Path) -> None:
    """With an empty data/, a build is the archive's import: same rows, same ids, same order."""
    build(tmp_path / "built.db", empty_data(tmp_path / "data"), archives=[str(SLICE)])
    import_sources([str(SLICE)], tmp_path / "imported.db")
    built, imported = canonical(tmp_path / "built.db"), canonical(tmp_path / "imported.db")
    assert (counts(built)["roll_calls"], counts(built)["positions"]) == (410, 124_230)
    assert differences(built, imported) == {}
    assert differences(tables(tmp_path / "built.db"), tables(tmp_path / "imported.db")) == {}


# ---- (b) SQLite and PostgreSQL -----------------------------------------------------------------


def test_sqlite_and_postgresql_hold_the_same_rows_in_every_table_and_view(
    tmp_path: Path, empty_postgres_url: str
) -> None:
    """data/ and the archive slice, built into each: every table and view, row for row."""
    build(tmp_path / "votes.db", archives=[str(SLICE), str(EXTRAS)])
    build(empty_postgres_url, archives=[str(SLICE), str(EXTRAS)])
    lite, pg = tables(tmp_path / "votes.db"), tables(empty_postgres_url)
    assert set(lite) == set(Base.metadata.tables)
    assert differences(lite, pg) == {}
    lite_views, pg_views = view_rows(tmp_path / "votes.db"), view_rows(empty_postgres_url)
    assert set(lite_views) == set(views.names())
    assert all(view.rows for view in lite_views.values()), counts(lite_views)
    assert differences(lite_views, pg_views) == {}


def corrected_s84(directory: Path) -> Path:
    """A later copy of s84: one senator moved from yea to nay, the result and the source's
    date with it."""
    doc = json.loads((UPSTREAM / "s84" / "data.json").read_text())
    doc["votes"]["Nay"].append(doc["votes"]["Yea"].pop(0))
    doc["result_text"] = doc["result_text"].replace("49-44", "48-45")
    doc["record_modified"] = "2021-08-01T00:00:00-04:00"
    path = directory / "s84.json"
    path.write_text(json.dumps(doc))
    return path


def test_an_import_that_replaces_a_vote_writes_the_same_rows_on_both_dialects(
    tmp_path: Path, empty_postgres_url: str
) -> None:
    """The writer's other road: a changed vote replaced in place (rows deleted and written
    again, its source updated), on SQLite and on PostgreSQL."""
    corrected = str(corrected_s84(tmp_path))
    for db in (tmp_path / "votes.db", empty_postgres_url):
        import_sources(VOTE_FILES, db, jobs=0)
        summary = import_sources([corrected], db, jobs=0)
        assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 0)
    lite, pg = tables(tmp_path / "votes.db"), tables(empty_postgres_url)
    assert differences(lite, pg) == {}
    dump = canonical(empty_postgres_url)
    at = dump["vote_counts"].columns.index("yea")
    assert [r[at] for r in dump["vote_counts"].rows if r[:2] == ("s84-116.2020", "ALL")] == [48]
    assert "2021-08-01" in {r[2] for r in dump["sources"].rows if "00084" in r[0]}


# ---- (d) a column a migration adds -------------------------------------------------------------

ADD_COLUMNS = '''"""test: roll_calls.reviewed_by and roll_calls.note"""
import sqlalchemy as sa
from alembic import op

revision = "0099"
down_revision = "{head}"


def upgrade() -> None:
    op.add_column(
        "roll_calls",
        sa.Column("reviewed_by", sa.String(40), nullable=False, server_default="migration"),
    )
    op.add_column("roll_calls", sa.Column("note", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("roll_calls") as batch:
        batch.drop_column("note")
        batch.drop_column("reviewed_by")
'''


@pytest.fixture
def add_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AddColumns]:
    """Adds, when called, a new head revision adding two roll_calls columns, and the two
    columns to a copy of the models (the global metadata is left alone): `reviewed_by`
    defaults to "model" in the models and to "migration" in the database (different, so a
    row shows who filled it); `note` is nullable. Returns the statements the SQLite sink runs
    from then on."""
    statements: list[str] = []

    def add() -> list[str]:
        head = ScriptDirectory.from_config(engine.alembic_config()).get_current_head()
        migrations = shutil.copytree(MIGRATIONS, tmp_path / "migrations")
        revision = migrations / "versions" / "0099_test_columns.py"
        revision.write_text(ADD_COLUMNS.format(head=head))
        monkeypatch.setattr(engine, "MIGRATIONS", migrations)
        models = MetaData(naming_convention=Base.metadata.naming_convention)
        for table in Base.metadata.tables.values():
            table.to_metadata(models)
        roll_calls = models.tables["roll_calls"]
        roll_calls.append_column(Column("reviewed_by", String(40), default="model"))
        roll_calls.append_column(Column("note", String(200)))
        monkeypatch.setattr(writer, "Base", SimpleNamespace(metadata=models))
        connect = sqlite_sink._connect

        def traced(path: Path, foreign_keys: bool) -> sqlite3.Connection:
            connection = connect(path, foreign_keys)
            connection.set_trace_callback(statements.append)
            return connection

        monkeypatch.setattr(sqlite_sink, "_connect", traced)
        return statements

    yield add
    monkeypatch.undo()
    assert "reviewed_by" not in Base.metadata.tables["roll_calls"].c
    assert "reviewed_by" not in writer.columns("roll_calls").names


def new_columns(db: str | Path) -> dict[str, tuple[str, str | None]]:
    """roll_calls' id -> (reviewed_by, note)."""
    with engine_for(db).connect() as connection:
        rows = connection.exec_driver_sql("SELECT id, reviewed_by, note FROM roll_calls")
        return {r[0]: (r[1], r[2]) for r in rows}


def test_a_column_a_migration_adds_is_written_with_the_models_default(
    tmp_path: Path, add_columns: AddColumns
) -> None:
    """Rows the writer adds carry the models' default ("model"); rows already in a database
    the migration upgrades carry the migration's ("migration"); a nullable column is NULL.
    Nothing else changes: the writer and the sinks name the models' columns."""
    db = tmp_path / "votes.db"
    import_sources(VOTE_FILES[:3], db, jobs=0)
    statements = add_columns()
    import_sources(VOTE_FILES, db, jobs=0)  # the database is migrated first
    assert new_columns(db) == {
        **{f"h{n}-116.2020": ("migration", None) for n in (7, 33, 34)},
        **{rid: ("model", None) for rid in ("h101-116.2020", "s52-116.2020", "s84-116.2020")},
    }
    build_curated(tmp_path / "built.db")
    assert set(new_columns(tmp_path / "built.db").values()) == {("model", None)}
    inserts = {
        m[1]: m[2].split(", ")
        for m in (re.match(r"INSERT INTO (\w+) \(([^)]*)\) ", s) for s in statements)
        if m
    }
    models = writer.Base.metadata.tables
    assert inserts["roll_calls"][-2:] == ["reviewed_by", "note"]
    for table in ("sources", "measures", "members", "voters", "vote_counts", "roll_calls"):
        assert inserts[table] == [c.name for c in models[table].c], table
    assert not [s for s in statements if re.match(r"INSERT INTO \w+ VALUES", s)]


def test_a_column_a_migration_adds_on_postgresql(
    empty_postgres_url: str, add_columns: AddColumns
) -> None:
    add_columns()
    import_sources(VOTE_FILES, empty_postgres_url, jobs=0)
    assert set(new_columns(empty_postgres_url).values()) == {("model", None)}
    build_curated(empty_postgres_url)  # down to base, up to the new head, written again
    assert set(new_columns(empty_postgres_url).values()) == {("model", None)}
    assert len(new_columns(empty_postgres_url)) == 6


# ---- (e) a bad --db: one line, exit 1, nothing changed -------------------------------------------


def assert_one_line(result, *expected: str) -> None:  # type: ignore[no-untyped-def]
    lines = result.stderr.strip().splitlines()
    assert (result.returncode, len(lines)) == (1, 1), result.stderr
    for text in expected:
        assert text in lines[0], lines[0]


def test_build_into_an_unsupported_dialect_or_a_server_that_is_down(tmp_path: Path) -> None:
    from tests.postgres import free_port

    result = votes_cli("build", "--only-curated", "--db", "oracle://u:secret@127.0.0.1/x")
    assert_one_line(result, "Error: oracle://u:***@127.0.0.1/x:-: unsupported database 'oracle'")
    url = f"postgresql+psycopg://u:secret@127.0.0.1:{free_port()}/x"
    result = votes_cli("build", "--only-curated", "--db", url)
    assert_one_line(result, "Error: postgresql+psycopg://u:***@127.0.0.1:")
    assert "secret" not in result.stderr


def test_a_sqlite_database_at_an_unknown_revision_is_refused(tmp_path: Path) -> None:
    """As a database made by newer code: neither imported into nor replaced by a build."""
    db = tmp_path / "votes.db"
    import_sources(VOTE_FILES[:1], db, jobs=0)
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f00d'")
    connection.close()
    before = sha256(db)
    for command in (["import", str(UPSTREAM)], ["build", "--only-curated"]):
        result = votes_cli(*command, "--db", str(db))
        assert_one_line(result, f"Error: {db}:-: a database at an unknown revision 'f00d'")
    assert sha256(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".votes.db.lock", "votes.db"]


def test_a_file_that_is_not_a_database_is_not_replaced_by_a_build(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("my notes\n")
    assert_one_line(
        votes_cli("build", "--only-curated", "--db", str(notes)), "not a votes database"
    )
    assert notes.read_text() == "my notes\n"


def database_state(url: str) -> tuple[dict[str, Rows], list[tuple], list[str]]:
    """Every table's rows, the Alembic revision and the views of a PostgreSQL database."""
    with engine_for(url).connect() as connection:
        version = connection.exec_driver_sql("SELECT * FROM alembic_version").all()
        names = connection.exec_driver_sql(
            "SELECT viewname FROM pg_views WHERE schemaname = 'public' ORDER BY 1"
        )
        found = [r[0] for r in names]
    return tables(url), [tuple(r) for r in version], found


def test_a_postgresql_database_at_an_unknown_revision_is_refused(empty_postgres_url: str) -> None:
    build_curated(empty_postgres_url)
    with engine_for(empty_postgres_url).begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'f00d'")
    before = database_state(empty_postgres_url)
    for command in (["import", str(UPSTREAM)], ["build", "--only-curated"]):
        result = votes_cli(*command, "--db", empty_postgres_url)
        assert_one_line(result, "a database at an unknown revision", "'f00d'")
    assert database_state(empty_postgres_url) == before
    assert before[0]["roll_calls"].rows


# ---- (f) a failed load leaves every database as it was ---------------------------------------


def bad_count(directory: Path) -> Path:
    """s84 with an official result its member roll does not give."""
    path = directory / "s84.json"
    text = (UPSTREAM / "s84" / "data.json").read_text()
    path.write_text(text.replace("49-44", "48-44", 1))
    return path


def fail(road: str, db: str | Path, bad: Path) -> None:
    """A load that fails on `bad` after writing data/ (build) or good files (import)."""
    with pytest.raises((RecordError, RecordErrors), match="member positions give 49-44"):
        if road == "build":
            build(db, archives=[str(SLICE), str(bad)])
        else:
            import_sources([str(SLICE), str(bad)], db)


@pytest.mark.parametrize("road", ["build", "import"])
def test_a_failed_load_leaves_a_sqlite_file_as_it_was(tmp_path: Path, road: str) -> None:
    db = tmp_path / "db" / "votes.db"
    db.parent.mkdir()
    build_curated(db)
    before = sha256(db)
    fail(road, db, bad_count(tmp_path))
    assert sha256(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == [".votes.db.lock", "votes.db"]


@pytest.mark.parametrize("road", ["build", "import"])
def test_a_failed_load_leaves_a_postgresql_database_as_it_was(
    tmp_path: Path, empty_postgres_url: str, road: str
) -> None:
    """A build first empties the database (downgrade to base) in the same transaction."""
    build_curated(empty_postgres_url)
    before = database_state(empty_postgres_url)
    fail(road, empty_postgres_url, bad_count(tmp_path))
    assert database_state(empty_postgres_url) == before
    assert len(before[0]["roll_calls"].rows) == 6
