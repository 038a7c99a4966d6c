"""Documents, sections and numbered items of a plan, with the responsibility attached to each item.

One pass over the lines of the normalised view classifies each line (title, section, sub-section,
item, responsibility, document number); documents start at title lines that are followed by a
body, so a table of contents or an outline at the head of a compilation yields no document.
Titles and names are sliced from the original text, so full-width characters survive.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .lexicon import (ISSUER_SUFFIXES, MEASURE_WORDS, NAMED_PLAN_KEYWORDS, NOTICE_ENDS, RESPONSIBILITY_LABELS, TASK_LIST_KEYWORDS,
                      TITLE_KEYWORDS, TITLE_PRETEST_WORDS)
from .model import Document, Item, Span
from .scan import alternation
from .source import normalise
from .cues import LINKS_HEADERS
from .status import heading_status
from .tables import _RUN_HEADER, Row, Table, find_tables

_CN = "一二三四五六七八九十"


# Line openings may carry Markdown: a heading mark (`## `) and bold (`**`).
_OPEN = r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?[ \t]*"
# Sections may be numbered in the formal numerals of Taiwan plans (`壹、`, `貳、` read 贰).
_CN_FORMAL = "壹贰叁参肆伍陆柒捌玖拾"
_SECTION_LEADS = _CN + _CN_FORMAL
_SECTION = re.compile(rf"{_OPEN}(?:[{_CN}]{{1,3}}|[{_CN_FORMAL}]{{1,2}})[、.][ \t]*\S")
_MD_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]*[^\s#]")
_SUBSECTION = re.compile(rf"{_OPEN}\([{_CN}]{{1,3}}\)[ \t]*\S")
_ITEM = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*)?(?P<md>\*\*)?[ \t]*(?P<num>\d{1,3})(?![\d])[ \t]*(?P<sep>[.、])?[ \t]*(?:\*\*)?[ \t]*(?P<rest>\S)"
)
# After a bare item number (`27构建…`) these show the number is a quantity, a date or a code.
_NOT_BARE_ITEM = re.compile(
    rf"(?:{alternation(list(MEASURE_WORDS) + ['年', '月', '日', '号', '万', '亿', '届', '岁', '周', '%', '个', '元', '天', '小时', '分'])})"
)
_RESPONSIBILITY_LINE = re.compile(rf"^[ \t]*(?:\*\*)?[ \t]*(?P<label>{alternation(RESPONSIBILITY_LABELS)})[ \t]*[:：]")
_RESPONSIBILITY_PAREN = re.compile(
    rf"[(【〔\[](?P<body>[ \t]*(?:{alternation(RESPONSIBILITY_LABELS)})[ \t]*:[^()【】〔〕\[\]\n]*)[)】〕\]]"
)  # `（责任单位：…）`, `【责任单位：学前教育股】`
# `…新建智慧教室300间。责任单位：电教馆、信息中心。`: the labels as the last sentence of an
# item's own line (or of a line under it), outside any parenthesis.
_RESPONSIBILITY_TAIL = re.compile(
    rf"[。;；][ \t]*(?P<body>(?:{alternation(RESPONSIBILITY_LABELS)})[ \t]*[:：][^()（）【】〔〕\[\]。\n]*)。?[ \t]*$"
)
# Responsibility written as roles, without labels: `（县教育局牵头，县财政局、县住建局配合）`.
_ROLE_PAREN = re.compile(r"\((?P<lead>[^()\n,，;；:：。]{2,40}?)牵头(?:[,，;；][ \t]*(?P<help>[^()\n;；:：。]{2,60}?)(?:配合|参与|协同|协助))?\)")
# A role marked after a unit's name in a list (`县教育局（牵头）、县财政局`) is no part of the name.
_ROLE_MARK = re.compile(r"[(\[〔【]牵头[)\]〕】]|（牵头）")
_LABEL_SPLIT = re.compile(rf"(?P<label>{alternation(RESPONSIBILITY_LABELS)})[ \t]*[:：]")
_NAME_SPLIT = re.compile(r"[、,，;；\s]+")
_TITLE = re.compile(
    rf"^[^,，。;；:：《》]{{0,40}}?(?:{alternation(TITLE_KEYWORDS + TASK_LIST_KEYWORDS + NAMED_PLAN_KEYWORDS)})(?:\([^()]{{0,16}}\))?$"
)
_TASK_LIST_END = re.compile(rf"(?:{alternation(TASK_LIST_KEYWORDS)})(?:\([^()]{{0,10}}\))?$")
_NAMED_PLAN_END = re.compile(rf"(?:{alternation(NAMED_PLAN_KEYWORDS)})(?:\([^()]{{0,16}}\))?$")
_PLACE_OPENING = re.compile(r"^(?:关于)?[^\s,，。]{1,8}?(?:省|市|县|区|州|旗|盟)")
# A year, or the first of a span of years (`（2025—2027年）`: the plan starts in 2025).
_YEAR = re.compile(r"(?:19|20)\d{2}(?=[ \t]*(?:学?年|[-—–~～至到/][ \t]*(?:19|20)?\d{2}[ \t]*学?年))")


_NOTICE = re.compile(rf"^[^,，。;；:：]{{0,24}}?关于[^,，。;；:：]{{2,64}}?(?:{alternation(NOTICE_ENDS)})(?:\([^()]{{1,8}}\))?$")


def _title_like(text: str) -> bool:
    """A title's shape: short, no sentence punctuation, ending in a title keyword (a task list's
    with a year in it), or a notice `…关于…的通知` naming a year or a place."""
    if not _TITLE.match(text):
        return bool(_NOTICE.match(text) and (_YEAR.search(text) or _PLACE_OPENING.match(text)))
    if _TASK_LIST_END.search(text):
        return bool(_YEAR.search(text))
    if _NAMED_PLAN_END.search(text) and not any(k in text for k in TITLE_KEYWORDS):
        return bool(_YEAR.search(text) or _PLACE_OPENING.match(text))
    return True

_DOC_NUMBER = re.compile(r"^[ \t]*\S{1,12}?[〔\[［(【][ \t]*(?:19|20)\d{2}[ \t]*[〕\]］)】][ \t]*\d{1,4}[ \t]*号[ \t]*$")
_ISSUER_ONLY = re.compile(rf"^[^,，。;；:：《》\d]{{2,40}}(?:{alternation(ISSUER_SUFFIXES)})$")
_MARKUP = re.compile(r"\*\*|__|^#{1,6}[ \t]*")
_LABEL_FIRST_CHARS = frozenset(label[0] for label in RESPONSIBILITY_LABELS)
_SENTENCE_END = re.compile(r"[。!?]")
# After `N.`, digits that make no decimal: a month (`6月底前…`) or a count that is never a
# fraction (`3所`, `5名`). Not a year: `附件:1.…` / `2.2025年…任务分解` lists attachments.
_DATE_OR_COUNT_TITLE = re.compile(r"\d{1,2}(?:月|日)|\d{1,4}(?:所|名|项|场|家|间|批|个(?!百分点))")
_CLAUSE_END = re.compile(r"[,，。;；!?！？]")


@dataclass
class Structure:
    documents: list[Document]
    # Sorted starts of items, parallel lists for position lookup.
    _item_starts: list[int] = field(default_factory=list)
    # Where an item's title begins with a count right after `N.` (`2.3所农村学校…`): a number
    # starts there, not at the item's number (2.3 is no count of schools).
    title_number_starts: list[int] = field(default_factory=list)
    _items: list[tuple[int, Item]] = field(default_factory=list)
    _doc_starts: list[int] = field(default_factory=list)
    _sections: list[tuple[int, int, str, str | None]] = field(default_factory=list)  # (start, doc, text, status)
    _section_starts: list[int] = field(default_factory=list)
    _doc_status: list[str | None] = field(default_factory=list)  # from each document's title
    top_section_starts: list[int] = field(default_factory=list)  # `一、` headings only
    top_section_headings: list[str] = field(default_factory=list)  # parallel to top_section_starts
    tables: list[Table] = field(default_factory=list)
    headlines: list[str | None] = field(default_factory=list)  # each document's title or headline
    _cells: list[tuple[int, int, str, Row]] = field(default_factory=list)  # sorted by start
    _cell_starts: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def locate(self, pos: int) -> tuple[int | None, Item | None, str | None]:
        """(document index, item, section) holding position `pos`."""
        d = bisect.bisect_right(self._doc_starts, pos) - 1
        if d < 0 or pos >= self.documents[d].span.end:
            return None, None, None
        i = bisect.bisect_right(self._item_starts, pos) - 1
        item = None
        if i >= 0:
            doc_index, candidate = self._items[i]
            if doc_index == d and candidate.span.start <= pos < candidate.span.end:
                item = candidate
        s = bisect.bisect_right(self._section_starts, pos) - 1
        section = self._sections[s][2] if s >= 0 and self._sections[s][1] == d else None
        if item is not None:
            section = item.section
        return d, item, section

    def cell_at(self, pos: int) -> tuple[str, Row] | None:
        """(column role, row) of the table cell holding `pos`, or None outside tables."""
        cell = self.cell_with_span(pos)
        return (cell[2], cell[3]) if cell else None

    def cell_with_span(self, pos: int) -> tuple[int, int, str, Row] | None:
        """(start, end, column role, row) of the table cell holding `pos`, or None outside tables."""
        if not self._cell_starts:
            return None
        c = bisect.bisect_right(self._cell_starts, pos) - 1
        if c >= 0 and self._cells[c][0] <= pos < self._cells[c][1]:
            return self._cells[c]
        return None

    def section_start(self, pos: int, d: int) -> int:
        """Start of the section (or document) holding `pos`."""
        s = bisect.bisect_right(self._section_starts, pos) - 1
        if s >= 0 and self._sections[s][1] == d:
            return self._sections[s][0]
        return self.documents[d].span.start if 0 <= d < len(self.documents) else 0

    def status_of_document(self, d: int) -> str | None:
        """The status its title or headline gives a document (a plan, a report), or None."""
        return self._doc_status[d] if 0 <= d < len(self._doc_status) else None

    def status_at(self, pos: int, d: int) -> tuple[str | None, str | None]:
        """(status, heading) that the section around `pos` gives a quantity (target/result/None),
        falling back to the document title's."""
        s = bisect.bisect_right(self._section_starts, pos) - 1
        if s >= 0 and self._sections[s][1] == d and self._sections[s][3] is not None:
            return self._sections[s][3], self._sections[s][2]
        if 0 <= d < len(self._doc_status) and self._doc_status[d] is not None:
            return self._doc_status[d], self.documents[d].title
        return None, None


