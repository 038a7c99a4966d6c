"""`extract(text)`: source view -> structure -> quantities -> context -> targets.

Each stage is a pure function of the previous one's output; nothing here knows about HTTP.
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from decimal import Decimal

from . import context, status
from .cues import EXISTING_STATE_CUES, OWN_PLAN_WORDS, STOCK_CUES
from .lexicon import (ACHIEVEMENT_VERBS, COMPLETION_VERBS, CURRENCIES, DECREASE_VERBS, GOAL_VERBS, INCREASE_VERBS, LEVEL_VERBS,
                      MEASURE_WORDS, METRIC_CATEGORY_SUFFIXES, PERCENT_UNITS,
                      MAGNITUDES, PREVIOUS_PERIOD, REGION_CURRENCY_MARKERS, SEAT_NOUNS, DEGREE_WORDS)
from .model import Baseline, Extraction, ItemRef, Result, Span, Target
from .numerals import to_number
from .quantities import Quantity, find_quantities, quantity_at
from .scan import alternation
from .source import normalise
from .unwrap import Unwrapped, unwrap
from .structure import names_time, parse_structure
from .tables import bare_values

_HUNDRED_MILLION = Decimal(10) ** 8


def _unit_and_category(q: Quantity, per_head=None) -> tuple[str, str | None, str, Decimal, Decimal | None]:
    """Normalised (unit, currency, category, low, high) of a quantity; money per head
    (`context.money_per_head`) stays in 元 as written, a total is in 亿元."""
    written = q.unit_written
    if written in PERCENT_UNITS:
        return PERCENT_UNITS[written], None, "rate", q.low, q.high
    if written in CURRENCIES:
        code = CURRENCIES[written]
        word = "元" if code == "CNY" else written
        if per_head is not None:
            return word, code, "funding", q.low, q.high
        low = q.low / _HUNDRED_MILLION
        high = q.high / _HUNDRED_MILLION if q.high is not None else None
        return "亿" + word, code, "funding", low, high
    unit, category = MEASURE_WORDS[written]
    return unit, None, category, q.low, q.high


def _yuan_of(text: str, start: int, end: int) -> str:
    """The currency a bare 元 counts in within text[start:end]: the yuan unless the document is
    a Taiwan or Hong Kong one (`立法院`, `財政預算案`). A substring search per marker (in C) is
    several times faster than one alternation tried at every character."""
    for code, words in REGION_CURRENCY_MARKERS:
        if any(text.find(w, start, end) >= 0 for w in words):
            return code
    return "CNY"


_RANGE_DASH = re.compile(r"[ \t]*(?:-|—|——|–|~|～|至)[ \t]*")


_LEADING_MAGNITUDE = re.compile(r"(?<![\d.,])(\d{1,4}(?:\.\d{1,4})?)[ \t]?(亿|万)[ \t]?$")


def _join_magnitudes(view: str, quantities: list[Quantity]) -> list[Quantity]:
    """`3亿5,000万元`, `1万2千名`: a number with a larger magnitude right before a quantity (the
    official style of Taiwan, `新臺幣1億2,345萬元`) is its leading part, not a number of its own."""
    out = []
    last_end = 0
    for q in quantities:
        if q.chinese is None and not q.is_range and q.start >= 2 and (view[q.start - 1] in "亿万 \t"):
            m = _LEADING_MAGNITUDE.search(view, max(last_end, q.start - 10), q.start)
            if m:
                scale = MAGNITUDES[m.group(2)]
                if q.low < scale:
                    q = dataclasses.replace(q, start=m.start(), low=Decimal(m.group(1)) * scale + q.low)
        out.append(q)
        last_end = q.alt_end
    return out


def _join_ranges(view: str, quantities: list[Quantity]) -> list[Quantity]:
    """`90%—95%`, `50万元至80万元`: a range written with the unit on both ends is one quantity, as
    `90-95%` is (not from A to B: `由85%提高到90%` is a baseline and a level)."""
    if len(quantities) < 2:
        return quantities
    out: list[Quantity] = []
    for q in quantities:
        a = out[-1] if out else None
        if (a is not None and not a.is_range and not q.is_range and a.unit_written == q.unit_written
                and a.low is not None and q.low is not None and q.low > a.low
                and _RANGE_DASH.fullmatch(view, a.alt_end, q.start)
                and not _FROM.search(view, max(0, a.start - 14), a.start)):
            out[-1] = Quantity(a.start, q.end, a.low, q.low, True, q.unit_written, a.infix, a.chinese or q.chinese,
                               q.alt_end)
            continue
        out.append(q)
    return out


def _split_item_numbers(view: str, quantities: list[Quantity], starts: list[int]) -> list[Quantity]:
    """`2.3所农村学校完成改造` opening item 2: the count is 3所, read from after the item's number."""
    out = []
    for q in quantities:
        k = bisect.bisect_right(starts, q.start)
        if k < len(starts) and starts[k] < q.end:
            q = quantity_at(view, starts[k]) or q
        out.append(q)
    return out


def _row_label(view: str, row, pos: int, own_words: bool = False) -> str | None:
    """The name of the row a value stands in (`学前三年毛入园率(%) | 91.5% | 93%`): its `name`
    cell, else the first cell before the value that holds no number. Unless `own_words`, None
    where the value's cell says more than the value (its own words are then the metric)."""
    fallback = None
    for start, end, role in row.cells:
        if start <= pos < end:
            if not own_words and view[start:pos].strip(" \t\u3000"):
                return None
            break
        if role == "name":
            return context.label_text(view[start:end])
        if fallback is None and role not in _NOT_MEASURED_COLUMNS and not any(c.isdigit() for c in view[start:end]):
            fallback = view[start:end]
    return context.label_text(fallback) if fallback else None


