# Two commands for a newcomer: `make run` (the product with demo data) and `make test` (the tests).
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded default: SQLite, in-memory channel layer, local-memory cache, eager Celery, console e-mail.
RUN_ENV := DEBUG=1

.PHONY: install run run-scaled test lint lock migrate demo clean mutation

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

# Mutation testing of ONE module against its app's tests, e.g. `make mutation MODULE=scheduling/availability.py`.
# mutmut runs on a copy of the tree (MUTATION_DIR), so the worktree gets no mutants/ directory; the copy's
# pyproject.toml gains the module and the test selection under [tool.mutmut]. SQLite only.
MUTATION_DIR ?= $(or $(TMPDIR),/tmp)/mutation-$(notdir $(CURDIR))
mutation: install
	@test -n "$(MODULE)" || { echo "usage: make mutation MODULE=app/module.py"; exit 2; }
	@test -f "$(MODULE)" || { echo "$(MODULE): no such file"; exit 2; }
	rm -rf $(MUTATION_DIR) && mkdir -p $(MUTATION_DIR)
	rsync -a --exclude .venv --exclude .git --exclude mutants --exclude '*.sqlite3' ./ $(MUTATION_DIR)/
	sed -i '/^\[tool.mutmut\]/a only_mutate = ["$(MODULE)"]\npytest_add_cli_args_test_selection = ["tests/$(firstword $(subst /, ,$(MODULE)))"]' \
		$(MUTATION_DIR)/pyproject.toml
	cd $(MUTATION_DIR) && $(abspath $(BIN))/mutmut run --max-children $(or $(JOBS),2) \
		&& $(abspath $(BIN))/mutmut export-cicd-stats && cat mutants/mutmut-cicd-stats.json && echo \
		&& echo "survivors: cd $(MUTATION_DIR) && $(abspath $(BIN))/mutmut results; mutmut show <name>"

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

# Scale-out on one machine (needs PostgreSQL and Redis running): gunicorn for HTTP, daphne for WebSockets,
# a Celery worker and beat (docs/deploy.md).
run-scaled: install
	bin/run-scaled
