"""A throwaway PostgreSQL server for the tests: initdb into a temporary directory, start, stop.

CI installs Debian's `postgresql` package and runs as root; postgres refuses to run as root, so
the server then runs as the package's `postgres` system user. Missing binaries fail the tests:
a skip would hide a broken CI machine.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

PG_ROOT = Path("/usr/lib/postgresql")
SUPERUSER = "postgres"
INSTALL_HINT = "install Debian's `postgresql` package (apt-get install postgresql)"


@dataclass(frozen=True)
class Server:
    """A running server: loopback TCP on `port`, trust authentication for SUPERUSER."""

    port: int

    def url(self, database: str) -> str:
        """A SQLAlchemy URL for one database on this server."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE) as the superuser."""
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(sql)  # type: ignore[arg-type]


def find_bin_dir() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin that has initdb and pg_ctl."""
    found = [p.parent for p in PG_ROOT.glob("*/bin/initdb") if (p.parent / "pg_ctl").exists()]
    if not found:
        pytest.fail(f"PostgreSQL server binaries not found in {PG_ROOT}/*/bin: {INSTALL_HINT}")
    return max(found, key=lambda p: _version(p.parent.name))


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing is listening on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def as_server_user() -> list[str]:
    """The command prefix that runs the server binaries: as `postgres` when we are root."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(SUPERUSER)
    except KeyError:
        pytest.fail(f"running as root, but there is no `{SUPERUSER}` system user: {INSTALL_HINT}")
    return ["runuser", "-u", SUPERUSER, "--"]


def run(command: list[str], cwd: Path) -> None:
    """Run a server command; fail the tests with its output if it fails."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        log = cwd / "server.log"
        tail = log.read_text()[-2000:] if log.exists() else ""
        pytest.fail(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}{tail}")


def make_home() -> Path:
    """A temporary directory the server user owns (data directory and socket live in it)."""
    home = Path(tempfile.mkdtemp(prefix="votes-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam(SUPERUSER)
        os.chown(home, user.pw_uid, user.pw_gid)
    return home


def start(bin_dir: Path, home: Path, port: int) -> None:
    """initdb (trust authentication, no fsync) and `pg_ctl start`, waiting until it accepts."""
    prefix = as_server_user()
    data = home / "data"
    initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust"]
    run([*prefix, *initdb, "--encoding=UTF8", "--locale=C", "--no-sync"], home)
    options = f"-k {home} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(home / "server.log")]
    run([*prefix, *pg_ctl, "-w", "-t", "60", "-o", options, "start"], home)


def stop(bin_dir: Path, home: Path) -> None:
    """Stop the server (if it started) and remove its directory."""
    if (home / "data" / "postmaster.pid").exists():
        pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(home / "data"), "-m", "fast", "-w"]
        command = [*as_server_user(), *pg_ctl, "stop"]
        subprocess.run(command, cwd=home, capture_output=True, check=False)
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    """A PostgreSQL server of our own for the whole test session."""
    bin_dir = find_bin_dir()
    home = make_home()
    try:
        port = free_port()
        start(bin_dir, home, port)
        yield Server(port)
    finally:
        stop(bin_dir, home)


@pytest.fixture(scope="session")
def postgres_url(postgres_server: Server) -> str:
    """A SQLAlchemy URL of a database shared by the session (`postgresql+psycopg://...`)."""
    postgres_server.admin("CREATE DATABASE votes")
    return postgres_server.url("votes")


@pytest.fixture
def empty_postgres_url(postgres_server: Server) -> Iterator[str]:
    """A SQLAlchemy URL of a fresh, empty database of this test's own, dropped afterwards."""
    name = f"test_{uuid.uuid4().hex}"
    postgres_server.admin(f"CREATE DATABASE {name}")
    yield postgres_server.url(name)
    postgres_server.admin(f"DROP DATABASE {name} WITH (FORCE)")