# A metric that is only a verb of doing or reporting, the counted noun left out (`实际新增`, `已建成`).
_NOUN_LEFT_OUT = re.compile(
    rf"(?:实际|已经|已|累计|共|其余|剩余|另有|还有|再)*(?:{alternation((*GOAL_VERBS, *COMPLETION_VERBS, *INCREASE_VERBS, '开工', '完成了', '建成了'))})?(?:了)?")


def _counts_seats(words: str) -> bool:
    """Whether a metric names school places (学位, 托位), not a degree (`硕士学位授权点`)."""
    if "学位" in words:
        for degree in DEGREE_WORDS:
            words = words.replace(degree, "")
    return any(seat in words for seat in SEAT_NOUNS)


def _refine_category(category: str, unit: str, metric: str | None, after: str) -> str:
    """`个` and `家` take their category from the noun they count (`学位630个`, `基地校150个`)."""
    if category != "other" or unit not in ("个", "家"):
        return category
    if _counts_seats((metric or "") + (after or "")):
        return "seats"  # 扩大学位供给2000个
    for noun in (after, metric or ""):
        if not noun:
            continue
        for cat, suffixes in METRIC_CATEGORY_SUFFIXES:
            if noun.endswith(suffixes) or (noun is after and cat == "seats" and noun.startswith(suffixes)):
                return cat
    return category


def _bounds(comparator: str, value, low, high):
    if comparator == "between":
        return None, low, high
    if comparator == "eq":
        return value, value, value
    if comparator in ("ge", "gt"):
        return value, value, None
    if comparator in ("le", "lt"):
        return value, None, value
    return value, None, None  # approx


_CHANGE_TO = re.compile(
    r"[ \t]*(?:的水平)?(?:提高|提升|增加|增长|上升|下降|降低|减少|扩大|压减|缩减|调降|调升|上调|下调|降|增|升|减|调整|调高|调低)?(?:到|至|为)[ \t]*(?:了)?[ \t]*"
    r"(?:(?:20\d\d年(?:底|末)?|目前|现在|当前)的)?[ \t]*"  # `提高到2027年的90%`, `提升至目前的45%`
    # the level reached may carry its comparator and the head it is counted per (`提高到不低于每生每年1000元`)
    r"(?:近|约|超过|逾|将近|接近|不低于|不少于|不高于|不超过)?[ \t]*(?:每[生人校年月学期天]{1,2}){0,2}$")
_FROM = re.compile(r"(?:由|从)[^,，。;；\n]{0,12}$")
# `在2025年90.5%的基础上提高到92%`, `在…1620个的基础上，再新增学位2000个`: A is where B starts from.
_AT = re.compile(r"在[^,，。;；\n]{0,12}$")
_ON_BASIS = re.compile(r"[ \t]*的基础上[,，]?[ \t]*(?:再)?[^\d,，。;；\n]{0,8}$")
# `较2024年的48.6%下降1个百分点`: the level compared against, not a target.
_COMPARED_TO = re.compile(rf"(?:较|比){PREVIOUS_PERIOD}(?:同期)?的[ \t]*$")
_CHANGE_BY = re.compile(r"[ \t]*(?:下降|降低|减少|提高|提升|增加|增长|上升)(?:了)?[ \t]*$")
_CLAUSE_BREAK = re.compile(r"[,，;；]")
_NOT_MEASURED_COLUMNS = ("number", "units", "leaders", "deadline", "note", "measure")
# A metric that names only the comparison (`比上年`, `同比增长`): the change of what came before.
_COMPARISON_ONLY = re.compile(rf"(?=.)(?:(?:比|较){PREVIOUS_PERIOD}(?:同期)?|同比)?"
                              r"(?:增长|提高|提升|增加|下降|降低|减少|增幅|增速|多|少|达到|达)?(?:了|到|至)?")
# A clause that names only another school level and a comparator (`初中不低于1050元`): it goes on
# with the rate of the clause before.
_LEVEL_ONLY = re.compile(r"(?:小学|初中|高中|普通高中|中职|中职学校|幼儿园|学前|特殊教育学校|特教学校|寄宿生)"
                         r"(?:每生|每人)?(?:每年)?(?:不低于|不少于|达到|达|为|提高到|提高至)?")
# An item's number run into the text before it (`扩大资源1.新建…`, `计财股)2.改造…`) when line
# breaks were lost: a clause starts after it. Not a decimal (`1.5倍`) nor a list (`1、2号楼`).
_RUN_IN_ITEM = re.compile(r"(?<=[\u4e00-\u9fff)）。;；])\d{1,2}[.．](?![\d%])")
_CHANGE_OF_RATE = re.compile(r"提高|增加|提升|上调|增长|降低|下调|减少|较上年|比上年|同比")
# Plan words that, in a review, still mark the figure of their own clause as the plan it reports on.
_OWN_PLAN_WORDS = tuple(OWN_PLAN_WORDS)
_COMPARISON_CUES = ("同比", "比上年", "较上年", "比去年", "较去年", "比五年前", "较五年前", "是十年前")


def _baselines(view: str, quantities: list[Quantity]) -> dict[int, int]:
    """`由85%提高到90%`: index of the level reached -> index of the starting level."""
    found = {}
    for k in range(1, len(quantities)):
        a, b = quantities[k - 1], quantities[k]
        if b.start - a.alt_end > 12 or a.unit_written != b.unit_written and not (
                a.unit_written in PERCENT_UNITS and b.unit_written in PERCENT_UNITS):
            continue
        between = view[a.alt_end:b.start]
        if ((_CHANGE_TO.match(between) and _FROM.search(view, max(0, a.start - 14), a.start))
                or (_ON_BASIS.match(between) and _AT.search(view, max(0, a.start - 14), a.start))
                or (_CHANGE_BY.match(between) and _COMPARED_TO.search(view, max(0, a.start - 14), a.start))):
            found[k] = k - 1
            j = k - 1  # `分别从50%、75%提高至100%`: every starting level of the list is one
            while j > 0 and view[quantities[j - 1].alt_end:quantities[j].start].strip() in ("、", "和", "及"):
                found[-j] = j - 1
                j -= 1
    return found


