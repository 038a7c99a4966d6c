"""The matching of results to targets and the progress it gives (service/progress/matching.py),
on rows shaped like the store's /targets and /results rows. Near misses sit beside each match."""
from __future__ import annotations

import itertools

import pytest

from service.progress import matching
from service.progress.matching import ReportTime, assess, match, match_all, report_time

_ids = itertools.count(1)


def target(**fields) -> dict:
    row = {"id": next(_ids), "key": "t0-1", "document_id": 1, "issuer": "清河区教育局", "year": 2024,
           "document_title": "清河区教育局2024年工作要点",
           "item": {"number": 3, "title": "扩充学前教育资源"}, "section": "二、推进学前教育普惠发展",
           "value": 630.0, "low": 630.0, "high": 630.0, "unit": "个", "currency": None,
           "category": "seats", "comparator": "eq", "direction": "increase", "per": None,
           "metric": "学位", "deadline": None}
    row.update(fields)
    return row


def result(**fields) -> dict:
    row = {"id": next(_ids), "key": "r0-1", "document_id": 2, "issuer": "清河区教育局", "year": 2024,
           "document_title": "清河区教育局2024年上半年工作总结",
           "item": None, "section": "一、扩充学前教育资源", "value": 400.0, "low": 400.0,
           "high": 400.0, "unit": "个", "currency": None, "category": "seats",
           "comparator": "eq", "direction": "increase", "per": None, "metric": "学位",
           "as_of": "截至6月底", "target": None}
    row.update(fields)
    return row


# --------------------------------------------------------------------------- one pair


def test_same_metric_unit_and_heading_in_the_period_match_and_say_why():
    m = match(result(), target())
    assert m is not None and m.score >= 0.95
    assert m.by == ["unit", "category", "metric", "item", "direction"]


def test_the_engines_link_in_the_same_document_matches_whatever_the_metric():
    t = target(document_id=7, key="t0-4", metric="计划总投资", unit="亿元", category="funding",
               value=76.8, direction=None)
    r = result(document_id=7, target="t0-4", metric="完成投资", unit="亿元", category="funding",
               value=46.1, direction=None)
    m = match(r, t)
    assert m.score == 1.0 and m.by[0] == "link"
    # the same key in another document is no link, and the metrics differ too much to match
    assert match({**r, "document_id": 8}, t) is None


@pytest.mark.parametrize("change, why", [
    ({"metric": "托位"}, "托位 is not 学位 (similarity 0.50)"),
    ({"metric": "民办园", "unit": "所", "category": "schools", "direction": None},
     "民办园 is not 公办园 (0.67)"),
    ({"unit": "所", "category": "schools"}, "所 counts schools, not seats"),
    ({"per": "学期"}, "a count per term is not a total"),
    ({"direction": "decrease"}, "fewer is not more"),
    ({"issuer": "河西区教育局"}, "another bureau"),
    ({"as_of": "2023年", "year": 2024}, "last year's figure"),
    ({"year": 2025, "as_of": "上半年"}, "next year's report"),
])
def test_near_misses_do_not_match(change, why):
    t = target()
    if change.get("metric") == "民办园":
        t = target(metric="公办园", unit="所", category="schools", direction=None, value=3.0,
                   low=3.0, high=3.0)
    assert match(result(**change), t) is None, why


def test_a_near_miss_on_metric_is_also_below_the_floor_by_number():
    assert matching.similarity("学位", "托位") < matching.METRIC_FLOOR
    assert matching.similarity("公办园", "民办园") < matching.METRIC_FLOOR
    assert matching.similarity("公办园", "公办幼儿园") >= matching.METRIC_FLOOR
    assert matching.similarity("投资", "计划总投资") >= matching.METRIC_FLOOR


def test_schools_counted_with_ge_and_suo_are_one_unit_but_a_playground_is_not_a_school():
    t = target(metric="公办幼儿园", unit="所", category="schools", direction=None, value=3.0,
               low=3.0, high=3.0)
    m = match(result(metric="公办幼儿园", unit="个", category="schools", direction=None, value=2.0), t)
    assert m is not None and "unit" in m.by
    assert match(result(metric="幼儿园运动场", unit="个", category="other", direction=None), t) is None


def test_a_rate_level_is_not_a_change_of_the_rate():
    t = target(metric="普惠率", unit="%", category="rate", direction=None, value=90.0,
               low=90.0, high=90.0, item={"number": 2, "title": "提高学前教育普惠水平"})
    assert match(result(metric="普惠率", unit="%", category="rate", direction=None, value=88.0), t)
    assert match(result(metric="普惠率", unit="百分点", category="rate", direction="increase",
                        value=3.0), t) is None


def test_a_count_to_build_meets_a_count_added_with_a_lower_score():
    t = target(metric="公办园", unit="所", category="schools", direction=None, value=3.0)
    same = match(result(metric="公办园", unit="所", category="schools", direction=None), t)
    added = match(result(metric="公办园", unit="所", category="schools", direction="increase"), t)
    assert same and added and added.score < same.score and "direction" not in added.by


def test_a_different_item_lowers_the_score_below_the_threshold_when_the_metric_is_only_close():
    t = target(metric="中小学教师培训", unit="人", category="people", direction=None, value=500.0,
               item={"number": 9, "title": "加强教师队伍建设"})
    close_other_item = result(metric="中小学校长培训", unit="人", category="people", direction=None,
                              section="五、深化教育评价改革")
    assert matching.similarity("中小学校长培训", "中小学教师培训") >= matching.METRIC_FLOOR
    assert match(close_other_item, t) is None
    assert match({**close_other_item, "metric": "中小学教师培训"}, t) is not None


