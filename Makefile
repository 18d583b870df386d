# Trauma Champions Network: `make run` serves the portal with demo data, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=
# A local copy runs in development mode; production is the default when APP_ENV is unset.
export APP_ENV ?= development

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

# The flask command reads .flaskenv, so `flask --app wsgi ...` runs in development mode in a checkout.
# gunicorn never reads it: a server without APP_ENV=development runs, and checks, as production.
.flaskenv:
	echo "APP_ENV=development" > $@

setup: $(VENV)/.installed static/sgds/.copied .flaskenv

assets: static/sgds/.copied

db: setup
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty

# Serves the portal, and delivers the outbox every 10 seconds as cron would in production
# (with no MAIL_SERVER set, each message is printed in this terminal, decoded).
# gunicorn, as in production, but reloading on code changes: each worker serves at most RUN_THREADS
# requests at once, within its connection pool (5 + 10 overflow), where `flask run` started a thread
# per request and ran the pool dry. Email links use this address unless BASE_URL is set.
# OIDC_DEMO=1 also starts the tests' OpenID Connect provider on OIDC_DEMO_PORT as a demo work-account
# sign-in, with demo accounts (scripts/oidc_demo.sh prints them); without it nothing changes.
RUN_WORKERS ?= 2
OIDC_DEMO_PORT ?= 5055
RUN_THREADS ?= 4
# REPLY_DOMAIN=reply.localhost also takes replies by email on this port (README "Reply by email").
REPLY_PORT ?= 8025
run: export BASE_URL ?= http://$(HOST):$(PORT)
run: db
	@pids=""; \
	if [ "$(OIDC_DEMO)" = "1" ]; then \
		demo="$$(bash scripts/oidc_demo.sh "$$BASE_URL" $(OIDC_DEMO_PORT))" || exit 1; \
		eval "$$demo"; pids="$$OIDC_DEMO_PID"; \
	fi; \
	( while sleep 10; do $(FLASK) send-mail --quiet || true; done ) & pids="$$pids $$!"; \
	if [ -n "$$REPLY_DOMAIN" ]; then $(FLASK) receive-mail --host $(HOST) --port $(REPLY_PORT) & pids="$$pids $$!"; fi; \
	trap 'kill $$pids 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers $(RUN_WORKERS) --threads $(RUN_THREADS) --reload \
		--no-control-socket --access-logfile - wsgi:app

# The whole suite on SQLite (with the browser tests) and, when TEST_DATABASE_URL is set, on PostgreSQL
# at the same time: the two runs share nothing but the machine, and side by side they take the time of
# the longer one (CI's 30 minutes). The PostgreSQL run's output is printed after the SQLite run's.
# Under CI=true, PostgreSQL is required, not optional.
test: setup
	@if [ "$$CI" = "true" ] && [ -z "$$TEST_DATABASE_URL" ]; then \
		echo "CI=true needs TEST_DATABASE_URL: the PostgreSQL suite must run (see .ci/run)"; exit 1; fi
	@if [ -z "$$TEST_DATABASE_URL" ]; then exec $(BIN)/python -m pytest $(PYTEST_ARGS); fi; \
	log="$$(mktemp)"; \
	echo "Running the suite on SQLite (shown below) and on PostgreSQL (shown after it) at the same time"; \
	$(BIN)/python -m pytest --ignore=tests/browser $(PYTEST_ARGS) >"$$log" 2>&1 & pg=$$!; \
	trap 'kill $$pg 2>/dev/null' INT TERM; \
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS); sqlite=$$?; \
	wait $$pg; postgres=$$?; \
	echo; echo "=== The suite on PostgreSQL ==="; cat "$$log"; rm -f "$$log"; \
	echo "SQLite suite exit status: $$sqlite; PostgreSQL suite exit status: $$postgres"; \
	[ $$sqlite -eq 0 ] && [ $$postgres -eq 0 ]

# Throughput, latency, CPU per request and SQL per page, as ratios to a minimal "ceiling" app.
# BENCH_SIZE=demo|medium|large, BENCH_DURATION=seconds per page. Results go to bench/results/.
bench: setup
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(BIN)/python -m bench.run

# The same checks CI runs before the tests: ruff's lint rules, and formatting (`ruff format` fixes it).
LINTED := champions tests bench scripts wsgi.py migrations/env.py
lint: setup
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

clean:
	rm -rf $(VENV) node_modules static/sgds
