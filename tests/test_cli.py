"""`plan-targets extract`: its JSON is the engine's `to_dict()`, results beside targets."""
from __future__ import annotations

import json
import subprocess
import sys

from api_helpers import REPO
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


# A plan that opens with last year's review (written for this test).
REVIEW_AND_PLAN = (
    "某区教育局2025年工作要点\n"
    "一、2024年工作回顾\n"
    "截至2024年底，全区已新建学校3所，新增学位2700个。\n"
    "二、2025年工作安排\n"
    "1. 扩充学位供给。计划新建学校5所，新增学位4500个，学前教育普惠率由85%提高到90%。\n"
)
