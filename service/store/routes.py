"""The store over HTTP: /documents, /targets and /results (JSON or CSV), and /summary.

/targets and /results are one endpoint over the two kinds of measure (the repository's `KINDS`):
the same filters, sorts, cursor pages and CSV, with each kind's own fields.

Writes (POST and DELETE on /documents) need `Authorization: Bearer <key>` when
PLAN_TARGETS_API_KEYS is set; reads stay open. Query parameters are checked strictly:
an unknown parameter or a bad value is a 400 problem, never silently ignored.
"""
from __future__ import annotations

import csv
import hmac
import io
import math
import re
from functools import wraps
from typing import Iterable, Iterator
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, request, stream_with_context, url_for
from sqlalchemy.exc import OperationalError

from ..api.errors import Problem, problem_response
from ..api.inputs import read_plan
from . import repository
from .db import Store
from .models import INT_MAX, INT_MIN, RESULT, TARGET
from .repository import KINDS, BadCursor, DocumentFilters, Kind, MeasureFilters
from .storing import UnstorableText, store_text

bp = Blueprint("store", __name__)

CATEGORIES = ("funding", "rate", "schools", "seats", "people", "other")
COMPARATORS = ("eq", "ge", "gt", "le", "lt", "approx", "between")
DIRECTIONS = ("increase", "decrease", "none")
SHARED_FILTER_PARAMS = ("category", "unit", "currency", "issuer", "year", "document", "item",
                        "responsible_unit", "comparator", "direction", "min_value", "max_value")
#: The query parameters that filter each kind: the shared ones and the kind's own yes/no flag.
FILTER_PARAMS = {name: SHARED_FILTER_PARAMS + (kind.flag,) for name, kind in KINDS.items()}
DEFAULT_MEASURE_LIMIT, MAX_MEASURE_LIMIT = 100, 1000
DEFAULT_DOCUMENT_LIMIT, MAX_DOCUMENT_LIMIT = 50, 500
CSV_BATCH = 1000  # rows per read while streaming a whole CSV
#: An integer query value outside an INTEGER column's range is refused (400) before it reaches
#: SQL, where PostgreSQL would fail to bind it and SQLite would overflow; a path id outside it
#: is no document (404).
_INTEGER = re.compile(r"[+-]?[0-9]{1,20}")
_CSV_HEAD = ("id", "document_id", "source", "part", "document_title", "issuer", "year",
             "doc_number", "item_number", "item_title", "section", "raw", "value", "low", "high",
             "unit", "currency", "category", "comparator", "direction", "per", "metric")
_CSV_TAIL = ("responsible_units", "responsible_leaders", "text", "span_start", "span_end", "page")
#: CSV columns of each kind: the shared ones with the kind's own in the middle.
CSV_COLUMNS_OF = {
    TARGET: _CSV_HEAD + ("deadline", "baseline_raw", "baseline_value") + _CSV_TAIL,
    RESULT: _CSV_HEAD + ("as_of", "target_id", "target_key") + _CSV_TAIL,
}
CSV_COLUMNS = CSV_COLUMNS_OF[TARGET]
_EXTENSION = "plan_targets.store"


# --------------------------------------------------------------------------- store & auth


def current_store() -> Store:
    """The app's store; its schema is brought to head once per process, on first use."""
    store = current_app.extensions.get(_EXTENSION)
    if store is None:
        store = current_app.extensions[_EXTENSION] = Store(current_app.config["DATABASE_URL"])
    store.ensure_schema()
    return store


def unstorable(exc: UnstorableText) -> Problem:
    return Problem(422, "Undecodable text", f"{str(exc)[:1].upper()}{str(exc)[1:]}.",
                   type="undecodable-text")


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
    if value is not None and "\x00" in value:  # no database column can hold NUL
        raise _invalid(f"{name}: contains a NUL character.")
    return value.strip() or None if value is not None else None


def _int(name: str, default: int | None = None, minimum: int = INT_MIN,
         maximum: int = INT_MAX) -> int | None:
    raw = _text(name)
    if raw is None:
        return default
    # ASCII digits only (int() would also take `1_000` and other scripts' digits), and few
    # enough that converting them costs nothing.
    if not _INTEGER.fullmatch(raw):
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        raise _invalid(f"{name}: expected an integer from {minimum} to {maximum}, got {shown!r}.")
    value = int(raw)
    if value < minimum:
        raise _invalid(f"{name}: must be at least {minimum}, got {value}.")
    if value > maximum:
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
    """A comma-separated list. With `allowed` (an enum in the contract) every element must be
    exactly one of them: `a,,b` or ` a` is refused, as the contract's array of enums says."""
    raw = _text(name)
    if raw is None:
        return None
    if allowed is None:
        return [v.strip() for v in raw.split(",") if v.strip()] or None
    values = raw.split(",")
    bad = [v for v in values if v not in allowed]
    if bad:
        raise _invalid(f"{name}: {', '.join(map(repr, bad))} not one of {', '.join(allowed)}.")
    return values


