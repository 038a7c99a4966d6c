"""The store: extracted plans kept in SQLite (default) or PostgreSQL, served to dashboards.

models.py      the tables (documents, parts, items, responsibilities, measures = targets and results)
migrations/    Alembic migrations, configured in code (db.alembic_config); views target_rows, result_rows
db.py          engines, read/write transactions, migrating under a lock (Store)
repository.py  writing an extraction, reading documents, target/result pages and summaries (KINDS)
storing.py     store_text: extract and keep a text once (idempotent by sha256)
routes.py      the HTTP blueprint: /documents, /targets, /results, /summary
ingest.py      batch ingestion in parallel processes; cli.py: `ingest` and `db` commands
"""
