"""POST /extract, GET /healthz and every error, through Flask's test client.

Each exchange made through `call` is also validated against openapi.yaml, so a behaviour and
its contract are checked together.
"""
from __future__ import annotations

import io
import json
import logging

import docx
import pytest
from urllib3 import encode_multipart_formdata

from api_helpers import check_exchange, check_problem, engine_json, seed_text
from service import config
from service.api import create_app
from service.api.errors import Problem
from service.extract import extract
from service.sources import docx_text

BASE = "http://127.0.0.1:8000"


class Caller:
    """Send a request to an app and check the exchange against the contract."""

    def __init__(self, app):
        self.client = app.test_client()

    def __call__(self, method, path, body=b"", content_type=None, headers=None, check_request=True):
        headers = dict(headers or {})
        response = self.client.open(path, method=method, data=body, content_type=content_type,
                                    headers=headers, base_url=BASE)
        if response.status_code not in (404, 405):  # those have no operation to check against
            check_exchange(BASE + path, method, response.status_code, response.get_data(),
                           response.headers, request_body=body,
                           request_content_type=(content_type or "").split(";")[0],
                           request_headers=headers, check_request=check_request)
        return response

    def post_json(self, payload, path="/extract", **kw):
        return self("POST", path, json.dumps(payload, ensure_ascii=False).encode(), "application/json", **kw)

    def post_text(self, data: bytes, content_type="text/plain; charset=utf-8", path="/extract", **kw):
        return self("POST", path, data, content_type, **kw)

    def upload(self, filename, data: bytes, path="/extract", fields=None, **kw):
        body, content_type = encode_multipart_formdata({**(fields or {}), "file": (filename, data)})
        # openapi-core does not parse multipart request bodies; the response is still checked.
        return self("POST", path, body, content_type, check_request=False, **kw)


@pytest.fixture(scope="module")
def call():
    return Caller(create_app({"TESTING": True}))


@pytest.fixture(scope="module")
def plan():
    return seed_text()


@pytest.fixture(scope="module")
def expected(plan):
    """The engine's own answer for the seed plan; the API must return exactly this."""
    return engine_json(extract(plan))


def without_meta(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "meta"}


def make_docx(paragraphs: list[str], cells: list[list[str]], tail: list[str]) -> bytes:
    document = docx.Document()
    for line in paragraphs:
        document.add_paragraph(line)
    table = document.add_table(rows=len(cells), cols=len(cells[0]))
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for line in tail:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- success -------------------------------------------------------------------------------

