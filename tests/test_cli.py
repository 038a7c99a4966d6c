"""`plan-targets extract`: its JSON is the engine's `to_dict()`, results beside targets."""
from __future__ import annotations

import json
import subprocess
import sys

from api_helpers import REPO, REVIEW_AND_PLAN
from service.extract import extract

CLI = [sys.executable, "-m", "service.cli"]


def test_cli_json_carries_results_and_baselines_beside_targets(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(REVIEW_AND_PLAN, encoding="utf-8")
    run = subprocess.run(CLI + ["extract", str(plan)], capture_output=True, text=True, cwd=REPO,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    printed = json.loads(run.stdout)
    expected = extract(REVIEW_AND_PLAN).to_dict()
    assert printed == expected
    assert list(printed) == ["documents", "targets", "results", "warnings"]
    for target in printed["targets"]:
        assert "baseline" in target and "as_of" not in target
    for result in printed["results"]:
        assert "as_of" in result and "target" in result and "deadline" not in result
    # the review's figures came out as results, the plan's as targets (spec/targets.md §5)
    plan_starts = REVIEW_AND_PLAN.index("二、")
    assert printed["results"] and printed["targets"]
    assert all(r["span"]["end"] <= plan_starts for r in printed["results"])
    assert all(t["span"]["start"] >= plan_starts for t in printed["targets"])
    assert any(t["baseline"] for t in printed["targets"])



def test_extract_imports_no_web_framework_and_no_database_layer(tmp_path):
    """`plan-targets extract` loads only what extraction needs: Flask, marshmallow, SQLAlchemy
    and gunicorn are for `serve` and `ingest` (their import once made a 4 KB file take 0.9 s), the
    warm LibreOffice's client for office files."""
    plan = tmp_path / "plan.txt"
    plan.write_text("某区教育局2024年工作要点\n1. 新建学校3所，新增学位1200个。\n", encoding="utf-8")
    probe = ("import sys, service.cli\n"
             f"status = service.cli.main(['extract', {str(plan)!r}])\n"
             "heavy = sorted(m for m in ('flask', 'werkzeug', 'marshmallow', 'sqlalchemy', "
             "'alembic', 'gunicorn', 'psycopg', 'urllib.request', 'xmlrpc.client', "
             "'service.sources.office.warm') if m in sys.modules)\n"
             "print('HEAVY', heavy, status, file=sys.stderr)\n")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "HEAVY [] 0" in run.stderr, run.stderr
    assert json.loads(run.stdout)["targets"]