# A page whose line breaks were lost (a Word file pasted into a web page, a document site's text
# layer) runs sections and items into one line: `…质量目标。4 .创建学前教育普及普惠县。学前…`. A
# line this long (and no table row) is read as lines cut before each section or item number that
# follows a sentence end, before the first item right after a section heading
# (`二、工作目标1 .全面加强…`), and after a title that runs into the first section
# (`…工作计划一、工作思路…`); _parse_items's numbering checks still decide what is an item.
_RUN_ON_LINE = 200
_OPENER = rf"(?:\d{{1,2}}[ \t]?[.、](?!\d)|[{_CN}]{{1,3}}、|\([{_CN}]{{1,3}}\))[ \t]*[^\s\d]"
_INLINE_OPENER = re.compile(rf"[。;!?][ \t]*(?={_OPENER})")  # the cut is at its end
_HEADING_THEN_ITEM = re.compile(rf"[ \t]*[{_CN}]{{1,3}}、[^,，。;；:：!?\d\s]{{2,12}}?(?=1[ \t]?[.、][ \t]*[^\s\d])")
_TITLE_RUN_ON = re.compile(
    rf"[ \t]*[^,，。;；:：《》“”]{{0,40}}?(?:{alternation(TITLE_KEYWORDS)})(?=[ \t]*一、)")
