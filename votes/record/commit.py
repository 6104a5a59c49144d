"""data/'s files replaced all together, even by a run killed halfway through the renames.

`replace_all` writes each new file beside its target (".<name>.tmp") and puts it on disk; then a
journal (".record-commit.json", itself written whole) names them; then each is renamed into
place, and the journal goes. A run stopped before the journal exists leaves data/ as it was (the
next run removes its temporary files); one stopped after it leaves the journal, and the next
command that reads or writes data/ first finishes the renames it lists (`finish`). So data/ is
never read half old and half new: `writing` holds data/'s writer lock (votes.database.locks)
and first finishes what is owed, and `read_whole` reads under its readers' lock.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from votes.database import locks
from votes.errors import RecordError
from votes.files import fsync_path, write_whole

JOURNAL = ".record-commit.json"
ATTEMPTS = 3  # reads of data/ tried, each after finishing what a stopped run owed
T = TypeVar("T")


def temporary(target: Path) -> Path:
    """Where a new version of a data/ file waits to be renamed into place."""
    return target.with_name(f".{target.name}.tmp")


def pending(data_dir: Path) -> bool:
    """Whether a run was stopped after its journal was written: its renames are still owed."""
    return (data_dir / JOURNAL).exists()


def read_whole(data_dir: Path, read: Callable[[Path], T]) -> T:
    """`read(data_dir)` under data/'s readers' lock (never beside `votes record`), once the
    renames a stopped run owes are done (under the writer's lock, for the moment it takes)."""
    for _ in range(ATTEMPTS):
        if pending(data_dir):
            with writing(data_dir):
                pass  # (taking it finishes what is owed)
        with locks.shared(data_dir):
            if not pending(data_dir):  # (else another run stopped halfway since: again)
                return read(data_dir)
    raise RecordError(str(data_dir), "-", f"{JOURNAL}: renames still owed after {ATTEMPTS} tries")


@contextmanager
def writing(data_dir: Path) -> Iterator[None]:
    """data/'s writer lock for the block, once the renames a stopped run owes are done: the
    block reads data/ whole and may replace its files (`replace_all`)."""
    with locks.exclusive(data_dir):
        finish(data_dir)
        yield


def replace_all(data_dir: Path, texts: dict[Path, str]) -> None:
    """Replace every file of `texts` (paths in data_dir) by its text, all of them or none;
    inside `writing`."""
    _remove_leftovers(data_dir)
    written: list[Path] = []
    try:
        for target, text in texts.items():
            written.append(temporary(target))
            written[-1].write_text(text, encoding="utf-8")
            fsync_path(written[-1])  # each file on disk before the journal names it
    except BaseException:
        for temp in written:
            temp.unlink(missing_ok=True)
        raise
    if texts:
        names = sorted(target.name for target in texts)
        write_whole(data_dir / JOURNAL, json.dumps(names).encode())
        fsync_path(data_dir)
        finish(data_dir)


def finish(data_dir: Path) -> None:
    """Carry out the renames a journal lists (those not yet done), then remove the journal."""
    journal = data_dir / JOURNAL
    if not journal.exists():
        return
    for name in json.loads(journal.read_text(encoding="utf-8")):
        temp = temporary(data_dir / name)
        if temp.exists():  # (gone: renamed before the run stopped)
            os.replace(temp, data_dir / name)
    fsync_path(data_dir)
    journal.unlink()
    fsync_path(data_dir)


def _remove_leftovers(data_dir: Path) -> None:
    """The temporary files of a run stopped before its journal: data/ is as it was without
    them. (Under the writer's lock, so no other run's.)"""
    files = [*data_dir.glob(".*.csv.tmp"), temporary(data_dir / "datapackage.json")]
    for leftover in [*files, *data_dir.glob(f".{JOURNAL}.*.part")]:  # (a journal half made)
        leftover.unlink(missing_ok=True)