def test_healthz_answers_ok_with_a_request_id(call):
    response = call("GET", "/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert len(response.headers["X-Request-ID"]) >= 16


def test_request_id_is_echoed_when_usable_and_replaced_when_not(call):
    assert call("GET", "/healthz", headers={"X-Request-ID": "batch-7.plan:42"}).headers["X-Request-ID"] == "batch-7.plan:42"
    replaced = call("GET", "/healthz", headers={"X-Request-ID": "no spaces <or> markup"},
                    check_request=False).headers["X-Request-ID"]
    assert replaced != "no spaces <or> markup" and replaced


def test_json_returns_exactly_what_the_engine_returns(call, plan, expected):
    response = call.post_json({"text": plan, "source": "002.txt"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert without_meta(body) == expected
    assert expected["targets"], "the seed plan should yield targets"
    meta = body["meta"]
    assert meta["chars"] == len(plan)
    assert meta["source"] == "002.txt"
    assert meta["elapsed_ms"] >= 0
    assert meta["version"]
    assert "text" not in meta


def test_offsets_point_into_the_text_as_received(call, plan):
    body = call.post_json({"text": plan}, path="/extract?include_text=1").get_json()
    assert body["meta"]["text"] == plan
    for target in body["targets"]:
        assert plan[target["span"]["start"]:target["span"]["end"]] == target["raw"], target


def test_plain_text_body_gives_the_same_answer_as_json(call, plan, expected):
    response = call.post_text(plan.encode("utf-8"), path="/extract?source=plan.txt")
    assert response.status_code == 200
    assert without_meta(response.get_json()) == expected
    assert response.get_json()["meta"]["source"] == "plan.txt"


def test_plain_text_without_charset_may_be_gb18030(call, plan, expected):
    response = call.post_text(plan.encode("gb18030"), content_type="text/plain", path="/extract?include_text=1")
    assert response.status_code == 200
    body = response.get_json()
    assert body["meta"]["text"] == plan
    assert without_meta(body) == expected


def test_plain_text_byte_order_mark_is_not_part_of_the_text(call):
    text = "全区计划新建公办园3所，新增学位630个。"
    body = call.post_text(b"\xef\xbb\xbf" + text.encode(), path="/extract?include_text=1").get_json()
    assert body["meta"]["text"] == text
    assert without_meta(body) == engine_json(extract(text))


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_txt_upload_gives_the_same_answer_as_json(call, plan, expected, encoding):
    response = call.upload("huiji.txt", plan.encode(encoding))
    assert response.status_code == 200
    body = response.get_json()
    assert without_meta(body) == expected
    assert body["meta"]["source"] == "huiji.txt"
    assert body["meta"]["chars"] == len(plan)


def test_upload_source_field_overrides_the_file_name(call):
    body = call.upload("a.txt", "新建公办园3所".encode(), fields={"source": "惠济区2023"}).get_json()
    assert body["meta"]["source"] == "惠济区2023"


def test_docx_upload_reads_paragraphs_in_order_and_a_table_row_per_line(call, plan):
    lines = [line for line in plan.splitlines() if line.strip()]
    head, cells, tail = lines[:20], [["责任单位", "完成时限"], ["基教科", "2023年6月底"]], lines[24:60]
    data = make_docx(head, cells, tail)
    response = call.upload("plan.docx", data, path="/extract?include_text=1")
    assert response.status_code == 200
    body = response.get_json()
    text = body["meta"]["text"]
    assert text == docx_text(data) == body["text"]
    assert text.split("\n") == head + ["责任单位 | 完成时限", "基教科 | 2023年6月底"] + tail
    assert body["source"]["media_type"].endswith("wordprocessingml.document")
    assert body["source"]["filename"] == "plan.docx" and body["source"]["pages"] is None
    engine = engine_json(extract(text))
    assert {k: body[k] for k in engine} == engine


# --- errors --------------------------------------------------------------------------------

def problem_of(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    body = json.loads(response.get_data())
    check_problem(status, body, response.headers)
    return body


def test_malformed_json_is_400(call):
    body = problem_of(call("POST", "/extract", b'{"text": "abc"', "application/json", check_request=False), 400)
    assert body["type"] == "urn:plan-targets:problem:malformed-json"


@pytest.mark.parametrize("payload, problem", [
    ({}, "no-text"),
    ({"text": ""}, "no-text"),
    ({"text": " \n\t "}, "no-text"),
    ({"text": 42}, "no-text"),
    ({"source": "x.txt"}, "no-text"),
    (["新建公办园3所"], "invalid-request"),
    ({"text": "新建公办园3所", "txt": "typo"}, "invalid-request"),
    ({"text": "新建公办园3所", "source": "x" * 256}, "invalid-request"),
])
def test_json_without_usable_text_is_400(call, payload, problem):
    body = problem_of(call.post_json(payload, check_request=False), 400)
    assert body["type"] == "urn:plan-targets:problem:" + problem


def test_empty_plain_text_is_400(call):
    assert problem_of(call.post_text(b"  \r\n", check_request=False), 400)["type"].endswith("no-text")


def test_multipart_without_file_is_400(call):
    body, content_type = encode_multipart_formdata({"source": "x"})
    problem = problem_of(call("POST", "/extract", body, content_type, check_request=False), 400)
    assert "file" in problem["detail"]


def test_bad_include_text_flag_is_400(call):
    response = call.post_json({"text": "新建公办园3所"}, path="/extract?include_text=maybe", check_request=False)
    assert problem_of(response, 400)["type"].endswith("invalid-request")


@pytest.fixture(scope="module")
def small_call():
    return Caller(create_app({"TESTING": True, "MAX_BYTES": 1000}))


def test_body_over_the_limit_is_413_in_every_form(small_call):
    big = ("新建公办园3所，" * 200).encode()
    for response in (small_call.post_json({"text": big.decode()}, check_request=False),
                     small_call.post_text(big, check_request=False),
                     small_call.upload("big.txt", big)):
        body = problem_of(response, 413)
        assert body["type"] == "urn:plan-targets:problem:too-large"
        assert "1000 bytes" in body["detail"]


def test_body_exactly_at_the_limit_is_accepted(small_call):
    body = ("新建公办园3所。" * 45).encode().ljust(1000)
    assert len(body) == 1000
    assert small_call.post_text(body).status_code == 200


@pytest.mark.parametrize("content_type", ["text/plain; charset=utf-8", "application/json"])
def test_a_body_shorter_than_its_content_length_is_400(call, content_type):
    """The client went away mid-body: no extraction of the part that arrived."""
    body = json.dumps({"text": "新建公办园3所。"}, ensure_ascii=False).encode()
    response = call.client.post("/extract", data=body, content_type=content_type,
                                environ_overrides={"CONTENT_LENGTH": str(len(body) + 50)})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "targets" not in response.get_json()


@pytest.mark.parametrize("content_type", ["text/plain; charset=utf-8", "Text/Plain; Charset=\"UTF-8\"",
                                          "text/plain;charset=utf-8"])
def test_content_type_spellings_read_alike(call, content_type):
    response = call.post_text("新建公办园3所。".encode(), content_type=content_type)
    assert response.status_code == 200 and response.get_json()["targets"][0]["value"] == 3


def test_default_limit_is_five_megabytes(call):
    assert create_app().config["MAX_BYTES"] == 5 * 1024 * 1024
    response = call.post_text(b"a" * (5 * 1024 * 1024 + 1), check_request=False)
    assert "5242880" in problem_of(response, 413)["detail"]


def test_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("PLAN_TARGETS_MAX_BYTES", "2048")
    app = create_app({"TESTING": True})
    assert app.config["MAX_BYTES"] == 2048
    problem_of(Caller(app).post_text(b"x" * 2049, check_request=False), 413)


@pytest.mark.parametrize("content_type", ["image/png", "application/x-www-form-urlencoded", None])
def test_unsupported_media_type_is_415(call, content_type):
    response = call("POST", "/extract", b"text=abc", content_type, check_request=False)
    assert problem_of(response, 415)["type"].endswith("unsupported-media-type")


def test_unknown_charset_is_415(call):
    response = call.post_text("新建".encode(), content_type="text/plain; charset=klingon", check_request=False)
    assert problem_of(response, 415)["type"].endswith("unsupported-media-type")


@pytest.mark.parametrize("filename, data", [
    ("plan.pdf", b"%PDF-1.7 ..."),
    ("plan.docx", b"this is not a zip archive"),
])
def test_unsupported_file_type_is_415(call, filename, data):
    assert problem_of(call.upload(filename, data), 415)["type"].endswith("unsupported-file-type")


def test_undecodable_text_is_422(call):
    garbage = b"\xff\xfe\xfd\x80\x81" * 10
    for response in (call.post_text(garbage, content_type="text/plain", check_request=False),
                     call.upload("plan.txt", garbage)):
        assert problem_of(response, 422)["type"].endswith("undecodable-text")


def test_declared_utf8_charset_is_held_to(call):
    response = call.post_text("新建公办园3所".encode("gb18030"), check_request=False)
    assert problem_of(response, 422)["type"].endswith("undecodable-text")


def test_unpaired_surrogate_in_json_is_422(call):
    response = call("POST", "/extract", b'{"text": "\\ud800 3\\u6240"}', "application/json", check_request=False)
    problem_of(response, 422)


def test_unknown_path_is_404(call):
    assert problem_of(call("GET", "/no/such/thing"), 404)["type"] == "about:blank"


def test_wrong_method_is_405_with_allow(call):
    response = call("GET", "/extract")
    problem_of(response, 405)
    assert "POST" in response.headers["Allow"]
    assert "GET" in call("DELETE", "/healthz").headers["Allow"]


def test_unexpected_failure_is_500_without_a_trace_and_logged_with_the_request_id(caplog):
    app = create_app({"TESTING": True})

    @app.get("/fails")
    def fails():  # a route that breaks the way a bug would
        raise KeyError("secret internal detail")

    with caplog.at_level(logging.ERROR, logger="service.api"):
        response = app.test_client().get("/fails", headers={"X-Request-ID": "req-500"})
    body = problem_of(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert "req-500" in body["detail"]
    assert response.headers["X-Request-ID"] == "req-500"
    logged = [r for r in caplog.records if "req-500" in r.getMessage()]
    assert logged and logged[0].exc_info is not None  # the trace goes to the log


def test_every_client_error_is_logged_with_its_request_id(call, caplog):
    with caplog.at_level(logging.WARNING, logger="service.api"):
        call.post_json({"text": ""}, headers={"X-Request-ID": "req-400"}, check_request=False)
    assert any("req-400" in r.getMessage() and "400" in r.getMessage() for r in caplog.records)


def test_a_problem_raised_by_any_blueprint_is_answered_alike():
    """Other areas raise `Problem`; the app-wide handler answers it (here from a fresh route)."""
    app = create_app({"TESTING": True})

    @app.get("/conflict")
    def conflict():
        raise Problem(409, "Conflict", "already stored", type="duplicate")

    response = app.test_client().get("/conflict")
    assert problem_of(response, 409)["type"] == "urn:plan-targets:problem:duplicate"


def test_werkzeugs_own_size_check_answers_the_same_413():
    """A route that reads the body itself (not through read_plan) still gets our 413."""
    app = create_app({"TESTING": True, "MAX_BYTES": 10})

    @app.post("/raw")
    def raw():
        from flask import request
        return {"bytes": len(request.get_data())}

    body = problem_of(app.test_client().post("/raw", data=b"x" * 100), 413)
    assert body["type"] == "urn:plan-targets:problem:too-large" and "10 bytes" in body["detail"]


# --- configuration -------------------------------------------------------------------------

def test_settings_read_the_environment():
    settings = config.settings({"PLAN_TARGETS_MAX_BYTES": "123", "PLAN_TARGETS_DATA_DIR": "/srv/pt",
                                "PLAN_TARGETS_API_KEYS": "k1, k2,,", "LOG_LEVEL": "debug"})
    assert settings["MAX_BYTES"] == 123
    assert settings["DATABASE_URL"] == "sqlite:////srv/pt/plan-targets.db"
    assert settings["API_KEYS"] == ["k1", "k2"]
    assert settings["LOG_LEVEL"] == "DEBUG"
    assert config.settings({"DATABASE_URL": "postgresql+psycopg://x@h/db"})["DATABASE_URL"] == "postgresql+psycopg://x@h/db"


@pytest.mark.parametrize("value", ["five", "0", "-3"])
def test_bad_limit_is_refused(value):
    with pytest.raises(config.ConfigError, match="PLAN_TARGETS_MAX_BYTES"):
        config.settings({"PLAN_TARGETS_MAX_BYTES": value})


@pytest.mark.parametrize("name, value", [("PLAN_TARGETS_WORKERS", "many"), ("PLAN_TARGETS_PORT", "http"),
                                         ("LOG_LEVEL", "verbose")])
def test_other_bad_settings_are_refused_by_name(name, value):
    with pytest.raises(config.ConfigError, match=name):
        config.settings({name: value})


def test_the_response_schema_dumps_results_and_baselines_as_the_engine_writes_them():
    """Results and a target's baseline go through the marshmallow schemas unchanged and fit the
    contract's ExtractResponse, also before the engine finds any in a given text."""
    from api_helpers import schema_validator
    from service.api.schemas import ExtractResponseSchema
    from service.extract import model

    def fields(mid, raw, start):
        return dict(id=mid, document=0, item=model.ItemRef("d0-i0", 1, "扩充学位"), section="二、工作安排",
                    text="计划新建学校5所，截至6月底已建成2所", span=model.Span(start, start + len(raw)),
                    raw=raw, value=float(raw[0]), low=float(raw[0]), high=float(raw[0]), unit="所",
                    currency=None, category="schools", comparator="eq", direction=None, per=None,
                    metric="学校", responsible_units=["基建科"], responsible_leaders=["王五"])

    extraction = model.Extraction(
        documents=[model.Document(0, "某区2025年工作要点", "某区教育局", 2025, None, model.Span(0, 40))],
        targets=[model.Target(**fields("t0-0", "5所", 6), deadline="年底前",
                              baseline=model.Baseline("3所", 3.0))],
        results=[model.Result(**fields("r0-0", "2所", 17), as_of="截至6月底", target="t0-0")],
        warnings=[])
    meta = {"version": "0", "chars": 40, "elapsed_ms": 1.0, "source": None}
    body = ExtractResponseSchema().dump({"documents": extraction.documents,
                                         "targets": extraction.targets,
                                         "results": extraction.results,
                                         "warnings": extraction.warnings, "meta": meta})
    assert json.loads(json.dumps(body)) == {**json.loads(json.dumps(extraction.to_dict())), "meta": meta}
    assert body["results"][0]["as_of"] == "截至6月底" and body["results"][0]["target"] == "t0-0"
    assert body["targets"][0]["baseline"] == {"raw": "3所", "value": 3.0}
    schema_validator("ExtractResponse").validate(body)
    drifted = json.loads(json.dumps(body))
    drifted["results"][0]["deadline"] = None  # a result has no deadline
    with pytest.raises(Exception):
        schema_validator("ExtractResponse").validate(drifted)
