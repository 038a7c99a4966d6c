"""Status of a quantity (targets.md §5): a `target` the text commits to, a `result` it reports
as achieved, or a `fact` (background, a baseline written as such), which is returned nowhere.

The nearest cue decides: a cue in the quantity's own sentence (the one closest to its left),
else the column of the table it stands in, else the heading of its section (or the document's
title), else `target` — a text with no cue at all is read as a plan.
Every search here is bounded to a window of the text, so the whole pass stays linear.
"""
from __future__ import annotations

import bisect
import functools
import re

import regex

from .lexicon import COMPLETION_VERBS, MONTH, PROGRESS_VERBS, REPORTED_BY_AFTER_JU, REPORTING_VERBS
from .scan import Scanner, alternation
from .source import normalise
from .cues import (AS_OF, BACKGROUND_HEADINGS, DONE_HEADING_WORDS, DONE_WORDS, FACT_CUES, PROJECT_SCOPE_WORDS, PLAN_HEADINGS, PROBLEM_HEADINGS, WEAK_RESULT_CUES, WEAK_TARGET_CUES, RESULT_CUES,
                   REVIEW_HEADINGS, TARGET_CUES)

TARGET, RESULT, FACT = "target", "result", "fact"

_WINDOW = 160  # how far left of a quantity its sentence is searched for a cue


def _alt(patterns) -> str:
    return "|".join(sorted(set(patterns), key=len, reverse=True))


# Kinds in this order, the longer cue first within each: at one position the first that matches wins.
_CUE_SCAN = Scanner([(kind, p)
                     for kind, cues in (("fact", FACT_CUES), ("result", RESULT_CUES), ("weak_result", WEAK_RESULT_CUES),
                                        ("target", TARGET_CUES), ("weak_target", WEAK_TARGET_CUES))
                     for p in sorted(cues, key=len, reverse=True)])
_AS_OF_SCAN = Scanner([("as_of", p) for p in AS_OF])
# `…5个项目已于3月完工`, `13项指标已完成`: a result cue right after the counted noun.
# Within the quantity's own cell: no tab, no run of two spaces (columns aligned with spaces).
_IN_CELL = r"(?:(?!  )[^,，。;；:：\n|\t])"
_RESULT_AFTER = re.compile(_IN_CELL + r"{0,8}?(?:已经|已(?![经知有]))")
# `其余26场次将于下半年完成`, `剩余9场于12月底前完成`: a plan cue right after the counted noun
# (a time limit of completion is one, unless 已 says it was met).
_TARGET_AFTER = re.compile(_IN_CELL + r"{0,6}?(?:将于|将在|计划于|拟于|预计于|预计在|力争于|力争在|年内(?=开工|完工|竣工|建成|完成|投用)|预计(?=[\d一二三四五六七八九十年今明下本])"
                           r"|(?<!按)(?:力争|确保|计划(?=[^\s,，。;；”」』\"、)）])|争取))"
                           rf"|(?:(?!已)(?!  )[^,，。;；:：\n|\t]){{0,6}}?于?[^,，。;；:：\n|\t已]{{1,8}}?(?<!提)前(?:{alternation(COMPLETION_VERBS + ('开工', '拨付到位', '拨付'))})")
_REVIEW_HEADING = re.compile(_alt(re.escape(w) for w in REVIEW_HEADINGS))
_PLAN_HEADING = re.compile(_alt(re.escape(w) for w in PLAN_HEADINGS))
# `一、基本情况` is the existing state; `一、2025年预算执行基本情况` reports what was done.
_PROBLEM_HEADING = re.compile(_alt([re.escape(w) for w in PROBLEM_HEADINGS + BACKGROUND_HEADINGS if w != "基本情况"]
                                   + ["(?<![行成展作])基本情况"]))
# A heading that tells what went well (`（三）重点任务扎实推进`) reviews, whatever plan word it holds.
_DONE_HEADING = re.compile(alternation(DONE_HEADING_WORDS))
_AS_OF = re.compile("|".join(AS_OF))  # in the order written: the longer phrase first
_HEADING_PERIOD = re.compile(r"(?<!\d)20\d\d年(?:度|上半年|下半年|底|末)?")
# A table cell is a sentence of its own. The standard engine scans a class faster than `regex`.
_BREAK_CHARS = "。!?！？\n|\t"
_SENTENCE_BREAK = re.compile(f"[{_BREAK_CHARS}]")
_YEAR = re.compile(r"(?<!\d)(20\d\d)年")


