"""Documents, parts, items, responsibilities, targets, and the BI view target_rows.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source", sa.String(500)),
        sa.Column("title", sa.Text),
        sa.Column("issuer", sa.String(200)),
        sa.Column("year", sa.Integer),
        sa.Column("doc_number", sa.String(100)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("warnings", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("sha256", name="uq_documents_sha256"),
    )
    op.create_index("ix_documents_issuer_year", "documents", ["issuer", "year"])
    op.create_index("ix_documents_year", "documents", ["year"])

    op.create_table(
        "parts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer,
                  sa.ForeignKey("documents.id", ondelete="CASCADE", name="fk_parts_document"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("issuer", sa.String(200)),
        sa.Column("year", sa.Integer),
        sa.Column("doc_number", sa.String(100)),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.UniqueConstraint("document_id", "position", name="uq_parts_document_position"),
    )
    op.create_index("ix_parts_issuer_year", "parts", ["issuer", "year"])
    op.create_index("ix_parts_year", "parts", ["year"])

    op.create_table(
        "items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer,
                  sa.ForeignKey("documents.id", ondelete="CASCADE", name="fk_items_document"),
                  nullable=False),
        sa.Column("part_id", sa.Integer,
                  sa.ForeignKey("parts.id", ondelete="CASCADE", name="fk_items_part"),
                  nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("section", sa.Text),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
    )
    op.create_index("ix_items_document", "items", ["document_id"])
    op.create_index("ix_items_part_number", "items", ["part_id", "number"])
    op.create_index("ix_items_number", "items", ["number"])

    op.create_table(
        "responsibilities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer,
                  sa.ForeignKey("items.id", ondelete="CASCADE", name="fk_responsibilities_item"),
                  nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_index("ix_responsibilities_item", "responsibilities", ["item_id", "kind", "position"])
    op.create_index("ix_responsibilities_kind_name", "responsibilities", ["kind", "name"])

    op.create_table(
        "targets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer,
                  sa.ForeignKey("documents.id", ondelete="CASCADE", name="fk_targets_document"),
                  nullable=False),
        sa.Column("part_id", sa.Integer,
                  sa.ForeignKey("parts.id", ondelete="CASCADE", name="fk_targets_part"),
                  nullable=False),
        sa.Column("item_id", sa.Integer,
                  sa.ForeignKey("items.id", ondelete="CASCADE", name="fk_targets_item")),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("section", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("raw", sa.String(200), nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("low", sa.Float),
        sa.Column("high", sa.Float),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("currency", sa.String(8)),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("comparator", sa.String(10), nullable=False),
        sa.Column("direction", sa.String(10)),
        sa.Column("per", sa.String(40)),
        sa.Column("metric", sa.Text),
        sa.Column("deadline", sa.String(200)),
    )
    op.create_index("ix_targets_document", "targets", ["document_id", "position"])
    op.create_index("ix_targets_part", "targets", ["part_id"])
    op.create_index("ix_targets_item", "targets", ["item_id"])
    op.create_index("ix_targets_category_unit", "targets", ["category", "unit"])
    op.create_index("ix_targets_unit", "targets", ["unit"])
    op.create_index("ix_targets_currency", "targets", ["currency"])
    op.create_index("ix_targets_value", "targets", ["value"])
    op.create_index("ix_targets_comparator", "targets", ["comparator"])
    op.create_index("ix_targets_direction", "targets", ["direction"])

    op.execute(target_rows_view_sql(op.get_bind().dialect.name))


def _names_sql(dialect: str, kind: str) -> str:
    """The item's units or leaders as one '、'-separated string, in written order."""
    if dialect == "postgresql":
        return ("(SELECT string_agg(r.name, '、' ORDER BY r.position) FROM responsibilities r "
                f"WHERE r.item_id = t.item_id AND r.kind = '{kind}')")
    return ("(SELECT group_concat(name, '、') FROM (SELECT r.name FROM responsibilities r "
            f"WHERE r.item_id = t.item_id AND r.kind = '{kind}' ORDER BY r.position))")


def target_rows_view_sql(dialect: str) -> str:
    """One row per target with its document, part (issuer, year) and item flattened."""
    return f"""
CREATE VIEW target_rows AS
SELECT
    t.id AS target_id,
    t.document_id AS document_id,
    d.source AS source,
    d.sha256 AS sha256,
    p.position AS part,
    p.title AS title,
    p.issuer AS issuer,
    p.year AS year,
    p.doc_number AS doc_number,
    i.number AS item_number,
    i.title AS item_title,
    t.section AS section,
    t.raw AS raw,
    t.value AS value,
    t.low AS low,
    t.high AS high,
    t.unit AS unit,
    t.currency AS currency,
    t.category AS category,
    t.comparator AS comparator,
    t.direction AS direction,
    t.per AS per,
    t.metric AS metric,
    t.deadline AS deadline,
    {_names_sql(dialect, 'unit')} AS responsible_units,
    {_names_sql(dialect, 'leader')} AS responsible_leaders,
    t.text AS sentence,
    t.span_start AS span_start,
    t.span_end AS span_end,
    d.created_at AS stored_at
FROM targets t
JOIN documents d ON d.id = t.document_id
JOIN parts p ON p.id = t.part_id
LEFT JOIN items i ON i.id = t.item_id
"""


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS target_rows")
    for table in ("targets", "responsibilities", "items", "parts", "documents"):
        op.drop_table(table)
