"""What the review page shows of one plan: its text with the targets and results marked, its
outline, the table rows and the totals. Pure functions of (text, extraction dict), so the same
view serves a freshly pasted plan and a stored one; the only tie to Flask is Flask-Babel's
`gettext`, which gives the labels in the page's language (and English outside a request).

Targets (what the plan commits to) and results (what it reports as achieved) are marked in
styles of their own and listed in tables of their own; a total only ever adds targets, or
only results, never the two together.

Highlights are cut from the text at the targets' `span` offsets. Python indexes strings by
code point, exactly as the spans are counted, so slicing here is right for every character
(astral ones included) and the browser receives finished markup.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from markupsafe import Markup, escape

# Category -> label shown in the legend and the table. Order = legend order.
CATEGORY_LABELS: "OrderedDict[str, str]" = OrderedDict([
    ("funding", lazy_gettext("Funding")),
    ("rate", lazy_gettext("Rate")),
    ("schools", lazy_gettext("Schools")),
    ("seats", lazy_gettext("Seats")),
    ("people", lazy_gettext("People")),
    ("other", lazy_gettext("Other")),
])

COMPARATOR_LABELS = {
    "eq": lazy_gettext("= exactly"),
    "ge": lazy_gettext("≥ at least"),
    "gt": lazy_gettext("> more than"),
    "le": lazy_gettext("≤ at most"),
    "lt": lazy_gettext("< less than"),
    "approx": lazy_gettext("≈ about"),
    "between": lazy_gettext("between"),
}

DIRECTION_LABELS = {"increase": lazy_gettext("increase"), "decrease": lazy_gettext("decrease")}


def _label(labels: dict, key: str | None) -> str:
    """The label of a code in the page's language (the code itself when it has none)."""
    return str(labels.get(key, key or ""))

# The totals box: which categories are summed, per unit. Rates and "other" counts mix
# unlike things and are not summed.
TOTAL_CATEGORIES = ("funding", "seats", "schools", "people")

# The item filter's key for targets that stand before any item (a document's preamble).
PREAMBLE_KEY = "-"

# The two kinds of highlight: (kind, the extraction's list, the mark's class and data attribute).
TARGET, RESULT = "target", "result"
KIND_LIST = {TARGET: "targets", RESULT: "results"}


def format_number(value: float | int | None) -> str:
    """`3.0` -> `3`, `0.8498` -> `0.8498`, `17000.0` -> `17,000`; None -> ``."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def quantity(target: dict) -> str:
    """The normalised quantity as one phrase: `≥ 90 %`, `3–5 所`, `0.8498 亿元`."""
    unit = target.get("unit") or ""
    if target.get("value") is None:
        low, high = target.get("low"), target.get("high")
        if low is not None and high is not None:
            number = f"{format_number(low)}–{format_number(high)}"
        else:
            number = format_number(low if low is not None else high)
    else:
        number = format_number(target["value"])
    symbol = {"ge": "≥ ", "gt": "> ", "le": "≤ ", "lt": "< ", "approx": "≈ "}.get(
        target.get("comparator") or "", "")
    return f"{symbol}{number} {unit}".strip()


def item_label(item: dict | None, document: int | None = None, several_documents: bool = False) -> str:
    """`12. 扩充学前教育资源` (prefixed with the document when a file holds several)."""
    if not item:
        return _("(no item)")
    label = f"{item.get('number')}. {item.get('title') or ''}".strip()
    if several_documents and document is not None:
        label = f"{_('Doc %(n)d', n=document + 1)} · {label}"
    return label


def target_summary(target: dict) -> str:
    """One line for a highlight's `title`: read when scripts are off, and by the table."""
    parts = [quantity(target), _label(CATEGORY_LABELS, target.get("category"))]
    if target.get("direction"):
        parts.append(_label(DIRECTION_LABELS, target["direction"]))
    if target.get("per"):
        parts.append(_("per %(per)s", per=target["per"]))
    if target.get("deadline"):
        parts.append(_("deadline %(deadline)s", deadline=target["deadline"]))
    if target.get("metric"):
        parts.append(target["metric"])
    return " · ".join(p for p in parts if p)


def result_summary(result: dict) -> str:
    """One line for a result highlight's `title`."""
    parts = [_("Result (achieved)"), quantity(result), _label(CATEGORY_LABELS, result.get("category"))]
    if result.get("as_of"):
        parts.append(_("as of %(as_of)s", as_of=result["as_of"]))
    if result.get("metric"):
        parts.append(result["metric"])
    return " · ".join(p for p in parts if p)


