"""The page of every stored target and result (SQLite and PostgreSQL): written with the
extraction, served by /targets, /results and their CSV, in the views target_rows/result_rows,
and filled in by migration 0004 for rows stored before it (and taken away by its downgrade)."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy import inspect, text

from service.store.db import Store, alembic_config, write_transaction
from source_fixtures import pdf_of_lines
from store_support import (  # noqa: F401  (fixtures)
    StoreCaller, app, backend_url, client, empty_database_url, store, store_url,
)

TITLE = "某区教育局2025年工作要点"
REVIEW = [f"2024年，第{n}片区新增学位{n * 10}个。" for n in range(1, 41)]
PLAN = [f"{n}. 第{n}项，计划完成改造项目{n}个。" for n in range(1, 61)]
LINES = ["一、2024年工作回顾", *REVIEW, "二、2025年重点任务", *PLAN]
TARGET_MARK = re.compile(r"第(\d+)项")
RESULT_MARK = re.compile(r"第(\d+)片区")


@pytest.fixture(scope="module")
def plan_pdf() -> bytes:
    return pdf_of_lines(LINES, title=TITLE)


def pages_in_pdf(data: bytes) -> tuple[dict[int, int], dict[int, int]]:
    """Where each plan line (第n项) and review line (第n片区) is printed, read from the PDF's
    own pages with PDFium, apart from the service's page starts."""
    import pypdfium2 as pdfium

    targets, results = {}, {}
    pdf = pdfium.PdfDocument(data)
    try:
        for number, page in enumerate(pdf, start=1):
            printed = page.get_textpage().get_text_range()
            for n in range(1, len(PLAN) + 1):
                if f"第{n}项，" in printed:
                    targets.setdefault(n, number)
            for n in range(1, len(REVIEW) + 1):
                if f"第{n}片区新增" in printed:
                    results.setdefault(n, number)
    finally:
        pdf.close()
    return targets, results


def _all(call: StoreCaller, path: str, plural: str) -> list[dict]:
    rows, cursor = [], None
    while True:
        body = call.get(path + "&limit=1000" + (f"&cursor={cursor}" if cursor else "")).get_json()
        rows += body[plural]
        cursor = body["next_cursor"]
        if cursor is None:
            return rows


def _csv(call: StoreCaller, path: str) -> list[dict]:
    response = call.get(path)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_a_stored_pdf_names_the_page_of_every_target_and_result(app, store, plan_pdf):
    call = StoreCaller(app)
    created = call.upload("plan.pdf", plan_pdf)
    assert created.status_code == 201, created.get_data(as_text=True)
    document = created.get_json()
    assert document["file"]["pages"] == 3
    target_page, result_page = pages_in_pdf(plan_pdf)
    assert set(target_page) == set(range(1, len(PLAN) + 1))
    assert set(result_page) == set(range(1, len(REVIEW) + 1))
    assert set(target_page.values()) == {2, 3} and set(result_page.values()) == {1, 2}

    query = f"?document={document['id']}"
    targets = _all(call, "/targets" + query, "targets")
    results = _all(call, "/results" + query, "results")
    assert len(targets) == len(PLAN) and len(results) == len(REVIEW)
    for t in targets:
        assert t["page"] == target_page[int(TARGET_MARK.search(t["text"]).group(1))], t
    for r in results:
        assert r["page"] == result_page[int(RESULT_MARK.search(r["text"]).group(1))], r
    # GET /documents/{id} and POST /extract give the same pages
    again = call.get(f"/documents/{document['id']}").get_json()
    assert {t["id"]: t["page"] for t in again["targets"]} == {t["id"]: t["page"] for t in targets}
    assert {r["id"]: r["page"] for r in again["results"]} == {r["id"]: r["page"] for r in results}
    extracted = StoreCaller(app).upload("plan.pdf", plan_pdf, path="/extract").get_json()
    assert [(t["raw"], t["page"]) for t in extracted["targets"]] == \
           [(t["raw"], t["page"]) for t in again["targets"]]

    # CSV: a page column, the same numbers as the JSON
    target_csv = _csv(call, f"/targets{query}&format=csv")
    assert [int(row["page"]) for row in target_csv] == [t["page"] for t in targets]
    result_csv = _csv(call, f"/results{query}&format=csv")
    assert [int(row["page"]) for row in result_csv] == [r["page"] for r in results]
    progress_csv = _csv(call, f"/progress{query}&format=csv")
    assert {int(row["id"]): int(row["page"]) for row in progress_csv} == \
           {t["id"]: t["page"] for t in targets}

    # the BI views, by plain SQL
    with store.reading() as conn:
        viewed = dict(conn.execute(text(
            "SELECT target_id, page FROM target_rows WHERE document_id = :d"),
            {"d": document["id"]}).all())
        viewed_results = dict(conn.execute(text(
            "SELECT result_id, page FROM result_rows WHERE document_id = :d"),
            {"d": document["id"]}).all())
    assert viewed == {t["id"]: t["page"] for t in targets}
    assert viewed_results == {r["id"]: r["page"] for r in results}


