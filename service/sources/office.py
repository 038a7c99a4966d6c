"""Word-processor files other than .docx (.doc, .wps, .rtf, .odt), through LibreOffice.

`soffice --headless --convert-to docx` runs in its own session with a throw-away profile, a
memory limit and a deadline (its whole process group is killed past it); the .docx it writes is
then read by the .docx converter, so tables come out as ` | ` rows alike.
"""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from . import docx
from .base import ConversionTimeout, Converted, Limits, UnreadableFile, UnsupportedFileType

MEDIA_TYPES = {
    ".doc": "application/msword",
    ".wps": "application/vnd.ms-works",
    ".rtf": "application/rtf",
    ".odt": "application/vnd.oasis.opendocument.text",
}
#: LibreOffice's own address space (it maps far more than it touches)
_OFFICE_MEMORY = 4 * 1024 * 1024 * 1024


def soffice() -> str | None:
    return os.environ.get("PLAN_TARGETS_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def _limit_memory() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (_OFFICE_MEMORY, _OFFICE_MEMORY))


def to_docx(data: bytes, suffix: str, seconds: float) -> bytes:
    program = soffice()
    if program is None:
        raise UnsupportedFileType(f"{suffix} files need LibreOffice, which is not installed here")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="plan-targets-office-") as tmp:
        source = Path(tmp) / ("plan" + suffix)
        source.write_bytes(data)
        process = subprocess.Popen(
            [program, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
             f"-env:UserInstallation=file://{tmp}/profile",
             "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(source)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, preexec_fn=_limit_memory, cwd=tmp)
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
        produced = Path(tmp) / "plan.docx"
        if not produced.exists():
            raise UnreadableFile(f"LibreOffice could not read the {suffix} file (damaged or not a {suffix} file)")
        return produced.read_bytes()


def converter(suffix: str):
    media_type = MEDIA_TYPES[suffix]

    def convert(data: bytes, limits: Limits) -> Converted:
        # LibreOffice runs under its own limits; the .docx it writes is read in a contained child
        from .contain import run_contained

        started = time.monotonic()
        written = to_docx(data, suffix, limits.office_seconds)
        remaining = max(0.5, limits.office_seconds - (time.monotonic() - started))
        converted = run_contained(docx.convert, (written, limits), seconds=remaining,
                                  memory_bytes=limits.memory_bytes)
        return Converted(converted.text, media_type)

    return convert
