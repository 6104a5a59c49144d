"""SOURCE arguments -> files -> normalized records, whatever the format (detected by content)."""

from __future__ import annotations

import http.client
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from votes import __version__
from votes.errors import RecordError, first_line
from votes.importers import (
    archives,
    billstatus,
    house_xml,
    limits,
    senate_xml,
    uscongress_bill,
    uscongress_vote,
)
from votes.importers.archives import InputFile
from votes.importers.base import Importer, Record

URL = re.compile(r"https?://", re.I)
TIMEOUT = 30  # seconds without a byte; the whole fetch has limits.url_deadline()
# Every request the project makes names it: `votes import URL` and `votes update` alike.
USER_AGENT = f"votes/{__version__} (the open record of U.S. congressional roll calls)"
HTML = re.compile(rb"\s*(<!--.*?-->\s*)*<(!DOCTYPE\s+html|html|head|body)[\s>]", re.I | re.S)
# Every format, in the order they are tried; the first whose looks_like says yes parses the file.
IMPORTERS: tuple[Importer, ...] = (
    uscongress_vote.IMPORTER,
    uscongress_bill.IMPORTER,
    house_xml.IMPORTER,
    senate_xml.IMPORTER,
    billstatus.IMPORTER,
)


@dataclass(frozen=True)
class Fetched:
    """A URL's body already fetched into a file (`votes update`'s cache): read from the file,
    named by its URL in every message."""

    url: str
    path: str

    def __str__(self) -> str:
        return self.url


Source = str | Fetched  # what `votes import` and `votes update` hand the pipeline


def members(source: Source) -> Iterator[InputFile]:
    """Every record file of a URL, a file, a directory (in path order), an archive (in
    archive order) or a fetched file, lazily: each is read when its `read` is called. A
    directory or archive with no record file in it is an error, not an empty import."""
    found = 0
    for member in _members(source):
        found += 1
        yield member
    if not found:
        raise RecordError(
            str(source), "-", "no record file (.json or .xml) in it: nothing to import"
        )


def _members(source: Source) -> Iterator[InputFile]:
    if isinstance(source, Fetched):
        yield InputFile(source.url, _file_reader(Path(source.path), source.url), 1.0)
        return
    if URL.match(source):
        yield InputFile(source, lambda: fetch(source), 1.0)
        return
    path = Path(source)
    if archives.is_archive(path):
        yield from archives.members(path)
    elif path.is_dir():
        found = record_files(path)
        for n, file in enumerate(found, start=1):
            yield InputFile(str(file), _file_reader(file, str(file)), n / len(found))
    elif path.is_file():
        yield InputFile(str(path), _file_reader(path, str(path)), 1.0)
    else:
        raise RecordError(source, "-", "no such file or directory")


def _file_reader(path: Path, origin: str) -> Callable[[], bytes]:
    """A file's bytes, refused past the size cap before any is read."""

    def read() -> bytes:
        try:
            limits.check_size(path.stat().st_size)
            return path.read_bytes()
        except limits.TooLarge as e:
            raise RecordError(origin, "-", str(e)) from None
        except OSError as e:
            raise RecordError(origin, "-", f"cannot read ({e.strerror or e})") from None

    return read


def exists(source: Source) -> bool:
    """Whether a source can be read: a URL (asked when read), or a file or directory that is."""
    path = source.path if isinstance(source, Fetched) else source
    return bool(URL.match(path)) or Path(path).exists()


def files(source: str) -> Iterator[tuple[str, bytes]]:
    """(origin, bytes) of every record file of a source, in order."""
    for member in members(source):
        yield member.origin, member.read()


def record_files(path: Path) -> list[Path]:
    """The record files below a directory (.json, .xml; not GovTrack's legacy data.xml)."""
    return sorted(p for p in path.rglob("*") if archives.is_record(p.name) and p.is_file())


def fetch(url: str) -> bytes:
    """The body of an http(s) URL, within the size cap and the deadline (votes.importers.
    limits); an HTTP error, an unreachable server or a limit passed is a RecordError."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        body, _headers = limits.fetch_url(request, TIMEOUT)
    except urllib.error.HTTPError as e:
        e.close()
        raise RecordError(url, "-", f"HTTP {e.code} {first_line(e.reason)}") from None
    except limits.TooLarge as e:
        raise RecordError(url, "-", str(e)) from None
    except limits.PastDeadline as e:
        raise RecordError(url, "-", f"timed out: {e}") from None
    except TimeoutError:
        raise RecordError(url, "-", f"timed out (no byte for {TIMEOUT} s)") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as e:
        reason = getattr(e, "reason", e)
        raise RecordError(url, "-", f"cannot fetch ({first_line(reason)})") from None
    return body


def parse(origin: str, data: bytes) -> Record:
    """One file's record, by what its content looks like."""
    if HTML.match(data[:4096]):
        raise RecordError(origin, "-", "an HTML page, not a roll-call file (XML or JSON)")
    importer = importer_for(data)
    if importer is None:
        raise RecordError(origin, "-", "not a roll-call or bill file this importer knows")
    return importer.parse(data, origin)


def importer_for(data: bytes) -> Importer | None:
    """The importer of the first format a file's bytes look like; None when none does."""
    return next((i for i in IMPORTERS if i.looks_like(data)), None)


def records(sources: Iterable[str]) -> Iterator[Record]:
    """Every record in the sources, in order."""
    for source in sources:
        for origin, data in files(source):
            yield parse(origin, data)
