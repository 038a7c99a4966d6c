"""The store's HTTP API on SQLite and on PostgreSQL: every endpoint, filter, page, CSV and summary.

Expectations are computed from what `extract()` returns for the same texts (never hard-coded
counts), plus one hand-written extraction (`SYNTHETIC`) that pins down the edge cases the
seeds may not hold: a range, a preamble target, a second plan with another issuer and year,
USD money, a unit name with a LIKE wildcard in it, results (one reporting on a target, one on
none) and a target's baseline, built with the engine's own model classes so that they have
exactly the shape the engine emits. Every exchange is checked against openapi.yaml.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from urllib.parse import quote, urlencode

import pytest
from sqlalchemy import text

from service.api.app import create_app
from service.extract import model
from service.store.db import Store
from service.store.storing import store_text
from store_support import (  # noqa: F401  (fixtures)
    StoreCaller, app, backend_url, client, empty_database_url, extraction_of, seeds, store,
    store_url,
)

SYNTHETIC_TEXT = (
    "甲区教育局2023年工作要点\n"
    "全年计划投资2亿元。截至6月底，已完成投资1.2亿元。\n"
    "1. 建设学校。新建学校3-5所，已开工2所。（责任单位：教研室、100%办公室）\n"
    "2. 提高比例。近视率下降2个百分点，年底前完成。\n"
    "乙县教育局2024年工作要点\n"
    "1. 引进外资。力争使用外资300万美元。去年使用外资120万美元。（责任单位：外事科）\n"
    "2. 提高达标率。达标率由85%提高到90%。\n"
)


def _span(raw: str, nth: int = 1) -> dict:
    start = -1
    for _ in range(nth):
        start = SYNTHETIC_TEXT.index(raw, start + 1)
    return {"start": start, "end": start + len(raw)}


def _line_span(prefix: str) -> dict:
    start = SYNTHETIC_TEXT.index(prefix)
    return {"start": start, "end": SYNTHETIC_TEXT.index("\n", start)}


def _measure_fields(mid, doc, item, raw, value, low, high, unit, currency, category, comparator,
                    direction, units, leaders, metric) -> dict:
    return dict(id=mid, document=doc, item=model.ItemRef(**item) if item else None, section=None,
                text=raw, span=model.Span(**_span(raw)), raw=raw, value=value, low=low, high=high,
                unit=unit, currency=currency, category=category, comparator=comparator,
                direction=direction, per=None, metric=metric, responsible_units=list(units),
                responsible_leaders=list(leaders))


def _target(tid, doc, item, raw, value, low, high, unit, currency, category, comparator,
            direction=None, deadline=None, units=(), leaders=(), metric=None, baseline=None):
    """A target as the engine's model emits it (`Target.to_dict()`)."""
    return model.Target(
        **_measure_fields(tid, doc, item, raw, value, low, high, unit, currency, category,
                          comparator, direction, units, leaders, metric),
        deadline=deadline, baseline=model.Baseline(*baseline) if baseline else None).to_dict()


def _result(rid, doc, item, raw, value, unit, currency, category, as_of=None, target=None,
            units=(), leaders=(), metric=None):
    """A result as the engine's model emits it (`Result.to_dict()`)."""
    return model.Result(
        **_measure_fields(rid, doc, item, raw, value, value, value, unit, currency, category,
                          "eq", None, units, leaders, metric),
        as_of=as_of, target=target).to_dict()


SYNTHETIC = {
    "documents": [
        {"index": 0, "title": "甲区教育局2023年工作要点", "issuer": "甲区教育局", "year": 2023,
         "doc_number": "甲教〔2023〕1号", "span": {"start": 0, "end": SYNTHETIC_TEXT.index("乙县")},
         "items": [
             {"id": "d0-i1", "number": 1, "title": "建设学校", "section": None,
              "span": _line_span("1. 建设学校"), "responsible_units": ["教研室", "100%办公室"],
              "responsible_leaders": ["张三"]},
             {"id": "d0-i2", "number": 2, "title": "提高比例", "section": None,
              "span": _line_span("2. 提高比例"), "responsible_units": [], "responsible_leaders": []},
         ]},
        {"index": 1, "title": "乙县教育局2024年工作要点", "issuer": "乙县教育局", "year": 2024,
         "doc_number": None, "span": {"start": SYNTHETIC_TEXT.index("乙县"), "end": len(SYNTHETIC_TEXT)},
         "items": [
             {"id": "d1-i1", "number": 1, "title": "引进外资", "section": None,
              "span": _line_span("1. 引进外资"), "responsible_units": ["外事科"],
              "responsible_leaders": []},
             {"id": "d1-i2", "number": 2, "title": "提高达标率", "section": None,
              "span": _line_span("2. 提高达标率"), "responsible_units": [],
              "responsible_leaders": []},
         ]},
    ],
    "targets": [
        _target("t0-0", 0, None, "2亿元", 2.0, 2.0, 2.0, "亿元", "CNY", "funding", "eq",
                metric="计划投资"),
        _target("t0-1", 0, {"id": "d0-i1", "number": 1, "title": "建设学校"}, "3-5所", None, 3.0, 5.0,
                "所", None, "schools", "between", units=["教研室", "100%办公室"], leaders=["张三"]),
        _target("t0-2", 0, {"id": "d0-i2", "number": 2, "title": "提高比例"}, "2个百分点", 2.0, 2.0, 2.0,
                "百分点", None, "rate", "eq", direction="decrease", deadline="年底前完成"),
        _target("t1-0", 1, {"id": "d1-i1", "number": 1, "title": "引进外资"}, "300万美元", 0.03, 0.03,
                0.03, "亿美元", "USD", "funding", "eq", units=["外事科"]),
        _target("t1-1", 1, {"id": "d1-i2", "number": 2, "title": "提高达标率"}, "90%", 90.0, 90.0,
                90.0, "%", None, "rate", "eq", direction="increase", metric="达标率",
                baseline=("85%", 85.0)),
    ],
    "results": [
        _result("r0-0", 0, None, "1.2亿元", 1.2, "亿元", "CNY", "funding", as_of="截至6月底",
                target="t0-0", metric="完成投资"),
        _result("r0-1", 0, {"id": "d0-i1", "number": 1, "title": "建设学校"}, "2所", 2.0, "所", None,
                "schools", target="t0-1", units=["教研室", "100%办公室"], leaders=["张三"]),
        _result("r1-0", 1, {"id": "d1-i1", "number": 1, "title": "引进外资"}, "120万美元", 0.012,
                "亿美元", "USD", "funding", as_of="去年", units=["外事科"]),
    ],
    "warnings": [],
}

TARGET_FIELDS = ("section", "text", "span", "raw", "value", "low", "high", "unit", "currency",
                 "category", "comparator", "direction", "per", "metric", "deadline", "baseline",
                 "responsible_units", "responsible_leaders")
