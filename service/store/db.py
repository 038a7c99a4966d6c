"""Engines, transactions and migrations for the store.

SQLite is tuned for several processes writing at once (gunicorn workers, `ingest --jobs`):
WAL journal, a long busy timeout, and write transactions opened with `BEGIN IMMEDIATE` so that
a writer waits for the lock up front instead of failing when it upgrades a read lock.
Migrations run under a lock (the SQLite write lock, or a PostgreSQL advisory lock), so any
number of processes may call `upgrade()` at start and exactly one of them migrates.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: Arbitrary constant key for pg_advisory_xact_lock around migrations ("plan" in ASCII).
_PG_MIGRATION_LOCK = 0x706C616E
SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalise_url(url: str) -> str:
    """`postgres://` and `postgresql://` (as hosting platforms hand them out) use psycopg 3,
    the driver this package installs, rather than SQLAlchemy's default psycopg2."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str) -> Engine:
    """An engine for `url`; creates the directory of a SQLite file when missing."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True)


def _sqlite_engine(url: str) -> Engine:
    parsed = make_url(url)
    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
    if in_memory:
        engine = create_engine(url, poolclass=StaticPool,
                               connect_args={"check_same_thread": False})
    else:
        Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own handling defers it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # The timeout first: switching a new file to WAL needs a lock another process may hold.
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # durable in WAL mode, fewer fsyncs
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection):
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that will write: takes SQLite's write lock at BEGIN."""
    with engine.connect() as conn:
        conn = conn.execution_options(sqlite_immediate=True)
        with conn.begin():
            yield conn


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A consistent snapshot for reads (several queries see the same data)."""
    with engine.connect() as conn:
        with conn.begin():
            yield conn


def alembic_config(connection: Connection | None = None, url: str | None = None):
    """Alembic configured in code, so migrations work from an installed package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`; safe to call from many processes at once."""
    from alembic import command

    with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
        command.upgrade(alembic_config(conn), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


class Store:
    """The database of one app or one CLI run: an engine made lazily in each process.

    gunicorn may fork after the app is made; a pooled connection must never cross a fork,
    so the engine is created (again) in whichever process first uses it.
    """

    def __init__(self, url: str):
        self.url = normalise_url(url)
        self._engine: Engine | None = None
        self._pid: int | None = None
        self._migrated_pid: int | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None or self._pid != os.getpid():
            self._engine = make_engine(self.url)
            self._pid = os.getpid()
        return self._engine

    @property
    def dialect(self) -> str:
        return make_url(self.url).get_backend_name()

    def upgrade(self, revision: str = "head") -> None:
        upgrade(self.engine, revision)

    def ensure_schema(self) -> None:
        """Migrate to head once per process (a no-op after the first success)."""
        if self._migrated_pid != os.getpid():
            self.upgrade()
            self._migrated_pid = os.getpid()

    def reading(self):
        return read_transaction(self.engine)

    def writing(self):
        return write_transaction(self.engine)

    @contextmanager
    def one_statement(self) -> Iterator[Connection]:
        """A connection in autocommit mode, for a single statement that is atomic by itself:
        no BEGIN and no COMMIT travel to the server beside it."""
        with self.engine.connect() as conn:
            yield conn.execution_options(isolation_level="AUTOCOMMIT")

    def dispose(self) -> None:
        if self._engine is not None and self._pid == os.getpid():
            self._engine.dispose()
        self._engine = None


def migrate_at_start(url: str) -> bool:
    """Migrate before a server takes requests (gunicorn's master calls this once).

    A database that cannot be reached now must not keep /extract from being served: the
    failure is logged, and each worker tries again when it first needs the store.
    """
    import logging

    log = logging.getLogger("service.store")
    store = Store(url)
    try:
        store.upgrade()
        return True
    except Exception as exc:  # logged, and retried lazily by the workers
        log.error("store migration at start failed (%s: %s); workers will retry on first use",
                  exc.__class__.__name__, str(exc)[:300])
        return False
    finally:
        store.dispose()
