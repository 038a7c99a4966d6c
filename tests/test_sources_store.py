"""A plan stored from a file (SQLite and PostgreSQL): the converted text, what the file was, the
page of every stored target, `GET /documents/{id}/text`; a bad file stores nothing."""
from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from service.store import repository
from store_support import (  # noqa: F401  (fixtures)
    StoreCaller, app, backend_url, client, empty_database_url, store, store_url,
)
from source_fixtures import html_of_lines, layout_pdf

SINGLE = ["某区教育局2023年工作要点", "一、总体要求",
          "全区计划新建公办幼儿园3所，新增学位630个，这一句足够长，在页面上一定会折成两行甚至三行，转换时必须重新连成一句话才能读出数字。"]
TABLE = [["任务", "目标", "责任单位"], ["教师培训", "培训教师1200人次", "人事科"]]
COLUMNS = [f"{n}. 第{n}段，计划完成改造项目{n}个，投入资金{n * 10}万元，内容较长以便折行。" for n in range(1, 41)]


def _count(store) -> int:
    with store.reading() as conn:
        return conn.execute(select(func.count()).select_from(repository.documents)).scalar_one()


def test_a_pdf_is_stored_with_its_text_file_facts_and_pages(app, store):
    call = StoreCaller(app)
    data = layout_pdf(SINGLE, COLUMNS, TABLE)
    created = call.upload("plan.pdf", data)
    assert created.status_code == 201, created.get_data(as_text=True)
    document = created.get_json()
    assert document["file"] == {"filename": "plan.pdf", "media_type": "application/pdf", "pages": 2,
                                "sha256": hashlib.sha256(data).hexdigest()}
    text = call.get(f"/documents/{document['id']}/text")
    assert text.status_code == 200 and text.mimetype == "text/plain"
    stored_text = text.get_data(as_text=True)
    assert stored_text == document["text"]
    assert "培训教师1200人次 | 人事科" in stored_text
    # the same pages as POST /extract gives for the same file
    extracted = StoreCaller(app).upload("plan.pdf", data, path="/extract").get_json()
    assert [(t["raw"], t["page"]) for t in document["targets"]] == \
           [(t["raw"], t["page"]) for t in extracted["targets"]]
    for target in document["targets"]:
        assert stored_text[target["span"]["start"]:target["span"]["end"]] == target["raw"]
    again = call.get(f"/documents/{document['id']}")
    assert again.get_json()["file"] == document["file"]


def test_text_sent_as_text_has_no_file_facts_and_no_pages(app):
    call = StoreCaller(app)
    document = call.post_json({"text": "新建公办园3所。"}).get_json()
    assert document["file"] is None
    assert document["targets"] and all(t["page"] is None for t in document["targets"])
    assert call.get(f"/documents/{document['id']}/text").get_data(as_text=True) == "新建公办园3所。"


def test_an_html_page_is_stored_as_its_article(app):
    call = StoreCaller(app)
    data = html_of_lines(SINGLE[1:] + COLUMNS, title=SINGLE[0], charset="gbk")
    document = call.upload("notice.htm", data).get_json()
    assert document["file"]["media_type"] == "text/html" and document["file"]["pages"] is None
    assert document["text"].startswith(SINGLE[0]) and "首页" not in document["text"]


def test_the_text_of_a_missing_document_is_404(app):
    response = StoreCaller(app).get("/documents/987654/text")
    assert response.status_code == 404


def test_a_bad_file_stores_nothing(app, store):
    call = StoreCaller(app)
    before = _count(store)
    for name, data in [("broken.pdf", b"%PDF-1.4 broken"), ("scan.pdf", _scan()),
                       ("broken.docx", b"PK\x03\x04 no")]:
        response = call.upload(name, data)
        assert response.status_code in (415, 422), response.get_json()
    assert _count(store) == before


def _scan() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(10, 10, 100, 100, fill=1)
    page.showPage()
    page.save()
    return buffer.getvalue()


def test_ingest_reads_a_mixed_folder_by_suffix(store_url, store, tmp_path):
    import docx as python_docx

    from service.store.ingest import ingest
    from source_fixtures import office_file, pdf_of_lines

    folder = tmp_path / "mixed"
    folder.mkdir()
    lines = SINGLE + COLUMNS
    (folder / "a.txt").write_text("\n".join(lines[:10]), encoding="utf-8")
    (folder / "b.pdf").write_bytes(pdf_of_lines(lines[:20]))
    (folder / "c.html").write_bytes(html_of_lines(lines[1:30], title=lines[0]))
    (folder / "d.doc").write_bytes(office_file(lines[:25], ".doc", table=TABLE))
    word = python_docx.Document()
    for line in lines[:15]:
        word.add_paragraph(line)
    word.save(folder / "e.docx")
    (folder / "f.xls").write_bytes(b"\xd0\xcf\x11\xe0")  # no plan kind: not walked
    report = ingest(store_url, [str(folder)])
    assert (report.files, report.stored, report.failures) == (5, 5, [])
    with store.reading() as conn:
        rows = conn.execute(select(repository.documents.c.source, repository.documents.c.file_media_type,
                                   repository.documents.c.file_pages)
                            .order_by(repository.documents.c.source)).all()
    assert [tuple(r) for r in rows] == [
        ("a.txt", None, None), ("b.pdf", "application/pdf", 1), ("c.html", "text/html", None),
        ("d.doc", "application/msword", None),
        ("e.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", None)]


def test_migration_0003_adds_the_file_columns_and_takes_them_away(backend_url, tmp_path, request):
    from alembic import command
    from sqlalchemy import inspect

    from service.store.db import Store, alembic_config, write_transaction
    from store_support import empty_database_url as fresh

    for backend in ("sqlite",) + (("postgresql",) if backend_url.startswith("postgresql") else ()):
        url = fresh(backend, tmp_path / backend, request)
        store = Store(url)
        try:
            store.upgrade("0002")
            store.upgrade()
            columns = {c["name"] for c in inspect(store.engine).get_columns("documents")}
            assert {"file_name", "file_media_type", "file_pages", "file_sha256", "page_starts"} <= columns
            with write_transaction(store.engine) as conn:
                command.downgrade(alembic_config(conn), "0002")
            columns = {c["name"] for c in inspect(store.engine).get_columns("documents")}
            assert "file_name" not in columns and "page_starts" not in columns
        finally:
            store.dispose()
