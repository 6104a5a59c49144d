"""Polite, sturdy fetching for `votes update`, and the cache that keeps every file as fetched.

Polite: one request at a time, a pause between requests, a User-Agent naming the project, and
conditional GETs (If-None-Match, If-Modified-Since) for every file already in the cache.
Sturdy: time-outs, dropped connections, 429 and 5xx answers are retried with a doubling wait
(or the server's Retry-After); a 404, 403 or 410 is a missing file, said as such, never an error
that is retried. An HTML page where an XML record should be (the Senate answers some missing
votes with one) is a missing file too.

The cache (one directory) holds each file at its key in the official layout (feeds.Target.key),
written whole (a temporary file renamed into place), so a run killed at any point leaves every
file it had finished and nothing half-written. Beside the files: the validators of each
(`http/KEY.json`), the files fetched but not yet written to a database (`pending`), and the
files a database refused (`rejected/`, kept for inspection; fetched anew next time).
"""

from __future__ import annotations

import fcntl
import http.client
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from votes.errors import RecordError, first_line
from votes.files import write_whole
from votes.importers import limits
from votes.importers.base import is_digits
from votes.importers.feeds import Target
from votes.importers.inputs import HTML, USER_AGENT

MISSING = (403, 404, 410)  # the file is not there (or not shown): never retried
RETRIED = (429,)  # and every 5xx
MAX_WAIT = 300.0  # seconds: the longest Retry-After honoured

NEW, CHANGED, SAME, NOT_MODIFIED, ABSENT, FAILED = (
    "new",  # not in the cache before
    "changed",  # in the cache, and the server's copy differs
    "same",  # fetched whole, byte for byte what the cache held
    "not modified",  # the server said so (304)
    "missing",  # 404, 403, 410, or an HTML page where a record should be
    "failed",  # still failing after every retry, or another HTTP error
)
FOUND = (NEW, CHANGED, SAME, NOT_MODIFIED)


@dataclass(frozen=True)
class Manners:
    """How `votes update` asks: the pause between requests, time-out, retries and backoff."""

    delay: float = 1.0  # seconds between one request's end and the next one's start
    timeout: float = 30.0  # seconds without a byte before a request is abandoned
    retries: int = 3  # after the first try
    backoff: float = 2.0  # seconds before the first retry, doubled for each next one
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Outcome:
    """What asking for one file gave: its status (NEW ... FAILED) and, if not found, why."""

    target: Target
    status: str
    detail: str = ""

    @property
    def found(self) -> bool:
        """The file is in the cache as the server has it now."""
        return self.status in FOUND

    @property
    def fresh(self) -> bool:
        """The file's bytes are new to the cache."""
        return self.status in (NEW, CHANGED)


class Cache:
    """Files exactly as fetched, at their keys below one directory, with their validators."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, target: Target) -> Path:
        return self.root / target.key

    def has(self, target: Target) -> bool:
        return self.path(target).is_file()

    def read(self, target: Target) -> bytes:
        return self.path(target).read_bytes()

    def validators(self, target: Target) -> dict[str, str]:
        """The ETag and Last-Modified the server gave with the cached copy (none if unknown)."""
        meta = self._meta(target)
        if not self.has(target) or not meta.is_file():
            return {}
        try:
            saved = json.loads(meta.read_text())
        except ValueError:  # a damaged note only costs a whole GET
            return {}
        return {k: saved[k] for k in ("etag", "last_modified") if saved.get(k)}

    def store(self, target: Target, body: bytes, headers: Message) -> str:
        """Keep a fetched body and its validators; NEW, CHANGED or SAME. New bytes of a record
        are noted as pending first, so that no kill can lose them before a database has them."""
        path = self.path(target)
        status = NEW if not path.is_file() else SAME if path.read_bytes() == body else CHANGED
        if status != SAME:
            if target.is_record:
                self.add_pending(target)
            write_whole(path, body)
        validators = {
            "url": target.url,
            "etag": headers.get("ETag", ""),
            "last_modified": headers.get("Last-Modified", ""),
        }
        write_whole(self._meta(target), json.dumps(validators, indent=1).encode())
        return status

    def numbers(self, folder: str, prefix: str, suffix: str) -> set[int]:
        """The numbers of the cached files `prefix{N}suffix` in a folder of records."""
        found = set()
        for path in (self.root / "records" / folder).glob(f"{prefix}*{suffix}"):
            middle = path.name[len(prefix) : len(path.name) - len(suffix)]
            if is_digits(middle):
                found.add(int(middle))
        return found

    def _meta(self, target: Target) -> Path:
        return self.root / "http" / f"{target.key}.json"

    # ---- files fetched but not yet written to a database -------------------------------------

    @property
    def _pending(self) -> Path:
        return self.root / "pending"

    def add_pending(self, target: Target) -> None:
        """Note a file whose new bytes no database has yet (one line, flushed to disk)."""
        with self._pending.open("a") as journal:
            journal.write(f"{target.key}\t{target.url}\n")
            journal.flush()
            os.fsync(journal.fileno())

    def pending(self) -> list[Target]:
        """The files noted as pending that are still in the cache, in the order noted."""
        if not self._pending.is_file():
            return []
        found: dict[str, Target] = {}
        for line in self._pending.read_text().splitlines():
            key, _, url = line.partition("\t")
            if url and (self.root / key).is_file():  # a torn last line is ignored
                found.setdefault(key, Target(url, key))
        return list(found.values())

    def clear_pending(self) -> None:
        self._pending.unlink(missing_ok=True)

    def reject(self, target: Target) -> None:
        """Set aside a file a database refused: kept in rejected/, fetched whole next time."""
        path, aside = self.path(target), self.root / "rejected" / target.key
        if path.is_file():
            aside.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, aside)
        self._meta(target).unlink(missing_ok=True)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """This cache, for this run alone (two updates at once would fetch everything twice)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "lock").open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise RecordError(
                    str(self.root), "-", "another `votes update` is using this cache"
                ) from None
            yield