def _bool(name: str) -> bool | None:
    raw = _text(name)
    if raw is None:
        return None
    if raw.lower() in ("1", "true", "yes"):
        return True
    if raw.lower() in ("0", "false", "no"):
        return False
    raise _invalid(f"{name}: expected true or false, got {raw!r}.")


def measure_filters(kind: Kind, other_flags: bool = False) -> MeasureFilters:
    """The filters of /targets, /results and /summary, read from the query string. With
    `other_flags` (/summary, whose contract has both) the other kind's yes/no flag is read too:
    no target has a target and no result a deadline, so `true` there matches nothing."""
    directions = _list("direction", DIRECTIONS)
    other_flag = None
    if other_flags:
        for other in KINDS.values():
            if other is not kind:
                other_flag = _bool(other.flag)
    return MeasureFilters(
        category=_list("category", CATEGORIES), unit=_list("unit"), currency=_list("currency"),
        issuer=_text("issuer"), year=_int("year"), document=_int("document"), item=_int("item"),
        responsible_unit=_text("responsible_unit"), comparator=_list("comparator", COMPARATORS),
        direction=[None if d == "none" else d for d in directions] if directions else None,
        min_value=_float("min_value"), max_value=_float("max_value"),
        has=_bool(kind.flag), matches_nothing=other_flag is True)


# --------------------------------------------------------------------------- documents


def _no_document(document_id: int) -> Problem:
    return Problem(404, "Not Found", f"There is no document {document_id}.", type="no-document")


def _document_response(document_id: int, status: int) -> Response:
    include_text = _bool("include_text")
    if document_id > INT_MAX:  # no id is stored past the column, nor sent to SQL
        raise _no_document(document_id)
    with current_store().reading() as conn:
        document = repository.get_document(conn, document_id,
                                           with_text=include_text is not False)
    if document is None:
        raise _no_document(document_id)
    response = current_app.json.response(document)
    response.status_code = status
    return response


@bp.post("/documents")
@write_access
def create_document():
    """Extract and store a plan; the same text again answers 200 with the stored document."""
    _check_params(("source", "include_text"))
    plan = read_plan(request)
    try:
        stored = store_text(current_store(), plan.text, plan.source, file=plan.file,
                            page_starts=plan.page_starts)
    except UnstorableText as exc:
        raise unstorable(exc) from None
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


@bp.get("/documents/<int:document_id>/text")
def get_document_text(document_id: int):
    """The stored text the spans point into (for a file: the text converted from it)."""
    _check_params(())
    with current_store().reading() as conn:
        text = repository.get_text(conn, document_id)
    if text is None:
        raise Problem(404, "Not Found", f"There is no document {document_id}.", type="no-document")
    return Response(text, mimetype="text/plain", content_type="text/plain; charset=utf-8")


@bp.delete("/documents/<int:document_id>")
@write_access
def delete_document(document_id: int):
    _check_params(())
    if document_id > INT_MAX:
        raise _no_document(document_id)
    with current_store().writing() as conn:
        deleted = repository.delete_document(conn, document_id)
    if not deleted:
        raise _no_document(document_id)
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


def _sort(kind: Kind) -> str:
    sort = _text("sort") or "id"
    if sort.lstrip("-") not in kind.sorts:
        raise _invalid(f"sort: {sort!r} is not one of {', '.join(kind.sorts)} "
                       "(prefix - for descending).")
    return sort


def _next_link(cursor: str) -> str:
    args = {k: v for k, v in request.args.items() if k != "cursor"}
    args["cursor"] = cursor
    return f'<{request.path}?{urlencode(args)}>; rel="next"'


@bp.get("/targets")
def list_targets():
    """Targets across all stored documents (never a result); keyset pages (`cursor`) or CSV."""
    return _list_measures(KINDS[TARGET])


@bp.get("/results")
def list_results():
    """Results across all stored documents (never a target); keyset pages (`cursor`) or CSV."""
    return _list_measures(KINDS[RESULT])


