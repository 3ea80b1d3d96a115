# Two commands for a newcomer: `make run` (the product with demo data) and `make test` (the tests).
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded default: SQLite, in-memory channel layer, local-memory cache, eager Celery, console e-mail.
RUN_ENV := DEBUG=1

.PHONY: install run run-scaled test lint lock migrate demo clean mutation mutation-rerun

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

# Mutation testing of one module, several, or a package against its app's tests, e.g.
# `make mutation MODULE=scheduling/availability.py`, `make mutation MODULE=chat/services/` or
# `make mutation MODULE="accounts/permissions.py accounts/services.py" TESTS="tests/accounts tests/api"`.
# A directory stands for every module in it. TESTS defaults to tests/<first path segment of the first MODULE>;
# name test files to run fewer (a mutant counts as killed by any test). mutmut runs on a copy of the tree
# (MUTATION_DIR, one per module set), so the worktree gets no mutants/ directory; the copy's pyproject.toml
# gains the modules and the test selection under [tool.mutmut], and its copies of the modules have their
# decorated functions rewritten (bin/mutation-undecorate) because mutmut 3 skips decorated functions, which
# would leave every @transaction.atomic service unmutated. SQLite only.
# `make mutation-rerun MODULE=... [MUTANTS="name ..."]` copies the current tests into that copy and runs
# again the named mutants (mutmut's names, `*` allowed), by default every survivor and timeout (it copies the
# tests only: after a change to application code, run `make mutation` again); mutmut
# finds the new tests and records what they cover first; TESTS="..." replaces the run's test selection (a new
# test file). Mutants it does not rerun may read "not checked" afterwards: rerun them too (MUTANTS="mod*")
# before scoring. `bin/mutation-report` scores a run.
MUTATION_GLOBS = $(foreach m,$(MODULE),$(if $(filter %.py,$(m)),$(m),$(patsubst %/,%,$(m))/*))
MUTATION_TESTS = $(or $(TESTS),tests/$(firstword $(subst /, ,$(firstword $(MODULE)))))
MUTATION_SLUG = $(subst /,-,$(subst .py,,$(patsubst %/,%,$(firstword $(MODULE)))))
MUTATION_DIR ?= $(or $(TMPDIR),/tmp)/mutation-$(notdir $(CURDIR))-$(MUTATION_SLUG)
MUTMUT = $(abspath $(BIN))/mutmut
comma := ,
mutation: install
	@test -n "$(MODULE)" || { echo "usage: make mutation MODULE='app/module.py [app/package/ ...]' [TESTS='tests/app ...']"; exit 2; }
	@for m in $(MODULE); do test -e "$$m" || { echo "$$m: no such file or directory"; exit 2; }; done
	rm -rf $(MUTATION_DIR) && mkdir -p $(MUTATION_DIR)
	rsync -a --exclude .venv --exclude .git --exclude mutants --exclude '*.sqlite3' ./ $(MUTATION_DIR)/
	sed -i '/^\[tool.mutmut\]/a only_mutate = [$(subst $() ,$(comma) ,$(foreach g,$(MUTATION_GLOBS),"$(g)"))]\npytest_add_cli_args_test_selection = [$(subst $() ,$(comma) ,$(foreach t,$(MUTATION_TESTS),"$(t)"))]' \
		$(MUTATION_DIR)/pyproject.toml
	cd $(MUTATION_DIR) && $(abspath $(BIN))/python bin/mutation-undecorate $(MODULE)
	cd $(MUTATION_DIR) && MUTATION_RUN=1 $(MUTMUT) run --max-children $(or $(JOBS),2) \
		&& $(MUTMUT) export-cicd-stats && cat mutants/mutmut-cicd-stats.json && echo \
		&& echo "survivors: cd $(MUTATION_DIR) && $(MUTMUT) results; mutmut show <name>"

mutation-rerun: install
	@test -d "$(MUTATION_DIR)/mutants" || { echo "no earlier run in $(MUTATION_DIR): make mutation MODULE=... first"; exit 2; }
	rsync -a --delete tests/ $(MUTATION_DIR)/tests/
	rsync -a --delete tests/ $(MUTATION_DIR)/mutants/tests/
	@# TESTS given again (e.g. with a new test file) replaces the run's test selection
	$(if $(TESTS),sed -i 's|^pytest_add_cli_args_test_selection = .*|pytest_add_cli_args_test_selection = [$(subst $() ,$(comma) ,$(foreach t,$(TESTS),"$(t)"))]|' \
		$(MUTATION_DIR)/pyproject.toml $(MUTATION_DIR)/mutants/pyproject.toml)
	cd $(MUTATION_DIR) && names="$(MUTANTS)" && if [ -z "$$names" ]; then \
		names=$$($(MUTMUT) results | awk -F': ' '/: (survived|timeout)$$/ {print $$1}' | tr -d ' ' | tr '\n' ' '); fi \
		&& MUTATION_RUN=1 $(MUTMUT) run --max-children $(or $(JOBS),2) $$names \
		&& $(MUTMUT) export-cicd-stats && cat mutants/mutmut-cicd-stats.json && echo

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

# Scale-out on one machine (needs PostgreSQL and Redis running): gunicorn for HTTP, daphne for WebSockets,
# a Celery worker and beat (docs/deploy.md).
run-scaled: install
	bin/run-scaled
