"""A saved or posted web page: the article's text without navigation, footers, share buttons or
scripts, found by trafilatura; the charset comes from the request, else the page itself.

Trafilatura returns the article as XML (paragraphs, headings, lists, tables); each block becomes a
line and a table row becomes one line, cells joined by ` | `.
"""
from __future__ import annotations

import codecs
import re

from .base import Converted, Limits, TextBudget, UndecodableText, UnreadableFile

MEDIA_TYPE = "text/html"
CELL_SEPARATOR = " | "

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_BLOCKS = {"p", "head", "item", "quote", "code", "list", "row", "table", "cell", "lb", "graphic"}


def page_charset(data: bytes, declared: str | None = None) -> str:
    """The charset to decode with: a BOM, then the one declared with the request, then <meta>."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for candidate in (declared, *_META_CHARSET.findall(data[:4096])):
        if not candidate:
            continue
        name = candidate.decode("ascii", "replace") if isinstance(candidate, bytes) else candidate
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            continue
        # pages labelled gb2312 or gbk are nearly always GB18030 in fact (a superset of both)
        return "gb18030" if codec in ("gb2312", "gbk") else codec
    return ""


def decode_page(data: bytes, declared: str | None = None) -> str:
    charset = page_charset(data, declared)
    if charset:
        try:
            return data.decode(charset)
        except UnicodeDecodeError as exc:
            raise UndecodableText(f"the page is not valid {charset} (invalid byte at offset {exc.start})") from None
    for fallback in ("utf-8", "gb18030"):
        try:
            return data.decode(fallback)
        except UnicodeDecodeError:
            continue
    raise UndecodableText("the page declares no charset and is neither UTF-8 nor GB18030")


def _lines(element, out: list[str], budget: TextBudget) -> None:
    tag = element.tag
    if tag == "table":
        for row in element.iter("row"):
            cells = [" ".join("".join(cell.itertext()).split()).replace("|", "｜") for cell in row.iterchildren("cell")]
            if any(cells):
                out.append(budget.take(CELL_SEPARATOR.join(cells)))
        return
    if tag in ("list",):
        for child in element:
            _lines(child, out, budget)
        return
    text = "".join(element.itertext()).strip()
    if text:
        for line in text.splitlines():
            if line.strip():
                out.append(budget.take(line.strip()))


def convert(data: bytes, limits: Limits, charset: str | None = None) -> Converted:
    import trafilatura
    from lxml import etree

    page = decode_page(data, charset)
    budget = TextBudget(limits.max_text_chars)
    budget.take(page[: 0])
    result = trafilatura.bare_extraction(page, output_format="python", include_tables=True,
                                         include_comments=False, include_images=False,
                                         with_metadata=True, deduplicate=False)
    if result is None:
        raise UnreadableFile("no article text found in the page")
    body = result.body if hasattr(result, "body") else result.get("body")
    title = result.title if hasattr(result, "title") else result.get("title")
    lines: list[str] = []
    if body is not None:
        for element in body:
            _lines(element, lines, budget)
    # the page's heading, unless the article already starts with it
    if title and not (lines and title.strip() in lines[0]):
        head = title.strip()
        if head and any(head in h for h in _headings(page)):
            lines.insert(0, head)
    text = "\n".join(lines)
    if not text.strip():
        raise UnreadableFile("no article text found in the page")
    del etree
    return Converted(text, MEDIA_TYPE)


def _headings(page: str) -> list[str]:
    """Texts of the page's <h1>/<h2>: a title kept only if the page shows it as a heading."""
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(page)
    except Exception:
        return []
    return [" ".join(h.text_content().split()) for h in tree.iter("h1", "h2")]
