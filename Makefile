# Peerpath: `make run` serves the demo, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test install var-folders lint format migrate seed demo-code bench clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

# What settings read but never create: collected static files and the
# filesystem broker's folders (used when REDIS_URL is unset).
VAR_FOLDERS := var/staticfiles var/private var/broker/out var/broker/processed var/broker/control
var-folders:
	mkdir -p $(VAR_FOLDERS)

## Serve the site with a Celery worker and beat on http://127.0.0.1:8000 (Ctrl-C stops all).
run: install var-folders
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	scripts/run-local.sh

## Lint, then the whole test suite.
test: install var-folders lint
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrate: install
	$(BIN)/python manage.py migrate

seed: install
	$(BIN)/python manage.py seed_demo

## The current two-factor code for the demo admin and coordinators.
demo-code: install
	@$(BIN)/python manage.py demo_code

## Reminder sweeps at 100 and 10,000 mentees: query counts and time ratios;
## then the mentee page and list with and without auditing.
bench: install
	$(BIN)/python bench/sweeps.py 100 10000
	$(BIN)/python bench/audit.py 200

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache tests/artifacts
