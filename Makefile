# Peerpath: `make run` serves the demo, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# Exact versions with hashes, generated from pyproject.toml's ranges by `make lock`:
# requirements.lock for production (the Dockerfile), requirements-dev.lock adds the dev extra.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --upgrade --custom-compile-command "make lock" --quiet

.PHONY: run test install var-folders lint audit lock format migrate seed demo-code bench messages clean

# Only pip is needed: the locked versions first (hashes checked), then our own
# code without dependencies (an editable install cannot carry hashes). pip check
# fails when a range in pyproject.toml moved past the lock: run `make lock`.
$(INSTALLED): $(DEV_LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $(INSTALLED)

install: $(INSTALLED)

## Upgrade every pinned version to the newest the ranges in pyproject.toml allow.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet 'uv>=0.5'
	$(UV_COMPILE) -o $(LOCK)
	$(UV_COMPILE) --extra dev -o $(DEV_LOCK)

# What settings read but never create: collected static files, private uploads,
# the local demo's mail folder and the filesystem broker's folders (used when
# REDIS_URL is unset).
VAR_FOLDERS := var/staticfiles var/private var/mail var/broker/out var/broker/processed var/broker/control
var-folders:
	mkdir -p $(VAR_FOLDERS)

## Serve the site with a Celery worker and beat on http://127.0.0.1:8000 (Ctrl-C stops all).
# The seed's logins are kept in var/demo-logins.txt: the script prints them
# once the site answers, after the start-up sweeps, so they are the last thing
# on screen.
run: install var-folders
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo > var/demo-logins.txt
	scripts/run-local.sh

## Lint, then the whole suite in two processes, one per core (scripts/test-suite.sh).
test: install var-folders lint
	scripts/test-suite.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python scripts/audit_deps.py $(LOCK) $(DEV_LOCK)

## Known vulnerabilities in the locked versions (says so when it cannot check).
audit: install
	$(BIN)/python scripts/audit_deps.py $(LOCK) $(DEV_LOCK)

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

## After changing a string people read: extract every marked string into
## locale/<language>/LC_MESSAGES/django.po (core's makemessages: the same
## folders and options everywhere), translate the new entries, then run it
## again to compile the .mo files, which are committed (installing needs no
## gettext). Needs GNU gettext (xgettext, msgmerge, msgfmt).
messages: install
	$(BIN)/python manage.py makemessages --all
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var --ignore=node_modules

## Peerpath side by side with reference views, under gunicorn on PostgreSQL
## (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/peerpath_bench: dropped
## and made again): pages and API, the certification report and CSV at 10,000 and
## 100,000, the sweeps at 100,000 mentees; results in var/bench/results.json. Then
## the mentee page and list with and without auditing.
bench: install var-folders
	$(BIN)/python bench/run.py
	$(BIN)/python bench/audit.py 200

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache tests/artifacts
