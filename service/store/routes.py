"""The store over HTTP: /documents, /targets (JSON or CSV) and /summary.

Writes (POST and DELETE on /documents) need `Authorization: Bearer <key>` when
PLAN_TARGETS_API_KEYS is set; reads stay open. Query parameters are checked strictly:
an unknown parameter or a bad value is a 400 problem, never silently ignored.
"""
from __future__ import annotations

import csv
import hmac
import io
import math
from functools import wraps
from typing import Iterable, Iterator
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, request, stream_with_context, url_for
from sqlalchemy.exc import OperationalError

from ..api.errors import Problem, problem_response
from ..api.inputs import read_plan
from . import repository
from .db import Store
from .repository import BadCursor, DocumentFilters, TargetFilters
from .storing import store_text

bp = Blueprint("store", __name__)

CATEGORIES = ("funding", "rate", "schools", "seats", "people", "other")
COMPARATORS = ("eq", "ge", "gt", "le", "lt", "approx", "between")
DIRECTIONS = ("increase", "decrease", "none")
FILTER_PARAMS = ("category", "unit", "currency", "issuer", "year", "document", "item",
                 "responsible_unit", "comparator", "direction", "min_value", "max_value",
                 "has_deadline")
DEFAULT_TARGET_LIMIT, MAX_TARGET_LIMIT = 100, 1000
DEFAULT_DOCUMENT_LIMIT, MAX_DOCUMENT_LIMIT = 50, 500
CSV_BATCH = 1000  # targets per read while streaming a whole CSV
CSV_COLUMNS = ("id", "document_id", "source", "part", "document_title", "issuer", "year",
               "doc_number", "item_number", "item_title", "section", "raw", "value", "low", "high",
               "unit", "currency", "category", "comparator", "direction", "per", "metric",
               "deadline", "responsible_units", "responsible_leaders", "text", "span_start",
               "span_end")
_EXTENSION = "plan_targets.store"


# --------------------------------------------------------------------------- store & auth


def current_store() -> Store:
    """The app's store; its schema is brought to head once per process, on first use."""
    store = current_app.extensions.get(_EXTENSION)
    if store is None:
        store = current_app.extensions[_EXTENSION] = Store(current_app.config["DATABASE_URL"])
    store.ensure_schema()
    return store


def _invalid(detail: str) -> Problem:
    return Problem(400, "Invalid request", detail, type="invalid-request")


def key_accepted(presented: str, keys: list[str]) -> bool:
    """Whether `presented` is one of `keys`, comparing every key in constant time."""
    presented_bytes = presented.encode("utf-8")
    accepted = False
    for key in keys:
        accepted |= hmac.compare_digest(presented_bytes, key.encode("utf-8"))
    return accepted


def write_access(view):
    """Require a bearer key for a write when API keys are configured (401 none, 403 wrong)."""

    @wraps(view)
    def guarded(*args, **kwargs):
        keys = current_app.config.get("API_KEYS") or []
        if keys:
            scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
            presented = presented.strip()
            if scheme.lower() != "bearer" or not presented:
                raise Problem(401, "Unauthorized",
                              "This write needs an `Authorization: Bearer <key>` header.",
                              type="unauthorized",
                              headers={"WWW-Authenticate": 'Bearer realm="plan-targets"'})
            if not key_accepted(presented, keys):
                raise Problem(403, "Forbidden", "The bearer key is not one this service accepts.",
                              type="forbidden")
        return view(*args, **kwargs)

    return guarded


@bp.errorhandler(OperationalError)
def _store_unavailable(exc: OperationalError):
    current_app.logger.error("store unavailable: %s", exc.__class__.__name__)
    return problem_response(Problem(
        503, "Store unavailable", "The database cannot be reached or is busy; try again shortly.",
        type="store-unavailable", headers={"Retry-After": "5"}))


# --------------------------------------------------------------------------- parameters


def _check_params(allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(request.args) - set(allowed))
    if unknown:
        raise _invalid(f"unknown query parameter(s): {', '.join(unknown)}; "
                       f"accepted: {', '.join(allowed)}.")


def _text(name: str) -> str | None:
    value = request.args.get(name)
    return value.strip() or None if value is not None else None


