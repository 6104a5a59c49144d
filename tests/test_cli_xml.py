"""`votes record` with official XML, run for real: files, URLs, and refusals that write nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import copy_data, http_server, snapshot, votes_cli
from tests.test_sources_url import BILLION_LAUGHS, OFFICIAL

SENATE_2004 = OFFICIAL / "senate_vote_108_2_00172.xml"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The official-XML fixtures over HTTP on 127.0.0.1 (the CLI runs in another process)."""
    with http_server(OFFICIAL) as base_url:
        yield base_url


def test_record_xml_files_then_again_changes_nothing(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    result = votes_cli(
        "record",
        str(SENATE_2004),
        str(OFFICIAL / "house_roll_2015_300.xml"),
        "--data-dir",
        str(data),
    )
    assert result.returncode == 0, result.stderr
    rolls = (data / "roll_calls.csv").read_text()
    assert "\ns172-108.2004,senate,108,2004,172,2004-09-09T17:09:00-04:00," in rolls
    assert "\nh300-114.2015,house,114,2015,300,2015-06-04," in rolls
    assert (
        "\nh300-114.2015,ALL,0,0,0,0,https://clerk.house.gov/evs/2015/roll300.xml"
        in (data / "vote_counts.csv").read_text()
    )
    before = snapshot(data)
    again = votes_cli("record", str(OFFICIAL), "--data-dir", str(data))
    assert again.returncode == 0, again.stderr
    assert votes_cli("record", str(OFFICIAL), "--data-dir", str(data)).stderr.strip() == (
        "No changes"
    )
    assert snapshot(data) != before  # the directory added the other three votes


def test_record_from_a_url(tmp_path: Path, server: str) -> None:
    data = copy_data(tmp_path)
    result = votes_cli("record", f"{server}/{SENATE_2004.name}", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    assert (
        "s172-108.2004,A000069,D,HI,not_voting,Not Voting" in (data / "positions.csv").read_text()
    )


def test_hostile_xml_exits_non_zero_with_one_line_and_writes_nothing(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    before = snapshot(data)
    hostile = tmp_path / "roll001.xml"
    hostile.write_bytes(BILLION_LAUGHS)
    result = votes_cli("record", str(SENATE_2004), str(hostile), "--data-dir", str(data))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: {hostile}:-: unsafe XML refused: it declares the entity 'lol' "
        "(entity expansion and external entities are not allowed)"
    ]
    assert snapshot(data) == before


def test_url_404_exits_non_zero_with_one_line_and_writes_nothing(
    tmp_path: Path, server: str
) -> None:
    data = copy_data(tmp_path)
    before = snapshot(data)
    url = f"{server}/roll999.xml"
    result = votes_cli("record", str(SENATE_2004), url, "--data-dir", str(data))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"Error: {url}:-: HTTP 404 File not found"]
    assert snapshot(data) == before