# --------------------------------------------------------------------------- time


@pytest.mark.parametrize("as_of, title, year, expected", [
    ("截至6月底", "清河区教育局2024年上半年工作总结", 2024, ReportTime(2024, 6)),
    (None, "清河区教育局2024年上半年工作总结", 2024, ReportTime(2024, 6)),
    ("2023年", "清河区教育局2024年工作要点", 2024, ReportTime(2023, 12)),
    ("截至2024年9月底", None, 2025, ReportTime(2024, 9)),
    ("1-5月", None, 2024, ReportTime(2024, 5)),
    ("前三季度", None, 2024, ReportTime(2024, 9)),
    ("去年", None, 2024, ReportTime(2023, 12)),
    ("全年", "清河区教育局2024年工作总结", 2024, ReportTime(2024, 12)),
    (None, None, None, None),
])
def test_report_time(as_of, title, year, expected):
    assert report_time({"as_of": as_of, "document_title": title, "year": year}) == expected


def test_a_multi_year_target_takes_results_of_each_year_of_its_period():
    t = target(deadline="到2026年底", year=2024)
    assert match(result(year=2025, as_of="2025年"), t) is not None
    assert match(result(year=2027, as_of="2027年"), t) is None


# --------------------------------------------------------------------------- many pairs


def test_a_result_goes_to_the_best_target_of_a_plan_only():
    plan_a = target(document_id=1, item={"number": 3, "title": "扩充学前教育资源"})
    plan_b = target(document_id=1, key="t0-9", item={"number": 8, "title": "推进义务教育优质均衡发展"},
                    value=2000.0)
    restated = target(document_id=2, key="t0-1", item=None, section="一、扩充学前教育资源")
    r = result(document_id=2, target="t0-1")
    found = match_all([plan_a, plan_b, restated], [r])
    assert [m.result["id"] for m in found[plan_a["id"]]] == [r["id"]]
    assert found[plan_b["id"]] == []
    assert found[restated["id"]][0].match.by[0] == "link"


# --------------------------------------------------------------------------- progress


def matched(*results, t=None):
    t = t or target()
    return [matching.Matched(r, match(r, t)) for r in results]


def test_completion_and_status_from_the_newest_result():
    t = target()  # 630 seats in 2024
    mid = result(as_of="截至6月底", value=400.0)  # 0.635 done at 0.5 of the year: on track
    a = assess(t, matched(mid, t=t))
    assert a.completion == pytest.approx(400 / 630, abs=1e-4) and a.status == "on_track"
    end = result(as_of="全年", value=650.0, document_id=3,
                 document_title="清河区教育局2024年工作总结")
    a = assess(t, matched(mid, end, t=t))
    assert a.latest is end and a.status == "met" and a.completion == pytest.approx(650 / 630, abs=1e-4)
    assert [m.result for m in a.results] == [end, mid]


def test_behind_when_the_share_done_lags_the_share_of_time():
    t = target()
    a = assess(t, matched(result(as_of="截至9月底", value=300.0), t=t))  # 0.48 at 0.75
    assert a.status == "behind"
    a = assess(t, matched(result(as_of="全年", value=600.0), t=t))  # year over, 0.95
    assert a.status == "behind" and a.completion == pytest.approx(600 / 630, abs=1e-4)


def test_gt_needs_more_than_the_number():
    t = target(comparator="gt")
    assert assess(t, matched(result(as_of="全年", value=630.0), t=t)).status == "behind"
    assert assess(t, matched(result(as_of="全年", value=631.0), t=t)).status == "met"


def test_a_cap_holds_or_breaks_and_has_no_completion():
    t = target(metric="大班额比例", unit="%", category="rate", direction=None, comparator="le",
               value=5.0, low=None, high=5.0)
    mid = assess(t, matched(result(metric="大班额比例", unit="%", category="rate", direction=None,
                                   value=4.2, as_of="上半年"), t=t))
    assert (mid.completion, mid.status) == (None, "on_track")
    end = assess(t, matched(result(metric="大班额比例", unit="%", category="rate", direction=None,
                                   value=4.2, as_of="全年"), t=t))
    assert end.status == "met"
    broken = assess(t, matched(result(metric="大班额比例", unit="%", category="rate",
                                      direction=None, value=6.0, as_of="上半年"), t=t))
    assert broken.status == "behind"


def test_no_result_is_no_report():
    a = assess(target(), [])
    assert (a.latest, a.completion, a.status) == (None, None, "no_report")


def test_money_converts_into_the_targets_unit():
    t = target(metric="投资", unit="亿元", currency="CNY", category="funding", direction=None,
               value=1.2)
    r = result(metric="投资", unit="万元", currency="CNY", category="funding", direction=None,
               value=6000.0)
    a = assess(t, matched(r, t=t))
    assert a.completion == pytest.approx(0.5) and a.status == "on_track"


def test_a_heading_that_only_names_a_period_or_genre_is_no_evidence():
    t = target(metric="计划完成教育基础设施投资", unit="亿元", category="funding", direction=None,
               value=5.6, item={"number": 2, "title": "加快学校建设"})
    review = result(metric="完成教育基础设施投资", unit="亿元", category="funding", direction=None,
                    value=4.9, as_of="2024年", section="一、2024年工作总结")
    topical = {**review, "section": "（一）推进学前教育普及"}
    m_review, m_topical = match(review, t), match(topical, t)
    assert m_review is not None and "item" not in m_review.by
    assert m_topical is None or m_topical.score < m_review.score
