"""Files written so that a crash leaves each one as it was or whole: never half-written."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_path(path: Path) -> None:
    """A file's bytes, or a directory's entries (a rename in it), on disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_whole(path: Path, data: bytes) -> None:
    """Write a file so that it is either absent, as before, or whole: never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.part")
    with temp.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)
