# Two commands do all set-up on a fresh machine: `make run` serves the API, `make test` runs the
# test suite. Both create .venv when it is missing and reinstall only when pyproject.toml or the
# lock changed. Dependencies come from requirements-test.lock (pinned, with hashes); `make lock`
# rewrites it and requirements.lock after a change to pyproject.toml's dependencies.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
INSTALLED := $(VENV)/.installed
SERVE_ARGS ?=

.PHONY: run dev test bench lock clean-venv

run: $(INSTALLED)
	$(VENV)/bin/plan-targets serve $(SERVE_ARGS)

dev: $(INSTALLED)
	$(VENV)/bin/plan-targets serve --dev $(SERVE_ARGS)

test: $(INSTALLED)
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-libreoffice.sh
	bash scripts/ensure-postgres.sh
	$(VENV)/bin/python -m pytest -q

bench: $(INSTALLED)
	$(VENV)/bin/python bench/bench_service.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# The stamp is newer than pyproject.toml and the lock once their dependencies are installed.
# Every dependency comes from the lock, checked against its hashes; the package itself is
# installed without dependencies, and `pip check` fails when pyproject.toml names one the lock
# lacks (run `make lock`).
$(INSTALLED): pyproject.toml requirements-test.lock | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install --quiet --require-hashes -r requirements-test.lock
	$(VENV)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(VENV)/bin/python -m pip check
	touch $@

lock:
	bash scripts/lock.sh

clean-venv:
	rm -rf $(VENV)
