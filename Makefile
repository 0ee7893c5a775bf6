# Two commands for a fresh machine with Python 3.11+, git, make and npm:
#   make run    set everything up, load demo data, serve http://127.0.0.1:8000
#   make test   set everything up, run the whole suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
SECRET_FILE := var/secret_key

.PHONY: run totp test setup lint format messages makemessages clean bench load

setup: $(VENV)/.installed node_modules/.installed $(SECRET_FILE) messages

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(SECRET_FILE):
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# Compiled catalogues are build output, made from the committed .po files.
messages: $(VENV)/.installed
	DJANGO_SECRET_KEY=build $(PY) manage.py compilemessages --verbosity 0 --ignore=.venv --ignore=node_modules

makemessages: $(VENV)/.installed
	DJANGO_SECRET_KEY=build $(PY) manage.py makemessages --locale ru --locale kk --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var --ignore=docs --ignore=tests

run: setup
	@export DJANGO_DEBUG=true DJANGO_SECRET_KEY="$$(cat $(SECRET_FILE))"; \
	$(PY) manage.py migrate --no-input && \
	$(PY) manage.py seed_demo && \
	$(PY) manage.py runserver 127.0.0.1:8000

# The current two-factor code of a demo staff account, e.g. make totp EMAIL=marat.iskakov@nbk-sandbox.example
totp: $(VENV)/.installed $(SECRET_FILE)
	@test -n "$(EMAIL)" || { echo "Usage: make totp EMAIL=<a staff email printed by make run>"; exit 2; }
	@DJANGO_SECRET_KEY="$$(cat $(SECRET_FILE))" $(PY) manage.py demo_totp "$(EMAIL)"

test: setup
	$(PY) -m pytest --cov --cov-report=term $(PYTEST_ARGS)

# Memory and throughput of a 100 MB upload through a real gunicorn, then the staff pages and the
# exports against their raw-SQL floors on 10,000 generated applications (PostgreSQL and Redis on
# 127.0.0.1: BENCH_DATABASE_URL, BENCH_REDIS_URL); writes docs/benchmarks.json and .md.
bench: setup
	$(PY) bench/upload_memory.py; status=$$?; $(PY) bench/run_pages.py || status=1; exit $$status

# 50 users for 3 minutes against gunicorn with PostgreSQL and Redis (same data set as make bench).
load: setup
	$(PY) bench/load.py --users 50 --minutes 3

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SECRET_KEY=build $(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .coverage
