"""The progress dashboard (/ui/dashboard) in a real headless Chromium against the real app,
with a plan, its mid-year report and next year's plan (tests/texts/progress/) stored: the
numbers its charts draw equal those of GET /progress and GET /summary?kind=progress, the links
lead to the target's and the results' texts, it speaks Chinese by default and English on
request, and it loads nothing from other hosts (the chart library is served by the app).
A screenshot is written to test-artifacts/dashboard.png.
"""
from __future__ import annotations

import threading
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
from werkzeug.serving import make_server

from service.api.app import create_app
from service.store.db import Store
from service.store.storing import store_text
from test_web_browser import ARTIFACTS, browser, page_zh  # noqa: F401  (fixtures)

TEXTS = Path(__file__).parent / "texts" / "progress"
ISSUER = "清河区教育局"
SCREENSHOT = ARTIFACTS / "dashboard.png"
CHART_CATEGORIES = ("funding", "seats", "schools", "people")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a free local port with the three texts stored in its SQLite database."""
    database = tmp_path_factory.mktemp("dashboard") / "store.db"
    url = f"sqlite:///{database}"
    store = Store(url)
    store.upgrade()
    for path in sorted(TEXTS.glob("*.txt")):
        store_text(store, path.read_text(encoding="utf-8"), path.name)
    store.dispose()
    app = create_app({"DATABASE_URL": url, "API_KEYS": []})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, name="dashboard-test-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(10)


def api_progress(server, **filters) -> list[dict]:
    rows, cursor = [], None
    while True:
        query = dict(filters, **({"cursor": cursor} if cursor else {}))
        body = requests.get(f"{server}/progress?{urlencode(query)}", timeout=30).json()
        rows += body["progress"]
        cursor = body["next_cursor"]
        if cursor is None:
            return rows


def expected_planned_achieved(rows: list[dict]) -> dict[tuple[str, str], tuple[float, float]]:
    """From the API's rows: per (category, unit), the planned sum of one-number targets that
    count up (eq/ge/gt/approx) and the sum of their latest reported values."""
    sums: dict = defaultdict(lambda: [0.0, 0.0])
    for row in rows:
        t = row["target"]
        if t["category"] in CHART_CATEGORIES and t["value"] is not None \
                and t["comparator"] in ("eq", "ge", "gt", "approx"):
            sums[(t["category"], t["unit"])][0] += t["value"]
            latest = row["latest"]
            if latest is not None:
                assert latest["unit"] == t["unit"]  # the texts report in the targets' units
                sums[(t["category"], t["unit"])][1] += latest["value"]
    return {k: (round(v[0], 6), round(v[1], 6)) for k, v in sums.items()}


def chart_data(page, canvas_id: str) -> dict:
    return page.evaluate(
        "id => { const c = Chart.getChart(document.getElementById(id));"
        " return {labels: c.data.labels, datasets: c.data.datasets.map("
        "d => ({label: d.label, data: d.data}))}; }", canvas_id)


def test_dashboard_draws_the_apis_numbers_and_links_to_the_texts(page_zh, server):
    page = page_zh
    filters = {"issuer": ISSUER, "year": 2024}
    page.goto(f"{server}/ui/dashboard?{urlencode(filters)}")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('units-chart'))")
    rows = api_progress(server, **filters)
    assert rows, "no stored target: the fixture's texts were not read"

    # Chinese by default (the browser asks for zh-CN)
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").inner_text() == "规划目标完成情况"

    # the overview counts are the API's
    counts = {s: sum(row["status"] == s for row in rows) for s in ("met", "on_track", "behind", "no_report")}
    for status, n in counts.items():
        shown = page.locator(f'#status-counts li[data-status="{status}"] .count').inner_text()
        assert int(shown) == n, status
    assert int(page.locator('#status-counts li[data-status="total"] .count').inner_text()) == len(rows)

    # planned against achieved: one chart per category and unit, its two bars the API's sums
    expected = expected_planned_achieved(rows)
    canvases = page.locator("canvas[data-category]")
    drawn = {}
    for i in range(canvases.count()):
        canvas = canvases.nth(i)
        key = (canvas.get_attribute("data-category"), canvas.get_attribute("data-unit"))
        data = chart_data(page, canvas.get_attribute("id"))
        assert data["labels"] == ["计划", "完成"]
        drawn[key] = tuple(round(v, 6) for v in data["datasets"][0]["data"])
    assert drawn == expected
    assert expected[("seats", "个")] == (630.0, 650.0)

    # completion per responsible unit: the stacked bars are /summary?kind=progress's counts
    summary = requests.get(f"{server}/summary?" + urlencode(
        {"kind": "progress", "group_by": "responsible_unit", **filters}), timeout=30).json()
    by_unit = {g["responsible_unit"]: g for g in summary["groups"]}
    data = chart_data(page, "units-chart")
    labels = {"已完成": "met", "进度正常": "on_track", "进度滞后": "behind", "未见报告": "no_report"}
    assert sorted(d["label"] for d in data["datasets"]) == sorted(labels)
    assert sorted(data["labels"]) == sorted(u or "（无责任单位）" for u in by_unit)
    for dataset in data["datasets"]:
        status = labels[dataset["label"]]
        for unit, value in zip(data["labels"], dataset["data"]):
            group = by_unit[None if unit == "（无责任单位）" else unit]
            assert value == group[status], (unit, status)

    # the units' table: mean completion of each unit's targets that have one, from the API's rows
    for unit, group in by_unit.items():
        cell = page.locator(f'#units-table tr[data-unit="{unit or ""}"] td[data-mean-completion]')
        mine = [row["completion"] for row in rows if row["completion"] is not None
                and (unit in row["target"]["responsible_units"]
                     or (unit is None and not row["target"]["responsible_units"]))]
        shown = cell.get_attribute("data-mean-completion")
        if mine:
            assert float(shown) == pytest.approx(sum(mine) / len(mine), abs=1e-4), unit
        else:
            assert shown == "", unit

    # targets with no report, as the API says
    listed = page.locator("#no-report li").evaluate_all("ls => ls.map(l => +l.dataset.target)")
    assert sorted(listed) == sorted(row["target"]["id"] for row in rows if row["status"] == "no_report")

    # the table: one line per target, its status and completion the API's
    table_rows = page.locator("#progress-table tbody tr")
    assert table_rows.count() == len(rows)
    for row in rows:
        line = page.locator(f'#progress-table tr[data-target="{row["target"]["id"]}"]')
        assert line.get_attribute("data-status") == row["status"]
        completion = line.locator("td[data-completion]").get_attribute("data-completion")
        if row["completion"] is None:
            assert completion == ""
        else:
            assert float(completion) == pytest.approx(row["completion"])
        links = line.locator("a.result-text")
        assert links.count() == len(row["results"])

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000

    # a target's link opens its stored plan at the target; a result's at the result
    seats = next(row for row in rows if row["target"]["raw"] == "630个")
    line = page.locator(f'#progress-table tr[data-target="{seats["target"]["id"]}"]')
    line.locator("a.target-text").click()
    page.wait_for_url(f"**/ui/documents/{seats['target']['document_id']}#mark-{seats['target']['key']}")
    assert page.locator(f"#mark-{seats['target']['key']}").inner_text() == "630个"
    page.go_back()
    newest = seats["results"][0]
    page.locator(f'#progress-table tr[data-target="{seats["target"]["id"]}"] a.result-text').first.click()
    page.wait_for_url(f"**/ui/documents/{newest['document_id']}#mark-{newest['key']}")
    assert page.locator(f"#mark-{newest['key']}").inner_text() == newest["raw"]


def test_dashboard_filters_switch_language_and_speak_english_on_request(page_zh, server):
    page = page_zh
    page.goto(f"{server}/ui/dashboard")
    page.get_by_label("发文单位").select_option(ISSUER)
    page.get_by_label("年度").select_option("2025")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_selector("#progress-table")
    rows = api_progress(server, issuer=ISSUER, year=2025)
    assert page.locator("#progress-table tbody tr").count() == len(rows) == 2
    assert "year=2025" in page.url

    page.get_by_role("navigation", name="语言").get_by_role("link", name="English").click()
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h1").inner_text() == "Plan against progress"
    assert page.locator("#progress-table tbody tr").count() == 2  # the filters are kept
    assert page.get_by_label("Issuer").input_value() == ISSUER
    page.goto(f"{server}/ui/dashboard")  # the choice is remembered
    assert page.locator("h1").inner_text() == "Plan against progress"
    page.get_by_role("navigation", name="Language").get_by_role("link", name="中文").click()
    page.wait_for_selector("html[lang=zh-CN]")
    assert page.locator("h1").inner_text() == "规划目标完成情况"
