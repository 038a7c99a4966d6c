"""The one compiled pattern that finds every quantity: a number (or a range of two), an optional
magnitude, an optional `余`/`多`, and a unit: a measure word, a currency, `%` or `百分点`.

A number without a unit is never a target (years, item numbers, codes and page numbers all lack
one), so requiring the unit is the first and cheapest exclusion.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import regex

from .lexicon import (
    COMPARATORS_INFIX,
    CURRENCIES,
    DURATION_NOUNS,
    DURATION_UNITS,
    SCORE_NOUNS,
    SCORE_UNITS,
    LIST_CUES,
    LIST_JOINERS,
    MAGNITUDES,
    MEASURE_WORDS,
    MONEY_NOUNS,
    UNITS_NOT_BEFORE,
    PERCENT_UNITS,
)
from .numerals import CN_NUMERAL_CHARS, MAX_NUMBER_LENGTH, number_value
from .scan import alternation


# Runs of digits are bounded (MAX_NUMBER_LENGTH): a longer run matches nothing, so it is no
# quantity, and no backtracking ever walks back over a run of a million digits. What the pattern
# still lets through (a long `1,000,000,…`, `一万一万…`) number_value refuses by its length.
_N = MAX_NUMBER_LENGTH
_AR = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d{{1,{_N}}})(?:\.\d{{1,{_N}}})?"
_CN = (rf"[{CN_NUMERAL_CHARS}]{{1,{_N}}}(?:[万亿][{CN_NUMERAL_CHARS}]{{1,{_N}}})*"
       rf"(?:点[{CN_NUMERAL_CHARS}]{{1,{_N}}})?")
_MAG = alternation(MAGNITUDES)
_SP = r"[ ]?"  # a space as Word puts one; a tab parts a table's cells (`3500\t人事股`)
_DASH = r"(?:-{1,2}|—{1,2}|–|~|至|到)"


def _magnitude(tag: str) -> str:
    return rf"(?:{_SP}(?:(?P<{tag}more>{alternation(COMPARATORS_INFIX)}){_SP})?(?P<{tag}mag>{_MAG}))?"


def _number(tag: str) -> str:
    return (rf"(?:(?P<{tag}ar>(?<![\d.A-Za-z]){_AR})|(?P<{tag}cn>(?<![{CN_NUMERAL_CHARS}万亿]){_CN}))"
            + _magnitude(tag))


_UNITS = list(PERCENT_UNITS) + list(CURRENCIES) + list(MEASURE_WORDS) + list(DURATION_UNITS)


def _unit_alternation() -> str:
    """The units, the longer first; one that starts a longer word is no unit there (`5个班级`
    counts 个 of 班级, not 班)."""
    return "|".join(re.escape(w) + (f"(?!{alternation(UNITS_NOT_BEFORE[w])})" if w in UNITS_NOT_BEFORE else "")
                    for w in sorted(set(_UNITS), key=len, reverse=True))


def _first_chars(words) -> str:
    """A character class of the words' first characters: a cheap test before a long alternation."""
    return "".join(regex.escape(c) for c in sorted({w[0] for w in words}))


# What follows a quantity's (first) number: a range's second number, 余/多, the unit.
_AFTER_FIRST_NUMBER = (
    rf"(?:[ \t]*(?P<dash>{_DASH})[ \t]*" + _number("b") + ")?"
    + rf"{_SP}(?P<infix>{alternation(COMPARATORS_INFIX)})?{_SP}"
    + rf"(?=[{_first_chars(_UNITS)}])(?P<unit>{_unit_alternation()})"
    + rf"(?P<alt>\((?:{alternation(MEASURE_WORDS)})+\))?")

#: The quantity as first written: 百分之 and a number, or a number (or a range of two) with its
#: magnitude, 余/多 and unit. QUANTITY below finds the same matches faster; a test holds the two
#: equal (this one compiled by `regex`) on the seeds, the corpus and generated text.
QUANTITY_REFERENCE = (
    rf"(?=[\d{CN_NUMERAL_CHARS}百])(?:"
    r"(?P<pct>百分之(?P<pctnum>" + _AR + "|" + _CN + r"))"
    r"|(?:" + _number("a") + _AFTER_FIRST_NUMBER + "))"
)