# A verb that does, adds or sets a level: a clause holding one says more than the existing state.
_ACTION = re.compile(alternation((*GOAL_VERBS, *INCREASE_VERBS, *DECREASE_VERBS, *LEVEL_VERBS, *COMPLETION_VERBS,
                                   *ACHIEVEMENT_VERBS)))
_ACHIEVED_AFTER = re.compile(rf"[^,，。;；\n]{{0,16}}?(?:{alternation(ACHIEVEMENT_VERBS)})")
_LEVEL_AFTER_STOCK = re.compile(alternation(LEVEL_VERBS))


_PLAN_PREFIX = re.compile(r"(?:年度|全年|今年|年初|原|总)?$")
_PLAN_SUBJECT = re.compile(r"(?:我[们局县区市校院]|全[区县市省镇州]|[\u4e00-\u9fff]{0,8}?(?:部|局|厅|委|政府|学校))$")
_PLAN_VERB_AFTER = re.compile(r"(?:在|于)?(?:新建|改建|扩建|改扩建|建设|建成|投入|投资|招聘|培训|新增|增加|完成|实施|开展|推出|拨款|安排|将)")


def _plan_opening(view: str, lo: int, start: int, end: int, hi: int) -> bool:
    """Whether a plan word opens its clause (`计划新建学校18所`, `年度计划投资56.8亿元`; not a
    programme's name, `营养改善计划资金`) and governs the quantity at `hi`: in its own clause, or
    in any clause of a sentence it opens (`计划新建学校12所，新增学位9600个`)."""
    if not view.startswith(_OWN_PLAN_WORDS, start):
        return False
    prefix = _PLAN_PREFIX.search(view, max(lo, start - 2), start)
    at = prefix.start() if prefix else start
    if at > lo and view[at - 1] not in ",，;；:：。 \t\n":
        subject = _PLAN_SUBJECT.search(view, max(lo, start - 10), start) if _PLAN_VERB_AFTER.match(view, end) else None
        if not subject or (subject.start() > lo and view[subject.start() - 1] not in ",，;；:：。 \t\n"):
            return False  # (`教育部计划新建学校5所`: who plans, then the plan word and its verb)
        at = subject.start()
    return not _CLAUSE_BREAK.search(view, end, hi) or at == lo


# A point of a list (`一是…；二是…`): each has its cues of its own.
_POINT = re.compile(r"(?:(?<=[,，;；。:：\n])|(?<![\s\S]))[ \t]*[一二三四五六七八九十]是")
_BREAKDOWN = re.compile(r"[ \t]*其中")


def _in_breakdown(view: str, lo: int, start: int, end: int, hi: int) -> bool:
    """Whether a cue stands in a `其中…` clause (a part of what the clause before counts) that
    ends before the quantity at `hi`."""
    if view.find("其中", lo, start) < 0 or not _CLAUSE_BREAK.search(view, end, hi):
        return False
    opened = _clause_of(view, lo, start)
    return opened > lo and _BREAKDOWN.match(view, opened, start) is not None


_PLANNED_SHARE = re.compile(r"确保|力争|预计|争取|计划|将|要|拟")


def _clause_of(view: str, lo: int, pos: int) -> int:
    return max(lo, max(view.rfind(c, lo, pos) for c in ",，;；") + 1)


def _describes_noun(view: str, start: int, end: int, hi: int) -> bool:
    """Whether a result's cue opens a phrase that names what is there (`已建成的3所学校`,
    `在已完成…的基础上`, `去年已建成的…`) in a clause before the quantity at `hi`: it describes a
    noun, it reports nothing of hi's clause."""
    brk = _CLAUSE_BREAK.search(view, end, hi)
    return bool(brk) and "的" in view[end:brk.start()]


def _cue_before(cues: status.CueIndex, lo: int, hi: int, section_status: str | None,
                own_plan: bool = True) -> str | None:
    """The status of the nearest decisive cue in view[lo:hi]. In a review, a plan word of the
    quantity's own clause still plans (`计划新建学校18所，实际完成20所`) where `own_plan`: not in
    a sentence about a past year's plan (`2020年，…计划建设项目共19个` in a 2021 report)."""
    comparison = False
    stock = False
    cumulative = False
    view = cues.view
    points = [m.start() for m in _POINT.finditer(view, lo, hi)] if "是" in view[lo:hi] else ()
    for start, end, kind in cues.before(lo, hi):
        if points and points[0] <= start and end <= points[-1]:
            continue  # `一是…预计完成6.8亿元；二是获得…1.3亿元`: a cue of an earlier point of the list
            # (the words that open the list, `下一步，将做好以下工作：一是…；二是…`, still reach)
        if _in_breakdown(view, lo, start, end, hi):
            continue  # `新建学校5所，其中2所已于去年底开工；新增学位3000个`: 已 tells of the part only
        if kind == "weak_result":
            if section_status == status.TARGET:
                continue  # `全年共新增学位1200个`, `今年秋季开学，…` in a plan: its sum, its time
            kind = status.RESULT
        if kind == status.RESULT and section_status == status.TARGET and _describes_noun(view, start, end, hi):
            continue  # `在已完成8所学校改造的基础上，再改造学校5所`: what the plan builds on
        if kind == status.FACT and view.startswith(EXISTING_STATE_CUES, start) and _ACHIEVED_AFTER.match(view, hi):
            return status.RESULT  # `共有15名教师在优质课评比中获奖`: those who won, not what exists
        if kind == status.FACT and _CLAUSE_BREAK.search(view, end, hi):
            # `全县现有中小学校82所，在校学生4.6万人`: the existing state goes on through the
            # clauses that only list more of it; a clause that does or sets something is its own
            own = max(view.rfind(c, end, hi) for c in ",，;；") + 1
            if _ACTION.search(view, own, hi) or not view.startswith(EXISTING_STATE_CUES, start):
                continue
        if kind == status.FACT and view.startswith(STOCK_CUES, start):
            if _LEVEL_AFTER_STOCK.search(view, end, hi):
                continue  # `每千人口拥有托位数达到4.5个`: a level to reach, not what exists
            stock = True  # `确保全县共有20所学校通过验收`: a stock a plan commits to reach,
            continue  # `截至12月底，全区专任教师共有6840人`: one reached, reported
        if stock and kind not in (status.TARGET, status.RESULT, "weak_target"):
            break
        if stock and (view.startswith("目前", start) or "开学" in view[start:end]):
            return status.FACT  # `目前，全县共有中小学186所`, `今年秋季开学，全县共有学校186所`: the existing state
        if kind == "weak_target":
            if section_status == status.RESULT and not (own_plan and _plan_opening(view, lo, start, end, hi)):
                continue  # `规划总投资…`, `将…从A降至B` describe what was done in a review
            return status.TARGET  # `一、完成情况 计划新建学校18所，实际完成20所`: the plan, restated
        if kind == status.RESULT and view.startswith("占", start) and (
                not status.done_before(view, start) or _PLANNED_SHARE.search(view, _clause_of(view, lo, start), start)):
            continue  # `投放计划5900个，占招生计划总数的72%`: a plan's own share, nothing done; `确保完成投资
            # 占计划总投资的80%`: a share the clause plans
        if kind == status.RESULT and view.startswith("累计", start):
            # `全区累计新增学位2.1万个` reports, `到2027年，累计新增…` plans; bare 累计 in a plan's
            # section sums up what the plan is to reach (`累计培训学时36学时`)
            if end - start > 2 or section_status != status.TARGET:
                cumulative = True
            continue
        if kind == status.RESULT and (cues.view[start:end].endswith(_COMPARISON_CUES)
                                      or (view[start] in "比较由从" and view[start + 1] == "上")):
            # `比上年增加…`, and against the last term (`比上学期`, `由上学年的`): planned where the
            # clause plans, else a result
            comparison = True
            continue
        return kind
    if stock:
        return status.FACT
    if cumulative:
        return status.RESULT
    return "comparison" if comparison else None