# The facts a highlight's tooltip shows (the details panel shows every field of `details`).
TOOLTIP_FIELDS = ("kind", "value", "unit", "comparator", "direction", "per", "deadline", "as_of",
                  "reports_on", "item")


def reported_target_label(result: dict, targets_by_id: dict) -> str:
    """`5所 (t0-2, 新建学校)` for the target a result reports on; `—` when none."""
    target = targets_by_id.get(result.get("target")) if result.get("target") else None
    if target is None:
        return result.get("target") or "—"
    label = f"{target.get('raw')} ({target.get('id')}"
    return label + (f", {target['metric']})" if target.get("metric") else ")")


def details(target: dict, several_documents: bool = False, kind: str = TARGET,
            targets_by_id: dict | None = None) -> dict:
    """Labelled facts of one target (or result) for the tooltip and the details panel, as
    display strings, so that the page script only places text and never formats numbers."""
    low, high = target.get("low"), target.get("high")
    bounds = "" if low is None and high is None else _(
        "%(low)s to %(high)s", low=format_number(low) or "…", high=format_number(high) or "…")
    baseline = target.get("baseline") or {}
    if kind == RESULT:
        own = [("as_of", _("As of"), target.get("as_of") or "—"),
               ("reports_on", _("Reports on"), reported_target_label(target, targets_by_id or {}))]
    else:
        own = [("deadline", _("Deadline"), target.get("deadline") or "—"),
               ("baseline", _("Baseline"), baseline.get("raw") or "—")]
    fields = [
        ("kind", _("Kind"), _("Result: reported as achieved") if kind == RESULT else _("Target: planned")),
        ("raw", _("As written"), target.get("raw") or ""),
        ("value", _("Value"), quantity(target)),
        ("unit", _("Unit"), target.get("unit") or ""),
        ("currency", _("Currency"), target.get("currency") or ""),
        ("bounds", _("Bounds"), bounds),
        ("category", _("Category"), _label(CATEGORY_LABELS, target.get("category"))),
        ("comparator", _("Comparator"), _label(COMPARATOR_LABELS, target.get("comparator"))),
        ("direction", _("Direction"), _label(DIRECTION_LABELS, target.get("direction"))
         if target.get("direction") else _("none (a level or a count)")),
        ("per", _("Per"), target.get("per") or "—"),
        *own,
        ("metric", _("Metric"), target.get("metric") or "—"),
        ("item", _("Item"), item_label(target.get("item"), target.get("document"), several_documents)),
        ("units", _("Units"), "、".join(target.get("responsible_units") or []) or "—"),
        ("leaders", _("Leaders"), "、".join(target.get("responsible_leaders") or []) or "—"),
        ("sentence", _("Sentence"), target.get("text") or ""),
    ]
    return {"id": target.get("id"), "category": target.get("category"), "kind": kind,
            "fields": [{"key": k, "label": label, "value": v} for k, label, v in fields if v != ""]}


@dataclass
class Highlighted:
    html: Markup
    marked: list[dict]  # targets and results, in text order
    unmarked: list[tuple[dict, str]]  # (target or result, why it could not be marked)
    notes: list[str] = field(default_factory=list)
    kinds: dict = field(default_factory=dict)  # id -> TARGET | RESULT of every marked one

    def count(self, kind: str) -> int:
        return sum(1 for m in self.marked if self.kinds.get(m.get("id")) == kind)


def _span(obj: dict) -> tuple[int, int] | None:
    span = obj.get("span") or {}
    start, end = span.get("start"), span.get("end")
    if isinstance(start, int) and isinstance(end, int):
        return start, end
    return None


