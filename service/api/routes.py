"""Extraction over HTTP: POST /extract, plus GET /healthz and GET /openapi.yaml."""
from __future__ import annotations

import json
import time
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import orjson
from flask import Blueprint, Response, current_app, request

from ..extract import extract
from ..sources import page_at
from .errors import Problem
from .inputs import query_parameter, read_plan
from .schemas import HealthSchema

bp = Blueprint("extraction", __name__)

# The contract lives at the repository root; the package holds a symlink to it, so the same
# file is served from a checkout, an editable install and a built wheel (which stores a copy).
OPENAPI_PATH = Path(__file__).with_name("openapi.yaml")

_TRUE = {"1", "true", "yes"}
_FALSE = {"", "0", "false", "no"}

_health_schema = HealthSchema()


@lru_cache(maxsize=1)
def service_version() -> str:
    try:
        return metadata.version("plan-targets")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _flag(name: str) -> bool:
    value = query_parameter(request, name) or ""
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise Problem(400, "Invalid request", f"{name}: expected 1 or 0, got {value!r}.",
                  type="invalid-request")


@bp.post("/extract")
def extract_targets():
    """Extract the targets (and, apart, the results) of one plan; offsets refer to the text as
    received (decoded)."""
    include_text = _flag("include_text")
    plan = read_plan(request)
    started = time.perf_counter()
    result = extract(plan.text)
    elapsed_ms = (time.perf_counter() - started) * 1000.0
    meta = {"version": service_version(), "chars": len(plan.text),
            "elapsed_ms": round(elapsed_ms, 3), "source": plan.source}
    if include_text:
        meta["text"] = plan.text
    return json_response(with_source(extraction_body(result, meta), plan))


def extraction_body(result, meta: dict) -> dict:
    """The /extract response as plain data, built once from the engine's own `to_dict` (the
    fast path: no schema walk). `ExtractResponseSchema` describes the same shape, and a test
    holds the two equal on every seed."""
    body = result.to_dict()
    body["meta"] = meta
    return body


def json_response(body: dict, status: int = 200) -> Response:
    """`body` as JSON encoded by orjson (UTF-8, Chinese as is); the standard encoder only
    for what orjson refuses, an integer past 64 bits."""
    try:
        data = orjson.dumps(body)
    except orjson.JSONEncodeError:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return Response(data, status=status, mimetype="application/json")


def with_source(body: dict, plan) -> dict:
    """For a converted file: the text the spans point into, the file's facts, and each target's
    (and result's) page, found from its span and the page starts the converter gave."""
    if plan.file is None:
        return body
    add_pages(body, plan.page_starts)
    body["text"] = plan.text
    body["source"] = dict(plan.file)
    return body


def add_pages(body: dict, page_starts) -> dict:
    if page_starts:
        for key in ("targets", "results"):
            for entry in body.get(key) or ():
                entry["page"] = page_at(page_starts, entry["span"]["start"])
    return body


@bp.get("/healthz")
def healthz():
    """Liveness only: answers without touching the engine or any store."""
    return current_app.json.response(_health_schema.dump({"status": "ok"}))


@bp.get("/openapi.yaml")
def openapi_contract():
    return Response(_openapi_text(), mimetype="application/yaml")


@lru_cache(maxsize=1)
def _openapi_text() -> str:
    return OPENAPI_PATH.read_text(encoding="utf-8")
