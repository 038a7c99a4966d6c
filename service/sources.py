"""Turn uploaded or on-disk files into plan text: UTF-8 or GB18030 `.txt`, and `.docx`.

Shared by the CLI, the API and batch ingestion so that every entry point decodes alike.
"""
from __future__ import annotations

import io
import os


class UnsupportedFileType(ValueError):
    """The file is neither plain text nor a Word document."""


class UndecodableText(ValueError):
    """The bytes are neither UTF-8 nor GB18030."""


TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
DOCX_SUFFIXES = {".docx"}


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030, the usual encoding of government files."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise UndecodableText(
                f"not UTF-8 (invalid byte at offset {utf8_error.start}) and not GB18030"
            ) from None


def docx_text(data: bytes) -> str:
    """Paragraphs and table cells of a .docx in reading order, one per line."""
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise UnsupportedFileType(f"not a readable .docx file: {exc.__class__.__name__}") from None
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                for cell in row.cells:
                    lines.append(cell.text)
    return "\n".join(lines)


def file_text(filename: str, data: bytes) -> str:
    """Text of a named file; raises UnsupportedFileType or UndecodableText."""
    suffix = os.path.splitext(filename or "")[1].lower()
    if suffix in DOCX_SUFFIXES:
        return docx_text(data)
    if suffix in TEXT_SUFFIXES:
        return decode_text(data)
    raise UnsupportedFileType(f"unsupported file type {suffix!r}: send .txt (UTF-8 or GB18030) or .docx")
