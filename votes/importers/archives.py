"""Archives of a data tree (.tar.xz, .tar.gz, .tar.bz2, .tar, .zip): members read as a stream.

Nothing is unpacked to disk. Every .json and .xml member is a record, in archive order, except
`data.xml`: unitedstates/congress writes GovTrack's legacy XML of the same vote beside each
`data.json`. A damaged archive raises RecordError naming the archive and the member it broke at.
A member larger than the size cap (votes.importers.limits) is refused before it is inflated,
and so is a member whose name climbs out of the tree ("../x.json", "/etc/x.json").
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from votes.errors import RecordError
from votes.importers import limits
from votes.importers.tar_stream import Member, TarStream

RECORD_SUFFIXES = (".json", ".xml")
SKIPPED_NAMES = ("data.xml",)
TAR_SUFFIXES = (".tar.xz", ".txz", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar")
ZIP_SUFFIXES = (".zip",)
DECOMPRESSORS: dict[bytes, Callable[[IO[bytes]], IO[bytes]]] = {  # magic bytes -> opener
    b"\xfd7zXZ\x00": lzma.LZMAFile,
    b"\x1f\x8b": lambda raw: cast(IO[bytes], gzip.GzipFile(fileobj=raw)),
    b"BZh": bz2.BZ2File,
}
DAMAGE = (
    tarfile.TarError,
    zipfile.BadZipFile,
    lzma.LZMAError,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
)


@dataclass
class InputFile:
    """One record file of a source (a file, a URL, or a member of an archive); in an archive,
    `read` must be called before the next is taken."""

    origin: str  # "votes.tar.xz:data/116/votes/2020/s84/data.json"
    read: Callable[[], bytes]
    done: float  # the fraction of the archive read once this member is


def is_archive(path: Path) -> bool:
    """Whether a path names an archive this module reads (by its name)."""
    return path.is_file() and path.name.lower().endswith(TAR_SUFFIXES + ZIP_SUFFIXES)


def is_record(name: str) -> bool:
    """Whether a file inside a tree or archive is a roll-call (or bill) record to read."""
    base = name.rsplit("/", 1)[-1]
    return base.lower().endswith(RECORD_SUFFIXES) and base not in SKIPPED_NAMES


def members(path: Path) -> Iterator[InputFile]:
    """Every record member of an archive, lazily: a member never read is only skipped over."""
    if path.name.lower().endswith(ZIP_SUFFIXES):
        yield from _zip_members(path)
    else:
        yield from _tar_members(path)


def _tar_members(path: Path) -> Iterator[InputFile]:
    with path.open("rb") as raw:
        size = max(path.stat().st_size, 1)
        archive = TarStream(_decompressed(raw))
        current = "-"
        try:
            for member in archive.members():
                current = _safe_name(path, member.name)
                if member.regular and is_record(member.name):
                    yield InputFile(
                        f"{path}:{member.name}", _reader(archive, member, path), raw.tell() / size
                    )
        except DAMAGE as e:
            raise _damaged(path, current, e) from None


def _decompressed(raw: IO[bytes]) -> IO[bytes]:
    """The tar stream inside a compressed file, chosen by its magic bytes (plain tar as is)."""
    magic = raw.read(6)
    raw.seek(0)
    for prefix, opener in DECOMPRESSORS.items():
        if magic.startswith(prefix):
            return opener(raw)
    return raw


def _reader(archive: TarStream, member: Member, path: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            limits.check_size(member.size)
            return archive.read(member)
        except limits.TooLarge as e:
            raise RecordError(f"{path}:{member.name}", "-", str(e)) from None
        except DAMAGE as e:
            raise _damaged(path, member.name, e) from None

    return read


def _zip_members(path: Path) -> Iterator[InputFile]:
    current = "-"
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir() and is_record(i.filename)]
            for n, info in enumerate(infos, start=1):
                current = _safe_name(path, info.filename)
                yield InputFile(
                    f"{path}:{info.filename}", _zip_reader(archive, info, path), n / len(infos)
                )
    except DAMAGE as e:
        raise _damaged(path, current, e) from None


def _zip_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            limits.check_size(info.file_size)
            with archive.open(info) as member:
                return limits.read_capped(member)
        except limits.TooLarge as e:
            raise RecordError(f"{path}:{info.filename}", "-", str(e)) from None
        except DAMAGE as e:
            raise _damaged(path, info.filename, e) from None

    return read


def _safe_name(path: Path, name: str) -> str:
    """A member's name, refused when it is absolute or climbs out of the tree with "..":
    nothing is unpacked, but such a name is never an honest archive's."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
        raise RecordError(f"{path}:{name}", "-", "a member name outside the archive's tree")
    return name


def _damaged(path: Path, member: str, e: BaseException) -> RecordError:
    where = f"{path}:{member}" if member != "-" else str(path)
    return RecordError(where, "-", f"damaged archive ({type(e).__name__}: {e})")
