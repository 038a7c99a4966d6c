"""The page of every target and result: `measures.page`, and `page` in target_rows/result_rows.

A document converted from a paged file (a PDF) keeps the offsets where its pages start
(`documents.page_starts`, 0003); a measure's page is the page its span starts on (1-based),
null for a document without pages. Rows already stored are filled here from their
document's page starts, a document at a time: one UPDATE per page that holds measures (ids in
batches); new rows get their page when they are written. The views are recreated
with `page` after `span_end`.

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


# The views are 0002's with one more column. An applied migration never changes, so 0002's SQL
# is taken as it stands and `page` put in after `span_end`.
_SPAN_END = "    m.span_end AS span_end,\n"


def _views_0002():
    return import_module("service.store.migrations.versions.0002_results")


def _with_page(view_sql: str) -> str:
    if view_sql.count(_SPAN_END) != 1:
        raise RuntimeError("0002's view has no single span_end column to put page after")
    return view_sql.replace(_SPAN_END, _SPAN_END + "    m.page AS page,\n")


def target_rows_view_sql(dialect: str) -> str:
    """One row per target (never a result) with its document, part and item flattened."""
    return _with_page(_views_0002().target_rows_view_sql(dialect))


def result_rows_view_sql(dialect: str) -> str:
    """One row per result, flattened like target_rows, with the target it reports on."""
    return _with_page(_views_0002().result_rows_view_sql(dialect))


def downgrade() -> None:
    """Back to 0003: the column goes (pages can be found again from page_starts), the views
    are those of 0002."""
    dialect = op.get_bind().dialect.name
    results = _views_0002()
    op.execute("DROP VIEW IF EXISTS result_rows")
    op.execute("DROP VIEW IF EXISTS target_rows")
    op.execute("ALTER TABLE measures DROP COLUMN page")
    op.execute(results.target_rows_view_sql(dialect))
    op.execute(results.result_rows_view_sql(dialect))
