"""The `votes` command line, run for real: exit codes, one-line errors, and docs that match."""

from __future__ import annotations

from pathlib import Path

import click

from tests.conftest import UPSTREAM
from tests.helpers import copy_data, edit_csv, snapshot, votes_cli
from votes.cli import cli

README = Path(__file__).resolve().parent.parent / "README.md"


def test_build_then_record_the_same_files(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    db = tmp_path / "out.db"
    result = votes_cli("build", "--only-curated", "--db", str(db), "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    assert db.exists()
    result = votes_cli("record", str(UPSTREAM), "--data-dir", str(data))
    assert (result.returncode, result.stderr.strip()) == (0, "No changes")


def test_bad_data_fails_the_build_naming_file_and_record(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    db = tmp_path / "out.db"
    assert (
        votes_cli("build", "--only-curated", "--db", str(db), "--data-dir", str(data)).returncode
        == 0
    )
    before = db.read_bytes()
    edit_csv(data, "vote_counts", "s52-116.2020,R,8,45", "s52-116.2020,R,9,45")
    result = votes_cli("build", "--only-curated", "--db", str(db), "--data-dir", str(data))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert (
        f"Error: {data}/vote_counts.csv:s52-116.2020: party rows give yea 56, the total says 55"
        in lines
    )
    assert all(line.startswith("Error: ") for line in lines)
    assert db.read_bytes() == before


def test_record_of_a_broken_file_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    before = snapshot(data)
    bad = tmp_path / "broken.json"
    bad.write_text('{"vote_id": ')
    result = votes_cli("record", str(bad), "--data-dir", str(data))
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {bad}:-: not valid JSON")
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(data) == before


def test_record_of_a_missing_path(tmp_path: Path) -> None:
    result = votes_cli("record", str(tmp_path / "nowhere"), "--data-dir", str(copy_data(tmp_path)))
    assert (result.returncode, result.stderr.strip()) == (
        1,
        f"Error: {tmp_path / 'nowhere'}:-: no such file or directory",
    )


def test_serve_without_a_database(tmp_path: Path) -> None:
    result = votes_cli("serve", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1
    assert "run `votes build` first" in result.stderr


def test_every_command_and_option_has_help_and_is_in_the_readme() -> None:
    readme = README.read_text()
    assert isinstance(cli, click.Group)
    for name, command in cli.commands.items():
        assert command.help, f"votes {name} has no help"
        assert f"votes {name}" in readme, f"README does not document `votes {name}`"
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"votes {name} {param.opts[0]} has no help"
                assert param.opts[-1] in readme or param.opts[0] in readme, (
                    f"README does not mention {param.opts[0]} of votes {name}"
                )


def test_a_database_url_of_another_dialect_is_refused_in_one_line(tmp_path: Path) -> None:
    result = votes_cli("import", str(UPSTREAM / "s84"), "--db", "mysql://u@127.0.0.1/x")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: mysql://u@127.0.0.1/x:-: unsupported database 'mysql'")
    assert "postgresql+psycopg://" in lines[0]


def test_a_postgresql_server_that_is_down_is_one_line(tmp_path: Path) -> None:
    from tests.postgres import free_port

    url = f"postgresql+psycopg://u:secret@127.0.0.1:{free_port()}/x"
    result = votes_cli("import", str(UPSTREAM / "s84"), "--db", url)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: postgresql+psycopg://u:***@127.0.0.1:"), lines
    assert "secret" not in result.stderr


def _one_line_and_untouched(result, db: Path, before: bytes | None) -> None:  # type: ignore[no-untyped-def]
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1, result.stderr
    assert len(lines) == 1 and lines[0].startswith(f"Error: {db}:-: "), result.stderr
    assert (db.read_bytes() if db.exists() else None) == before


def test_a_database_in_a_directory_that_does_not_exist(tmp_path: Path) -> None:
    db = tmp_path / "nowhere" / "votes.db"
    result = votes_cli("import", str(UPSTREAM / "s84"), "--db", str(db))
    _one_line_and_untouched(result, db, None)
    assert "no such directory" in result.stderr


def test_an_unrelated_sqlite_file_is_never_replaced(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "mine.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    before = db.read_bytes()
    for command in (
        ("import", str(UPSTREAM / "s84")),
        ("build", "--only-curated"),
    ):
        result = votes_cli(*command, "--db", str(db))
        _one_line_and_untouched(result, db, before)
        assert "not a votes database (no alembic_version)" in result.stderr


def test_a_database_at_an_unknown_revision(tmp_path: Path, war_powers_db: Path) -> None:
    import shutil
    import sqlite3

    db = shutil.copyfile(war_powers_db, tmp_path / "future.db")
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    before = db.read_bytes()
    result = votes_cli("import", str(UPSTREAM / "s84"), "--db", str(db))
    _one_line_and_untouched(result, db, before)
    assert "a database at an unknown revision '9999'" in result.stderr