def test_a_text_without_pages_has_a_null_page_everywhere(app, store):
    call = StoreCaller(app)
    document = call.post_json(
        {"text": "\n".join([TITLE, *LINES[:3], "二、2025年重点任务", *PLAN[:2]])}).get_json()
    query = f"?document={document['id']}"
    targets = call.get("/targets" + query).get_json()["targets"]
    results = call.get("/results" + query).get_json()["results"]
    assert targets and results
    assert all(m["page"] is None for m in targets + results)
    assert all(m["page"] is None for m in document["targets"] + document["results"])
    rows = _csv(call, f"/targets{query}&format=csv")
    assert rows and all(row["page"] == "" for row in rows)
    with store.reading() as conn:
        for view, rows_of_view in (("target_rows", targets), ("result_rows", results)):
            unpaged = conn.execute(text(f"SELECT count(*) FROM {view} WHERE document_id = :d "
                                        "AND page IS NULL"), {"d": document["id"]}).scalar()
            assert unpaged == len(rows_of_view)


def _backend(backend_url: str) -> str:
    return "postgresql" if backend_url.startswith("postgresql") else "sqlite"


def _downgrade(store: Store, revision: str) -> None:
    from alembic import command

    with write_transaction(store.engine) as conn:
        command.downgrade(alembic_config(conn), revision)


def _measure_pages(store: Store) -> dict[int, int | None]:
    with store.reading() as conn:
        return dict(conn.execute(text("SELECT id, page FROM measures")).all())


def test_migration_0004_fills_in_the_pages_of_a_stored_pdf(backend_url, tmp_path, request,
                                                            plan_pdf):
    """A PDF stored at head, the database taken back to 0003 (the column goes) and brought up
    again: every target and result gets the page it had, the views show it again."""
    from service.api.app import create_app

    backend = _backend(backend_url)
    url = empty_database_url(backend, tmp_path, request)
    store = Store(url)
    try:
        store.upgrade()
        call = StoreCaller(create_app({"DATABASE_URL": url, "API_KEYS": [], "TESTING": True}))
        assert call.upload("plan.pdf", plan_pdf).status_code == 201
        text_only = "\n".join([TITLE, "二、2025年重点任务", PLAN[0]])
        assert call.post_json({"text": text_only}).status_code == 201
        before = _measure_pages(store)
        assert len(before) == len(PLAN) + len(REVIEW) + 1
        assert set(before.values()) == {1, 2, 3, None}

        _downgrade(store, "0003")
        assert "page" not in {c["name"] for c in inspect(store.engine).get_columns("measures")}
        with store.reading() as conn:  # 0002's views, on a table without page
            assert conn.execute(text("SELECT count(*) FROM target_rows")).scalar() == len(PLAN) + 1
            assert "page" not in conn.execute(text("SELECT * FROM result_rows")).keys()

        store.upgrade()
        assert _measure_pages(store) == before
        with store.reading() as conn:
            viewed = dict(conn.execute(text("SELECT target_id, page FROM target_rows")).all())
            viewed |= dict(conn.execute(text("SELECT result_id, page FROM result_rows")).all())
        assert viewed == before
    finally:
        store.dispose()