def _int(name: str, default: int | None = None, minimum: int | None = None,
         maximum: int | None = None) -> int | None:
    raw = _text(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _invalid(f"{name}: expected an integer, got {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise _invalid(f"{name}: must be at least {minimum}, got {value}.")
    if maximum is not None and value > maximum:
        raise _invalid(f"{name}: must be at most {maximum}, got {value}.")
    return value


def _float(name: str) -> float | None:
    raw = _text(name)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise _invalid(f"{name}: expected a number, got {raw!r}.") from None
    if not math.isfinite(value):
        raise _invalid(f"{name}: expected a finite number, got {raw!r}.")
    return value


def _list(name: str, allowed: tuple[str, ...] | None = None) -> list[str] | None:
    raw = _text(name)
    if raw is None:
        return None
    values = [v.strip() for v in raw.split(",") if v.strip()]
    if allowed is not None:
        bad = [v for v in values if v not in allowed]
        if bad:
            raise _invalid(f"{name}: {', '.join(map(repr, bad))} not one of {', '.join(allowed)}.")
    return values or None


def _bool(name: str) -> bool | None:
    raw = _text(name)
    if raw is None:
        return None
    if raw.lower() in ("1", "true", "yes"):
        return True
    if raw.lower() in ("0", "false", "no"):
        return False
    raise _invalid(f"{name}: expected true or false, got {raw!r}.")


def target_filters() -> TargetFilters:
    """The filters shared by /targets and /summary, read from the query string."""
    directions = _list("direction", DIRECTIONS)
    return TargetFilters(
        category=_list("category", CATEGORIES), unit=_list("unit"), currency=_list("currency"),
        issuer=_text("issuer"), year=_int("year"), document=_int("document"), item=_int("item"),
        responsible_unit=_text("responsible_unit"), comparator=_list("comparator", COMPARATORS),
        direction=[None if d == "none" else d for d in directions] if directions else None,
        min_value=_float("min_value"), max_value=_float("max_value"),
        has_deadline=_bool("has_deadline"))


# --------------------------------------------------------------------------- documents


def _document_response(document_id: int, status: int) -> Response:
    include_text = _bool("include_text")
    with current_store().reading() as conn:
        document = repository.get_document(conn, document_id,
                                           with_text=include_text is not False)
    if document is None:
        raise Problem(404, "Not Found", f"There is no document {document_id}.", type="no-document")
    response = current_app.json.response(document)
    response.status_code = status
    return response


@bp.post("/documents")
@write_access
def create_document():
    """Extract and store a plan; the same text again answers 200 with the stored document."""
    _check_params(("source", "include_text"))
    plan = read_plan(request)
    stored = store_text(current_store(), plan.text, plan.source)
    response = _document_response(stored.document_id, 201 if stored.created else 200)
    response.headers["Location"] = url_for("store.get_document", document_id=stored.document_id)
    return response


@bp.get("/documents")
def list_documents():
    _check_params(("issuer", "year", "q", "limit", "offset"))
    limit = _int("limit", DEFAULT_DOCUMENT_LIMIT, 1, MAX_DOCUMENT_LIMIT)
    offset = _int("offset", 0, 0)
    filters = DocumentFilters(issuer=_text("issuer"), year=_int("year"), q=_text("q"))
    with current_store().reading() as conn:
        page, total = repository.list_documents(conn, filters, limit, offset)
    return {"documents": page, "total": total, "limit": limit, "offset": offset}


@bp.get("/documents/<int:document_id>")
def get_document(document_id: int):
    _check_params(("include_text",))
    return _document_response(document_id, 200)


@bp.delete("/documents/<int:document_id>")
@write_access
def delete_document(document_id: int):
    _check_params(())
    with current_store().writing() as conn:
        deleted = repository.delete_document(conn, document_id)
    if not deleted:
        raise Problem(404, "Not Found", f"There is no document {document_id}.", type="no-document")
    return Response(status=204)


# --------------------------------------------------------------------------- targets


def _wants_csv() -> bool:
    fmt = _text("format")
    if fmt is not None:
        if fmt not in ("json", "csv"):
            raise _invalid(f"format: expected json or csv, got {fmt!r}.")
        return fmt == "csv"
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"])
    return best == "text/csv"


def _sort() -> str:
    sort = _text("sort") or "id"
    if sort.lstrip("-") not in repository.SORT_COLUMNS:
        raise _invalid(f"sort: {sort!r} is not one of {', '.join(repository.SORT_COLUMNS)} "
                       "(prefix - for descending).")
    return sort


def _next_link(cursor: str) -> str:
    args = {k: v for k, v in request.args.items() if k != "cursor"}
    args["cursor"] = cursor
    return f'<{request.path}?{urlencode(args)}>; rel="next"'


@bp.get("/targets")
def list_targets():
    """Targets across all stored documents; keyset pages (`cursor`) or CSV."""
    _check_params(FILTER_PARAMS + ("sort", "limit", "cursor", "format"))
    filters = target_filters()
    sort = _sort()
    as_csv = _wants_csv()
    # CSV without an explicit limit is the whole result, for spreadsheets and BI imports.
    default_limit = None if as_csv else DEFAULT_TARGET_LIMIT
    limit = _int("limit", default_limit, 1, MAX_TARGET_LIMIT)
    cursor = _text("cursor")
    try:
        if cursor:
            repository.decode_cursor(cursor, sort)  # refuse a bad cursor before answering
        if limit is None:  # CSV of everything: streamed, one short read per batch
            rows, next_cursor = _all_target_pages(filters, sort, cursor), None
        else:
            with current_store().reading() as conn:
                page = repository.query_targets(conn, filters, sort=sort, limit=limit,
                                                cursor=cursor)
            rows, next_cursor = [page.targets], page.next_cursor
    except BadCursor as exc:
        raise _invalid(f"cursor: {exc}.") from None
    if as_csv:
        response = Response(stream_with_context(targets_csv_chunks(rows)), mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        response.headers["Content-Disposition"] = 'attachment; filename="targets.csv"'
    else:
        response = current_app.json.response(
            {"targets": rows[0], "next_cursor": next_cursor, "limit": limit})
    if next_cursor:
        response.headers["Link"] = _next_link(next_cursor)
        response.headers["X-Next-Cursor"] = next_cursor
    response.vary.add("Accept")
    return response


def _all_target_pages(filters: TargetFilters, sort: str, cursor: str | None) -> Iterator[list[dict]]:
    """Every matching target from `cursor` on, a batch per read transaction. The first batch
    is read now, so that a failing database is still answered with a problem, not a cut CSV."""
    store = current_store()

    def read(after: str | None) -> repository.TargetPage:
        with store.reading() as conn:
            return repository.query_targets(conn, filters, sort=sort, limit=CSV_BATCH, cursor=after)

    first = read(cursor)

    def pages() -> Iterator[list[dict]]:
        page = first
        yield page.targets
        while page.next_cursor is not None:
            page = read(page.next_cursor)
            yield page.targets

    return pages()


def targets_csv_chunks(pages: Iterable[list[dict]]) -> Iterator[str]:
    """CSV text, one chunk per page of targets: a byte order mark and the header come first,
    so that spreadsheet programs read the UTF-8 Chinese right; then one line per target."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(CSV_COLUMNS)
    for targets in pages:
        for t in targets:
            item = t["item"] or {}
            flat = {**t, "item_number": item.get("number"), "item_title": item.get("title"),
                    "span_start": t["span"]["start"], "span_end": t["span"]["end"],
                    "responsible_units": "、".join(t["responsible_units"]),
                    "responsible_leaders": "、".join(t["responsible_leaders"])}
            writer.writerow(["" if flat[c] is None else _csv_number(flat[c]) for c in CSV_COLUMNS])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    if out.tell():
        yield out.getvalue()


def targets_csv(rows: list[dict]) -> str:
    """The CSV of some targets, as one string."""
    return "".join(targets_csv_chunks([rows]))


def _csv_number(value):
    """Whole floats as integers (3, not 3.0); everything else as is."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# --------------------------------------------------------------------------- summary


@bp.get("/summary")
def summary():
    """Count and sum targets per group; `unit` is always one of the groups."""
    _check_params(FILTER_PARAMS + ("group_by",))
    group_by = _list("group_by", repository.GROUP_FIELDS) or []
    group_by = list(dict.fromkeys(group_by))
    effective = group_by + (["unit"] if "unit" not in group_by else [])
    filters = target_filters()
    with current_store().reading() as conn:
        groups = repository.summarize(conn, filters, group_by)
    return {"group_by": effective, "groups": groups}
