"""The engine on what the open internet sends: huge enumerations, digit runs, numerals of absurd
length, far-away slashes. Each case must answer (no RecursionError, OverflowError or ValueError)
and answer right; a generous time limit only turns a hang into a failure (speed itself is
measured in bench/bench_extract.py, not asserted here)."""
from __future__ import annotations

import threading

import pytest

from service.extract import extract
from service.extract.numerals import MAX_NUMBER_LENGTH, number_value

HANG = 120  # seconds: far beyond any linear run of these inputs, even on a loaded machine


def extract_or_hang(text: str) -> dict:
    """`extract(text).to_dict()`, failing the test when it does not return within HANG seconds."""
    box: dict = {}

    def run():
        try:
            box["result"] = extract(text).to_dict()
        except BaseException as exc:  # noqa: BLE001 - reported below
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG)
    assert not worker.is_alive(), f"extract did not return within {HANG} s on {len(text):,} characters"
    if "error" in box:
        raise box["error"]
    return box["result"]


def _spans_exact(text: str, result: dict) -> None:
    for t in result["targets"]:
        assert text[t["span"]["start"]:t["span"]["end"]] == t["raw"]


@pytest.mark.parametrize("n", [1000, 5000])
def test_an_enumeration_of_thousands_of_counts(n):
    """`1所、1所、…`: every count found, none recursing over the list before it."""
    text = "新增" + "、".join(["1所"] * n) + "。"
    result = extract_or_hang(text)
    targets = result["targets"]
    assert len(targets) == n
    assert all(t["value"] == 1 and t["unit"] == "所" for t in targets)
    _spans_exact(text, result)
    # The verb that opens the list reaches the counts near it, not the thousandth one.
    assert targets[0]["direction"] == "increase" and targets[1]["direction"] == "increase"
    assert targets[-1]["direction"] is None


def test_an_enumeration_still_shares_its_verb():
    result = extract_or_hang("今年新增公办园3所、学位900个。")
    assert [(t["raw"], t["direction"]) for t in result["targets"]] == [("3所", "increase"), ("900个", "increase")]


@pytest.mark.parametrize("digits", [MAX_NUMBER_LENGTH + 1, 309, 5000, 200_000])
def test_a_count_of_more_than_30_digits_is_no_target(digits):
    text = "新建学校" + "1" * digits + "所,新增学位300个。"
    result = extract_or_hang(text)
    assert [t["raw"] for t in result["targets"]] == ["300个"]


def test_a_count_of_30_digits_is_read_exactly():
    number = "9" * MAX_NUMBER_LENGTH
    result = extract_or_hang(f"新建学校{number}所。")
    assert [t["value"] for t in result["targets"]] == [int(number)]


@pytest.mark.parametrize("text", [
    "1" * 1_000_000,                    # a megabyte of digits, no unit
    "1" * 1_000_000 + "所",             # ... with a unit
    "1,000" * 20_000 + "个",            # thousands separators without end
    "一" * 200_000 + "所",              # a Chinese numeral of 200,000 characters
    "一万" * 20_000 + "人",             # magnitudes without end
    "百分之" + "九" * 100_000,           # a percentage of 100,000 characters
    "1.5" + "5" * 100_000 + "%",        # a fraction of 100,000 digits
    "1-" * 50_000 + "所",               # a range of ranges
])
def test_endless_numbers_are_no_targets(text):
    result = extract_or_hang(text)
    for t in result["targets"]:
        assert len(t["raw"]) <= 2 * MAX_NUMBER_LENGTH + 8, t["raw"][:40]
    _spans_exact(text, result)


def test_number_value_refuses_before_converting():
    assert number_value("1" * (MAX_NUMBER_LENGTH + 1)) is None
    assert number_value("一" * 5000) is None  # cn2an would raise past int's 4,300 digits
    assert number_value("1,000," * 20 + "000") is None
    assert number_value("1,200") == 1200


def test_a_slash_far_after_a_quantity_is_not_its_period():
    """`2次/学期` is per 学期; a slash a page later is not (and is not searched for to the end)."""
    near = extract_or_hang("每个班开展主题班会2次/学期。")
    assert [t["per"] for t in near["targets"]] == ["学期"]
    far = extract_or_hang("开展主题班会2次" + " " * 5000 + "/学期")
    assert [t["per"] for t in far["targets"]] == [None]


def test_many_quantities_in_one_long_line():
    """A page without a single line break or sentence end, every window still bounded."""
    text = "".join(f"新建{i % 9 + 1}所、培训教师{i % 90 + 10}人、开展活动{i % 5 + 1}次/学期," for i in range(3_000))
    result = extract_or_hang(text)
    assert len(result["targets"]) == 9_000
    _spans_exact(text, result)
    assert {t["per"] for t in result["targets"][2::3]} == {"学期"}


def test_unbalanced_brackets_quotes_and_markers():
    for text in ("(" * 200_000 + "3所", "“" * 200_000 + "3所", "每" * 200_000 + "3次", "、" * 200_000 + "3所",
                 "\n" * 200_000 + "3所", "**" * 100_000 + "3所"):
        result = extract_or_hang(text)
        assert [t["raw"] for t in result["targets"]] == [text[-2:]], text[:3]


def test_an_endless_list_sharing_one_unit():
    """`分别…1、1、…、1所`: a list of more members than any plan writes shares nothing."""
    text = "分别新建" + "1、" * 100_000 + "2所。"
    result = extract_or_hang(text)
    assert [t["raw"] for t in result["targets"]] == ["2所"]
    short = extract_or_hang("分别新建" + "1、" * 5 + "2所。")
    assert [t["raw"] for t in short["targets"]] == ["1"] * 5 + ["2所"]


def test_endless_breakdowns_and_years():
    """Every part of a long `其中` breakdown looks back a bounded way; years are no durations."""
    text = "新增学位900个,其中" + "、".join(["A区3个"] * 5_000) + "。" + "年限" + "2025年" * 50_000
    result = extract_or_hang(text)
    assert len(result["targets"]) == 5_001
    assert result["targets"][1]["direction"] == "increase"
    _spans_exact(text, result)


@pytest.mark.parametrize("text", [
    "4.劳动年龄人口平均受教育年限\n\n11.4年\n\n12.5年以上\n",
    "教育事项办理时限\n压缩到5个工作日以内。\n",
])
def test_a_duration_reads_the_same_under_crlf_and_indentation(text):
    base = extract_or_hang(text)["targets"]
    assert base
    for variant in (text.replace("\n", "\r\n"), "\n".join("    " + line for line in text.split("\n"))):
        got = extract_or_hang(variant)["targets"]
        assert [(t["value"], t["unit"]) for t in got] == [(t["value"], t["unit"]) for t in base]
