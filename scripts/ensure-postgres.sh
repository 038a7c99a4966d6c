#!/usr/bin/env bash
# The store tests run against a real PostgreSQL on 127.0.0.1:5432 (database `test`). On this
# machine kind one is installed and normally running; start it when it is installed but stopped.
# Where none is installed the store's PostgreSQL cases say so (and fail under CI=true).
set -uo pipefail

if command -v pg_isready >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -p 5432 -q; then
    exit 0
fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    for version in $(ls /etc/postgresql); do
        echo "ensure-postgres: starting PostgreSQL $version" >&2
        pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
    for _ in $(seq 1 20); do
        pg_isready -h 127.0.0.1 -p 5432 -q && exit 0
        sleep 0.5
    done
fi
echo "ensure-postgres: no PostgreSQL answers on 127.0.0.1:5432" >&2
exit 0
