"""The wheel: installed alone (not editable), away from the checkout, `votes` builds, imports and
serves, because the wheel carries migrations/, data/, metadata.yml and alembic.ini.

Offline: the wheel is built without build isolation and installed with --no-deps --no-index into
a fresh virtualenv that reaches this environment's dependencies through a .pth file of plain
paths. A plain path is not processed as a site directory, so the editable `votes` finder in this
environment is never loaded: the new virtualenv can only import the wheel's copy.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.served import serving

ROOT = Path(__file__).resolve().parent.parent
SENATE_XML = ROOT / "tests" / "fixtures" / "official-xml" / "senate_vote_108_2_00172.xml"
# What the wheel is made from: the top level of the repository, as it is laid out.
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "votes", "data", "migrations")
PROJECT_FILES = ("metadata.yml", "alembic.ini")
PROJECT_DIRS = ("data", "migrations")  # carried whole, into votes/_project/
JUNK = shutil.ignore_patterns("__pycache__", "*.pyc")
# `votes build` builds data/ alone for now. When it gains --only-curated (data/ without the
# upstream archives), add that one word here so this test stays quick.
BUILD = ("build", "--only-curated", "--db", "x.db")


def run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command to completion with no PYTHONPATH; fail with its output."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout}{done.stderr}"
    return done


def site_packages(python: Path) -> Path:
    """The site-packages directory of the environment `python` runs in."""
    script = "import sysconfig; print(sysconfig.get_path('purelib'))"
    return Path(run(python, "-c", script).stdout.strip())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the sources (the build leaves nothing in the checkout)."""
    source = tmp_path_factory.mktemp("source")
    for name in (*SOURCES, *PROJECT_FILES):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=JUNK)
        else:
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    pip = (sys.executable, "-m", "pip")
    run(*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", out, source)
    (built,) = out.glob("votes-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel installed; its dependencies come from this environment."""
    venv = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    pip = (sys.executable, "-m", "pip", "--python", python)
    run(*pip, "install", "--quiet", "--no-deps", "--no-index", wheel)
    theirs = sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")})
    (site_packages(python) / "test-environment.pth").write_text("\n".join(theirs) + "\n")
    return venv


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory outside the checkout, for the commands and the server."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def wheel_files(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return {name for name in archive.namelist() if not name.endswith("/")}


def checkout_files(directory: str) -> set[str]:
    """Every file below a directory of the checkout, relative to the checkout."""
    return {
        str(p.relative_to(ROOT))
        for p in (ROOT / directory).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_the_wheel_carries_the_project_files_and_nothing_else_from_the_top_level(
    wheel: Path,
) -> None:
    carried = {
        name.removeprefix("votes/_project/")
        for name in wheel_files(wheel)
        if name.startswith("votes/_project/")
    }
    expected = set(PROJECT_FILES).union(*(checkout_files(d) for d in PROJECT_DIRS))
    assert carried == expected
    assert {"migrations/env.py", "migrations/script.py.mako", "metadata.yml"} <= carried
    assert {"data/upstream/votes-1989-2020.tar.xz", "data/upstream/votes-2021-2024.tar.xz"} <= (
        carried
    )


def test_the_wheel_carries_every_file_of_the_package(wheel: Path) -> None:
    names = wheel_files(wheel)
    assert checkout_files("votes") <= names
    assert {
        "votes/database/sql/member_votes.sql",
        "votes/database/sql/load/override_math.sql",
        "votes/publish/templates/row.html",
    } <= names


def test_the_installed_package_finds_every_path_inside_its_own_site_packages(
    venv: Path, work: Path
) -> None:
    script = (
        "import json, pathlib, votes, votes.paths as p\n"
        "paths = {k: str(v) for k, v in vars(p).items() if isinstance(v, pathlib.Path)}\n"
        "print(json.dumps({'votes': votes.__file__, **paths}))\n"
    )
    found = json.loads(run(venv / "bin" / "python", "-c", script, cwd=work).stdout)
    package = site_packages(venv / "bin" / "python") / "votes"
    assert found.pop("votes") == str(package / "__init__.py")
    assert found["PROJECT_ROOT"] == str(package / "_project")
    assert {"DATA_DIR", "MIGRATIONS", "ALEMBIC_INI", "METADATA", "SQL_DIR", "TEMPLATES"} <= set(
        found
    )
    for name, path in found.items():
        assert Path(path).exists(), name
        assert Path(path).is_relative_to(package), name


def test_the_installed_command_imports_an_official_file(venv: Path, work: Path) -> None:
    done = run(venv / "bin" / "votes", "import", SENATE_XML, "--db", "y.db", cwd=work)
    assert "1 added" in done.stderr
    with sqlite3.connect(work / "y.db") as connection:
        (positions,) = connection.execute("SELECT count(*) FROM positions").fetchone()
    assert positions == 100


def test_the_installed_command_builds_the_record_and_serves_it(venv: Path, work: Path) -> None:
    run(venv / "bin" / "votes", *BUILD, cwd=work)
    metadata = yaml.safe_load((ROOT / "metadata.yml").read_text())
    with serving(work / "x.db", "--workers", "1", votes=str(venv / "bin" / "votes")) as url:
        with urllib.request.urlopen(f"{url}/votes.json", timeout=30) as response:
            assert response.status == 200
            database = json.load(response)
        # Redirected to Datasette's tilde-encoded key (s84-116~2E2020); the page is what counts.
        with urllib.request.urlopen(f"{url}/votes/roll_calls/s84-116.2020", timeout=30) as page:
            assert page.status == 200
            html = page.read().decode()
    assert database["source"] == metadata["source"]  # metadata.yml, from the wheel
    assert "roll_calls" in {table["name"] for table in database["tables"]}
    assert "member_votes" in {view["name"] for view in database["views"]}  # sql/, migrated
    assert "override_math" in {table["name"] for table in database["tables"]}  # sql/load/
    assert 'class="threshold-charts"' in html  # the package's templates and plugin
    assert "two thirds: 62 of 93 voting" in html  # the record: 49-44, veto sustained
