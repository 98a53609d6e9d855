# Rounds: `make run` to try it, `make test` to check it. Prerequisites: Python 3.11+, Node 20+.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ROUNDS := $(BIN)/rounds
HOST ?= 127.0.0.1
PORT ?= 5000
PWA_SOURCES := $(shell find pwa/src pwa/public pwa/index.html pwa/vite.config.* pwa/package.json -type f 2>/dev/null)

.PHONY: run install pwa test test-python test-sqlite test-postgres test-deploy test-pwa lint bench \
	bench-load bench-board clean

run: install pwa
	$(ROUNDS) db upgrade
	$(ROUNDS) demo-data --if-empty --visits
	$(ROUNDS) serve --host $(HOST) --port $(PORT)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Rounds needs Python 3.11 or newer")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# The PWA is built only when pwa/ has a project; Flask serves pwa/dist.
pwa: $(if $(wildcard pwa/package.json),pwa/dist/index.html)

# `npm install` honours the lock file; `npm ci` would refuse it, because npm on one platform
# records only that platform's optional native packages (rollup's), which npm 11's ci demands.
pwa/node_modules/.installed: pwa/package.json $(wildcard pwa/package-lock.json)
	cd pwa && npm install --no-audit --no-fund
	touch $@

pwa/dist/index.html: pwa/node_modules/.installed $(PWA_SOURCES)
	cd pwa && npm run build
	touch $@

test: install pwa lint test-pwa test-sqlite test-postgres test-deploy

lint: install pwa/node_modules/.installed
	$(BIN)/ruff check server tests bench migrations deploy
	$(BIN)/ruff format --check server tests bench migrations deploy
	cd pwa && npm run lint

test-pwa: $(if $(wildcard pwa/package.json),pwa/node_modules/.installed)
	$(if $(wildcard pwa/package.json),cd pwa && npm test)

# Server tests run in TEST_WORKERS processes (pytest-xdist), each with its own databases; the
# browser tests share one demo server per process and run in one, in file order.
TEST_WORKERS ?= 2

# Under CI the browser tests must run: install Chromium, WebKit and Firefox when missing.
test-sqlite: install pwa
	@if [ -n "$$CI" ]; then bash tests/ensure-browser.sh && bash tests/ensure-engines.sh; fi
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not e2e and not deploy"
	$(BIN)/pytest -m "e2e and not deploy"

# A throwaway PostgreSQL cluster made by the test harness (tests/pgcluster.py), one per process.
test-postgres: install
	ROUNDS_TEST_DB=postgresql $(BIN)/pytest -n $(TEST_WORKERS) -m "not e2e and not deploy"

# The production recipe on loopback: PostgreSQL, gunicorn, scheduler, nginx (docs/deploy.md).
test-deploy: install
	@if [ -n "$$CI" ]; then bash deploy/ensure-test-tools.sh; fi
	$(BIN)/pytest -m deploy

bench: install pwa
	$(BIN)/python -m bench

# 200 phones against gunicorn + PostgreSQL on loopback, about 5 minutes (docs/benchmarks.md).
bench-load: install
	$(BIN)/python -m bench.load_sync

# How soon a synced visit shows on the board, 100,000 residents on PostgreSQL, about 20 minutes.
bench-board: install
	$(BIN)/python -m bench.board_lag

clean:
	rm -rf $(VENV) pwa/node_modules pwa/dist .pytest_cache
