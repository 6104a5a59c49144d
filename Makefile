# The README's two commands: `make serve` (set up, build the record, serve it in Datasette)
# and `make test` (set up, run the whole test suite).
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
PORT ?= 8001

.PHONY: serve test build clean

serve: $(VENV)/.installed
	$(BIN)/votes build
	$(BIN)/votes serve --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/pytest

build: $(VENV)/.installed
	$(BIN)/votes build

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) votes.db

# The README's data dictionary and command reference are written from the code (votes/readme.py):
# `make docs` rewrites them; `make docs-check` fails with a diff when README.md is stale.
.PHONY: docs docs-check

docs: $(VENV)/.installed
	$(BIN)/python -m votes.readme

docs-check: $(VENV)/.installed
	$(BIN)/python -m votes.readme --check
