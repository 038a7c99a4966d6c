"""The /extract response is built once, straight from the engine's `to_dict`, and encoded by
orjson. It must be what the marshmallow schema (ExtractResponseSchema, the shape the contract
describes) would dump: the same keys in the same order and the same values, on every seed. The
one difference allowed is a number's spelling: the schema's Float writes a whole value as `1.0`,
the engine (and so the response, like the CLI's output) as `1`; both are the JSON number 1."""
from __future__ import annotations

import json

import orjson
import pytest

from api_helpers import seed_paths
from service.api.app import create_app
from service.api.routes import extraction_body, json_response
from service.api.schemas import ExtractResponseSchema
from service.extract import extract

SCHEMA = ExtractResponseSchema()


def _schema_dump(result, meta) -> dict:
    return SCHEMA.dump({"documents": result.documents, "targets": result.targets,
                        "results": result.results, "warnings": result.warnings, "meta": meta})


def assert_same(got, expected, path="$") -> None:
    """Equal as JSON values, with keys in the same order at every level."""
    if isinstance(expected, dict):
        assert isinstance(got, dict), path
        assert list(got) == list(expected), f"{path}: keys {list(got)} != {list(expected)}"
        for key in expected:
            assert_same(got[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), path
        for i, (g, e) in enumerate(zip(got, expected)):
            assert_same(g, e, f"{path}[{i}]")
    elif isinstance(expected, (int, float)) and not isinstance(expected, bool):
        assert type(got) in (int, float) and got == expected, f"{path}: {got!r} != {expected!r}"
    else:
        assert type(got) is type(expected) and got == expected, f"{path}: {got!r} != {expected!r}"


@pytest.mark.parametrize("path", seed_paths(), ids=lambda p: p.name)
def test_the_fast_path_equals_the_schema_dump_on_every_seed(path):
    text = path.read_text(encoding="utf-8")
    result = extract(text)
    assert result.targets, "a seed with targets"
    meta = {"version": "0.1.0", "chars": len(text), "elapsed_ms": 12.5, "source": path.name,
            "text": text}
    expected = _schema_dump(result, meta)
    with create_app({"TESTING": True}).app_context():
        encoded = json_response(extraction_body(result, meta)).get_data()
    assert_same(orjson.loads(encoded), expected)


def test_results_and_baselines_take_the_fast_path_too():
    text = ("某区教育局2024年工作要点\n二、工作安排\n1. 扩充学位。学位数由300个增加到500个。"
            "截至6月底，已新增学位120个。\n")
    result = extract(text)
    meta = {"version": "0", "chars": len(text), "elapsed_ms": 1.0, "source": None}
    body = extraction_body(result, meta)
    assert result.results and any(t.baseline for t in result.targets)
    assert_same(orjson.loads(orjson.dumps(body)), _schema_dump(result, meta))


def test_an_integer_past_64_bits_falls_back_to_the_standard_encoder():
    body = {"targets": [{"value": 18446744073709551616, "raw": "18446744073709551616所"}]}
    with create_app({"TESTING": True}).app_context():
        response = json_response(body)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert json.loads(response.get_data()) == body
