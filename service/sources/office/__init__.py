"""Word-processor files other than .docx (.doc, .wps, .rtf, .odt), through LibreOffice.

LibreOffice turns the file into a .docx, which the .docx converter then reads (in a contained
child), so tables come out as ` | ` rows alike. Two ways to LibreOffice:

- warm (`warm.py`, imported at the first office file): one server per process, started at
  its first file (or by a gunicorn worker as it starts, with PLAN_TARGETS_OFFICE_PRESTART); a conversion takes
  0.1-0.3 s, and one past `Limits.office_seconds` (2.5 s) kills the server's process group,
  answers ConversionTimeout and starts a fresh server in the background;
- one-shot, where no python with LibreOffice's `uno` module is found (or
  PLAN_TARGETS_OFFICE_PYTHON=none): `soffice --headless --convert-to docx` per file in its own
  session with a throw-away profile, a memory limit and a deadline of at least
  `ONE_SHOT_SECONDS`, since LibreOffice's cold start alone takes 1.5-9 s.
"""
from __future__ import annotations

import functools
import os
import resource
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from .. import docx
from ..base import ConversionTimeout, Converted, Limits, UnreadableFile, UnsupportedFileType

MEDIA_TYPES = {
    ".doc": "application/msword",
    ".wps": "application/vnd.ms-works",
    ".rtf": "application/rtf",
    ".odt": "application/vnd.oasis.opendocument.text",
}
#: the one-shot way's deadline at the least: it pays LibreOffice's cold start for every file
ONE_SHOT_SECONDS = 10.0


def _warm():
    """The warm server's module, imported at the first office file: a plain text or a PDF
    needs none of it (xmlrpc, its at-fork and at-exit hooks: 40 ms of a CLI run)."""
    from . import warm

    return warm


def soffice() -> str | None:
    return _warm()._soffice()


def _limit_memory(limit: int) -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def to_docx_once(data: bytes, suffix: str, seconds: float) -> bytes:
    """The file as .docx by a one-shot `soffice --convert-to`, killed with its helpers past `seconds`."""
    program = soffice()
    if program is None:
        raise UnsupportedFileType(f"{suffix} files need LibreOffice, which is not installed here")
    warm = _warm()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=warm.PREFIX) as tmp:
        source = Path(tmp) / ("plan" + suffix)
        source.write_bytes(data)
        process = subprocess.Popen(
            [program, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
             f"-env:UserInstallation=file://{tmp}/profile",
             "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(source)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, preexec_fn=functools.partial(_limit_memory, warm.MEMORY_BYTES),
            cwd=tmp, env=warm.scratch_env(tmp))
        try:
            process.wait(timeout=max(0.1, seconds - (time.monotonic() - started)))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise ConversionTimeout(f"LibreOffice could not convert the file within {seconds:g} s") from None
        finally:
            try:
                os.killpg(process.pid, signal.SIGKILL)  # any helper it left behind
            except ProcessLookupError:
                pass
            from .unoserve import remove_office_pipe

            remove_office_pipe(f"file://{tmp}/profile")  # a killed LibreOffice leaves it in /tmp
        produced = Path(tmp) / "plan.docx"
        if not produced.exists():
            raise UnreadableFile(f"LibreOffice could not read the {suffix} file (damaged or not a {suffix} file)")
        return produced.read_bytes()


def to_docx(data: bytes, suffix: str, seconds: float) -> tuple[bytes, float]:
    """The file as .docx, and the seconds the conversion itself took (a warm server's start is
    not counted: it has a budget of its own)."""
    if soffice() is None:
        raise UnsupportedFileType(f"{suffix} files need LibreOffice, which is not installed here")
    warm = _warm()
    try:
        return warm.convert(data, seconds)
    except warm.Unavailable:
        pass
    started = time.monotonic()
    written = to_docx_once(data, suffix, max(seconds, ONE_SHOT_SECONDS))
    return written, time.monotonic() - started


def converter(suffix: str):
    media_type = MEDIA_TYPES[suffix]

    def convert(data: bytes, limits: Limits) -> Converted:
        # LibreOffice runs under its own limits; the .docx it writes is read in a contained child
        from ..contain import run_contained

        written, took = to_docx(data, suffix, limits.office_seconds)
        remaining = max(0.5, limits.office_seconds - took)
        converted = run_contained(docx.convert, (written, limits), seconds=remaining,
                                  memory_bytes=limits.memory_bytes)
        return Converted(converted.text, media_type)

    return convert
