"""Gunicorn settings for `plan-targets serve` and the Docker image (`gunicorn -c <this file>`).

Defaults come from `service.config` (environment); command-line options given to gunicorn
after `-c` (as `plan-targets serve` does for --host/--port/--workers) take precedence.
"""
from service import config as _config

_settings = _config.settings()

wsgi_app = "service.api.app:create_app()"
bind = [f"{_settings['HOST']}:{_settings['PORT']}"]
# (2 x cores) + 1 unless PLAN_TARGETS_WORKERS says otherwise; sync workers suit CPU-bound work.
workers = _settings["WORKERS"]
worker_class = "sync"
# A large plan takes seconds, not minutes: past this a worker is stuck and gets replaced.
timeout = _settings["TIMEOUT"]
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# The master imports the app (Flask, the engine, the store's modules) and warms the engine once
# (`when_ready`); every worker, the first ones and each recycled one, is a fork of it that
# answers at once instead of importing everything again (0.8-1.3 s of CPU each time, which
# stalled the others on a small machine). No database connection is opened before the fork.
preload_app = True

loglevel = _settings["LOG_LEVEL"].lower()
accesslog = "-"
errorlog = "-"
logger_class = "service.api.access_log.JsonAccessLogger"
# X-Forwarded-* are trusted from the local host only (a reverse proxy in front of us).
forwarded_allow_ips = "127.0.0.1"
# Gunicorn 23+ opens a control socket at a fixed path in $HOME: several instances (tests, the
# benchmark, a developer's server) would clash over it, and nothing here uses it.
control_socket_disable = True


def on_starting(server):
    """Bring the store's schema up to date once, in the master, before any worker forks."""
    from service.store.db import migrate_at_start

    migrate_at_start(_settings["DATABASE_URL"])


def when_ready(server):
    """Warm the preloaded app in the master before any worker forks, so that no worker (a
    recycled one included) pays for a first request: the engine (lazily imported numeral
    converter, regex caches), the URL map, the page templates and the error path. Nothing here
    touches the store: no database connection may cross the fork."""
    from service.extract import extract

    extract("某区教育局2024年工作要点\n1. 新建学校三所，新增学位1,200个，投资1.5亿元，达标率95%以上。")
    app = server.app.wsgi()
    client = app.test_client()
    for path in ("/healthz", "/", "/no-such-path"):
        client.get(path)
    client.post("/extract", json={"text": "新建学校3所，新增学位1200个。"})
    # Move everything made so far out of the collector's sight: a worker's first full
    # collection would otherwise touch, and so copy, every page it shares with the master.
    import gc

    gc.collect()
    gc.freeze()


def post_fork(server, worker):
    """With PLAN_TARGETS_OFFICE_PRESTART, start this worker's warm LibreOffice in the background
    (never in the master, which forks), so that its first .doc does not wait for LibreOffice's
    cold start. Off by default: five idle LibreOffices cost ~1 GB, and every recycled worker would
    spend ~2.5 s of CPU starting one while the others serve; a worker then starts its own at its
    first office file."""
    if _settings["OFFICE_PRESTART"]:
        from service.sources.office import warm

        warm.warm()


def worker_exit(server, worker):
    """A worker's LibreOffice goes with it (it also stops by itself once its worker is gone)."""
    import sys

    warm = sys.modules.get("service.sources.office.warm")  # imported at its first office file
    if warm is not None:
        warm.stop()
