# Two commands do all set-up on a fresh machine: `make run` serves the API, `make test` runs the
# test suite. Both create .venv when it is missing and reinstall only when pyproject.toml changed.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
INSTALLED := $(VENV)/.installed
SERVE_ARGS ?=

.PHONY: run dev test bench clean-venv

run: $(INSTALLED)
	$(VENV)/bin/plan-targets serve $(SERVE_ARGS)

dev: $(INSTALLED)
	$(VENV)/bin/plan-targets serve --dev $(SERVE_ARGS)

test: $(INSTALLED)
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-postgres.sh
	$(VENV)/bin/python -m pytest -q

bench: $(INSTALLED)
	$(VENV)/bin/python bench/bench_service.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# The stamp is newer than pyproject.toml once its dependencies are installed.
$(INSTALLED): pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $@

clean-venv:
	rm -rf $(VENV)