# A document site's text layer prints each page as one line opened by its page number (`2、`): a
# run of such lines numbered 1, 2, 3 … in which a page starts in the middle of the sentence the
# page before it broke off (`…2 .深入落实立` / `2、德树人。…`). The page number is no item number,
# and the line goes on with the sentence of the one before (Line.continues).
_PAGE_NUMBER = re.compile(r"[ \t]*(\d{1,3})、")
_SENTENCE_CLOSE = frozenset("。;；!?！？:：")
_CN_OR_SPACE = frozenset(_CN + " \t")


@dataclass(slots=True)
class Line:
    start: int
    end: int          # end of content, without the line break
    text: str         # content in the normalised view
    continues: bool = False  # the line goes on with the sentence of the line before (a page break)


def _page_numbers(lines: list[Line]) -> dict[int, tuple[int, bool]]:
    """Index of each page line of a document site's text layer -> (length of its page number,
    whether it starts in the middle of the previous page's sentence)."""
    pages: dict[int, tuple[int, bool]] = {}
    run: list[tuple[int, int, bool]] = []  # (line index, page number length, starts mid-sentence)
    for k in range(len(lines) + 1):
        line = lines[k] if k < len(lines) else Line(0, 0, "")
        full = line.end - line.start > _RUN_ON_LINE  # a page; the last may be short (a preview ends)
        raw = line.text
        m = _PAGE_NUMBER.match(raw) if full or run else None
        if m and int(m.group(1)) == len(run) + 1 and (not run or run[-1][0] == k - 1):
            previous = lines[k - 1].text.rstrip() if k else ""
            run.append((k, m.end(), bool(run) and previous[-1:] not in _SENTENCE_CLOSE))
            if full:
                continue
            m = None
        if len(run) >= 2 and any(mid for _, _, mid in run):
            pages.update((i, (size, mid)) for i, size, mid in run)
        run = []
        if m and int(m.group(1)) == 1:
            run.append((k, m.end(), False))
    return pages


def split_lines(view: str) -> list[Line]:
    lines = []
    pos = 0
    run_on = False
    for raw in view.split("\n"):
        following = pos + len(raw) + 1  # where the next line starts
        end = following - 1
        if raw.endswith("\r"):
            raw, end = raw[:-1], end - 1
        if end - pos > _RUN_ON_LINE:
            run_on = True
        lines.append(Line(pos, end, raw))
        pos = following
    return _cut_run_on(lines) if run_on else lines


def _cut_run_on(lines: list[Line]) -> list[Line]:
    """The lines, page numbers left out and each line whose breaks were lost cut (see above)."""
    pages = _page_numbers(lines)
    cut_lines = []
    for k, line in enumerate(lines):
        pos, end, raw = line.start, line.end, line.text
        continues, run_on = False, end - pos > _RUN_ON_LINE
        if k in pages:
            skip, continues = pages[k]
            pos, raw = pos + skip, raw[skip:]
        if not run_on or "|" in raw:
            cut_lines.append(Line(pos, end, raw, continues) if k in pages else line)
            continue
        title = _TITLE_RUN_ON.match(raw)
        starts = [title.end()] if title else [0]
        starts += [m.end() for m in _INLINE_OPENER.finditer(raw, starts[0])]
        cuts = starts[:] if title else starts[1:]
        header = _RUN_HEADER.search(raw) if "序号" in raw or "编号" in raw else None
        if header and header.start():
            cuts.append(header.start())  # `…责任分解表序号项目名称…`: the title, then the table
        for start in starts:  # `二、工作目标1 .…`: a heading at a line's or sentence's start
            heading = _HEADING_THEN_ITEM.match(raw, start) if raw[start:start + 1] in _CN_OR_SPACE else None
            if heading:
                cuts.append(heading.end())
        cut = 0
        for at in sorted(cuts):
            if at <= cut:
                continue
            cut_lines.append(Line(pos + cut, pos + at, raw[cut:at], continues))
            cut, continues = at, False
        cut_lines.append(Line(pos + cut, end, raw[cut:], continues))
    return cut_lines


def _clean(original: str) -> str:
    if "*" in original or "_" in original or "#" in original:  # what _MARKUP can remove
        original = _MARKUP.sub("", original)
    return original.strip()


def _names(body: str, kind: str) -> list[str]:
    if "牵头" in body:
        body = _ROLE_MARK.sub("", body)
    tokens = [t for t in _NAME_SPLIT.split(_MARKUP.sub("", body).strip(" \t。.")) if t]
    if kind != "leader":
        return tokens
    # `崔 茜`: a name printed with a space between its characters is one name; a run of single
    # characters (`王 芳 李 军`) is read as two-character names, a run of three as one name.
    merged: list[str] = []
    run: list[str] = []
    for t in tokens + [""]:
        if len(t) == 1:
            run.append(t)
            continue
        while run:
            size = 3 if len(run) in (3, 5) else 2
            merged.append("".join(run[:size]) if len(run) > 1 else run[0])
            run = run[size:] if len(run) > 1 else []
        if t:
            merged.append(t)
    return merged


_NAMES_TIME = re.compile(r"\d|[一二三四五六七八九十]{1,3}月|年|底|末|前|内|旬|学期|季度|假|开学|节")


def names_time(limit: str) -> bool:
    """Whether a time-limit cell or label names a time (`6月底前`, `贯穿全年`), not a manner of
    working (`长期坚持`, `持续推进`, `常态化`): targets.md §2, a note that names no time is none."""
    return bool(_NAMES_TIME.search(limit))


