"""PDF with a text layer, through PDFium (pypdfium2): text in reading order, page by page.

Chosen over pdfplumber/pdfminer.six by measurement (bench/bench_sources.py): same text on our
fixtures at many times the speed. PDFium gives positioned text runs; from them this module
rebuilds the page:
- ruled tables (from the page's line and rectangle paths) become one line per row, cells joined
  by ` | `; a line of widely separated runs outside a ruled table is read as a row as well;
- two columns (a gutter no line crosses) are read left column first;
- a line that runs to the column's right edge continues on the next line (a wrapped sentence),
  also across a page break, unless the next line is indented or starts a numbered item;
- headers and footers repeated on most pages, and page numbers, are dropped.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .base import Converted, FileTooLarge, Limits, TextBudget, UnreadableFile, UnsupportedFileType
from .contain import progress

MEDIA_TYPE = "application/pdf"
CELL_SEPARATOR = " | "

_PAGE_NUMBER = re.compile(
    r"^[\s\-–—_·•]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?[\s\-–—_·•]*$"
    r"|^\s*(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?\s*$", re.I)
_ITEM_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)|"
    r"[①-⑳]|第[一二三四五六七八九十\d]+[章节条部分]|附件)")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
#: a header or footer is text in the top or bottom band of this share of the page height
_MARGIN_BAND = 0.1


@dataclass
class _Run:
    x0: float
    y0: float  # bottom
    x1: float
    y1: float  # top
    text: str

    @property
    def height(self) -> float:
        """The font's size as far as it can be told: PDFium gives some fonts flat boxes."""
        return max(self.y1 - self.y0, (self.x1 - self.x0) / max(len(self.text), 1), 4.0)

    @property
    def mid_y(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class _Line:
    runs: list[_Run] = field(default_factory=list)
    is_row: bool = False  # a table row, already joined

    @property
    def x0(self) -> float:
        return min(r.x0 for r in self.runs)

    @property
    def x1(self) -> float:
        return max(r.x1 for r in self.runs)

    @property
    def top(self) -> float:
        return max(r.y1 for r in self.runs)

    @property
    def height(self) -> float:
        return max(r.height for r in self.runs)

    def text(self) -> str:
        return _join_runs(sorted(self.runs, key=lambda r: r.x0))


def _glue(left: str, right: str) -> str:
    if not left or not right:
        return left + right
    if _CJK.match(left[-1]) or _CJK.match(right[0]):
        return left + right
    return left + " " + right


def _join_runs(runs: list[_Run]) -> str:
    text = ""
    for run in runs:
        text = _glue(text, run.text)
    return text


def _runs(textpage) -> list[_Run]:
    runs = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top)
        text = text.replace("\r", " ").replace("\n", " ").replace("\x00", "").strip()
        if text:
            runs.append(_Run(left, bottom, right, top, text))
    return runs


def _lines(runs: list[_Run]) -> list[_Line]:
    """Runs on the same baseline band, top to bottom."""
    lines: list[_Line] = []
    for run in sorted(runs, key=lambda r: (-r.mid_y, r.x0)):
        line = lines[-1] if lines else None
        if line is not None and abs(line.runs[0].mid_y - run.mid_y) < 0.5 * min(line.height, run.height):
            line.runs.append(run)
        else:
            lines.append(_Line([run]))
    for line in lines:
        line.runs.sort(key=lambda r: r.x0)
    return lines


# --- ruled tables ---------------------------------------------------------------------------

