"""Text an attacker or a careless paste sends (issue 10), read by `extract` in a child process.

These assert behaviour only. Each extraction runs in its own interpreter with a generous time
limit, so a hang or a blown recursion limit becomes a failure of that one test instead of a stuck
test run; how fast it goes is measured in bench/, not here.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from number_checks import is_double

ROOT = Path(__file__).resolve().parents[1]
HANG_LIMIT_SECONDS = 60

_CHILD = """
import json, sys
from service.extract import extract
text = sys.stdin.read()
json.dump(extract(text).to_dict(), sys.stdout, ensure_ascii=False)
"""


def extract_in_child(text: str) -> dict:
    """`extract(text).to_dict()` from a fresh interpreter; fails on an error or a hang."""
    try:
        done = subprocess.run([sys.executable, "-c", _CHILD], input=text, capture_output=True,
                              text=True, encoding="utf-8", cwd=ROOT, timeout=HANG_LIMIT_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"no answer within {HANG_LIMIT_SECONDS} s for {len(text)} characters")
    assert done.returncode == 0, f"extraction failed:\n{done.stderr[-2000:]}"
    return json.loads(done.stdout)


def assert_spans_exact(text: str, result: dict) -> None:
    for m in result["targets"] + result["results"]:
        assert text[m["span"]["start"]:m["span"]["end"]] == m["raw"]
        for key in ("value", "low", "high"):
            assert m[key] is None or is_double(m[key]), (m["raw"][:40], key, str(m[key])[:40])


def test_enumeration_of_a_thousand_counts():
    """`1所、1所、…` (13 KB): every count is a school count of the plan, read without recursion."""
    text = "、".join(["1所"] * 1000)
    result = extract_in_child(text)
    assert_spans_exact(text, result)
    assert len(result["targets"]) == 1000
    assert {t["raw"] for t in result["targets"]} == {"1所"}
    assert all(t["value"] == 1 and t["unit"] == "所" and t["category"] == "schools" for t in result["targets"])
    assert [t["span"]["start"] for t in result["targets"]] == list(range(0, len(text), 3))


def test_enumeration_of_a_thousand_counts_in_a_plan_sentence():
    """The same list after a verb, as a plan would write it, ending its sentence."""
    text = "新建学校" + "、".join(["2所"] * 1000) + "。"
    result = extract_in_child(text)
    assert_spans_exact(text, result)
    assert len(result["targets"]) == 1000
    assert all(t["value"] == 2 and t["unit"] == "所" for t in result["targets"])


def test_count_of_309_digits_is_no_target():
    text = "新建学校" + "1" * 309 + "所。"
    result = extract_in_child(text)
    assert result["targets"] == [] and result["results"] == []


@pytest.mark.parametrize("unit", ["所", "个", "人", "万元", "亿元", "%", "平方米"])
def test_count_of_more_than_30_digits_is_no_target(unit):
    text = "全年新增" + "9" * 31 + unit + "。"
    result = extract_in_child(text)
    assert result["targets"] == [] and result["results"] == []


def test_huge_numbers_with_decimals_give_no_error():
    """Past a double's range: whatever is returned, nothing raises and every number is finite."""
    text = "普惠率达到" + "1" * 310 + ".5%，新建" + "2" * 400 + ".25所，投资" + "3" * 350 + "万元。"
    result = extract_in_child(text)
    assert_spans_exact(text, result)


def test_digit_run_of_200_kb_gives_no_error_and_no_target():
    text = "1" * 200_000
    result = extract_in_child(text)
    assert result["targets"] == [] and result["results"] == []


def test_digit_run_of_200_kb_inside_a_plan_sentence():
    text = "新增学位" + "7" * 200_000 + "个，新建学校3所。"
    result = extract_in_child(text)
    assert_spans_exact(text, result)
    assert [t["raw"] for t in result["targets"]] == ["3所"]
