"""A local mirror of the official feeds for `votes update` tests: real files at their official
paths, served with ETag and Last-Modified (and 304 to a conditional GET), answers scripted to
fail (an HTTP status, or a hang longer than the client waits), and a log of every request."""

from __future__ import annotations

import hashlib
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

from tests.helpers import QuietServer

FIXTURES = Path(__file__).with_name("fixtures")
OFFICIAL = FIXTURES / "official-xml"
FEEDS = FIXTURES / "feeds"
BILLSTATUS = FIXTURES / "billstatus"
HOUSE, SENATE, GPO = "/evs", "/legislative/LIS", "/bulkdata/BILLSTATUS"
ROLL_240 = f"{HOUSE}/2025/roll240.xml"
MENU_119_1 = f"{SENATE}/roll_call_lists/vote_menu_119_1.xml"
VOTE_618 = f"{SENATE}/roll_call_votes/vote1191/vote_119_1_00618.xml"
# The 119th Congress as the official servers lay it out, with the sample files: House roll call
# 240 of 2025 (listed by the Clerk's index of 2025) and Senate vote 618 of 119-1 (in its menu).
CONGRESS_119 = {
    f"{HOUSE}/2025/index.asp": FEEDS / "house_2025_index.asp",
    f"{HOUSE}/2025/ROLL_200.asp": FEEDS / "house_2025_ROLL_200.asp",
    ROLL_240: OFFICIAL / "house_roll_2025_240.xml",
    MENU_119_1: FEEDS / "vote_menu_119_1.xml",
    VOTE_618: OFFICIAL / "senate_vote_119_1_00618.xml",
}


@dataclass(frozen=True)
class Request:
    """One request the mirror answered: its path, the answer, and the request's headers."""

    path: str
    status: int | str  # an HTTP status, or "hang"
    headers: dict[str, str]


@dataclass
class Mirror:
    """The files a mirror serves (path -> body, last modified), and what it was asked."""

    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    scripts: dict[str, list[int | float]] = field(default_factory=dict)
    log: list[Request] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    version: int = 0

    @classmethod
    def of(cls, files: dict[str, Path]) -> Mirror:
        mirror = cls()
        for path, source in files.items():
            mirror.put(path, source.read_bytes())
        return mirror

    def put(self, path: str, body: bytes) -> None:
        """Serve `body` at `path`, modified now (each change a second later than the last)."""
        with self.lock:
            self.version += 1
            self.files[path] = (body, formatdate(1_700_000_000 + self.version, usegmt=True))

    def body(self, path: str) -> bytes:
        return self.files[path][0]

    def script(self, path: str, *answers: int | float) -> None:
        """Answer the next requests of `path` with these first: a status, or seconds to hang."""
        with self.lock:
            self.scripts.setdefault(path, []).extend(answers)

    def answers(self, path: str) -> list[int | str]:
        """What the mirror answered to each request of `path`, in order."""
        return [r.status for r in self.log if r.path == path]

    def options(self) -> list[str]:
        """`votes update` options pointing every feed at this mirror."""
        return [
            "--house-url",
            f"{self.url}{HOUSE}",
            "--senate-url",
            f"{self.url}{SENATE}",
            "--billstatus-url",
            f"{self.url}{GPO}",
        ]

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = urlsplit(handler.path).path
        with self.lock:
            scripted = self.scripts.get(path)
            next_answer = scripted.pop(0) if scripted else None
            found = self.files.get(path)
        headers = dict(handler.headers.items())
        if isinstance(next_answer, float):
            self.log.append(Request(path, "hang", headers))
            time.sleep(next_answer)  # longer than the client waits: it has gone
            return
        if next_answer is not None or found is None:
            self.log.append(Request(path, next_answer or 404, headers))
            handler.send_error(next_answer or 404)
            return
        self._send(handler, path, headers, *found)

    def _send(
        self,
        handler: BaseHTTPRequestHandler,
        path: str,
        asked: dict[str, str],
        body: bytes,
        at: str,
    ) -> None:
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        fresh = asked.get("If-None-Match") == etag if "If-None-Match" in asked else None
        if fresh is None and "If-Modified-Since" in asked:
            fresh = asked["If-Modified-Since"] == at
        status = 304 if fresh else 200
        self.log.append(Request(path, status, asked))
        handler.send_response(status)
        handler.send_header("ETag", etag)
        handler.send_header("Last-Modified", at)
        kind = "text/html" if path.endswith(".asp") else "application/xml"
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", "0" if status == 304 else str(len(body)))
        handler.end_headers()
        if status == 200:
            handler.wfile.write(body)


def bill_status(name: str) -> bytes:
    """A Bill Status sample's XML, from the fixtures (unzipped, as govinfo serves one bill)."""
    plain = BILLSTATUS / name
    if plain.exists():
        return plain.read_bytes()
    for archive in BILLSTATUS.glob("*.zip"):
        with zipfile.ZipFile(archive) as z:
            if name in z.namelist():
                return z.read(name)
    raise FileNotFoundError(name)


@contextmanager
def serving(mirror: Mirror) -> Iterator[Mirror]:
    """The mirror on 127.0.0.1 (a free port), in a thread; its `url` set while it serves."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            mirror.answer(self)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet: the test output is the assertions."""

    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    mirror.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield mirror
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
