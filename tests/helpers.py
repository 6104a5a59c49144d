"""Small helpers shared by tests: copies of data/, snapshots of files, running the CLI, and a
local HTTP server for URL sources."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from votes.database.pipeline import build
from votes.record import datafiles


def copy_data(tmp_path: Path) -> Path:
    """A private copy of the repository's data/ to change freely."""
    target = tmp_path / "data"
    shutil.copytree(datafiles.DATA_DIR, target, ignore=shutil.ignore_patterns("upstream"))
    return target


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file below a directory, by relative path, as bytes."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def edit_csv(data_dir: Path, name: str, old: str, new: str, count: int = 1) -> None:
    """Replace text in one data/ file (a hand edit, as a reviewer might make)."""
    path = data_dir / f"{name}.csv"
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count))


def votes_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `votes` command for real."""
    exe = Path(sys.executable).with_name("votes")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=cwd, timeout=300)


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves a directory's files, with no request log in the test output."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: the test output is the assertions."""


class QuietServer(ThreadingHTTPServer):
    """A client that hangs up early (a body over the cap) is no error of the server's: said on
    stderr, it would land in the stderr a test reads of the command it runs at that moment."""

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: the client's side is what the tests check."""


@contextmanager
def http_server(
    directory: Path, handler: type[SimpleHTTPRequestHandler] = QuietHandler
) -> Iterator[str]:
    """A real HTTP server for `directory` on 127.0.0.1 (a free port), in a thread; yields its
    base URL. No test touches the internet: URL sources are tested against this."""
    httpd = QuietServer(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def build_curated(db: Path | str, data_dir: Path = datafiles.DATA_DIR) -> None:
    """`votes build --only-curated`: the record in data/ alone (no archives), read in-process."""
    build(db, data_dir, archives=[], jobs=0)