def _list_measures(kind: Kind) -> Response:
    _check_params(FILTER_PARAMS[kind.name] + ("sort", "limit", "cursor", "format"))
    filters = measure_filters(kind)
    sort = _sort(kind)
    as_csv = _wants_csv()
    # CSV without an explicit limit is the whole result, for spreadsheets and BI imports.
    default_limit = None if as_csv else DEFAULT_MEASURE_LIMIT
    limit = _int("limit", default_limit, 1, MAX_MEASURE_LIMIT)
    cursor = _text("cursor")
    try:
        if cursor:
            repository.decode_cursor(cursor, kind, sort)  # refuse a bad cursor before answering
        if limit is None:  # CSV of everything: streamed, one short read per batch
            rows, next_cursor = _all_pages(kind, filters, sort, cursor), None
        else:
            with current_store().reading() as conn:
                page = repository.query_measures(conn, kind, filters, sort=sort, limit=limit,
                                                 cursor=cursor)
            rows, next_cursor = [page.rows], page.next_cursor
    except BadCursor as exc:
        raise _invalid(f"cursor: {exc}.") from None
    if as_csv:
        response = Response(stream_with_context(measures_csv_chunks(kind, rows)),
                            mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        response.headers["Content-Disposition"] = f'attachment; filename="{kind.plural}.csv"'
    else:
        response = current_app.json.response(
            {kind.plural: rows[0], "next_cursor": next_cursor, "limit": limit})
    if next_cursor:
        response.headers["Link"] = _next_link(next_cursor)
        response.headers["X-Next-Cursor"] = next_cursor
    response.vary.add("Accept")
    return response


def _all_pages(kind: Kind, filters: MeasureFilters, sort: str,
               cursor: str | None) -> Iterator[list[dict]]:
    """Every matching row from `cursor` on, a batch per read transaction. The first batch
    is read now, so that a failing database is still answered with a problem, not a cut CSV."""
    store = current_store()

    def read(after: str | None) -> repository.MeasurePage:
        with store.reading() as conn:
            return repository.query_measures(conn, kind, filters, sort=sort, limit=CSV_BATCH,
                                             cursor=after)

    return pages_from(read, cursor)


def pages_from(read, cursor: str | None) -> Iterator[list[dict]]:
    """The rows of every page from `cursor` on, `read(cursor)` giving one page (`rows`,
    `next_cursor`). The first page is read now, the rest as the caller iterates."""
    first = read(cursor)

    def pages() -> Iterator[list[dict]]:
        page = first
        yield page.rows
        while page.next_cursor is not None:
            page = read(page.next_cursor)
            yield page.rows

    return pages()


def measures_csv_chunks(kind: Kind, pages: Iterable[list[dict]]) -> Iterator[str]:
    """CSV text, one chunk per page of targets or results: a byte order mark and the header
    come first, so that spreadsheet programs read the UTF-8 Chinese right; then one line per
    row. A target's baseline and a result's target are flattened into columns of their own."""
    columns = CSV_COLUMNS_OF[kind.name]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(columns)
    for rows in pages:
        for m in rows:
            writer.writerow(csv_cells(kind, m))
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    if out.tell():
        yield out.getvalue()


def csv_cells(kind: Kind, m: dict) -> list:
    """One target's or result's CSV line, in the order of `CSV_COLUMNS_OF[kind.name]`."""
    item = m["item"] or {}
    baseline = m.get("baseline") or {}
    target = m.get("target") or {}
    flat = {**m, "item_number": item.get("number"), "item_title": item.get("title"),
            "span_start": m["span"]["start"], "span_end": m["span"]["end"],
            "responsible_units": "、".join(m["responsible_units"]),
            "responsible_leaders": "、".join(m["responsible_leaders"]),
            "baseline_raw": baseline.get("raw"), "baseline_value": baseline.get("value"),
            "target_id": target.get("id"), "target_key": target.get("key")}
    return ["" if flat.get(c) is None else _csv_cell(flat[c]) for c in CSV_COLUMNS_OF[kind.name]]


def targets_csv(rows: list[dict]) -> str:
    """The CSV of some targets, as one string."""
    return "".join(measures_csv_chunks(KINDS[TARGET], [rows]))


def results_csv(rows: list[dict]) -> str:
    """The CSV of some results, as one string."""
    return "".join(measures_csv_chunks(KINDS[RESULT], [rows]))


#: What makes a spreadsheet read a cell as a formula (or, tab and CR, hide one after them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    """One CSV cell: whole floats as integers (3, not 3.0), other numbers as they are; a text
    that a spreadsheet would run as a formula gets a leading `'`, so it stays text
    (CSV injection: a plan's sentence or metric is whatever its author wrote)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# --------------------------------------------------------------------------- summary


@bp.get("/summary")
def summary():
    """Count and sum targets (or, with `kind=results`, results) per group; `unit` is always
    one of the groups, and one kind is summed at a time."""
    plural = _text("kind") or "targets"
    if plural == "progress":  # targets met, on track, behind, without report (service/progress)
        from ..progress.routes import progress_summary

        return progress_summary()
    kind = repository.KIND_BY_PLURAL.get(plural)
    if kind is None:
        raise _invalid(f"kind: expected {', '.join(repository.KIND_BY_PLURAL)} or progress, "
                       f"got {plural!r}.")
    _check_params(SHARED_FILTER_PARAMS + tuple(k.flag for k in KINDS.values())
                  + ("group_by", "kind"))
    group_by = _list("group_by", repository.GROUP_FIELDS) or []
    group_by = list(dict.fromkeys(group_by))
    effective = group_by + (["unit"] if "unit" not in group_by else [])
    filters = measure_filters(kind, other_flags=True)
    with current_store().reading() as conn:
        groups = repository.summarize(conn, kind, filters, group_by)
    return {"kind": kind.plural, "group_by": effective, "groups": groups}
