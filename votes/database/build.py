"""`votes build`: data/ -> a fresh database, built beside the target and renamed into place."""

from __future__ import annotations

import os
from pathlib import Path

from votes.database.engine import engine_for, migrate
from votes.database.load import load, read_all
from votes.errors import RecordErrors
from votes.record import datafiles, validate


def build(db: Path, data_dir: Path = datafiles.DATA_DIR) -> None:
    """Validate data/, then build `db` from it; on any problem `db` is left as it was."""
    tables = read_all(data_dir)
    problems = validate.problems(tables, data_dir)
    if problems:
        raise RecordErrors(problems)
    temp = db.with_name(f".{db.name}.building-{os.getpid()}")
    temp.unlink(missing_ok=True)
    try:
        engine = engine_for(temp)
        migrate(engine)
        with engine.begin() as connection:
            load(connection, tables)
        engine.dispose()
        os.replace(temp, db)
    finally:
        temp.unlink(missing_ok=True)