def highlight(text: str, extraction: dict) -> Highlighted:
    """The text as HTML, each target's and result's span wrapped in a focusable `<mark>`
    (`class="target cat-…" data-target=…` or `class="result cat-…" data-result=…`), with
    zero-width anchors where documents and items start so that the outline can link into it.

    One whose span is missing, outside the text or overlapping an earlier one cannot be
    marked without breaking another; it is returned in `unmarked` with the reason, so the page
    can say so instead of silently showing fewer highlights.
    """
    n = len(text)
    unmarked: list[tuple[dict, str]] = []
    notes: list[str] = []
    candidates = []
    kinds: dict = {}
    for kind, key in KIND_LIST.items():
        for measure in extraction.get(key) or []:
            span = _span(measure)
            if span is None or not (0 <= span[0] < span[1] <= n):
                unmarked.append((measure, _("its span lies outside the text")))
                continue
            candidates.append((span, kind, measure))
    candidates.sort(key=lambda c: (c[0][0], -c[0][1]))
    marks: list[tuple[tuple[int, int], str, dict]] = []
    for span, kind, target in candidates:
        if marks and span[0] < marks[-1][0][1]:
            unmarked.append((target, _("its span overlaps %(kind)s %(id)s",
                                       kind=_("result") if marks[-1][1] == RESULT else _("target"),
                                       id=marks[-1][2].get("id"))))
            continue
        if target.get("raw") is not None and text[span[0]:span[1]] != target["raw"]:
            notes.append(_("%(kind)s %(id)s: the text at its span is “%(found)s”, not its raw “%(raw)s”.",
                           kind=_("Result") if kind == RESULT else _("Target"), id=target.get("id"),
                           found=text[span[0]:span[1]], raw=target["raw"]))
        marks.append((span, kind, target))
        kinds[target.get("id")] = kind

    anchors: list[tuple[int, str]] = []
    for document in extraction.get("documents", []):
        span = _span(document)
        if span is not None and 0 <= span[0] <= n:
            anchors.append((span[0], f"doc-{document.get('index')}"))
        for item in document.get("items", []):
            span = _span(item)
            if span is not None and 0 <= span[0] <= n:
                anchors.append((span[0], f"item-{item.get('id')}"))
    anchors.sort(key=lambda a: a[0])

    out: list[str] = []
    pos = 0
    a = 0

    def anchor(anchor_id: str) -> str:
        return f'<span class="anchor" id="{escape(anchor_id)}" tabindex="-1"></span>'

    for (start, end), kind, target in marks:
        # anchors before this mark, or (should an item start inside a number) just before it
        while a < len(anchors) and anchors[a][0] < end:
            at = min(anchors[a][0], start)
            if at > pos:
                out.append(str(escape(text[pos:at])))
                pos = at
            out.append(anchor(anchors[a][1]))
            a += 1
        if start > pos:
            out.append(str(escape(text[pos:start])))
        category = target.get("category") or "other"
        if category not in CATEGORY_LABELS:
            category = "other"
        summary = target_summary(target) if kind == TARGET else result_summary(target)
        out.append(
            f'<mark id="mark-{escape(target.get("id"))}" class="{kind} cat-{category}" '
            f'data-{kind}="{escape(target.get("id"))}" tabindex="0" '
            f'title="{escape(summary)}">{escape(text[start:end])}</mark>'
        )
        pos = end
    for at, anchor_id in anchors[a:]:
        if at > pos:
            out.append(str(escape(text[pos:at])))
            pos = at
        out.append(anchor(anchor_id))
    out.append(str(escape(text[pos:])))
    return Highlighted(Markup("".join(out)), [t for _, _, t in marks], unmarked, notes, kinds)


def outline(extraction: dict) -> list[dict]:
    """Documents -> sections -> items, each item with its responsible units and leaders and the
    number of targets (and of results) that stand in it; sections keep the order in which they
    first occur."""
    counts: dict[str, int] = {}
    result_counts: dict[str, int] = {}
    preamble: dict[int, int] = {}
    for target in extraction.get("targets", []):
        item = target.get("item")
        if item and item.get("id"):
            counts[item["id"]] = counts.get(item["id"], 0) + 1
        else:
            preamble[target.get("document")] = preamble.get(target.get("document"), 0) + 1
    for result in extraction.get("results") or []:
        item = result.get("item")
        if item and item.get("id"):
            result_counts[item["id"]] = result_counts.get(item["id"], 0) + 1
    documents = []
    for document in extraction.get("documents", []):
        sections: "OrderedDict[str | None, list[dict]]" = OrderedDict()
        for item in document.get("items", []):
            sections.setdefault(item.get("section"), []).append(
                {**item, "target_count": counts.get(item.get("id"), 0),
                 "result_count": result_counts.get(item.get("id"), 0)})
        documents.append({
            **document,
            "sections": [{"title": title, "items": items} for title, items in sections.items()],
            "preamble_targets": preamble.get(document.get("index"), 0),
        })
    return documents