@dataclass
class _Table:
    x0: float
    y0: float
    x1: float
    y1: float
    columns: list[float]  # x of vertical rules, left to right
    rows: list[float]     # y of horizontal rules, top to bottom

    def holds(self, run: _Run) -> bool:
        x = (run.x0 + run.x1) / 2
        return self.x0 - 1 <= x <= self.x1 + 1 and self.y0 - 1 <= run.mid_y <= self.y1 + 1

    def lines(self, runs: list[_Run]) -> list[str]:
        grid: dict[tuple[int, int], list[_Run]] = {}
        for run in runs:
            x = (run.x0 + run.x1) / 2
            col = sum(1 for c in self.columns[1:-1] if x > c)
            row = sum(1 for r in self.rows[1:-1] if run.mid_y < r)
            grid.setdefault((row, col), []).append(run)
        out = []
        for row in range(len(self.rows) - 1):
            cells = []
            for col in range(len(self.columns) - 1):
                cell_runs = grid.get((row, col), [])
                cell = ""
                for line in _lines(cell_runs):
                    cell = _glue(cell, line.text())
                cells.append(cell.replace("|", "｜"))
            if any(cells):
                out.append(CELL_SEPARATOR.join(cells))
        return out


def _merge_close(values: list[float], tolerance: float = 2.0) -> list[float]:
    merged: list[float] = []
    for v in sorted(values):
        if merged and v - merged[-1] <= tolerance:
            continue
        merged.append(v)
    return merged


def _tables(page, pdfium_c) -> list[_Table]:
    """Grids of ruled lines: at least two horizontal and two vertical rules that touch."""
    horizontals, verticals = [], []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        width, height = right - left, top - bottom
        if height <= 3 and width > 8:
            horizontals.append((left, (bottom + top) / 2, right))
        elif width <= 3 and height > 8:
            verticals.append(((left + right) / 2, bottom, top))
        elif width > 8 and height > 8:  # a cell drawn as a rectangle: its four sides
            horizontals += [(left, bottom, right), (left, top, right)]
            verticals += [(left, bottom, top), (right, bottom, top)]
        if len(horizontals) + len(verticals) > 20000:
            break
    if len(horizontals) < 2 or len(verticals) < 2:
        return []
    # group rules into grids by overlapping bounding boxes
    boxes = [[x0 - 2, y - 2, x1 + 2, y + 2] for x0, y, x1 in horizontals] + \
            [[x - 2, y0 - 2, x + 2, y1 + 2] for x, y0, y1 in verticals]
    kinds = ["h"] * len(horizontals) + ["v"] * len(verticals)
    groups: list[dict] = []
    for box, kind in sorted(zip(boxes, kinds), key=lambda bk: -bk[0][3]):
        for group in groups:
            g = group["box"]
            if box[0] <= g[2] and box[2] >= g[0] and box[1] <= g[3] and box[3] >= g[1]:
                g[0], g[1], g[2], g[3] = min(g[0], box[0]), min(g[1], box[1]), max(g[2], box[2]), max(g[3], box[3])
                group[kind].append(box)
                break
        else:
            groups.append({"box": list(box), "h": [box] if kind == "h" else [], "v": [box] if kind == "v" else []})
    tables = []
    for group in groups:
        if len(group["h"]) < 2 or len(group["v"]) < 2:
            continue
        x0, y0, x1, y1 = group["box"]
        columns = _merge_close([(b[0] + b[2]) / 2 for b in group["v"]])
        rows = sorted(_merge_close([(b[1] + b[3]) / 2 for b in group["h"]]), reverse=True)
        if len(columns) >= 2 and len(rows) >= 2:
            tables.append(_Table(x0 + 2, y0 + 2, x1 - 2, y1 - 2, columns, rows))
    return tables


# --- one page -------------------------------------------------------------------------------

@dataclass
class _Block:
    """A paragraph (possibly still open at its end) or a table row, with its place on the page."""
    text: str
    top: float
    bottom_band: bool = False
    top_band: bool = False
    is_row: bool = False
    open_end: bool = False     # the last line ran to the right edge: the sentence goes on
    short_by: float = 99.0     # characters missing at the end of the last line
    continues: bool = True     # the first line may continue the previous page's last paragraph


