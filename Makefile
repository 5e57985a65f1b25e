# Buurtkas — every target works on a fresh machine that has only Python 3.12+.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python >= 3.12 on PATH (python3 may be older than the project needs).
SYSTEM_PYTHON := $(shell for p in python3.14 python3.13 python3.12 python3 $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3); do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then command -v $$p || echo $$p; break; fi; done)

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed-run: pyproject.toml constraints.txt
	@test -n "$(SYSTEM_PYTHON)" || { echo "Python 3.12 of nieuwer is nodig (python3.12 / python3.13 niet gevonden)."; exit 1; }
	@test -x $(PY) || $(SYSTEM_PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed-run
	$(PIP) install --quiet -c constraints.txt ".[test]"
	@touch $@

install: $(VENV)/.installed-run ## Create .venv and install the application

migrate: install ## Start the database (embedded unless DATABASE_URL is set) and migrate all schemas
	$(PY) manage.py migrate_schemas --noinput

demo: migrate ## Load the demo data (idempotent)
	$(PY) manage.py load_demo

run: demo ## Install, migrate, load demo data, serve with the worker beside it (PORT=8101 make run)
	@$(PY) manage.py demo_logins --url http://$(HOST):$(PORT)/
	$(PY) manage.py serve $(HOST):$(PORT)

worker: migrate ## Run only the background worker (bank imports, the daily access sync)
	$(PY) manage.py worker

# Tests run with DEBUG off; with DATABASE_URL set (no embedded database) they need a secret
# key and plain HTTP, which these give unless the environment says otherwise.
test test-browser: export DJANGO_SECRET_KEY ?= test-only-secret-key-not-for-production-0123456789
test test-browser: export DJANGO_SECURE ?= 0
test test-browser: export BUURTKAS_LEDGER_KEY ?= test-only-ledger-key-not-for-production-0123

test: $(VENV)/.installed-test ## Install what the tests need and run the whole suite
	@[ -x /usr/bin/chromium ] || { echo ""; echo "!!!!!!!! BROWSER TESTS WILL BE SKIPPED: /usr/bin/chromium not found (apt-get install chromium) !!!!!!!!"; echo ""; }
	$(PY) -m pytest tests -q -n auto --dist loadgroup --durations=15

test-browser: $(VENV)/.installed-test ## Run only the browser tests
	$(PY) -m pytest tests -m browser -q -n auto

lint: $(VENV)/.installed-test ## Check the code with ruff and the architecture contracts (import-linter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

$(VENV)/.installed-bench: $(VENV)/.installed-test
	$(PIP) install --quiet -c constraints.txt ".[test,bench]"
	@touch $@

bench: $(VENV)/.installed-bench ## Run the benchmarks and print their figures
	$(PY) benchmarks/run.py

stop: ## Stop the embedded PostgreSQL cleanly
	@if [ -x $(PY) ]; then $(PY) manage.py stop_database; fi

openapi: install ## Regenerate the committed OpenAPI document (api/openapi.json; a test checks it)
	$(PY) manage.py spectacular --format openapi-json --file api/openapi.json --validate

messages: $(VENV)/.installed-test ## Update and compile the English translations
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests --ignore=benchmarks --no-location
	$(PY) manage.py compilemessages --ignore=.venv

clean-db: stop ## Remove the embedded database (all local data!)
	rm -rf var/postgres

.PHONY: help install migrate demo run worker test test-browser lint bench stop messages clean-db
