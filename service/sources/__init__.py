"""Turn files into plan text: one module per format, one registry that picks the converter.

Each converter (`text`, `docx`, `pdf`, `html`, `office`) turns bytes into plain text plus the
offsets where pages start, and knows nothing of targets. The CLI, the API, batch ingestion and
the review page all go through `convert`, so every entry point reads a file alike.
"""
from __future__ import annotations

from .base import (ConversionTimeout, Converted, FileTooLarge, Limits, SourceError, UndecodableText,
                   UnreadableFile, UnsupportedFileType, page_at)
from .registry import FORMATS, MEDIA_TYPES, WALKED_SUFFIXES, accepted_kinds, convert, format_for, sha256
from .text import decode_text

__all__ = [
    "ConversionTimeout", "Converted", "FileTooLarge", "Limits", "SourceError", "UndecodableText",
    "UnreadableFile", "UnsupportedFileType", "page_at", "FORMATS", "MEDIA_TYPES", "WALKED_SUFFIXES",
    "accepted_kinds", "convert", "format_for", "sha256", "decode_text", "file_text", "docx_text",
]


def file_text(filename: str, data: bytes, limits: Limits | None = None) -> str:
    """Text of a named file (any format in the registry); raises a SourceError."""
    return convert(data, filename=filename, limits=limits).text


def docx_text(data: bytes, limits: Limits | None = None) -> str:
    """Text of a .docx: paragraphs in order, a table row per line with cells joined by ` | `."""
    return convert(data, filename="plan.docx", limits=limits).text
