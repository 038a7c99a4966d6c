"""Fixtures for the store tests: a real empty database per backend (SQLite and PostgreSQL).

Every test that takes `store_url` runs twice, once per backend. PostgreSQL tests use a schema
of their own in database `test` (dropped at the end), so they never touch anyone's tables.
The PostgreSQL run is skipped only when no server answers; under CI (CI=true, as .ci/run is
run) or with PLAN_TARGETS_REQUIRE_POSTGRES=1 an unreachable server fails the run instead.
"""
from __future__ import annotations

import functools
import os
import re
import uuid
from urllib.parse import parse_qsl, urlsplit
from pathlib import Path

import pytest
from openapi_core.datatypes import RequestParameters
from sqlalchemy import text
from werkzeug.datastructures import Headers

from api_helpers import ExchangeRequest, ExchangeResponse, check_problem, contract, seed_paths
from service.store.db import Store

PG_URL = os.environ.get("PLAN_TARGETS_TEST_PG_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TABLES_CHILD_FIRST = ("measures", "responsibilities", "items", "parts", "documents")


@functools.lru_cache(maxsize=1)
def postgres_unavailable_reason() -> str | None:
    """None when PostgreSQL answers at PG_URL, else why not."""
    import psycopg

    dsn = PG_URL.replace("postgresql+psycopg://", "postgresql://", 1)
    try:
        with psycopg.connect(dsn, connect_timeout=3) as conn:
            conn.execute("select 1")
    except psycopg.Error as exc:
        return f"no PostgreSQL server answers at {dsn}: {exc.__class__.__name__}: {str(exc).strip()[:200]}"
    return None


def postgres_schema_url(schema: str) -> str:
    """PG_URL with every connection's search_path set to `schema`."""
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


def postgres_required() -> bool:
    """CI (CI=true) and PLAN_TARGETS_REQUIRE_POSTGRES=1 turn a missing server into a failure."""
    return (os.environ.get("PLAN_TARGETS_REQUIRE_POSTGRES") == "1"
            or os.environ.get("CI", "").lower() in ("true", "1"))


def _skip_or_fail_without_postgres() -> None:
    reason = postgres_unavailable_reason()
    if reason is None:
        return
    if postgres_required():
        pytest.fail(reason + " (PostgreSQL is required under CI or PLAN_TARGETS_REQUIRE_POSTGRES=1)")
    pytest.skip(reason)


class PostgresSchema:
    """A fresh schema in database `test`, dropped on close."""

    def __init__(self, prefix: str = "pt_store"):
        from sqlalchemy import create_engine

        self.name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        self._admin = create_engine(PG_URL)
        with self._admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
        self.url = postgres_schema_url(self.name)

    def close(self) -> None:
        with self._admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self._admin.dispose()


def empty_database_url(backend: str, tmp_dir: Path, request) -> str:
    """The URL of a new, empty database of `backend`; cleaned up when `request` finishes."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_dir / ('store-' + uuid.uuid4().hex[:8] + '.db')}"
    _skip_or_fail_without_postgres()
    schema = PostgresSchema()
    request.addfinalizer(schema.close)
    return schema.url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend_url(request, tmp_path_factory):
    """One migrated database per backend for the whole session."""
    url = empty_database_url(request.param, tmp_path_factory.mktemp("store"), request)
    store = Store(url)
    store.upgrade()
    store.dispose()
    return url


@pytest.fixture
def store_url(backend_url):
    """The backend's database, emptied before the test."""
    store = Store(backend_url)
    with store.writing() as conn:
        for table in TABLES_CHILD_FIRST:
            conn.execute(text(f"DELETE FROM {table}"))
    store.dispose()
    return backend_url


@pytest.fixture
def store(store_url):
    s = Store(store_url)
    yield s
    s.dispose()


@pytest.fixture
def app(store_url):
    from service.api.app import create_app

    app = create_app({"DATABASE_URL": store_url, "API_KEYS": [], "TESTING": True})
    yield app
    from service.store.routes import _EXTENSION

    store = app.extensions.get(_EXTENSION)
    if store is not None:
        store.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def extraction_of(text_: str) -> dict:
    from service.extract import extract

    return extract(text_).to_dict()


BASE = "http://127.0.0.1:8000"
_DOCUMENT_PATH = re.compile(r"^/documents/(\d+)(?:/text)?$")


class StoreExchangeRequest(ExchangeRequest):
    """An exchange on a path with a `{document_id}` parameter, which openapi-core reads here."""

    @property
    def parameters(self) -> RequestParameters:
        params = super().parameters
        match = _DOCUMENT_PATH.match(self.path)
        if match:
            params.path = {"document_id": match.group(1)}
        return params


def check_store_exchange(path: str, method: str, response, body: bytes, content_type: str,
                         headers: dict, check_request: bool) -> None:
    """Validate one real exchange with the store against openapi.yaml (raises on a mismatch)."""
    parts = urlsplit(path)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    request = StoreExchangeRequest(host_url=BASE, path=parts.path, method=method.lower(), body=body,
                                   content_type=content_type, query=query, headers=headers)
    response_headers = Headers(list(response.headers.items()))
    exchange = ExchangeResponse(data=response.get_data(), status_code=response.status_code,
                                headers=response_headers,
                                content_type=response_headers.get("Content-Type", "").split(";")[0])
    if check_request:
        contract().validate_request(request)
    contract().validate_response(request, exchange)


class StoreCaller:
    """Send a request to the app with Flask's test client; check the exchange against openapi.yaml."""

    def __init__(self, app):
        self.client = app.test_client()

    def __call__(self, method, path, body=b"", content_type=None, headers=None, check_request=True):
        headers = dict(headers or {})
        response = self.client.open(path, method=method, data=body, content_type=content_type,
                                    headers=headers, base_url=BASE)
        if response.status_code not in (404, 405) or _DOCUMENT_PATH.match(urlsplit(path).path):
            # A refused request is meant to break the contract; its response must still keep it.
            check_store_exchange(path, method, response, body, (content_type or "").split(";")[0],
                                 headers, check_request and response.status_code < 400)
        if response.status_code >= 400:
            check_problem(response.status_code, response.get_json(), response.headers)
        return response

    def get(self, path, **kw):
        return self("GET", path, **kw)

    def post_json(self, payload, path="/documents", **kw):
        import json

        return self("POST", path, json.dumps(payload, ensure_ascii=False).encode(),
                    "application/json", **kw)

    def post_text(self, text_: str, path="/documents", **kw):
        return self("POST", path, text_.encode("utf-8"), "text/plain; charset=utf-8", **kw)

    def upload(self, filename, data: bytes, path="/documents", **kw):
        from urllib3 import encode_multipart_formdata

        body, content_type = encode_multipart_formdata({"file": (filename, data)})
        return self("POST", path, body, content_type, check_request=False, **kw)

    def delete(self, path, **kw):
        return self("DELETE", path, **kw)


def seeds() -> list[tuple[str, str]]:
    """(file name, text) of every seed plan."""
    return [(p.name, p.read_text(encoding="utf-8")) for p in seed_paths()]