class Client:
    """Fetches files into a cache, one request at a time, as `manners` says."""

    def __init__(
        self,
        cache: Cache,
        manners: Manners,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.cache, self.manners = cache, manners
        self.sleep, self.clock = sleep, clock
        self.last: float | None = None  # when the previous request ended
        self.requests = 0

    def get(self, target: Target) -> Outcome:
        """Ask for one file (conditionally when it is cached), retrying what may pass."""
        problem = ""
        for attempt in range(self.manners.retries + 1):
            outcome, wait = self._try(target)
            if outcome is not None:
                return outcome
            problem = wait[1]
            if attempt < self.manners.retries:
                self.sleep(max(self.manners.backoff * 2**attempt, min(wait[0], MAX_WAIT)))
        tries = self.manners.retries + 1
        return Outcome(target, FAILED, f"{problem} ({tries} {'try' if tries == 1 else 'tries'})")

    def _try(self, target: Target) -> tuple[Outcome | None, tuple[float, str]]:
        """One request: its outcome, or (None, (seconds the server asked to wait, problem))."""
        self._pause()
        request = urllib.request.Request(target.url, headers=self._headers(target))
        try:
            body, headers = limits.fetch_url(request, self.manners.timeout)
        except urllib.error.HTTPError as e:
            with e:  # its body is not read
                return self._refused(target, e)
        except limits.TooLarge as e:
            return Outcome(target, FAILED, str(e)), (0.0, "")
        except (TimeoutError, urllib.error.URLError, http.client.HTTPException, OSError) as e:
            return None, (0.0, _reason(e))
        finally:
            self.last = self.clock()
            self.requests += 1
        return self._received(target, body, headers), (0.0, "")

    def _headers(self, target: Target) -> dict[str, str]:
        headers = {"User-Agent": self.manners.user_agent}
        known = self.cache.validators(target)
        if "etag" in known:
            headers["If-None-Match"] = known["etag"]
        if "last_modified" in known:
            headers["If-Modified-Since"] = known["last_modified"]
        return headers

    def _pause(self) -> None:
        if self.last is not None:
            left = self.manners.delay - (self.clock() - self.last)
            if left > 0:
                self.sleep(left)

    def _refused(
        self, target: Target, e: urllib.error.HTTPError
    ) -> tuple[Outcome | None, tuple[float, str]]:
        said = f"HTTP {e.code} {first_line(e.reason)}"
        if e.code == 304:
            return Outcome(target, NOT_MODIFIED), (0.0, "")
        if e.code in MISSING:
            return Outcome(target, ABSENT, said), (0.0, "")
        if e.code >= 500 or e.code in RETRIED:
            return None, (_retry_after(e.headers), said)
        return Outcome(target, FAILED, said), (0.0, "")

    def _received(self, target: Target, body: bytes, headers: Message) -> Outcome:
        if target.is_record and HTML.match(body[:4096]):
            return Outcome(target, ABSENT, "an HTML page where the XML file should be")
        return Outcome(target, self.cache.store(target, body, headers))


def _reason(e: BaseException) -> str:
    reason = getattr(e, "reason", e)
    if isinstance(e, limits.PastDeadline):
        return f"timed out: {e}"
    if isinstance(reason, TimeoutError) or isinstance(e, TimeoutError):
        return "timed out"
    return f"cannot fetch ({first_line(reason) if str(reason) else type(e).__name__})"


def _retry_after(headers: Message | None) -> float:
    value = headers.get("Retry-After", "") if headers is not None else ""
    return float(value) if is_digits(value.strip()) else 0.0
