"""Alembic migrations of the store (configured in code by `service.store.db.alembic_config`)."""
