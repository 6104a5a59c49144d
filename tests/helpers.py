"""Small helpers shared by tests: copies of data/, snapshots of files, running the CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from votes import datafiles


def copy_data(tmp_path: Path) -> Path:
    """A private copy of the repository's data/ to change freely."""
    target = tmp_path / "data"
    shutil.copytree(datafiles.DATA_DIR, target)
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
