# The commands of the quickstart: `make run` (demo), `make run-empty` (your company), `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CRM_DASH_DB ?= data/crm.duckdb
COMPANY_DB ?= data/company.duckdb
PORT ?= 8501
export CRM_DASH_DB

.PHONY: run run-empty test install install-test lint demo bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "crm-dash needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) -V 2>&1)." >&2; \
		  echo "Run with another interpreter: make $(MAKECMDGOALS) PYTHON=python3.12" >&2; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || \
		{ echo "$(PYTHON) cannot create virtual environments (Debian/Ubuntu ship that part" \
		       "separately). Install it, then run make again:" >&2; \
		  echo "  sudo apt-get install python3-venv" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Start the app with the demo company on http://localhost:$(PORT) (builds it if there is no db).
run: install
	$(BIN)/crm-dash demo --if-missing
	$(BIN)/crm-dash run --port $(PORT)

## Start the app on your own company's database (empty at first, never the demo): the terminal
## prints a one-time link that creates the first administrator in the browser.
run-empty: install
	$(BIN)/crm-dash run --db $(COMPANY_DB) --port $(PORT)

## Lint, type-check and run every test, browser tests included.
test: install-test lint
	$(BIN)/pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/mypy

## Rebuild the demo database from scratch.
demo: install
	$(BIN)/crm-dash demo --force

clean:
	rm -rf $(VENV) test-output .pytest_cache .mypy_cache .ruff_cache