# QUANTITY_REFERENCE rewritten to begin with a character class (`lead`: the number's first
# character, or the 百 of 百分之; `[0-9]` where the reference has `\d`, which scans slower and
# means the same on a view, whose digits are ASCII), so that the standard engine skips in C to
# such characters (scanning for QUANTITY_REFERENCE, `regex` spent ~600 instructions on every
# character); the number's lookbehinds then look past `lead`, and `aar`/`acn` hold the number
# after it. Half the time of the reference's scan.
_AR_REST = rf"(?:\d{{0,2}}(?:,\d{{3}})+|\d{{0,{_N - 1}}})(?:\.\d{{1,{_N}}})?"
_CN_REST = (rf"[{CN_NUMERAL_CHARS}]{{0,{_N - 1}}}(?:[万亿][{CN_NUMERAL_CHARS}]{{1,{_N}}})*"
            rf"(?:点[{CN_NUMERAL_CHARS}]{{1,{_N}}})?")
# What may follow `lead` in a match: more of the number, a magnitude, 余/多, a range's dash, a space,
# a unit, or the 分 of 百分之. Most numeral characters in running text (统一, 进一步, 二十大) are
# followed by none of these, and this one test refuses them before the alternatives are tried.
_FOLLOW_LEAD = "".join(sorted(
    set("0123456789,.万亿点 \t-—–~至到分") | set(CN_NUMERAL_CHARS)
    | {w[0] for w in (*COMPARATORS_INFIX, *MAGNITUDES, *_UNITS)}))
# After a digit, within its next three characters: what may follow a number (a magnitude, 余/多,
# a dash, a space, a unit), a point or comma with a digit after it, or a longer number. An
# outline's item numbers (`12.推进…`) fail this test at once where they would fail the whole
# pattern, each alternative tried, at every digit. It looks at four characters at most: a run of
# a million digits costs no more per digit than a short number.
_AFTER_NUMBER = "".join(sorted(
    set(" \t-—–~至到") | {w[0] for w in (*COMPARATORS_INFIX, *MAGNITUDES, *_UNITS)}))
_FOLLOW_CN_LEAD = "".join(sorted(set(_FOLLOW_LEAD) - set("0123456789.,")))
QUANTITY = re.compile(
    rf"(?P<lead>[0-9{CN_NUMERAL_CHARS}百])"
    rf"(?=(?<=[0-9])(?:[0-9]{{0,2}}(?:[{re.escape(_AFTER_NUMBER)}]|[.,][0-9])|[0-9]{{3}})"
    rf"|(?<![0-9])[{re.escape(_FOLLOW_CN_LEAD)}])(?:"
    r"(?<=百)(?P<pct>分之(?P<pctnum>" + _AR + "|" + _CN + r"))"
    r"|(?:(?:(?<=\d)(?<![\d.A-Za-z]\d)(?P<aar>" + _AR_REST + r")"
    rf"|(?<=[{CN_NUMERAL_CHARS}])(?<![{CN_NUMERAL_CHARS}万亿][{CN_NUMERAL_CHARS}])(?P<acn>" + _CN_REST + r"))"
    + _magnitude("a") + _AFTER_FIRST_NUMBER + "))"
)


# A number without a unit of its own in a list before a quantity (`分别新增学位2.35万[和]6000个`),
# matched backwards from the start of the next member.
_LIST_MEMBER = regex.compile(
    rf"(?r)(?<![\d.A-Za-z{CN_NUMERAL_CHARS}])(?P<num>{_AR})(?:{_SP}(?P<mag>{_MAG}))?"
    rf"[ \t]*(?:{alternation(LIST_JOINERS)})[ \t]*")
_LIST_CUE = re.compile(alternation(LIST_CUES))
_CLAUSE_BREAK = regex.compile(r"(?r)[,，;；:：。!?！？\n]")
_SENTENCE_BREAK = regex.compile(r"(?r)[,，;；。!?！？]")
_SPACE = re.compile(r"\s+")
_MAX_LIST = 12  # members of one list; a longer run of bare numbers is no `分别` list


@dataclass(slots=True)
class Quantity:
    """A quantity as matched in the normalised view; offsets are offsets in the original."""
    start: int
    end: int
    low: Decimal | None      # first number (the only one unless a range)
    high: Decimal | None     # second number of a range
    is_range: bool
    unit_written: str
    infix: str | None        # 余 / 多 between number and unit
    chinese: str | None      # the Chinese numeral, when written in Chinese
    alt_end: int             # end including a parenthesised alternative unit, `台(件套)`
    # In a list of numbers that share one unit (`15、12、9所`): where the list starts and where
    # the unit that ends it ends, on every member and on the quantity that carries the unit.
    list_start: int | None = None
    list_end: int | None = None


