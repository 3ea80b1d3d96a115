# Two commands for a newcomer: `make run` (the product with demo data) and `make test` (the tests).
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded default: SQLite, in-memory channel layer, local-memory cache, eager Celery, console e-mail.
RUN_ENV := DEBUG=1

.PHONY: install run run-scaled test lint migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
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

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

# Scale-out on one machine (needs PostgreSQL and Redis running): two daphne, a Celery worker and beat.
run-scaled: install
	bin/run-scaled
