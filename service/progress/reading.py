"""Progress read from the store: targets with the results that report on them, matched at
query time (`matching`).

Why at query time and not stored: a match depends on every other stored text of the same
issuer (a summary stored next month matches a target stored today, and a result goes to the
best target of a plan), so stored matches would go stale with each new or deleted document and
need a re-match of the whole issuer on every write. Reading a page instead loads the targets and
results of the page's issuers only (indexed by issuer/year through `parts`) and matches them in
memory: a few thousand rows per issuer at most, milliseconds of work.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import Connection

from ..store import repository
from ..store.models import RESULT, TARGET
from ..store.repository import MeasureFilters
from . import matching

TARGETS = repository.KINDS[TARGET]
RESULTS = repository.KINDS[RESULT]
#: Most targets a whole-set read (summary, dashboard, CSV) assesses in one go.
BATCH = 1000


@dataclass
class ProgressPage:
    rows: list[dict]
    next_cursor: str | None


def all_measures(conn: Connection, kind, filters: MeasureFilters) -> list[dict]:
    """Every target (or result) that passes `filters`, read a batch at a time."""
    rows: list[dict] = []
    cursor = None
    while True:
        page = repository.query_measures(conn, kind, filters, sort="id", limit=BATCH, cursor=cursor)
        rows += page.rows
        if page.next_cursor is None:
            return rows
        cursor = page.next_cursor


def _neighbourhood(conn: Connection, page_targets: list[dict]) -> tuple[list[dict], list[dict]]:
    """Every target and result that may take part in matching the page's targets: those of the
    page's issuers, and those in the page's documents (a link needs no issuer)."""
    issuers = sorted({t["issuer"] for t in page_targets if t.get("issuer") is not None})
    documents = sorted({t["document_id"] for t in page_targets if t.get("issuer") is None})
    targets: dict[int, dict] = {t["id"]: t for t in page_targets}
    results: dict[int, dict] = {}
    for issuer in issuers:
        for t in all_measures(conn, TARGETS, MeasureFilters(issuer=issuer)):
            targets.setdefault(t["id"], t)
        for r in all_measures(conn, RESULTS, MeasureFilters(issuer=issuer)):
            results[r["id"]] = r
    for document_id in documents:
        for r in all_measures(conn, RESULTS, MeasureFilters(document=document_id)):
            results[r["id"]] = r
    return list(targets.values()), list(results.values())


def progress_rows(conn: Connection, page_targets: list[dict]) -> list[dict]:
    """`{"target", "results", "latest", "completion", "status"}` for each target, in order."""
    if not page_targets:
        return []
    targets, results = _neighbourhood(conn, page_targets)
    found = matching.match_all(targets, results)
    rows = []
    for t in page_targets:
        assessed = matching.assess(t, found.get(t["id"], []))
        reported = [{**m.result, "match": m.match.to_dict()} for m in assessed.results]
        latest = next((r for r in reported if assessed.latest is not None
                       and r["id"] == assessed.latest["id"]), None)
        rows.append({"target": t, "results": reported, "latest": latest,
                     "completion": assessed.completion, "status": assessed.status})
    return rows


def progress_page(conn: Connection, filters: MeasureFilters, *, sort: str = "id",
                  limit: int | None = 100, cursor: str | None = None) -> ProgressPage:
    """A page of targets (the /targets filters, sort and cursor) with their progress."""
    page = repository.query_measures(conn, TARGETS, filters, sort=sort, limit=limit, cursor=cursor)
    return ProgressPage(progress_rows(conn, page.rows), page.next_cursor)


def all_progress(conn: Connection, filters: MeasureFilters) -> list[dict]:
    """Progress of every target that matches `filters` (for summaries and the dashboard)."""
    return progress_rows(conn, all_measures(conn, TARGETS, filters))


def summarize_progress(rows: Iterable[dict], group_by: list[str]) -> list[dict]:
    """Per group, how many targets are met, on track, behind or have no report.

    Grouped by `responsible_unit`, a target counts once under each unit of its item (and under
    null when it has none), as the targets' summary counts them.
    """
    counts: dict[tuple, Counter] = {}
    for row in rows:
        t = row["target"]
        keys = [()]
        for field in group_by:
            if field == "responsible_unit":
                values = t.get("responsible_units") or [None]
            elif field == "document":
                values = [t.get("document_id")]
            else:
                values = [t.get(field)]
            keys = [k + (v,) for k in keys for v in dict.fromkeys(values)]
        for k in keys:
            counts.setdefault(k, Counter())[row["status"]] += 1

    def order(k: tuple):
        return tuple((v is None, v if v is not None else "") if not isinstance(v, (int, float))
                     else (False, v) for v in k)

    groups = []
    for k in sorted(counts, key=order):
        c = counts[k]
        group = dict(zip(group_by, k))
        group.update({"count": sum(c.values()), **{s: c.get(s, 0) for s in matching.STATUSES}})
        groups.append(group)
    return groups
