"""The dashboard's figures (service/progress/dashboard.py) from progress rows shaped like
GET /progress's: what is added to what, and what never is."""
from __future__ import annotations

import pytest

from service.progress import dashboard


def row(target_id, category, unit, value, status, *, comparator="eq", latest=None,
        completion=None, units=("基础教育科",), low=None, high=None, currency=None):
    target = {"id": target_id, "category": category, "unit": unit, "value": value,
              "low": low if low is not None else value, "high": high if high is not None else value,
              "comparator": comparator, "currency": currency, "direction": None,
              "responsible_units": list(units)}
    return {"target": target, "results": [latest] if latest else [], "latest": latest,
            "completion": completion, "status": status}


def reported(value, unit, category, currency=None):
    return {"value": value, "low": value, "high": value, "unit": unit, "category": category,
            "currency": currency, "direction": None}


ROWS = [
    row(1, "seats", "个", 630.0, "met", latest=reported(650.0, "个", "seats"), completion=1.0317),
    row(2, "seats", "个", 200.0, "no_report"),
    row(3, "funding", "亿元", 5.6, "behind", currency="CNY",
        latest=reported(49000.0, "万元", "funding", "CNY"), completion=0.875,
        units=("计划财务科", "基础教育科")),
    row(4, "schools", "所", 4.0, "on_track", latest=reported(2.0, "个", "schools"), completion=0.5),
    row(5, "rate", "%", 92.0, "met", comparator="ge", latest=reported(92.3, "%", "rate"),
        completion=1.0033),  # a rate is never summed
    row(6, "schools", "所", None, "no_report", comparator="between", low=3.0, high=5.0),
    row(7, "people", "人", 50.0, "met", comparator="le", latest=reported(40.0, "人", "people"),
        units=()),  # a cap adds nothing to a planned total
]


def test_planned_against_achieved_adds_one_number_targets_per_category_and_unit():
    figures = {(e["category"], e["unit"]): e for e in dashboard.planned_vs_achieved(ROWS)}
    assert set(figures) == {("seats", "个"), ("funding", "亿元"), ("schools", "所")}
    seats = figures[("seats", "个")]
    assert (seats["planned"], seats["achieved"], seats["targets"], seats["reported"]) == (830.0, 650.0, 2, 1)
    funding = figures[("funding", "亿元")]
    assert funding["planned"] == 5.6 and funding["achieved"] == pytest.approx(4.9)  # 49000 万元
    schools = figures[("schools", "所")]  # the range (row 6) adds nothing; 个 counts as 所
    assert (schools["planned"], schools["achieved"], schools["targets"]) == (4.0, 2.0, 1)
    assert [e["category"] for e in dashboard.planned_vs_achieved(ROWS)] == ["funding", "seats", "schools"]


def test_status_and_mean_completion_per_responsible_unit():
    groups = {g["responsible_unit"]: g for g in dashboard.status_by_unit(ROWS)}
    basic = groups["基础教育科"]
    assert (basic["count"], basic["met"], basic["on_track"], basic["behind"], basic["no_report"]) == \
        (6, 2, 1, 1, 2)
    assert basic["mean_completion"] == pytest.approx((1.0317 + 0.875 + 0.5 + 1.0033) / 4, abs=1e-4)
    assert groups["计划财务科"]["count"] == 1 and groups["计划财务科"]["mean_completion"] == 0.875
    assert groups[None]["count"] == 1 and groups[None]["mean_completion"] is None
    assert list(groups)[-1] is None  # no unit comes last


def test_overview_counts_and_lists_the_targets_without_report():
    overview = dashboard.overview(ROWS)
    assert overview["total"] == 7
    assert overview["statuses"] == {"met": 3, "on_track": 1, "behind": 1, "no_report": 2}
    assert overview["no_report"] == [2, 6]
