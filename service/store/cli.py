"""`plan-targets ingest PATH... [--jobs N]` and `plan-targets db upgrade|current`."""
from __future__ import annotations

import argparse
import os
import sys


def _database_url(args: argparse.Namespace) -> str:
    if args.database_url:
        return args.database_url
    from .. import config

    return config.settings()["DATABASE_URL"]


def _cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest import ProgressBar, ingest, plan_files

    url = _database_url(args)
    missing = [p for p in args.paths if not os.path.exists(p)]
    for path in missing:
        print(f"plan-targets ingest: {path}: no such file or directory", file=sys.stderr)
    bar = ProgressBar(len(plan_files(p for p in args.paths if p not in missing)))
    report = ingest(url, [p for p in args.paths if p not in missing], jobs=args.jobs,
                    on_progress=bar.update)
    bar.close()
    for line in report.lines():
        print(line)
    return 1 if report.failures or missing else 0


def _cmd_db_upgrade(args: argparse.Namespace) -> int:
    from .db import Store

    store = Store(_database_url(args))
    store.upgrade(args.revision)
    from .db import current_revision

    print(f"database at revision {current_revision(store.engine)}")
    store.dispose()
    return 0


def _cmd_db_current(args: argparse.Namespace) -> int:
    from .db import Store, current_revision, head_revision

    store = Store(_database_url(args))
    current = current_revision(store.engine)
    store.dispose()
    head = head_revision()
    print(f"current: {current or '(empty database)'}  head: {head}")
    return 0 if current == head else 1


def _add_database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", metavar="URL",
                        help="database to use (default: DATABASE_URL, else SQLite in PLAN_TARGETS_DATA_DIR)")


def add_parsers(sub) -> None:
    p = sub.add_parser("ingest", help="extract and store many plan files",
                       description="Extract and store plan files (.txt, .md, .docx, .pdf, .html, .doc, .wps, .rtf, .odt; directories are "
                                   "walked). Texts already stored are skipped.")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                   help="parallel processes (default: number of CPUs)")
    _add_database_option(p)
    p.set_defaults(func=_cmd_ingest)

    db = sub.add_parser("db", help="database schema commands")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply migrations (to the latest by default)")
    up.add_argument("revision", nargs="?", default="head")
    _add_database_option(up)
    up.set_defaults(func=_cmd_db_upgrade)
    cur = db_sub.add_parser("current", help="show the schema revision; exit 1 if not the latest")
    _add_database_option(cur)
    cur.set_defaults(func=_cmd_db_current)
