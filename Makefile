# Two commands for a newcomer: `make run` (the product with demo data) and `make test` (the tests).
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded default: SQLite, in-memory channel layer, local-memory cache, eager Celery, console e-mail.
RUN_ENV := DEBUG=1

.PHONY: install run run-scaled test lint lock migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# requirements-dev.lock: the runtime set (requirements.lock, what production installs) plus tests and
# tooling, both locked with hashes from pyproject.toml (`make lock` regenerates them).
$(VENV)/.installed: requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# Translation catalogues are compiled in Python (polib): no GNU gettext needed.
install: $(VENV)/.installed
	$(RUN_ENV) $(BIN)/python manage.py compile_catalogues

migrate: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput

demo: migrate
	$(RUN_ENV) $(BIN)/python manage.py seed_demo

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/docs/)"
	$(RUN_ENV) $(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

test: install
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

lock: install
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --no-annotate \
		--custom-compile-command "make lock" -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --group dev --python-version 3.11 --generate-hashes --no-annotate \
		--custom-compile-command "make lock" -o requirements-dev.lock

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

# Scale-out on one machine (needs PostgreSQL and Redis running): two daphne, a Celery worker and beat.
run-scaled: install
	bin/run-scaled