_TIME_LIMIT_NAME = re.compile(r"\d{1,2}月|[底末]前|前完成|年内|年底|暑期完成|寒假完成|完成$")


def _add_responsibility(item: Item, label: str, body: str) -> None:
    kind = RESPONSIBILITY_LABELS[label]
    if kind == "deadline":
        limit = _MARKUP.sub("", body).strip(" \t。.;；,，")
        if limit and item.deadline is None and names_time(limit):
            item.deadline = limit
        return
    target = item.responsible_leaders if kind == "leader" else item.responsible_units
    for name in _names(body, kind):
        if _TIME_LIMIT_NAME.search(name):  # `（牵头单位：学前教育科，8月底前完成）`: the item's time limit
            if item.deadline is None:
                item.deadline = name
            continue
        if name not in target:
            target.append(name)


def _parse_labelled(item: Item, text: str) -> None:
    """`牵头单位:A、B;配合单位:C` -> each label's names."""
    marks = list(_LABEL_SPLIT.finditer(text))
    for k, m in enumerate(marks):
        body_end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        _add_responsibility(item, m.group("label"), text[m.end():body_end])


def _number_lead(text: str) -> str:
    """The character where a heading's or item's number would start: past the indentation and
    Markdown (`## `, `**`) that _ITEM, _SECTION and _SUBSECTION allow before it. A cheap test
    of it spares those patterns most lines."""
    return text.lstrip(" \t*#")[:1]


def _opens_item_or_section(text: str) -> bool:
    lead = _number_lead(text)
    return bool((lead.isdigit() and _ITEM.match(text)) or (lead in _SECTION_LEADS and _SECTION.match(text)))


_TITLE_PRETEST = re.compile("|".join(TITLE_PRETEST_WORDS))  # 4x a generator of `in` tests


def _is_title(line: Line) -> bool:
    if len(line.text) > 80 or not _TITLE_PRETEST.search(line.text):
        return False  # every title keyword holds one of these
    text = line.text.strip().strip("*#").strip()
    if not text or (len(text) > 48 and not text.endswith(NOTICE_ENDS)) or not _title_like(text):
        return False
    if (_ITEM.match(text) and not _YEAR.match(text)) or _SECTION.match(text) or _SUBSECTION.match(text):
        return False
    return True


_PROSE_SENTENCES = 3


def _is_prose(lines: list[Line]) -> bool:
    """Lines written in sentences (a notice or cover letter: three sentence ends in lines of 40
    characters or more), not a table of contents or an outline, whose lines end in none."""
    ends = 0
    for line in lines:
        if len(line.text) >= 40:
            ends += line.text.count("。")
            if ends >= _PROSE_SENTENCES:
                return True
    return False


_TOC_ENTRY = re.compile(r"(?:[.…·．]{2,}|\s)[ \t]*\d{1,3}[ \t]*$|页\)?[ \t]*$")


def _is_contents(lines: list[Line]) -> bool:
    """Whether lines ahead of the first title are a table of contents or an outline: `目录`, or
    entries ending in a page number."""
    entries = 0
    for line in lines:
        text = line.text.strip()
        if text in ("目录", "目 录", "目  录"):
            return True
        if _TOC_ENTRY.search(text):
            entries += 1
    return entries >= 2


def _has_body(lines: list[Line], i: int) -> bool:
    """A title opens a document only when sections, items (not a table of contents' entries) or
    a table follow before the next title."""
    seen = items = 0
    for line in lines[i + 1:i + 40]:
        if not line.text.strip():
            continue
        if _is_title(line):
            return False
        lead = _number_lead(line.text)
        if (lead in _SECTION_LEADS and _SECTION.match(line.text)) or (lead == "(" and _SUBSECTION.match(line.text)):
            return True
        m = _ITEM.match(line.text) if lead.isdigit() else None
        if m and m.group("sep") and len(line.text) > 30:
            return True
        if line.text.count("|") >= 2 or line.text.count("\t") >= 2:
            return True  # an attachment's table (`附件1 …任务分解表` / `序号 | 工作任务 | …`)
        if line.text[:2] in ("序号", "编号") and _RUN_HEADER.match(line.text):
            return True  # a table whose cells run together (`序号项目名称主要内容…1增加…`)
        if m and m.group("sep") and not _TOC_ENTRY.search(line.text):
            items += 1
            if items >= 2:
                return True  # short items (`1.新建公办幼儿园2所。` / `2.改造…`)
        seen += 1
        if seen > 12:
            return False
    return False


# Where a title's first line may break: after its year, or inside a notice (`…关于印发《…`).
_WRAPPED_HEAD_END = re.compile(r"(?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})[ \t]*(?:年度?|学年度?)$|关于|印发|《[^》]*$")
# Lines a web page puts around a text: navigation, breadcrumbs, metadata, counters.
_PAGE_CHROME = re.compile(r"当前位置|您的位置|^[ \t]*首页|[>»][ \t]*\S+[ \t]*[>»]|\|.*\||发布时间|发布日期|信息来源|来源[:：]"
                          r"|浏览次数|阅读次数|点击数|字号[:：]|【[大中小]】|打印本页|关闭窗口|分享到|^[ \t]*\d{4}-\d{2}-\d{2}")


_LINKS_HEADER = re.compile(rf"^[ \t]*[\[【●·]?[ \t]*(?:{alternation(LINKS_HEADERS)})")
_LINKS_WORD = re.compile(alternation(LINKS_HEADERS))
_ATTACHMENT_LABEL = re.compile(r"^[ \t]*附件[ \t]*\d{0,2}[ \t]*[:：]?[ \t]*$")


def is_page_chrome(line: str) -> bool:
    """A web page's navigation or metadata line (`首页 > 政务公开 > 工作总结`, `发布时间：…`)."""
    return bool(_PAGE_CHROME.search(line))