def heading_status(heading: str | None, year: int | None = None, normalised: bool = False) -> str | None:
    """`一、2024年工作回顾` → result, `二、2025年工作安排` → target, `三、存在的问题` → fact; more
    than one named → the first one
    (`2024年工作总结及2025年工作计划` opens with the summary); neither → None (inherit)."""
    if not heading:
        return None
    if not normalised:
        heading = normalise(heading)  # `一、2024年工作回顧` reads as simplified text does
    review = _REVIEW_HEADING.search(heading)
    plan = _PLAN_HEADING.search(heading)
    if plan and not review and _DONE_HEADING.search(heading):
        plan = None
    if plan and review and review.end() == len(heading.rstrip(" \t:：")):
        plan = None  # `一、上半年重点工作完成情况`: the heading ends on what it is, a report
    problem = _PROBLEM_HEADING.search(heading)  # `二、存在的不足`: the existing state, facts
    named = [(m.start(), kind) for m, kind in ((review, RESULT), (plan, TARGET), (problem, FACT)) if m]
    if named:
        return min(named)[1]
    if year is not None:  # `一、2022年工作` in a 2023 text reviews the past year
        m = _YEAR.search(heading)
        if m and int(m.group(1)) < year:
            return RESULT
    return None


class CueIndex:
    """The cue words and sentence breaks of a text. Breaks are found in one pass; cue words are
    scanned a sentence at a time, when a quantity first asks about its sentence (most sentences
    hold no number), and kept; a query is then a bisection and a short walk."""

    def __init__(self, view: str):
        self.view = view
        self._by_sentence: dict[int, list[tuple[int, int, str]]] = {}
        self._periods: list[tuple[int, int]] | None = None  # read when a result asks for one

    @functools.cached_property
    def _breaks(self) -> list[int]:
        """Where each sentence ends; found at the first question (a text whose numbers are all
        dates, names and slogans asks none)."""
        return [m.end() for m in _SENTENCE_BREAK.finditer(self.view)]

    def _sentence_of(self, pos: int) -> int:
        return bisect.bisect_right(self._breaks, pos)

    def _cues_of(self, k: int) -> list[tuple[int, int, str]]:
        found = self._by_sentence.get(k)
        if found is None:
            start = self._breaks[k - 1] if k > 0 else 0
            end = self._breaks[k] if k < len(self._breaks) else len(self.view)
            found = self._by_sentence[k] = _CUE_SCAN.findall(self.view, start, end)
        return found

    def sentence_start(self, pos: int) -> int:
        k = bisect.bisect_right(self._breaks, pos) - 1
        return max(self._breaks[k] if k >= 0 else 0, pos - _WINDOW)

    def sentence_end(self, pos: int) -> int:
        k = bisect.bisect_right(self._breaks, pos)
        return min(self._breaks[k] if k < len(self._breaks) else len(self.view), pos + _WINDOW)

    def before(self, lo: int, hi: int):
        """(start, end, kind) of the cues inside view[lo:hi], nearest to `hi` first."""
        first = self._sentence_of(lo)
        for k in range(self._sentence_of(max(lo, hi - 1)), first - 1, -1):
            for cue in reversed(self._cues_of(k)):
                if cue[1] <= hi and cue[0] >= lo:
                    yield cue
                elif cue[0] < lo:
                    return

    def period_before(self, lo: int, pos: int) -> tuple[int, int] | None:
        """The period nearest before `pos` in view[lo:pos] (a result's own sentence)."""
        periods, ends = self._period_list()
        k = bisect.bisect_right(ends, pos) - 1
        if k >= 0 and periods[k][0] >= lo:
            return periods[k]
        return None

    def reported_date_before(self, lo: int, pos: int) -> tuple[int, int] | None:
        """The last `截至…` date in view[lo:pos]: a report's results without a date of their own
        are as of the date it last gave (`截至7月底…总体进展顺利` … `●已建成3所幼儿园`)."""
        periods, ends = self._period_list()
        for k in range(bisect.bisect_right(ends, pos) - 1, -1, -1):
            start, end = periods[k]
            if start < lo:
                return None
            if self.view.startswith("截", start):
                return start, end
        return None

    def _period_list(self) -> tuple[list[tuple[int, int]], list[int]]:
        if self._periods is None:
            self._periods = [(a, b) for a, b, _ in _AS_OF_SCAN.finditer(self.view)]
            self._period_ends = [p[1] for p in self._periods]
        return self._periods, self._period_ends


