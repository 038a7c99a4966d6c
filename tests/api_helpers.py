"""Shared by the API tests: where the seed plans are, and checking real exchanges against openapi.yaml."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_schema_validator import OAS31Validator
from werkzeug.datastructures import Headers, ImmutableMultiDict

REPO = Path(__file__).resolve().parents[1]
OPENAPI_FILE = REPO / "openapi.yaml"
SEED_WITH_TARGETS = "002_4f10f55bae744f30.txt"


def shared_dir() -> Path:
    """`$PLAN_TARGETS_SHARED`, else `../shared` beside the repository."""
    return Path(os.environ.get("PLAN_TARGETS_SHARED") or REPO.parent / "shared")


def seed_path(name: str = SEED_WITH_TARGETS) -> Path:
    path = shared_dir() / "seeds" / name
    if not path.is_file():
        pytest.fail(f"seed plan {path} not found: set PLAN_TARGETS_SHARED to the shared directory")
    return path


def seed_text(name: str = SEED_WITH_TARGETS) -> str:
    return seed_path(name).read_text(encoding="utf-8")


def seed_paths() -> list[Path]:
    seeds = sorted((shared_dir() / "seeds").glob("*.txt"))
    if not seeds:
        pytest.fail(f"no seed plans under {shared_dir() / 'seeds'}")
    return seeds


def engine_json(result) -> dict:
    """What the engine's result looks like once it has been through JSON (as in a response)."""
    return json.loads(json.dumps(result.to_dict(), ensure_ascii=False))


# --- the contract ---------------------------------------------------------------------------

@lru_cache(maxsize=1)
def contract() -> OpenAPI:
    # openapi-core reads application/json only; problem details are JSON as well.
    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    return OpenAPI.from_file_path(str(OPENAPI_FILE), config=config)


@lru_cache(maxsize=1)
def contract_dict() -> dict:
    return yaml.safe_load(OPENAPI_FILE.read_text(encoding="utf-8"))


def schema_validator(component: str) -> OAS31Validator:
    """A JSON Schema validator for `#/components/schemas/<component>` (with its $refs)."""
    root = {"$ref": f"#/components/schemas/{component}", "components": contract_dict()["components"]}
    return OAS31Validator(root)


@dataclass
class ExchangeRequest:
    """The request half of an HTTP exchange, in the shape openapi-core reads."""
    host_url: str
    path: str
    method: str
    body: bytes = b""
    content_type: str = ""
    query: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)

    @property
    def parameters(self) -> RequestParameters:
        return RequestParameters(query=ImmutableMultiDict(self.query), header=Headers(self.headers),
                                 cookie=ImmutableMultiDict(), path={})


@dataclass
class ExchangeResponse:
    data: bytes
    status_code: int
    headers: Headers
    content_type: str


def check_exchange(url: str, method: str, status: int, response_body: bytes, response_headers,
                   request_body: bytes = b"", request_content_type: str = "",
                   request_headers: dict | None = None, check_request: bool = True) -> None:
    """Validate one real exchange against openapi.yaml with openapi-core (raises on any mismatch)."""
    parts = urlsplit(url)
    query = dict(pair.split("=", 1) if "=" in pair else (pair, "")
                 for pair in parts.query.split("&") if pair)
    request = ExchangeRequest(host_url=f"{parts.scheme}://{parts.netloc}", path=parts.path,
                              method=method.lower(), body=request_body,
                              content_type=request_content_type, query=query,
                              headers=request_headers or {})
    headers = Headers(list(response_headers.items()))
    response = ExchangeResponse(data=response_body, status_code=status, headers=headers,
                                content_type=headers.get("Content-Type", "").split(";")[0])
    if check_request:
        contract().validate_request(request)
    contract().validate_response(request, response)


def check_problem(status: int, body: dict, headers) -> None:
    """Any error response: problem+json, exactly the four members, the HTTP status repeated."""
    assert headers["Content-Type"].startswith("application/problem+json"), headers["Content-Type"]
    assert set(body) == {"type", "title", "status", "detail"}, body
    assert body["status"] == status
    assert headers.get("X-Request-ID")
    schema_validator("Problem").validate(body)
    assert "Traceback" not in body["detail"] and 'File "' not in body["detail"]


# A plan that opens with last year's review (written for the tests, in the genre of issue 8):
# the review's figures are results, the plan's are targets, one target has a baseline.
REVIEW_AND_PLAN = (
    "某区教育局2025年工作要点\n"
    "一、2024年工作回顾\n"
    "2024年，全区新增学位2700个，教师培训覆盖率达到96%。\n"
    "二、2025年重点任务\n"
    "1. 扩充学位供给。全年新增学位3000个，新建学校5所，总投资4.2亿元。\n"
    "2. 提升教师素质。教师培训覆盖率由96%提高到98%。\n"
)
