"""The review page end to end, in a real headless Chromium (Debian's `chromium`, driven by
Playwright) against the real app served over HTTP with a temporary SQLite store.

The browser is not downloaded by Playwright: the tests use `/usr/bin/chromium`
(or $PLAN_TARGETS_CHROMIUM) and fail with a clear message when it is missing;
`make test` installs it first (scripts/ensure-chromium.sh).
A screenshot of the page with a seed loaded is written to test-artifacts/review-page.png.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from werkzeug.serving import make_server

from api_helpers import REPO, seed_text
from service.api.app import create_app

CHROMIUM = os.environ.get("PLAN_TARGETS_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium reaches out to Google services on start,
# which a closed network refuses (and CI should not do anyway).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOT = ARTIFACTS / "review-page.png"
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a free local port, in a thread, with its own SQLite database."""
    database = tmp_path_factory.mktemp("web-browser") / "store.db"
    app = create_app({"DATABASE_URL": f"sqlite:///{database}", "API_KEYS": []})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, name="web-test-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium. "
                    "Install it with scripts/ensure-chromium.sh (as root; `make test` runs it), "
                    "or point PLAN_TARGETS_CHROMIUM at a Chromium binary.", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def open_tab(browser, server, locale):
    """A fresh browser tab (asking for pages in `locale`) that may talk to the test server only;
    anything else is recorded and refused, so a page that loads a font or script from elsewhere
    fails the test, and so does a script error."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000},
                                  locale=locale)
    context.set_default_timeout(TIMEOUT_MS)
    foreign: list[str] = []
    errors: list[str] = []
    ours = urlsplit(server).netloc

    def only_ours(route):
        url = urlsplit(route.request.url)
        if url.scheme in ("http", "https") and url.netloc != ours:
            foreign.append(route.request.url)
            return route.abort()
        return route.continue_()

    context.route("**/*", only_ours)
    tab = context.new_page()
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield tab
    context.close()
    assert foreign == [], f"the page asked other hosts for {foreign}"
    assert errors == [], f"script errors on the page: {errors}"


@pytest.fixture()
def page(browser, server):
    """A tab whose browser asks for English pages (most tests here read the English labels)."""
    with open_tab(browser, server, "en-US") as tab:
        yield tab


@pytest.fixture()
def page_zh(browser, server):
    """A tab whose browser asks for Chinese, as most of the service's readers' do."""
    with open_tab(browser, server, "zh-CN") as tab:
        yield tab


@pytest.fixture(scope="module")
def seed(server):
    """The seed text and the targets the API returns for it."""
    text = seed_text()
    response = requests.post(f"{server}/extract", json={"text": text}, timeout=60)
    response.raise_for_status()
    targets = response.json()["targets"]
    assert targets, "the engine returns no target for the seed"
    return text, targets


def review(page, server, text):
    page.goto(f"{server}/")
    page.get_by_label("Plan text").fill(text)
    page.get_by_role("button", name="Find targets").click()
    page.wait_for_selector("#plan-text")
    return page.locator("#plan-text mark.target")


def csv_rows(download) -> list[list[str]]:
    data = Path(download.path()).read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(data)))


def test_pasted_seed_is_highlighted_once_per_target_and_details_show(page, server, seed):
    text, targets = seed
    marks = review(page, server, text)
    assert marks.count() == len(targets)
    assert sorted(marks.evaluate_all("ms => ms.map(m => m.dataset.target)")) == sorted(t["id"] for t in targets)
    # each highlight covers exactly the target's raw text
    by_id = {t["id"]: t for t in targets}
    for target_id, marked in marks.evaluate_all("ms => ms.map(m => [m.dataset.target, m.textContent])"):
        assert marked == by_id[target_id]["raw"]
    # the legend names every category present
    legend = page.locator(".legend").inner_text()
    for category in {t["category"] for t in targets}:
        assert category.capitalize() in legend

    # hovering shows the normalised value in a tooltip
    chosen = max(targets, key=lambda t: (t["deadline"] is not None, t["item"] is not None))
    mark = page.locator(f'mark[data-target="{chosen["id"]}"]')
    mark.hover()
    tip = page.locator("#target-tip")
    tip.wait_for(state="visible")
    tip_text = tip.inner_text()
    for label in ("Value", "Unit", "Comparator", "Direction", "Per", "Deadline", "Item"):
        assert label in tip_text
    if chosen["deadline"]:
        assert chosen["deadline"] in tip_text
    assert mark.get_attribute("aria-describedby") == "target-tip"

    # a click pins the details, and the table row is marked too
    mark.click()
    details = page.locator("#target-details")
    details_text = details.inner_text()
    assert chosen["raw"] in details_text
    assert "Comparator" in details_text and "Sentence" in details_text
    if chosen["item"]:
        assert chosen["item"]["title"] in details_text
    assert "selected" in page.locator(f"#row-{chosen['id']}").get_attribute("class")

    # keyboard: focusing a highlight shows the tooltip, Enter pins it, Escape hides the tooltip
    other = next(t for t in targets if t["id"] != chosen["id"])
    page.mouse.move(0, 0)
    page.locator(f'mark[data-target="{other["id"]}"]').focus()
    tip.wait_for(state="visible")
    page.keyboard.press("Enter")
    assert other["raw"] in details.inner_text()
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")

    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(f'mark[data-target="{chosen["id"]}"]').click()
    page.locator("#summary-heading").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('summary-heading').scrollIntoView()")
    page.locator(f'mark[data-target="{chosen["id"]}"]').hover()
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000


def test_table_sorts_and_filters(page, server, seed):
    text, targets = seed
    review(page, server, text)
    rows = page.locator("#targets-table tbody tr")
    assert rows.count() == len(targets)

    value_header = page.locator('th[data-sort-key="value"]')
    value_header.get_by_role("button").click()
    assert value_header.get_attribute("aria-sort") == "ascending"
    values = [float(v) for v in rows.evaluate_all("rs => rs.map(r => r.dataset.value)") if v != ""]
    assert values == sorted(values)
    value_header.get_by_role("button").click()
    assert value_header.get_attribute("aria-sort") == "descending"
    values = [float(v) for v in rows.evaluate_all("rs => rs.map(r => r.dataset.value)") if v != ""]
    assert values == sorted(values, reverse=True)

    category = max({t["category"] for t in targets}, key=lambda c: sum(t["category"] == c for t in targets))
    page.get_by_label("Category", exact=True).select_option(category)
    visible = page.locator("#targets-table tbody tr:not([hidden])")
    assert visible.count() == sum(t["category"] == category for t in targets)
    assert set(visible.evaluate_all("rs => rs.map(r => r.dataset.category)")) == {category}
    assert page.locator("#plan-text mark.target:not(.dimmed)").count() == visible.count()

    item = next(t["item"] for t in targets if t["item"])
    page.get_by_label("Category", exact=True).select_option("")
    page.get_by_label("Item", exact=True).select_option(item["id"])
    assert visible.count() == sum(bool(t["item"]) and t["item"]["id"] == item["id"] for t in targets)
    assert f"of {len(targets)}" in page.locator("#filter-status").inner_text()


def test_downloads_give_one_csv_row_and_one_json_target_per_target(page, server, seed):
    text, targets = seed
    review(page, server, text)
    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Download CSV").click()
    rows = csv_rows(csv_download.value)
    assert csv_download.value.suggested_filename.endswith(".csv")
    assert len(rows) - 1 == len(targets)
    raw = rows[0].index("raw")
    assert [r[raw] for r in rows[1:]] == [t["raw"] for t in targets]

    with page.expect_download() as json_download:
        page.get_by_role("button", name="Download JSON").click()
    body = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    assert [t["id"] for t in body["targets"]] == [t["id"] for t in targets]


def test_saving_stores_the_plan_and_it_appears_under_stored_plans(page, server, seed):
    text, targets = seed
    review(page, server, text)
    page.get_by_label("Source name").fill("seed-002.txt")
    page.get_by_role("button", name="Save to stored plans").click()
    page.wait_for_url(re.compile(r"/ui/documents/\d+"))
    document_id = int(re.search(r"/ui/documents/(\d+)", page.url).group(1))
    assert page.locator("#saved-notice").is_visible()
    assert page.locator("#plan-text mark.target").count() == len(targets)

    # the store's API has it, with the same targets
    stored = requests.get(f"{server}/documents/{document_id}", timeout=30).json()
    assert [t["key"] for t in stored["targets"]] == [t["id"] for t in targets]
    assert stored["source"] == "seed-002.txt"

    # the stored page offers the store's CSV, one row per target
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert len(csv_rows(download.value)) - 1 == len(targets)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stored plans").click()
    page.wait_for_url(re.compile(r"/ui/documents$"))
    row = page.locator(f'#stored-plans tr[data-document="{document_id}"]')
    assert row.count() == 1
    assert "seed-002.txt" in row.inner_text()
    row.get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/ui/documents/{document_id}$"))
    assert page.locator("#plan-text mark.target").count() == len(targets)


CONTRAST_JS = """
() => {
  // WCAG relative luminance and contrast of an element's text on its own (opaque) background,
  // or the nearest ancestor's when its own is transparent.
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = c => {
    const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = el => {
    for (let node = el; node; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c;
    }
    return [255, 255, 255];
  };
  const ratio = el => {
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  const seen = {};
  const samples = ['#plan-text mark.target', '#plan-text mark.result', '.muted', '.help', 'label', 'a', 'button', 'th', 'td', '.legend li', '#plan-text'];
  for (const selector of samples) {
    for (const el of document.querySelectorAll(selector)) {
      if (!el.offsetParent || !el.textContent.trim()) continue;
      const key = selector + ' ' + (el.className || el.tagName);
      const r = ratio(el);
      if (!(key in seen) || r < seen[key]) seen[key] = r;
    }
  }
  return seen;
}
"""


def test_page_is_labelled_contrasted_and_keyboard_reachable(page, server, seed):
    text, targets = seed
    review(page, server, text)
    # every form control has a label (or an accessible name of its own)
    unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll('input, select, textarea'))
        .filter(el => el.type !== 'hidden' && el.labels.length === 0 && !el.getAttribute('aria-label'))
        .map(el => el.outerHTML)""")
    assert unlabelled == []
    # text on every background reaches WCAG AA (4.5:1)
    ratios = page.evaluate(CONTRAST_JS)
    assert any(k.startswith("#plan-text mark.target") for k in ratios)
    low = {k: round(v, 2) for k, v in ratios.items() if v < 4.5}
    assert low == {}, f"contrast below 4.5:1: {low}"
    # the highlights are in the tab order, in text order, and a focused one is visibly outlined
    page.locator("#plan-text").evaluate("el => el.scrollTop = 0")
    page.get_by_role("button", name="Save to stored plans").focus()
    first = sorted(targets, key=lambda t: t["span"]["start"])[:3]
    focused = []
    for _ in range(60):
        page.keyboard.press("Tab")
        current = page.evaluate("document.activeElement.dataset.target || null")
        if current:
            focused.append(current)
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none"
        if len(focused) == 3:
            break
    assert focused == [t["id"] for t in first]
    # the skip link is the first stop and leads to the main content
    page.goto(f"{server}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_results_are_highlighted_apart_and_counted_as_the_api_counts_them(page, server):
    """A plan opening with last year's review: the page highlights exactly the API's targets
    and, in a style and legend entry of their own, exactly its results; none is in a total."""
    from api_helpers import REVIEW_AND_PLAN

    answer = requests.post(f"{server}/extract", json={"text": REVIEW_AND_PLAN}, timeout=60).json()
    targets, results = answer["targets"], answer["results"]
    assert targets and results
    review(page, server, REVIEW_AND_PLAN)
    target_marks = page.locator("#plan-text mark.target")
    result_marks = page.locator("#plan-text mark.result")
    assert target_marks.count() == len(targets)
    assert result_marks.count() == len(results)
    assert sorted(target_marks.evaluate_all("ms => ms.map(m => m.dataset.target)")) == sorted(
        t["id"] for t in targets)
    assert sorted(result_marks.evaluate_all("ms => ms.map(m => m.dataset.result)")) == sorted(
        r["id"] for r in results)
    by_id = {r["id"]: r for r in results}
    for result_id, marked in result_marks.evaluate_all("ms => ms.map(m => [m.dataset.result, m.textContent])"):
        assert marked == by_id[result_id]["raw"]
    assert page.locator('[data-count="results"]').inner_text() == str(len(results))

    # a style of its own: every result looks alike, and unlike every target
    style = "m => [getComputedStyle(m).backgroundColor, getComputedStyle(m).borderTopStyle]"
    result_styles = {tuple(s) for s in result_marks.evaluate_all(f"ms => ms.map({style})")}
    target_styles = {tuple(s) for s in target_marks.evaluate_all(f"ms => ms.map({style})")}
    assert len(result_styles) == 1 and not result_styles & target_styles
    legend = page.locator(".legend .legend-result")
    assert legend.is_visible() and "Result" in legend.inner_text()
    assert (tuple(legend.locator("mark").evaluate(style)),) == tuple(result_styles)

    # hovering a result tells what it is; its table row pins it, and links its target if any
    first = min(results, key=lambda r: r["span"]["start"])
    page.locator(f'mark[data-result="{first["id"]}"]').hover()
    tip = page.locator("#target-tip")
    tip.wait_for(state="visible")
    assert "Result" in tip.inner_text() and "As of" in tip.inner_text()
    rows = page.locator("#results-table tbody tr")
    assert rows.count() == len(results)
    page.locator(f"#row-{first['id']}").click()
    details = page.locator("#target-details").inner_text()
    assert first["raw"] in details and "reported as achieved" in details
    assert page.locator("#target-details .details-title").inner_text().strip() == first["raw"]
    assert "selected" in page.locator(f'mark[data-result="{first["id"]}"]').get_attribute("class")

    # the targets' totals and the targets' table hold targets only
    assert page.locator("#targets-table tbody tr").count() == len(targets)
    seats = sum(t["value"] or 0 for t in targets if t["category"] == "seats" and not t["per"])
    if seats:
        cell = page.locator('table.totals:not(.result-totals) tr[data-total="seats"] td.num').first
        assert float(cell.inner_text().replace(",", "")) == seats
    ratios = page.evaluate(CONTRAST_JS)
    assert any(k.startswith("#plan-text mark.result") for k in ratios)
    assert {k: v for k, v in ratios.items() if v < 4.5} == {}
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("document.getElementById('text-heading').scrollIntoView()")
    page.screenshot(path=str(ARTIFACTS / "review-page-results.png"))


def test_the_review_page_speaks_chinese_by_default_and_english_on_the_switch(page_zh, server, seed):
    text, targets = seed
    page = page_zh
    page.goto(f"{server}/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").inner_text() == "审阅规划中的目标"
    page.get_by_label("规划文本").fill(text)
    page.get_by_role("button", name="查找目标").click()
    page.wait_for_selector("#plan-text")
    assert page.locator("#plan-text mark.target").count() == len(targets)
    chosen = targets[0]
    page.locator(f'mark[data-target="{chosen["id"]}"]').click()
    details = page.locator("#target-details").inner_text()
    assert "比较方式" in details and "原句" in details and "在表格中显示" in details
    category = chosen["category"]
    page.get_by_label("类别", exact=True).select_option(category)
    shown = sum(1 for t in targets if t["category"] == category)
    assert page.locator("#filter-status").inner_text() == (
        f"显示全部 {shown} 项目标。" if shown == len(targets) else f"显示 {len(targets)} 项目标中的 {shown} 项。")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-page-zh.png"))

    page.goto(f"{server}/?lang=en")
    assert page.locator("h1").inner_text() == "Review the targets of a plan"
    page.get_by_role("navigation", name="Language").get_by_role("link", name="中文").click()
    page.wait_for_selector("html[lang=zh-CN]")
    assert page.locator("h1").inner_text() == "审阅规划中的目标"
