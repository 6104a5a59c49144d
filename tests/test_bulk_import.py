"""`votes import` on a fixed slice of the real 1989-2020 archive: formats, idempotence, damage.

The slice (tests/fixtures/bulk/votes-slice.tar.xz, made by make_slice.py beside it) holds every
veto override, Speaker election and Vice President's tie-break of the archive, and every 100th
other vote: 410 roll calls, 124,230 positions. The whole archive is the benchmark's workload.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import zipfile
from functools import cache
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from tests.conftest import SLICE, UPSTREAM
from tests.helpers import votes_cli
from tests.tiny_record import PARTY_TALLIES
from votes.database import pipeline as bulk
from votes.database import views
from votes.database.engine import alembic_config, engine_for, migrate
from votes.database.pipeline import import_sources
from votes.errors import RecordError
from votes.importers import inputs as sources
from votes.progress import Progress

VOTES, POSITIONS, VETO_OVERRIDES = 410, 124_230, 66


@cache
def slice_members() -> tuple[tuple[str, bytes], ...]:
    """(path, bytes) of every member of the slice, in archive order."""
    with tarfile.open(SLICE) as tar:
        return tuple((m.name, tar.extractfile(m).read()) for m in tar if m.isfile())  # type: ignore[union-attr]


def write_tar(path: Path, members: list[tuple[str, bytes]], mode: str = "w:xz") -> Path:
    with tarfile.open(path, mode) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def write_zip(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


def write_tree(path: Path, members: list[tuple[str, bytes]]) -> Path:
    for name, data in members:
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(data)
    return path


def edited(name: str, change) -> list[tuple[str, bytes]]:  # type: ignore[no-untyped-def]
    """The slice with one vote's JSON passed through `change`."""
    out = []
    for path, data in slice_members():
        if path == name:
            doc = json.loads(data)
            change(doc)
            data = json.dumps(doc).encode()
        out.append((path, data))
    return out


