"""Where the project's files are at run time: one home, importing nothing heavy (the CLI starts
with it).

In a source checkout and an editable install the top-level files (data/, migrations/,
metadata.yml, alembic.ini) are where the repository keeps them, beside votes/. A wheel carries
them inside the package, in votes/_project/ (see [tool.setuptools] in pyproject.toml).
"""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # votes/


def _project_root() -> Path:
    """votes/_project/ in a wheel install; the repository root in a checkout or editable install."""
    installed = PACKAGE / "_project"
    return installed if (installed / "alembic.ini").is_file() else PACKAGE.parent


PROJECT_ROOT = _project_root()
DATA_DIR = PROJECT_ROOT / "data"  # the record: canonical CSV files (votes/record/datafiles.py)
MIGRATIONS = PROJECT_ROOT / "migrations"  # Alembic's env.py and versions/
ALEMBIC_INI = PROJECT_ROOT / "alembic.ini"
METADATA = PROJECT_ROOT / "metadata.yml"  # Datasette: titles, licence, the data dictionary
UPSTREAM_DIR = DATA_DIR / "upstream"  # the shipped unitedstates/congress vote archives

# Inside the package, wherever it is installed.
SQL_DIR = PACKAGE / "database" / "sql"  # one .sql file per view (votes/database/views.py)
TEMPLATES = PACKAGE / "publish" / "templates"  # Datasette templates
REFERENCE_DIR = PACKAGE / "importers" / "reference"  # the legislators crosswalk and its licence