# A year or this year opening the sentence of a result (`2017年温州市新建幼儿园94所`,
# `今年全市已新建幼儿园67所`) is the period it reports.
# A speaker may stand before it: `据介绍，2025年全市新建学校23所`, `刘建华表示，2025年…`.
_OPENING_PERIOD = re.compile(rf"[ \t\u3000]*(?:——)?(?:据[^,，。;；\n]{{0,8}}?(?:{_alt(REPORTED_BY_AFTER_JU)})[,，]"
                             rf"|[^,，。;；\n\d]{{1,12}}?(?:{_alt(REPORTING_VERBS)})[,，])?"
                             r"[ \t]*(?P<period>(?<!\d)20\d\d年(?:度|底|末)?|今年|去年)(?![0-9])")


def opening_period(view: str, lo: int, pos: int) -> tuple[int, int] | None:
    """Span of the period that opens the sentence starting at `lo` (a real sentence start), before `pos`."""
    if lo and view[lo - 1] not in _BREAK_CHARS:
        return None  # `lo` is where the search window began, inside a long sentence
    m = _OPENING_PERIOD.match(view, lo, pos)
    return m.span("period") if m else None


def opens_with_past_year(view: str, lo: int, pos: int, year: int | None) -> bool:
    """Whether the sentence at `lo`, or else the paragraph holding it, opens with a year before
    the document's (`2024年，…取得新进展。全年共投入…` in a 2025 plan): the past year is its
    subject, a review without a heading."""
    if year is None:
        return False
    span = opening_period(view, lo, pos)
    if span is None:
        line = view.rfind("\n", max(0, lo - 400), lo) + 1
        if line == 0 and lo > 400:
            return False
        span = opening_period(view, line, lo) if line < lo else None
    return bool(span and view[span[0]:span[0] + 2] == "20" and int(view[span[0]:span[0] + 4]) < year
                and not view.startswith("前", span[1]))  # `2024年底前` is a time limit


# `5个项目已于8月底全部竣工`: the date a result was reached, anywhere in its sentence.
_DONE_ON = re.compile(rf"已(?:于|在)(?P<date>(?:20\d\d年)?{MONTH}(?:\d{{1,2}}[日号])?(?:底|末|初|中旬|上旬|下旬)?)")


