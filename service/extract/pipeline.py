"""`extract(text)`: source view -> structure -> quantities -> context -> targets.

Each stage is a pure function of the previous one's output; nothing here knows about HTTP.
"""
from __future__ import annotations

import bisect
from decimal import Decimal

from . import context
from .lexicon import CURRENCIES, MEASURE_WORDS, METRIC_CATEGORY_SUFFIXES, PERCENT_UNITS, SEAT_NOUNS
from .model import Extraction, ItemRef, Span, Target
from .numerals import to_number
from .quantities import Quantity, find_quantities
from .source import normalise
from .structure import parse_structure

_HUNDRED_MILLION = Decimal(10) ** 8


def _unit_and_category(q: Quantity) -> tuple[str, str | None, str, Decimal, Decimal | None]:
    """Normalised (unit, currency, category, low, high) of a quantity."""
    written = q.unit_written
    if written in PERCENT_UNITS:
        return PERCENT_UNITS[written], None, "rate", q.low, q.high
    if written in CURRENCIES:
        code = CURRENCIES[written]
        word = "元" if code == "CNY" else written
        low = q.low / _HUNDRED_MILLION
        high = q.high / _HUNDRED_MILLION if q.high is not None else None
        return "亿" + word, code, "funding", low, high
    unit, category = MEASURE_WORDS[written]
    return unit, None, category, q.low, q.high


def _refine_category(category: str, unit: str, metric: str | None, after: str) -> str:
    """`个` and `家` take their category from the noun they count (`学位630个`, `基地校150个`)."""
    if category != "other" or unit not in ("个", "家"):
        return category
    if any(seat in (metric or "") + (after or "") for seat in SEAT_NOUNS):
        return "seats"  # 扩大学位供给2000个
    for noun in (after, metric or ""):
        if not noun:
            continue
        for cat, suffixes in METRIC_CATEGORY_SUFFIXES:
            if noun.endswith(suffixes) or (noun is after and cat == "seats" and noun.startswith(suffixes)):
                return cat
    return category


def _bounds(comparator: str, value, low, high):
    if comparator == "between":
        return None, low, high
    if comparator == "eq":
        return value, value, value
    if comparator in ("ge", "gt"):
        return value, value, None
    if comparator in ("le", "lt"):
        return value, None, value
    return value, None, None  # approx


def extract(text: str) -> Extraction:
    """Every numeric target of a plan (one document or a compilation), tied to its item."""
    view = normalise(text)
    structure = parse_structure(text, view)
    quoted = context.quoted_spans(view)
    quoted_starts = [s for s, _ in quoted]
    quantities = list(find_quantities(view))
    targets: list[Target] = []
    warnings: list[str] = list(structure.warnings)
    counters: dict[int, int] = {}

    for q in quantities:
        doc_index, item, section = structure.locate(q.start)
        if doc_index is None:
            continue  # a table of contents or outline ahead of the documents
        if context.exclusion(view, q):
            continue
        j = bisect.bisect_right(quoted_starts, q.start) - 1
        if j >= 0 and quoted[j][0] <= q.start and q.end <= quoted[j][1]:
            continue  # inside a quoted name, code or slogan
        unit, currency, category, low, high = _unit_and_category(q)
        clause_lo = context.clause_start(view, q.start)
        sentence = context.sentence_bounds(view, q.start, q.end)
        comparator = context.comparator(view, q, clause_lo)
        value, low, high = _bounds(comparator, None if q.is_range else low, low, high)
        clause_hi = sentence[1]
        metric = context.metric(view, q, clause_lo, clause_hi)
        after_noun = context.metric(view, q, q.alt_end, clause_hi) if q.alt_end < clause_hi else ""
        category = _refine_category(category, unit, metric, after_noun or "")
        found = context.deadline(view, q, sentence)
        deadline = text[found[0]:found[1]].strip() if found else None
        counters[doc_index] = counters.get(doc_index, 0) + 1
        targets.append(Target(
            id=f"t{doc_index}-{counters[doc_index]}",
            document=doc_index,
            item=ItemRef(item.id, item.number, item.title) if item else None,
            section=section,
            text=text[sentence[0]:sentence[1]].strip(),
            span=Span(q.start, q.end),
            raw=text[q.start:q.end],
            value=to_number(value), low=to_number(low), high=to_number(high),
            unit=unit, currency=currency, category=category, comparator=comparator,
            direction=context.direction(view, q, clause_lo),
            per=context.per(view, q, clause_lo),
            metric=metric,
            deadline=deadline,
            responsible_units=list(item.responsible_units) if item else [],
            responsible_leaders=list(item.responsible_leaders) if item else [],
        ))
    return Extraction(documents=structure.documents, targets=targets, warnings=warnings)
