"""`votes update` against a local mirror of the official feeds (tests/mirror.py): real House Clerk
and Senate LIS files at their official paths, the Clerk's index and a Senate vote menu in their
real formats, Bill Status samples. No test touches the internet."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import SLICE
from tests.mirror import (
    CONGRESS_119,
    GPO,
    HOUSE,
    MENU_119_1,
    OFFICIAL,
    ROLL_240,
    VOTE_618,
    Mirror,
    bill_status,
    serving,
)
from votes.cli import cli
from votes.database.pipeline import import_sources
from votes.errors import RecordError
from votes.importers import billstatus, feeds, house_xml, senate_xml
from votes.importers.feeds import Bases
from votes.importers.fetch import USER_AGENT, Cache

FAST = ["--delay", "0", "--timeout", "2", "--retries", "2", "--backoff", "0.01"]


@pytest.fixture
def mirror() -> Iterator[Mirror]:
    """The 119th Congress's sample files, served in the official layout."""
    with serving(Mirror.of(CONGRESS_119)) as served:
        yield served


def run_update(db: Path, mirror: Mirror, *extra: str, congress: str = "119") -> Result:
    """`votes update` in this process, every feed pointed at the mirror, quick to give up."""
    args = ["update", "--db", str(db), "--cache", str(db.parent / "cache"), "--congress"]
    return CliRunner().invoke(cli, [*args, congress, *mirror.options(), *FAST, *extra])


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def errors(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Error: ")]


def corrected_618(body: bytes, yeas: int = 59, nays: int = 41, flip: bool = True) -> bytes:
    """Vote 618 as the Senate might correct it: Banks (R-IN) Nay, not Yea; the count, result
    text and modify date to match."""
    text = body.decode()
    banks = text.index("<member_full>Banks (R-IN)</member_full>")
    if flip:
        cast = text.index("<vote_cast>Yea</vote_cast>", banks)
        text = text[:cast] + "<vote_cast>Nay</vote_cast>" + text[cast + 26 :]
    for old, new in (
        ("<yeas>60</yeas>", f"<yeas>{yeas}</yeas>"),
        ("<nays>40</nays>", f"<nays>{nays}</nays>"),
        ("Bill Passed (60-40)", f"Bill Passed ({yeas}-{nays})"),
        ("November 10, 2025,  09:36 PM", "November 12, 2025,  10:15 AM"),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    return text.encode()


def retallied_menu(body: bytes, yeas: int = 59, nays: int = 41) -> bytes:
    """The vote menu once the Senate has corrected vote 618's tally."""
    text = body.decode().replace("<yeas>60</yeas>", f"<yeas>{yeas}</yeas>")
    return text.replace("<nays>40</nays>", f"<nays>{nays}</nays>").encode()


# ---- the feeds' URL layouts ------------------------------------------------------------------


def test_the_feeds_are_where_the_importers_say_the_official_files_are() -> None:
    official = Bases()
    assert feeds.house_vote(official, 2025, 7).url == house_xml.URL.format(year=2025, number=7)
    assert feeds.senate_vote(official, 119, 1, 618).url == senate_xml.URL.format(
        congress=119, session=1, number=618
    )
    assert feeds.bill_status(official, 114, "sjres", 8).url == billstatus.URL.format(
        congress=114, type="sjres", number=8
    )
    assert feeds.senate_menu(official, 119, 2).url == (
        "https://www.senate.gov/legislative/LIS/roll_call_lists/vote_menu_119_2.xml"
    )
    assert feeds.sessions(119, date(2025, 12, 31)) == [(1, 2025)]
    assert feeds.sessions(119, date(2026, 1, 2)) == [(1, 2025), (2, 2026)]
    assert feeds.congress_of(date(2026, 11, 29)) == 119


def test_the_clerks_index_lists_its_pages_and_roll_calls() -> None:
    page = (
        b'<A HREF="ROLL_200.asp">Roll Calls 200 Thru 240</A><BR><a href="/evs/2025/ROLL_100.asp">'
        b'<A HREF="http://clerk.house.gov/cgi-bin/vote.asp?year=2025&amp;rollnumber=240">240</A>'
        b"<a href='/cgi-bin/vote.asp?rollnumber=9&year=2025'>9</a>"
        b'<a href="vote.asp?year=2024&rollnumber=500">another year</a>'
    )
    listing = feeds.house_listing(page, 2025)
    assert (listing.numbers, listing.sections) == ({9, 240}, {100, 200})


# ---- the cases of the issue ------------------------------------------------------------------


def test_a_first_update_brings_the_record_current_and_a_second_changes_nothing(
    tmp_path: Path, mirror: Mirror
) -> None:
    db = tmp_path / "votes.db"
    first = run_update(db, mirror)
    assert first.exit_code == 0, first.output
    assert first.stderr.splitlines()[0] == (
        f"Updated {db} (119th Congress): 2 added, 0 updated, 0 left alone"
    )
    assert "No Bill Status published yet for hr3424-119, hr5371-119" in first.stderr
    assert rows(db, "SELECT id, date FROM roll_calls ORDER BY id") == [
        ("h240-119.2025", "2025-09-08"),
        ("s618-119.2025", "2025-11-10"),
    ]
    assert rows(db, "SELECT roll_call_id, yea, nay FROM vote_counts WHERE party = 'ALL'") == [
        ("h240-119.2025", 397, 1),
        ("s618-119.2025", 60, 40),
    ]
    assert rows(db, "SELECT roll_call_id, COUNT(*) FROM member_votes GROUP BY 1") == [
        ("h240-119.2025", 430),
        ("s618-119.2025", 100),
    ]
    # Sources are the official URLs, whatever server the files came from.
    assert rows(db, "SELECT url FROM sources ORDER BY url") == [
        ("https://clerk.house.gov/evs/2025/roll240.xml",),
        ("https://www.senate.gov/legislative/LIS/roll_call_votes/vote1191/vote_119_1_00618.xml",),
    ]
    before, asked = digest(db), len(mirror.log)

    second = run_update(db, mirror)
    assert second.exit_code == 0, second.output
    assert second.stderr.splitlines()[:2] == [
        f"Updated {db} (119th Congress): 0 added, 0 updated, 2 left alone",
        "Fetched 0 files (0 new, 0 changed) in 9 requests; 3 not modified, 6 not found",
    ]
    assert digest(db) == before
    again = mirror.log[asked:]
    assert {r.status for r in again} == {304, 404}  # lists unchanged; nothing past the ends
    assert all("If-None-Match" in r.headers for r in again if r.status == 304)
    assert {r.headers["User-Agent"] for r in mirror.log} == {USER_AGENT}
    assert USER_AGENT.startswith("votes/")


def test_the_cache_rebuilds_the_record_with_no_network(tmp_path: Path, mirror: Mirror) -> None:
    db = tmp_path / "votes.db"
    assert run_update(db, mirror).exit_code == 0
    assert (tmp_path / "cache/records/house/2025/roll240.xml").read_bytes() == (
        OFFICIAL / "house_roll_2025_240.xml"
    ).read_bytes()  # exactly as fetched
    rebuilt = tmp_path / "rebuilt.db"
    summary = import_sources([str(tmp_path / "cache" / "records")], rebuilt, jobs=0)
    assert summary.added == 2
    sql = "SELECT id, voted_at, result FROM roll_calls ORDER BY id"
    assert rows(rebuilt, sql) == rows(db, sql)


def test_a_correction_is_reported_as_updated_and_rewritten(tmp_path: Path, mirror: Mirror) -> None:
    db = tmp_path / "votes.db"
    assert run_update(db, mirror).exit_code == 0
    mirror.put(VOTE_618, corrected_618(mirror.body(VOTE_618)))
    mirror.put(MENU_119_1, retallied_menu(mirror.body(MENU_119_1)))

    corrected = run_update(db, mirror)  # the vote is months old: the menu's tally says it changed
    assert corrected.exit_code == 0, corrected.output
    assert corrected.stderr.splitlines()[0] == (
        f"Updated {db} (119th Congress): 0 added, 1 updated, 1 left alone"
    )
    assert mirror.answers(VOTE_618) == [200, 200]
    counts = "SELECT party, yea, nay FROM vote_counts WHERE roll_call_id = 's618-119.2025'"
    assert rows(db, counts + " AND party IN ('ALL', 'R')") == [("ALL", 59, 41), ("R", 51, 2)]
    banks = "SELECT option FROM member_votes WHERE roll_call_id = 's618-119.2025' AND "
    assert rows(db, banks + "name LIKE '%Banks'") == [("nay",)]
    assert rows(db, "SELECT result_text FROM roll_calls WHERE id = 's618-119.2025'") == [
        ("Bill Passed (59-41)",)
    ]
    assert rows(db, "SELECT date FROM sources WHERE url LIKE '%vote_119_1_00618.xml'") == [
        ("2025-11-12",)  # the Senate's <modify_date>
    ]
    tallies = "SELECT party, yea, nay FROM party_tallies WHERE roll_call_id = 's618-119.2025'"
    assert ("R", 51, 2) in rows(db, tallies)


def test_since_rechecks_older_votes_with_conditional_gets(tmp_path: Path, mirror: Mirror) -> None:
    db = tmp_path / "votes.db"
    assert run_update(db, mirror).exit_code == 0
    rechecked = run_update(db, mirror, "--since", "2025-09-01")
    assert rechecked.exit_code == 0, rechecked.output
    assert rechecked.stderr.splitlines()[0].endswith("0 added, 0 updated, 2 left alone")
    assert mirror.answers(ROLL_240) == [200, 304]
    assert mirror.answers(VOTE_618) == [200, 304]


def test_a_server_answering_500_twice_then_200(tmp_path: Path, mirror: Mirror) -> None:
    mirror.script(ROLL_240, 500, 503)
    result = run_update(tmp_path / "votes.db", mirror)
    assert result.exit_code == 0, result.output
    assert mirror.answers(ROLL_240) == [500, 503, 200]
    assert "2 added" in result.stderr.splitlines()[0]


def test_a_time_out_is_reported_and_the_vote_fetched_next_run(
    tmp_path: Path, mirror: Mirror
) -> None:
    db = tmp_path / "votes.db"
    mirror.script(VOTE_618, 1.5, 1.5)  # longer than the client waits, twice
    result = run_update(db, mirror, "--timeout", "0.3", "--retries", "1")
    assert result.exit_code == 1
    assert errors(result) == [
        f"Error: {mirror.url}/legislative/LIS/roll_call_votes/vote1191/vote_119_1_00618.xml:"
        "s618-119.2025: timed out (2 tries), though the Senate's vote menu lists it; "
        "asked again next run"
    ]
    assert rows(db, "SELECT id FROM roll_calls") == [("h240-119.2025",)]  # the rest is written
    again = run_update(db, mirror)
    assert again.exit_code == 0, again.output
    assert again.stderr.splitlines()[0].endswith("1 added, 0 updated, 1 left alone")


def test_a_404_in_the_middle_is_reported_never_taken_as_the_end(
    tmp_path: Path, mirror: Mirror
) -> None:
    """The menu lists vote 617, which the server does not have: it is reported, and the votes
    after it are still fetched."""
    menu = mirror.body(MENU_119_1).decode()
    vote = menu[menu.index("    <vote>") : menu.index("  </votes>")]
    mirror.put(MENU_119_1, menu.replace(vote, vote + vote.replace("00618", "00617")).encode())
    db = tmp_path / "votes.db"
    result = run_update(db, mirror)
    assert result.exit_code == 1
    assert errors(result) == [
        f"Error: {mirror.url}/legislative/LIS/roll_call_votes/vote1191/vote_119_1_00617.xml:"
        "s617-119.2025: HTTP 404 Not Found, though the Senate's vote menu lists it; "
        "asked again next run"
    ]
    assert rows(db, "SELECT id FROM roll_calls ORDER BY id") == [
        ("h240-119.2025",),
        ("s618-119.2025",),
    ]


def test_an_html_page_where_a_vote_should_be_is_a_missing_vote(
    tmp_path: Path, mirror: Mirror
) -> None:
    """The Senate answers some missing votes with a page of its site, status 200."""
    mirror.put(VOTE_618, b"<!DOCTYPE html><html><body>Requested Page Not Found (404)</body></html>")
    result = run_update(tmp_path / "votes.db", mirror)
    assert result.exit_code == 1
    assert errors(result) == [
        f"Error: {mirror.url}/legislative/LIS/roll_call_votes/vote1191/vote_119_1_00618.xml:"
        "s618-119.2025: an HTML page where the XML file should be, though the Senate's vote "
        "menu lists it; asked again next run"
    ]
    assert not (tmp_path / "cache/records/senate").exists()  # never kept as a record


def test_one_update_at_a_time_on_a_cache(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    with cache.locked(), pytest.raises(RecordError, match="another `votes update`"):
        with Cache(tmp_path / "cache").locked():
            pass


def test_counting_up_finds_the_house_votes_without_an_index(tmp_path: Path) -> None:
    """1991 has no index on this mirror: roll call 1 is found by counting up, and the count
    ends at a missing number confirmed by the next."""
    files = {f"{HOUSE}/1991/roll001.xml": OFFICIAL / "house_roll_1991_001.xml"}
    with serving(Mirror.of(files)) as mirror:
        db = tmp_path / "votes.db"
        result = run_update(db, mirror, congress="102")
        assert result.exit_code == 0, result.output
        assert [r.path.rsplit("/", 1)[1] for r in mirror.log if "/evs/1991/roll" in r.path] == [
            "roll001.xml",
            "roll002.xml",
            "roll003.xml",
        ]
    assert rows(db, "SELECT id FROM roll_calls") == [("h1-102.1991",)]


def test_an_update_killed_with_sigkill_goes_on_from_what_it_had_fetched(
    tmp_path: Path, mirror: Mirror
) -> None:
    db, cache = tmp_path / "votes.db", tmp_path / "cache"
    mirror.script(VOTE_618, 30.0)  # the first run is killed while it waits for vote 618
    exe = Path(sys.executable).with_name("votes")
    args = ["update", "--db", str(db), "--cache", str(cache), "--congress", "119"]
    process = subprocess.Popen(
        [str(exe), *args, *mirror.options(), *FAST, "--timeout", "60"],
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while mirror.answers(VOTE_618) != ["hang"]:
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert (cache / "records/house/2025/roll240.xml").is_file()  # finished: kept whole
    assert not db.exists() or rows(db, "SELECT id FROM roll_calls") == []

    resumed = run_update(db, mirror)
    assert resumed.exit_code == 0, resumed.output
    assert resumed.stderr.splitlines()[0].endswith("2 added, 0 updated, 0 left alone")
    assert mirror.answers(ROLL_240) == [200]  # fetched once, by the killed run
    assert mirror.answers(VOTE_618) == ["hang", 200]


def test_a_malformed_file_gets_one_line_and_the_database_is_unchanged(
    tmp_path: Path, mirror: Mirror
) -> None:
    db = tmp_path / "votes.db"
    assert run_update(db, mirror).exit_code == 0
    before = digest(db)
    # The count says 61 yeas; the member roll says 60.
    mirror.put(VOTE_618, corrected_618(mirror.body(VOTE_618), yeas=61, nays=40, flip=False))
    mirror.put(MENU_119_1, retallied_menu(mirror.body(MENU_119_1), yeas=61, nays=40))
    result = run_update(db, mirror)
    assert result.exit_code == 1
    assert errors(result) == [
        f"Error: {mirror.url}/legislative/LIS/roll_call_votes/vote1191/vote_119_1_00618.xml:"
        "s618-119.2025: the member roll (60 yea, 40 nay, 0 present, 0 not voting) does not "
        "match the official count (61 yea, 40 nay, 0 present, 0 not voting)"
    ]
    assert digest(db) == before
    rejected = tmp_path / "cache/rejected/records/senate/roll_call_votes/vote1191"
    assert (rejected / "vote_119_1_00618.xml").read_bytes() == mirror.body(VOTE_618)

    # The Senate puts it right: Banks voted Nay, 59-41. The rejected copy is fetched anew.
    original = (OFFICIAL / "senate_vote_119_1_00618.xml").read_bytes()
    mirror.put(VOTE_618, corrected_618(original))
    mirror.put(MENU_119_1, retallied_menu((CONGRESS_119[MENU_119_1]).read_bytes()))
    fixed = run_update(db, mirror)
    assert fixed.exit_code == 0, fixed.output
    assert fixed.stderr.splitlines()[0].endswith("0 added, 1 updated, 1 left alone")


# ---- Bill Status -----------------------------------------------------------------------------


def test_the_bill_status_of_measures_voted_on_goes_through_the_same_import(
    tmp_path: Path,
) -> None:
    """The record holds the House's failed override of the H.R. 3762 veto (h53-114.2016); the
    measure's Bill Status is fetched and read by the import, with the votes."""
    db = tmp_path / "votes.db"
    with tarfile.open(SLICE) as archive:
        vote = archive.extractfile("data/114/votes/2016/h53/data.json")
        assert vote is not None
        (tmp_path / "h53.json").write_bytes(vote.read())
    import_sources([str(tmp_path / "h53.json")], db, jobs=0)
    path = f"{GPO}/114/hr/BILLSTATUS-114hr3762.xml"
    with serving(Mirror()) as mirror:
        # Its recorded votes left out: this database holds one vote of the 114th, and a Bill
        # Status naming votes a whole record would hold is refused (tests/test_vetoes.py).
        mirror.put(path, _without_recorded_votes(bill_status("BILLSTATUS-114hr3762.xml")))
        result = run_update(db, mirror, "--bill-days", "100000", congress="114")
        assert mirror.answers(path) == [200]
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0].endswith("0 added, 0 updated, 1 left alone")
    assert "Bill records written: 1" in result.stderr
    with sqlite3.connect(db) as connection:
        measure = connection.execute(
            "SELECT id, title_source FROM measures WHERE congress = 114 AND type = 'hr' "
            "AND number = 3762"
        ).fetchone()
        actions = connection.execute(
            "SELECT action FROM presidential_actions WHERE measure_id = ? ORDER BY date, action",
            (measure[0],),
        ).fetchall()
    assert measure[1] == "bill_status"
    assert actions == [("presented",), ("vetoed",)]
    cached = tmp_path / "cache/records/billstatus/114/hr/BILLSTATUS-114hr3762.xml"
    assert cached.read_bytes() == _without_recorded_votes(bill_status("BILLSTATUS-114hr3762.xml"))


def _without_recorded_votes(xml: bytes) -> bytes:
    """The file less each <recordedVotes> element, and nothing between two of them."""
    stripped = re.sub(rb"<recordedVotes>.*?</recordedVotes>", b"", xml, flags=re.S)
    assert stripped != xml and b"<recordedVote" not in stripped
    return stripped


def test_postgres_first_update_then_a_no_op(tmp_path: Path, empty_postgres_url: str) -> None:
    with serving(Mirror.of(CONGRESS_119)) as mirror:
        args = ["update", "--db", empty_postgres_url, "--cache", str(tmp_path / "cache")]
        first = CliRunner().invoke(cli, [*args, "--congress", "119", *mirror.options(), *FAST])
        assert first.exit_code == 0, first.output
        assert "2 added, 0 updated, 0 left alone" in first.stderr
        second = CliRunner().invoke(cli, [*args, "--congress", "119", *mirror.options(), *FAST])
        assert second.exit_code == 0, second.output
        assert "0 added, 0 updated, 2 left alone" in second.stderr
