"""The tar stream reader: the members tarfile writes in every format come back with the same
names and bytes; damage is refused with the byte where it was found."""

from __future__ import annotations

import io
import lzma
import struct
import tarfile

import pytest

from tests.conftest import SLICE
from votes.importers.tar_stream import TarStream

LONG = "data/" + "/".join(["a-rather-long-directory-name"] * 6) + "/data.json"  # 178 chars
FILES = [("data/101/votes/1989/s1/data.json", b'{"vote_id": "s1-101.1989"}'), (LONG, b"x" * 513)]


def tar_bytes(files: list[tuple[str, bytes]], form: int, directories: bool = True) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=form) as archive:
        if directories:
            archive.addfile(_info("data/101", tarfile.DIRTYPE, 0))
        for name, data in files:
            archive.addfile(_info(name, tarfile.REGTYPE, len(data)), io.BytesIO(data))
    return out.getvalue()


def _info(name: str, kind: bytes, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.size = kind, size
    return info


def read_all(data: bytes) -> list[tuple[str, bool, bytes | None]]:
    archive = TarStream(io.BytesIO(data))
    return [(m.name, m.regular, archive.read(m) if m.regular else None) for m in archive.members()]


@pytest.mark.parametrize(
    "form",
    [tarfile.PAX_FORMAT, tarfile.GNU_FORMAT, tarfile.USTAR_FORMAT],
    ids=["pax", "gnu", "ustar"],
)
def test_every_format_gives_the_names_and_bytes_tarfile_wrote(form: int) -> None:
    data = tar_bytes(FILES, form)
    assert read_all(data) == [("data/101/", False, None)] + [(n, True, d) for n, d in FILES]
    # the long name goes as pax "path", a GNU long-name member, or split over ustar's prefix
    assert (LONG.encode() in data) == (form != tarfile.USTAR_FORMAT)


def test_a_pax_header_names_a_member_longer_than_a_ustar_header_can() -> None:
    name = "data/" + "x" * 300 + ".json"
    assert read_all(tar_bytes([(name, b"{}")], tarfile.PAX_FORMAT, False)) == [(name, True, b"{}")]
    assert b"path=" in tar_bytes([(name, b"{}")], tarfile.PAX_FORMAT, False)  # else proves little


def test_members_not_read_are_skipped_and_the_real_archive_reads_as_tarfile_reads_it() -> None:
    with tarfile.open(SLICE) as archive:
        expected = [(i.name, archive.extractfile(i).read()) for i in archive if i.isfile()]  # type: ignore[union-attr]
    with SLICE.open("rb") as raw, lzma.LZMAFile(raw) as inflated:
        stream = TarStream(inflated)
        got = [(m.name, stream.read(m)) for m in stream.members() if m.regular]
    assert len(got) == 410 and got == expected
    with SLICE.open("rb") as raw, lzma.LZMAFile(raw) as inflated:
        regular = [m.name for m in TarStream(inflated).members() if m.regular]  # none read
    assert regular == [name for name, _ in expected]


def rechecked(data: bytes) -> bytes:
    """The archive with its first header's checksum made right again (unsigned)."""
    header = bytearray(data[:512])
    header[148:156] = b" " * 8
    return data[:148] + b"%06o\0 " % sum(header) + data[156:]


def test_a_header_whose_checksum_is_signed_is_read() -> None:
    data = tar_bytes([("data/é.json", b"{}")], tarfile.USTAR_FORMAT, False)
    header = bytearray(data[:512])
    header[148:156] = b" " * 8
    signed = 256 + sum(struct.unpack_from("148b8x356b", bytes(header)))
    assert signed != sum(header)  # a byte over 127 in the name: the two sums differ
    signed_data = data[:148] + b"%06o\0 " % signed + data[156:]
    assert read_all(signed_data) == [("data/é.json", True, b"{}")]


DAMAGES = {
    "checksum": (
        lambda d: d[:148] + b"garbage!" + d[156:],
        tarfile.ReadError,
        "unreadable header at byte 0",
    ),
    "size not octal": (
        lambda d: rechecked(d[:124] + b"0000000001x\0" + d[136:]),
        tarfile.ReadError,
        "not octal",
    ),
    "data cut": (lambda d: d[:600], EOFError, "unexpected end of data"),
    "cut after a member": (lambda d: d[:1024], EOFError, "without its end-of-archive marker"),
    "header cut": (lambda d: d[:1100], EOFError, "ends inside a header"),
    "one end block": (lambda d: d[:1536] + bytes(512), EOFError, "end-of-archive marker"),
    "trailing bytes": (lambda d: d + b"trailing", tarfile.ReadError, "unreadable header at"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_damage_is_refused_where_it_is_found(damage: str) -> None:
    damaged, error, message = DAMAGES[damage]
    files = [("a/data.json", b"{}" * 100), ("b/data.json", b"[]")]
    data = tar_bytes(files, tarfile.USTAR_FORMAT, False)
    assert read_all(data) == [(n, True, d) for n, d in files]  # whole, it reads
    with pytest.raises(error, match=message):
        read_all(damaged(data))


def test_a_header_extension_too_large_to_hold_is_refused_before_it_is_read() -> None:
    data = tar_bytes([("data/" + "x" * 300, b"{}")], tarfile.PAX_FORMAT, False)
    assert data[156:157] == b"x"  # the first member is the pax header
    huge = rechecked(data[:124] + b"%011o\0" % (1 << 30) + data[136:])  # says 1 GiB follows
    with pytest.raises(tarfile.ReadError, match="header extension of 1,073,741,824 bytes"):
        read_all(huge)


def test_a_pax_header_that_cannot_be_read_is_refused() -> None:
    data = tar_bytes([("data/" + "x" * 300, b"{}")], tarfile.PAX_FORMAT, False)
    at = data.index(b"path=")
    broken = rechecked(data[: at - 4] + b"999 " + data[at:])  # a length past its data
    with pytest.raises(tarfile.ReadError, match="pax header that cannot be read"):
        read_all(broken)
