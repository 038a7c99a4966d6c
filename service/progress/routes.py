"""`GET /progress`: stored targets with the results that report on them, their completion and
status; JSON in keyset pages like /targets, or CSV (one line per target). The per-unit counts
are `GET /summary?kind=progress` (the store's /summary hands it to `progress_summary`).
"""
from __future__ import annotations

import csv
import io
from typing import Iterable, Iterator

from flask import Blueprint, Response, current_app, stream_with_context

from ..store import routes as store_routes
from ..store.models import TARGET
from ..store.repository import GROUP_FIELDS, BadCursor, MeasureFilters
from . import reading

bp = Blueprint("progress", __name__)

FILTER_PARAMS = store_routes.FILTER_PARAMS[TARGET]
PROGRESS_CSV_COLUMNS = ("status", "completion", "result_count", "latest_value", "latest_unit",
                        "latest_as_of", "latest_document_id", "latest_match_score", "latest_text")


@bp.get("/progress")
def list_progress():
    """Targets (the /targets filters, sort and cursor) with their results, newest first."""
    store_routes._check_params(FILTER_PARAMS + ("sort", "limit", "cursor", "format"))
    kind = reading.TARGETS
    filters = store_routes.measure_filters(kind)
    sort = store_routes._sort(kind)
    as_csv = store_routes._wants_csv()
    default_limit = None if as_csv else store_routes.DEFAULT_MEASURE_LIMIT
    limit = store_routes._int("limit", default_limit, 1, store_routes.MAX_MEASURE_LIMIT)
    cursor = store_routes._text("cursor")
    store = store_routes.current_store()
    try:
        if limit is None:  # CSV of everything, a batch of targets per read
            pages = _all_pages(store, filters, sort, cursor)
            next_cursor = None
        else:
            with store.reading() as conn:
                page = reading.progress_page(conn, filters, sort=sort, limit=limit, cursor=cursor)
            pages, next_cursor = [page.rows], page.next_cursor
    except BadCursor as exc:
        raise store_routes._invalid(f"cursor: {exc}.") from None
    if as_csv:
        response = Response(stream_with_context(progress_csv_chunks(pages)), mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        response.headers["Content-Disposition"] = 'attachment; filename="progress.csv"'
    else:
        response = current_app.json.response(
            {"progress": pages[0], "next_cursor": next_cursor, "limit": limit})
    if next_cursor:
        response.headers["Link"] = store_routes._next_link(next_cursor)
        response.headers["X-Next-Cursor"] = next_cursor
    response.vary.add("Accept")
    return response


def _all_pages(store, filters: MeasureFilters, sort: str, cursor: str | None) -> Iterator[list[dict]]:
    """Every target's progress from `cursor` on; the first batch is read before answering, so a
    failing database is a problem response, not a cut CSV."""
    def read(after):
        with store.reading() as conn:
            return reading.progress_page(conn, filters, sort=sort, limit=reading.BATCH, cursor=after)

    return store_routes.pages_from(read, cursor)


def progress_csv_chunks(pages: Iterable[list[dict]]) -> Iterator[str]:
    """The columns of `/targets?format=csv`, then the progress of each target."""
    head = store_routes.CSV_COLUMNS_OF[TARGET]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(tuple(head) + PROGRESS_CSV_COLUMNS)
    for rows in pages:
        for row in rows:
            target_line = store_routes.csv_cells(reading.TARGETS, row["target"])
            latest = row["latest"] or {}
            extra = {
                "status": row["status"], "completion": row["completion"],
                "result_count": len(row["results"]), "latest_value": latest.get("value"),
                "latest_unit": latest.get("unit"), "latest_as_of": latest.get("as_of"),
                "latest_document_id": latest.get("document_id"),
                "latest_match_score": (latest.get("match") or {}).get("score"),
                "latest_text": latest.get("text"),
            }
            writer.writerow(target_line + ["" if extra[c] is None
                                           else store_routes._csv_cell(extra[c])
                                           for c in PROGRESS_CSV_COLUMNS])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    if out.tell():
        yield out.getvalue()


def progress_summary() -> dict:
    """`GET /summary?kind=progress`: per group the count of targets met, on track, behind and
    without a report (the /targets filters apply)."""
    # The contract of /summary has both kinds' flags; `has_target=true` matches no target.
    store_routes._check_params(store_routes.SHARED_FILTER_PARAMS
                               + tuple(k.flag for k in store_routes.KINDS.values())
                               + ("group_by", "kind"))
    group_by = list(dict.fromkeys(store_routes._list("group_by", GROUP_FIELDS) or []))
    filters = store_routes.measure_filters(reading.TARGETS, other_flags=True)
    with store_routes.current_store().reading() as conn:
        rows = reading.all_progress(conn, filters)
    return {"kind": "progress", "group_by": group_by,
            "groups": reading.summarize_progress(rows, group_by)}