def content(db: Path) -> dict[str, list[tuple]]:
    """What a database says about its votes, by natural keys (surrogate ids left out)."""
    queries = {
        "roll_calls": "SELECT id, chamber, congress, session, number, date, voted_at, question, "
        "category, requires, result, result_text, status, "
        "(SELECT label FROM measures WHERE id = measure_id), "
        "(SELECT url FROM sources WHERE id = source_id) FROM roll_calls ORDER BY id",
        "vote_counts": "SELECT roll_call_id, party, yea, nay, present, not_voting FROM vote_counts "
        "ORDER BY 1, 2",
        "member_votes": "SELECT * FROM member_votes ORDER BY roll_call_id, member_id",
        "members": "SELECT * FROM members ORDER BY id",
        "voters": "SELECT member_id, party, state, label FROM voters ORDER BY 1, 2, 3",
        "vote_options": "SELECT raw_option, option FROM vote_options ORDER BY 1",
        "party_tallies": "SELECT * FROM party_tallies ORDER BY 1, 2",
        "roll_call_digests": "SELECT * FROM roll_call_digests ORDER BY 1",
    }
    with sqlite3.connect(db) as connection:
        return {name: connection.execute(sql).fetchall() for name, sql in queries.items()}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(directory: Path) -> list[str]:
    """Temporary files an import might have left beside its database (the writer's lock file,
    `.NAME.lock`, stays by design: votes.database.locks)."""
    return sorted(
        p.name
        for p in directory.iterdir()
        if (p.name.startswith(".") and not p.name.endswith(".lock")) or "-journal" in p.name
    )


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The slice imported into a new database (read only)."""
    db = tmp_path_factory.mktemp("bulk") / "votes.db"
    summary = import_sources([str(SLICE)], db)
    assert (summary.added, summary.updated, summary.unchanged) == (VOTES, 0, 0)
    assert summary.positions == POSITIONS
    return db


# ---- the slice, loaded whole ----------------------------------------------------------------


def test_every_vote_and_position_is_loaded(imported: Path) -> None:
    with sqlite3.connect(imported) as connection:
        counts = [
            connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("roll_calls", "positions", "roll_call_digests")
        ]
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    assert counts == [VOTES, POSITIONS, VOTES]


def test_every_veto_override_agrees_with_the_official_result(imported: Path) -> None:
    with sqlite3.connect(imported) as connection:
        overrides = connection.execute(
            "SELECT roll_calls.id, override_math.agrees_with_official FROM roll_calls "
            "LEFT JOIN override_math ON override_math.roll_call_id = roll_calls.id "
            "WHERE roll_calls.category = 'veto-override' ORDER BY 1"
        ).fetchall()
    assert len(overrides) == VETO_OVERRIDES
    assert [rid for rid, agrees in overrides if agrees != 1] == []


def test_every_veto_override_is_in_veto_overrides(imported: Path) -> None:
    with sqlite3.connect(imported) as connection:
        missing = connection.execute(
            "SELECT id FROM roll_calls WHERE category = 'veto-override' AND id NOT IN "
            "(SELECT roll_call_id FROM veto_overrides WHERE roll_call_id IS NOT NULL)"
        ).fetchall()
    assert missing == []


def test_one_identity_per_person_across_chambers(imported: Path) -> None:
    with sqlite3.connect(imported) as connection:
        unresolved = connection.execute(
            "SELECT COUNT(*) FROM members WHERE id LIKE 'lis:%'"
        ).fetchone()[0]
        sanders = connection.execute(
            "SELECT DISTINCT chamber FROM member_votes WHERE member_id = 'S000033' ORDER BY 1"
        ).fetchall()
        member = connection.execute(
            "SELECT bioguide_id, lis_id FROM members WHERE id = 'S000033'"
        ).fetchone()
        parties = connection.execute(
            "SELECT DISTINCT party, state FROM member_votes WHERE member_id = 'S000033'"
        ).fetchall()
    assert unresolved == 0  # every senator's LIS id mapped to a Bioguide id
    assert sanders == [("house",), ("senate",)]
    assert member == ("S000033", "S313")
    assert parties == [("I", "VT")]


def test_party_tallies_are_counted_from_the_roll(imported: Path, tmp_path: Path) -> None:
    db = shutil.copyfile(imported, tmp_path / "copy.db")
    with sqlite3.connect(db) as connection:
        stored = connection.execute("SELECT * FROM party_tallies ORDER BY 1, 2").fetchall()
        connection.execute("DELETE FROM party_tallies")
        connection.execute(PARTY_TALLIES)
        counted = connection.execute("SELECT * FROM party_tallies ORDER BY 1, 2").fetchall()
    assert stored == counted


def test_the_vice_presidents_tie_breaks_are_positions_in_no_party(imported: Path) -> None:
    with sqlite3.connect(imported) as connection:
        ties = connection.execute(
            "SELECT COUNT(*) FROM member_votes WHERE member_id = 'VP'"
        ).fetchone()[0]
        in_tallies = connection.execute(
            "SELECT COUNT(*) FROM party_tallies WHERE party = ''"
        ).fetchone()[0]
    assert ties == 25
    assert in_tallies == 0


# ---- every kind of source gives the same database --------------------------------------------


@pytest.mark.parametrize("kind", ["tar.gz", "zip", "directory", "tar.xz in this process"])
def test_every_source_kind_gives_the_same_database(
    imported: Path, tmp_path: Path, kind: str
) -> None:
    members = list(slice_members())
    if kind == "tar.gz":
        source, jobs = write_tar(tmp_path / "votes.tar.gz", members, "w:gz"), None
    elif kind == "zip":
        source, jobs = write_zip(tmp_path / "votes.zip", members), 1
    elif kind == "directory":
        source, jobs = write_tree(tmp_path / "tree", members), None
    else:
        source, jobs = SLICE, 0
    db = tmp_path / "out.db"
    summary = import_sources([str(source)], db, jobs=jobs)
    assert (summary.added, summary.positions) == (VOTES, POSITIONS)
    assert content(db) == content(imported)


def test_govtrack_xml_beside_the_json_is_skipped(tmp_path: Path) -> None:
    legacy = b'<roll where="house" session="116" year="2020" roll="1"></roll>'
    tree = write_tree(tmp_path / "tree", [*slice_members()[:3], ("data/x/h1/data.xml", legacy)])
    summary = import_sources([str(tree)], tmp_path / "out.db", jobs=0)
    assert summary.added == 3


def test_bill_files_in_a_tree_are_imported(tmp_path: Path) -> None:
    """A bill file among the votes is a bill record: its title outranks the vote's, its
    President's actions are written, the roll calls it lists are all in the record."""
    db = tmp_path / "out.db"
    summary = import_sources([str(UPSTREAM)], db)
    assert (summary.added, summary.bills, summary.notes) == (6, 1, [])
    with sqlite3.connect(db) as connection:
        measure = connection.execute(
            "SELECT title_source, sources.url FROM measures "
            "JOIN sources ON sources.id = measures.source_id WHERE label = 'S.J.Res. 68 (116th)'"
        ).fetchone()
        actions = connection.execute(
            "SELECT action, date FROM presidential_actions ORDER BY date"
        ).fetchall()
        linked = connection.execute(
            "SELECT COUNT(*) FROM roll_calls JOIN measures ON measures.id = measure_id "
            "WHERE label = 'S.J.Res. 68 (116th)'"
        ).fetchone()
    url = "https://www.congress.gov/bill/116th-congress/senate-joint-resolution/68/all-actions"
    assert measure == ("bill_json", url)
    assert actions == [("presented", "2020-05-05"), ("vetoed", "2020-05-06")]
    assert linked == (3,)


