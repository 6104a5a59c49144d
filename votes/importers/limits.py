"""What one input may cost: a size cap shared by files, archive members and URL bodies, and an
overall deadline for each URL. Both are enforced while reading, never after.

VOTES_MAX_INPUT_MB (default 64) caps the bytes of any one record file, however it comes: a
file, a member of an archive (refused before it is inflated past the cap) or a URL's body.
VOTES_URL_DEADLINE (seconds, default 60) bounds a whole URL fetch, not only each read: a
server sending one byte at a time cannot hold an import forever. Environment variables, so
that reader processes see the same limits as the command that started them.
"""

from __future__ import annotations

import os
import queue
import threading
import time
import urllib.request
from collections.abc import Callable
from email.message import Message
from typing import IO

from votes.errors import RecordError
from votes.importers.base import is_digits

MAX_INPUT_MB_VAR = "VOTES_MAX_INPUT_MB"
URL_DEADLINE_VAR = "VOTES_URL_DEADLINE"
DEFAULT_MAX_INPUT_MB = 64.0  # far above any roll call or Bill Status file (the largest: ~2 MB)
DEFAULT_URL_DEADLINE = 60.0  # seconds
CHUNK = 1 << 16


class TooLarge(ValueError):
    """An input past the size cap."""


class PastDeadline(TimeoutError):
    """A URL whose whole answer did not come within the deadline."""

    def __init__(self) -> None:
        super().__init__(f"no whole answer within {url_deadline():g} s ({URL_DEADLINE_VAR})")


def _setting(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    if not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise RecordError(name, "-", f"{raw!r} is not a positive number")
    return value


def max_input_bytes() -> int:
    """The size cap of one input, in bytes."""
    return max(1, int(_setting(MAX_INPUT_MB_VAR, DEFAULT_MAX_INPUT_MB) * 1_000_000))


def url_deadline() -> float:
    """Seconds a whole URL fetch may take."""
    return _setting(URL_DEADLINE_VAR, DEFAULT_URL_DEADLINE)


def too_large(size: int) -> str:
    """The message for an input past the cap."""
    cap = max_input_bytes()
    return f"larger than {cap:,} bytes ({size:,} or more; {MAX_INPUT_MB_VAR} sets the cap)"


def check_size(size: int) -> None:
    """Refuse an input whose declared size is past the cap (before reading any of it)."""
    if size > max_input_bytes():
        raise TooLarge(too_large(size))


def read_capped(stream: IO[bytes], read: Callable[[int], bytes] | None = None) -> bytes:
    """A stream's bytes, read in chunks; past the cap a TooLarge, with at most cap + 1 bytes
    ever held (a member that inflates to gigabytes costs no more)."""
    cap, chunks, size = max_input_bytes(), [], 0
    read = read or stream.read
    while chunk := read(min(CHUNK, cap + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > cap:
            raise TooLarge(too_large(size))
    return b"".join(chunks)


def fetch_url(request: urllib.request.Request, timeout: float) -> tuple[bytes, Message]:
    """A URL's body and headers, within the deadline and the cap. `timeout` bounds each wait
    for a byte; the deadline bounds the whole, headers included (a thread waits for the
    answer: a server that trickles bytes is abandoned at the deadline). Errors are urllib's;
    past the deadline a PastDeadline, past the cap a TooLarge."""
    deadline = url_deadline()
    answers: queue.Queue[tuple[bytes, Message] | BaseException] = queue.Queue(maxsize=1)
    stop = time.monotonic() + deadline

    def work() -> None:
        try:
            answers.put(_get(request, min(timeout, deadline), stop))
        except BaseException as e:  # handed to the caller, who raises it
            answers.put(e)

    threading.Thread(target=work, daemon=True, name="votes-fetch").start()
    try:
        answer = answers.get(timeout=deadline + 1)
    except queue.Empty:
        raise PastDeadline() from None
    if isinstance(answer, BaseException):
        raise answer
    return answer


def _get(request: urllib.request.Request, timeout: float, stop: float) -> tuple[bytes, Message]:
    with urllib.request.urlopen(request, timeout=timeout) as response:
        if time.monotonic() > stop:
            raise PastDeadline()
        declared = response.headers.get("Content-Length", "")
        if is_digits(declared):
            check_size(int(declared))

        def read(n: int) -> bytes:
            if time.monotonic() > stop:
                raise PastDeadline()
            return response.read1(n)

        return read_capped(response, read), response.headers
