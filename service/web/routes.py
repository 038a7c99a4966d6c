"""The review page: HTML for people, beside the JSON API for programs.

`GET /` shows the form; `POST /ui/review` reads the pasted text or the chosen file and renders
the plan with its targets highlighted. The same form's other buttons download the extraction
as JSON or CSV, or save the plan to the store (then the browser is sent to its stored page).
Stored plans are pages under `/ui/documents`, apart from the store's JSON at `/documents`:
separate paths rather than content negotiation, so a cached or proxied response can never be
the wrong kind and each URL means one thing.

Errors on these pages are shown as HTML (the form again, with the message), not problem+json.
"""
from __future__ import annotations

import io
import re

from flask import (Blueprint, Request, current_app, redirect, render_template, request, send_file,
                   url_for)
from flask_babel import gettext
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from ..api.errors import Problem
from ..api.inputs import PlanInput, no_text, read_plan
from ..api.schemas import SOURCE_MAX_LENGTH
from ..extract import extract
from ..store.models import INT_MAX
from . import i18n, view

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/ui/static")


def plan_from_form(req: Request) -> PlanInput:
    """The plan of the review form: the chosen file if there is one, else the pasted text.

    A file goes through `read_plan` (size limit, conversion of any format, like POST /extract).
    Browsers submit a textarea with CRLF line ends whatever was pasted; those are turned
    back into LF so that the text reviewed is the text the user pasted.
    """
    upload = req.files.get("file")
    if upload is not None and upload.filename:
        return read_plan(req)
    text = req.form.get("text", "").replace("\r\n", "\n")
    if not text.strip():
        raise no_text("Paste the text of a plan or choose a file (.txt, .docx, .pdf, .html, .doc, .wps, .rtf, .odt).")
    source = (req.form.get("source") or "").strip() or None
    if source is not None and len(source) > SOURCE_MAX_LENGTH:
        raise Problem(400, "Invalid request", f"The source name is longer than {SOURCE_MAX_LENGTH} characters.",
                      type="invalid-request")
    return PlanInput(text, source)


def heading_of(extraction: dict, source: str | None) -> str:
    documents = extraction.get("documents") or []
    title = next((d.get("title") for d in documents if d.get("title")), None)
    return title or source or gettext("Pasted plan")


def download_name(source: str | None, suffix: str, what: str = "targets") -> str:
    """`惠济区2023.txt` -> `惠济区2023.targets.csv`; no source -> `plan.targets.csv`."""
    stem = re.sub(r"\.(txt|docx|text|md|pdf|html?|doc|wps|rtf|odt)$", "", (source or "").strip(), flags=re.I)
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", stem).strip(" ._") or "plan"
    return f"{stem[:80]}.{what}.{suffix}"


@bp.get("/")
def index():
    return render_template("web/index.html", nav="review", view=None)


@bp.post("/ui/review")
def review_plan():
    plan = plan_from_form(request)
    extraction = extract(plan.text).to_dict()
    return render_template("web/index.html", nav="review", text=plan.text, source=plan.source,
                           view=view.review(plan.text, extraction),
                           heading=heading_of(extraction, plan.source))


@bp.get("/ui/review")
def review_again():
    """A reload or bookmark of the result page has no plan to show: back to the form."""
    return redirect(url_for("web.index"), code=303)


@bp.post("/ui/review.json")
def download_json():
    """The extraction of the form's plan, as POST /extract gives it, as a file."""
    from ..api.routes import service_version

    plan = plan_from_form(request)
    body = extract(plan.text).to_dict()
    body["meta"] = {"version": service_version(), "chars": len(plan.text), "source": plan.source}
    data = current_app.json.dumps(body, indent=1).encode("utf-8")
    return send_file(io.BytesIO(data), mimetype="application/json", as_attachment=True,
                     download_name=download_name(plan.source, "json"))


@bp.post("/ui/review.csv")
def download_csv():
    """The targets of the form's plan in the store's CSV layout (one row per target, never a
    result), so that a pasted plan and a stored one download alike."""
    from ..store.routes import targets_csv

    plan = plan_from_form(request)
    rows = view.store_shaped_targets(extract(plan.text).to_dict(), plan.source)
    data = targets_csv(rows).encode("utf-8")
    return send_file(io.BytesIO(data), mimetype="text/csv", as_attachment=True,
                     download_name=download_name(plan.source, "csv"))


@bp.post("/ui/review.results.csv")
def download_results_csv():
    """The results of the form's plan in the layout of `GET /results?format=csv`."""
    from ..store.routes import results_csv

    plan = plan_from_form(request)
    rows = view.store_shaped_targets(extract(plan.text).to_dict(), plan.source, view.RESULT)
    data = results_csv(rows).encode("utf-8")
    return send_file(io.BytesIO(data), mimetype="text/csv", as_attachment=True,
                     download_name=download_name(plan.source, "csv", "results"))