def _row_baselines(structure, quantities: list[Quantity]) -> dict[int, int]:
    """In a table row, the n-th number of the target column starts from the n-th of the baseline
    column (an indicator table's `2020年` / `2025年`, `基期` / `目标`)."""
    rows: dict[int, tuple[list[int], list[int]]] = {}
    if not structure.tables:
        return {}
    for k, q in enumerate(quantities):
        cell = structure.cell_at(q.start)
        if cell is None or cell[0] not in ("baseline", "target"):
            continue
        base, target = rows.setdefault(id(cell[1]), ([], []))
        (base if cell[0] == "baseline" else target).append(k)
    found = {}
    for base, target in rows.values():
        if base and (len(base) == len(target) or len(base) == 1):
            for n, k in enumerate(target):
                b = base[min(n, len(base) - 1)]
                if quantities[b].unit_written == quantities[k].unit_written:
                    found[k] = b  # a change in points (`每年降低1个百分点`) starts from no level in %
    return found


# A year opening a clause as its period; not a month, a holiday or a part of it (`2025年1月，…`,
# `2025年元旦期间，…` in a review tell when something was done).
_CLAUSE_YEAR = re.compile(r"[ \t]*(20\d\d)年(?!前|底|末|[0-9]{1,2}月|[一二三四五六七八九十]{1,3}月|元旦|春节|寒假|暑假|暑期"
                          r"|春季|秋季|上半年|下半年|第?[一二三四]季度|初)")
# A year opening a sentence on its own (`2026年，我们将…`).
_SENTENCE_YEAR = re.compile(r"[ \t]*(20\d\d)年(?:度)?[,，]")


def _clause_opens_with_year(view: str, pos: int, year: int) -> bool:
    """Whether the clause holding `pos` opens with the document's year or a later one."""
    m = _CLAUSE_YEAR.match(view, context.clause_start(view, pos))
    return bool(m and m.end() <= pos and int(m.group(1)) >= year)


_PLAN_PARAGRAPH = re.compile(r"[ \t\u3000]*(?:下一步|下步|下阶段|下一阶段|今后一个时期|明年)")


def _names_earlier_year(heading: str | None, year: int | None) -> bool:
    """Whether a section heading names a year before the document's (`一、2024年工作回顾`)."""
    if not heading or not year or "20" not in heading:
        return False
    m = _AS_OF_YEAR.search(heading)
    return bool(m and int(m.group(1)) < year)


def _opens_with_year(view: str, lo: int, pos: int, year: int) -> bool:
    """Whether the sentence from `lo` opens with `year` or a later one, on its own."""
    m = _SENTENCE_YEAR.match(view, lo)
    return bool(m and m.end() <= pos and int(m.group(1)) >= year)


def _row_deadline(text: str, structure, pos: int) -> str | None:
    cell = structure.cell_at(pos)
    if cell is None:
        return None
    for start, end, role in cell[1].cells:
        if role == "deadline":
            limit = text[start:end].strip()
            return limit if limit and names_time(limit) else None
    return None


_PLAN_OF_SHARE = re.compile(r"占[^,，。;；\d]{0,6}(?:计划|任务|目标)[^,，。;；\d]{0,4}$")
_INDICATOR_COUNT = re.compile(r"(?:任务)?指标(?:中|就是|是|为|[,，:：])|(?:为民|民生|惠民)实事(?:项目)?")


