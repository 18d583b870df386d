# Trauma Champions Network: `make run` serves the portal with demo data, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: run test setup assets db lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs pinned Python packages; re-runs only when the lock or project file changes.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/sgds/.copied: node_modules/.installed scripts/copy_assets.sh
	bash scripts/copy_assets.sh
	touch $@

setup: $(VENV)/.installed static/sgds/.copied

assets: static/sgds/.copied

db: setup
	$(FLASK) db upgrade
	$(FLASK) seed-demo

run: db
	$(FLASK) run --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check champions tests

clean:
	rm -rf $(VENV) node_modules static/sgds