def done_on(view: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Span of the date after 已于 in view[lo:hi]."""
    if "已" not in view[lo:hi]:
        return None
    m = _DONE_ON.search(view, lo, hi)
    return m.span("date") if m else None


def heading_as_of(heading: str) -> str | None:
    """The period a heading or title names: `(截至10月31日)`, `一、2024年工作回顾` → 2024年."""
    m = _AS_OF.search(heading) or _HEADING_PERIOD.search(heading)
    return m.group() if m else None


# `七项工程已完成投资4900万元`, `7所托育机构建设已完成80%`: the count is the scope of the work and
# the number after 已完成 what was done; the count is the plan's (a target).
_SCOPE_OF_PROGRESS = re.compile(rf"(?:(?!  )[^,，。;；:：\n|\t0-9]){{0,10}}?已(?:经)?(?:{alternation(PROGRESS_VERBS)})"
                                r"[^,，。;；:：\n|0-9]{0,6}?[0-9]")


# `占年度计划投资3.1亿元的76.1%`: a share of the plan, reported (the plan's own amount may stand
# between, where the result cue `占…计划的` cannot reach it).
# Between the plan's word and 的 stands at most what the plan is of and its amount (`占学校年度目标
# 考核权重的25%` is a weight, planned).
_DONE_BEFORE = re.compile(alternation(DONE_WORDS))
_SENTENCE_BREAK_LAST = regex.compile(r"(?r)[。!?！？\n]")
_SHARE_OF_PLAN = re.compile(r"占[^,，。;；:：\n]{0,10}?(?:计划|规划|任务|目标)(?:投资|资金|任务|建设|总量|总数|量|数)?"
                            r"(?:[ \t]*[\d.]+[ \t]*(?:万|亿)?[ \t]*[^\d\s,，。;；:：的]{0,3})?的[ \t]*$")


def share_of_plan(view: str, start: int) -> bool:
    """Whether the quantity at `start` is a share of a plan reached (`完成投资…，占年度计划投资3.1亿元的
    76.1%`): something done stands before it in its sentence; a plan's own share (`投放计划5900个，
    占招生计划总数的72%`) is planned."""
    if view[start - 1:start] != "的" or not _SHARE_OF_PLAN.search(view, max(0, start - 32), start):
        return False
    return done_before(view, start)


# A sentence that closes by saying the task is done (`…19所，超额完成省下达任务`): it reports.
_DONE_AFTER = re.compile(r"(?<!确保)(?<!力争)(?<!争取)(?<!要)(?<!将)(?:(?:超额|提前|圆满|顺利|如期|全面)完成(?:了)?"
                         r"[^,，。;；\n\d]{0,10}?(?:任务|目标)"
                         # `…28所学校，项目已于8月底全部完工`, `…37所，均已投入使用`, `…全部完成。`
                         r"|(?:均已|已全部|已经全部|已于[^,，。;；\n\d]{0,8}?(?:全部)?)(?:完成|完工|竣工|建成|投入使用|交付使用))")


def done_after(view: str, end: int, hi: int) -> bool:
    return _DONE_AFTER.search(view, end, hi) is not None


# A project's scope (`总投资860万元`, `可提供学位2400个`) followed in its sentence by what is done
# of it: the plan the progress is measured against, in a report too.
_SCOPE_WORDS = re.compile(rf"(?:项目|工程)?(?:{alternation(PROJECT_SCOPE_WORDS)})[ \t]*(?:为|约|达)?[ \t]*$")
_DONE_OF_SCOPE = re.compile(r"已(?:经)?(?:完成|完工|建成|开工|竣工|拨付|到位)|累计完成|完成投资")


def project_scope(view: str, start: int, hi: int) -> bool:
    return (_SCOPE_WORDS.search(view, max(0, start - 12), start) is not None
            and _DONE_OF_SCOPE.search(view, start, hi) is not None)


def done_before(view: str, pos: int) -> bool:
    """Whether something done (完成, 已, 累计, 截至…) stands before `pos` in its sentence."""
    lo = max(0, pos - 120)
    brk = _SENTENCE_BREAK_LAST.search(view, lo, pos)
    return bool(_DONE_BEFORE.search(view, brk.end() if brk else lo, pos))


def scope_of_progress(view: str, end: int, limit: int | None = None) -> bool:
    """(`limit`: where the quantity's table cell ends; nothing after it is read)"""
    limit = len(view) if limit is None else limit
    if "已" not in view[end:min(end + 12, limit)]:
        return False
    return _SCOPE_OF_PROGRESS.match(view, end, min(limit, end + 30)) is not None


def target_after(view: str, end: int, limit: int | None = None) -> bool:
    limit = len(view) if limit is None else limit
    window = view[end:min(end + 14, limit)]
    if not any(c in window for c in _TARGET_AFTER_CHARS):
        return False  # every plan cue after a count holds one of them (`将于`, `计划在`, `预计`, `…前`)
    return _TARGET_AFTER.match(view, end, min(limit, end + 14)) is not None


_TARGET_AFTER_CHARS = ("于", "在", "预计", "前", "力争", "确保", "计划", "争取", "年内")
_RESULT_NEAR = re.compile(_IN_CELL + r"{0,3}?(?:已经|已(?![经知有]))")


_HEADING_CUTOFF = re.compile(r"截[至止](?:到|至)?[^,，。;；)）\n]{1,12}")


def heading_date(heading: str) -> str | None:
    """An explicit date in a heading (`2021年`, `截至10月31日`), not a period phrase alone; a
    period that goes on from the year is read whole (`2025年一季度`, `2025年1-10月`)."""
    m = _HEADING_CUTOFF.search(heading) or _HEADING_PERIOD.search(heading)  # `截至…` is the nearer date
    if not m:
        return None
    longer = _AS_OF.match(heading, m.start())
    if longer and longer.end() > m.end():
        return longer.group()
    return m.group()


def result_after(view: str, end: int, near: bool = False, limit: int | None = None) -> bool:
    limit = len(view) if limit is None else limit
    if "已" not in view[end:min(end + 12, limit)]:
        return False
    pattern = _RESULT_NEAR if near else _RESULT_AFTER
    return pattern.match(view, end, min(limit, end + 12)) is not None


_OPENER = re.compile(rf"(?m)^[ \t\u3000]*(?:——)?(?:{_alt(AS_OF)})")


def paragraph_openers(view: str) -> list[tuple[int, int]]:
    """Spans of the periods that open paragraphs (`过去一年，…`, `五年来，…`), in text order."""
    out = []
    for m in _OPENER.finditer(view):
        text = m.group()
        lead = len(text) - len(text.lstrip(" \t\u3000—"))
        out.append((m.start() + lead, m.end()))
    return out
