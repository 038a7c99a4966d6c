"""Lines wrapped by a page's layout, joined back before reading (text pasted from a PDF).

A PDF viewer copies its text line by line: a sentence runs on over several lines of the page's
width, a number may sit at one line's end and its unit at the next line's start (`新增学位1200` /
`个`), and a responsibility list wraps after a `、`. Read as written, every such break would end
a clause (the comparator `不|低于` lost, a unit cut off, a metric halved). A break is joined when
the line before it shows it is no end:

- it ends with a mark that cannot end a line of a plan (`，`, `、`, an opening bracket or quote,
  a dash of a range), or with a number whose unit opens the next line;
- or the text is wrapped at a width (many lines end without punctuation at nearly the same
  width) and the line before reaches that width.

Never joined: a blank line, a line that opens an item, a section, a bullet, a responsibility
label or a table row, a table row itself (`|`, a tab, columns aligned with spaces), a page's
footer. The reading runs on the joined text; `restore` maps every span back, so offsets still
point into the text as submitted.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .lexicon import RESPONSIBILITY_LABELS
from .scan import alternation
from .source import normalise

# A line ending with one of these goes on in the next (the view's ASCII forms).
_OPEN_ENDS = tuple(",、(“《-—~")
# A line ending with a full stop, a colon or a closing bracket ends there.
_CLOSED_ENDS = tuple("。;!?:)”》」』】")
_TERMINAL = re.compile(r"[。;!?:]$")
# What opens a unit of structure, or a line of its own.
_STRUCTURE_START = re.compile(
    r"^(?:#|\*\*|[●•·■□◆◇▪►▶※★☆\-*]|\d{1,3}[.、](?:(?!\d)|(?=(?:19|20)\d\d年))|[一二三四五六七八九十]{1,3}[、.]"
    r"|\([一二三四五六七八九十\d]{1,3}\)|[\d]{1,2}\)|第[一二三四五六七八九十百\d]+[章节条部分篇]"
    r"|[①-⑳⑴-⒇]|附件|附表|附:|"
    + alternation(RESPONSIBILITY_LABELS) + r"|完成时限|完成时间)")
# A bare item number (`27构建…`): digits and no unit after them.
_BARE_ITEM = re.compile(r"^\d{1,3}[\u4e00-\u9fff]")
# The measure words a count at a line's end may find its unit among at the next line's start.
_COUNTED = "个所名人位项次元家间套台场期篇节处条种"
_UNIT_START = re.compile(rf"^(?:[%万亿千百{_COUNTED}]|以上|以下|左右)")
# A unit that ends its clause right there (`个，`, `万元。`): no word that begins with the same
# character (`人民`, `名单`, `元旦` after a table of contents' page number).
_UNIT_CLOSING = re.compile(r"^(?:%|(?:万|亿|千万)?(?:元|人次|人|名|个|所|项|次|家|间|套|台|场|篇|节|处|条|种|位))"
                           r"(?:[,、;。)]|以上|以下|左右|$)")
_PAGE_FOOTER = re.compile(r"^(?:[-—–·~ ]*\d{1,3}[-—–·~ ]*|第\s*\d+\s*页.{0,8})$")
_TABLE_ROW = re.compile(r"[|\t]|\S {2,}\S")
# Cells parted by single spaces: two such spaces, one between Chinese characters (digits spaced out
# in a PDF's text, `2025 年 8 月底前`, are no cells).
_CJK_SPACE_CJK = re.compile(r"[\u4e00-\u9fff] [\u4e00-\u9fff]")
_SINGLE_SPACE = re.compile(r"(?<=\S) (?=\S)")


def _spaced_row(line: str) -> bool:
    """Two single spaces between characters, one between Chinese characters (each test one scan)."""
    if _CJK_SPACE_CJK.search(line) is None:
        return False
    found = _SINGLE_SPACE.search(line)
    return found is not None and _SINGLE_SPACE.search(line, found.end()) is not None
_LABEL_ONLY = re.compile(rf"^(?:{alternation(RESPONSIBILITY_LABELS)})[ \t]*:$")
_MIN_WRAPPED = 4  # lines at the wrap width before a text counts as wrapped
# A line long enough to reach a wrap width, without a closing mark (a candidate for `_wrap_width`).
_LONG_OPEN_LINE = re.compile(r"(?m)^[ \t]*\S[^\n]{14,}(?<![。;!?:)”》」』】 \t\r])[ \t\r]*$")  # (_MIN_WIDTH - 2)
# A line ending where an unwrapped text may still go on: a comma, an open bracket, a dash, a
# label's colon, a digit with its unit on the next line.
_OPEN_LINE_END = re.compile(rf"[,、(“《\-—~:][ \t\r]*\n|[0-9][ \t\r]*\n[ \t]*[%万亿千百{_COUNTED}]")
_CLAUSE_CLOSE = re.compile(rf"(?:\d|%|以上|以下|左右|以内|[{_COUNTED}])$")
_MIN_WIDTH = 16


def _width(line: str) -> float:
    """Display width in full-width characters (ASCII takes half a place); counted in C."""
    return len(line) - 0.5 * len(line.encode("ascii", "ignore"))


@dataclass
class Unwrapped:
    """The joined text and where its cuts were: `cuts[k]` is the joined offset where removed
    text stood, `shift[k]` how much had been removed up to and including it."""
    text: str
    cuts: list[int]
    shift: list[int]

    def original(self, pos: int) -> int:
        """The offset in the submitted text of the character at `pos` in the joined one."""
        k = bisect.bisect_right(self.cuts, pos) - 1
        return pos + (self.shift[k] if k >= 0 else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return self.original(start), self.original(start)
        return self.original(start), self.original(end - 1) + 1


def _wrap_width(lines: list[str]) -> float | None:
    """The width a wrapped text breaks its lines at: the width most lines without a closing mark
    reach (within a character), when enough do."""
    open_lines = [(w, s) for s in lines if len(s) >= _MIN_WIDTH and not s.endswith(_CLOSED_ENDS)
                  for w in (_width(s),) if w >= _MIN_WIDTH and not _TABLE_ROW.search(s)]
    if len(open_lines) < _MIN_WRAPPED:
        return None  # (most texts: their long lines end in 。)
    widths = sorted(w for w, _ in open_lines)
    top = widths[int(len(widths) * 0.75)]
    near_lines = [s for w, s in open_lines if 0.85 * top <= w <= top + 1]
    if len(near_lines) < _MIN_WRAPPED:
        return None
    nonblank = sum(1 for s in lines if len(s) >= 10 and _width(s) >= 10)
    if len(near_lines) < 0.25 * nonblank:
        return None
    # A list of entries without final marks (`全县义务教育巩固率保持在98.5%以上`) ends its lines
    # where its clauses end, on a quantity; a page's wrap falls anywhere.
    if sum(1 for s in near_lines if _CLAUSE_CLOSE.search(s)) * 2 > len(near_lines):
        return None
    return top


def _soft(above: str, below: str, wrap: float | None) -> bool:
    """Whether the break between two non-blank lines (stripped, normalised) is a wrap."""
    if wrap is None and not (above.endswith(_OPEN_ENDS) or above.endswith(":") or above[-1].isdigit()):
        return False  # the usual case, told at once: an unwrapped text's line that ends a clause
    if _TABLE_ROW.search(above) or _TABLE_ROW.search(below) or _PAGE_FOOTER.match(below) or _PAGE_FOOTER.match(above):
        return False
    if (" " in above and _spaced_row(above)) or (" " in below and _spaced_row(below)):
        return False  # columns parted by single spaces (`新增学位 2000个 已新增1450个 72.5%`)
    at_width = wrap is not None and _width(above) >= 0.85 * wrap
    if _STRUCTURE_START.match(below) or (not at_width and _BARE_ITEM.match(below)
                                         and not _UNIT_START.match(below.lstrip("0123456789"))):
        return False  # `27构建…` opens an item; `4个，…` goes on (and any number after a full line)
    if _LABEL_ONLY.match(above):
        return True  # `责任单位：` / `计财股、基建办`
    if _TERMINAL.search(above) or above.endswith(_CLOSED_ENDS):
        return False
    if above.endswith(_OPEN_ENDS):
        return True
    if above[-1].isdigit() and _UNIT_CLOSING.match(below):
        return True  # `新增学位1200` / `个` (a digit after a digit only at the wrap width: `附件1` / `2025年…`)
    return at_width


def _soft_at(view: str, pos: int) -> bool:
    """`_soft` (no wrap width) for a line break found by `_OPEN_LINE_END` (ending at or after `pos`)."""
    brk = view.rfind("\n", 0, pos)
    start = view.rfind("\n", 0, brk) + 1
    end = view.find("\n", brk + 1)
    above = view[start:brk].strip(" \t\r")
    below = view[brk + 1:end if end >= 0 else len(view)].strip(" \t\r")
    return bool(above and below and _soft(above, below, None))


def unwrap(text: str, view: str | None = None) -> Unwrapped | None:
    """The text with its wrapped lines joined, or None when it has none. Linear in the text;
    `view` is its normalised form, when the caller has it."""
    if "\n" not in text:
        return None
    view = normalise(text) if view is None else view
    if len(_LONG_OPEN_LINE.findall(view)) < _MIN_WRAPPED and not any(
            _soft_at(view, m.end()) for m in _OPEN_LINE_END.finditer(view)):
        return None  # no width to wrap at, no line ending where its sentence goes on
    raw_lines = view.split("\n")
    stripped = [ln.strip(" \t\r") for ln in raw_lines]
    wrap = _wrap_width(stripped)
    pieces: list[str] = []
    cuts: list[int] = []
    shift: list[int] = []
    removed = 0
    pos = 0  # offset of the current line in `text`
    out_len = 0
    n = len(raw_lines)
    first_line = next((s for s in stripped if s), "")
    skip_to = -1
    pending_lead = 0
    for k, line in enumerate(raw_lines):
        if k == skip_to:
            pos += pending_lead  # the indentation removed from the line after a footer
        end = pos + len(line)
        if k < skip_to:  # a page's footer or running header inside a sentence: removed
            pos = end + 1
            continue
        joined = None  # the next line this one goes on in, past a footer between them
        if k + 1 < n and stripped[k] and stripped[k + 1]:
            joined = k + 1
            if wrap is not None and _PAGE_FOOTER.match(stripped[k + 1]):
                while joined < n and (not stripped[joined] or _PAGE_FOOTER.match(stripped[joined])
                                      or stripped[joined] == first_line):
                    joined += 1
                if joined >= n or joined - k > 6:
                    joined = None
            if joined is not None and not _soft(stripped[k], stripped[joined], wrap):
                joined = None
        if joined is not None:
            keep = len(line.rstrip(" \t\r"))  # the line without its trailing blanks and \r
            nxt = raw_lines[joined]
            lead = len(nxt) - len(nxt.lstrip(" \t"))  # the next line's indentation
            pieces.append(text[pos:pos + keep])
            out_len += keep
            removed += (len(line) - keep) + 1 + sum(len(raw_lines[i]) + 1 for i in range(k + 1, joined)) + lead
            cuts.append(out_len)
            shift.append(removed)
            raw_lines[joined] = nxt[lead:]
            skip_to, pending_lead = joined, lead
            pos = end + 1
            continue
        pieces.append(text[pos:end + 1] if k + 1 < n else text[pos:end])
        out_len += (end + 1 - pos) if k + 1 < n else (end - pos)
        pos = end + 1
    if not cuts:
        return None
    return Unwrapped("".join(pieces), cuts, shift)