RESULT_FIELDS = tuple(f for f in TARGET_FIELDS if f not in ("deadline", "baseline")) + ("as_of",)


# --------------------------------------------------------------------------- a seeded store


class Seeded:
    """Every seed posted through the API, plus SYNTHETIC stored directly, on one backend."""

    def __init__(self, url: str):
        self.url = url
        self.app = create_app({"DATABASE_URL": url, "API_KEYS": [], "TESTING": True})
        self.call = StoreCaller(self.app)
        self.documents: list[tuple[int, str, dict]] = []  # (id, source, extraction)
        for name, plan in seeds():
            response = self.call.post_json({"text": plan, "source": name})
            assert response.status_code == 201, response.get_json()
            self.documents.append((response.get_json()["id"], name, extraction_of(plan)))
        stored = store_text(Store(url), SYNTHETIC_TEXT, "synthetic.txt", extract=lambda _: SYNTHETIC)
        self.documents.append((stored.document_id, "synthetic.txt", SYNTHETIC))
        self.synthetic_id = stored.document_id

    def records(self, kind: str = "targets") -> list[dict]:
        """Every target (or result) as the API should give it back, from the extractions, in
        id order (targets and results are stored one document after the other)."""
        out = []
        for document_id, source, extraction in self.documents:
            parts = {d["index"]: d for d in extraction["documents"]}
            for t in extraction.get(kind) or []:
                part = parts.get(t["document"], {})
                out.append({**t, "document_id": document_id, "source": source,
                            "issuer": part.get("issuer"), "year": part.get("year"),
                            "item_number": t["item"]["number"] if t["item"] else None})
        return out


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(request, tmp_path_factory):
    url = empty_database_url(request.param, tmp_path_factory.mktemp("seeded"), request)
    return Seeded(url)


def keys(targets) -> list[tuple[int, str]]:
    return [(t["document_id"], t.get("key", t.get("id"))) for t in targets]


def expected_keys(records) -> list[tuple[int, str]]:
    return [(r["document_id"], r["id"]) for r in records]


def get_all_targets(call, query: str = "") -> list[dict]:
    response = call.get(f"/targets?limit=1000{'&' + query if query else ''}")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["next_cursor"] is None
    return body["targets"]


# --------------------------------------------------------------------------- migration


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_builds_the_schema_of_the_models_from_an_empty_database(backend, tmp_path, request):
    from sqlalchemy import inspect

    from service.store.db import current_revision, head_revision
    from service.store.models import Base

    url = empty_database_url(backend, tmp_path, request)
    store = Store(url)
    try:
        assert current_revision(store.engine) is None
        assert not set(inspect(store.engine).get_table_names()) & set(Base.metadata.tables)
        store.upgrade()
        store.upgrade()  # a second run (every worker runs it at start) changes nothing
        assert current_revision(store.engine) == head_revision()
        inspector = inspect(store.engine)
        assert set(Base.metadata.tables) <= set(inspector.get_table_names())
        for name, table in Base.metadata.tables.items():
            assert {c["name"] for c in inspector.get_columns(name)} == set(table.columns.keys()), name
            assert ({i["name"] for i in inspector.get_indexes(name)}
                    >= {i.name for i in table.indexes}), name
        assert "target_rows" in inspector.get_view_names()
        from alembic.autogenerate import compare_metadata
        from alembic.runtime.migration import MigrationContext

        with store.engine.connect() as conn:  # the migration builds exactly what the models say
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        store.dispose()


def test_cli_db_upgrade_migrates_the_configured_database(tmp_path, monkeypatch):
    from service.cli import main
    from service.store.db import current_revision, head_revision

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    store = Store(url)
    assert current_revision(store.engine) == head_revision()
    store.dispose()


# --------------------------------------------------------------------------- POST /documents


def test_post_stores_exactly_what_extract_returns(client, store_url):
    call = StoreCaller(client.application)
    name, plan = seeds()[2]
    expected = extraction_of(plan)
    response = call.post_json({"text": plan, "source": name})
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/documents/{body['id']}")
    assert body["source"] == name and body["text"] == plan
    assert len(body["sha256"]) == 64
    assert body["target_count"] == len(expected["targets"]) == len(body["targets"])
    assert [(p["index"], p["title"], p["issuer"], p["year"], p["doc_number"], p["span"])
            for p in body["parts"]] == [
        (d["index"], d["title"], d["issuer"], d["year"], d["doc_number"], d["span"])
        for d in expected["documents"]]
    assert [[(i["key"], i["number"], i["title"], i["section"], i["span"], i["responsible_units"],
              i["responsible_leaders"]) for i in p["items"]] for p in body["parts"]] == [
        [(i["id"], i["number"], i["title"], i["section"], i["span"], i["responsible_units"],
          i["responsible_leaders"]) for i in d["items"]] for d in expected["documents"]]
    for got, want in zip(body["targets"], expected["targets"]):
        assert got["key"] == want["id"] and got["part"] == want["document"]
        assert {f: got[f] for f in TARGET_FIELDS} == {f: want[f] for f in TARGET_FIELDS}
        assert plan[got["span"]["start"]:got["span"]["end"]] == got["raw"]
        if want["item"]:
            assert (got["item"]["key"], got["item"]["number"], got["item"]["title"]) == (
                want["item"]["id"], want["item"]["number"], want["item"]["title"])
        else:
            assert got["item"] is None
        part = expected["documents"][want["document"]]
        assert (got["issuer"], got["year"], got["document_id"]) == (part["issuer"], part["year"], body["id"])
    assert call.get(f"/documents/{body['id']}").get_json() == body


def test_same_text_again_returns_the_stored_document_in_any_input_form(client, store_url):
    call = StoreCaller(client.application)
    name, plan = seeds()[0]
    first = call.post_json({"text": plan, "source": name})
    assert first.status_code == 201
    again = [call.post_json({"text": plan, "source": "other.txt"}),
             call.post_text(plan),
             call.upload("copy.txt", plan.encode("gb18030"))]
    for response in again:
        assert response.status_code == 200
        assert response.get_json() == first.get_json()
        assert response.headers["Location"] == first.headers["Location"]
    assert call.get("/documents").get_json()["total"] == 1


def test_plain_text_and_upload_give_their_source(client, store_url):
    call = StoreCaller(client.application)
    (_, plan_a), (_, plan_b) = seeds()[:2]
    a = call.post_text(plan_a, path="/documents?source=" + quote("a 计划.txt"))
    b = call.upload("乙计划.txt", plan_b.encode("gb18030"))
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.get_json()["source"] == "a 计划.txt"
    assert b.get_json()["source"] == "乙计划.txt" and b.get_json()["text"] == plan_b