def totals(targets: list[dict]) -> list[dict]:
    """Sums per category and unit (funding in 亿元, seats, schools, people, each in its own unit).
    Called with the targets or with the results, never with both: a result is not a target.

    A target counted over a period or per unit (`per`, e.g. 每校 2 名) is not summed: its plan-wide
    amount is unknown. A range adds its low end to the low sum and its high end to the high sum;
    a target with neither a value nor both ends is skipped and counted as such.
    """
    rows: "OrderedDict[tuple[str, str], dict]" = OrderedDict()
    for category in TOTAL_CATEGORIES:
        for target in targets:
            if target.get("category") != category:
                continue
            unit = target.get("unit") or ""
            row = rows.setdefault((category, unit), {
                "category": category, "label": CATEGORY_LABELS[category], "unit": unit,
                "low": 0.0, "high": 0.0, "summed": 0, "not_summed": 0})
            value, low, high = target.get("value"), target.get("low"), target.get("high")
            if target.get("per"):
                row["not_summed"] += 1
            elif value is not None:
                row["low"] += value
                row["high"] += value
                row["summed"] += 1
            elif low is not None and high is not None:
                row["low"] += low
                row["high"] += high
                row["summed"] += 1
            else:
                row["not_summed"] += 1
    result = []
    for row in rows.values():
        low, high = round(row["low"], 6), round(row["high"], 6)
        row["amount"] = format_number(low) if low == high else f"{format_number(low)}–{format_number(high)}"
        result.append(row)
    # funding in 亿元 first: the figure people look for
    result.sort(key=lambda r: (TOTAL_CATEGORIES.index(r["category"]), r["unit"] != "亿元"))
    return result


def table_rows(extraction: dict) -> list[dict]:
    """The targets in text order, with the display strings the table and its sort keys need."""
    several = len(extraction.get("documents", [])) > 1
    rows = []
    for position, target in enumerate(sorted(
            extraction.get("targets", []),
            key=lambda t: ((_span(t) or (10**12, 0))[0], t.get("id") or ""))):
        item = target.get("item")
        rows.append({
            "target": target,
            "position": position + 1,
            "quantity": quantity(target),
            "sort_value": _first_number(target.get("value"), target.get("low"), target.get("high")),
            "category_label": _label(CATEGORY_LABELS, target.get("category")),
            "comparator_label": _label(COMPARATOR_LABELS, target.get("comparator")),
            "direction_label": _label(DIRECTION_LABELS, target.get("direction")),
            "item_key": (item or {}).get("id") or PREAMBLE_KEY,
            "item_label": item_label(item, target.get("document"), several),
        })
    return rows


def result_table_rows(extraction: dict) -> list[dict]:
    """The results in text order, with the target each reports on, for the results table."""
    several = len(extraction.get("documents", [])) > 1
    targets_by_id = {t.get("id"): t for t in extraction.get("targets") or []}
    rows = []
    for position, result in enumerate(sorted(
            extraction.get("results") or [],
            key=lambda r: ((_span(r) or (10**12, 0))[0], r.get("id") or ""))):
        target = targets_by_id.get(result.get("target")) if result.get("target") else None
        rows.append({
            "result": result,
            "position": position + 1,
            "quantity": quantity(result),
            "category_label": _label(CATEGORY_LABELS, result.get("category")),
            "item_label": item_label(result.get("item"), result.get("document"), several),
            "target": target,
            "target_label": reported_target_label(result, targets_by_id) if result.get("target") else "",
        })
    return rows


def _first_number(*values) -> float | None:
    """The first of `values` that is set, as a float (the engine may give 90, the store 90.0)."""
    return next((float(v) for v in values if v is not None), None)


def item_choices(extraction: dict) -> list[tuple[str, str]]:
    """(item id, label) for the table's item filter: every item that holds a target."""
    seen: "OrderedDict[str, str]" = OrderedDict()
    has_preamble = False
    for row in table_rows(extraction):
        if row["item_key"] != PREAMBLE_KEY:
            seen.setdefault(row["item_key"], row["item_label"])
        else:
            has_preamble = True
    choices = list(seen.items())
    if has_preamble:
        choices.append((PREAMBLE_KEY, _("(no item: preamble)")))
    return choices


