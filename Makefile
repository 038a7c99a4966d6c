# Two commands do all set-up on a fresh machine: `make run` serves the API, `make test` runs the
# test suite. Both create .venv when it is missing and reinstall only when pyproject.toml or the
# lock changed. Dependencies come from requirements-test.lock (pinned, with hashes); `make lock`
# rewrites it and requirements.lock after a change to pyproject.toml's dependencies.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
INSTALLED := $(VENV)/.installed
SERVE_ARGS ?=
# Built at install, never committed: the chart library the dashboard serves (npm registry,
# pinned by package-lock.json) and the compiled translations of the web pages.
VENDOR_JS := service/web/static/vendor/chart.umd.min.js
CATALOGS := $(patsubst %.po,%.mo,$(wildcard service/web/translations/*/LC_MESSAGES/messages.po))
ASSETS := $(VENDOR_JS) $(CATALOGS)

.PHONY: run dev test bench lock clean-venv assets messages

run: $(INSTALLED) $(ASSETS)
	$(VENV)/bin/plan-targets serve $(SERVE_ARGS)

dev: $(INSTALLED) $(ASSETS)
	$(VENV)/bin/plan-targets serve --dev $(SERVE_ARGS)

test: $(INSTALLED) $(ASSETS)
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-libreoffice.sh
	bash scripts/ensure-postgres.sh
	$(VENV)/bin/python -m pytest -q

bench: $(INSTALLED) $(ASSETS)
	$(VENV)/bin/python bench/bench_service.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# The stamp is newer than pyproject.toml and the lock once their dependencies are installed.
# Every dependency comes from the lock, checked against its hashes; the package itself is
# installed without dependencies, and `pip check` fails when pyproject.toml names one the lock
# lacks (run `make lock`).
$(INSTALLED): pyproject.toml requirements-test.lock | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements-test.lock
	$(VENV)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(VENV)/bin/python -m pip check
	touch $@

lock:
	bash scripts/lock.sh

assets: $(ASSETS)

$(VENDOR_JS): package.json package-lock.json
	bash scripts/vendor-js.sh
	touch $@

%.mo: %.po | $(INSTALLED)
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

# Refresh the catalogs from the templates and code after changing a message (then translate
# the new entries in the .po files).
messages: $(INSTALLED)
	$(VENV)/bin/pybabel extract -F babel.cfg -k lazy_gettext -o service/web/translations/messages.pot service/web
	$(VENV)/bin/pybabel update -i service/web/translations/messages.pot -d service/web/translations --no-fuzzy-matching

clean-venv:
	rm -rf $(VENV)