def test_include_text_0_leaves_the_text_out(client, store_url):
    call = StoreCaller(client.application)
    _, plan = seeds()[3]
    body = call.post_json({"text": plan}, path="/documents?include_text=0").get_json()
    assert "text" not in body
    assert "text" not in call.get(f"/documents/{body['id']}?include_text=0").get_json()
    assert call.get(f"/documents/{body['id']}").get_json()["text"] == plan


@pytest.mark.parametrize("payload, status", [
    ({"text": "   "}, 400), ({"source": "x"}, 400), ({"text": "x", "extra": 1}, 400)])
def test_bad_input_is_refused_and_stores_nothing(client, store_url, payload, status):
    call = StoreCaller(client.application)
    assert call.post_json(payload).status_code == status
    assert call("POST", "/documents", b"<p>", "application/vnd.ms-excel").status_code == 415
    assert call("POST", "/documents", b"<p>", "text/html").status_code == 422  # no article in it
    assert call.get("/documents").get_json()["total"] == 0


# --------------------------------------------------------------------------- GET / DELETE one


def test_unknown_document_is_404(client, store_url):
    call = StoreCaller(client.application)
    for method in ("GET", "DELETE"):
        response = call(method, "/documents/999999")
        assert response.status_code == 404
        assert response.get_json()["type"] == "urn:plan-targets:problem:no-document"


def test_delete_removes_the_document_and_everything_extracted_from_it(client, store_url, store):
    call = StoreCaller(client.application)
    (_, plan_a), (_, plan_b) = seeds()[1:3]
    a = call.post_json({"text": plan_a}).get_json()
    b = call.post_json({"text": plan_b}).get_json()
    response = call.delete(f"/documents/{a['id']}")
    assert response.status_code == 204 and response.get_data() == b""
    assert call.get(f"/documents/{a['id']}").status_code == 404
    assert call.delete(f"/documents/{a['id']}").status_code == 404
    assert get_all_targets(call, f"document={a['id']}") == []
    assert keys(get_all_targets(call)) == keys(b["targets"])
    with store.reading() as conn:
        for table in ("parts", "items", "measures"):
            left = conn.execute(text(f"SELECT count(*) FROM {table} WHERE document_id = :d"),
                                {"d": a["id"]}).scalar()
            assert left == 0, table
        orphans = conn.execute(text("SELECT count(*) FROM responsibilities r WHERE NOT EXISTS "
                                    "(SELECT 1 FROM items i WHERE i.id = r.item_id)")).scalar()
        assert orphans == 0
    # deleted text can be stored again, as a new document
    again = call.post_json({"text": plan_a})
    assert again.status_code == 201 and again.get_json()["id"] != a["id"]


def test_wrong_method_on_documents_is_405(client, store_url):
    response = client.put("/documents/1")
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "DELETE"}


# --------------------------------------------------------------------------- auth


@pytest.fixture
def guarded(store_url):
    app = create_app({"DATABASE_URL": store_url, "API_KEYS": ["alpha-key", "beta-key"],
                      "TESTING": True})
    return StoreCaller(app)


def test_writes_need_a_bearer_key_when_keys_are_set(guarded):
    _, plan = seeds()[3]
    no_header = guarded.post_json({"text": plan})
    assert no_header.status_code == 401
    assert no_header.headers["WWW-Authenticate"].startswith("Bearer")
    assert no_header.get_json()["type"] == "urn:plan-targets:problem:unauthorized"
    assert guarded.post_json({"text": plan}, headers={"Authorization": "Basic YTpi"}).status_code == 401
    wrong = guarded.post_json({"text": plan}, headers={"Authorization": "Bearer alpha-kex"})
    assert wrong.status_code == 403
    assert wrong.get_json()["type"] == "urn:plan-targets:problem:forbidden"
    assert guarded.get("/documents").get_json()["total"] == 0
    created = guarded.post_json({"text": plan}, headers={"Authorization": "Bearer beta-key"})
    assert created.status_code == 201
    document_id = created.get_json()["id"]
    assert guarded.delete(f"/documents/{document_id}").status_code == 401
    assert guarded.delete(f"/documents/{document_id}",
                          headers={"Authorization": "Bearer nope"}).status_code == 403
    assert guarded.delete(f"/documents/{document_id}",
                          headers={"Authorization": "Bearer alpha-key"}).status_code == 204


def test_reads_and_extract_stay_open_when_keys_are_set(guarded):
    for path in ("/documents", "/targets", "/summary?group_by=issuer", "/targets?format=csv"):
        assert guarded.get(path).status_code == 200, path
    assert guarded.get("/documents/1").status_code == 404
    response = guarded.client.post("/extract", json={"text": seeds()[3][1]})
    assert response.status_code == 200


def test_key_comparison_accepts_only_exact_keys():
    from service.store.routes import key_accepted

    assert key_accepted("k2", ["k1", "k2"])
    assert not key_accepted("k", ["k1", "k2"]) and not key_accepted("k22", ["k1", "k2"])
    assert not key_accepted("k1", [])
    assert key_accepted("钥匙", ["钥匙"])


# --------------------------------------------------------------------------- GET /documents


def test_list_documents_filters_and_pages(seeded):
    call = seeded.call
    body = call.get("/documents").get_json()
    assert body["total"] == len(seeded.documents)
    assert [d["id"] for d in body["documents"]] == sorted((d[0] for d in seeded.documents), reverse=True)
    for doc in body["documents"]:
        assert {"items", "targets", "text"}.isdisjoint(doc)
    by_id = {d[0]: d for d in seeded.documents}
    for doc in body["documents"]:
        extraction = by_id[doc["id"]][2]
        assert doc["target_count"] == len(extraction["targets"])
        assert [p["issuer"] for p in doc["parts"]] == [d["issuer"] for d in extraction["documents"]]

    def ids(query: str) -> set[int]:
        response = call.get("/documents?" + query)
        assert response.status_code == 200
        page = response.get_json()
        assert page["total"] == len(page["documents"])
        return {d["id"] for d in page["documents"]}

    issuers = {d["issuer"] for _, _, e in seeded.documents for d in e["documents"] if d["issuer"]}
    assert "乙县教育局" in issuers
    for issuer in issuers:
        assert ids(urlencode({"issuer": issuer})) == {
            i for i, _, e in seeded.documents if any(d["issuer"] == issuer for d in e["documents"])}
    for year in (2023, 2024):
        assert ids(f"year={year}") == {
            i for i, _, e in seeded.documents if any(d["year"] == year for d in e["documents"])}
    assert ids(urlencode({"q": "乙县"})) == {seeded.synthetic_id}
    assert ids(urlencode({"q": "工作要点"})) >= {seeded.synthetic_id}
    assert ids(urlencode({"q": "没有这个标题"})) == set()

    pages, offset = [], 0
    while True:
        page = call.get(f"/documents?limit=4&offset={offset}").get_json()
        assert page["total"] == len(seeded.documents)
        if not page["documents"]:
            break
        pages += [d["id"] for d in page["documents"]]
        offset += 4
    assert pages == [d["id"] for d in body["documents"]]


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "offset=-1", "year=二〇二三", "color=red"])
def test_bad_document_list_parameters_are_400(seeded, query):
    response = seeded.call.get("/documents?" + query)
    assert response.status_code == 400
    assert response.get_json()["type"] == "urn:plan-targets:problem:invalid-request"