def test_votes_record_reads_an_archive() -> None:
    names = [origin for origin, _ in sources.files(str(SLICE))]
    assert len(names) == VOTES
    assert names[0].startswith(f"{SLICE}:data/101/votes/1989/")


# ---- idempotence ---------------------------------------------------------------------------


def test_importing_the_same_archive_again_changes_nothing(imported: Path, tmp_path: Path) -> None:
    db = shutil.copyfile(imported, tmp_path / "again.db")
    before = sha256(db)
    result = votes_cli("import", str(SLICE), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == (
        f"Imported into {db}: 0 added, 0 updated, {VOTES} unchanged (0 positions written)"
    )
    assert sha256(db) == before
    assert leftovers(tmp_path) == []


def test_a_newer_copy_updates_only_the_votes_that_changed(tmp_path: Path) -> None:
    first = [(name, data) for name, data in slice_members() if "/s1/" not in name]
    db = tmp_path / "votes.db"
    import_sources([str(write_tar(tmp_path / "old.tar.xz", first))], db)
    changed = _first_house_vote_with_ayes()
    with sqlite3.connect(db) as connection:
        key = connection.execute("SELECT key FROM roll_calls WHERE id = ?", (changed,)).fetchone()
    newer = [(name, _touched(data)) for name, data in edited(_path_of(changed), _switch_one)]
    summary = import_sources([str(write_tar(tmp_path / "new.tar.gz", newer, "w:gz"))], db)
    added = VOTES - len(first)
    assert (summary.added, summary.updated, summary.unchanged) == (added, 1, len(first) - 1)
    assert content(db) == content(_fresh(tmp_path, newer))
    with sqlite3.connect(db) as connection:
        assert (
            connection.execute("SELECT key FROM roll_calls WHERE id = ?", (changed,)).fetchone()
            == key
        )


def _first_house_vote_with_ayes() -> str:
    docs = (json.loads(data) for name, data in slice_members() if "/h" in name)
    return next(doc["vote_id"] for doc in docs if doc["votes"].get("Aye"))


def _path_of(vote_id: str) -> str:
    return next(n for n, d in slice_members() if json.loads(d)["vote_id"] == vote_id)


def _switch_one(doc: dict) -> None:
    """One member moves from Aye to No (the counts follow: they are tallied from the roll)."""
    doc["votes"].setdefault("No", []).append(doc["votes"]["Aye"].pop(0))


def _touched(data: bytes) -> bytes:
    """A re-scraped copy: only `updated_at` differs, which changes nothing in the record."""
    doc = json.loads(data)
    doc["updated_at"] = "2030-01-01T00:00:00-05:00"
    return json.dumps(doc).encode()


def _fresh(tmp_path: Path, members: list[tuple[str, bytes]]) -> Path:
    db = tmp_path / "fresh.db"
    import_sources([str(write_tar(tmp_path / "fresh.tar.xz", members))], db)
    return db


def test_import_recognises_the_votes_votes_build_loaded(
    war_powers_db: Path, tmp_path: Path
) -> None:
    db = shutil.copyfile(war_powers_db, tmp_path / "built.db")
    summary = import_sources([str(UPSTREAM)], db)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 6)
    fresh = tmp_path / "imported.db"
    import_sources([str(UPSTREAM)], fresh)
    built, made = content(db), content(fresh)
    for table in (
        "vote_counts",
        "member_votes",
        "members",
        "voters",
        "vote_options",
        "party_tallies",
        "roll_call_digests",
    ):
        assert built[table] == made[table], table
    assert [r[:13] for r in built["roll_calls"]] == [r[:13] for r in made["roll_calls"]]


