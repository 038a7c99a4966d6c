"""Plan against progress through the API, on SQLite and PostgreSQL: a bureau's 2024 plan, its
mid-year report and the review section of its 2025 plan (tests/texts/progress/, written for this
test in the style of real ones) are stored with POST /documents as the engine reads them, and
GET /progress must match every result to the right target — and the near misses to none —
with the right completion and status. Every exchange is checked against openapi.yaml.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import urlencode

import pytest

from store_support import StoreCaller, app, backend_url, client, store_url  # noqa: F401 (fixtures)

TEXTS = Path(__file__).parent / "texts" / "progress"
ISSUER = "清河区教育局"


def text(name: str) -> str:
    return (TEXTS / name).read_text(encoding="utf-8")


#: Each 2024 target (by its raw text in the plan) -> status and completion after the mid-year
#: report, then after the 2025 plan's review of 2024, with the raw text of the results that report
#: on it, newest first. Completion is latest / target for eq/ge/gt, None for the cap (le).
EXPECTED = {
    "3所": (("on_track", 2 / 3), ("met", 1.0), ["3所", "2所"]),
    "630个": (("on_track", 420 / 630), ("met", 650 / 630), ["650个", "420个"]),
    "92%": (("on_track", 90.5 / 92), ("met", 92.3 / 92), ["92.3%", "90.5%"]),
    "5.6亿元": (("behind", 2.1 / 5.6), ("behind", 4.9 / 5.6), ["4.9亿元", "2.1亿元"]),
    "4所": (("on_track", 0.5), ("met", 1.0), ["4所", "2所"]),
    "1200人次": (("on_track", 700 / 1200), ("met", 1350 / 1200), ["1350人次", "700人次"]),
    "150名": (("behind", 60 / 150), ("behind", 120 / 150), ["120名", "60名"]),
    "5所": (("no_report", None), ("no_report", None), []),
    "3%": (("no_report", None), ("met", None), ["2.6%"]),
}
#: Results that look like a 2024 target's but report on none: seats for toddlers (托位) are not
#: school places (学位), and 2023's figures in the 2024 plan's review are of another year.
NEAR_MISSES = {"80个", "120个", "500个", "4.2亿元"}


@pytest.fixture
def api(app):
    return StoreCaller(app)


def store(api, name: str) -> int:
    response = api.post_text(text(name), path="/documents?" + urlencode({"source": name}))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


def progress(api, **params) -> list[dict]:
    """Every progress row for `params`, following the cursor through pages of `limit`."""
    rows, cursor = [], None
    while True:
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        body = api.get("/progress?" + urlencode(query)).get_json()
        rows += body["progress"]
        cursor = body["next_cursor"]
        if cursor is None:
            return rows


def by_raw(rows: list[dict], document_id: int) -> dict[str, dict]:
    return {row["target"]["raw"]: row for row in rows if row["target"]["document_id"] == document_id}


def test_plan_mid_year_report_and_review_give_the_right_matches_completion_and_status(api):
    plan = store(api, "1-plan-2024.txt")
    rows = by_raw(progress(api, issuer=ISSUER, year=2024), plan)
    assert {row["status"] for row in rows.values()} == {"no_report"}

    mid_year = store(api, "2-midyear-2024.txt")
    rows = by_raw(progress(api, issuer=ISSUER, year=2024, limit=4), plan)
    assert set(rows) == set(EXPECTED)
    for raw, (after_mid_year, _, results) in EXPECTED.items():
        row = rows[raw]
        status, completion = after_mid_year
        assert row["status"] == status, (raw, row)
        if completion is None:
            assert row["completion"] is None
        else:
            assert row["completion"] == pytest.approx(completion, abs=1e-4), raw
        from_mid_year = results[1:] if len(results) == 2 else []
        assert [r["raw"] for r in row["results"]] == from_mid_year, raw
        assert all(r["document_id"] == mid_year and r["as_of"] == "截至6月底" for r in row["results"])

    review = store(api, "3-plan-2025.txt")
    everything = progress(api, issuer=ISSUER)
    rows = by_raw(everything, plan)
    for raw, (_, (status, completion), results) in EXPECTED.items():
        row = rows[raw]
        assert row["status"] == status, (raw, row)
        if completion is None:
            assert row["completion"] is None, raw
        else:
            assert row["completion"] == pytest.approx(completion, abs=1e-4), raw
        assert [r["raw"] for r in row["results"]] == results, raw
        assert [r["document_id"] for r in row["results"]] == [review, mid_year][:len(results)], raw
        assert row["latest"] == (row["results"][0] if results else None)
        for r in row["results"]:
            assert r["match"]["score"] >= 0.75 and {"unit", "metric"} <= set(r["match"]["by"]), r
    # the near misses are stored as results and match nothing
    stored = api.get("/results?" + urlencode({"issuer": ISSUER, "limit": 1000})).get_json()["results"]
    assert NEAR_MISSES <= {r["raw"] for r in stored}
    matched = {r["id"] for row in everything for r in row["results"]}
    assert not {r["id"] for r in stored if r["raw"] in NEAR_MISSES} & matched
    # the 2025 plan's own targets have no report yet (2024's figures are of another year)
    assert {row["target"]["raw"]: row["status"] for row in everything
            if row["target"]["document_id"] == review} == {"800个": "no_report", "6亿元": "no_report"}


@pytest.fixture
def three_texts(api):
    return [store(api, name) for name in ("1-plan-2024.txt", "2-midyear-2024.txt", "3-plan-2025.txt")]


def test_progress_filters_and_pages_like_targets(api, three_texts):
    plan = three_texts[0]
    targets = api.get("/targets?" + urlencode({"issuer": ISSUER, "category": "schools"})).get_json()
    rows = progress(api, issuer=ISSUER, category="schools", limit=1)
    assert [row["target"] for row in rows] == targets["targets"]
    assert {row["target"]["raw"] for row in rows} == {"3所", "4所", "5所"}
    assert {row["target"]["document_id"] for row in rows} == {plan}
    by_unit = progress(api, responsible_unit="人事科")
    assert [row["target"]["raw"] for row in by_unit] == ["1200人次", "150名"]
    sorted_rows = progress(api, issuer=ISSUER, sort="-value", limit=5)
    values = [row["target"]["value"] for row in sorted_rows]
    assert values == sorted(values, reverse=True)
    bad = api.get("/progress?status=met")
    assert bad.status_code == 400
    assert api.get("/progress?cursor=nonsense").status_code == 400


def test_progress_csv_has_the_target_columns_then_the_progress(api, three_texts):
    response = api.get("/progress?" + urlencode({"issuer": ISSUER, "year": 2024, "format": "csv"}))
    assert response.headers["Content-Type"].startswith("text/csv")
    body = response.get_data().decode("utf-8")
    assert body.startswith("\ufeff")
    lines = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    target_csv = api.get("/targets?" + urlencode({"issuer": ISSUER, "year": 2024, "format": "csv"}))
    target_header = next(csv.reader(io.StringIO(target_csv.get_data().decode("utf-8").lstrip("\ufeff"))))
    assert list(lines[0])[:len(target_header)] == target_header
    by = {line["raw"]: line for line in lines}
    assert by["630个"]["status"] == "met" and by["630个"]["latest_value"] == "650"
    assert float(by["630个"]["completion"]) == pytest.approx(650 / 630, abs=1e-4)
    assert by["5所"]["status"] == "no_report" and by["5所"]["completion"] == ""
    assert by["150名"]["result_count"] == "2" and by["150名"]["latest_as_of"] == "2024年"


def test_summary_of_progress_per_responsible_unit(api, three_texts):
    body = api.get("/summary?" + urlencode({"kind": "progress", "group_by": "responsible_unit",
                                           "issuer": ISSUER, "year": 2024})).get_json()
    assert body["kind"] == "progress" and body["group_by"] == ["responsible_unit"]
    groups = {g["responsible_unit"]: g for g in body["groups"]}
    rows = progress(api, issuer=ISSUER, year=2024)
    for unit, group in groups.items():
        mine = [row for row in rows if unit in row["target"]["responsible_units"]
                or (unit is None and not row["target"]["responsible_units"])]
        assert group["count"] == len(mine)
        for status in ("met", "on_track", "behind", "no_report"):
            assert group[status] == sum(row["status"] == status for row in mine), (unit, status)
    # 基础教育科 answers for items 1 and 5: 3 schools, 630 seats, 92%, the 3% cap — all met
    assert {k: groups["基础教育科"][k] for k in ("count", "met", "behind", "no_report")} == \
        {"count": 4, "met": 4, "behind": 0, "no_report": 0}
    assert groups["人事科"]["behind"] == 1 and groups["人事科"]["met"] == 1
    assert groups["德育科"]["no_report"] == 1