# --------------------------------------------------------------------------- stored plans

PAGE_SIZE = 50


def _check_write_key() -> None:
    """Saving from the page is a write like POST /documents: when API keys are configured the
    form carries one (a browser form cannot send an Authorization header)."""
    from ..store.routes import key_accepted

    keys = current_app.config.get("API_KEYS") or []
    if not keys:
        return
    presented = (request.form.get("api_key") or "").strip()
    if not presented:
        raise Problem(401, "API key needed", "Saving needs one of this service's API keys; "
                      "enter it beside the Save button.", type="unauthorized")
    if not key_accepted(presented, keys):
        raise Problem(403, "Forbidden", "That API key is not one this service accepts.",
                      type="forbidden")


@bp.post("/ui/documents")
def save_plan():
    """Save the form's plan (idempotent: the same text is kept once) and show its stored page."""
    from ..store.routes import current_store, unstorable
    from ..store.storing import UnstorableText, store_text

    _check_write_key()
    plan = plan_from_form(request)
    try:
        stored = store_text(current_store(), plan.text, plan.source)
    except UnstorableText as exc:
        raise unstorable(exc) from None
    return redirect(url_for("web.stored_plan", document_id=stored.document_id,
                            saved="new" if stored.created else "existing"), code=303)


@bp.get("/ui/documents")
def stored_plans():
    from ..store import repository
    from ..store.routes import current_store

    raw_page = request.args.get("page", "1").strip()
    page = int(raw_page) if re.fullmatch(r"[0-9]{1,20}", raw_page) else 1
    # A page past any offset the database takes is the last page there could be (empty).
    page = min(max(1, page), INT_MAX // PAGE_SIZE)
    with current_store().reading() as conn:
        documents, total = repository.list_documents(
            conn, repository.DocumentFilters(), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render_template("web/documents.html", nav="stored", documents=documents, total=total,
                           page=page, pages=max(1, -(-total // PAGE_SIZE)),
                           documents_api=url_for("store.list_documents"))


@bp.get("/ui/documents/<int:document_id>")
def stored_plan(document_id: int):
    from ..store import repository
    from ..store.routes import current_store

    document = None
    if document_id <= INT_MAX:  # past the id column there is no plan, and SQL is not asked
        with current_store().reading() as conn:
            document = repository.get_document(conn, document_id)
    if document is None:
        raise Problem(404, "Not Found", f"There is no stored plan {document_id}.",
                      type="no-document")
    extraction = view.extraction_from_stored(document)
    return render_template(
        "web/document.html", nav="stored", document=document,
        view=view.review(document["text"], extraction),
        heading=heading_of(extraction, document.get("source")),
        saved=request.args.get("saved"),
        json_url=url_for("store.get_document", document_id=document_id),
        json_name=download_name(document.get("source") or f"plan-{document_id}", "json"),
        csv_url=url_for("store.list_targets", document=document_id, format="csv"),
        csv_name=download_name(document.get("source") or f"plan-{document_id}", "csv"),
        results_csv_url=url_for("store.list_results", document=document_id, format="csv"),
        results_csv_name=download_name(document.get("source") or f"plan-{document_id}", "csv",
                                       "results"))


@bp.errorhandler(OperationalError)
def _store_unavailable_page(exc: OperationalError):
    current_app.logger.error("store unavailable: %s", exc.__class__.__name__)
    return _error_page(503, "Store unavailable",
                       "The database cannot be reached or is busy; try again shortly.",
                       "store-unavailable")


@bp.errorhandler(Problem)
def _problem_page(problem: Problem):
    return _error_page(problem.status, problem.title, problem.detail, problem.type)


@bp.errorhandler(HTTPException)
def _http_error_page(exc: HTTPException):
    return _error_page(exc.code or 500, exc.name, exc.description or exc.name)


def _error_page(status: int, title: str, detail: str, problem_type: str | None = None):
    """A failed form post shows the form again with the message and what was typed in, in the
    page's language (`i18n.page_error`)."""
    error = i18n.page_error(status, problem_type, title, detail)
    if request.method == "POST":
        text = source = None
        if status != 413:  # the body was not read: leave it be
            text = request.form.get("text", "").replace("\r\n", "\n")
            source = request.form.get("source")
        return render_template("web/index.html", nav="review", view=None, error=error,
                               text=text, source=source), status
    return render_template("web/error.html", nav=None, error=error), status
