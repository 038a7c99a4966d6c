"""Properties of `extract` that hold for any text, checked on generated text (hypothesis).

Whatever a user pastes, extraction never raises, every target's and result's span cuts exactly
its raw out of the text as submitted, every number in the answer is finite (JSON has no inf), and
the answer does not depend on whitespace around the text or on CRLF line ends. Text is built from
the fragments plans are made of (numbers in Arabic, Chinese and full-width digits, units,
comparators, 、 lists, headings, table pipes, brackets, quotes, status cues) mixed with arbitrary
unicode.

Profiles: `ci` (the default, used by `make test`) runs 10,000 examples in all, derandomized so a
run is repeatable; `dev` runs a few hundred. Pick one with PLAN_TARGETS_HYPOTHESIS_PROFILE.
"""
from __future__ import annotations

import os
import random

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis import given

from number_checks import is_double
from service.extract import extract

# Examples per test under `ci`; they add up to 10,300.
CI_EXAMPLES = {"plan_text": 4500, "unicode": 2500, "whitespace": 1500, "crlf": 1500, "long_lines": 300}

_common = dict(deadline=None, derandomize=True, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
for _name, _n in CI_EXAMPLES.items():
    settings.register_profile(f"ci-{_name}", max_examples=_n, **_common)
    settings.register_profile(f"dev-{_name}", max_examples=max(50, _n // 20), **_common)
PROFILE = os.environ.get("PLAN_TARGETS_HYPOTHESIS_PROFILE", "ci")


def profile(test_name: str) -> settings:
    return settings.get_profile(f"{PROFILE}-{test_name}")


# --- fragments of plan-like text ----------------------------------------------------------------
# Drawing from one precomputed list is several times faster than composing strategies per example,
# which is what keeps 10,000 examples within the test command's budget on a 2-core machine.

_FULLWIDTH = str.maketrans("0123456789.%-", "０１２３４５６７８９．％－")
_ARABIC = ["0", "1", "2", "3", "7", "12", "15", "30", "100", "630", "1800", "8498", "33120", "3.5", "0.8",
           "13.73", "94.5", "1.7", "12.1", "46.1", "007", "1.", ".5", "1..2", "3.14.15", "1,200", "1 200",
           "1 . 5", "9" * 16, "1" * 31, "1" * 309, "4" * 40 + ".5", "1" * 310 + ".5"]
NUMBERS = (_ARABIC + [a.translate(_FULLWIDTH) for a in _ARABIC[:20]]
           + ["一", "两", "二", "三", "五", "十", "十二", "二十", "一百二十", "三千五百", "百分之九十", "零", "〇",
              "两万", "十二万", "一千零八", "九十九", "十万", "百", "千", "萬", "兩", "億"]
           + [a + m for a in _ARABIC[:16] for m in ("万", "亿", "千", "千万", "万亿", "百万")])
UNITS = ["所", "个", "人", "名", "位", "人次", "亿元", "万元", "元", "万美元", "美元", "%", "％", "‰", "个百分点",
         "百分点", "平方米", "㎡", "公里", "千米", "吨", "斤", "千瓦", "立方米", "公顷", "亩", "户", "倍", "年",
         "次", "场", "场次", "学位", "托位", "间", "台(件套)", "家(个)", "课时", "节", "期", "项", "岁", "月",
         "日", "個", "億元", "个学位", " 所", "多所", "余人", ""]
BEFORE = ["不少于", "不低于", "至少", "超过", "逾", "不超过", "控制在", "低于", "不足", "约", "近", "达到",
          "提升至", "新增", "新建", "增长", "下降", "每生每年", "每人每月", "生均", "人均", "每学期", "每两周",
          "第", "数", "", "", ""]
AFTER = ["以上", "以下", "以内", "左右", "及以上", "", "", "", ""]
DASHES = ["-", "—", "–", "~", "～", "至", "到", "－"]
JOINERS = ["、", "和", "与", "及", "，"]


def _quantities(count: int) -> list[str]:
    """A fixed, varied sample of quantity expressions (seeded, so every run draws the same)."""
    rng = random.Random(20251123)
    pick = rng.choice
    out = []
    for _ in range(count):
        form = rng.randrange(5)
        if form == 0:
            out.append(pick(BEFORE) + pick(NUMBERS) + pick(UNITS) + pick(AFTER))
        elif form == 1:
            out.append(pick(NUMBERS) + pick(DASHES) + pick(NUMBERS) + pick(UNITS))
        elif form == 2:
            out.append("分别" + pick(NUMBERS) + pick(JOINERS) + pick(NUMBERS) + pick(UNITS))
        elif form == 3:
            u = pick(UNITS)
            out.append(pick(["由", "从"]) + pick(NUMBERS) + u + pick(["提高到", "提升至", "降至", "增加到"])
                       + pick(NUMBERS) + u)
        else:
            out.append("、".join(pick(NUMBERS) + pick(UNITS) for _ in range(rng.randrange(2, 6))))
    return out


WORDS = [
    "新建", "新增学位", "培训教师", "计划总投资", "普惠率达到", "提高", "下降", "增长", "同比增长", "比上年增加",
    "涨幅", "增速", "其中", "分别", "分别为", "计划", "将", "拟", "力争", "确保", "预计", "今年", "年内", "已",
    "已经", "累计", "截至6月底", "截止10月底", "共完成", "实现了", "完成了", "上半年", "过去一年", "五年来",
    "下一步", "现有", "2024年", "2025年底前", "6月底前", "第三批", "十四五", "双减", "三年行动", "40周岁以下",
    "学校", "幼儿园", "教师", "学生", "基期", "目标", "实际", "完成情况", "进展情况", "责任单位", "牵头单位",
    "完成时限", "时间节点", "现状", "港西38中", "K15+", "IPv6", "数十所", "一批", "若干", "每", "为期三个月",
]
PUNCTUATION = [
    "、", "，", ",", "。", ".", "；", ";", "：", ":", "！", "？", "\n", "\n\n", " ", "\t", "\u3000",
    "（", "）", "(", ")", "【", "】", "〔", "〕", "“", "”", "\"", "‘", "’", "《", "》", "**", "|", " | ", "#",
]
HEADINGS = [
    "\n一、2024年工作回顾\n", "\n二、2025年工作安排\n", "\n（一）", "\n(二)", "\n## ", "\n### 一、", "\n1. ",
    "\n2、", "\n**3.**", "\n27", "\n惠济区教育局2025年工作要点\n", "\n一、主要预期目标\n", "\n三、下一步工作打算\n",
    "\n惠教〔2023〕4号\n", "\n责任领导：张学兵 高学芳\n", "\n责任单位：办公室、人事科\n", "（责任科室：组干科）",
    "\n工作任务 | 目标 | 完成情况 | 责任单位\n", "\n| 指标 | 基期 | 目标 |\n| --- | --- | --- |\n",
    "\n序号 | 工作任务 | 完成时限\n", "\n| ", " |\n", "\n目录\n",
]
ODDITIES = ["\x00", "\ufeff", "\u200b", "\ud7ff", "\U0001f600", "\u0301", "e\u0301", "\u2028", "\x85", "\r",
            "ﬁ", "Ⅻ", "①", "⑩", "㈠", "²", "½", "٣", "߃", "𝟙𝟚", "\uff5e"]
FRAGMENTS = _quantities(4000) + NUMBERS + UNITS + WORDS * 3 + PUNCTUATION * 3 + HEADINGS * 3 + ODDITIES


def _runs(count: int) -> list[str]:
    """Runs of 2-6 fragments: fewer draws per text than single fragments, so examples come faster."""
    rng = random.Random(7)
    return ["".join(rng.choice(FRAGMENTS) for _ in range(rng.randrange(2, 7))) for _ in range(count)]


PIECES = FRAGMENTS + _runs(6000)
plan_text = st.lists(st.sampled_from(PIECES), max_size=7).map("".join)
mixed_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=10).map("".join)
any_text = st.one_of(plan_text, mixed_text, st.text(max_size=120))
whitespace = st.lists(st.sampled_from([" ", "\t", "\n", "\u3000", "\r\n"]), max_size=6).map("".join)
# Lines of more than 200 characters (a page whose line breaks were lost), some opened by a page
# number as a document site's text layer prints them: the paths that cut such lines.
_ONE_LINE = [p for p in PIECES if "\n" not in p and "\r" not in p]
long_line = st.lists(st.sampled_from(_ONE_LINE), min_size=25, max_size=70).map("".join)
page_text = st.tuples(st.sampled_from(["", "{}、", " {}、", "{}、"]), st.lists(long_line, min_size=1, max_size=4)).map(
    lambda numbered: "\n".join(numbered[0].format(k + 1) + line for k, line in enumerate(numbered[1])))

FIELDS = ("raw", "value", "low", "high", "unit", "currency", "category", "comparator", "direction",
          "per", "metric", "deadline", "baseline", "as_of", "target", "item", "document",
          "responsible_units", "responsible_leaders")


def run(text: str) -> dict:
    return extract(text).to_dict()


def measures(result: dict):
    return [("target", m) for m in result["targets"]] + [("result", m) for m in result["results"]]


def assert_spans_exact(text: str, result: dict) -> None:
    """Every span cuts its raw; every number is one JSON can carry (no inf, no nan)."""
    for kind, m in measures(result):
        start, end = m["span"]["start"], m["span"]["end"]
        assert 0 <= start < end <= len(text), (kind, m["span"], len(text))
        assert text[start:end] == m["raw"], (kind, text[start:end], m["raw"])
        for key in ("value", "low", "high"):
            assert m[key] is None or is_double(m[key]), (kind, m["raw"][:40], key, str(m[key])[:40])


def projection(result: dict) -> list[tuple]:
    """What an answer says, without where: every field but ids, spans and the sentence and section text."""
    return [(kind,) + tuple(repr(m.get(k)) for k in FIELDS) for kind, m in measures(result)]


@profile("plan_text")
@given(plan_text)
def test_plan_like_text_never_raises_and_spans_are_exact(text):
    result = run(text)
    assert_spans_exact(text, result)


@profile("unicode")
@given(st.one_of(mixed_text, st.text(max_size=120)))
def test_any_unicode_never_raises_and_spans_are_exact(text):
    result = run(text)
    assert_spans_exact(text, result)


@profile("whitespace")
@given(any_text, whitespace, whitespace)
def test_surrounding_whitespace_shifts_spans_only(text, prefix, suffix):
    plain = run(text)
    padded = run(prefix + text + suffix)
    assert_spans_exact(prefix + text + suffix, padded)
    assert projection(padded) == projection(plain)
    shifted = [(m["span"]["start"] + len(prefix), m["span"]["end"] + len(prefix)) for _, m in measures(plain)]
    assert [(m["span"]["start"], m["span"]["end"]) for _, m in measures(padded)] == shifted


@profile("crlf")
@given(any_text.map(lambda s: s.replace("\r", "")))
def test_crlf_reads_like_lf(text):
    crlf = text.replace("\n", "\r\n")
    lf_result = run(text)
    crlf_result = run(crlf)
    assert_spans_exact(crlf, crlf_result)
    assert projection(crlf_result) == projection(lf_result)

    def to_crlf(pos: int) -> int:  # one more character per line break before pos
        return pos + text.count("\n", 0, pos)
    mapped = [(to_crlf(m["span"]["start"]), to_crlf(m["span"]["end"])) for _, m in measures(lf_result)]
    assert [(m["span"]["start"], m["span"]["end"]) for _, m in measures(crlf_result)] == mapped


@profile("long_lines")
@given(page_text, whitespace, whitespace)
def test_long_lines_and_page_numbers_keep_spans_exact_and_read_alike_in_crlf(text, prefix, suffix):
    result = run(text)
    assert_spans_exact(text, result)
    crlf = text.replace("\n", "\r\n")
    assert projection(run(crlf)) == projection(result)
    padded = prefix + text + suffix
    padded_result = run(padded)
    assert_spans_exact(padded, padded_result)
    assert projection(padded_result) == projection(result)
