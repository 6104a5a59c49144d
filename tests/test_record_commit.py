"""`votes record` replaces data/'s files all together: a run killed halfway through its renames
is finished by the next command that reads or writes data/; one killed before leaves data/ as
it was."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.helpers import copy_data, snapshot, votes_cli
from votes.record import commit

HOUSE_240 = FIXTURES / "official-xml" / "house_roll_2025_240.xml"  # h240-119.2025
# `votes record`, killed (SIGKILL: no finally, no handler) after `renames` of its renames: the
# first puts its journal in place, the others its files
KILLED_AFTER = """
import os, signal, sys
from votes import cli
from votes.record import commit
renames, real = int(sys.argv[1]), os.replace
def replace(source, target):
    global renames
    if renames == 0:
        os.kill(os.getpid(), signal.SIGKILL)
    renames -= 1
    real(source, target)
commit.os.replace = replace
sys.argv = ["votes", *sys.argv[2:]]
cli.cli()
"""


def record(data: Path, killed_after: int) -> int:
    args = ["record", str(HOUSE_240), "--data-dir", str(data)]
    script = [sys.executable, "-c", KILLED_AFTER, str(killed_after), *args]
    return subprocess.run(script, capture_output=True, timeout=120, check=False).returncode


@pytest.fixture
def whole(tmp_path: Path) -> dict[str, bytes]:
    """data/ as an uninterrupted `votes record` of the vote leaves it."""
    data = copy_data(tmp_path / "whole")
    assert record(data, killed_after=1000) == 0
    return snapshot(data)


def test_a_record_killed_between_renames_is_finished_by_the_next_build(
    tmp_path: Path, whole: dict[str, bytes]
) -> None:
    data = copy_data(tmp_path)
    before = snapshot(data)
    assert record(data, killed_after=2) == -signal.SIGKILL
    halfway = snapshot(data)
    assert commit.JOURNAL in halfway  # one file renamed, the others owed
    changed = [n for n in whole if before.get(n) != whole[n]]
    assert len(changed) > 1 and sum(halfway.get(n) == whole[n] for n in changed) == 1
    built = votes_cli(
        "build", "--only-curated", "--data-dir", str(data), "--db", str(tmp_path / "v.db")
    )
    assert built.returncode == 0, built.stderr
    assert snapshot(data) == whole  # every rename done, the journal gone


def test_a_record_killed_between_renames_is_finished_by_the_next_record(
    tmp_path: Path, whole: dict[str, bytes]
) -> None:
    data = copy_data(tmp_path)
    assert record(data, killed_after=3) == -signal.SIGKILL
    assert commit.pending(data)
    assert record(data, killed_after=1000) == 0  # the same vote again: nothing more to change
    assert snapshot(data) == whole


def test_a_record_killed_before_its_journal_leaves_data_as_it_was(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    before = snapshot(data)
    assert record(data, killed_after=0) == -signal.SIGKILL
    assert commit.JOURNAL not in snapshot(data)
    left = {n for n in snapshot(data) if n not in before}  # its files and its journal's
    assert any(n.endswith(".tmp") for n in left) and any(n.endswith(".part") for n in left)
    checked = votes_cli(
        "build", "--only-curated", "--data-dir", str(data), "--db", str(tmp_path / "v.db")
    )
    assert checked.returncode == 0, checked.stderr
    assert record(data, killed_after=1000) == 0  # removes them, then records the vote
    after = snapshot(data)
    assert not [n for n in after if n.endswith((".tmp", ".part"))]  # files, the journal's
    assert after != before