def _title_head(above: str, line: str) -> bool:
    """Whether `above` is the first part of a title wrapped onto `line` (the line right under it):
    no sentence punctuation, not a title, a document number or a letterhead (`…文件`) itself, and
    the two joined make a title."""
    head, rest = above.strip().strip("*#").strip(), line.strip().strip("*#").strip()
    if not head or not rest or len(head) > 40 or _CLAUSE_END.search(head) or head.endswith("文件"):
        return False
    if not _WRAPPED_HEAD_END.search(head) or is_page_chrome(head):
        return False  # a site's name, a nav bar or a date line above a title is no part of it
    if _DOC_NUMBER.match(head) or _opens_item_or_section(head) or _title_like(head):
        return False
    return _title_like(head + rest)


def _document_header(text: str, lines: list[Line], title_index: int, floor: int):
    """The title (joined with an issuer line printed above it), its start, and the doc number."""
    title_line = lines[title_index]
    title = _clean(text[title_line.start:title_line.end])
    start = title_line.start
    if _YEAR.match(title.strip()) or title.startswith("年"):
        for j in range(title_index - 1, max(-1, title_index - 4), -1):
            prev = lines[j]
            if prev.start < floor:
                break
            if not prev.text.strip():
                continue
            if _ISSUER_ONLY.match(prev.text.strip()):
                title = _clean(text[prev.start:prev.end]) + " " + title
                start = prev.start
            break
    elif title_index and lines[title_index - 1].start >= floor and _title_head(lines[title_index - 1].text, title_line.text):
        prev = lines[title_index - 1]  # `西陵区教育局2025年` / `义务教育工作计划`: one title wrapped
        title = _clean(text[prev.start:prev.end]) + title
        start = prev.start
    doc_number = None
    # The number printed right under the title is this document's; one above it is too, unless
    # the body of the document before stands between (its own number under its title).
    following = [ln for ln in lines[title_index + 1:title_index + 6] if ln.text.strip()][:3]
    for ln in following:  # under the title, past a metadata line (`发布时间：…`)
        span = _doc_number_in(ln) if "号" in ln.text else None
        if span:
            doc_number = text[span[0]:span[1]].strip()
            break
        if not is_page_chrome(ln.text):
            break
    for j in range(title_index - 1, max(-1, title_index - 16), -1) if doc_number is None else ():
        prev = lines[j]
        if prev.start < floor or _opens_item_or_section(prev.text):
            break
        span = _doc_number_in(prev) if "号" in prev.text else None
        if span:
            doc_number = text[span[0]:span[1]].strip()
            start = min(start, prev.start)
            break
    return title, start, doc_number


_LABELLED_DOC_NUMBER = re.compile(
    r"(?:发文字号|文号)[ \t]*[:：][ \t]*(?P<num>[^\s:：]{1,12}?[〔\[［(【][ \t]*(?:19|20)\d{2}[ \t]*[〕\]］)】][ \t]*\d{1,4}[ \t]*号)")


def _doc_number_in(line: Line) -> tuple[int, int] | None:
    """Where a line prints a document number: the whole line (`惠教〔2023〕4号`), or the value of
    a `发文字号：` field of a page's metadata, whatever else the line holds."""
    m = _LABELLED_DOC_NUMBER.search(line.text)
    if m:
        return line.start + m.start("num"), line.start + m.end("num")
    return (line.start, line.end) if _DOC_NUMBER.match(line.text) else None


_QUOTED_TITLE = re.compile(r"《([^《》]{4,60})》")
_YEAR_OPENING = re.compile(r"^[ \t]*(?:19|20)\d{2}[^\u4e00-\u9fff]{0,3}(?:(?:19|20)?\d{2})?[ \t]*(?:学年度|学年|年度|年)"
                           r"(?:第[一二]学期|[上下]半年|(?:春|秋)季学期)?")


def _issuer(title: str, title_view: str) -> str | None:
    """Who issues a document, where its title names it: before the year (`惠济区教育局2023年…`),
    before 关于 in a notice, in the 《》 of a notice that prints a plan, or between an opening
    year and the plan's name (`2026年东湖区教育局工作要点`, `2025—2026学年第一学期东湖县实验小学…`)."""
    quoted = _QUOTED_TITLE.search(title)
    if quoted:
        inner = _issuer(quoted.group(1), normalise(quoted.group(1)))
        if inner:
            return inner
    about = title.find("关于")
    if about > 0:
        before = title[:about].strip()
        if before.endswith(ISSUER_SUFFIXES) and _PLACE_OPENING.match(before):
            return before
    opening = _YEAR_OPENING.match(title_view)
    if opening:
        found = _named_after_year(title[opening.end():])
        if found:
            return found
    m = _YEAR.search(title_view) or _CN_YEAR.search(title_view)
    head = title[:m.start()] if m else None
    if head is None:
        for kw in TITLE_KEYWORDS:
            if kw in title:
                head = title[:title.index(kw)]
                break
    head = (head or "").strip()
    head = head.removeprefix("关于").strip().removeprefix("对").strip()  # `关于对鹤城区教育局…的公示`
    if head.endswith("关于"):  # `东城区教育局关于2026年教育工作的安排意见`
        head = head[:-2].strip()
    if head and len(head) >= 3 and head.endswith(ISSUER_SUFFIXES):
        return head  # (not `政府` of a bare `政府工作报告`)
    return None


# An issuer named after an opening year is a body or a school, not `城区学校` (what a plan is about).
_BODY_SUFFIXES = tuple(s for s in ISSUER_SUFFIXES if s not in ("校", "会", "部", "室", "所"))


_REVIEW_THEN_PLAN = re.compile(r"(?:总结|回顾|情况)[^,，。]{0,4}(?:及|与|和|暨)")


_CN_YEAR = re.compile(r"二[〇零○][〇零○一二三四五六七八九]{2}(?=年)")
_CN_YEAR_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")