# ---- damaged input: one line naming the archive member; the database as it was -------------


def _truncated(tmp_path: Path) -> tuple[Path, str]:
    data = SLICE.read_bytes()
    return _bytes(tmp_path / "votes.tar.xz", data[: len(data) * 6 // 10]), r"votes\.tar\.xz:data/"


def _corrupt_xz(tmp_path: Path) -> tuple[Path, str]:
    data = bytearray(SLICE.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    return _bytes(tmp_path / "votes.tar.xz", bytes(data)), r"votes\.tar\.xz:data/"


def _corrupt_zip_member(tmp_path: Path) -> tuple[Path, str]:
    path = write_zip(tmp_path / "votes.zip", list(slice_members()[:20]))
    data = bytearray(path.read_bytes())
    name = slice_members()[10][0].encode()
    at = data.index(name) + len(name) + 40  # inside that member's compressed data
    data[at : at + 8] = b"\xff" * 8
    return _bytes(path, bytes(data)), re.escape(f"votes.zip:{slice_members()[10][0]}")


def _corrupt_tar_header(tmp_path: Path) -> tuple[Path, str]:
    path = write_tar(tmp_path / "votes.tar", list(slice_members()[:20]), "w")
    data = bytearray(path.read_bytes())
    name = slice_members()[12][0].encode()
    data[data.index(name) + 148 : data.index(name) + 156] = b"garbage!"  # its header checksum
    return _bytes(path, bytes(data)), re.escape(f"votes.tar:{slice_members()[11][0]}")


def _not_json(tmp_path: Path) -> tuple[Path, str]:
    members = list(slice_members())
    name = members[200][0]
    members[200] = (name, b"<html>Service Unavailable</html>")
    return write_tar(tmp_path / "votes.tar.xz", members), re.escape(f"votes.tar.xz:{name}")


def _not_reconciled(tmp_path: Path) -> tuple[Path, str]:
    name = next(
        n
        for n, d in slice_members()
        if re.search(r"\(\d+-\d+\)", json.loads(d).get("result_text", ""))
    )

    def overstate(doc: dict) -> None:
        doc["result_text"] = re.sub(r"\((\d+)-", lambda m: f"({int(m[1]) + 1}-", doc["result_text"])

    return (
        write_tar(tmp_path / "votes.tar.xz", edited(name, overstate)),
        re.escape(f"votes.tar.xz:{name}") + r":s\d+-.*official result says",
    )


def _duplicate(tmp_path: Path) -> tuple[Path, str]:
    members = list(slice_members())
    name, data = members[5]
    members.append(("data/copy/" + name, data))
    return (
        write_tar(tmp_path / "votes.tar.xz", members),
        re.escape(f"votes.tar.xz:data/copy/{name}") + r":.*duplicate roll call",
    )


def _nested(tmp_path: Path) -> tuple[Path, str]:
    members = list(slice_members())
    name = members[100][0]
    members[100] = (name, b'{"vote_id": "x", "a": ' + b"[" * 200_000 + b"]" * 200_000 + b"}")
    return write_tar(tmp_path / "votes.tar.xz", members), re.escape(f"votes.tar.xz:{name}")


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


DAMAGES = {
    "truncated": _truncated,
    "corrupt xz stream": _corrupt_xz,
    "corrupt zip member": _corrupt_zip_member,
    "corrupt tar header": _corrupt_tar_header,
    "member not JSON": _not_json,
    "counts do not reconcile": _not_reconciled,
    "duplicate vote id": _duplicate,
    "nested too deeply": _nested,
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_damage_stops_the_import_and_leaves_the_database_as_it_was(
    imported: Path, tmp_path: Path, damage: str
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "db").mkdir()
    source, where = DAMAGES[damage](tmp_path / "src")
    db = shutil.copyfile(imported, tmp_path / "db" / "votes.db")
    before = sha256(db)
    for target in (db, tmp_path / "db" / "new.db"):
        result = votes_cli("import", str(source), "--db", str(target))
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 1
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
        assert re.search(where, lines[0]), lines[0]
    assert sha256(db) == before
    assert not (tmp_path / "db" / "new.db").exists()
    assert leftovers(tmp_path / "db") == []


def test_a_reader_that_dies_stops_the_import_and_leaves_the_database_as_it_was(
    imported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Readers are forked: one that dies (as by the OOM killer) mid-import ends the import
    with one error, never a wait for a message that will not come."""
    db = shutil.copyfile(imported, tmp_path / "votes.db")
    before = sha256(db)
    real_add = bulk._add

    def dying(batch, book, entry):  # type: ignore[no-untyped-def]
        if batch.reader == 1:  # the second chunk of 250 votes
            os._exit(9)
        real_add(batch, book, entry)

    monkeypatch.setattr(bulk, "_add", dying)
    with pytest.raises(RecordError, match=r"reader process 1 died \(exit code 9\)"):
        import_sources([str(SLICE)], db, jobs=2)
    assert sha256(db) == before
    assert leftovers(tmp_path) == []


def test_an_interrupted_import_is_rolled_back_by_the_next(imported: Path, tmp_path: Path) -> None:
    """A process killed mid-transaction leaves a hot journal; the next import rolls it back
    and goes on, rather than calling the file not a database."""
    db = shutil.copyfile(imported, tmp_path / "votes.db")
    before = sha256(db)
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
            "c.execute('BEGIN'); c.execute('DELETE FROM party_tallies'); "
            "c.execute('PRAGMA cache_size = 1'); c.execute('DELETE FROM positions'); os._exit(9)",
            str(db),
        ],
        check=False,
    )
    assert killed.returncode == 9
    assert Path(f"{db}-journal").exists()
    summary = import_sources([str(SLICE)], db, jobs=0)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, VOTES)
    assert not Path(f"{db}-journal").exists()
    assert sha256(db) == before


def test_a_file_that_is_not_a_database_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_text("my notes, not a database\n" * 100)
    result = votes_cli("import", str(UPSTREAM), "--db", str(db))
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {db}:-: not a votes database")
    assert db.read_text() == "my notes, not a database\n" * 100


def test_a_missing_source_is_one_line(tmp_path: Path) -> None:
    result = votes_cli("import", str(tmp_path / "nowhere.tar.xz"), "--db", str(tmp_path / "x.db"))
    assert (result.returncode, result.stderr.strip()) == (
        1,
        f"Error: {tmp_path / 'nowhere.tar.xz'}:-: no such file or directory",
    )
    assert not (tmp_path / "x.db").exists()


# ---- progress ------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_votes_rate_and_time_left_on_a_terminal() -> None:
    screen = Terminal()
    progress = Progress(screen)
    progress.last -= 1  # as if the last redraw were long ago
    progress.update(1500, 0.25)
    progress.finish(6000)
    first, final = screen.getvalue().split("\r")[1:]
    assert re.search(r"25%\s+1,500 votes\s+[\d,]+ votes/s\s+\d+:\d\d left", first)
    assert "100%" in final and "6,000 votes" in final and final.endswith("\n")


def test_progress_is_quiet_when_not_a_terminal() -> None:
    output = io.StringIO()
    progress = Progress(output)
    progress.last -= 1
    progress.update(10, 0.5)
    progress.finish(20)
    assert output.getvalue() == ""


# ---- databases of other ages -----------------------------------------------------------------


def test_a_database_at_an_older_revision_is_migrated_first(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    engine = engine_for(db)
    migrate(engine, "0001")
    engine.dispose()
    summary = import_sources([str(UPSTREAM)], db, jobs=0)
    assert summary.added == 6
    with sqlite3.connect(db) as connection:
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert version == (ScriptDirectory.from_config(alembic_config()).get_current_head(),)


def test_views_of_older_code_are_recreated(imported: Path, tmp_path: Path) -> None:
    db = shutil.copyfile(imported, tmp_path / "stale.db")
    with sqlite3.connect(db) as connection:
        connection.execute("DROP VIEW party_defectors")
        connection.execute("DROP VIEW member_votes")
        connection.execute("CREATE VIEW member_votes AS SELECT 1 AS stale")
    import_sources([str(UPSTREAM)], db, jobs=0)
    with sqlite3.connect(db) as connection:
        stored = dict(connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'"))
    assert {name: sql.strip() for name, sql in stored.items()} == {
        name: f"CREATE VIEW {name} AS\n{views.definition(name)}".strip() for name in views.names()
    }


def test_the_next_import_removes_what_a_killed_one_left(tmp_path: Path) -> None:
    db = tmp_path / "votes.db"
    dead = 2**22 + 12345  # above the kernel's default pid_max: no process has it
    stale = [tmp_path / f".votes.db.new-{dead}", tmp_path / f".votes.db.packed-{dead}"]
    for path in stale:
        path.write_bytes(b"left by a killed import")
    import_sources([str(UPSTREAM / "s84")], db, jobs=0)
    assert leftovers(tmp_path) == []


def test_readers_die_with_a_killed_import(tmp_path: Path) -> None:
    """SIGKILL gives the import no chance to stop its readers: the kernel does (PDEATHSIG)."""
    import signal
    import subprocess
    import sys
    import time

    exe = Path(sys.executable).with_name("votes")
    process = subprocess.Popen(
        [str(exe), "import", str(SLICE), "--db", str(tmp_path / "votes.db"), "--jobs", "2"],
        stderr=subprocess.DEVNULL,
    )
    readers: list[int] = []
    deadline = time.monotonic() + 30
    while len(readers) < 2 and time.monotonic() < deadline:
        readers = _children(process.pid)
        time.sleep(0.05)
    assert len(readers) == 2, "the import never started its readers"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in readers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_running(pid) for pid in readers)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_bill_record_links_a_vote_that_names_no_measure_and_the_stored_rows_follow(
    tmp_path: Path,
) -> None:
    """s84 without its bill: imported so, it names no measure; the bill file, imported next,
    links it (an update of roll_calls that names no congress), and override_math and the search
    follow though the second load writes no roll call; a re-import of s84 keeps the link."""
    votes_dir = tmp_path / "votes"
    shutil.copytree(UPSTREAM, votes_dir, ignore=shutil.ignore_patterns("bills"))
    vote = json.loads((votes_dir / "s84" / "data.json").read_text())
    del vote["bill"]
    (votes_dir / "s84" / "data.json").write_text(json.dumps(vote))
    db = tmp_path / "out.db"
    import_sources([str(votes_dir)], db, jobs=0)
    import_sources([str(UPSTREAM / "bills" / "116_sjres68_data.json")], db, jobs=0)
    measure = "SELECT measure FROM override_math WHERE roll_call_id = 's84-116.2020'"
    found = "SELECT COUNT(*) FROM search_entries WHERE title LIKE 'S.J.Res. 68 (116th)%'"
    with sqlite3.connect(db) as connection:
        assert connection.execute(measure).fetchone() == ("S.J.Res. 68 (116th)",)
        assert connection.execute(found).fetchone()[0] >= 1
    vote["question"] += " (corrected)"
    (votes_dir / "s84" / "data.json").write_text(json.dumps(vote))
    assert import_sources([str(votes_dir / "s84")], db, jobs=0).updated == 1
    with sqlite3.connect(db) as connection:
        assert connection.execute(measure).fetchone() == ("S.J.Res. 68 (116th)",)
