"""`plan-targets serve`: run the API under gunicorn (or Flask's development server with --dev)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .. import config

GUNICORN_CONF = Path(__file__).with_name("gunicorn.conf.py")
APP_FACTORY = "service.api.app:create_app()"


def gunicorn_argv(host: str, port: int, workers: int, timeout: int) -> list[str]:
    """The gunicorn command line: settings file first, then the explicit options over it."""
    return [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF),
            "--bind", f"{host}:{port}", "--workers", str(workers), "--timeout", str(timeout),
            APP_FACTORY]


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        settings = config.settings()  # read here, so a bad variable cannot break `extract`
    except config.ConfigError as exc:
        print(f"plan-targets serve: {exc}", file=sys.stderr)
        return 2
    for option in ("host", "port", "workers", "timeout"):
        if getattr(args, option) is None:
            setattr(args, option, settings[option.upper()])
    if args.dev:
        from .app import create_app
        create_app().run(host=args.host, port=args.port, debug=True)
        return 0
    argv = gunicorn_argv(args.host, args.port, args.workers, args.timeout)
    sys.stdout.flush()
    sys.stderr.flush()
    # exec: gunicorn's master becomes this process, so signals (Ctrl-C, docker stop) reach it.
    os.execv(argv[0], argv)
    return 0  # not reached


def add_parser(sub) -> None:
    p = sub.add_parser("serve", help="serve the REST API (gunicorn)",
                       description="Serve POST /extract and the rest of the API.")
    p.add_argument("--host", help=f"address to bind (default {config.DEFAULT_HOST}, env PLAN_TARGETS_HOST)")
    p.add_argument("--port", type=int,
                   help=f"port (default {config.DEFAULT_PORT}, env PLAN_TARGETS_PORT)")
    p.add_argument("--workers", type=int,
                   help="gunicorn worker processes (default 2 x cores + 1, env PLAN_TARGETS_WORKERS)")
    p.add_argument("--timeout", type=int,
                   help=f"seconds before a silent worker is restarted (default {config.DEFAULT_TIMEOUT}, env PLAN_TARGETS_TIMEOUT)")
    p.add_argument("--dev", action="store_true", help="run Flask's development server instead (reloads on change)")
    p.set_defaults(func=_cmd_serve)
