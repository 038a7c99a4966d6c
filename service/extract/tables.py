"""Tables inside a text: rows of cells with a role per column (targets.md §5, issue "results").

The written forms are read alike:
- pipe rows, one row a line, cells joined by `|` (Markdown tables, and what the .docx and PDF
  converters write for a table), or by tabs, or columns aligned with spaces;
- a table flattened one cell a line (what copying a Word table into a web page leaves): a header
  of short lines naming columns (`序号`, `项目内容`, `当前进度`, `牵头单位` …), then the cells;
- a table whose cells run together (a document site's text of a Word table): `序号项目名称…
  牵头单位1增加教育资源供给实施…教育局2促进…` (see _run_table).
A column's heading gives its role (cues.COLUMN_ROLES): a number in a `完成情况` column is a
result, in a `基期` column a baseline, under `牵头单位` names are responsible units. Rows are
found in one pass over the lines; nothing here looks further than the table it reads.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .cues import COLUMN_ROLES, SUM_ROW_LABELS, TASK_OPENERS
from .lexicon import CURRENCIES, DEPARTMENTS, MAGNITUDES, MEASURE_WORDS, PERCENT_UNITS, UNIT_NAME_SUFFIXES
from .numerals import number_value
from .quantities import Quantity
from .scan import alternation

_YEAR_HEADING = re.compile(r"^(?:19|20)\d\d年(?:度)?(?:目标(?:值)?|基期(?:值)?|现状|实际)?$")
_YEAR_WORD_ROLES = (("基期", "baseline"), ("现状", "baseline"), ("目标", "target"), ("实际", "result"))
_SEPARATOR_ROW = re.compile(r"^[ \t|:\-—=]+$")
_ROW_NUMBER = re.compile(r"^[ \t]*(\d{1,3})[ \t]*$")
_NUMBERED_ROW = re.compile(r"^[ \t]*(?:\d{1,3}[.、．](?![\d%])|[一二三四五六七八九十]{1,3}、)")
_MAX_HEADER_CELL = 14
# A row's cells, most: every reading of a cell's row walks them, so a line of thousands of parts
# would cost its quantities n² (the parts past it are one last cell).
_MAX_ROW_CELLS = 40


@dataclass
class Row:
    start: int
    end: int
    cells: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, role)
    number: int | None = None
    roles: list[str] = field(default_factory=list)  # the table's column roles
    cell_units: dict[int, tuple[int, int]] = field(default_factory=dict)  # the table's, shared
    joined: bool = False  # cells run together: no mark between them bounds a sentence


@dataclass
class Table:
    start: int
    end: int
    roles: list[str]
    rows: list[Row] = field(default_factory=list)
    # the unit a column's heading gives its bare numbers (`计划投资（万元）`), by cell start
    cell_units: dict[int, tuple[int, int]] = field(default_factory=dict)
    heading_units: list[tuple[int, int] | None] = field(default_factory=list)  # (start, end) in the view

    def has(self, role: str) -> bool:
        return role in self.roles


# What a column heading may carry beside its word: white space, Markdown, a colon, brackets, `%`.
_NOISE_CHARS = frozenset("*#:：()（）%")
_HEADING_NOISE = re.compile("[\\s" + "".join(re.escape(c) for c in sorted(_NOISE_CHARS)) + "]")
_ROLE_OF = {w: role for role, words in reversed(COLUMN_ROLES) for w in words}  # first role wins
_ROLE_ORDER = {role: n for n, (role, _) in enumerate(COLUMN_ROLES)}
# The known words by their first and by their last character: a heading is tried only against
# the words it could begin or end with.
_BY_FIRST: dict[str, list[tuple[str, str]]] = {}
_BY_LAST: dict[str, list[tuple[str, str]]] = {}
for _word, _role in _ROLE_OF.items():
    _BY_FIRST.setdefault(_word[0], []).append((_word, _role))
    _BY_LAST.setdefault(_word[-1], []).append((_word, _role))


def column_role(heading: str) -> str | None:
    """`完成情况` → result, `牵头单位` → units, `计划投资` → target (a known word at either end);
    None for a heading that names no known column."""
    h = _HEADING_NOISE.sub("", heading) if not heading.isalnum() else heading
    if not h:
        return None
    role = _ROLE_OF.get(h)
    if role:
        return role
    if h[:2] in ("19", "20") and _YEAR_HEADING.match(h):  # `2020年基期值`, `2025年目标值`, `2025年`
        return next((r for w, r in _YEAR_WORD_ROLES if w in h), "year")
    if len(h) <= 10:
        size = len(h)
        found = [r for w, r in _BY_FIRST.get(h[0], ()) if len(w) < size and h.startswith(w)]
        found += [r for w, r in _BY_LAST.get(h[-1], ()) if len(w) < size and h.endswith(w)]
        if found:
            return min(found, key=_ROLE_ORDER.__getitem__)
    if _YEAR_HEADING.match(h):
        return "year"
    if ("完成" in h or "实际" in h) and not _PLAN_WORD.search(h):
        return "result"  # `1-9月完成投资`, `完成数`, `2024年完成`: what was done
    return None


_PLAN_WORD = re.compile("计划|目标|任务|时限|时间")


def _may_name_column(stripped: str) -> bool:
    """False when `column_role` of this (white-space stripped) line must be None: a known word
    begins or ends the heading, or a year (`2025年`) begins it. Exact where the line's own first
    and last two characters are no noise (then they are the heading's); else it leaves the
    question to `column_role`. Spares the outline lines of a plan, all short, that call."""
    first, last = stripped[0], stripped[-1]
    if first in _NOISE_CHARS or last in _NOISE_CHARS or stripped[1:2] in _NOISE_CHARS or stripped[1:2].isspace():
        return True
    return (first in _BY_FIRST or last in _BY_LAST or stripped[:2] in ("19", "20")
            or "完成" in stripped or "实际" in stripped)


def _resolve_years(roles: list[str], headings: list[str]) -> list[str]:
    """Two year columns (`2020年`, `2025年`): the earlier is the baseline, the later the target."""
    years = [(int(re.match(r"\d{4}", headings[k]).group()), k) for k, r in enumerate(roles) if r == "year"]
    if len(years) >= 2:
        years.sort()
        roles[years[0][1]] = "baseline"
        for _, k in years[1:]:
            roles[k] = "target"
    for k, r in enumerate(roles):
        if r == "year":
            roles[k] = "target"
    return roles


def _header_ok(roles: list[str | None]) -> bool:
    known = [r for r in roles if r]
    return len(known) >= 2 and any(r in ("result", "baseline", "units", "deadline", "target", "year", "number", "leaders")
                                   for r in known)


def find_tables(lines, view: str) -> list[Table]:
    """Every table in the text, in order. `lines` are structure.Line objects of the view."""
    tables: list[Table] = []
    i = 0
    n = len(lines)
    pipes = "|" in view
    tabs = "\t" in view  # cells pasted from a spreadsheet or a Word table: one row a line
    while i < n:
        line = lines[i]
        text = line.text
        if pipes and text.count("|") >= 2 and not _SEPARATOR_ROW.match(text):
            table, i = _pipe_table(lines, i)
            if table:
                tables.append(table)
            continue
        if tabs and (text.count("\t") >= 2 or (  # two columns: a tab inside, and the next row too
                "\t" in text.strip() and i + 1 < n and "\t" in lines[i + 1].text.strip())) and text.strip():
            table, i = _pipe_table(lines, i, "\t")
            if table:
                tables.append(table)
            continue
        if (" " in text and len(text) <= 2 * _MAX_HEADER_CELL * 3 and "  " not in text.strip()
                and _single_spaced_header(text)):
            table, nxt = _pipe_table(lines, i, " ")
            if table:
                tables.append(table)
                i = nxt
                continue
        if "  " in text and len(text) <= 2 * _MAX_HEADER_CELL * 3 and _spaced_header(line):
            table, nxt = _pipe_table(lines, i, _SPACED)
            if table:
                tables.append(table)
                i = nxt
                continue
        if ("序号" in text or "编号" in text) and _RUN_HEADER.search(text):
            table, nxt = _run_table(lines, i)  # a header of column words written as one
            if table:
                tables.append(table)
                i = nxt
                continue
        if line.end - line.start > 2 * _MAX_HEADER_CELL:
            i += 1
            continue
        stripped = text.strip()
        if (stripped and len(stripped) <= _MAX_HEADER_CELL and _may_name_column(stripped)
                and column_role(text) and _short_lines_follow(lines, i)):
            table, nxt = _flat_table(lines, i, view)
            if table:
                tables.append(table)
                i = nxt
                continue
        i += 1
    return tables


def _short_lines_follow(lines, i: int) -> bool:
    """A flattened header is three short lines or more (blank lines between): look before reading."""
    short = 0
    for line in lines[i + 1:i + 7]:
        n = line.end - line.start
        if n == 0 or not line.text.strip():
            continue
        if n > 2 * _MAX_HEADER_CELL:
            return False
        short += 1
        if short == 2:
            return True
    return False


# Columns aligned with spaces (a PDF's table copied as text): cells are runs of text in which a
# single space may stand; two spaces or more (or an ideographic space) part them.
_SPACED = "spaces"
_SPACED_CELL = re.compile(r"[^\s|]+(?: [^\s|]+)*")


def _spaced_header(line) -> bool:
    """A header of three columns or more set apart by spaces, every heading short, two known."""
    cells = _SPACED_CELL.findall(line.text)
    if len(cells) < 3 or len(cells) > 12 or any(len(c) > _MAX_HEADER_CELL for c in cells):
        return False
    return _header_ok([column_role(c) for c in cells])


_UNIT_WORDS = list(MEASURE_WORDS) + list(CURRENCIES) + list(PERCENT_UNITS)
_UNIT_FIRST = re.compile(alternation(_UNIT_WORDS))
_SPACED_NUMBER = re.compile(r"[\d.,]+%?$")
_AFTER_NUMBER_WORDS = ("以上", "以下", "以内", "左右")


def _join_units(line, spans, columns: int):
    """Cells parted by single spaces: a measure word after a number (`3000 个`) is the number's;
    where a row holds more parts than the table has columns, a space inside a cell parted it
    (`招聘教师 120 名`, `参与率 95% 以上`): a bare number joins the text before it, and what only
    goes on from a number (a unit, `以上`) joins the number. Never onto the row's number."""
    def text(span):
        return line.text[span[0] - line.start:span[1] - line.start]

    out = []
    for span in spans:
        if (span is not None and len(out) > 1 and out[-1] is not None
                and (_is_unit(text(span)) or text(span).startswith(_AFTER_NUMBER_WORDS))
                and text(out[-1])[-1:].isdigit() | text(out[-1]).endswith("%")):
            out[-1] = (out[-1][0], span[1])
            continue
        out.append(span)
    extra = len(out) - columns  # parts to join back (one pass, no deletion inside the list)
    joined = out[:2]
    for span in out[2:]:
        before = joined[-1]
        if extra > 0 and span is not None and before is not None and len(joined) > 1:
            digit_before = text(before)[-1:].isdigit()
            if ((_SPACED_NUMBER.match(text(span).split(" ")[0]) and not digit_before)
                    or (_UNIT_FIRST.match(text(span)) and digit_before)):
                joined[-1] = (before[0], span[1])
                extra -= 1
                continue
        joined.append(span)
    return joined


def _single_spaced_header(text: str) -> bool:
    """A header of column words parted by single spaces (`序号 项目名称 年度目标 完成情况`): Chinese
    cells hold no space, so one parts them, but only where every heading is a known column word."""
    headings = text.strip().split(" ")
    if not 3 <= len(headings) <= 12 or any(not h or len(h) > _MAX_HEADER_CELL for h in headings):
        return False
    roles = [column_role(h) for h in headings]
    return all(roles) and _header_ok(roles)


def _cells(line, sep: str = "|") -> list[tuple[int, int] | None]:
    """The cells of a row. Between pipes an empty part is a border (`| a | b |`) and is dropped;
    between tabs it is an empty cell, kept (as None) so that the cells after it stay in their
    columns; aligned with spaces, an empty cell cannot be told (the row reads as written)."""
    text = line.text
    if sep == _SPACED:
        return [(line.start + m.start(), line.start + m.end()) for m in _SPACED_CELL.finditer(text)]
    out: list[tuple[int, int] | None] = []
    pos = 0
    parts = text.split(sep)
    for k, part in enumerate(parts):
        a = pos
        pos += len(part) + 1
        stripped = part.strip(" \t\u3000")
        if not stripped:
            if sep == "\t" or 0 < k < len(parts) - 1:
                out.append(None)  # an empty cell (a merged one's continuation: `|  |  | 810个 |`)
            continue
        lead = len(part) - len(part.lstrip(" \t\u3000"))
        out.append((line.start + a + lead, line.start + a + lead + len(stripped)))
    while out and out[-1] is None:
        out.pop()
    return out


def _is_unit(word: str) -> bool:
    return word in CURRENCIES or word in MEASURE_WORDS or word in PERCENT_UNITS


def _heading_unit(header, span) -> tuple[int, int] | None:
    """Where a column heading writes its unit in brackets (`计划投资（万元）`): the heading's span,
    read by `bare_values` as a row's name is."""
    text = header.text[span[0] - header.start:span[1] - header.start]
    m = _LABEL_UNIT.search(text)
    return span if m and _is_unit(m.group("unit")) else None  # not `2026年（目标）`


def _separators(text: str, sep: str) -> int:
    """How many cell boundaries a line holds (for spaces: cells found, less one)."""
    if sep == _SPACED:
        return len(_SPACED_CELL.findall(text)) - 1 if "  " in text or "\u3000" in text else 0
    return text.count(sep)


# A heading that names no known column but writes a unit in brackets (`总投资（万元）`,
# `推荐名额（名）`) heads a column of values: the plan's, unless a column of results says otherwise.
_UNIT_WORD_ROLE = "target"


def _pipe_table(lines, i, sep: str = "|"):
    """A table written one row a line, cells between pipes (or tabs, with `sep`)."""
    header = lines[i]
    spans = [c for c in _cells(header, sep) if c is not None]
    headings = [header.text[s - header.start:e - header.start] for s, e in spans]
    roles = [column_role(h) or (_UNIT_WORD_ROLE if _LABEL_UNIT.search(h) else None) for h in headings]
    k = i + 1
    if not _header_ok(roles):
        while k < len(lines) and _separators(lines[k].text, sep) >= 2:
            k += 1
        return None, k
    roles = _resolve_years([r or "other" for r in roles], headings)
    table = Table(start=header.start, end=header.end, roles=roles)
    table.heading_units = [_heading_unit(header, span) for span in spans]
    while k < len(lines) and (_separators(lines[k].text, sep) >= 1 or not lines[k].text.strip()):
        line = lines[k]
        if not line.text.strip():
            if k + 1 < len(lines) and _separators(lines[k + 1].text, sep) >= 1:
                k += 1
                continue
            break
        if _SEPARATOR_ROW.match(line.text):
            k += 1
            continue
        spans = _cells(line, sep)
        if sep == " ":
            spans = _join_units(line, spans, len(roles))
        if len(spans) > _MAX_ROW_CELLS:  # no table has so many columns: the rest is one last cell
            rest = [c for c in spans[_MAX_ROW_CELLS - 1:] if c is not None]
            spans = spans[:_MAX_ROW_CELLS - 1] + ([(rest[0][0], rest[-1][1])] if rest else [])
        while spans and spans[0] is None and len(spans) > len(roles):
            spans.pop(0)  # indentation before the first cell, not an empty one
        row = Row(start=line.start, end=line.end, roles=roles, cell_units=table.cell_units)
        for c, span in enumerate(spans):
            if span is not None:
                row.cells.append((span[0], span[1], roles[c] if c < len(roles) else "other"))
                if c < len(table.heading_units) and table.heading_units[c] is not None:
                    table.cell_units[span[0]] = table.heading_units[c]
        _number_row(row, line.text, lines[k].start)
        table.rows.append(row)
        table.end = line.end
        k += 1
    return table, k


def _number_row(row: Row, _text: str, _start: int) -> None:
    for s, e, role in row.cells:
        if role == "number":
            m = _ROW_NUMBER.match(_text[s - _start:e - _start])
            if m:
                row.number = int(m.group(1))
            return


def _flat_table(lines, i, view):
    """A header of short cells one a line (blank lines between), then rows of as many cells."""
    headings, spans = [], []
    k = i
    while k < len(lines) and len(headings) < 12:
        t = lines[k].text.strip()
        if not t:
            k += 1
            continue
        if len(t) > _MAX_HEADER_CELL or not column_role(t) and not (headings and len(t) <= 4):
            break
        headings.append(t)
        spans.append(k)
        k += 1
    roles = [column_role(h) for h in headings]
    while roles and roles[-1] is None:  # a trailing short line that is already a cell
        roles.pop(), headings.pop(), spans.pop()
    if len(roles) >= 2 and roles[0] == roles[1] == "name":  # a caption (`主要指标`) above `指标`
        roles.pop(0), headings.pop(0), spans.pop(0)
        i = spans[0]
    if len(headings) < 3 or not _header_ok(roles):
        return None, i + 1
    k = spans[-1] + 1
    roles = _resolve_years([r or "other" for r in roles], headings)
    table = Table(start=lines[i].start, end=lines[spans[-1]].end, roles=roles)
    numbered = roles[0] == "number"
    first = next((ln.text.strip() for ln in lines[k:k + 4] if ln.text.strip()), "")
    # Rows neither numbered nor led by `1.`/`一、` (`指标` / `2020年` / `2025年` / `属性`, then
    # `学前教育毛入园率(%)` / `89.5` / …) are counted off, as many cells a row as headings.
    counted = not numbered and not _NUMBERED_ROW.match(first)
    cells: list = []
    expected = 1
    limit = min(len(lines), k + 60 * len(roles))
    while k < limit:
        line = lines[k]
        t = line.text.strip()
        k += 1
        if not t:
            continue
        if counted and (len(t) > 2 * _MAX_HEADER_CELL or _NUMBERED_ROW.match(t) or t.startswith("(")):
            k -= 1
            break  # a paragraph or the next heading: the table has ended
        starts_row = (numbered and _ROW_NUMBER.match(t) and int(t) == expected) or (
            not numbered and not counted and _NUMBERED_ROW.match(t)) or (
            counted and len(cells) in (0, len(roles)))
        if starts_row:
            if cells:
                _flat_row(table, cells, view)
            cells = []
            if numbered:
                expected += 1
        elif not cells:
            if table.rows:
                break  # text after the last row
            continue
        elif numbered and len(cells) >= len(roles) and len(t) > 2 * _MAX_HEADER_CELL and t.endswith("。"):
            k -= 1
            break  # a paragraph after the last row's cells (`下一步，…。`): the table has ended
        lead = len(line.text) - len(line.text.lstrip())
        cells.append((line.start + lead, line.start + lead + len(t)))
        table.end = line.end
    if cells:
        _flat_row(table, cells, view)
    return (table if table.rows else None), k


# A Word table whose cells run together, as a document site's text layer gives it: the header is
# its column words written as one (`序号项目名称主要内容区政府分管领导牵头单位配合单位`), row 1
# follows at once, and every row opens with its number, 1, 2, 3 … in turn (a number a measure word
# follows is a quantity of the row before). In a row, the name runs to the verb that opens the
# content (`增加教育资源供给` | `实施新建…`); after a sentence end, a leader's name and the units
# answering for the content before them (`何海平` `教育局` `经开区` `高新园(邹区镇)` …) are parted
# where a known department begins and where a unit's name ends, until the next verb (a merged cell:
# more content and more names follow in the same row). The site's page numbers are already out of
# the lines (structure.split_lines); a header repeated at a page's top ends the row before it.
_RUN_WORD = r"(?:[区县市镇]政府|[区县市]级|[\u4e00-\u9fff]{0,2}?)(?:" + alternation(_ROLE_OF) + ")"
_RUN_HEADER = re.compile(r"(?:序号|编号)(?:" + _RUN_WORD + "){2,10}")
_RUN_HEADER_WORD = re.compile(_RUN_WORD)
_RUN_ROW = re.compile(r"(?<![\d.,%])(\d{1,3})(?=[\u4e00-\u9fff“\"])")
_QUANTITY_AFTER = re.compile(alternation(
    _UNIT_WORDS + list(MAGNITUDES) + ["年", "月", "日", "号", "时", "天", "周", "岁", "倍", "元", "届", "期", "批", "类", "级", "星"]))
# Where a cell ends, a row number followed by what could be a measure word still opens a row
# (`…区教育局2名师培养…`, `…8月底前2项目建设…`): a unit's name, a sentence or a time limit ends there.
_CELL_END = frozenset("。;；局委办镇乡厅科股处室司道府团)）")
# A row that ends with a unit's name and a leader's (`…区大数据中心刘振东2校舍安全改造…`).
_UNIT_THEN_NAME = re.compile(r"(?:局|委|办|街道|公司|集团|中心|政府|管委会|科|股|处|室)[\u4e00-\u9fff]{2,3}$")
_DEADLINE_END = frozenset("前底末旬月内")
# A section row inside the table (`一、基础教育`) between the header or a row and the next row.
_SECTION_ROW = re.compile(r"[一二三四五六七八九十]{1,3}、[^\d,，。;；]{1,12}?(?=\d)")
# A page number the lines still hold (a short page): `2、` opening a line that goes on with the last.
_PAGE_PREFIX = re.compile(r"[ \t]*\d{1,3}、")
_TASK_OPENER = re.compile(alternation(TASK_OPENERS))
# What names a task rather than opens its content (`北坪中学扩建项目`, `平安校园建设完成…`).
_TITLE_TAIL = re.compile(r"项目|工程|行动|计划|工作|活动|任务")
# A verb that may end a task's name before the verb opening its content (`平安校园建设` | `完成…`).
_TITLE_LAST_VERBS = frozenset(("建设", "提升", "改造", "创建", "推进", "提质", "扩容"))
_DEPARTMENT = re.compile(r"(?:[区县市州镇各])?(?:" + alternation(DEPARTMENTS) + ")")
_SUFFIX = "(?:" + alternation(UNIT_NAME_SUFFIXES) + ")"
# the shortest name to a suffix, and the suffixes right after it (`各乡` + `镇`, `各区` + `县` + `政府`)
_UNIT_NAME = re.compile(r"(?:各[\u4e00-\u9fff]{0,6}?|[\u4e00-\u9fff]{1,6}?)" + _SUFFIX + "+"
                        + r"(?:[(（][^()（）\n]{1,8}[)）])?")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")
# A time-limit cell: `8月底前`, `2024年8月`, `2024年12月底前`, `年底前`, `年内`, `长期`.
_DEADLINE_CELL = re.compile(r"(?:20\d\d年)?(?:\d{1,2}月(?:\d{1,2}日)?|年底|年内|上半年|下半年|全年|长期|持续推进)"
                            r"(?:上旬|中旬|下旬|底|末)?(?:前|以前|之前)?(?:完成)?|20\d\d年(?:底|内)?(?:前)?")
_DEADLINE_START = re.compile(r"(?<![\d年])(?:20\d\d年|\d{1,2}月|年底|年内)")
_SENTENCE_STOP = re.compile(r"[。;；]")
_NAME_STOP = re.compile(r"[,，。;；:：、(（“\s\d]")
_SENTENCE_CLOSE = frozenset("。;；!?！？")
_RUN_LINES = 400  # lines (pages) one table may span
_MAX_LEADERS = 4
_PLACES = frozenset("区县市州镇")


def _run_table(lines, i):
    """A table whose cells run together, its header in line `i` (see above)."""
    header = _RUN_HEADER.search(lines[i].text)
    # the table's text: line i from the header on, then the lines that go on with it (a page
    # that continues the sentence, a row or a repeated header opening a line), without breaks
    pieces, starts, offsets = [], [], []
    size = 0
    k = i
    while k < len(lines) and k - i < _RUN_LINES:
        line = lines[k]
        text = line.text[header.start():] if k == i else line.text
        if k > i and not line.continues:
            page = _PAGE_PREFIX.match(text)
            rest = text[page.end():] if page else text
            if not (_RUN_ROW.match(rest) or _RUN_HEADER.match(rest)
                    or (page and pieces and pieces[-1][-1:] not in _SENTENCE_CLOSE)):
                break
            text = rest
        starts.append(size)
        offsets.append(line.end - len(text))
        pieces.append(text)
        size += len(text)
        k += 1
    run = "".join(pieces)

    def at(pos: int) -> int:  # the view's offset of a character of `run`
        n = bisect.bisect_right(starts, pos) - 1
        return offsets[n] + pos - starts[n]

    head = run[:header.end() - header.start()]
    roles = [column_role(m.group()) or "other" for m in _RUN_HEADER_WORD.finditer(head)]
    if roles[0] != "number" or "result" in roles or "baseline" in roles:
        return None, i + 1  # a column of results would need its cells told from the content's
    if "name" not in roles and roles.count("target") >= 2:
        roles[roles.index("target")] = "name"  # `工作任务` / `目标任务`: the task, then its figures
    first = len(head)
    section = _SECTION_ROW.match(run, first)
    if section:
        first = section.end()
    row_starts = []
    expected = 1
    for m in _RUN_ROW.finditer(run, first):
        if int(m.group(1)) != expected:
            continue
        if expected == 1 and m.start() != first:
            return None, i + 1  # row 1 follows the header at once
        if expected > 1 and _QUANTITY_AFTER.match(run, m.end()):
            before = run[m.start() - 1]
            if not (before in _CELL_END or ("deadline" in roles and before in _DEADLINE_END)
                    or _UNIT_THEN_NAME.search(run, max(0, m.start() - 16), m.start())):
                continue  # `新建幼儿园2所`: a quantity of the row before
        row_starts.append(m.start())
        expected += 1
    if len(row_starts) < 2:
        return None, i + 1
    repeats = []
    found = run.find(head, len(head))
    while found >= 0:
        repeats.append(found)
        found = run.find(head, found + len(head))
    table = Table(start=lines[i].start, end=lines[k - 1].end, roles=roles)
    for n, start in enumerate(row_starts):
        end = row_starts[n + 1] if n + 1 < len(row_starts) else len(run)
        cut = bisect.bisect_right(repeats, start)
        if cut < len(repeats) and repeats[cut] < end:
            end = repeats[cut]
        cells = _run_row(run, start, end, roles)
        if len(cells) > _MAX_ROW_CELLS:
            cells = cells[:_MAX_ROW_CELLS - 1] + [(cells[_MAX_ROW_CELLS - 1][0], cells[-1][1], "other")]
        row = Row(start=at(start), end=at(end - 1) + 1, roles=roles, number=n + 1, joined=True,
                  cells=[(at(s), at(e - 1) + 1, role) for s, e, role in cells if e > s])
        table.rows.append(row)
    return table, k


def _run_row(run: str, start: int, end: int, roles: list[str]):
    """The cells (start, end, role) of one row of a run-together table, in `run`'s offsets."""
    number_end = start + len(_RUN_ROW.match(run, start).group(1))
    cells = [(start, number_end, "number")]
    pos = number_end
    if "name" in roles:
        stop = _NAME_STOP.search(run, pos, min(end, pos + 24))
        limit = stop.start() if stop else min(end, pos + 20)
        for opener in _TASK_OPENER.finditer(run, pos + 4, limit):
            if not _TITLE_TAIL.match(run, opener.end()) and not (
                    opener.group() in _TITLE_LAST_VERBS and _TASK_OPENER.match(run, opener.end())):
                cells.append((pos, opener.start(), "name"))
                pos = opener.start()
                break
    content = pos
    if "units" in roles or "leaders" in roles:
        # a sentence's end closes a cell of content; so may a time limit (`…1620个12月底前郭宏伟…`)
        ends = [m.end() for m in _SENTENCE_STOP.finditer(run, pos, end)]
        if "deadline" in roles:
            ends = sorted(set(ends + [m.start() for m in _DEADLINE_START.finditer(run, pos, end)]))
        for at in ends:
            if at <= content:
                continue
            found = _responsibility(run, at, end, roles)
            if found:
                cells.append((content, at, "target"))
                cells.extend(found)
                content = found[-1][1]
    if content < end:
        cells.append((content, end, "target"))
    return cells


def _unit_end(run: str, pos: int, end: int) -> int | None:
    if _TASK_OPENER.match(run, pos):
        return None
    m = _DEPARTMENT.match(run, pos, end) or _UNIT_NAME.match(run, pos, end)
    if m is None:
        return None
    if m.end() - pos > 2 and run[m.end() - 1] in _PLACES and _DEPARTMENT.match(run, m.end() - 1, end):
        return m.end() - 1  # `区公安分局` + `区应急管理局`: the place opens the next unit
    return m.end()


def _deadline(run: str, pos: int, end: int):
    m = _DEADLINE_CELL.match(run, pos, end)
    return (pos, m.end(), "deadline") if m and m.end() - pos >= 2 else None


def _leaders(run: str, pos: int, end: int, before_unit: bool) -> list[tuple[int, int, str]]:
    """Leaders' names at `pos` (`赵立军、孙美华`): each 2 to 4 characters, the last followed by a
    department (`before_unit`) or by a time limit, the row's end or nothing of a name."""
    names = []
    while len(names) < _MAX_LEADERS:
        for size in (3, 2, 4):
            nxt = pos + size
            if nxt > end or not _CJK_NAME.fullmatch(run, pos, nxt):
                continue
            if run[nxt:nxt + 1] in ("、", ",", "，") and _CJK_NAME.match(run, nxt + 1, min(end, nxt + 3)):
                names.append((pos, nxt, "leaders"))
                pos = nxt + 1
                break
            if before_unit and size > 2 and run[nxt - 1] in _PLACES and _DEPARTMENT.match(run, nxt - 1, end):
                continue  # `沈佳` + `市教育局`, not `沈佳市` + `教育局`
            if (_DEPARTMENT.match(run, nxt, end) if before_unit else (
                    nxt == end or not ("\u4e00" <= run[nxt] <= "\u9fff") or _deadline(run, nxt, end))):
                names.append((pos, nxt, "leaders"))
                return names
        else:
            return []
    return []


def _responsibility(run: str, pos: int, end: int, roles: list[str]):
    """The time limit, leaders' names and units written together after a sentence of content
    (`何海平教育局经开区…`, `8月底前赵立军区教育局`, `县教育局韩冬梅2024年8月`), as cells, or None
    where the text there is more content."""
    cells = []
    has_deadline = "deadline" in roles
    limit = _deadline(run, pos, end) if has_deadline else None
    if limit:
        cells.append(limit)
        pos = limit[1]
    leaders_first = "leaders" in roles and ("units" not in roles or roles.index("leaders") < roles.index("units"))
    if leaders_first:
        names = _leaders(run, pos, end, True)
        cells += names
        pos = names[-1][1] if names else pos
    units = 0
    while pos < end:
        unit_end = _unit_end(run, pos, end)
        if unit_end is None:
            break
        cells.append((pos, unit_end, "units"))
        units += 1
        pos = unit_end
        if run[pos:pos + 1] in ("、", ",", "，"):
            pos += 1
    if not units:
        return None
    if "leaders" in roles and not leaders_first:
        names = _leaders(run, pos, end, False)
        cells += names
        pos = names[-1][1] if names else pos
    if has_deadline and not limit:
        limit = _deadline(run, pos, end)
        if limit:
            cells.append(limit)
    return cells


_VALUE_CELL = re.compile(r"^[\d.,]+[ \t]*[^\d\s]{0,4}?(?:以上|以下|以内|左右)?$")


def _flat_row(table: Table, cells: list[tuple[int, int]], view: str) -> None:
    roles = table.roles
    row = Row(start=cells[0][0], end=cells[-1][1], roles=roles)
    if len(cells) <= len(roles):
        assigned = roles[:len(cells)]
    else:
        assigned = _by_content(roles, [view[s:e] for s, e in cells])
    row.cells = [(s, e, r) for (s, e), r in zip(cells, assigned)]
    table.rows.append(row)
    if roles[0] == "number":
        row.number = len(table.rows)


def _by_content(roles: list[str], texts: list[str]) -> list[str]:
    """A row with more lines than columns (`其中:小学 / 初中`, then two values per column): value
    cells are shared out in column order, the lines before them continue the first column."""
    value_roles = [r for r in roles if r in ("baseline", "target", "result")]
    values = [k for k, t in enumerate(texts) if _VALUE_CELL.match(t.strip())]
    if not value_roles or not values:
        return [roles[0]] * len(texts)
    out = [roles[0]] * len(texts)
    per_column = max(1, len(values) // len(value_roles))
    for n, k in enumerate(values):
        out[k] = value_roles[min(n // per_column, len(value_roles) - 1)]
    tail = roles[roles.index(value_roles[-1]) + 1:]
    for n, k in enumerate(range(values[-1] + 1, len(texts))):
        out[k] = tail[n] if n < len(tail) else "other"
    return out


# An indicator table writes the unit once, in the row's name (`学前教育毛入园率（%） | 89.5 | 95`,
# `新增学位（万个） | — | 12`), and bare numbers in its cells, a comparator beside some (`≥90`,
# `96以上`, `60左右`).
_LABEL_UNIT = re.compile(r"[(（][ \t]*(?P<mag>万|亿|千)?(?P<unit>[^\s()（）\d]{1,4})[ \t]*[)）][ \t]*$")
# A plan's table writes a total over its five years in brackets (`〔4.5〕`, `[6000]`).
_BARE_VALUE = re.compile(r"(?:≥|≤|⩾|⩽|不低于|不少于|不超过|不高于|约)?[ \t]*[〔\[［]?[ \t]*(?P<num>\d{1,9}(?:\.\d{1,4})?)"
                         r"[ \t]*[〕\]］]?[ \t]*(?:以上|以下|以内|左右)?")
_VALUE_ROLES = frozenset(("target", "baseline", "result"))
_SUM_ROWS = frozenset(SUM_ROW_LABELS)
_UNIT_CELL = re.compile(r"(?P<mag>万|亿|千)?(?P<unit>[^\s()（）\d]{1,4})")
_PER_HEAD_WORDS = ("生均", "人均", "每")


def bare_values(view: str, tables: list[Table]):
    """Quantities for the bare numbers of indicator tables, with the unit their row's name gives
    (a percentage, a measure word, money in 万元/亿元 that is no amount per head)."""
    def read_unit(m, words: str = ""):
        """(unit, magnitude) of a matched unit word, or None: money only in 万/亿 and not per head
        (`生均…（元）` is an amount per head: its unit is not the cell's)."""
        unit, magnitude = m.group("unit"), m.group("mag") or ""
        if unit == "个百分点":
            unit = "百分点"
        if not _is_unit(unit) or unit in CURRENCIES and (not magnitude or any(w in words for w in _PER_HEAD_WORDS)):
            return None
        return unit, magnitude

    def unit_written(cell: str):
        """A 单位 column's cell (`%`, `所`, `万元`) as (unit, magnitude), or None."""
        m = _UNIT_CELL.fullmatch(cell)
        return read_unit(m) if m else None

    def unit_of(span):
        """(unit, magnitude) a row's name or a column's heading writes in brackets, or None."""
        m = _LABEL_UNIT.search(view, span[0], span[1]) if span else None
        return read_unit(m, view[span[0]:span[1]]) if m else None

    for table in tables:
        if not any(r in _VALUE_ROLES for r in table.roles) and not table.cell_units and "measure" not in table.roles:
            continue
        for row in table.rows:
            label = next(((s, e) for s, e, role in row.cells if role == "name"), None)
            if label is None and row.cells and row.cells[0][2] not in _VALUE_ROLES:
                label = row.cells[0][:2]
            if row.cells and view[row.cells[0][0]:row.cells[0][1]].strip() in _SUM_ROWS:
                continue  # `合计 | | 9800`: the sum of the rows above, not one more measure
            row_unit = unit_of(label)
            if row_unit is None and "measure" in table.roles:
                cell = next(((s, e) for s, e, role in row.cells if role == "measure"), None)
                row_unit = unit_written(view[cell[0]:cell[1]].strip()) if cell else None
            for start, end, role in row.cells:
                column_unit = unit_of(table.cell_units.get(start)) if table.cell_units else None
                found = column_unit or (row_unit if role in _VALUE_ROLES else None)
                if found is None:
                    continue
                unit, magnitude = found
                v = _BARE_VALUE.fullmatch(view, start, end)
                if not v:
                    continue
                value = number_value(v.group("num"), magnitude)
                if value is None:
                    continue
                a, b = v.span("num")
                yield Quantity(a, b, value, None, False, unit, None, None, b)