def test_migration_0004_fills_in_pages_from_page_starts_in_batches(backend_url, tmp_path,
                                                                     request):
    """A database made at 0003 by SQL: a paged document with more measures than one batch,
    offsets on and beside its page starts; a text (SQL null page_starts) and one whose
    page_starts is JSON null or an empty list get no page."""
    backend = _backend(backend_url)
    url = empty_database_url(backend, tmp_path, request)
    store = Store(url)
    try:
        store.upgrade("0003")
        starts = [0, 100, 250, 4000]
        expected: dict[int, int | None] = {}
        with store.writing() as conn:
            for doc_id, page_starts in ((1, json.dumps(starts)), (2, None), (3, "null"),
                                        (4, "[]")):
                conn.execute(text(
                    "INSERT INTO documents (id, sha256, text, warnings, created_at, "
                    "page_starts) VALUES (:id, :sha, 'x', '[]', CURRENT_TIMESTAMP, "
                    + ("CAST(:starts AS json)" if backend == "postgresql" else ":starts")
                    + ")"), {"id": doc_id, "sha": str(doc_id) * 64, "starts": page_starts})
                conn.execute(text("INSERT INTO parts (id, document_id, position, span_start, "
                                  "span_end) VALUES (:id, :id, 0, 0, 5000)"), {"id": doc_id})
            offsets = [0, 1, 99, 100, 101, 249, 250, 3999, 4000, 4999]
            spans = [(1, offsets[n % len(offsets)]) for n in range(5000)]  # > BATCH a page
            spans += [(doc_id, 120) for doc_id in (2, 3, 4)]
            rows = []
            for n, (doc_id, start) in enumerate(spans, start=1):
                rows.append({"id": n, "d": doc_id, "kind": "target" if n % 3 else "result",
                             "start": start})
                expected[n] = ((1 if start < 100 else 2 if start < 250 else
                                3 if start < 4000 else 4) if doc_id == 1 else None)
            conn.execute(text(
                "INSERT INTO measures (id, kind, document_id, part_id, key, position, text, "
                "span_start, span_end, raw, unit, category, comparator) VALUES (:id, :kind, "
                ":d, :d, 'k', :id, 's', :start, :start + 1, '1所', '所', 'schools', 'eq')"),
                rows)
        store.upgrade()
        assert _measure_pages(store) == expected
        with store.reading() as conn:
            per_page = dict(conn.execute(text("SELECT coalesce(page, 0), count(*) FROM measures "
                                              "GROUP BY coalesce(page, 0)")).all())
            viewed = conn.execute(text(
                "SELECT (SELECT count(*) FROM target_rows WHERE page = 4) "
                "+ (SELECT count(*) FROM result_rows WHERE page = 4)")).scalar()
        assert per_page == {0: 3, 1: 1500, 2: 1500, 3: 1000, 4: 1000}
        assert viewed == 1000
        _downgrade(store, "0003")
        assert "page" not in {c["name"] for c in inspect(store.engine).get_columns("measures")}
    finally:
        store.dispose()


def _pages_by_target(html: str, table_id: str) -> dict[str, str]:
    """The 页 (Page) cell of each row of a table, by the row's data-target."""
    from html.parser import HTMLParser

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.inside, self.header, self.rows, self.row, self.cell = False, [], {}, None, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "table":
                self.inside = attrs.get("id") == table_id
            elif self.inside and tag == "tr" and "data-target" in attrs:
                self.row = (attrs["data-target"], [])
            elif self.inside and tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag):
            if not self.inside:
                return
            if tag in ("td", "th") and self.cell is not None:
                value = "".join(self.cell).strip()
                (self.row[1] if self.row else self.header).append(value)
                self.cell = None
            elif tag == "tr" and self.row:
                self.rows[self.row[0]] = self.row[1]
                self.row = None
            elif tag == "table":
                self.inside = False

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    parser = Cells()
    parser.feed(html)
    if "页" not in parser.header:
        return {}
    column = parser.header.index("页")
    return {target: cells[column] for target, cells in parser.rows.items()}


def test_the_stored_plan_and_the_dashboard_show_each_target_s_page(app, plan_pdf):
    call = StoreCaller(app)
    document = call.upload("plan.pdf", plan_pdf).get_json()
    text_document = call.post_json(
        {"text": "\n".join([TITLE, "二、2025年重点任务", PLAN[0]])}).get_json()
    client = app.test_client()
    review = client.get(f"/ui/documents/{document['id']}?lang=zh").get_data(as_text=True)
    assert _pages_by_target(review, "targets-table") == \
           {t["key"]: str(t["page"]) for t in document["targets"]}  # the review's rows: by key
    # a plan without pages has no page column
    plain = client.get(f"/ui/documents/{text_document['id']}?lang=zh").get_data(as_text=True)
    assert 'id="targets-table"' in plain and _pages_by_target(plain, "targets-table") == {}
    dashboard = client.get("/ui/dashboard?lang=zh").get_data(as_text=True)
    shown = _pages_by_target(dashboard, "progress-table")
    assert shown == {**{str(t["id"]): str(t["page"]) for t in document["targets"]},
                     str(text_document["targets"][0]["id"]): ""}
    english = client.get(f"/ui/documents/{document['id']}?lang=en").get_data(as_text=True)
    assert ">Page<" in english and ">页<" not in english