_TIME_LABEL = re.compile(r"时间[:：]")
_DAILY = frozenset(("每天", "每日"))
_UNIT_AT = re.compile(alternation(DURATION_UNITS))
_CLAUSE_CLOSE = re.compile(r"[ \t]*(?:以上|左右|以内)?[ \t]*(?:[,，。;；、)）!?！？\n]|$)")


def _is_duration_goal(view: str, start: int, end: int, value: Decimal, nouns=DURATION_NOUNS) -> bool:
    """`受教育年限达12.3年`: a noun or verb of duration among the 24 characters before the number
    (white space not counted, so CRLF and indentation change nothing), in its sentence (across the
    cells of a flattened table row, not across a sentence end), and the number is no year.
    With `nouns=SCORE_NOUNS` the same test for points of a score."""
    if value >= 1000 and nouns is DURATION_NOUNS and view.startswith("年", end):
        return False  # 2025年 and every other calendar year (`学习时长达到1200小时` is a length)
    window = _SPACE.sub("", view[max(0, start - 96):start])[-24:]
    brk = _SENTENCE_BREAK.search(window)
    window = window[brk.end() if brk else 0:]
    if "时间" in window:
        window = _TIME_LABEL.sub("", window)  # `发布时间：2024-02-02`: a page's date label, no duration
    if view.startswith("个月", end):
        return "每" in window and any(noun in window for noun in nouns)  # `每年到企业实践不少于1个月`
    found = [noun for noun in nouns if noun in window]
    if found and all(noun in _DAILY for noun in found):
        # `每天阳光大课间30分钟`: a day's length closing its clause; `每天一小时校园体育活动` names a campaign
        unit_end = end + (len(_UNIT_AT.match(view, end).group()) if _UNIT_AT.match(view, end) else 0)
        return _CLAUSE_CLOSE.match(view, unit_end) is not None
    return bool(found)


def _list_members(view: str, m, floor: int) -> list[tuple[int, int, Decimal]]:
    """The bare numbers of a `分别` list that end right before the quantity `m` and share its unit
    (and its magnitude, when they have none of their own: `6500、3200万元`): (start, end, value)."""
    members = []
    pos = m.start()
    while len(members) <= _MAX_LIST:
        lm = _LIST_MEMBER.match(view, max(floor, pos - 40), pos)
        if not lm:
            break
        members.append(lm)
        pos = lm.start()
    if not members or len(members) > _MAX_LIST:
        return []
    brk = _CLAUSE_BREAK.search(view, max(floor, pos - 40), pos)
    if not _LIST_CUE.search(view, brk.end() if brk else max(floor, pos - 40), pos):
        return []
    found = []
    for lm in reversed(members):
        value = number_value(lm.group("num"), lm.group("mag") or m.group("amag") or "")
        if value is None:
            return []
        found.append((lm.start(), lm.end("mag") if lm.group("mag") else lm.end("num"), value))
    return found


_JOINER_END = frozenset(w[-1] for w in LIST_JOINERS) | {" ", "\t"}

# A share in tenths (`五成`, `七成以上`, `下降超过三成`): 成 after one numeral is ten per cent, read in
# % as 百分之 is. Only where 成 ends the phrase: not in words (`统一成立`, `三五成群`, `一成不变`).
_TENTHS = re.compile(rf"(?P<num>[一二两三四五六七八九])(?<![{CN_NUMERAL_CHARS}万亿\d][一二两三四五六七八九])成"
                     r"(?=以上|以下|左右|多|的|[,，。;；、:：)）\s]|$)")  # (the lookbehind after the
# first character, so that the scan skips in C to the numerals)


def _tenths(view: str) -> list[Quantity]:
    if "成" not in view:
        return []
    return [Quantity(m.start(), m.end(), number_value(m.group("num")) * 10, None, False, "%", None,
                     m.group("num"), m.end()) for m in _TENTHS.finditer(view)]


