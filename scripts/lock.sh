#!/usr/bin/env bash
# `make lock`: pin every dependency of pyproject.toml, with the sha256 of every file PyPI has for
# each pinned release, into
#   requirements-test.lock  the package's dependencies, its `test` extra and its build backend
#                           (what `make test` installs, with pip --require-hashes)
#   requirements.lock       the same pins, runtime dependencies and build backend only (Docker)
# Pins already in a lock are kept (only what pyproject.toml no longer allows, or a new
# dependency, is resolved afresh), so a rerun after adding a dependency changes little.
# `make lock UPGRADE=1` moves every pin to the newest release. On a rebase conflict in a lock,
# never merge it by hand: take main's (`git checkout main -- requirements*.lock`) and rerun.
# pip-compile runs from its own venv (.venv-lock) against PyPI alone, so the hashes are PyPI's.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-$(command -v python3.11 || command -v python3)}
tools=.venv-lock
if [ ! -x "$tools/bin/pip-compile" ]; then
    "$python" -m venv "$tools"
    "$tools/bin/python" -m pip install --quiet 'pip-tools>=7.4,<8'
fi

for lock in requirements-test.lock requirements.lock; do
    if [ -f "$lock" ] && grep -q '^<<<<<<<' "$lock"; then
        echo "lock: $lock has conflict markers; take main's copy and rerun" >&2
        exit 1
    fi
done

compile=(env PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock" "$tools/bin/pip-compile" --quiet --generate-hashes
         --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
         --index-url https://pypi.org/simple)
if [ -n "${UPGRADE:-}" ]; then
    compile+=(--upgrade)
fi

"${compile[@]}" --extra test --build-deps-for editable --output-file requirements-test.lock pyproject.toml
# The runtime lock starts from the test lock's pins, so both name the same versions.
cp requirements-test.lock requirements.lock
"${compile[@]}" --build-deps-for wheel --output-file requirements.lock pyproject.toml
echo "lock: wrote requirements-test.lock and requirements.lock" >&2
