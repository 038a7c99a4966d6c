"""Text an attacker or a careless paste sends (issue 10): huge enumerations, digit runs, numerals
of absurd length, far-away slashes, endless brackets. Each case must answer (no RecursionError,
OverflowError or ValueError) and answer right.

Every extraction runs in a child interpreter with a generous time limit: a hang then fails its
own test, where a thread could not time it out (a regular-expression scan holds the GIL, and a
quadratic one stalled a whole test run). How fast it goes is measured in bench/, not here.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from number_checks import is_double
from service.extract.numerals import MAX_NUMBER_LENGTH, number_value

ROOT = Path(__file__).resolve().parents[1]
HANG_LIMIT_SECONDS = 120  # far beyond any linear run of these inputs, even on a loaded machine

_CHILD = """
import json, sys
from service.extract import extract
texts = json.load(sys.stdin)
json.dump([extract(text).to_dict() for text in texts], sys.stdout, ensure_ascii=False)
"""


def extract_all_in_child(texts: list[str]) -> list[dict]:
    """`extract(text).to_dict()` of each text, from one fresh interpreter; fails on an error or a hang."""
    try:
        done = subprocess.run([sys.executable, "-c", _CHILD], input=json.dumps(texts), capture_output=True,
                              text=True, encoding="utf-8", cwd=ROOT, timeout=HANG_LIMIT_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"no answer within {HANG_LIMIT_SECONDS} s for {sum(map(len, texts)):,} characters")
    assert done.returncode == 0, f"extraction failed:\n{done.stderr[-2000:]}"
    return json.loads(done.stdout)


def extract_in_child(text: str) -> dict:
    return extract_all_in_child([text])[0]


def assert_spans_exact(text: str, result: dict) -> None:
    for m in result["targets"] + result["results"]:
        assert text[m["span"]["start"]:m["span"]["end"]] == m["raw"]
        for key in ("value", "low", "high"):
            assert m[key] is None or is_double(m[key]), (m["raw"][:40], key, str(m[key])[:40])


@pytest.mark.parametrize("n", [1000, 5000])
def test_an_enumeration_of_thousands_of_counts(n):
    """`新增1所、1所、…`: every count found, none recursing over the list before it; the verb that
    opens the list reaches the counts near it, not the thousandth one."""
    text = "新增" + "、".join(["1所"] * n) + "。"
    result = extract_in_child(text)
    targets = result["targets"]
    assert len(targets) == n
    assert all(t["value"] == 1 and t["unit"] == "所" and t["category"] == "schools" for t in targets)
    assert_spans_exact(text, result)
    assert targets[0]["direction"] == "increase" and targets[1]["direction"] == "increase"
    assert targets[-1]["direction"] is None


def test_an_enumeration_without_a_verb():
    """`1所、1所、…` (13 KB) alone: every count of the plan, at its own offset."""
    text = "、".join(["1所"] * 1000)
    result = extract_in_child(text)
    assert_spans_exact(text, result)
    assert [t["span"]["start"] for t in result["targets"]] == list(range(0, len(text), 3))


def test_an_enumeration_still_shares_its_verb():
    result = extract_in_child("今年新增公办园3所、学位900个。")
    assert [(t["raw"], t["direction"]) for t in result["targets"]] == [("3所", "increase"), ("900个", "increase")]


@pytest.mark.parametrize("digits", [MAX_NUMBER_LENGTH + 1, 309, 5000, 200_000])
def test_a_count_of_more_than_30_digits_is_no_target(digits):
    text = "新建学校" + "1" * digits + "所,新增学位300个。"
    result = extract_in_child(text)
    assert_spans_exact(text, result)
    assert [t["raw"] for t in result["targets"]] == ["300个"]


def test_more_than_30_digits_is_no_target_in_any_unit():
    units = ["所", "个", "人", "万元", "亿元", "%", "平方米"]
    for unit, result in zip(units, extract_all_in_child([f"全年新增{'9' * 31}{unit}。" for unit in units])):
        assert result["targets"] == [] and result["results"] == [], unit


def test_a_count_of_30_digits_is_read_exactly():
    number = "9" * MAX_NUMBER_LENGTH
    result = extract_in_child(f"新建学校{number}所。")
    assert [t["value"] for t in result["targets"]] == [int(number)]


def test_huge_numbers_with_decimals_give_no_error():
    """Past a double's range: whatever is returned, nothing raises and every number is finite."""
    text = "普惠率达到" + "1" * 310 + ".5%，新建" + "2" * 400 + ".25所，投资" + "3" * 350 + "万元。"
    assert_spans_exact(text, extract_in_child(text))