def _title_year(title_view: str) -> int | None:
    """The year a document is for: the first its title names (`（2025—2027年）` starts in 2025;
    `二〇二六年` in Chinese numerals), but the plan's in a review followed by a plan
    (`2024年工作总结及2025年工作计划` is for 2025)."""
    years = [m for m in _YEAR.finditer(title_view)] if title_view else []
    if not years:
        m = _CN_YEAR.search(title_view) if title_view else None
        return int(m.group().translate(_CN_YEAR_DIGITS)) if m else None
    if len(years) > 1 and _REVIEW_THEN_PLAN.search(title_view, years[0].end(), years[1].start()):
        return int(years[1].group())
    return int(years[0].group())


# A dateline under a title or a headline (`来源：…日报 | 2025-05-20`, `发布时间：2025-02-26`,
# `——2026年1月12日在…会议上`, a line holding only a date): the year of a text whose title names none.
_DATELINE = re.compile(
    r"(?:发布时间|发布日期|成文日期|日期|时间|来源)[^\n]{0,40}?(?P<a>(?:19|20)\d{2})[ \t]*[-/年.]"
    r"|^[ \t]*(?:——|—|\()?[ \t]*(?P<b>(?:19|20)\d{2})[ \t]*[-/年.][ \t]*\d{1,2}[ \t]*[-/月.][ \t]*\d{1,2}")


def _dateline_year(lines: list[Line], first: int, end: int) -> int | None:
    for line in lines[first:first + 12]:
        if line.start >= end:
            break
        m = _DATELINE.search(line.text)
        if m:
            return int(m.group("a") or m.group("b"))
    return None


def _named_after_year(rest: str) -> str | None:
    """`东湖县实验小学教学工作计划` -> `东湖县实验小学`: the longest opening that ends in an
    issuer's suffix and starts with a place (a school's name holds one)."""
    best = None
    for suffix in _BODY_SUFFIXES:
        k = rest.rfind(suffix, 0, 24)
        if k > 0 and (best is None or k + len(suffix) > len(best)):
            best = rest[:k + len(suffix)]
    if best and _PLACE_OPENING.match(best) and not best.startswith(("全", "各")):
        return best
    return None


def parse_structure(text: str, view: str) -> Structure:
    lines = split_lines(view)
    tables = find_tables(lines, view)
    title_indexes = [i for i, line in enumerate(lines) if _is_title(line) and _has_body(lines, i)]

    headers = []  # (title, start, doc_number, first body line index)
    floor = 0
    for i in title_indexes:
        title, start, doc_number = _document_header(text, lines, i, floor)
        if headers and title == headers[-1][0]:
            continue  # the title repeated as a page's running header: the same document goes on
        headers.append((title, start, doc_number, i + 1))
        floor = lines[i].end
    if not headers:
        headers = [(None, 0, None, 0)]
        first = next((ln for ln in lines[:40] if ln.text.strip() and not is_page_chrome(ln.text)
                      and not _ATTACHMENT_LABEL.match(ln.text)), None)
        if first is not None and (_SECTION.match(first.text) or _SUBSECTION.match(first.text) or _ITEM.match(first.text)):
            first = None  # `一、2025年工作总结` opening an excerpt is its first section, no title
        k = lines.index(first) if first else 0
        if first and _title_like(first.text.strip()):
            title, _, doc_number = _document_header(text, lines, k, 0)  # with a number under it
            headers = [(title, 0, doc_number, k + 1)]
        elif first and k + 1 < len(lines) and _title_head(first.text, lines[k + 1].text):
            title, _, doc_number = _document_header(text, lines, k + 1, 0)  # wrapped in two lines
            headers = [(title, 0, doc_number, k + 2)]

    line_starts = [ln.start for ln in lines]
    head = lines[:bisect.bisect_left(line_starts, headers[0][1])] if title_indexes else []
    if title_indexes and headers[0][1] > 0 and (_is_prose(head) or (
            any(_opens_item_or_section(ln.text) for ln in head) and not _is_contents(head))):
        # a cover letter ahead of its attachment is a document (prose, or a numbered head that is no
        # table of contents: `各县教育局：…1.各地要…2.…`); not when the attachment's header reaches
        # up over it for its number: then notice and plan are one, as a 通知 prints them
        headers.insert(0, (None, 0, None, 0))
    elif title_indexes and headers[0][1] > 0 and not any(
            _opens_item_or_section(ln.text) for ln in lines[:title_indexes[0]]):
        headers[0] = (headers[0][0], 0) + headers[0][2:]  # a letterhead opens the first document
    structure = Structure(documents=[], tables=tables)
    for table in tables:
        for row in table.rows:
            for start, end, role in row.cells:
                structure._cells.append((start, end, role, row))
    structure._cells.sort(key=lambda c: c[0])
    structure._cell_starts = [c[0] for c in structure._cells]
    if title_indexes and headers[0][1] > 0 and view[:headers[0][1]].strip():
        structure.warnings.append(
            f"the {headers[0][1]} characters before the first document title (a table of contents, "
            "an outline or a cover letter) belong to no document and yield no targets")
    elif not title_indexes and view.strip():
        structure.warnings.append("no document title found: the text is read as one untitled document")
    # a web page's links to other pages (`相关链接`, `上一篇：…`) end the text: their titles
    # (`我县新增学位3200个`) are headlines of other pages
    links = len(text)
    if _LINKS_WORD.search(view):  # (one scan in C spares most texts the line scan)
        links = next((ln.start for ln in lines if ln.start > headers[0][1] and _LINKS_HEADER.match(ln.text)), links)
    for d, (title, start, doc_number, body_line) in enumerate(headers):
        end = headers[d + 1][1] if d + 1 < len(headers) else len(text)
        if start < links < end:
            end = links
        title_view = normalise(title) if title else ""
        year = _title_year(title_view)
        if year is None:
            year = _dateline_year(lines, bisect.bisect_left(line_starts, start), end)
        doc = Document(index=d, title=title, issuer=_issuer(title, title_view) if title else None,
                       year=year, doc_number=doc_number, span=Span(start, end))
        structure.documents.append(doc)
        structure._doc_starts.append(start)
        if title:
            structure._doc_status.append(heading_status(title, doc.year))
            structure.headlines.append(title)
        else:
            headline_status, headline = _headline(lines, bisect.bisect_left(line_starts, start), end)
            structure._doc_status.append(headline_status)
            structure.headlines.append(headline)
        _parse_items(text, lines, bisect.bisect_left(line_starts, start), body_line, end, doc, structure)
    return structure


