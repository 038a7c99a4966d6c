"""One warm LibreOffice per process, so that a .doc is converted in a fraction of a second and a
hanging conversion is answered within the request budget.

LibreOffice's cold start alone takes 1.5-9 s here, which no per-request deadline can absorb. So
each serving process keeps a server of its own (`unoserve.py`, run by the python that has
LibreOffice's `uno` module, with unoserver's converter) and sends it each file over XML-RPC on
127.0.0.1, one conversion at a time, with a socket timeout equal to the conversion deadline.
Past the deadline the server's whole process group (LibreOffice included) is killed, the request
gets ConversionTimeout, and a fresh server starts in the background for the next request.

The server starts lazily on the first conversion in a process, or ahead of it through `warm()`
(gunicorn calls it in each worker right after the fork, never in the master). Waiting for it to
start has its own budget (`START_SECONDS`), not the conversion deadline. Where no python with
`uno` is found (or the server fails to start), `convert` raises Unavailable and the caller uses
the one-shot `soffice --convert-to` instead.
"""
from __future__ import annotations

import atexit
import http.client
import importlib.util
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from pathlib import Path

from ..base import ConversionTimeout, UnreadableFile

log = logging.getLogger(__name__)

LAUNCHER = Path(__file__).with_name("unoserve.py")
#: unoserve.py's command line for its remover of a server's directory (a test holds the two equal)
REMOVE_WHEN_GONE = "--remove-when-gone"
#: prefix of every server's directory (profile, scratch files, log); its processes carry it too
PREFIX = "plan-targets-office-"
#: how long a server may take to start (LibreOffice's cold start: 1.5-9 s on a busy machine)
START_SECONDS = 60.0
#: after a server failed to start, conversions go the one-shot way for this long before a retry
RETRY_SECONDS = 60.0
#: LibreOffice's own address space (it maps far more than it touches)
MEMORY_BYTES = 4 * 1024 * 1024 * 1024
_NO = ("none", "off", "no", "false", "0")


class Unavailable(Exception):
    """No warm server in this process (no python with uno, or it failed to start)."""


# --- the python that has uno -----------------------------------------------------------------

_python_lock = threading.Lock()
_python_known = False
_python: str | None = None


def site_dirs() -> list[str]:
    """Where unoserver is installed for this interpreter (the server's python appends them)."""
    spec = importlib.util.find_spec("unoserver")
    if spec is None or not spec.submodule_search_locations:
        return []
    return [str(Path(next(iter(spec.submodule_search_locations))).parent)]


def office_python() -> str | None:
    """The python the server runs under: PLAN_TARGETS_OFFICE_PYTHON (`none` for no warm server),
    else /usr/bin/python3; either only if `import uno` and unoserver work there. Asked once."""
    global _python_known, _python
    with _python_lock:
        if not _python_known:
            _python, _python_known = _find_python(), True
        return _python


def _find_python() -> str | None:
    named = os.environ.get("PLAN_TARGETS_OFFICE_PYTHON", "").strip()
    if named.lower() in _NO:
        return None
    candidate = named or "/usr/bin/python3"
    sites = site_dirs()
    if not sites or not os.access(candidate, os.X_OK):
        if named:
            log.warning("PLAN_TARGETS_OFFICE_PYTHON=%s cannot run the office server", named)
        return None
    try:
        subprocess.run([candidate, "-c", "import sys; sys.path.extend(sys.argv[1:]); import uno, unoserver.converter",
                        *sites], check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        if named:
            log.warning("PLAN_TARGETS_OFFICE_PYTHON=%s has no uno module; .doc files convert one by one",
                        named)
        return None
    return candidate


def forget_python() -> None:
    """Look for the python again on next use (tests that change PLAN_TARGETS_OFFICE_PYTHON)."""
    global _python_known
    with _python_lock:
        _python_known = False


# --- one server ------------------------------------------------------------------------------

class _Transport(xmlrpc.client.Transport):
    def __init__(self, seconds: float):
        super().__init__()
        self._seconds = seconds

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self._seconds
        return connection


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


class OfficeServer:
    """One running server: its process group, directory and XML-RPC port."""

    def __init__(self, python: str, soffice: str):
        self.directory = tempfile.mkdtemp(prefix=PREFIX)
        self.port, uno_port = _free_ports(2)
        self.token = secrets.token_hex(8)
        self.owner = os.getpid()
        self.started = time.monotonic()
        self.ready_seconds: float | None = None
        sites = [arg for site in site_dirs() for arg in ("--site", site)]
        with open(os.path.join(self.directory, "server.log"), "wb") as errors:
            self.process = subprocess.Popen(
                [python, str(LAUNCHER), "--port", str(self.port), "--uno-port", str(uno_port),
                 "--directory", self.directory, "--soffice", soffice, *sites, "--token", self.token,
                 "--parent", str(os.getpid()), "--memory", str(MEMORY_BYTES),
                 "--start-seconds", str(START_SECONDS)],
                stdin=subprocess.DEVNULL, stdout=errors, stderr=errors, start_new_session=True,
                cwd=self.directory)

    def _proxy(self, seconds: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}/RPC2", transport=_Transport(seconds),
                                         allow_none=True)

    @property
    def ready(self) -> bool:
        return self.ready_seconds is not None

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, seconds: float) -> bool:
        """True once the server answers `info` with our token (within `seconds`)."""
        deadline = time.monotonic() + seconds
        while not self.ready:
            if not self.alive() or time.monotonic() > deadline:
                return False
            try:
                with self._proxy(5.0) as proxy:
                    answer = proxy.info()
            except (OSError, xmlrpc.client.Error, http.client.HTTPException):
                time.sleep(0.05)
                continue
            if answer.get("token") != self.token:
                return False  # another process's server took the port first
            self.ready_seconds = time.monotonic() - self.started
        return True

    def healthy(self, seconds: float = 2.0) -> bool:
        try:
            with self._proxy(seconds) as proxy:
                return proxy.info().get("token") == self.token
        except (OSError, xmlrpc.client.Error, http.client.HTTPException):
            return False

    def convert(self, data: bytes, seconds: float) -> bytes:
        """The file as .docx; raises TimeoutError, xmlrpc.client.Fault (LibreOffice cannot read
        it), or OSError / HTTPException (the server went away)."""
        with self._proxy(seconds) as proxy:
            result = proxy.convert(None, xmlrpc.client.Binary(data), None, "docx", "MS Word 2007 XML", [], False)
        return result.data

    def log_tail(self) -> str:
        try:
            return Path(self.directory, "server.log").read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def stop(self, *, wait: bool = True) -> None:
        """Kill the whole process group (LibreOffice included) at once, and remove the directory
        once the group is gone (a dying LibreOffice may still be writing to its profile for a
        moment). The removal runs in a process of its own, which survives this one, waited for
        only when `wait` (a worker that drops a hung server goes on serving, and may be killed
        before its directory is gone)."""
        if self.owner != os.getpid():
            return  # a forked child's copy: the server belongs to the parent
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        remover = subprocess.Popen([sys.executable, str(LAUNCHER), REMOVE_WHEN_GONE, str(self.process.pid),
                                    self.directory], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True, cwd="/")
        if wait:
            remover.wait()