def _gutter(lines: list[_Line], width: float) -> float | None:
    """The x of a gap between two columns, crossed by no run, with text on both sides of it on
    at least three lines; None for a page in one column."""
    best, best_count = None, 2
    if sum(1 for line in lines if len(line.runs) >= 2) <= best_count:
        return None  # fewer than three lines with two runs: one column
    for step in range(30, 71, 2):
        x = width * step / 100
        count = 0
        for line in lines:
            if any(r.x0 < x < r.x1 for r in line.runs):
                continue
            if any(r.x1 <= x for r in line.runs) and any(r.x0 >= x for r in line.runs):
                count += 1
        if count > best_count:
            best, best_count = x, count
    return best


def _paragraphs(lines: list[_Line], page_height: float) -> list[_Block]:
    """Join wrapped lines of one column into paragraphs."""
    blocks: list[_Block] = []
    text_lines = [ln for ln in lines if not ln.is_row]
    if not text_lines and not lines:
        return blocks
    # the column's edges come from its body, not from a header or footer in the margins
    body = [ln for ln in text_lines
            if page_height * _MARGIN_BAND <= ln.top <= page_height * (1 - _MARGIN_BAND)]
    text_lines = body or text_lines
    right = max((ln.x1 for ln in text_lines), default=0.0)
    left = min((ln.x0 for ln in text_lines), default=0.0)
    for line in lines:
        band_top = line.top > page_height * (1 - _MARGIN_BAND)
        band_bottom = line.top < page_height * _MARGIN_BAND
        if line.is_row:
            blocks.append(_Block(line.runs[0].text, line.top, band_bottom, band_top, is_row=True,
                                 continues=False))
            continue
        text = line.text()
        h = line.height
        em = max((line.x1 - line.x0) / max(len(text), 1), 0.5 * h)  # width of one character
        new_start = line.x0 > left + 0.8 * em or bool(_ITEM_START.match(text))
        short_by = (right - line.x1) / em
        previous = blocks[-1] if blocks else None
        # a Latin word or a number too long for the line's end wraps whole, leaving a wider gap
        wrapped = previous is not None and (previous.open_end or (
            previous.short_by < 6 and text[:1].isascii() and text[:1].isalnum()))
        if wrapped and not new_start and not previous.is_row and previous.top - line.top < 3 * em:
            previous.text = _glue(previous.text, text)
            previous.open_end, previous.short_by = short_by < 2.5, short_by
            previous.top = line.top
            previous.bottom_band = band_bottom
        else:
            blocks.append(_Block(text, line.top, band_bottom, band_top, open_end=short_by < 2.5,
                                 short_by=short_by, continues=not new_start))
    return blocks


def _page_blocks(page, pdfium_c, budget: TextBudget) -> list[_Block]:
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        runs = _runs(textpage)
    finally:
        textpage.close()
    for run in runs:
        budget.take(run.text)
    tables = _tables(page, pdfium_c) if runs else []
    table_runs: dict[int, list[_Run]] = {i: [] for i in range(len(tables))}
    free: list[_Run] = []
    for run in runs:
        for i, table in enumerate(tables):
            if table.holds(run):
                table_runs[i].append(run)
                break
        else:
            free.append(run)
    lines = _lines(free)
    # a table is placed among the lines at its top
    for i, table in enumerate(tables):
        for row in table.lines(table_runs[i]):
            lines.append(_Line([_Run(table.x0, table.y1, table.x1, table.y1, row)], is_row=True))
            # rows of one table keep their order: nudge each below the previous
            table.y1 -= 0.001
    # widely spaced runs on one line outside a ruled table: a row of an unruled table
    for line in lines:
        if not line.is_row and len(line.runs) >= 3:
            gaps = [b.x0 - a.x1 for a, b in zip(line.runs, line.runs[1:])]
            if min(gaps) > 1.5 * line.height:
                row = CELL_SEPARATOR.join(r.text.replace("|", "｜") for r in line.runs)
                line.runs, line.is_row = [_Run(line.x0, line.runs[0].y0, line.x1, line.top, row)], True
    lines.sort(key=lambda ln: -ln.top)
    gutter = _gutter([ln for ln in lines if not ln.is_row], width)
    if gutter is None:
        return _paragraphs(lines, height)
    blocks: list[_Block] = []
    region: list[_Line] = []

    def flush_region():
        left = [_Line([r for r in ln.runs if r.x1 <= gutter]) for ln in region]
        right = [_Line([r for r in ln.runs if r.x0 >= gutter]) for ln in region]
        blocks.extend(_paragraphs([ln for ln in left if ln.runs], height))
        right_blocks = _paragraphs([ln for ln in right if ln.runs], height)
        if right_blocks and blocks and _joins(blocks[-1], right_blocks[0]):
            first = right_blocks.pop(0)  # the sentence goes on at the top of the next column
            blocks[-1].text = _glue(blocks[-1].text, first.text)
            blocks[-1].open_end, blocks[-1].short_by = first.open_end, first.short_by
        blocks.extend(right_blocks)
        region.clear()

    for line in lines:
        spans = line.is_row or any(r.x0 < gutter < r.x1 for r in line.runs)
        if spans:
            if region:
                flush_region()
            blocks.extend(_paragraphs([line], height))
        else:
            region.append(line)
    if region:
        flush_region()
    return blocks