def _headline(lines: list[Line], first: int, end: int) -> tuple[str | None, str | None]:
    """An untitled text (a web page, a notice, a pasted summary) takes the status of a headline
    among its first lines: `…民生实事项目完成情况的公示` heads a report. A long first line is read
    up to its first sentence end (a title run into its body when line breaks were lost)."""
    seen = 0
    for line in lines[first:first + 12]:
        if line.start >= end or seen >= 5:
            break
        text = line.text.strip()
        if not text:
            continue
        if _opens_item_or_section(text) or _SUBSECTION.match(text) or (seen and "。" in text):
            break  # the outline or the prose has begun: no headline below (`过去一年，…。`)
        if "|" in text or "\t" in text:
            break  # a table's header row (`序号 | 项目 | 完成情况`) heads its columns, not the text
        if is_page_chrome(text):
            continue  # `当前位置：首页 > 政务公开 > 工作总结` files the page, it heads nothing
        seen += 1
        head = _CLAUSE_END.split(text if len(text) <= 60 else text[:30], maxsplit=1)[0]
        found = heading_status(head) if len(head) >= 6 else None
        if found:
            return found, head
    return None, None


def _parse_items(text, lines, first_line, body_line, end, doc, structure) -> None:
    section = None
    subsection = None
    doc_status = structure._doc_status[doc.index]
    section_status = doc_status
    last_number = 0
    section_changed = False
    current: Item | None = None
    tables = [t for t in structure.tables if doc.span.start <= t.start < end]
    item_starts, items = structure._item_starts, structure._items
    n_tables = len(tables)
    t_index = 0
    for k in range(max(first_line, body_line), len(lines)):
        line = lines[k]
        if line.start >= end:
            break
        while t_index < n_tables and tables[t_index].end < line.start:
            t_index += 1
        if t_index < n_tables and tables[t_index].start <= line.start <= tables[t_index].end:
            table = tables[t_index]
            if line.start == table.start or (k and lines[k - 1].start < table.start):
                current = _close(current, line.start)
                _table_items(text, table, doc, structure, section or subsection)
            continue  # a table's rows are its items; its lines are no headings
        content = line.text
        lead = _number_lead(content)
        if not lead:
            continue
        if lead in _LABEL_FIRST_CHARS and current is not None and _RESPONSIBILITY_LINE.match(content):
            _parse_labelled(current, content)
            continue
        # `一、…`, a Markdown heading that numbers nothing (`## 2024年工作回顾`), and a short line that
        # names a review or a plan on its own (`2026年工作打算`, `下一步工作计划`), open a section.
        if (lead in _SECTION_LEADS and _SECTION.match(content)) or (
                content.lstrip()[:1] == "#" and _MD_HEADING.match(content) and not _ITEM.match(content)
                and not _SUBSECTION.match(content)) or (
                (not lead.isdigit() or content.lstrip(" \t*#")[:4].isdigit() or _ROC_YEAR_OPENING.match(content))
                and _bare_heading(content, lead)
                and heading_status(content, doc.year, normalised=True)
                and _clean(content) != doc.title):  # (a running header repeats the title)
            section, section_view = _heading(text, line)
            subsection = None
            section_changed = True
            section_status = heading_status(section_view, doc.year, normalised=True) or doc_status
            structure._sections.append((line.start, doc.index, section, section_status))
            structure._section_starts.append(line.start)
            structure.top_section_starts.append(line.start)
            structure.top_section_headings.append(section)
            current = _close(current, line.start)
            continue
        if lead == "(" and _SUBSECTION.match(content):
            subsection, subsection_view = _heading(text, line)
            section_changed = True  # some plans number items afresh in each sub-section
            structure._sections.append((line.start, doc.index, subsection,
                                        heading_status(subsection_view, doc.year, normalised=True)
                                        or section_status))
            structure._section_starts.append(line.start)
            current = _close(current, line.start)
            continue
        m = _ITEM.match(content) if lead.isdigit() else None
        if m:
            number, sep = m.group("num", "sep")
            n = int(number)
            rest_at = m.start("rest")
            if sep:
                ok = (n == last_number + 1 or (n == 1 and (section_changed or last_number == 0))
                      or last_number < n <= last_number + 3
                      # an excerpt's paragraphs numbered on from the whole (`162.`, `163.`)
                      or (last_number == 0 and _numbered_next(lines, k, n + 1)))
                if sep == "." and content[rest_at].isdigit() and not (
                        content[rest_at - 1] in " \t" or _DATE_OR_COUNT_TITLE.match(content, rest_at)):
                    ok = False  # `1.5万人…` is a number; `1.6月底前…`, `2.3所…`, `1. 6月…` are items
            else:
                ok = (n == last_number + 1 and not _NOT_BARE_ITEM.match(content, rest_at)
                      and not content[rest_at].isascii())
            if ok:
                if last_number and n > last_number + 1:
                    structure.warnings.append(
                        f"document {doc.index}: item numbers jump from {last_number} to {n}")
                current = _close(current, line.start)
                stop = _SENTENCE_END.search(content, rest_at)
                title = _clean(text[line.start + rest_at:line.start + stop.start() if stop else line.end]
                               ).rstrip("。")
                if stop is None and k + 1 < len(lines) and lines[k + 1].continues:
                    title += _first_sentence(text, lines[k + 1])  # `…2 .深入落实立` / `2、德树人。`
                if sep == "." and content[rest_at].isdigit():
                    structure.title_number_starts.append(line.start + rest_at)
                current = Item(f"d{doc.index}-i{len(doc.items)}", n, title, subsection or section,
                               Span(line.start, end))
                doc.items.append(current)
                item_starts.append(line.start)
                items.append((doc.index, current))
                last_number = n
                section_changed = False
        if current is not None and "(" in content and "牵头" in content and not current.responsible_units:
            for pm in _ROLE_PAREN.finditer(content):  # `(县教育局牵头，县财政局、县住建局配合)`
                _add_responsibility(current, "牵头单位", pm.group("lead"))
                if pm.group("help"):
                    _add_responsibility(current, "配合单位", pm.group("help"))
        if current is not None and (":" in content or "：" in content):
            if "(" in content or "【" in content or "〔" in content or "[" in content:
                for pm in _RESPONSIBILITY_PAREN.finditer(content):
                    _parse_labelled(current, pm.group("body"))
            tail = _RESPONSIBILITY_TAIL.search(content)
            if tail:
                _parse_labelled(current, tail.group("body"))
    if current is not None:
        current.span = Span(current.span.start, min(current.span.end, end))


