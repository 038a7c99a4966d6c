"""The result of an extraction: a plain dataclass tree, serialised once by `to_dict`.

Targets (what a plan commits to) and results (what a text reports as achieved) are two kinds
of one thing, a measured quantity; they share every field but the few that only one has
(`deadline`/`baseline` on a target, `as_of`/`target` on a result). `to_dict` is written out by
hand: `dataclasses.asdict` deep-copies every value and costs as much as the extraction itself.
"""
from __future__ import annotations

from dataclasses import dataclass, field


# Slotted and not frozen: a frozen dataclass sets each field through object.__setattr__, and
# spans are made by the dozen for every plan (a slotted one is built in a third of the time).
@dataclass(slots=True)
class Span:
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end}


@dataclass(slots=True)
class Item:
    """A numbered work item (`1.`, `1、`, `**1.**`) with the people and units answerable for it."""
    id: str
    number: int
    title: str
    section: str | None
    span: Span
    responsible_units: list[str] = field(default_factory=list)
    responsible_leaders: list[str] = field(default_factory=list)
    # `完成时限：6月底前` written with the responsibility: the deadline of the item's targets that
    # name none of their own (given on each target, not listed with the item)
    deadline: str | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.id, "number": self.number, "title": self.title, "section": self.section,
            "span": self.span.to_dict(),
            "responsible_units": list(self.responsible_units),
            "responsible_leaders": list(self.responsible_leaders),
        }


@dataclass(slots=True)
class Document:
    index: int
    title: str | None
    issuer: str | None
    year: int | None
    doc_number: str | None
    span: Span
    items: list[Item] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "index": self.index, "title": self.title, "issuer": self.issuer, "year": self.year,
            "doc_number": self.doc_number, "span": self.span.to_dict(),
            "items": [i.to_dict() for i in self.items],
        }


@dataclass(slots=True)
class ItemRef:
    id: str
    number: int
    title: str

    def to_dict(self) -> dict:
        return {"id": self.id, "number": self.number, "title": self.title}


@dataclass(frozen=True)
class Baseline:
    """The starting level a target is measured from (`由85%提高到90%` → 85%)."""
    raw: str
    value: float | None

    def to_dict(self) -> dict:
        return {"raw": self.raw, "value": self.value}


@dataclass(kw_only=True)
class Measure:
    """Fields shared by a target and a result (targets.md §2 and §5)."""
    id: str
    document: int
    item: ItemRef | None
    section: str | None
    text: str
    span: Span
    raw: str
    value: float | None
    low: float | None
    high: float | None
    unit: str
    currency: str | None
    category: str
    comparator: str
    direction: str | None
    per: str | None
    metric: str | None
    responsible_units: list[str] = field(default_factory=list)
    responsible_leaders: list[str] = field(default_factory=list)

    def _common(self) -> dict:
        return {
            "id": self.id, "document": self.document,
            "item": self.item.to_dict() if self.item else None,
            "section": self.section, "text": self.text, "span": self.span.to_dict(),
            "raw": self.raw, "value": self.value, "low": self.low, "high": self.high,
            "unit": self.unit, "currency": self.currency, "category": self.category,
            "comparator": self.comparator, "direction": self.direction, "per": self.per,
            "metric": self.metric,
        }


@dataclass(kw_only=True)
class Target(Measure):
    """A quantity the plan commits to."""
    deadline: str | None = None
    baseline: Baseline | None = None

    def to_dict(self) -> dict:
        d = self._common()
        d["deadline"] = self.deadline
        d["baseline"] = self.baseline.to_dict() if self.baseline else None
        d["responsible_units"] = list(self.responsible_units)
        d["responsible_leaders"] = list(self.responsible_leaders)
        return d


@dataclass(kw_only=True)
class Result(Measure):
    """A quantity reported as achieved; `target` is the id of the target it reports progress on."""
    as_of: str | None = None
    target: str | None = None

    def to_dict(self) -> dict:
        d = self._common()
        d["as_of"] = self.as_of
        d["target"] = self.target
        d["responsible_units"] = list(self.responsible_units)
        d["responsible_leaders"] = list(self.responsible_leaders)
        return d


@dataclass
class Extraction:
    documents: list[Document]
    targets: list[Target]
    results: list[Result] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "documents": [d.to_dict() for d in self.documents],
            "targets": [t.to_dict() for t in self.targets],
            "results": [r.to_dict() for r in self.results],
            "warnings": list(self.warnings),
        }
