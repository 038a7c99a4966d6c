"""The page of every target and result: `measures.page`, and `page` in target_rows/result_rows.

A document converted from a paged file (a PDF) keeps the offsets where its pages start
(`documents.page_starts`, 0003); a measure's page is the page its span starts on (1-based),
null for a document without pages. Rows already stored are filled here from their
document's page starts, a document at a time: one UPDATE per page that holds measures (ids in
batches); new rows get their page when they are written. The views are recreated with `page` after `span_end`.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""
import bisect
from importlib import import_module

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: Most measure ids in one UPDATE while filling `page` in.
BATCH = 1000


def page_at(page_starts, offset: int):
    """1-based page holding `offset` (as service.sources.base.page_at, kept here so this
    migration means the same whatever the service's code becomes)."""
    if not page_starts:
        return None
    return max(1, bisect.bisect_right(page_starts, offset))


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute("DROP VIEW IF EXISTS result_rows")
    op.execute("DROP VIEW IF EXISTS target_rows")
    # plain ADD COLUMN on both databases (as 0003): no batch copy of `measures`
    op.add_column("measures", sa.Column("page", sa.Integer))
    backfill_pages(op.get_bind())
    op.execute(target_rows_view_sql(dialect))
    op.execute(result_rows_view_sql(dialect))


def backfill_pages(conn) -> int:
    """Give every stored measure of a document with page starts its page; returns how many."""
    documents = sa.table("documents", sa.column("id", sa.Integer),
                         sa.column("page_starts", sa.JSON))
    measures = sa.table("measures", sa.column("id", sa.Integer),
                        sa.column("document_id", sa.Integer), sa.column("span_start", sa.Integer),
                        sa.column("page", sa.Integer))
    paged = conn.execute(sa.select(documents.c.id, documents.c.page_starts)
                         .where(documents.c.page_starts.is_not(None))
                         .order_by(documents.c.id)).all()
    update = (sa.update(measures)
              .where(measures.c.id.in_(sa.bindparam("ids", expanding=True)))
              .values(page=sa.bindparam("new_page")))
    done = 0
    for document_id, starts in paged:
        if not starts:  # a JSON null or an empty list: no pages
            continue
        starts = list(starts)
        on_page: dict[int, list[int]] = {}
        for measure_id, start in conn.execute(
                sa.select(measures.c.id, measures.c.span_start)
                .where(measures.c.document_id == document_id).order_by(measures.c.id)):
            on_page.setdefault(page_at(starts, start), []).append(measure_id)
        for page, ids in on_page.items():
            for at in range(0, len(ids), BATCH):
                conn.execute(update, {"ids": ids[at:at + BATCH], "new_page": page})
            done += len(ids)
    return done


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
    m.page AS page,
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
    """Back to 0003: the column goes (pages can be found again from page_starts), the views
    are those of 0002."""
    dialect = op.get_bind().dialect.name
    results = import_module("service.store.migrations.versions.0002_results")
    op.execute("DROP VIEW IF EXISTS result_rows")
    op.execute("DROP VIEW IF EXISTS target_rows")
    op.execute("ALTER TABLE measures DROP COLUMN page")
    op.execute(results.target_rows_view_sql(dialect))
    op.execute(results.result_rows_view_sql(dialect))