def _status(view: str, q: Quantity, structure, cues: status.CueIndex, doc_index: int,
            previous: str | None = None, cell=None) -> tuple[str, str | None]:
    """(target|result|fact, heading that decided it or None). The nearest cue decides: the
    quantity's own sentence (left of it, or `已` right after its noun), else its section heading
    or the document's title, else the sentences before it in the same section, else a plan."""
    section_status, heading = structure.status_at(q.start, doc_index)
    # a table cell (`cell`: start, end, role, row) is read apart from its row's other cells
    cell_lo, cell_hi = (cell[0], cell[1]) if cell else (0, len(view))
    after = view[q.alt_end:min(q.alt_end + 14, cell_hi)]  # what status.target_after and result_after first test
    if status.target_after(view, q.alt_end, cell_hi):
        return status.TARGET, None
    year = structure.documents[doc_index].year if 0 <= doc_index < len(structure.documents) else None
    # a review of a year before the document's (`一、2024年工作回顾` in a 2025 plan): its plans are past
    past_review = section_status == status.RESULT and _names_earlier_year(heading, year)
    if (view.startswith("的", q.alt_end) and not past_review
            and _PLAN_OF_SHARE.search(view, max(0, q.start - 12), q.start)):
        return status.TARGET, None  # `占年度计划4亿元的90%`: the plan a share is measured against
    if (q.unit_written in ("项", "件") and _INDICATOR_COUNT.match(view, q.alt_end)) or (
            q.unit_written == "个" and view.startswith("方面", q.alt_end)):
        # `26项指标中，13项指标已完成`, `十个方面30项为民实事…进展顺利`: the plan's indicators or
        # projects, the scope reported on
        return status.TARGET, None
    done_after = "已" in after
    if done_after and status.scope_of_progress(view, q.alt_end, cell_hi):
        return status.TARGET, None
    sentence_end = min(cues.sentence_end(q.start), cell_hi)
    if section_status == status.RESULT and status.project_scope(view, q.start, sentence_end):
        return status.TARGET, None  # `项目总投资860万元，截至6月底已完成投资520万元`: the scope reported on
    if done_after and status.result_after(view, q.alt_end, near=True, limit=cell_hi):
        return status.RESULT, None  # `5个项目已于3月完工`: the cue right after the noun is nearest
    if status.share_of_plan(view, q.start):
        return status.RESULT, None
    lo = max(cues.sentence_start(q.start), cell_lo)
    # whether the sentence is about a year before the document's: read once, where it is asked
    past_year = status.opens_with_past_year(view, lo, q.start, year) if section_status == status.RESULT else None
    cue = _cue_before(cues, lo, q.start, section_status, own_plan=not (past_year or past_review))
    if past_year is None and cue in (None, "comparison"):
        past_year = status.opens_with_past_year(view, lo, q.start, year)
    if cue == "comparison" and past_year:
        return status.RESULT, None  # `2025年，全县教育经费投入14.3亿元，同比增长6.5%` in a 2026 plan
    if cue == "comparison" and section_status:
        return section_status, heading
    if cue is not None and cue != "comparison":
        return cue, None
    if cue is None and year and (
            _opens_with_year(view, lo, q.start, year + 1)
            or structure.status_of_document(doc_index) == status.TARGET and _opens_with_year(view, lo, q.start, year)
            or (section_status != status.RESULT or structure.status_of_document(doc_index) == status.TARGET)
            and _clause_opens_with_year(view, q.start, year)):
        # (not the year a summary reviews: `2023年新建成学校6所`; a later year plans in a review too:
        # `一、2023年工作回顾 … 2024年，我们将…新增学位270个`)
        return status.TARGET, None  # `2025年新增学位1620个，2026年新增学位2000个。` in a 2026 plan
    if cue is None and past_year:
        return status.RESULT, None  # `2024年，全县新增公办学位1860个。` in a 2025 plan
    if cue is None and status.done_after(view, q.alt_end, sentence_end):
        return status.RESULT, None  # `全年新建学校19所，超额完成省下达任务。`
    if done_after and status.result_after(view, q.alt_end, limit=cell_hi):
        return status.RESULT, None
    if cell is not None:
        role = cell[2]
        if role == "result":
            return status.RESULT, heading
        if role == "baseline":
            return status.FACT, None
        table_plans = any(r in ("result", "baseline") for r in cell[3].roles)
        if role in ("target", "name") and (table_plans or section_status != status.RESULT):
            return status.TARGET, None
    if section_status == status.RESULT and _PLAN_PARAGRAPH.match(view, view.rfind("\n", max(0, lo - 2000), lo) + 1):
        return status.TARGET, None  # a paragraph opened by `下一步，…` plans, in a report too
    if section_status:
        return section_status, heading
    floor = max(structure.section_start(q.start, doc_index), lo - 400)
    cue = _cue_before(cues, floor, lo, None)
    if cue == status.RESULT:
        return status.RESULT, None
    if cue is None and previous == status.RESULT:
        return status.RESULT, None  # a report goes on reporting: the cue of the quantity before
    return status.TARGET, None


def _quoted_status(cues: status.CueIndex, quote_start: int, pos: int) -> str:
    """A quantity in a quoted goal is a target unless a cue inside the quotation says otherwise."""
    cue = _cue_before(cues, quote_start, pos, None)
    return cue if cue in (status.RESULT, status.FACT) else status.TARGET


