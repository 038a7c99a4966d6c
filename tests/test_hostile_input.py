"""What the open internet sends: numbers past a column's range, crafted cursors, NUL bytes,
JSON nested thousands deep, text that a spreadsheet would run as a formula. Every case answers
a problem with a 4xx status (or a page), on SQLite and on a real PostgreSQL alike; nothing is a
500, and the store still answers afterwards."""
from __future__ import annotations

import base64
import copy
import csv
import io
import json

import pytest

from service.store.db import Store
from service.store.models import INT_MAX
from service.store.storing import store_text
from store_support import (  # noqa: F401  (fixtures)
    StoreCaller, app, backend_url, client, store_url,
)
from test_store_api import SYNTHETIC, SYNTHETIC_TEXT

HUGE = 18446744073709551616  # 2**64
PAST_INT8 = 2**63


def _invalid(response) -> None:
    assert response.status_code == 400, response.get_data(as_text=True)
    body = response.get_json()
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert body["status"] == 400 and body["type"] == "urn:plan-targets:problem:invalid-request"


@pytest.fixture
def call(app):
    return StoreCaller(app)


@pytest.fixture
def stored_id(store_url):
    return store_text(Store(store_url), SYNTHETIC_TEXT, "synthetic.txt",
                      extract=lambda _: SYNTHETIC).document_id


# --------------------------------------------------------------------------- integers


@pytest.mark.parametrize("document_id", [HUGE, PAST_INT8, INT_MAX + 1])
def test_a_document_id_past_the_column_is_no_document(call, stored_id, document_id):
    for method in ("GET", "DELETE"):
        response = call(method, f"/documents/{document_id}")
        assert response.status_code == 404, response.get_data(as_text=True)
        assert response.get_json()["status"] == 404
    assert call.get(f"/documents/{stored_id}").status_code == 200


def test_the_largest_id_in_range_is_looked_up(call, stored_id):
    response = call.get(f"/documents/{INT_MAX}")
    assert response.status_code == 404
    assert response.get_json()["type"] == "urn:plan-targets:problem:no-document"


@pytest.mark.parametrize("path", ["/targets", "/results", "/summary"])
@pytest.mark.parametrize("query", [
    "year=3000000000", "year=-3000000000", f"document={PAST_INT8}", f"item={PAST_INT8}",
    f"item={HUGE}", f"year={'9' * 5000}", "year=1_000", "year=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%93",
])
def test_an_integer_filter_past_the_column_is_400(call, stored_id, path, query):
    _invalid(call.get(f"{path}?{query}"))


@pytest.mark.parametrize("query", [f"offset={PAST_INT8}", f"offset={HUGE}", "year=3000000000",
                                   f"limit={HUGE}"])
def test_document_list_integers_past_their_range_are_400(call, stored_id, query):
    _invalid(call.get(f"/documents?{query}"))


def test_integers_at_the_edge_of_the_range_are_accepted(call, stored_id):
    for query in (f"year={INT_MAX}", f"document={INT_MAX}", f"item=-{INT_MAX + 1}"):
        response = call.get(f"/targets?{query}")
        assert response.status_code == 200 and response.get_json()["targets"] == []
    response = call.get(f"/documents?offset={INT_MAX}")
    assert response.status_code == 200 and response.get_json()["documents"] == []


def test_a_nul_character_in_a_query_is_400(call, stored_id):
    for path in ("/targets?issuer=a%00b", "/documents?q=%00", "/summary?unit=%00",
                 "/results?responsible_unit=%00"):
        _invalid(call.get(path))


def test_a_nul_character_in_a_text_to_store_is_422_and_extract_takes_it(call):
    text = "全区计划新建公办园3所。\x00"
    stored = call.post_json({"text": text})
    assert stored.status_code == 422
    assert stored.get_json()["type"] == "urn:plan-targets:problem:undecodable-text"
    assert call.get("/documents").get_json()["total"] == 0
    extracted = call.post_json({"text": text}, path="/extract")
    assert extracted.status_code == 200
    assert [t["raw"] for t in extracted.get_json()["targets"]] == ["3所"]
    _invalid(call.post_json({"text": "新建3所", "source": "a\x00b"}, path="/extract"))


