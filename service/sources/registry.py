"""The one table of formats: which converter reads a file, by its suffix or its media type.

The API, the CLI, batch ingestion and the review page all convert through `convert`, so a format
added here is accepted everywhere at once (and listed in openapi.yaml).
"""
from __future__ import annotations

import hashlib
import importlib
import os
from dataclasses import dataclass
from typing import Callable

from . import docx, html, office, pdf, text
from .base import Converted, Limits, UnsupportedFileType


@dataclass(frozen=True)
class Format:
    name: str
    media_types: tuple[str, ...]
    suffixes: tuple[str, ...]
    convert: Callable[..., Converted]
    #: parse in a forked child under time and memory limits (a container or a hostile parser)
    contained: bool = True
    #: takes the charset named with the request (text formats)
    takes_charset: bool = False
    #: modules the converter needs, imported once in the serving process so that every forked
    #: child has them already (PDFium and trafilatura take 0.1-0.3 s to import)
    modules: tuple[str, ...] = ()

    def prepare(self) -> None:
        for module in self.modules:
            importlib.import_module(module)


FORMATS: tuple[Format, ...] = (
    Format("text", ("text/plain",), (".txt", ".text", ".md", ""), text.convert, contained=False),
    Format("docx", (docx.MEDIA_TYPE,), (".docx",), docx.convert),
    Format("pdf", (pdf.MEDIA_TYPE, "application/x-pdf"), (".pdf",), pdf.convert,
           modules=("pypdfium2", "pypdfium2.raw")),
    Format("html", ("text/html", "application/xhtml+xml"), (".html", ".htm", ".xhtml"), html.convert,
           takes_charset=True, modules=("trafilatura", "lxml.html")),
    *(Format(suffix.lstrip("."), (media_type,) + (("text/rtf",) if suffix == ".rtf" else ()),
             (suffix,), office.converter(suffix), contained=False)
      for suffix, media_type in office.MEDIA_TYPES.items()),
)

_BY_SUFFIX = {s: f for f in FORMATS for s in f.suffixes}
_BY_MEDIA_TYPE = {m: f for f in FORMATS for m in f.media_types}

#: suffixes of the files batch ingestion picks up when it walks a directory
WALKED_SUFFIXES = frozenset(s for s in _BY_SUFFIX if s)
#: media types a request body may have besides JSON and multipart
MEDIA_TYPES = tuple(_BY_MEDIA_TYPE)


def suffix_of(filename: str | None) -> str:
    return os.path.splitext(filename or "")[1].lower()


def format_for(filename: str | None = None, media_type: str | None = None) -> Format:
    """The format named by the file's suffix, else by its media type; raises UnsupportedFileType."""
    suffix = suffix_of(filename)
    if suffix and suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if media_type and media_type.lower() in _BY_MEDIA_TYPE:
        return _BY_MEDIA_TYPE[media_type.lower()]
    if filename is not None and not suffix:
        return _BY_SUFFIX[""]
    if filename and (media_type is None or media_type == "application/octet-stream"):
        what = f"file type {suffix_of(filename)!r}"
    else:
        what = f"media type {media_type!r}" if media_type else f"file type {suffix_of(filename)!r}"
    raise UnsupportedFileType(f"unsupported {what}: send {accepted_kinds()}")


def accepted_kinds() -> str:
    return ".txt (UTF-8 or GB18030), .docx, .pdf, .html, .doc, .wps, .rtf or .odt"


def convert(data: bytes, *, filename: str | None = None, media_type: str | None = None,
            charset: str | None = None, limits: Limits | None = None) -> Converted:
    """Plain text (and page starts) of a file, under `limits`; raises a SourceError."""
    limits = limits or Limits()
    found = format_for(filename, media_type)
    args: tuple = (data, limits, charset) if found.takes_charset else (data, limits)
    found.prepare()
    if not found.contained:
        return found.convert(*args)
    from .contain import run_contained

    return run_contained(found.convert, args, seconds=limits.seconds, memory_bytes=limits.memory_bytes,
                         most_seconds=limits.most_seconds)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
