"""Word .docx: paragraphs in reading order, one per line; a table row is one line, cells joined by ` | `.

The main part is decompressed and parsed as a stream: the bytes unpacked and the characters of text
are counted as they come, so a "bomb" (a few KB that unpack to GB) stops at the limit instead of
filling memory, and the XML parser neither loads DTDs nor expands entities.
"""
from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

from .base import Converted, FileTooLarge, Limits, TextBudget, UnsupportedFileType
from .contain import progress

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CELL_SEPARATOR = " | "

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"


class _BoundedReader(io.RawIOBase):
    """A decompressing stream that raises FileTooLarge once more than `limit` bytes came out."""

    def __init__(self, raw, limit: int):
        self.raw, self.limit, self.count = raw, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.raw.read(min(len(buffer), 1 << 16))
        before, self.count = self.count, self.count + len(chunk)
        if self.count > self.limit:
            raise FileTooLarge(f"the document unpacks to more than {self.limit:,} bytes")
        if self.count >> 20 != before >> 20:
            progress()  # a megabyte more read: a long document is no hang
        buffer[:len(chunk)] = chunk
        return len(chunk)


def _parser_options() -> dict:
    return dict(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False,
                remove_comments=True, remove_pis=True)


def _main_part(archive: zipfile.ZipFile, limits: Limits) -> str:
    """The name of the main document part, from the package relationships (word/document.xml)."""
    try:
        info = archive.getinfo("_rels/.rels")
    except KeyError:
        return "word/document.xml"
    if info.file_size > 1 << 20:
        raise FileTooLarge("the package relationships unpack to more than 1 MB")
    with archive.open(info) as raw:
        root = etree.parse(_BoundedReader(raw, 1 << 20), etree.XMLParser(**_parser_options())).getroot()
    for rel in root.iter(_REL + "Relationship"):
        if rel.get("Type") in (_OFFICE_DOCUMENT, _STRICT_OFFICE_DOCUMENT):
            return posixpath.normpath(rel.get("Target", "").lstrip("/"))
    return "word/document.xml"


def convert(data: bytes, limits: Limits) -> Converted:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        name = _main_part(archive, limits)
        info = archive.getinfo(name)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError, NotImplementedError) as exc:
        if isinstance(exc, FileTooLarge):
            raise
        raise UnsupportedFileType(f"not a readable .docx file: {exc.__class__.__name__}") from None
    if info.file_size > limits.max_unpacked_bytes:  # declared size; the stream is counted anyway
        raise FileTooLarge(f"the document unpacks to {info.file_size:,} bytes, more than "
                           f"{limits.max_unpacked_bytes:,}")
    try:
        with archive.open(info) as raw:
            text = _body_text(_BoundedReader(raw, limits.max_unpacked_bytes), TextBudget(limits.max_text_chars))
    except (zipfile.BadZipFile, etree.XMLSyntaxError, EOFError, NotImplementedError) as exc:
        raise UnsupportedFileType(f"not a readable .docx file: {exc.__class__.__name__}") from None
    except RuntimeError as exc:  # an encrypted zip entry
        raise UnsupportedFileType(f"not a readable .docx file: {exc}") from None
    return Converted(text, MEDIA_TYPE)


def _body_text(stream, budget: TextBudget) -> str:
    """Walk the body once: paragraphs outside tables are lines, rows of a table are lines."""
    lines: list[str] = []
    runs: list[str] = []        # text of the paragraph being read
    cells: list[list[str]] = []  # per open table row: its cells so far
    cell_parts: list[list[str]] = []  # per open cell: its paragraphs so far
    depth = 0                   # open tables
    for event, element in etree.iterparse(stream, events=("start", "end"), **_parser_options()):
        tag = element.tag
        if event == "start":
            if tag == _W + "tbl":
                depth += 1
            elif tag == _W + "tr":
                cells.append([])
            elif tag == _W + "tc":
                cell_parts.append([])
            elif tag == _W + "p":
                runs = []
            continue
        if tag == _W + "t":
            runs.append(budget.take(element.text or ""))
        elif tag == _W + "tab":
            runs.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            runs.append(" " if depth else "\n")
        elif tag == _W + "p":
            paragraph = "".join(runs)
            if cell_parts:
                cell_parts[-1].append(paragraph)
            else:
                lines.append(paragraph)
            budget.take("\n")
            runs = []
        elif tag == _W + "tc":
            parts = cell_parts.pop() if cell_parts else []
            cell = " ".join(p.strip() for p in parts if p.strip())
            if cells:
                cells[-1].append(cell)
        elif tag == _W + "tr":
            row = cells.pop() if cells else []
            line = CELL_SEPARATOR.join(c.replace("|", "｜") for c in row)
            if any(row):
                if cell_parts:  # a table inside a cell: its rows become part of that cell
                    cell_parts[-1].append(line)
                else:
                    lines.append(line)
        elif tag == _W + "tbl":
            depth -= 1
        if tag != _W + "t" and (event == "end") and tag in _CLEARED:
            element.clear(keep_tail=True)
    return "\n".join(lines)


_CLEARED = {_W + "p", _W + "tbl", _W + "sdt"}
