# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: run test install assets lint bench browser-deps clean backup restore

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

assets: $(NODE_STAMP)

# Sets up everything, loads demo data into an empty database, creates one demo
# user per role, then serves the web app with a Celery worker and Celery beat.
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py create_demo_users
	$(BIN)/python scripts/run_all.py

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Times every page people use against three baselines at 1,000 and 10,000
# organisations (BENCH_ARGS="--sizes 1000,10000,100000" for the third) on
# PostgreSQL and gunicorn, and prints the aims PASS or MISS; --reuse keeps the
# seeded databases, --profile PAGE prints one request's top functions, --load
# adds 20 users at once for 60 s (scripts/bench.py; BENCH_DATABASE_URL for the
# server, default postgres://postgres@127.0.0.1:5432).
bench: install
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

# One archive of the database and the media folder into backups/ (or
# DJANGO_BACKUP_ROOT); `make restore ARCHIVE=backups/ceop-backup-....tar` puts it back.
backup: $(STAMP)
	$(BIN)/python manage.py backup

restore: $(STAMP)
	$(BIN)/python manage.py restore $(ARCHIVE)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
