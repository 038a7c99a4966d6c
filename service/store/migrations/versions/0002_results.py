"""Results beside targets: table `targets` becomes `measures` with a `kind`; view result_rows.

A result (what a text reports as achieved) has every field of a target, so both live in one
table told apart by `kind` ('target' | 'result'), with the few columns of one kind only:
`baseline_raw`/`baseline_value` (a target's starting level), `as_of` and `target_id` (a
result's period and the stored target it reports progress on). Rows already stored are kept
as targets, with their ids. `target_rows` now shows targets only (plus their baseline), so a
BI tool summing it never adds a result; `result_rows` shows results with the target they
report on.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from importlib import import_module

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: Columns of 0001's `targets`, in order: copied as they are in both directions.
SHARED_COLUMNS = ("id", "document_id", "part_id", "item_id", "key", "position", "section", "text",
                  "span_start", "span_end", "raw", "value", "low", "high", "unit", "currency",
                  "category", "comparator", "direction", "per", "metric", "deadline")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute("DROP VIEW IF EXISTS target_rows")
    op.create_table(
        "measures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("document_id", sa.Integer,
                  sa.ForeignKey("documents.id", ondelete="CASCADE", name="fk_measures_document"),
                  nullable=False),
        sa.Column("part_id", sa.Integer,
                  sa.ForeignKey("parts.id", ondelete="CASCADE", name="fk_measures_part"),
                  nullable=False),
        sa.Column("item_id", sa.Integer,
                  sa.ForeignKey("items.id", ondelete="CASCADE", name="fk_measures_item")),
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
        sa.Column("baseline_raw", sa.String(200)),
        sa.Column("baseline_value", sa.Float),
        sa.Column("as_of", sa.String(200)),
        sa.Column("target_id", sa.Integer,
                  sa.ForeignKey("measures.id", ondelete="SET NULL", name="fk_measures_target")),
        sa.CheckConstraint("kind IN ('target', 'result')", name="ck_measures_kind"),
    )
    columns = ", ".join(SHARED_COLUMNS)
    op.execute(f"INSERT INTO measures (kind, {columns}) SELECT 'target', {columns} FROM targets")
    if dialect == "postgresql":  # ids were copied: the sequence continues after them
        op.execute("SELECT setval(pg_get_serial_sequence('measures', 'id'), "
                   "COALESCE((SELECT max(id) FROM measures), 0) + 1, false)")
    op.drop_table("targets")
    op.create_index("ix_measures_document", "measures", ["document_id", "kind", "position"])
    op.create_index("ix_measures_part", "measures", ["part_id"])
    op.create_index("ix_measures_item", "measures", ["item_id"])
    op.create_index("ix_measures_target", "measures", ["target_id"])
    op.create_index("ix_measures_kind_category_unit", "measures", ["kind", "category", "unit"])
    op.create_index("ix_measures_unit", "measures", ["unit"])
    op.create_index("ix_measures_currency", "measures", ["currency"])
    op.create_index("ix_measures_value", "measures", ["value"])
    op.create_index("ix_measures_comparator", "measures", ["comparator"])
    op.create_index("ix_measures_direction", "measures", ["direction"])
    op.execute(target_rows_view_sql(dialect))
    op.execute(result_rows_view_sql(dialect))


def _names_sql(dialect: str, kind: str) -> str:
    """The item's units or leaders as one '、'-separated string, in written order."""
    if dialect == "postgresql":
        return ("(SELECT string_agg(r.name, '、' ORDER BY r.position) FROM responsibilities r "
                f"WHERE r.item_id = m.item_id AND r.kind = '{kind}')")
    return ("(SELECT group_concat(name, '、') FROM (SELECT r.name FROM responsibilities r "
            f"WHERE r.item_id = m.item_id AND r.kind = '{kind}' ORDER BY r.position))")


def _rows_view_sql(dialect: str, view: str, id_name: str, kind: str, own_columns: str,
                   own_joins: str = "") -> str:
    return f"""
CREATE VIEW {view} AS
SELECT
    m.id AS {id_name},
    m.document_id AS document_id,
    d.source AS source,
    d.sha256 AS sha256,
    p.position AS part,
    p.title AS title,
    p.issuer AS issuer,
    p.year AS year,
    p.doc_number AS doc_number,
    i.number AS item_number,
    i.title AS item_title,
    m.section AS section,
    m.raw AS raw,
    m.value AS value,
    m.low AS low,
    m.high AS high,
    m.unit AS unit,
    m.currency AS currency,
    m.category AS category,
    m.comparator AS comparator,
    m.direction AS direction,
    m.per AS per,
    m.metric AS metric,
    {own_columns},
    {_names_sql(dialect, 'unit')} AS responsible_units,
    {_names_sql(dialect, 'leader')} AS responsible_leaders,
    m.text AS sentence,
    m.span_start AS span_start,
    m.span_end AS span_end,
    d.created_at AS stored_at
FROM measures m
JOIN documents d ON d.id = m.document_id
JOIN parts p ON p.id = m.part_id
LEFT JOIN items i ON i.id = m.item_id{own_joins}
WHERE m.kind = '{kind}'
"""


def target_rows_view_sql(dialect: str) -> str:
    """One row per target (never a result) with its document, part and item flattened."""
    return _rows_view_sql(dialect, "target_rows", "target_id", "target", """m.deadline AS deadline,
    m.baseline_raw AS baseline_raw,
    m.baseline_value AS baseline_value""")


def result_rows_view_sql(dialect: str) -> str:
    """One row per result, flattened like target_rows, with the target it reports on."""
    return _rows_view_sql(dialect, "result_rows", "result_id", "result", """m.as_of AS as_of,
    m.target_id AS target_id,
    t.raw AS target_raw,
    t.value AS target_value,
    t.unit AS target_unit,
    t.metric AS target_metric,
    t.deadline AS target_deadline""", "\nLEFT JOIN measures t ON t.id = m.target_id")


def downgrade() -> None:
    """Back to 0001: targets are kept (with their ids), results are dropped."""
    dialect = op.get_bind().dialect.name
    initial = import_module("service.store.migrations.versions.0001_initial")
    op.execute("DROP VIEW IF EXISTS result_rows")
    op.execute("DROP VIEW IF EXISTS target_rows")
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
    columns = ", ".join(SHARED_COLUMNS)
    op.execute(f"INSERT INTO targets ({columns}) SELECT {columns} FROM measures "
               "WHERE kind = 'target'")
    if dialect == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('targets', 'id'), "
                   "COALESCE((SELECT max(id) FROM targets), 0) + 1, false)")
    op.drop_table("measures")
    op.create_index("ix_targets_document", "targets", ["document_id", "position"])
    op.create_index("ix_targets_part", "targets", ["part_id"])
    op.create_index("ix_targets_item", "targets", ["item_id"])
    op.create_index("ix_targets_category_unit", "targets", ["category", "unit"])
    op.create_index("ix_targets_unit", "targets", ["unit"])
    op.create_index("ix_targets_currency", "targets", ["currency"])
    op.create_index("ix_targets_value", "targets", ["value"])
    op.create_index("ix_targets_comparator", "targets", ["comparator"])
    op.create_index("ix_targets_direction", "targets", ["direction"])
    op.execute(initial.target_rows_view_sql(dialect))
