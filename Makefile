# The README's two commands: `make serve` (set up, build the record, serve it in Datasette)
# and `make test` (set up, including the Debian packages the tests need, then run every test).
# `make lint` runs ruff and mypy, as CI does before the tests.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
PORT ?= 8001

.PHONY: serve test lint build clean venv-package system-packages

# What votes.db is built from: it is rebuilt (about a minute) only when one of these changes.
RECORD := $(shell find votes migrations data -type f -not -name '*.pyc' 2>/dev/null)

serve: votes.db
	$(BIN)/votes serve --db votes.db --port $(PORT)

votes.db: $(VENV)/.installed $(RECORD)
	$(BIN)/votes build --db $@

test: system-packages $(VENV)/.installed-test
	$(BIN)/pytest

lint: $(VENV)/.installed-test docs-check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

build: $(VENV)/.installed
	$(BIN)/votes build

$(VENV)/.installed: pyproject.toml | venv-package
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) votes.db

# ---- Debian packages that pip cannot install, each with the check that finds it ----

# Debian ships Python's venv (and ensurepip) apart from python3.
HAVE.python3-venv = $(PYTHON) -c 'import ensurepip, venv'
# tests/test_browser.py drives this browser.
HAVE.chromium = test -x '$(or $(VOTES_CHROMIUM),/usr/bin/chromium)'
# tests/postgres.py starts a throwaway server with these.
HAVE.postgresql = ls /usr/lib/postgresql/*/bin/initdb /usr/lib/postgresql/*/bin/pg_ctl

# $(call missing,PACKAGES): those of PACKAGES whose check fails.
missing = $(strip $(foreach p,$(1),$(if $(shell $(HAVE.$(p)) >/dev/null 2>&1 && echo ok),,$(p))))
SUDO = $(if $(filter 0,$(shell id -u)),,sudo )

# $(call apt_install,PACKAGES): a shell command that installs those of PACKAGES that are missing
# (none missing: no command), as root or through sudo; when that cannot be done (no apt-get, no
# sudo, or it fails) it stops with the one line to run.
apt_install = $(call apt_install_these,$(call missing,$(1)))
apt_install_these = $(if $(1),\
	line="$(SUDO)apt-get update && $(SUDO)apt-get install -y $(1)"; \
	if ! command -v apt-get >/dev/null || ! command -v $(or $(SUDO),true) >/dev/null; then \
	  echo "Missing Debian packages: $(1). Run: $$line" >&2; exit 1; \
	fi; \
	echo "Installing Debian packages: $(1)" >&2; \
	apt="$(SUDO)env DEBIAN_FRONTEND=noninteractive apt-get"; \
	{ $$apt update -qq && $$apt install -y -qq $(1); } \
	  || { echo "Could not install Debian packages: $(1). Run: $$line" >&2; exit 1; })

venv-package:
	@$(call apt_install,python3-venv)

system-packages: venv-package
	@$(call apt_install,chromium postgresql)

# The README's data dictionary and command reference are written from the code (votes/readme.py):
# `make docs` rewrites them; `make docs-check` fails with a diff when README.md is stale.
.PHONY: docs docs-check

docs: $(VENV)/.installed
	$(BIN)/python -m votes.readme

docs-check: $(VENV)/.installed
	$(BIN)/python -m votes.readme --check