ENDLESS_NUMBERS = [
    "1" * 1_000_000,                    # a megabyte of digits, no unit
    "1" * 1_000_000 + "所",             # ... with a unit
    "1,000" * 20_000 + "个",            # thousands separators without end
    "1.1" * 50_000 + "个",              # points without end
    "一" * 200_000 + "所",              # a Chinese numeral of 200,000 characters
    "一万" * 20_000 + "人",             # magnitudes without end
    "百分之" + "九" * 100_000,           # a percentage of 100,000 characters
    "1.5" + "5" * 100_000 + "%",        # a fraction of 100,000 digits
    "1-" * 50_000 + "所",               # a range of ranges
]


@pytest.mark.parametrize("text", ENDLESS_NUMBERS, ids=range(len(ENDLESS_NUMBERS)))
def test_endless_numbers_are_no_targets(text):
    result = extract_in_child(text)
    for t in result["targets"]:
        assert len(t["raw"]) <= 2 * MAX_NUMBER_LENGTH + 8, t["raw"][:40]
    assert_spans_exact(text, result)


def test_number_value_refuses_before_converting():
    assert number_value("1" * (MAX_NUMBER_LENGTH + 1)) is None
    assert number_value("一" * 5000) is None  # cn2an would raise past int's 4,300 digits
    assert number_value("1,000," * 20 + "000") is None
    assert number_value("1,200") == 1200


def test_a_slash_far_after_a_quantity_is_not_its_period():
    """`2次/学期` is per 学期; a slash a page later is not (and is not searched for to the end)."""
    near, far = extract_all_in_child(["每个班开展主题班会2次/学期。", "开展主题班会2次" + " " * 5000 + "/学期"])
    assert [t["per"] for t in near["targets"]] == ["学期"]
    assert [t["per"] for t in far["targets"]] == [None]


def test_many_quantities_in_one_long_line():
    """A page without a single line break or sentence end, every window still bounded."""
    text = "".join(f"新建{i % 9 + 1}所、培训教师{i % 90 + 10}人、开展活动{i % 5 + 1}次/学期," for i in range(3_000))
    result = extract_in_child(text)
    assert len(result["targets"]) == 9_000
    assert_spans_exact(text, result)
    assert {t["per"] for t in result["targets"][2::3]} == {"学期"}


def test_unbalanced_brackets_quotes_and_markers():
    texts = ["(" * 200_000 + "3所", "“" * 200_000 + "3所", "每" * 200_000 + "3次", "、" * 200_000 + "3所",
             "\n" * 200_000 + "3所", "**" * 100_000 + "3所"]
    for text, result in zip(texts, extract_all_in_child(texts)):
        assert [t["raw"] for t in result["targets"]] == [text[-2:]], text[:3]


def test_an_endless_list_sharing_one_unit():
    """`分别…1、1、…、1所`: a list of more members than any plan writes shares nothing."""
    long, short = extract_all_in_child(["分别新建" + "1、" * 100_000 + "2所。", "分别新建" + "1、" * 5 + "2所。"])
    assert [t["raw"] for t in long["targets"]] == ["2所"]
    assert [t["raw"] for t in short["targets"]] == ["1"] * 5 + ["2所"]


def test_endless_breakdowns_and_years():
    """Every part of a long `其中` breakdown looks back a bounded way; years are no durations."""
    text = "新增学位900个,其中" + "、".join(["A区3个"] * 5_000) + "。" + "年限" + "2025年" * 50_000
    result = extract_in_child(text)
    assert len(result["targets"]) == 5_001
    assert result["targets"][1]["direction"] == "increase"
    assert_spans_exact(text, result)


@pytest.mark.parametrize("text", [
    "4.劳动年龄人口平均受教育年限\n\n11.4年\n\n12.5年以上\n",
    "教育事项办理时限\n压缩到5个工作日以内。\n",
])
def test_a_duration_reads_the_same_under_crlf_and_indentation(text):
    variants = [text, text.replace("\n", "\r\n"), "\n".join("    " + line for line in text.split("\n"))]
    base, *others = extract_all_in_child(variants)
    assert base["targets"]
    for got in others:
        assert ([(t["value"], t["unit"]) for t in got["targets"]]
                == [(t["value"], t["unit"]) for t in base["targets"]])


def test_a_long_line_of_single_spaces_is_read_in_one_pass():
    """`1 2 1 2 …` closing on a digit before a unit line: the test for columns parted by single
    spaces (unwrap) once searched the line from every space, n² on a line of spaces."""
    text = "1 2 " * 50_000 + "3\n个，新增学位。\n"
    result = extract_in_child(text)
    assert_spans_exact(text, result)


def test_a_single_space_table_row_of_many_parts_is_joined_in_one_pass():
    """A row of a single-space table with thousands of parts more than its columns (`甲 3 甲 3 …`):
    its parts are joined back in one pass, not by deleting inside the list."""
    text = "序号 任务 目标 责任单位\n1 任务 " + "甲 3 所 " * 60_000 + "计财科\n"
    result = extract_in_child(text)
    assert_spans_exact(text, result)
    assert [d["items"][0]["number"] for d in result["documents"] if d["items"]] == [1]
