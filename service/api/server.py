"""`plan-targets serve`: run the API under gunicorn (or Flask's development server with --dev)."""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .. import config

GUNICORN_CONF = Path(__file__).with_name("gunicorn.conf.py")
APP_FACTORY = "service.api.app:create_app()"


def gunicorn_argv(host: str, port: int, workers: int, timeout: int) -> list[str]:
    """The gunicorn command line: settings file first, then the explicit options over it."""
    return [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF),
            "--bind", f"{host}:{port}", "--workers", str(workers), "--timeout", str(timeout),
            APP_FACTORY]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (for tests and the benchmark)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def spawn_server(port: int, host: str = "127.0.0.1", workers: int = 2,
                 env: dict | None = None, log=None) -> subprocess.Popen:
    """Run `plan-targets serve` in the background (its pid becomes gunicorn's master, which
    SIGTERM stops gracefully); pair with `wait_until_healthy`. Used by tests and the benchmark."""
    argv = [sys.executable, "-m", "service.cli", "serve", "--host", host, "--port", str(port),
            "--workers", str(workers)]
    return subprocess.Popen(argv, env={**os.environ, **(env or {})},
                            stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT)


@dataclass(frozen=True)
class Served:
    url: str
    port: int
    process: subprocess.Popen
    log: Path


@contextmanager
def running_server(workdir: Path, workers: int = 2, env: dict | None = None,
                   deadline_s: float = 60.0) -> Iterator[Served]:
    """`plan-targets serve` on a free port, its output in `workdir/server.log`: healthy before
    the body runs, stopped after it (tests and benchmarks)."""
    port = free_port()
    log_path = Path(workdir) / "server.log"
    with open(log_path, "wb") as log:
        process = spawn_server(port, workers=workers, env=env, log=log)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_healthy(url, process, deadline_s=deadline_s)
        yield Served(url, port, process, log_path)
    finally:
        stop_server(process)


def stop_server(process: subprocess.Popen, grace_s: float = 30.0) -> None:
    """SIGTERM (gunicorn's graceful stop), then SIGKILL if it has not gone within `grace_s`."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_healthy(base_url: str, process: subprocess.Popen | None = None,
                       deadline_s: float = 30.0) -> None:
    """Poll GET /healthz until it answers 200; fail early if the process has exited."""
    import urllib.error  # here, not at the top: `plan-targets extract` never needs it
    import urllib.request

    give_up = time.monotonic() + deadline_s
    while time.monotonic() < give_up:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode} before answering")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{base_url}/healthz did not answer within {deadline_s:.0f} s")


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
