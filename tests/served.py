"""Run `votes serve` as a real process on a free port, for tests that talk HTTP to it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

VOTES = str(Path(sys.executable).with_name("votes"))
STARTUP_SECONDS = 30


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Poll `url` until it answers; fail with the server's log if it exits or times out."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"votes serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    pytest.fail(f"votes serve did not answer {url} within {STARTUP_SECONDS}s")


@contextmanager
def serving(db: Path, *options: str, votes: str = VOTES) -> Iterator[str]:
    """`votes serve --db db [options]` on a free port; yields its base URL, stops it on exit.

    `votes` is the command to run: this environment's, or another's (tests/test_wheel.py).

    The server's output goes to serve.log beside the database (a pipe nobody reads would fill
    up and stall it).
    """
    port = free_port()
    command = [votes, "serve", "--db", str(db), "--port", str(port), *options]
    log = db.with_name("serve.log")
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_up(process, f"{base_url}/-/versions.json", log)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