def _table_items(text: str, table: Table, doc: Document, structure: Structure, section) -> None:
    """A numbered row of a table (a `序号` column) is an item: its title from the content
    column, its responsible units and leaders from theirs."""
    if not (table.has("number") or table.has("units") or table.has("leaders") or table.has("deadline")):
        return  # an indicator table: its rows are measures, not work items
    last = None
    for r, row in enumerate(table.rows):
        end = table.rows[r + 1].start if r + 1 < len(table.rows) else table.end
        if row.number is None:
            if table.has("number"):
                if last is not None and not _cell_text(text, row, "number"):
                    # a merged cell's continuation (`|  |  | 新增学位810个 | 规划科 |`): the item goes on
                    last.span = Span(last.span.start, end)
                    for start, cell_end, role in row.cells:
                        if role == "units":
                            _add_names(last.responsible_units, text[start:cell_end])
                        elif role == "leaders":
                            _add_names(last.responsible_leaders, text[start:cell_end], "leader")
                continue
            row.number = r + 1
        title = ""
        for start, cell_end, role in row.cells:
            if role in ("target", "name") and not title:
                body = text[start:cell_end]
                if "\n" in body:
                    body = _PAGE_BREAK.sub("", body)  # a page number inside a cell cut by a page break
                stop = _SENTENCE_END.search(body)
                title = _clean(body[:stop.start()] if stop else body).rstrip("。")
        item = Item(id=f"d{doc.index}-i{len(doc.items)}", number=row.number, title=title,
                    section=section, span=Span(row.start, end))
        for start, cell_end, role in row.cells:
            if role == "units":
                _add_names(item.responsible_units, text[start:cell_end])
            elif role == "leaders":
                _add_names(item.responsible_leaders, text[start:cell_end], "leader")
        doc.items.append(item)
        structure._item_starts.append(row.start)
        structure._items.append((doc.index, item))
        last = item


_BARE_HEADING = re.compile(r"^[ \t*]*[^\s,，。;；:：、!?|]{4,20}[ \t*]*$")


_HEADING_YEAR = re.compile(r"(?:19|20)\d\d|1[01]\d年")  # also a year of the Republic of China era
_ROC_YEAR_OPENING = re.compile(r"[ \t*#]*1[01]\d年")


def _bare_heading(content: str, lead: str) -> bool:
    """A short line without punctuation, not numbered, that may head a section when it names one."""
    if lead == "(" or lead in _SECTION_LEADS or not 4 <= len(content) <= 26:
        return False
    if lead.isdigit() and not _HEADING_YEAR.match(content.lstrip(" \t*")):
        return False  # an item's number (`11.提高教育教学水平`), not a year (`2026年工作打算`, `113年度…`)
    return bool(_BARE_HEADING.match(content)) and not is_page_chrome(content)


def _numbered_next(lines: list[Line], k: int, n: int) -> bool:
    """Whether a line among the next few opens with item number `n` and a separator."""
    for line in lines[k + 1:k + 12]:
        lead = _number_lead(line.text)
        if lead.isdigit():
            m = _ITEM.match(line.text)
            if m and m.group("sep") and int(m.group("num")) == n:
                return True
    return False


def _cell_text(text: str, row, role: str) -> str:
    return next((text[s:e].strip() for s, e, r in row.cells if r == role), "")


# A document site's page number inside a cell that a page break cut (`高新园(邹区镇` / `2、)`).
_PAGE_BREAK = re.compile(r"[ \t]*\r?\n[ \t]*\d{1,3}、")


def _add_names(target: list[str], body: str, kind: str = "unit") -> None:
    if "\n" in body:
        body = _PAGE_BREAK.sub("", body)
    for name in _names(body, kind):
        if name not in target:
            target.append(name)


def _first_sentence(text: str, line: Line) -> str:
    stop = _SENTENCE_END.search(line.text)
    return _clean(text[line.start:line.start + stop.start() if stop else line.end])


def _heading(text: str, line: Line) -> tuple[str, str]:
    """A section heading up to its first sentence end: `（一）加强组织领导。各校…` -> `（一）加强组织领导`,
    as written and as the view writes it (normalised: its status is read without normalising again)."""
    stop = _SENTENCE_END.search(line.text)
    if stop is None:
        return _clean(text[line.start:line.end]), line.text
    return _clean(text[line.start:line.start + stop.start()]), line.text[:stop.start()]


def _close(item: Item | None, at: int) -> None:
    """End the open item where a new heading or item starts."""
    if item is not None:
        item.span.end = at
    return None