def _as_of(text: str, cues: status.CueIndex, q: Quantity, structure, openers: list[tuple[int, int]],
           heading: str | None, headline: str | None, doc_start: int) -> str | None:
    """The period a result is reported for: in its sentence (or a year opening it), else a date in
    its heading, else in its top-level section's heading, else a paragraph that opened with one
    (`过去五年，…`) in the same top-level section, else the last `截至…` date before it there (a
    report's dateline), else a period in its heading, else in its document's title or headline."""
    lo = cues.sentence_start(q.start)
    span = (cues.period_before(lo, q.start) or status.opening_period(cues.view, lo, q.start)
            or status.done_on(cues.view, lo, cues.sentence_end(q.start)))
    if span:
        return text[span[0]:span[1]]
    # the document's own title or headline comes last: a paragraph opening with `2025年，` in a
    # 2026 plan reports 2025
    dated = status.heading_date(heading) if heading and heading != headline else None
    if dated:
        return dated  # `一、2021年工作回顾`: the heading's own date beats a paragraph's `过去一年`
    k = bisect.bisect_right(openers, (q.start, len(cues.view))) - 1
    t = bisect.bisect_right(structure.top_section_starts, q.start) - 1
    floor = structure.top_section_starts[t] if t >= 0 else 0
    if t >= 0 and floor >= doc_start and structure.top_section_headings[t] != heading:
        dated = status.heading_date(structure.top_section_headings[t])
        if dated:
            return dated  # `一、2024年度主要工作成效` over its `（一）…`: the top heading's date
    if k >= 0 and openers[k][0] >= floor and not (headline and _opens_line(text, openers[k][0], headline)):
        return text[openers[k][0]:openers[k][1]]  # (the title's own line is no paragraph)
    reported = cues.reported_date_before(max(floor, doc_start), lo)
    if reported:  # `截至7月底…总体进展顺利` … `●已建成3所幼儿园`: the date the report last gave
        return text[reported[0]:reported[1]]
    for words in (heading, headline):
        found = status.heading_as_of(words) if words else None
        if found:
            return found
    return None


def _opens_line(text: str, pos: int, line: str) -> bool:
    """Whether the line holding `pos` is `line` (a document's title)."""
    start = text.rfind("\n", 0, pos) + 1
    return text.startswith(line.strip()[:12], start + len(text[start:pos]) - len(text[start:pos].lstrip()))


def _same_row(structure, a: int, b: int) -> bool:
    """Whether two positions stand in the same table row (a flattened row spans lines)."""
    ca, cb = structure.cell_at(a), structure.cell_at(b)
    return ca is not None and cb is not None and ca[1] is cb[1]


def _link_results(view: str, targets: list[Target], results: list[Result], structure) -> None:
    """A result reports progress on the nearest target before it of the same unit, in its item
    (or, when neither stands in an item, in its section within a few paragraphs) whose metric
    shares a word, else on the nearest one in its sentence or table row; failing both, on a
    target after it whose metric shares a word (a report's progress, then its plan for the year).
    Distances are counted without the CR of CRLF line ends, which would otherwise decide."""
    years = [d.year for d in structure.documents]
    target_starts = [t.span.start for t in targets]
    for r in results:
        best = nearest = None
        r_item = r.item.id if r.item else None
        for t in reversed(targets):
            if t.span.start > r.span.start or t.document != r.document:
                continue
            gap = r.span.start - t.span.start
            if gap > 1500 and gap - view.count("\r", t.span.start, r.span.start) > 1500:
                break
            if t.unit != r.unit or t.category != r.category:
                continue
            if (t.item.id if t.item else None) != r_item:
                continue
            if gap >= 200:
                gap -= view.count("\r", t.span.start, r.span.start)
            same_sentence = not _SENTENCE_END.search(view, t.span.end, r.span.start) or _same_row(
                structure, t.span.start, r.span.start)
            if _shares_word(t.metric or "", r.metric or "") and (same_sentence or not _other_part(t, r)):
                best = t  # what it measures in common (`招聘教师150名…已招聘教师132名`)
                break
            if same_sentence and gap < 200 and nearest is None:
                nearest = t  # `计划投资76.8亿元…截至6月底完成46.1亿元`
        best = best or nearest
        if best is None:
            best = _plan_after(view, targets, target_starts, r)
        if best is not None and _before_the_plan(r, years):
            best = None  # `据了解，2024年全县共新增学位3800个` reports no progress on this year's plan
        r.target = best.id if best else None


def _other_part(t: Target, r: Result) -> bool:
    """Whether two measures stand in different sub-sections (`（一）实验中学新建工程` /
    `（二）第二十三小学改扩建工程`): parts of a report on different projects."""
    return (t.section != r.section and t.section is not None and r.section is not None
            and t.section.lstrip()[:1] in "(（" and r.section.lstrip()[:1] in "(（")


_PLAN_NAMED = re.compile(r"计划|目标|任务")
_IN_YEAR = re.compile(r"上半年|截[至止]|[0-9一二三四五六七八九十]月|季度|今年以来|目前|前[三两]季度")


def _plan_after(view: str, targets: list[Target], target_starts: list[int], r: Result) -> Target | None:
    """The year's target stated after the progress on it (`一、上半年工作进展 累计完成投资2.43亿元 …
    二、下半年工作计划 确保全年完成投资5.86亿元`): same unit, item and metric, within a few
    paragraphs, and not a target for the second half alone. Only progress within the year (as of
    a month, a quarter, a half year) looks ahead: a review of a past year reports on its own plan."""
    if not _IN_YEAR.search(r.as_of or ""):
        return None
    k = bisect.bisect_right(target_starts, r.span.start)
    for t in targets[k:]:
        if t.document != r.document or t.span.start - r.span.start > 1500:
            break
        if (t.unit == r.unit and t.category == r.category
                and (t.item.id if t.item else None) == (r.item.id if r.item else None)
                and _shares_word(t.metric or "", r.metric or "") and "下半年" not in t.text
                and (_SENTENCE_END.search(view, r.span.end, t.span.start) or _PLAN_NAMED.search(view, r.span.end, t.span.start))):
            return t  # (in the same sentence, only a plan so named: `…1.8亿元，年度计划投资2.4亿元`;
            # another count there is what remains: `已建成3所，另有2所…于11月底前建成`)
    return None


_SENTENCE_END = re.compile(r"[。!?！？\n]")
_AS_OF_YEAR = re.compile(r"(20\d\d)年")


def _before_the_plan(r: Result, years: list[int | None]) -> bool:
    """Whether a result is reported for a period before its document's year (去年, 2024年 in a
    2025 text): progress on an earlier plan, not on this one's targets."""
    as_of = r.as_of or ""
    if "去年" in as_of or "上年" in as_of:
        return True
    m = _AS_OF_YEAR.search(as_of)
    year = years[r.document] if 0 <= r.document < len(years) else None
    return bool(m and year and int(m.group(1)) < year)


