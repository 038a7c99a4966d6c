"""What every format converter returns and raises, and the limits it works within.

A converter turns the bytes of one file into plain text plus the offsets where its pages start;
it knows nothing of targets. Its errors carry the HTTP status the API answers with, so the API,
the CLI and batch ingestion report a bad file alike.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass


class SourceError(ValueError):
    """A file that cannot be turned into plan text; `status` is the HTTP status to answer."""
    status = 422
    slug = "unreadable-file"
    title = "Unreadable file"


class UnsupportedFileType(SourceError):
    """Neither the suffix nor the media type names a format we read, or the bytes are not one."""
    status = 415
    slug = "unsupported-file-type"
    title = "Unsupported file type"


class UndecodableText(SourceError):
    """The bytes are neither UTF-8 nor GB18030 (or not the charset declared)."""
    status = 422
    slug = "undecodable-text"
    title = "Undecodable text"


class UnreadableFile(SourceError):
    """A file of a format we read that cannot be read: encrypted, a scan without text, broken."""


class FileTooLarge(SourceError):
    """The file unpacks past a limit (text, unpacked bytes, pages or memory): a bomb or a library."""
    status = 413
    slug = "too-large"
    title = "File too large"


class ConversionTimeout(SourceError):
    """The converter did not finish within its time limit (a hanging or pathological file)."""
    slug = "conversion-timeout"
    title = "Conversion took too long"


@dataclass(frozen=True)
class Limits:
    """How far one conversion may go; every limit is checked while reading, not afterwards."""
    #: characters of converted text (the same bound as a plain-text request body)
    max_text_chars: int = 5 * 1024 * 1024
    #: bytes decompressed out of a container (a .docx part, ...)
    max_unpacked_bytes: int = 64 * 1024 * 1024
    max_pages: int = 500
    #: wall-clock seconds a conversion may go without progress (a PDF: between two pages), so a
    #: hanging converter is stopped within the request budget
    seconds: float = 2.0
    #: wall-clock seconds for a whole conversion however steadily it goes (a PDF of many pages)
    most_seconds: float = 30.0
    #: seconds for LibreOffice to convert a .doc/.wps/.rtf/.odt, not counting the start of the
    #: process's warm LibreOffice (0.1-0.3 s a file once warm; the one-shot way, without a warm
    #: LibreOffice, gets at least 10 s since its cold start alone takes 1.5-9 s)
    office_seconds: float = 2.5
    #: address space a converter may add to its process
    memory_bytes: int = 768 * 1024 * 1024

    @classmethod
    def from_settings(cls, config) -> "Limits":
        return cls(max_text_chars=config["MAX_BYTES"],
                   max_unpacked_bytes=config["MAX_UNPACKED_BYTES"],
                   max_pages=config["MAX_PAGES"],
                   seconds=config["CONVERT_SECONDS"],
                   most_seconds=config["CONVERT_MAX_SECONDS"],
                   office_seconds=config["OFFICE_SECONDS"],
                   memory_bytes=config["CONVERT_MEMORY_MB"] * 1024 * 1024)


@dataclass(frozen=True)
class Converted:
    """Plain text of a file; `page_starts[i]` is the offset in `text` where page i + 1 begins."""
    text: str
    media_type: str
    page_starts: tuple[int, ...] | None = None

    @property
    def pages(self) -> int | None:
        return None if self.page_starts is None else len(self.page_starts)

    def page_at(self, offset: int) -> int | None:
        return page_at(self.page_starts, offset)


def page_at(page_starts, offset: int) -> int | None:
    """1-based page holding `offset`, or None for an input without pages."""
    if not page_starts:
        return None
    return max(1, bisect.bisect_right(page_starts, offset))


class TextBudget:
    """Counts characters as a converter produces them and stops it at the limit."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0

    def take(self, text: str) -> str:
        self.used += len(text)
        if self.used > self.limit:
            raise FileTooLarge(f"the file unpacks to more than {self.limit:,} characters of text")
        return text
