"""Tables of the store: one schema for SQLite and PostgreSQL.

A stored **document** is one submitted plan text, kept once per sha256 of the text.
The engine may split a compilation into several documents; each becomes a **part** of
the stored document (`parts.position` = the extraction's document index), with its own title,
issuer, year and doc_number. Items and targets belong to a part, so every target carries
the issuer and year of the plan it stands in. Targets and results are **measures** of one
table, told apart by `kind`. The document's own title/issuer/year/doc_number
are those of its first part (the whole plan for a single-plan text).

The schema itself is created by the Alembic migrations in `migrations/versions/`; these
classes describe the same tables for queries, and a test checks that both agree.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: The two kinds of measure (`measures.kind`).
TARGET, RESULT = "target", "result"
KINDS = (TARGET, RESULT)

#: The range of an INTEGER column (PostgreSQL's int4; every integer column here is one): ids,
#: years, item numbers, offsets. A value from a request outside it never reaches SQL.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1

#: Read-only views for BI tools, one row per target / per result, everything flattened.
TARGET_ROWS_VIEW = "target_rows"
RESULT_ROWS_VIEW = "result_rows"


class Base(DeclarativeBase):
    pass


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    source: Mapped[str | None] = mapped_column(String(500))
    title: Mapped[str | None] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(String(200))
    year: Mapped[int | None] = mapped_column(Integer)
    doc_number: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text, nullable=False)
    warnings: Mapped[list] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # what a converted file was (migration 0003); null for a plan sent as text
    file_name: Mapped[str | None] = mapped_column(String(500))
    file_media_type: Mapped[str | None] = mapped_column(String(200))
    file_pages: Mapped[int | None] = mapped_column(Integer)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    page_starts: Mapped[list | None] = mapped_column(JSON)

    __table_args__ = (
        UniqueConstraint("sha256", name="uq_documents_sha256"),
        Index("ix_documents_issuer_year", "issuer", "year"),
        Index("ix_documents_year", "year"),
    )


class Part(Base):
    """One plan inside a stored text (the extraction's `documents[i]`)."""
    __tablename__ = "parts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE", name="fk_parts_document"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str | None] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(String(200))
    year: Mapped[int | None] = mapped_column(Integer)
    doc_number: Mapped[str | None] = mapped_column(String(100))
    span_start: Mapped[int] = mapped_column(Integer, nullable=False)
    span_end: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (
        UniqueConstraint("document_id", "position", name="uq_parts_document_position"),
        Index("ix_parts_issuer_year", "issuer", "year"),
        Index("ix_parts_year", "year"),
    )


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE", name="fk_items_document"), nullable=False)
    part_id: Mapped[int] = mapped_column(
        ForeignKey("parts.id", ondelete="CASCADE", name="fk_items_part"), nullable=False)
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    section: Mapped[str | None] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer, nullable=False)
    span_end: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (
        Index("ix_items_document", "document_id"),
        Index("ix_items_part_number", "part_id", "number"),
        Index("ix_items_number", "number"),
    )


class Responsibility(Base):
    """A unit or leader answerable for an item (`kind` is `unit` or `leader`)."""
    __tablename__ = "responsibilities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE", name="fk_responsibilities_item"), nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (
        Index("ix_responsibilities_item", "item_id", "kind", "position"),
        Index("ix_responsibilities_kind_name", "kind", "name"),
    )


class Measure(Base):
    """A measured quantity read from a plan: a target (what it commits to) or a result (what it
    reports as achieved). Both kinds share every column, so one table holds them with `kind`;
    the few columns of one kind (deadline and baseline of a target, as_of and the target a result
    reports on) are null on the other. Every read names the kind it wants, so a sum of targets
    can never take in a result."""
    __tablename__ = "measures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE", name="fk_measures_document"), nullable=False)
    part_id: Mapped[int] = mapped_column(
        ForeignKey("parts.id", ondelete="CASCADE", name="fk_measures_part"), nullable=False)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE", name="fk_measures_item"))
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    section: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    span_start: Mapped[int] = mapped_column(Integer, nullable=False)
    span_end: Mapped[int] = mapped_column(Integer, nullable=False)
    # the page the span starts on, for a document converted from a paged file (migration 0004)
    page: Mapped[int | None] = mapped_column(Integer)
    raw: Mapped[str] = mapped_column(String(200), nullable=False)
    value: Mapped[float | None] = mapped_column(Float)
    low: Mapped[float | None] = mapped_column(Float)
    high: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40), nullable=False)
    currency: Mapped[str | None] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(20), nullable=False)
    comparator: Mapped[str] = mapped_column(String(10), nullable=False)
    direction: Mapped[str | None] = mapped_column(String(10))
    per: Mapped[str | None] = mapped_column(String(40))
    metric: Mapped[str | None] = mapped_column(Text)
    # a target's
    deadline: Mapped[str | None] = mapped_column(String(200))
    baseline_raw: Mapped[str | None] = mapped_column(String(200))
    baseline_value: Mapped[float | None] = mapped_column(Float)
    # a result's: the period it is reported for, and the stored target it reports progress on
    as_of: Mapped[str | None] = mapped_column(String(200))
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("measures.id", ondelete="SET NULL", name="fk_measures_target"))

    __table_args__ = (
        CheckConstraint(f"kind IN ('{TARGET}', '{RESULT}')", name="ck_measures_kind"),
        Index("ix_measures_document", "document_id", "kind", "position"),
        Index("ix_measures_part", "part_id"),
        Index("ix_measures_item", "item_id"),
        Index("ix_measures_target", "target_id"),
        Index("ix_measures_kind_category_unit", "kind", "category", "unit"),
        Index("ix_measures_unit", "unit"),
        Index("ix_measures_currency", "currency"),
        Index("ix_measures_value", "value"),
        Index("ix_measures_comparator", "comparator"),
        Index("ix_measures_direction", "direction"),
    )