def _cursor(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize("payload", [
    ["target", "id", None, PAST_INT8],
    ["target", "id", None, True],
    ["target", "year", "2023", 1],
    ["target", "year", 3000000000, 1],
    ["target", "value", "x", 1],
    ["target", "value", HUGE * HUGE * HUGE * HUGE * HUGE * HUGE, 1],
    ["target", "issuer", 7, 1],
    ["target", "issuer", "a\u0000b", 1],
    ["target", "document", None, 1],
])
def test_a_crafted_cursor_is_400(call, stored_id, payload):
    sort = payload[1]
    _invalid(call.get(f"/targets?sort={sort}&cursor={_cursor(payload)}"))


def test_a_deeply_nested_or_overlong_cursor_is_400(call, stored_id):
    deep = base64.urlsafe_b64encode(b"[" * 3000).decode()
    _invalid(call.get(f"/targets?cursor={deep}"))
    _invalid(call.get(f"/targets?cursor={'A' * 5000}"))


def test_a_real_cursor_still_pages(call, stored_id):
    first = call.get("/targets?sort=year&limit=2").get_json()
    assert first["next_cursor"]
    second = call.get(f"/targets?sort=year&limit=2&cursor={first['next_cursor']}")
    assert second.status_code == 200 and second.get_json()["targets"]


def test_review_pages_take_huge_numbers(client, stored_id):
    response = client.get(f"/ui/documents/{HUGE}")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
    listing = client.get(f"/ui/documents?page={HUGE}")
    assert listing.status_code == 200
    assert client.get(f"/ui/documents/{stored_id}").status_code == 200


# --------------------------------------------------------------------------- JSON depth


def _nested(depth: int) -> bytes:
    return b'{"text": "\xe6\x96\xb0\xe5\xbb\xba3\xe6\x89\x80", "x": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize("path", ["/extract", "/documents"])
@pytest.mark.parametrize("depth", [2000, 100_000, 33])
def test_json_nested_too_deep_is_400(call, path, depth):
    response = call("POST", path, body=_nested(depth), content_type="application/json")
    assert response.status_code == 400, response.get_data(as_text=True)
    body = response.get_json()
    assert body["type"] == "urn:plan-targets:problem:malformed-json"
    assert "deeper than 32" in body["detail"]


def test_unbalanced_deep_json_is_400(call):
    response = call("POST", "/extract", body=b"[" * 50_000, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["type"] == "urn:plan-targets:problem:malformed-json"


def test_brackets_inside_strings_are_text_not_depth(call):
    text = "全区计划新建公办园3所。" + "[" * 5000 + "{" * 5000
    response = call("POST", "/extract", body=json.dumps({"text": text, "source": "[[["}).encode(),
                    content_type="application/json")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert [t["raw"] for t in response.get_json()["targets"]] == ["3所"]
    shallow = call("POST", "/extract", body=_nested(31), content_type="application/json")
    assert shallow.status_code == 400  # nested, but not too deep: refused as an unknown field
    assert shallow.get_json()["type"] == "urn:plan-targets:problem:invalid-request"


# --------------------------------------------------------------------------- CSV formulas


FORMULAS = {"metric": "=HYPERLINK(\"http://x\",\"click\")", "section": "+1+1",
            "text": "-2+3+cmd|' /C calc'!A0", "deadline": "@SUM(A1:A9)", "raw": "\t=1+1"}


def _hostile_extraction() -> dict:
    extraction = copy.deepcopy(SYNTHETIC)
    target = extraction["targets"][0]
    target.update(FORMULAS)
    target["low"] = -3.0  # a negative number is a number, not a formula
    extraction["targets"][1]["metric"] = "\r=1+1"
    item = next(i for i in extraction["documents"][0]["items"] if i["id"] == "d0-i2")
    item["responsible_units"] = ["=1+1", "教研室"]  # the third target's item
    return extraction


def test_csv_cells_a_spreadsheet_would_run_are_text(call, store_url):
    store_text(Store(store_url), SYNTHETIC_TEXT, "=cmd.txt", extract=lambda _: _hostile_extraction())
    response = call.get("/targets?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"), newline="")))
    first, second, third = rows[0], rows[1], rows[2]
    for column, value in FORMULAS.items():
        assert first[column] == "'" + value
    assert first["source"] == "'=cmd.txt"
    assert first["low"] == "-3" and first["value"] == "2"
    assert second["metric"] == "'\r=1+1"
    assert third["responsible_units"] == "'=1+1、教研室"
    for row in rows:  # no cell of any row starts a formula
        for column, cell in row.items():
            if cell and cell[0] in "=+@\t\r":
                pytest.fail(f"{column} = {cell!r}")
            if cell.startswith("-"):
                float(cell)  # only numbers may start with a minus
    # The JSON keeps the text exactly as extracted.
    assert call.get("/targets?limit=1").get_json()["targets"][0]["metric"] == FORMULAS["metric"]
