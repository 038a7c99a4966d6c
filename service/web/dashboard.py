"""`/ui/dashboard`: the plan against its progress, for people — the same figures as
`GET /progress` and `GET /summary?kind=progress`, drawn with Chart.js (installed from the npm
registry by `make`, served from /ui/static/vendor/, no CDN)."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from sqlalchemy import select

from ..progress import dashboard as figures
from ..progress import reading
from ..store import repository
from ..store.repository import MeasureFilters

bp = Blueprint("dashboard", __name__)

#: Most targets the page assesses at once; beyond it the page asks for a narrower filter.
MAX_TARGETS = 2000

CATEGORY_NAMES = {
    "funding": lazy_gettext("Funding"), "rate": lazy_gettext("Rate"),
    "schools": lazy_gettext("Schools"), "seats": lazy_gettext("Seats"),
    "people": lazy_gettext("People"), "other": lazy_gettext("Other"),
}
EVIDENCE_NAMES = {
    "link": lazy_gettext("linked in the text"), "unit": lazy_gettext("unit"),
    "category": lazy_gettext("category"), "metric": lazy_gettext("metric"),
    "item": lazy_gettext("item"), "direction": lazy_gettext("direction"),
}
STATUS_NAMES = {
    "met": lazy_gettext("Met"), "on_track": lazy_gettext("On track"),
    "behind": lazy_gettext("Behind"), "no_report": lazy_gettext("No report"),
}


def _int_arg(name: str) -> int | None:
    raw = (request.args.get(name) or "").strip()
    return int(raw) if raw.isdigit() else None


def _filters() -> tuple[MeasureFilters, dict]:
    """The page's filters (a bad value is ignored, as a form's empty field is)."""
    chosen = {
        "issuer": (request.args.get("issuer") or "").strip() or None,
        "year": _int_arg("year"),
        "category": (request.args.get("category") or "").strip() or None,
        "responsible_unit": (request.args.get("responsible_unit") or "").strip() or None,
    }
    if chosen["category"] not in CATEGORY_NAMES:
        chosen["category"] = None
    filters = MeasureFilters(issuer=chosen["issuer"], year=chosen["year"],
                             category=[chosen["category"]] if chosen["category"] else None,
                             responsible_unit=chosen["responsible_unit"])
    return filters, chosen


def _choices(conn) -> dict:
    parts = repository.parts
    rows = conn.execute(select(parts.c.issuer, parts.c.year).distinct()).all()
    return {"issuers": sorted({r.issuer for r in rows if r.issuer}),
            "years": sorted({r.year for r in rows if r.year}, reverse=True)}


def quantity_label(row: dict | None) -> str:
    if not row:
        return ""
    from .view import quantity

    return quantity(row)


def _api_query(chosen: dict) -> dict:
    return {k: v for k, v in chosen.items() if v is not None}


@bp.get("/ui/dashboard")
def dashboard():
    from ..store.routes import current_store

    filters, chosen = _filters()
    with current_store().reading() as conn:
        choices = _choices(conn)
        targets = reading.all_measures(conn, reading.TARGETS, filters)
        too_many = len(targets) > MAX_TARGETS
        rows = reading.progress_rows(conn, targets[:MAX_TARGETS])
    data = figures.overview(rows)
    chart_data = {
        "planned_vs_achieved": [
            {**e, "label": f"{CATEGORY_NAMES[e['category']]}（{e['unit']}）"}
            for e in data["planned_vs_achieved"]],
        "by_unit": data["by_unit"],
        "labels": {"planned": gettext("Planned"), "achieved": gettext("Achieved"),
                   "no_unit": gettext("(no responsible unit)"),
                   **{s: str(name) for s, name in STATUS_NAMES.items()}},
    }
    query = _api_query(chosen)
    return render_template(
        "web/dashboard.html", nav="dashboard", rows=rows, data=data, chart_data=chart_data,
        chosen=chosen, choices=choices, too_many=too_many, max_targets=MAX_TARGETS,
        category_names=CATEGORY_NAMES, status_names=STATUS_NAMES, evidence_names=EVIDENCE_NAMES, quantity=quantity_label,
        achieved=figures.achieved_value,
        progress_api=url_for("progress.list_progress", **query),
        summary_api=url_for("store.summary", kind="progress", group_by="responsible_unit", **query))