# --------------------------------------------------------------------------- GET /targets


FILTER_CASES = [
    ("category=funding", lambda r: r["category"] == "funding"),
    ("category=funding,seats", lambda r: r["category"] in ("funding", "seats")),
    ("unit=%25", lambda r: r["unit"] == "%"),
    ("unit=" + quote("所,人"), lambda r: r["unit"] in ("所", "人")),
    ("currency=USD", lambda r: r["currency"] == "USD"),
    ("issuer=" + quote("乙县教育局"), lambda r: r["issuer"] == "乙县教育局"),
    ("issuer=" + quote("市教育局"), lambda r: r["issuer"] == "市教育局"),
    ("year=2024", lambda r: r["year"] == 2024),
    ("year=2023&category=rate", lambda r: r["year"] == 2023 and r["category"] == "rate"),
    ("item=3", lambda r: r["item_number"] == 3),
    ("responsible_unit=" + quote("办公室"), lambda r: any("办公室" in u for u in r["responsible_units"])),
    ("responsible_unit=%25", lambda r: any("%" in u for u in r["responsible_units"])),
    ("responsible_unit=" + quote("教研"), lambda r: any("教研" in u for u in r["responsible_units"])),
    ("comparator=ge,gt", lambda r: r["comparator"] in ("ge", "gt")),
    ("comparator=between", lambda r: r["comparator"] == "between"),
    ("direction=increase", lambda r: r["direction"] == "increase"),
    ("direction=none", lambda r: r["direction"] is None),
    ("direction=decrease,none", lambda r: r["direction"] in ("decrease", None)),
    ("min_value=10", lambda r: next(v for v in (r["value"], r["high"], r["low"]) if v is not None) >= 10),
    ("max_value=4", lambda r: next(v for v in (r["value"], r["low"], r["high"]) if v is not None) <= 4),
    ("min_value=3&max_value=3", lambda r: (r["value"] == 3) if r["value"] is not None
     else r["low"] <= 3 <= r["high"]),
    ("has_deadline=true", lambda r: r["deadline"] is not None),
    ("has_deadline=false", lambda r: r["deadline"] is None),
    ("category=rate&min_value=90&has_deadline=false",
     lambda r: r["category"] == "rate" and r["value"] is not None and r["value"] >= 90
     and r["deadline"] is None),
]


@pytest.mark.parametrize("query, predicate", FILTER_CASES, ids=[c[0] for c in FILTER_CASES])
def test_target_filters_select_exactly_the_matching_targets(seeded, query, predicate):
    records = seeded.records()
    assert keys(get_all_targets(seeded.call, query)) == expected_keys(filter(predicate, records))


def test_filters_are_not_vacuous(seeded):
    """The cases above select something on this data (else they would prove nothing)."""
    records = seeded.records()
    for query, predicate in FILTER_CASES:
        if query.startswith(("category=rate&min", "issuer=" + quote("市"), "item=")):
            continue  # depend on what the engine finds in the seeds
        assert any(map(predicate, records)), query


def test_document_filter_and_all_targets_match_the_extractions(seeded):
    records = seeded.records()
    everything = get_all_targets(seeded.call)
    assert keys(everything) == expected_keys(records)
    for got, want in zip(everything, records):
        assert {f: got[f] for f in TARGET_FIELDS} == {f: want[f] for f in TARGET_FIELDS}
        assert (got["issuer"], got["year"], got["source"]) == (want["issuer"], want["year"], want["source"])
    for document_id, _, extraction in seeded.documents:
        assert [t["key"] for t in get_all_targets(seeded.call, f"document={document_id}")] == [
            t["id"] for t in extraction["targets"]]


SORTS = ["id", "-id", "value", "-value", "year", "-issuer", "category", "unit", "deadline", "-document"]