# --- this process's server -------------------------------------------------------------------

_state_lock = threading.Lock()
_convert_lock = threading.Lock()
_server: OfficeServer | None = None
_failed_at: float | None = None
_closing = False


def _soffice() -> str | None:
    return os.environ.get("PLAN_TARGETS_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def current(start: bool = True) -> OfficeServer | None:
    """This process's server (started now if there is none and `start`); raises Unavailable."""
    global _server
    with _state_lock:
        if _server is not None and not _server.alive():
            log.warning("the office server stopped: %s", _server.log_tail())
            _server.stop()
            _server = None
        if _server is None and start:
            if _closing or (_failed_at is not None and time.monotonic() - _failed_at < RETRY_SECONDS):
                raise Unavailable
            python, soffice = office_python(), _soffice()
            if python is None or soffice is None:
                raise Unavailable
            _server = OfficeServer(python, soffice)
        return _server


def _drop(server: OfficeServer, *, failed: bool = False, restart: bool = False) -> None:
    global _server, _failed_at
    with _state_lock:
        if _server is server:
            _server = None
        if failed:
            _failed_at = time.monotonic()
    server.stop(wait=False)
    if restart:
        warm()


def warm(wait: bool = False) -> bool:
    """Start this process's server unless it runs; in a background thread unless `wait`.
    Returns whether it is ready (always False when not waiting)."""
    def start() -> bool:
        try:
            server = current()
        except Unavailable:
            return False
        if server.wait_ready(START_SECONDS):
            return True
        if _closing:
            return False
        log.warning("the office server did not start within %g s: %s", START_SECONDS, server.log_tail())
        _drop(server, failed=True)
        return False

    if wait:
        return start()
    threading.Thread(target=start, name="office-warm", daemon=True).start()
    return False


def convert(data: bytes, seconds: float) -> tuple[bytes, float]:
    """The file as .docx through the warm server, within `seconds` once the server is ready, and
    the seconds the conversion took (not counting the server's start). Raises Unavailable (use the one-shot way), ConversionTimeout or UnreadableFile."""
    with _convert_lock:
        for attempt in (1, 2):
            server = current()
            if not server.wait_ready(START_SECONDS):
                log.warning("the office server did not start: %s", server.log_tail())
                _drop(server, failed=True)
                raise Unavailable
            started = time.monotonic()
            try:
                return server.convert(data, seconds), time.monotonic() - started
            except TimeoutError:
                _drop(server, restart=True)
                raise ConversionTimeout(f"LibreOffice could not convert the file within {seconds:g} s") from None
            except xmlrpc.client.Fault:
                if not server.healthy():
                    _drop(server, restart=True)
                raise UnreadableFile("LibreOffice could not read the file (damaged or not of its kind)") from None
            except ConnectionRefusedError:
                # it was gone before the file reached it (not the file's doing): once more, afresh
                _drop(server)
                if attempt == 2:
                    raise Unavailable from None
            except (OSError, http.client.HTTPException, xmlrpc.client.ProtocolError):
                _drop(server, restart=True)
                raise UnreadableFile("LibreOffice stopped while reading the file (damaged or hostile)") from None
    raise Unavailable


def scratch_env(directory: str) -> dict[str, str]:
    """The environment of a LibreOffice run whose temporary files (`lu*.tmp`, which a killed
    soffice leaves behind) go to `directory`, removed with it, instead of the system's."""
    return {**os.environ, "TMPDIR": directory, "TMP": directory, "TEMP": directory}


def stop(final: bool = True) -> None:
    """Stop this process's server, for good unless not `final` (at exit; gunicorn's worker_exit)."""
    global _server, _closing, _failed_at
    with _state_lock:
        server, _server, _failed_at = _server, None, None
        _closing = _closing or final
    if server is not None:
        server.stop()


def _after_fork_in_child() -> None:
    # the parent's server (and any lock a thread of the parent held) is not the child's
    global _server, _state_lock, _convert_lock, _python_lock, _failed_at, _closing
    _server, _failed_at, _closing = None, None, False
    _state_lock, _convert_lock, _python_lock = threading.Lock(), threading.Lock(), threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)
atexit.register(stop)