def _repeated(pages: list[list[_Block]]) -> set[str]:
    """Header and footer texts (digits ignored) found in the margin bands of most pages."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for blocks in pages:
        edges = [b for b in blocks[:2] if b.top_band] + [b for b in blocks[-2:] if b.bottom_band]
        counts.update({_shape(b.text) for b in edges})
    return {shape for shape, n in counts.items() if n >= max(2, len(pages) // 2)}


def _shape(text: str) -> str:
    """A header's text with its numbers (a page or issue number) ignored, if it is short."""
    text = re.sub(r"\s+", "", text)
    return re.sub(r"\d+", "#", text) if len(text) <= 30 else text


def _joins(previous: _Block | None, following: _Block) -> bool:
    """Whether `following` goes on with the sentence `previous` left open (at a column or page end)."""
    if previous is None or previous.is_row or following.is_row or not following.continues:
        return False
    head = following.text[:1]
    return previous.open_end or (previous.short_by < 6 and head.isascii() and head.isalnum())


def convert(data: bytes, limits: Limits) -> Converted:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise UnreadableFile("the PDF is encrypted (password-protected); send it without a password") from None
        raise UnsupportedFileType("not a readable PDF file (damaged or not a PDF)") from None
    try:
        count = len(document)
        if count > limits.max_pages:
            raise FileTooLarge(f"the PDF has {count:,} pages, more than the {limits.max_pages:,} accepted")
        if count == 0:
            raise UnreadableFile("the PDF has no pages")
        budget = TextBudget(limits.max_text_chars)
        pages: list[list[_Block]] = []
        for index in range(count):
            page = document[index]
            try:
                pages.append(_page_blocks(page, pdfium_c, budget))
            finally:
                page.close()
            progress()
    finally:
        document.close()
    repeated = _repeated(pages)
    texts: list[str] = []
    starts: list[int] = []
    offset = 0
    previous: _Block | None = None
    for blocks in pages:
        kept = [b for i, b in enumerate(blocks)
                if not (((b.top_band and i < 2) or (b.bottom_band and i >= len(blocks) - 2))
                        and (_shape(b.text) in repeated or _PAGE_NUMBER.match(b.text)))]
        if texts and kept and _joins(previous, kept[0]):
            separator = "" if (_CJK.match(texts[-1][-1:] or "a") or _CJK.match(kept[0].text[:1] or "a")) else " "
        elif texts:
            separator = "\n"
        else:
            separator = ""
        page_text = "\n".join(b.text for b in kept)
        offset += len(separator)
        starts.append(offset)
        texts.append(separator + page_text)
        offset += len(page_text)
        if kept:
            previous = kept[-1]
    text = "".join(texts)
    if not text.strip():
        raise UnreadableFile("the PDF has no text layer (a scanned image?); send a PDF with text, "
                             "or the text itself")
    return Converted(text, MEDIA_TYPE, tuple(starts))
