"""SOURCE arguments -> files -> normalized records, whatever the format (detected by content)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from votes.errors import RecordError
from votes.importers import uscongress, uscongress_bill
from votes.importers.uscongress_bill import BillRecord
from votes.records import RollCall

Record = RollCall | BillRecord
SUFFIXES = (".json", ".xml")


def files(source: str) -> Iterator[tuple[str, bytes]]:
    """(origin, bytes) of a file, or of every .json/.xml file below a directory, in path order."""
    path = Path(source)
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file()):
            yield str(child), child.read_bytes()
    elif path.is_file():
        yield str(path), path.read_bytes()
    else:
        raise RecordError(source, "-", "no such file or directory")


def parse(origin: str, data: bytes) -> Record:
    """One file's record, by what its content looks like."""
    if uscongress.looks_like(data):
        return uscongress.parse(data, origin)
    if uscongress_bill.looks_like(data):
        return uscongress_bill.parse(data, origin)
    raise RecordError(origin, "-", "not a roll-call or bill file this importer knows")


def records(sources: Iterable[str]) -> Iterator[Record]:
    """Every record in the sources, in order."""
    for source in sources:
        for origin, data in files(source):
            yield parse(origin, data)
