"""Run a converter in a forked child with wall-clock limits and an address-space limit.

Two clocks: the converter must make progress every `seconds` (a PDF reports each page read, so
a long PDF may take longer as long as its pages keep coming, while a hang is stopped within
`seconds`), and must finish within `most_seconds` whatever it reports.

Parsing hostile files happens in C libraries (PDFium, libxml2) that no Python check can
interrupt; in a child process a bomb meets the memory limit and a hang meets the deadline, and
the worker that serves the request keeps its memory and answers in time.
"""
from __future__ import annotations

import faulthandler
import os
import pickle
import resource
import select
import signal
import time

from .base import ConversionTimeout, FileTooLarge, SourceError, UnreadableFile


def _address_space() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


_progress_fd: int | None = None


def progress() -> None:
    """Called by a converter in a child for each unit of work done (a PDF page)."""
    if _progress_fd is not None:
        os.write(_progress_fd, b".")


def _child(write_fd: int, function, args, memory_bytes: int, seconds: float) -> None:
    try:
        faulthandler.disable()  # a library crashing on a hostile file is an answer, not a report
        limit = _address_space() + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        cpu = int(seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        try:
            outcome = ("ok", function(*args))
        except SourceError as exc:
            outcome = ("error", exc)
        except MemoryError:
            outcome = ("memory", None)
        except RecursionError:
            outcome = ("failed", "the file is nested too deeply")
        except Exception as exc:  # any library failure on a hostile file
            outcome = ("failed", f"{exc.__class__.__name__}: {str(exc)[:200]}")
        try:
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps(("memory", None))
        view = memoryview(payload)
        while view:
            written = os.write(write_fd, view)
            view = view[written:]
    finally:
        os._exit(0)


def run_contained(function, args: tuple, *, seconds: float, memory_bytes: int,
                  most_seconds: float | None = None):
    """`function(*args)` in a child; its SourceError is re-raised here, a breach of a limit becomes
    FileTooLarge (memory) or ConversionTimeout (time)."""
    global _progress_fd
    most_seconds = most_seconds or seconds
    read_fd, write_fd = os.pipe()
    progress_read, progress_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child leaves through os._exit
        os.close(read_fd)
        os.close(progress_read)
        _progress_fd = progress_write
        _child(write_fd, function, args, memory_bytes, most_seconds)
    os.close(write_fd)
    os.close(progress_write)
    started = time.monotonic()
    idle_deadline, final_deadline = started + seconds, started + most_seconds
    chunks: list[bytes] = []
    watched = [read_fd, progress_read]
    try:
        while True:
            now = time.monotonic()
            remaining = min(idle_deadline, final_deadline) - now
            if remaining <= 0:
                limit = seconds if idle_deadline <= final_deadline else most_seconds
                raise ConversionTimeout(f"the file could not be converted within {limit:g} s")
            ready, _, _ = select.select(watched, [], [], remaining)
            if progress_read in ready:
                if os.read(progress_read, 4096):
                    idle_deadline = time.monotonic() + seconds
                else:
                    watched.remove(progress_read)
            if read_fd in ready:
                chunk = os.read(read_fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_fd)
        os.close(progress_read)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, status = os.waitpid(pid, 0)
    if not chunks:
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
            raise ConversionTimeout(f"the file could not be converted within {seconds:g} s")
        raise FileTooLarge("converting the file went past its memory limit")
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "ok":
        return value
    if kind == "error":
        raise value
    if kind == "memory":
        raise FileTooLarge("converting the file went past its memory limit")
    raise UnreadableFile(f"the file could not be read ({value})")