def _shares_word(a: str, b: str) -> bool:
    """Whether two metrics name the same thing: the head word (last two characters) of one stands
    in the other (`计划投资`/`完成投资`, `学位`/`公办学位`); a modifier in common is not enough
    (`学生体质健康优良率`/`学生近视率`), nor a head that names only a kind of figure (`公共化比率`/
    `总预算比率`: then three characters must be shared)."""
    if len(a) < 2 or len(b) < 2:
        return False
    size = 3 if a[-2:] in _GENERIC_HEADS or b[-2:] in _GENERIC_HEADS else 2
    return a[-size:] in b or b[-size:] in a


_GENERIC_HEADS = frozenset(("比率", "比例", "占比", "人数", "数量", "总数", "总量", "规模", "水平"))


def extract(text: str) -> Extraction:
    """Every numeric target and result of a plan or report (one document or a compilation).
    Lines a page's layout wrapped (text pasted from a PDF) are read joined; spans still point
    into `text` as submitted."""
    view = normalise(text)
    unwrapped = unwrap(text, view)
    if unwrapped is None:
        return _extract(text, view)
    return _restore(_extract(unwrapped.text, normalise(unwrapped.text)), unwrapped, text)


def _restore(extraction: Extraction, unwrapped: Unwrapped, text: str) -> Extraction:
    """Spans of the joined text mapped back to the submitted one (a raw that a wrap cut in two
    holds the line break, as written)."""
    for doc in extraction.documents:
        doc.span = Span(*unwrapped.span(doc.span.start, doc.span.end))
        for item in doc.items:
            item.span = Span(*unwrapped.span(item.span.start, item.span.end))
    for measure in (*extraction.targets, *extraction.results):
        start, end = unwrapped.span(measure.span.start, measure.span.end)
        measure.span = Span(start, end)
        measure.raw = text[start:end]
    return extraction


