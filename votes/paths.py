"""Where the project's files are: one home, importing nothing heavy (the CLI starts with it)."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"  # the record: canonical CSV files (votes/datafiles.py)
UPSTREAM_DIR = DATA_DIR / "upstream"  # the shipped unitedstates/congress vote archives
