"""The result of an extraction: a plain dataclass tree, serialised once by `to_dict`."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class Item:
    """A numbered work item (`1.`, `1、`, `**1.**`) with the people and units answerable for it."""
    id: str
    number: int
    title: str
    section: str | None
    span: Span
    responsible_units: list[str] = field(default_factory=list)
    responsible_leaders: list[str] = field(default_factory=list)


@dataclass
class Document:
    index: int
    title: str | None
    issuer: str | None
    year: int | None
    doc_number: str | None
    span: Span
    items: list[Item] = field(default_factory=list)


@dataclass
class ItemRef:
    id: str
    number: int
    title: str


@dataclass
class Target:
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
    deadline: str | None
    responsible_units: list[str] = field(default_factory=list)
    responsible_leaders: list[str] = field(default_factory=list)


@dataclass
class Extraction:
    documents: list[Document]
    targets: list[Target]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "documents": [asdict(d) for d in self.documents],
            "targets": [asdict(t) for t in self.targets],
            "warnings": list(self.warnings),
        }