def review(text: str, extraction: dict) -> dict:
    """Everything the review template needs for one plan."""
    highlighted = highlight(text, extraction)
    targets = extraction.get("targets", [])
    results = extraction.get("results") or []
    present = {t.get("category") for t in targets}
    several = len(extraction.get("documents", [])) > 1
    targets_by_id = {t.get("id"): t for t in targets}
    return {
        "text": text,
        "extraction": extraction,
        "highlighted": highlighted,
        "outline": outline(extraction),
        "rows": table_rows(extraction),
        "totals": totals(targets),
        "result_rows": result_table_rows(extraction),
        "result_totals": totals(results),
        "categories": [(key, label, sum(1 for t in targets if t.get("category") == key))
                       for key, label in CATEGORY_LABELS.items() if key in present],
        "all_categories": list(CATEGORY_LABELS.items()),
        "item_choices": item_choices(extraction),
        "details": {**{t.get("id"): details(t, several) for t in targets},
                    **{r.get("id"): details(r, several, RESULT, targets_by_id) for r in results}},
        "tooltip_fields": TOOLTIP_FIELDS,
        "messages": {"show_in_table": _("Show in the table"),
                     "showing_all": _("Showing all {n} targets."),
                     "showing_some": _("Showing {shown} of {n} targets.")},
        "several_documents": len(extraction.get("documents", [])) > 1,
        "item_count": sum(len(d.get("items", [])) for d in extraction.get("documents", [])),
    }


def extraction_from_stored(document: dict) -> dict:
    """A stored document (the store's `get_document`) in the shape of an extraction, so that
    a stored plan is reviewed exactly like a pasted one. The store keeps the engine's item and
    target ids as `key` (its own `id` is a database number); they are the ids here again."""
    documents = []
    for part in document.get("parts") or []:
        documents.append({
            "index": part.get("index"), "title": part.get("title"), "issuer": part.get("issuer"),
            "year": part.get("year"), "doc_number": part.get("doc_number"), "span": part.get("span"),
            "items": [{"id": item.get("key"), "number": item.get("number"), "title": item.get("title"),
                       "section": item.get("section"), "span": item.get("span"),
                       "responsible_units": item.get("responsible_units") or [],
                       "responsible_leaders": item.get("responsible_leaders") or []}
                      for item in part.get("items") or []],
        })
    lists = {}
    for key in KIND_LIST.values():
        lists[key] = []
        for target in document.get(key) or []:
            item = target.get("item")
            measure = {
                **{k: v for k, v in target.items()
                   if k not in ("id", "key", "document_id", "source", "part", "document_title",
                                "issuer", "year", "doc_number", "item")},
                "id": target.get("key"),
                "document": target.get("part"),
                "item": ({"id": item.get("key"), "number": item.get("number"),
                          "title": item.get("title")} if item else None),
            }
            if measure.get("page") is None:  # as /extract: a page only for a paged input
                measure.pop("page", None)
            if key == "results":  # the store links a result to its target's row; here by id again
                measure["target"] = (target.get("target") or {}).get("key")
            lists[key].append(measure)
    return {"documents": documents, **lists, "warnings": list(document.get("warnings") or [])}


def store_shaped_targets(extraction: dict, source: str | None, kind: str = TARGET) -> list[dict]:
    """The targets (or results) of an unsaved extraction shaped like the store's rows, so that
    the store's CSV writer (and its column list) serves pasted plans too. There is no database
    id yet: `id` is the engine's id and `document_id` is empty; a result's `target` keeps the
    engine's target id as its `key`."""
    documents = {d.get("index"): d for d in extraction.get("documents") or []}
    rows = []
    for target in extraction.get(KIND_LIST[kind]) or []:
        document = documents.get(target.get("document"), {})
        item = target.get("item")
        rows.append({
            **{k: v for k, v in target.items() if k != "document"},
            "id": target.get("id"), "key": target.get("id"), "document_id": None,
            "source": source, "part": target.get("document"), "page": target.get("page"),
            "document_title": document.get("title"), "issuer": document.get("issuer"),
            "year": document.get("year"), "doc_number": document.get("doc_number"),
            "item": ({"id": None, "key": item.get("id"), "number": item.get("number"),
                      "title": item.get("title")} if item else None),
            "responsible_units": list(target.get("responsible_units") or []),
            "responsible_leaders": list(target.get("responsible_leaders") or []),
        })
        if kind == RESULT:
            rows[-1]["target"] = ({"id": None, "key": target["target"]}
                                  if target.get("target") else None)
    return rows