@pytest.mark.parametrize("sort", SORTS)
def test_cursor_pages_walk_every_target_once_in_sort_order(seeded, sort):
    call = seeded.call
    whole = get_all_targets(call, f"sort={sort}")
    assert len(whole) == len(seeded.records())
    walked, cursor, pages = [], None, 0
    while True:
        query = {"sort": sort, "limit": 11, **({"cursor": cursor} if cursor else {})}
        response = call.get("/targets?" + urlencode(query))
        body = response.get_json()
        assert len(body["targets"]) <= 11
        walked += body["targets"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            assert "Link" not in response.headers
            break
        assert response.headers["X-Next-Cursor"] == cursor
        assert 'rel="next"' in response.headers["Link"]
    assert [t["id"] for t in walked] == [t["id"] for t in whole]
    assert len({t["id"] for t in walked}) == len(walked)
    assert pages == len(whole) // 11 + (1 if len(whole) % 11 else 0)
    field = {"document": "document_id"}.get(sort.lstrip("-"), sort.lstrip("-"))
    values = [t[field] for t in whole]
    present = [v for v in values if v is not None]
    assert values == present + [None] * (len(values) - len(present)), "nulls come last"
    assert present == sorted(present, reverse=sort.startswith("-")) or field == "issuer"


def test_filtered_pages_keep_the_filter(seeded):
    call = seeded.call
    query = "category=" + quote("schools,rate") + "&sort=-value&limit=3"
    walked, cursor = [], None
    while True:
        body = call.get(f"/targets?{query}{'&cursor=' + cursor if cursor else ''}").get_json()
        walked += body["targets"]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert [t["id"] for t in walked] == [
        t["id"] for t in get_all_targets(call, "category=schools,rate&sort=-value")]
    assert {t["category"] for t in walked} <= {"schools", "rate"}


@pytest.mark.parametrize("query", [
    "limit=0", "limit=1001", "sort=colour", "category=money", "comparator=around",
    "direction=up", "year=2023.5", "min_value=abc", "min_value=nan", "has_deadline=maybe",
    "document=x", "format=xml", "cursor=not-a-cursor", "colour=red"])
def test_bad_target_parameters_are_400(seeded, query):
    response = seeded.call.get("/targets?" + query)
    assert response.status_code == 400
    assert response.get_json()["type"] == "urn:plan-targets:problem:invalid-request"


def test_a_cursor_only_works_with_its_own_sort(seeded):
    cursor = seeded.call.get("/targets?sort=value&limit=2").get_json()["next_cursor"]
    assert cursor
    assert seeded.call.get(f"/targets?sort=-value&limit=2&cursor={cursor}").status_code == 400
    assert seeded.call.get(f"/targets?sort=value&limit=2&cursor={cursor}").status_code == 200


# --------------------------------------------------------------------------- CSV


def _csv_rows(response) -> list[dict]:
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark first"
    assert response.headers["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_one_row_per_target_with_the_json_values(seeded):
    call = seeded.call
    whole = get_all_targets(call)
    by_format = _csv_rows(call.get("/targets?format=csv"))
    by_accept = call.get("/targets", headers={"Accept": "text/csv"})
    assert _csv_rows(by_accept) == by_format
    assert "Accept" in by_accept.headers.get("Vary", "")
    assert len(by_format) == len(whole)
    for row, t in zip(by_format, whole):
        assert int(row["id"]) == t["id"] and int(row["document_id"]) == t["document_id"]
        assert row["raw"] == t["raw"] and row["unit"] == t["unit"] and row["text"] == t["text"]
        assert row["issuer"] == (t["issuer"] or "")
        assert row["responsible_units"] == "、".join(t["responsible_units"])
        for field in ("value", "low", "high"):
            assert (float(row[field]) if row[field] else None) == t[field]
        assert row["item_number"] == (str(t["item"]["number"]) if t["item"] else "")


def test_csv_takes_filters_and_pages(seeded):
    call = seeded.call
    funding = _csv_rows(call.get("/targets?format=csv&category=funding"))
    assert [int(r["id"]) for r in funding] == [t["id"] for t in get_all_targets(call, "category=funding")]
    first = call.get("/targets?format=csv&limit=5")
    assert len(_csv_rows(first)) == 5
    cursor = first.headers["X-Next-Cursor"]
    second = call.get(f"/targets?format=csv&limit=5&cursor={cursor}")
    assert [int(r["id"]) for r in _csv_rows(second)] == [t["id"] for t in get_all_targets(call)[5:10]]
    json_anyway = call.get("/targets?format=json&limit=1", headers={"Accept": "text/csv"})
    assert json_anyway.headers["Content-Type"].startswith("application/json")


# --------------------------------------------------------------------------- summary


def _expected_groups(records, fields, unit_filter=None):
    groups = defaultdict(lambda: {"count": 0, "sum": 0.0, "ranges": 0})
    for r in records:
        names = r["responsible_units"] if "responsible_unit" in fields else [None]
        if "responsible_unit" in fields:
            if unit_filter:
                names = [n for n in names if unit_filter in n]
            names = names or [None]
        for name in names:
            row = {**r, "responsible_unit": name, "document": r["document_id"]}
            g = groups[tuple(row[f] for f in fields)]
            g["count"] += 1
            if r["value"] is None:
                g["ranges"] += 1
            else:
                g["sum"] += r["value"]
    return groups


def _got_groups(body, fields):
    return {tuple(g[f] for f in fields): {"count": g["count"], "sum": g["sum"], "ranges": g["ranges"]}
            for g in body["groups"]}


@pytest.mark.parametrize("group_by", [
    "", "issuer", "year", "category", "issuer,year", "issuer,year,category,unit,responsible_unit",
    "responsible_unit", "document,category", "currency,direction,comparator"])
def test_summary_counts_and_sums_per_group(seeded, group_by):
    response = seeded.call.get(f"/summary?group_by={group_by}" if group_by else "/summary")
    assert response.status_code == 200
    body = response.get_json()
    fields = [f for f in group_by.split(",") if f]
    fields += [] if "unit" in fields else ["unit"]
    assert body["group_by"] == fields
    for g in body["groups"]:
        assert set(g) == set(fields) | {"count", "sum", "ranges"}
    expected = _expected_groups(seeded.records(), fields)
    got = _got_groups(body, fields)
    assert got.keys() == expected.keys()
    for key, want in expected.items():
        assert got[key]["count"] == want["count"] and got[key]["ranges"] == want["ranges"], key
        assert got[key]["sum"] == pytest.approx(want["sum"], rel=1e-9, abs=1e-9), key


@pytest.mark.parametrize("query", [
    "category=funding", "year=2024&category=schools", "responsible_unit=" + quote("办公室"),
    "min_value=5&direction=none", "issuer=" + quote("甲区教育局")])
def test_summary_takes_the_target_filters(seeded, query):
    fields = ["issuer", "responsible_unit", "unit"]
    body = seeded.call.get(f"/summary?group_by=issuer,responsible_unit&{query}").get_json()
    matching = {t["id"] for t in get_all_targets(seeded.call, query)}
    records = [r for r, t in zip(seeded.records(), get_all_targets(seeded.call)) if t["id"] in matching]
    unit_filter = "办公室" if "responsible_unit" in query else None
    expected = _expected_groups(records, fields, unit_filter)
    got = _got_groups(body, fields)
    assert got.keys() == expected.keys()
    for key in expected:
        assert got[key]["count"] == expected[key]["count"]
        assert got[key]["sum"] == pytest.approx(expected[key]["sum"])


def test_summary_never_adds_different_units(seeded):
    body = seeded.call.get("/summary?group_by=category&category=funding").get_json()
    units = {g["unit"] for g in body["groups"]}
    assert {"亿元", "亿美元"} <= units  # the synthetic plan has both
    assert len(body["groups"]) == len({(g["category"], g["unit"]) for g in body["groups"]})


def test_range_targets_add_nothing_to_sum_and_are_counted(seeded):
    body = seeded.call.get(
        f"/summary?group_by=category&document={seeded.synthetic_id}&category=schools").get_json()
    assert body["groups"] == [{"category": "schools", "unit": "所", "count": 1, "sum": 0.0, "ranges": 1}]


def test_summary_funding_of_each_seed_equals_its_extract_funding(seeded):
    """The acceptance check: per stored seed, summed funding == the sum of /extract's funding targets."""
    for document_id, source, extraction in seeded.documents:
        response = seeded.call.get(f"/summary?group_by=document&category=funding&document={document_id}")
        got = {g["unit"]: g["sum"] for g in response.get_json()["groups"]}
        want = defaultdict(float)
        for t in extraction["targets"]:
            if t["category"] == "funding":
                want[t["unit"]] += t["value"] or 0.0
        assert got.keys() == want.keys(), source
        for unit in want:
            assert got[unit] == pytest.approx(want[unit], rel=1e-9), (source, unit)


@pytest.mark.parametrize("query", ["group_by=colour", "group_by=issuer,colour", "year=x", "format=csv"])
def test_bad_summary_parameters_are_400(seeded, query):
    assert seeded.call.get("/summary?" + query).status_code == 400


# --------------------------------------------------------------------------- BI view


def test_target_rows_view_flattens_each_target(seeded):
    store = Store(seeded.url)
    try:
        with store.reading() as conn:
            rows = conn.execute(text(
                "SELECT target_id, document_id, issuer, year, item_number, raw, value, unit, "
                "category, responsible_units, responsible_leaders, source "
                "FROM target_rows ORDER BY target_id")).mappings().all()
    finally:
        store.dispose()
    whole = get_all_targets(seeded.call)
    assert len(rows) == len(whole)
    for row, t in zip(rows, whole):
        assert (row["target_id"], row["document_id"], row["issuer"], row["year"], row["raw"],
                row["value"], row["unit"], row["category"], row["source"]) == (
            t["id"], t["document_id"], t["issuer"], t["year"], t["raw"], t["value"], t["unit"],
            t["category"], t["source"])
        assert row["item_number"] == (t["item"]["number"] if t["item"] else None)
        assert (row["responsible_units"] or "") == "、".join(t["responsible_units"])
        assert (row["responsible_leaders"] or "") == "、".join(t["responsible_leaders"])


# --------------------------------------------------------------------------- database settings


def test_postgres_urls_from_hosting_platforms_use_psycopg():
    from service.store.db import normalise_url

    assert normalise_url("postgres://u:p@db:5432/x") == "postgresql+psycopg://u:p@db:5432/x"
    assert normalise_url("postgresql://u@db/x") == "postgresql+psycopg://u@db/x"
    assert normalise_url("postgresql+psycopg://u@db/x") == "postgresql+psycopg://u@db/x"
    assert normalise_url("sqlite:///a.db") == "sqlite:///a.db"


def test_unreachable_database_is_503_and_extract_still_works():
    from service.api.server import free_port

    app = create_app({"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/none",
                      "TESTING": True})
    call = StoreCaller(app)
    for path in ("/documents", "/targets", "/summary"):
        response = call.get(path)
        assert response.status_code == 503, path
        assert response.headers["Retry-After"]
        assert response.get_json()["type"] == "urn:plan-targets:problem:store-unavailable"
    assert app.test_client().post("/extract", json={"text": seeds()[3][1]}).status_code == 200


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'wal.db'}")  # directories are made
    try:
        with store.reading() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.dispose()


def test_whole_csv_is_streamed_in_batches_without_losing_a_row(seeded, monkeypatch):
    from service.store import routes

    whole = get_all_targets(seeded.call, "sort=-value")
    monkeypatch.setattr(routes, "CSV_BATCH", 7)
    rows = _csv_rows(seeded.call.get("/targets?format=csv&sort=-value"))
    assert [int(r["id"]) for r in rows] == [t["id"] for t in whole]
    cursor = seeded.call.get("/targets?sort=-value&limit=10").get_json()["next_cursor"]
    rest = _csv_rows(seeded.call.get(f"/targets?format=csv&sort=-value&cursor={cursor}"))
    assert [int(r["id"]) for r in rest] == [t["id"] for t in whole[10:]]


def test_overlong_names_are_cut_to_their_columns_not_refused(store):
    """A misread responsibility line can make a very long 'unit'; the document is still kept."""
    import copy

    extraction = copy.deepcopy(SYNTHETIC)
    extraction["documents"][0]["items"][0]["responsible_units"].append("很长的单位名称" * 100)
    extraction["documents"][0]["issuer"] = "局" * 300
    stored = store_text(store, SYNTHETIC_TEXT + "（长名）", "long.txt", extract=lambda _: extraction)
    with store.reading() as conn:
        from service.store import repository

        document = repository.get_document(conn, stored.document_id)
    assert len(document["parts"][0]["issuer"]) == 200
    long_unit = document["parts"][0]["items"][0]["responsible_units"][-1]
    assert long_unit == ("很长的单位名称" * 100)[:200]


# --------------------------------------------------------------------------- results


def get_all_results(call, query: str = "") -> list[dict]:
    response = call.get(f"/results?limit=1000{'&' + query if query else ''}")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["next_cursor"] is None and set(body) == {"results", "next_cursor", "limit"}
    return body["results"]


def test_results_are_stored_apart_from_targets_with_their_target_and_baseline(seeded):
    call = seeded.call
    document = call.get(f"/documents/{seeded.synthetic_id}").get_json()
    assert (document["target_count"], document["result_count"]) == (
        len(SYNTHETIC["targets"]), len(SYNTHETIC["results"]))
    assert [t["key"] for t in document["targets"]] == [t["id"] for t in SYNTHETIC["targets"]]
    assert [r["key"] for r in document["results"]] == [r["id"] for r in SYNTHETIC["results"]]
    stored_target = {t["key"]: t for t in document["targets"]}
    for got, want in zip(document["targets"], SYNTHETIC["targets"]):
        assert {f: got[f] for f in TARGET_FIELDS} == {f: want[f] for f in TARGET_FIELDS}
    assert stored_target["t1-1"]["baseline"] == {"raw": "85%", "value": 85.0}
    for got, want in zip(document["results"], SYNTHETIC["results"]):
        assert {f: got[f] for f in RESULT_FIELDS} == {f: want[f] for f in RESULT_FIELDS}
        assert "deadline" not in got and "baseline" not in got
        assert SYNTHETIC_TEXT[got["span"]["start"]:got["span"]["end"]] == got["raw"]
        if want["target"] is None:
            assert got["target"] is None
        else:  # the extraction's target id became the stored target's row id
            linked = stored_target[want["target"]]
            assert got["target"] == {"id": linked["id"], "key": want["target"]}
    listed = next(d for d in call.get("/documents?limit=500").get_json()["documents"]
                  if d["id"] == seeded.synthetic_id)
    assert (listed["target_count"], listed["result_count"]) == (
        len(SYNTHETIC["targets"]), len(SYNTHETIC["results"]))


def test_targets_never_include_a_result_and_results_never_a_target(seeded):
    targets, results = get_all_targets(seeded.call), get_all_results(seeded.call)
    assert keys(targets) == expected_keys(seeded.records("targets"))
    assert keys(results) == expected_keys(seeded.records("results"))
    assert results, "the synthetic plan has results"
    assert not {t["id"] for t in targets} & {r["id"] for r in results}
    csv_keys = {(int(r["document_id"]), r["raw"], r["span_start"])
                for r in _csv_rows(seeded.call.get("/targets?format=csv"))}
    assert not csv_keys & {(r["document_id"], r["raw"], str(r["span"]["start"])) for r in results}
    assert len(csv_keys) == len(targets)


RESULT_FILTER_CASES = [c for c in FILTER_CASES if "has_deadline" not in c[0]] + [
    ("has_target=true", lambda r: r["target"] is not None),
    ("has_target=false", lambda r: r["target"] is None),
    ("category=funding&has_target=false", lambda r: r["category"] == "funding" and r["target"] is None),
]


@pytest.mark.parametrize("query, predicate", RESULT_FILTER_CASES, ids=[c[0] for c in RESULT_FILTER_CASES])
def test_result_filters_select_exactly_the_matching_results(seeded, query, predicate):
    records = seeded.records("results")
    assert keys(get_all_results(seeded.call, query)) == expected_keys(filter(predicate, records))


def test_result_filters_are_not_vacuous(seeded):
    records = seeded.records("results")
    for query in ("category=funding", "currency=USD", "has_target=true", "has_target=false",
                  "year=2024", "responsible_unit=" + quote("办公室")):
        predicate = dict(RESULT_FILTER_CASES)[query]
        assert any(map(predicate, records)), query


@pytest.mark.parametrize("sort", ["id", "-value", "as_of", "-as_of", "issuer", "unit"])
def test_result_cursor_pages_walk_every_result_once(seeded, sort):
    whole = get_all_results(seeded.call, f"sort={sort}")
    walked, cursor = [], None
    while True:
        query = {"sort": sort, "limit": 1, **({"cursor": cursor} if cursor else {})}
        body = seeded.call.get("/results?" + urlencode(query)).get_json()
        walked += body["results"]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert [r["id"] for r in walked] == [r["id"] for r in whole]
    assert len(whole) == len(seeded.records("results"))
    field = sort.lstrip("-")
    present = [r[field] for r in whole if r[field] is not None]
    assert [r[field] for r in whole] == present + [None] * (len(whole) - len(present))
    assert present == sorted(present, reverse=sort.startswith("-")) or field == "issuer"


@pytest.mark.parametrize("query", ["has_deadline=true", "sort=deadline", "kind=results", "limit=0",
                                   "category=money", "cursor=xyz"])
def test_bad_result_parameters_are_400(seeded, query):
    response = seeded.call.get("/results?" + query)
    assert response.status_code == 400
    assert response.get_json()["type"] == "urn:plan-targets:problem:invalid-request"


def test_a_targets_cursor_is_refused_by_results_and_back(seeded):
    target_cursor = seeded.call.get("/targets?limit=1").get_json()["next_cursor"]
    result_cursor = seeded.call.get("/results?limit=1").get_json()["next_cursor"]
    assert target_cursor and result_cursor
    assert seeded.call.get(f"/results?limit=1&cursor={target_cursor}").status_code == 400
    assert seeded.call.get(f"/targets?limit=1&cursor={result_cursor}").status_code == 400


def test_results_csv_has_one_row_per_result_with_its_own_columns(seeded):
    from service.store.routes import CSV_COLUMNS_OF

    whole = get_all_results(seeded.call)
    response = seeded.call.get("/results?format=csv")
    assert 'filename="results.csv"' in response.headers["Content-Disposition"]
    rows = _csv_rows(response)
    assert tuple(rows[0]) == CSV_COLUMNS_OF["result"]
    assert "deadline" not in rows[0] and "as_of" in rows[0]
    assert [int(r["id"]) for r in rows] == [r["id"] for r in whole]
    for row, r in zip(rows, whole):
        assert row["raw"] == r["raw"] and row["as_of"] == (r["as_of"] or "")
        assert row["target_id"] == (str(r["target"]["id"]) if r["target"] else "")
        assert row["target_key"] == (r["target"]["key"] if r["target"] else "")
        assert (float(row["value"]) if row["value"] else None) == r["value"]
    by_accept = seeded.call.get("/results?category=funding", headers={"Accept": "text/csv"})
    assert [int(r["id"]) for r in _csv_rows(by_accept)] == [
        r["id"] for r in get_all_results(seeded.call, "category=funding")]
    targets_csv = _csv_rows(seeded.call.get("/targets?format=csv&document=%d" % seeded.synthetic_id))
    baseline = next(r for r in targets_csv if r["raw"] == "90%")
    assert (baseline["baseline_raw"], float(baseline["baseline_value"])) == ("85%", 85.0)


@pytest.mark.parametrize("group_by", ["", "issuer,year", "category,currency", "responsible_unit",
                                      "document"])
def test_summary_of_results_counts_and_sums_results_only(seeded, group_by):
    fields = [f for f in group_by.split(",") if f] + ["unit"]
    response = seeded.call.get("/summary?kind=results" + (f"&group_by={group_by}" if group_by else ""))
    assert response.status_code == 200
    body = response.get_json()
    assert body["kind"] == "results" and body["group_by"] == fields
    expected = _expected_groups(seeded.records("results"), fields)
    got = _got_groups(body, fields)
    assert got.keys() == expected.keys()
    for key, want in expected.items():
        assert got[key]["count"] == want["count"], key
        assert got[key]["sum"] == pytest.approx(want["sum"], rel=1e-9), key


def test_summary_of_targets_is_the_default_and_never_adds_a_result(seeded):
    query = f"group_by=category&document={seeded.synthetic_id}"
    default = seeded.call.get(f"/summary?{query}").get_json()
    assert default == seeded.call.get(f"/summary?kind=targets&{query}").get_json()
    assert default["kind"] == "targets"
    funding = {g["unit"]: g["sum"] for g in default["groups"] if g["category"] == "funding"}
    assert funding == {"亿元": 2.0, "亿美元": 0.03}  # the plan's targets; 1.2亿元 achieved is apart
    results = seeded.call.get(f"/summary?kind=results&{query}").get_json()
    assert {g["unit"]: g["sum"] for g in results["groups"] if g["category"] == "funding"} == {
        "亿元": 1.2, "亿美元": 0.012}


@pytest.mark.parametrize("query", ["kind=facts", "kind=results&has_deadline=maybe"])
def test_bad_summary_kinds_are_400(seeded, query):
    assert seeded.call.get("/summary?" + query).status_code == 400


@pytest.mark.parametrize("kind, other_flag", [("results", "has_deadline"), ("targets", "has_target")])
def test_summary_reads_the_other_kinds_flag_as_the_field_it_never_has(seeded, kind, other_flag):
    """The contract gives /summary both flags: no result has a deadline and no target has a
    target, so `true` matches nothing and `false` everything."""
    whole = seeded.call.get(f"/summary?kind={kind}").get_json()
    assert whole["groups"]
    assert seeded.call.get(f"/summary?kind={kind}&{other_flag}=true").get_json()["groups"] == []
    assert seeded.call.get(f"/summary?kind={kind}&{other_flag}=false").get_json() == whole


def test_bi_views_hold_targets_only_and_results_only(seeded):
    store = Store(seeded.url)
    try:
        with store.reading() as conn:
            target_rows = conn.execute(text(
                "SELECT target_id, raw, baseline_raw, baseline_value FROM target_rows "
                "ORDER BY target_id")).mappings().all()
            result_rows = conn.execute(text(
                "SELECT result_id, document_id, issuer, year, item_number, raw, value, unit, "
                "category, as_of, target_id, target_raw, target_value, responsible_units, source "
                "FROM result_rows ORDER BY result_id")).mappings().all()
    finally:
        store.dispose()
    targets, results = get_all_targets(seeded.call), get_all_results(seeded.call)
    assert [r["target_id"] for r in target_rows] == [t["id"] for t in targets]
    for row, t in zip(target_rows, targets):
        assert (row["baseline_raw"], row["baseline_value"]) == (
            (t["baseline"]["raw"], t["baseline"]["value"]) if t["baseline"] else (None, None))
    by_id = {t["id"]: t for t in targets}
    assert [r["result_id"] for r in result_rows] == [r["id"] for r in results]
    for row, r in zip(result_rows, results):
        assert (row["document_id"], row["issuer"], row["year"], row["raw"], row["value"],
                row["unit"], row["category"], row["as_of"], row["source"]) == (
            r["document_id"], r["issuer"], r["year"], r["raw"], r["value"], r["unit"],
            r["category"], r["as_of"], r["source"])
        assert row["item_number"] == (r["item"]["number"] if r["item"] else None)
        assert (row["responsible_units"] or "") == "、".join(r["responsible_units"])
        if r["target"]:
            linked = by_id[r["target"]["id"]]
            assert (row["target_id"], row["target_raw"], row["target_value"]) == (
                linked["id"], linked["raw"], linked["value"])
        else:
            assert (row["target_id"], row["target_raw"]) == (None, None)


def test_deleting_a_document_removes_its_results(client, store_url, store):
    stored = store_text(store, SYNTHETIC_TEXT, "synthetic.txt", extract=lambda _: SYNTHETIC)
    call = StoreCaller(client.application)
    assert len(get_all_results(call)) == len(SYNTHETIC["results"])
    assert call.delete(f"/documents/{stored.document_id}").status_code == 204
    assert get_all_results(call) == [] and get_all_targets(call) == []
    with store.reading() as conn:
        assert conn.execute(text("SELECT count(*) FROM measures")).scalar() == 0


def test_a_result_naming_an_unknown_target_is_stored_unlinked(store):
    import copy

    extraction = copy.deepcopy(SYNTHETIC)
    extraction["results"][0]["target"] = "t9-9"
    stored = store_text(store, SYNTHETIC_TEXT + "（另）", "other.txt", extract=lambda _: extraction)
    with store.reading() as conn:
        from service.store import repository

        document = repository.get_document(conn, stored.document_id)
    assert document["results"][0]["target"] is None
    assert document["results"][1]["target"]["key"] == "t0-1"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrating_0001_to_0002_keeps_stored_targets_and_back(backend, tmp_path, request):
    """A store filled before results existed keeps every target (ids included) in `measures`."""
    url = empty_database_url(backend, tmp_path, request)
    store = Store(url)
    try:
        store.upgrade("0001")
        with store.writing() as conn:
            conn.execute(text(
                "INSERT INTO documents (id, sha256, source, text, warnings, created_at) "
                "VALUES (7, :sha, 'old.txt', '新建学校3所。', '[]', CURRENT_TIMESTAMP)"),
                {"sha": "0" * 64})
            conn.execute(text("INSERT INTO parts (id, document_id, position, span_start, span_end) "
                              "VALUES (3, 7, 0, 0, 7)"))
            conn.execute(text(
                "INSERT INTO targets (id, document_id, part_id, key, position, text, span_start, "
                "span_end, raw, value, low, high, unit, category, comparator, deadline) VALUES "
                "(41, 7, 3, 't0-0', 0, '新建学校3所', 4, 6, '3所', 3, 3, 3, '所', 'schools', 'eq', "
                "'年底前')"))
        store.upgrade()
        call = StoreCaller(create_app({"DATABASE_URL": url, "API_KEYS": [], "TESTING": True}))
        targets = get_all_targets(call)
        assert [(t["id"], t["key"], t["raw"], t["value"], t["deadline"], t["baseline"])
                for t in targets] == [(41, "t0-0", "3所", 3.0, "年底前", None)]
        assert get_all_results(call) == []
        stored = call.post_json({"text": SYNTHETIC_TEXT})  # new rows get ids after the old ones
        assert stored.status_code == 201
        assert min(t["id"] for t in stored.get_json()["targets"]) > 41
        with store.reading() as conn:
            assert conn.execute(text("SELECT count(*) FROM target_rows WHERE target_id = 41")).scalar() == 1
        from alembic import command

        from service.store.db import alembic_config, write_transaction

        with write_transaction(store.engine) as conn:
            command.downgrade(alembic_config(conn), "0001")
        with store.reading() as conn:
            kept = conn.execute(text("SELECT id, raw FROM targets ORDER BY id")).all()
            viewed = conn.execute(text("SELECT count(*) FROM target_rows")).scalar()
        assert kept[0] == (41, "3所") and viewed == len(kept)
    finally:
        store.dispose()


def test_a_real_review_and_plan_text_is_stored_with_its_results_apart(client, store_url):
    """End to end with the real engine: POST a plan that opens with last year's review; the
    review's figures are served by /results, never by /targets or the targets' summary."""
    from api_helpers import REVIEW_AND_PLAN

    call = StoreCaller(client.application)
    expected = extraction_of(REVIEW_AND_PLAN)
    assert expected["results"] and expected["targets"]
    body = call.post_json({"text": REVIEW_AND_PLAN, "source": "review-and-plan.txt"}).get_json()
    assert (body["target_count"], body["result_count"]) == (
        len(expected["targets"]), len(expected["results"]))
    results = get_all_results(call)
    assert [r["key"] for r in results] == [r["id"] for r in expected["results"]]
    for got, want in zip(results, expected["results"]):
        assert {f: got[f] for f in RESULT_FIELDS} == {f: want[f] for f in RESULT_FIELDS}
        assert (got["target"] or {}).get("key") == want["target"]
    targets = get_all_targets(call)
    assert [t["key"] for t in targets] == [t["id"] for t in expected["targets"]]
    for got, want in zip(targets, expected["targets"]):
        assert {f: got[f] for f in TARGET_FIELDS} == {f: want[f] for f in TARGET_FIELDS}
    for kind, measures in (("targets", expected["targets"]), ("results", expected["results"])):
        groups = call.get(f"/summary?kind={kind}&group_by=category").get_json()["groups"]
        want = defaultdict(float)
        for m in measures:
            want[(m["category"], m["unit"])] += m["value"] or 0.0
        assert {(g["category"], g["unit"]): g["sum"] for g in groups} == pytest.approx(dict(want))
