"""The review page over HTTP (Flask's test client, real engine, real SQLite store): what the
server renders, downloads and saves. The browser behaviour is in test_web_browser.py."""
from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest

from api_helpers import engine_json, seed_text
from service.api.app import create_app
from service.extract import extract
from service.store.routes import CSV_COLUMNS


class Marks(HTMLParser):
    """Collects every <mark class="target"> of the plan text with its text and attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.marks: list[dict] = []
        self._open: dict | None = None
        self.plan_text: list[str] = []
        self._in_plan = 0
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if self._in_plan:
            self._in_plan += 1
        if tag == "div" and attrs.get("id") == "plan-text":
            self._in_plan = 1
        if tag == "mark" and "target" in (attrs.get("class") or "").split() and self._in_plan:
            self._open = {**attrs, "text": ""}

    def handle_endtag(self, tag):
        if tag == "mark" and self._open is not None:
            self.marks.append(self._open)
            self._open = None
        if self._in_plan:
            self._in_plan -= 1

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data
        if self._in_plan:
            self.plan_text.append(data)


def parse(html: str) -> Marks:
    parser = Marks()
    parser.feed(html)
    return parser


# These tests read the pages in English (the default is Chinese: see test_web_i18n.py).
ENGLISH = {"BABEL_DEFAULT_LOCALE": "en"}


@pytest.fixture()
def app(tmp_path):
    return create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}", "API_KEYS": [], **ENGLISH})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def seed():
    text = seed_text()
    return text, engine_json(extract(text))


def test_index_is_a_form_with_labelled_controls(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for control in ("plan-input", "plan-file", "plan-source"):
        assert re.search(rf'<label for="{control}"', html), control
        assert f'id="{control}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'lang="en"' in html


def test_pages_load_nothing_from_other_hosts(client, seed):
    text, _ = seed
    html = client.post("/ui/review", data={"text": text}).get_data(as_text=True)
    html += client.get("/").get_data(as_text=True)
    references = re.findall(r'(?:src|href|action)="([^"]*)"', html)
    assert references
    assert [r for r in references if re.match(r"(?i)^(https?:)?//", r)] == []
    for asset in ("/ui/static/review.css", "/ui/static/review.js"):
        assert asset in html
        response = client.get(asset)
        assert response.status_code == 200 and response.data
        assert b"http://" not in response.data and b"https://" not in response.data


def test_review_marks_every_target_at_its_span(client, seed):
    text, extraction = seed
    response = client.post("/ui/review", data={"text": text, "source": "seed.txt"})
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    targets = extraction["targets"]
    assert targets, "the engine finds no target in the seed"
    assert len(page.marks) == len(targets)
    by_id = {t["id"]: t for t in targets}
    for mark in page.marks:
        target = by_id[mark["data-target"]]
        assert mark["text"] == text[target["span"]["start"]:target["span"]["end"]]
        assert f"cat-{target['category']}" in mark["class"].split()
        assert mark["tabindex"] == "0"
    # the highlighted text is the text, unchanged, with nothing added or lost
    assert "".join(page.plan_text) == text
    # every item of the outline links to an anchor in the text
    for document in extraction["documents"]:
        for item in document["items"]:
            assert f"item-{item['id']}" in page.ids


def test_textarea_line_ends_come_back_as_sent(client):
    # Browsers submit a textarea with CRLF; the page reviews the LF text that was pasted.
    text = "1. 新建公办幼儿园3所。\n2. 新增学位630个。\n"
    crlf = client.post("/ui/review", data={"text": text.replace("\n", "\r\n")})
    lf = client.post("/ui/review", data={"text": text})
    assert parse(crlf.get_data(as_text=True)).plan_text == parse(lf.get_data(as_text=True)).plan_text
    assert "".join(parse(lf.get_data(as_text=True)).plan_text) == text


def test_a_file_is_read_like_post_extract(client, seed):
    text, extraction = seed
    response = client.post("/ui/review", data={
        "text": "", "file": (io.BytesIO(text.encode("gb18030")), "计划.txt")},
        content_type="multipart/form-data")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert len(parse(html).marks) == len(extraction["targets"])
    assert 'value="计划.txt"' in html  # the file name becomes the source kept on saving


def test_empty_form_shows_the_form_again_with_an_error(client):
    response = client.post("/ui/review", data={"text": "   \n", "source": "kept"})
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and "No plan text" in html
    assert 'value="kept"' in html


def test_unsupported_file_is_an_html_error(client):
    response = client.post("/ui/review", data={"file": (io.BytesIO(b"%PDF-1.4"), "plan.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 415
    assert response.mimetype == "text/html"
    assert "Unsupported file type" in response.get_data(as_text=True)


def test_json_download_is_the_extraction(client, seed):
    text, extraction = seed
    response = client.post("/ui/review.json", data={"text": text, "source": "惠济区.txt"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=UTF-8''%E6%83%A0%E6%B5%8E%E5%8C%BA.targets.json" in disposition
    body = json.loads(response.data)
    assert body["targets"] == extraction["targets"]
    assert body["documents"] == extraction["documents"]
    assert body["meta"]["source"] == "惠济区.txt" and body["meta"]["chars"] == len(text)


def test_csv_download_uses_the_store_layout_one_row_per_target(client, seed):
    text, extraction = seed
    response = client.post("/ui/review.csv", data={"text": text})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) - 1 == len(extraction["targets"])
    column = {name: i for i, name in enumerate(CSV_COLUMNS)}
    for row, target in zip(rows[1:], extraction["targets"]):
        assert row[column["raw"]] == target["raw"]
        assert int(row[column["span_start"]]) == target["span"]["start"]
        assert row[column["category"]] == target["category"]


def test_csv_of_a_pasted_plan_equals_the_stored_csv(client, seed):
    """Same rows whether downloaded before saving or from the store, bar the database ids."""
    text, _ = seed
    pasted = client.post("/ui/review.csv", data={"text": text, "source": "seed.txt"}).data
    saved = client.post("/ui/documents", data={"text": text, "source": "seed.txt"})
    document_id = int(saved.headers["Location"].rsplit("/", 1)[1].split("?")[0])
    stored = client.get(f"/targets?format=csv&document={document_id}").data
    drop = {CSV_COLUMNS.index("id"), CSV_COLUMNS.index("document_id")}

    def rows(data):
        return [[c for i, c in enumerate(r) if i not in drop]
                for r in csv.reader(io.StringIO(data.decode("utf-8-sig")))]

    assert rows(pasted) == rows(stored)


def test_save_redirects_to_the_stored_plan_and_lists_it(client, seed):
    text, extraction = seed
    response = client.post("/ui/documents", data={"text": text, "source": "seed-002.txt"})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert re.search(r"/ui/documents/\d+\?saved=new$", location)
    page = client.get(location)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "The plan was saved." in html
    assert len(parse(html).marks) == len(extraction["targets"])
    # saving the same text again finds the stored one
    again = client.post("/ui/documents", data={"text": text})
    assert again.headers["Location"].split("?")[0] == location.split("?")[0]
    assert again.headers["Location"].endswith("saved=existing")
    listing = client.get("/ui/documents").get_data(as_text=True)
    assert listing.count("<tr data-document=") == 1
    assert "seed-002.txt" in listing or (extraction["documents"][0]["title"] or "") in listing


def test_stored_plan_reviews_exactly_like_the_pasted_one(client, seed):
    text, _ = seed
    pasted = client.post("/ui/review", data={"text": text}).get_data(as_text=True)
    location = client.post("/ui/documents", data={"text": text}).headers["Location"]
    stored = client.get(location).get_data(as_text=True)

    def between(html, start, end):
        return html[html.index(start):html.index(end, html.index(start))]

    # text with highlights, outline, target table and the details data are the same
    for start, end in (('<div id="plan-text"', "</div>"), ('<nav class="outline"', "</nav>"),
                       ('<table id="targets-table"', "</table>"), ('id="review-data"', "</script>"),
                       ('<table class="totals"', "</table>")):
        assert between(pasted, start, end) == between(stored, start, end), start


def test_stored_plan_links_to_json_and_csv_of_the_store(client, seed):
    text, extraction = seed
    location = client.post("/ui/documents", data={"text": text}).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    json_url = re.search(r'id="download-json" href="([^"]+)"', html).group(1)
    csv_url = re.search(r'id="download-csv" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    document = client.get(json_url).get_json()
    assert [t["key"] for t in document["targets"]] == [t["id"] for t in extraction["targets"]]
    rows = list(csv.reader(io.StringIO(client.get(csv_url).data.decode("utf-8-sig"))))
    assert len(rows) - 1 == len(extraction["targets"])


def test_missing_stored_plan_is_an_html_404(client):
    response = client.get("/ui/documents/999999")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "There is no stored plan 999999" in response.get_data(as_text=True)


def test_empty_store_says_so(client):
    html = client.get("/ui/documents").get_data(as_text=True)
    assert "No plans are stored yet" in html


def test_saving_needs_a_key_when_the_service_has_keys(tmp_path, seed):
    text, _ = seed
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'keys.db'}", "API_KEYS": ["s3cret"],
                      **ENGLISH})
    client = app.test_client()
    page = client.post("/ui/review", data={"text": text}).get_data(as_text=True)
    assert '<label for="api-key">' in page
    assert client.post("/ui/documents", data={"text": text}).status_code == 401
    wrong = client.post("/ui/documents", data={"text": text, "api_key": "nope"})
    assert wrong.status_code == 403 and wrong.mimetype == "text/html"
    assert "No plans are stored yet" in client.get("/ui/documents").get_data(as_text=True)
    assert client.post("/ui/documents", data={"text": text, "api_key": "s3cret"}).status_code == 303


def test_a_docx_file_is_reviewed_from_its_paragraphs(client):
    import docx

    from service.sources import docx_text

    plan = docx.Document()
    for line in seed_text().splitlines():
        plan.add_paragraph(line)
    buffer = io.BytesIO()
    plan.save(buffer)
    data = buffer.getvalue()
    response = client.post("/ui/review", data={"file": (io.BytesIO(data), "plan.docx")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    text = docx_text(data)
    assert "".join(page.plan_text) == text
    assert len(page.marks) == len(extract(text).targets) > 0


def test_an_oversized_plan_is_refused_on_the_page(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'small.db'}", "MAX_BYTES": 2000,
                      **ENGLISH})
    response = app.test_client().post("/ui/review", data={"text": "新建3所。" * 400})
    assert response.status_code == 413
    assert response.mimetype == "text/html"
    assert 'role="alert"' in response.get_data(as_text=True)


def test_reloading_the_result_page_returns_to_the_form(client):
    response = client.get("/ui/review")
    assert response.status_code == 303 and response.headers["Location"].endswith("/")


def test_a_plan_without_targets_still_shows_its_text(client):
    text = "加强党的建设，办好人民满意的教育。"
    response = client.post("/ui/review", data={"text": text})
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert page.marks == [] and "".join(page.plan_text) == text
    assert "No funding, seats, schools or people targets" in response.get_data(as_text=True)


def _result_marks(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<mark id="mark-[^"]+" class="result cat-[a-z]+" data-result="([^"]+)"[^>]*>([^<]*)</mark>', html)


def test_review_marks_results_apart_with_a_legend_entry_a_table_and_no_target_total(client):
    from api_helpers import REVIEW_AND_PLAN

    extraction = engine_json(extract(REVIEW_AND_PLAN))
    assert extraction["results"] and extraction["targets"]
    html = client.post("/ui/review", data={"text": REVIEW_AND_PLAN}).get_data(as_text=True)
    page = parse(html)
    assert sorted(m["data-target"] for m in page.marks) == sorted(t["id"] for t in extraction["targets"])
    assert sorted(rid for rid, _ in _result_marks(html)) == sorted(r["id"] for r in extraction["results"])
    by_id = {r["id"]: r for r in extraction["results"]}
    for rid, marked in _result_marks(html):
        assert marked == by_id[rid]["raw"]
    assert 'class="legend-result"' in html and "Result: reported as achieved" in html
    assert f'<strong data-count="results">{len(extraction["results"])}</strong>' in html
    table = html[html.index('<table id="results-table"'):html.index("</table>", html.index('<table id="results-table"'))]
    assert re.findall(r'<tr id="row-([^"]+)" data-result=', table) == [
        r["id"] for r in sorted(extraction["results"], key=lambda r: r["span"]["start"])]
    for r in extraction["results"]:
        if r["as_of"]:
            assert r["as_of"] in table
    # the targets' totals add the targets' values only
    totals = html[html.index('<table class="totals"'):html.index("</table>", html.index('<table class="totals"'))]
    for category in ("seats", "funding", "schools", "people"):
        want = sum(t["value"] or 0 for t in extraction["targets"] if t["category"] == category and not t["per"])
        match = re.search(rf'data-total="{category}"[^>]*>.*?<td class="num">([^<]+)</td>', totals, re.S)
        if want:
            assert float(match.group(1).replace(",", "")) == pytest.approx(want), category
        elif match:
            assert not any(t["category"] == category for t in extraction["targets"])
    target_rows = re.findall(r'<tr id="row-([^"]+)" data-target=', html)
    assert sorted(target_rows) == sorted(t["id"] for t in extraction["targets"])


def test_target_csv_never_holds_a_result_and_the_results_csv_holds_them(client):
    from service.store.routes import CSV_COLUMNS_OF
    from api_helpers import REVIEW_AND_PLAN

    extraction = engine_json(extract(REVIEW_AND_PLAN))
    targets = list(csv.reader(io.StringIO(
        client.post("/ui/review.csv", data={"text": REVIEW_AND_PLAN}).data.decode("utf-8-sig"))))
    results = list(csv.reader(io.StringIO(
        client.post("/ui/review.results.csv", data={"text": REVIEW_AND_PLAN}).data.decode("utf-8-sig"))))
    assert tuple(results[0]) == CSV_COLUMNS_OF["result"]
    raw_start = CSV_COLUMNS.index("raw"), CSV_COLUMNS.index("span_start")
    assert [(r[raw_start[0]], int(r[raw_start[1]])) for r in targets[1:]] == [
        (t["raw"], t["span"]["start"]) for t in extraction["targets"]]
    columns = CSV_COLUMNS_OF["result"]
    assert [(r[columns.index("raw")], int(r[columns.index("span_start")]), r[columns.index("as_of")])
            for r in results[1:]] == [(r["raw"], r["span"]["start"], r["as_of"] or "")
                                      for r in extraction["results"]]
    # stored, the plan's page offers the store's results CSV, and reviews like the pasted one
    location = client.post("/ui/documents", data={"text": REVIEW_AND_PLAN}).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    results_url = re.search(r'id="download-results-csv" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    stored_rows = list(csv.reader(io.StringIO(client.get(results_url).data.decode("utf-8-sig"))))
    assert [r[columns.index("raw")] for r in stored_rows[1:]] == [r["raw"] for r in extraction["results"]]
    pasted = client.post("/ui/review", data={"text": REVIEW_AND_PLAN}).get_data(as_text=True)
    for start, end in (('<div id="plan-text"', "</div>"), ('<table id="results-table"', "</table>"),
                       ('id="review-data"', "</script>")):
        assert (pasted[pasted.index(start):pasted.index(end, pasted.index(start))]
                == html[html.index(start):html.index(end, html.index(start))]), start