def _extract(text: str, view: str) -> Extraction:
    structure = parse_structure(text, view)
    quoted: list[tuple[int, int]] | None = None  # read when a quantity passes the cheaper tests
    quoted_starts: list[int] = []
    quoted_goals: list[tuple[int, int]] = []
    goal_starts: list[int] = []
    quantities = list(find_quantities(view))
    if structure.title_number_starts:
        quantities = _split_item_numbers(view, quantities, structure.title_number_starts)
    quantities = _join_ranges(view, quantities)
    quantities = _join_magnitudes(view, quantities)
    if structure.tables:
        cells = list(bare_values(view, structure.tables))
        if cells:
            quantities = sorted(quantities + cells, key=lambda q: q.start)
    baseline_of = _baselines(view, quantities)
    baseline_of.update(_row_baselines(structure, quantities))
    baseline_used = set(baseline_of.values())
    baseline_of = {k: v for k, v in baseline_of.items() if k >= 0}
    openers: list[tuple[int, int]] = []  # read at the first result (plans have none)
    cues = status.CueIndex(view)
    targets: list[Target] = []
    results: list[Result] = []
    warnings: list[str] = list(structure.warnings)
    counters: dict[int, int] = {}
    result_counters: dict[int, int] = {}
    last_section, previous = None, None
    yuan: dict[int, str] = {}  # the currency of a bare 元, by document
    last_metric: tuple[int, str] | None = None  # (sentence start, metric) of the quantity before
    last_counted: tuple[int, str, str, str] | None = None  # (sentence start, unit, metric, category)
    last_per_head: tuple[int, tuple] | None = None  # (sentence start, per head) of money before
    refs: dict[str, ItemRef] = {}

    def item_ref(item) -> ItemRef:
        """One ItemRef per item, shared by its measures (an item holds many)."""
        ref = refs.get(item.id)
        if ref is None:
            ref = refs[item.id] = ItemRef(item.id, item.number, item.title)
        return ref

    for k, q in enumerate(quantities):
        doc_index, item, section = structure.locate(q.start)
        if doc_index is None:
            continue  # a table of contents or outline ahead of the documents
        if context.exclusion(view, q) or q.chinese == "零":
            continue  # `零部件` holds no count
        cell = structure.cell_with_span(q.start)  # (start, end, column role, row)
        if cell is not None and cell[2] in _NOT_MEASURED_COLUMNS:
            continue  # a row number, a unit's name, a date or a note
        if quoted is None:
            quoted, quoted_goals = context.quoted_spans(view)
            quoted_starts = [s for s, _ in quoted]
            goal_starts = [s for s, _ in quoted_goals]
        j = bisect.bisect_right(quoted_starts, q.start) - 1
        if j >= 0 and quoted[j][0] <= q.start and q.end <= quoted[j][1]:
            continue  # inside a quoted name, code or slogan
        section_key = (doc_index, structure.section_start(q.start, doc_index))
        if section_key != last_section:
            last_section, previous = section_key, None
        g = bisect.bisect_right(goal_starts, q.start) - 1 if quoted_goals else -1
        goal = quoted_goals[g] if g >= 0 and q.start < quoted_goals[g][1] else None
        if goal is not None:  # `指标就是“新建幼儿园80所”`: the goal as written, unless it says done
            kind, heading = _quoted_status(cues, goal[0], q.start), None
        else:
            kind, heading = _status(view, q, structure, cues, doc_index, previous, cell)
        previous = kind
        if kind == status.FACT or k in baseline_used:
            continue  # background and starting levels are returned nowhere (a baseline rides on its target)
        per_head = context.money_per_head(view, q)
        sentence = context.sentence_bounds(view, q.start, q.end)
        clause_lo = context.clause_start(view, q.start)
        if cell is not None and cell[3].joined:  # cells run together: no mark between them ends a sentence
            sentence = (max(sentence[0], cell[0]), min(sentence[1], cell[1]))
            clause_lo = max(clause_lo, cell[0])
        if q.unit_written in CURRENCIES:
            if per_head is not None:
                last_per_head = (sentence[0], per_head)
            elif (last_per_head and last_per_head[0] == sentence[0]
                  and _CHANGE_OF_RATE.search(view, clause_lo, q.start)
                  and _COMPARISON_ONLY.fullmatch(view[clause_lo:q.start].strip(" \t"))):
                per_head = last_per_head[1]  # `每人每月不低于300元，较上年提高100元`: a change of that rate
            elif (last_per_head and last_per_head[0] == sentence[0]
                  and _LEVEL_ONLY.fullmatch(view[clause_lo:q.start].strip(" \t"))):
                per_head = last_per_head[1]  # `小学生均…不低于850元，初中不低于1050元`: the same rate, another level
        unit, currency, category, low, high = _unit_and_category(q, per_head)
        named = context.currency_before(view, q) if q.unit_written == "元" and q.start else None
        if named:
            currency = named
        elif currency == "CNY" and q.unit_written == "元":
            if doc_index not in yuan:
                span = structure.documents[doc_index].span if doc_index < len(structure.documents) else None
                yuan[doc_index] = _yuan_of(text, span.start, span.end) if span else "CNY"
            currency = yuan[doc_index]
        cell_start = cell[0] if cell is not None else None
        if cell_start is not None:  # a clause never reaches back past its table cell's start
            clause_lo = max(clause_lo, cell_start)
        for m in _RUN_IN_ITEM.finditer(view, clause_lo, q.start):
            clause_lo = m.end()  # `…（一）扩大资源1.新建公办幼儿园3所`: lost line breaks; the item starts here
        comparator = context.comparator(view, q, clause_lo, reported=kind == status.RESULT)
        value, low, high = _bounds(comparator, None if q.is_range else low, low, high)
        clause_hi = sentence[1]
        after_noun = context.words_after(view, q, clause_hi)
        metric = context.metric(view, q, clause_lo, after_noun)
        direction = context.direction(view, q, clause_lo)
        label = _row_label(view, cell[3], q.start, own_words=metric is not None) if cell is not None else None
        unit_heading = cell[3].cell_units.get(cell_start) if cell_start is not None and cell[3].cell_units else None
        if unit_heading and metric is None:  # `计划投资（万元） | 9800`: the column names what is measured
            label = context.label_text(view[unit_heading[0]:unit_heading[1]])
        if label and metric is None:  # `新增学位 | 3000个 | 3260个`: the row's name says what the value measures
            metric, direction = label, direction or context.label_direction(label)
        if _COMPARISON_ONLY.fullmatch(metric or view[clause_lo:q.start].strip(" \t")):
            # `毛入学率达到92.4%，比上年提高1.2个百分点`: the change of what the sentence measured
            metric = last_metric[1] if last_metric and last_metric[0] == sentence[0] else metric
        elif (last_counted and last_counted[0] == sentence[0] and last_counted[1] == q.unit_written
              and not after_noun and _NOUN_LEFT_OUT.fullmatch(metric or "")):
            # `任务数为新增普惠性学位3000个，实际新增3280个`, `新建阅读空间20处，已建成8处`:
            # the noun left out is the one counted before in the sentence
            metric = last_counted[2]
            if category == "other":
                category = last_counted[3]
        elif metric:
            last_metric = (sentence[0], metric)
        category = _refine_category(category, unit, metric, after_noun or "")
        if label and label != metric:  # `已完成4800个` under `新增学位`: seats, as its row counts
            category = _refine_category(category, unit, label, "")
        if q.unit_written == "位" and _counts_seats(metric or ""):
            unit, category = "位", "seats"  # 新增学位3800位: 位 counts seats here, not people
        if metric and not _NOUN_LEFT_OUT.fullmatch(metric):
            last_counted = (sentence[0], q.unit_written, metric, category)
        common = dict(
            document=doc_index,
            item=item_ref(item) if item else None,
            section=section,
            text=text[sentence[0]:sentence[1]].strip(),
            span=Span(q.start, q.end),
            raw=text[q.start:q.end],
            value=to_number(value), low=to_number(low), high=to_number(high),
            unit=unit, currency=currency, category=category, comparator=comparator,
            direction=direction,
            per=per_head[0] if per_head else context.per(view, q, clause_lo),
            metric=metric,
            responsible_units=list(item.responsible_units) if item else [],
            responsible_leaders=list(item.responsible_leaders) if item else [],
        )
        if kind == status.RESULT:
            if not results:
                openers = status.paragraph_openers(view)
            # a plan's title (`…2026年工作要点`) names the year planned, not the one its review
            # section (`一、工作回顾`) reports
            reported_in = (None if structure.status_of_document(doc_index) == status.TARGET and section
                           and status.heading_status(section) == status.RESULT else structure.headlines[doc_index])
            result_counters[doc_index] = result_counters.get(doc_index, 0) + 1
            results.append(Result(id=f"r{doc_index}-{result_counters[doc_index]}",
                                  as_of=_as_of(text, cues, q, structure, openers,
                                               heading or section or reported_in,
                                               reported_in,
                                               structure.documents[doc_index].span.start),
                                  **common))
            continue
        found = context.deadline(view, q, sentence)
        baseline = None
        if k in baseline_of:
            b = quantities[baseline_of[k]]
            b_unit, _, _, b_low, _ = _unit_and_category(b, context.money_per_head(view, b))
            baseline = Baseline(raw=text[b.start:b.end], value=to_number(b_low))
        counters[doc_index] = counters.get(doc_index, 0) + 1
        targets.append(Target(
            id=f"t{doc_index}-{counters[doc_index]}",
            deadline=(text[found[0]:found[1]].strip() if found
                      else _row_deadline(text, structure, q.start) or (item.deadline if item else None)),
            baseline=baseline,
            **common,
        ))
    context.inherit_from_heads(view, sorted(targets + results, key=lambda m: m.span.start))
    _link_results(view, targets, results, structure)
    return Extraction(documents=structure.documents, targets=targets, results=results, warnings=warnings)