# An amount of money without 元 (`总投资3000万`, `投入资金1.2个亿`): a money word (MONEY_NOUNS), at most
# 6 characters (no digit, no noun of people or things: `资助学生1.2万` counts students), a number
# that a magnitude ends, and no unit after it. Found from the money words (a text holds few).
_MONEY_WORD = re.compile(alternation(MONEY_NOUNS))
_MONEY_AMOUNT = re.compile(
    r"(?:(?!学生|教师|幼儿|儿童|家庭|人|户|所|名)[^,，。;；:：!?\n\d]){0,6}?"
    rf"(?<![\d.,A-Za-z{CN_NUMERAL_CHARS}万亿])(?P<num>{_AR}|[{CN_NUMERAL_CHARS}]{{1,4}})(?P<ge>个)?(?P<mag>万亿|千万|亿|万)"
    rf"(?![\d{CN_NUMERAL_CHARS}万亿])(?!(?:余|多|来)?(?:{_unit_alternation()}))")


def _bare_money(view: str) -> list[Quantity]:
    if "万" not in view and "亿" not in view:
        return []
    found = []
    for w in _MONEY_WORD.finditer(view):
        m = _MONEY_AMOUNT.match(view, w.end())
        if m is None or (found and found[-1].start == m.start("num")):
            continue  # (`投入资金1.2个亿`: two money words, one amount)
        value = number_value(m.group("num"), m.group("mag"))
        if value is not None:
            num = m.group("num")
            found.append(Quantity(m.start("num"), m.end(), value, None, False, "元", None,
                                  None if num[0].isdigit() else num, m.end()))
    return found


def find_quantities(view: str):
    """Yield every Quantity in the normalised view, left to right."""
    extra = _tenths(view) + _bare_money(view)
    if not extra:
        yield from _matched_quantities(view)
        return
    extra.sort(key=lambda q: q.start)
    for q in _matched_quantities(view):
        while extra and extra[0].start < q.start:
            yield extra.pop(0)
        if extra and extra[0].start == q.start:
            if q.unit_written == "个" and view.startswith(("亿", "万"), q.end):
                continue  # `1.2个亿`: not a count of 个
            extra.pop(0)  # `3000万—5000万元`: the range with its unit, not its first end alone
        yield q
    yield from extra


def _matched_quantities(view: str):
    last_end = 0
    for m in QUANTITY.finditer(view):
        pct, aar, acn, amag, amore, dash, unit, infix = m.group(
            "pct", "aar", "acn", "amag", "amore", "dash", "unit", "infix")
        if aar is not None:
            aar = m.group("lead") + aar
        elif acn is not None:
            acn = m.group("lead") + acn
        if pct:
            pctnum = m.group("pctnum")
            value = number_value(pctnum)
            if value is None:
                continue
            last_end = m.end()
            yield Quantity(m.start(), m.end(), value, None, False, "%", None,
                           pctnum if not pctnum[0].isdigit() else None, m.end())
            continue
        a_digits = aar or acn
        low = number_value(a_digits, amag or "")
        if low is None:
            continue
        high = None
        if dash:
            bar, bcn, bmag = m.group("bar", "bcn", "bmag")
            high = number_value(bar or bcn, bmag or "")
            if high is None:
                continue
            # A range's first end shares the magnitude written after the second: `3-5万人`.
            if bmag and not amag:
                low = number_value(a_digits, bmag)
        start = m.start()
        if unit in DURATION_UNITS and not _is_duration_goal(view, start, m.start("unit"), low):
            continue
        if unit in SCORE_UNITS and not _is_duration_goal(view, start, m.start("unit"), low, SCORE_NOUNS):
            continue
        members = (_list_members(view, m, last_end)
                   if aar and high is None and start > 0 and view[start - 1] in _JOINER_END else [])
        end = m.end()
        list_start = members[0][0] if members else None
        for member_start, member_end, value in members:
            yield Quantity(member_start, member_end, value, None, False, unit, None, None, member_end,
                           list_start=list_start, list_end=end)
        last_end = end
        yield Quantity(start, m.end("unit"), low, high, high is not None, unit, infix or amore, acn, end,
                       list_start=list_start, list_end=end if members else None)


def quantity_at(view: str, pos: int) -> Quantity | None:
    """The quantity that starts at `pos` (read as if the text began there), or None: an item's
    number run into a count (`2.3所农村学校…`, item 2, 3所) is read from after the number."""
    line_end = view.find("\n", pos, pos + 64)
    for q in find_quantities(view[pos:line_end if line_end >= 0 else pos + 64]):
        if q.start != 0:
            return None
        return Quantity(q.start + pos, q.end + pos, q.low, q.high, q.is_range, q.unit_written, q.infix,
                        q.chinese, q.alt_end + pos,
                        list_start=None if q.list_start is None else q.list_start + pos,
                        list_end=None if q.list_end is None else q.list_end + pos)
    return None
