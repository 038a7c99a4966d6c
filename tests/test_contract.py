"""The contract and the server agree: schemathesis fuzzes every operation of openapi.yaml
(examples, boundary cases, random valid and invalid requests, and stateful sequences through
the contract's links) against a real gunicorn, with every check on, on SQLite and on
PostgreSQL. Seed and number of examples are fixed in schemathesis.toml, so a run is
repeatable and bounded (about a minute per database on two cores)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from service.api.server import running_server
from store_support import empty_database_url

REPO = Path(__file__).resolve().parents[1]
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_schemathesis_finds_no_failure(backend, tmp_path, request):
    database_url = empty_database_url(backend, tmp_path, request)
    with running_server(tmp_path, env={"DATABASE_URL": database_url, "PLAN_TARGETS_API_KEYS": "",
                                       "PLAN_TARGETS_DATA_DIR": str(tmp_path / "data")}) as served:
        base_url = served.url
        run = subprocess.run(
            [str(SCHEMATHESIS), "--no-color", "--config-file", str(REPO / "schemathesis.toml"),
             "run", f"{base_url}/openapi.yaml", "--url", base_url, "--checks", "all"],
            cwd=tmp_path, capture_output=True, text=True, timeout=900,
            env={**os.environ, "SCHEMATHESIS_HOOKS": ""})
    report = run.stdout + run.stderr
    assert run.returncode == 0, report[-20000:]
    assert "passed" in report and "failure" not in report.split("SUMMARY")[-1], report[-5000:]
    server_log = (tmp_path / "server.log").read_text(errors="replace")
    assert "Traceback" not in server_log, server_log[-5000:]
