"""openapi.yaml is a valid OpenAPI 3.1 document, is what the service serves, and matches what
the running app really answers (success and errors), so contract and code cannot drift."""
from __future__ import annotations

import copy
import json
import re

import pytest
from openapi_core.exceptions import OpenAPIError
from openapi_spec_validator import validate as validate_spec

from api_helpers import (OPENAPI_FILE, check_exchange, contract_dict, schema_validator,
                         seed_paths)
from service.api import create_app
from service.api.routes import OPENAPI_PATH

BASE = "http://127.0.0.1:8000"
NON_API_PREFIXES = ("/static", "/ui")  # HTML pages and their assets are not part of the API


@pytest.fixture(scope="module")
def app():
    return create_app({"TESTING": True})


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def test_the_contract_is_valid_openapi_3_1():
    spec = contract_dict()
    assert spec["openapi"].startswith("3.1")
    validate_spec(spec)


def test_the_service_serves_the_contract_file(client):
    response = client.get("/openapi.yaml")
    assert response.status_code == 200
    assert response.mimetype == "application/yaml"
    assert response.get_data() == OPENAPI_FILE.read_bytes()
    # the packaged copy (a symlink in the source tree, a file in a wheel) is the same document
    assert OPENAPI_PATH.read_bytes() == OPENAPI_FILE.read_bytes()


def _contract_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_every_api_route_is_in_the_contract_and_back(app):
    documented = {(path, method.upper()) for path, ops in contract_dict()["paths"].items()
                  for method in ops if method in {"get", "post", "put", "patch", "delete"}}
    served = set()
    for rule in app.url_map.iter_rules():
        path = _contract_path(rule.rule)
        if path == "/" or path.startswith(NON_API_PREFIXES):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            served.add((path, method))
    assert served - documented == set(), "routes missing from openapi.yaml"
    assert documented - served == set(), "openapi.yaml describes routes the app does not serve"


def _examples(node, where=""):
    """Every (location, schema, example) pair under a media type or parameter in the contract."""
    if isinstance(node, dict):
        if "schema" in node and "example" in node:
            yield where, node["schema"], node["example"]
        for key, value in node.items():
            yield from _examples(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _examples(value, f"{where}/{i}")


def test_every_example_in_the_contract_fits_its_schema():
    spec = contract_dict()
    found = list(_examples(spec["paths"])) + list(_examples(spec["components"]["responses"]))
    assert len(found) >= 8
    from openapi_schema_validator import OAS31Validator
    for where, schema, example in found:
        OAS31Validator({**schema, "components": spec["components"]}).validate(example)


def test_the_extract_example_is_a_consistent_real_response():
    example = contract_dict()["paths"]["/extract"]["post"]["responses"]["200"]["content"][
        "application/json"]["example"]
    text = example["meta"]["text"]
    assert example["targets"], "the example should show targets"
    assert example["results"], "the example should show a result apart from the targets"
    assert any(t["baseline"] for t in example["targets"]), "the example should show a baseline"
    assert example["meta"]["chars"] == len(text)
    for measure in example["targets"] + example["results"]:
        assert text[measure["span"]["start"]:measure["span"]["end"]] == measure["raw"]


def test_the_extract_example_is_what_the_service_answers_today(client):
    """The documented response is the real one for the documented request (timing aside), so an
    engine change that alters it must update the contract too
    (`.venv/bin/python scripts/update-openapi-example.py` rewrites it)."""
    post = contract_dict()["paths"]["/extract"]["post"]
    request = post["requestBody"]["content"]["application/json"]["example"]
    example = copy.deepcopy(post["responses"]["200"]["content"]["application/json"]["example"])
    answer = client.post("/extract?include_text=1", json=request, base_url=BASE).get_json()
    for body in (example, answer):
        body["meta"].pop("elapsed_ms")
    assert answer == example, "run scripts/update-openapi-example.py to document today's answer"


def test_the_example_script_reports_an_up_to_date_contract():
    import subprocess
    import sys

    from api_helpers import REPO

    check = subprocess.run([sys.executable, str(REPO / "scripts" / "update-openapi-example.py"),
                            "--check"], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "the real answer" in check.stdout


@pytest.mark.parametrize("seed", seed_paths(), ids=lambda p: p.name)
def test_real_responses_for_every_seed_plan_fit_the_contract(client, seed):
    data = seed.read_bytes()
    response = client.post("/extract", data=data, content_type="text/plain; charset=utf-8", base_url=BASE)
    assert response.status_code == 200
    check_exchange(BASE + "/extract", "post", 200, response.get_data(), response.headers,
                   request_body=data, request_content_type="text/plain")


def test_a_drifting_response_is_caught(client):
    body = json.dumps({"text": "全区计划新建公办园3所。"}).encode()
    response = client.post("/extract?include_text=1", data=body, content_type="application/json", base_url=BASE)
    good = response.get_json()
    check_exchange(BASE + "/extract?include_text=1", "post", 200, response.get_data(), response.headers,
                   request_body=body, request_content_type="application/json")
    drifted = [copy.deepcopy(good) for _ in range(3)]
    del drifted[0]["meta"]
    drifted[1]["unexpected"] = True
    drifted[2]["meta"]["chars"] = "many"
    for bad in drifted:
        with pytest.raises(OpenAPIError):
            check_exchange(BASE + "/extract", "post", 200, json.dumps(bad).encode(), response.headers,
                           request_body=body, request_content_type="application/json")


@pytest.mark.parametrize("method, path, body, content_type, status", [
    ("POST", "/extract", b"{", "application/json", 400),
    ("POST", "/extract", b'{"text": ""}', "application/json", 400),
    ("POST", "/extract", b"x", "image/png", 415),
    ("POST", "/extract", b"\xff\xfe\x80\x81", "text/plain", 422),
])
def test_real_error_responses_fit_the_contract(client, method, path, body, content_type, status):
    response = client.open(path, method=method, data=body, content_type=content_type, base_url=BASE)
    assert response.status_code == status
    check_exchange(BASE + path, method, status, response.get_data(), response.headers,
                   check_request=False)


def test_oversized_body_response_fits_the_contract():
    client = create_app({"TESTING": True, "MAX_BYTES": 10}).test_client()
    response = client.post("/extract", data=b"0123456789AB", content_type="text/plain", base_url=BASE)
    assert response.status_code == 413
    check_exchange(BASE + "/extract", "post", 413, response.get_data(), response.headers,
                   check_request=False)


@pytest.mark.parametrize("method, path, component, status", [
    ("GET", "/nowhere", "NotFound", 404),
    ("GET", "/extract", "MethodNotAllowed", 405),
    ("POST", "/healthz", "MethodNotAllowed", 405),
])
def test_not_found_and_method_not_allowed_fit_their_documented_responses(client, method, path, component, status):
    """No operation exists for these requests, so they are checked against the shared responses."""
    response = client.open(path, method=method)
    assert response.status_code == status
    documented = contract_dict()["components"]["responses"][component]
    assert response.mimetype in documented["content"]
    schema_validator("Problem").validate(response.get_json(force=True))
    for header in documented["headers"]:
        assert header in response.headers
