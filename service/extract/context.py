"""What the words around a quantity say about it: whether it is a target at all (exclusions),
its comparator, direction, period (`per`), deadline and metric.

Each function looks at a small window of the normalised view: the clause the quantity stands
in (from the last `,` `、` `;` `。` or line end) and, for deadlines, the sentence.
"""
from __future__ import annotations

import re

import regex

from .lexicon import (
    ARABIC_ONLY_UNITS,
    BREAKDOWN_CUES,
    CURRENCY_PREFIXES,
    PHASE_NAMES_AFTER,
    PREVIOUS_PERIOD,
    CN_ONE_BLOCKED_UNITS,
    CN_ONE_DESCRIPTIVE_AFTER,
    CN_ONE_WORD_PREFIXES,
    COMPARATORS_ADJACENT_ONLY,
    COMPARATORS_AFTER,
    COMPARATORS_BEFORE,
    COMPLETION_OBJECTS,
    COMPLETION_VERBS,
    COMPOUND_VERB_TAILS,
    CONDITION_CONSEQUENCES,
    CONDITION_HEADS,
    CONDITION_NOUNS,
    EVENT_UNITS,
    GRADE_WORDS,
    HOLDING_VERBS,
    PAGE_COUNTER_WORDS,
    SCORE_SCALE_WORDS,
    SCORING_STEPS,
    COUNTED_AFTER_QUOTE,
    COPULA_BEFORE_ONE,
    CURRENCIES,
    DEADLINE_WORDS,
    DECREASE_VERBS,
    DURATION_AFTER_GE,
    FIXED_NUMERAL_EXPRESSIONS,
    FORMULA_AFTER_CN_COUNT,
    GOAL_VERBS,
    INCREASE_VERBS,
    LEVEL_MARKERS,
    LEVEL_VERBS,
    LIST_JOINERS,
    MONTH,
    NAME_SUFFIXES_AFTER_UNIT,
    NEGATION_BEFORE,
    ORDINAL_PREFIXES,
    OWN_VERBS,
    PAGE_NAVIGATION,
    PER_HEAD_PERIODS,
    PER_HEAD_STANDARD,
    PER_HEAD_WORDS,
    PER_NOUNS,
    REPORTED_BY_AFTER_JU,
    REPORTING_VERBS,
    STOCK_NOUNS,
    TASK_LIST_KEYWORDS,
    TITLE_KEYWORDS,
    NAMED_PLAN_KEYWORDS,
    VAGUE_BEFORE,
)
from .numerals import CN_NUMERAL_CHARS
from .quantities import Quantity
from .scan import alternation


# Quoted names, slogans and codes: “1+X”, “5个1”, “两个只增不减”.
QUOTED = re.compile(r"“[^”\n]{1,24}”|\"[^\"\n]{1,24}\"|‘[^’\n]{1,24}’|《[^》\n]{1,60}》")
# A table's cell boundary (`|`, a tab) ends a clause and a sentence, as a line end does.
_CLAUSE_BREAK = re.compile(r"[,，、;；:：。!?！？\n|\t]")
_SENTENCE_BREAK = re.compile(r"[。;；!?！？\n|\t]")
# The same classes searched backwards (`(?r)`): the last break before a position in one step.
# A space between two Chinese characters parts the halves of a headline (`新增公办学位2.6万个 新建…`).
_CLAUSE_BREAK_LAST = regex.compile(r"(?r)[,，、;；:：。!?！？\n|\t]|(?<=[\u4e00-\u9fff])[ \u3000](?=[\u4e00-\u9fff])")
_SENTENCE_BREAK_LAST = regex.compile(r"(?r)[。;；!?！？\n|\t]")
_COMPARATOR_BEFORE = re.compile(rf"(?:{alternation(COMPARATORS_BEFORE)})(?=[^,、;。\n0-9%]{{0,20}}$)")
# How far after a quantity a `/学期` or a `以上` may stand. Every match after a quantity is
# bounded by it: `regex` looks for a pattern's required literal (`/`) up to `endpos` first, so an
# unbounded match would scan to the end of the text for every quantity.
_AFTER_REACH = 16
_COMPARATOR_AFTER = re.compile(rf"[ \t]*(?P<w>{alternation(COMPARATORS_AFTER)})")
# One alternation of words, which the scan skips through in C to a verb's first character (two
# named groups of them it tried at every character); no verb of one kind begins one of the other,
# so a match is the same word either way and its kind is looked up.
_DIRECTION = re.compile(rf"(?<!改造)(?<!扩建)(?<!改善)(?<!改建)(?<!建设)(?<!质量)(?<!学历)(?<!能力)"
                        rf"(?:{alternation(INCREASE_VERBS + DECREASE_VERBS)})(?!值)")
# 增加值 is a noun; 改造提升 one verb with its object counted (`改造提升农村学校食堂50所`); 学历提升,
# 能力提升 name programmes
_INCREASE = frozenset(INCREASE_VERBS)
_LEVEL = re.compile(rf"^(?:{alternation(LEVEL_MARKERS)})")
_LEVEL_END = re.compile(r"(?:至|到)[ \t]*(?:每[^\d,、;。\n]{0,4})?$")
_PER = re.compile(
    rf"每(?:个|一个|所|一所|位|名|间)?(?P<n>[0-9]+|[{CN_NUMERAL_CHARS}]+)?(?:个|所)?(?P<noun>{alternation(PER_NOUNS)})"
)
# A time limit (`到年底`, `6月底前完成`); as a date that opens a metric (`到年底党支部规范化率`) it
# may follow 截至, as a deadline not: `截至8月底` is the date a result is reported for.
_DATE = (r"(?<!延伸)(?<!延伸到)(?<!延伸至)(?<!延伸到寒)(?<!延伸至寒)(?<!拓展到)(?<!已)"
         r"(?:(?:(?<=[,，;；:。\n])|(?<=力争)|(?<=确保)|(?<=争取)|(?<=计划)|(?<=目标)|^)到[ \t]?\d{4}[ \t]?年(?![底末前内年度])"
         # `到2030年，…达到97%`, `力争到2027年…`: a limit, not a bare year (not `提高到2028年的92%`)
         r"|\d{4}[ \t]?年年?内(?:完成)?"  # `2026年内新开工学校7所`
         # (a year of the Republic of China era, `民国115年底前`, `115年前`, as Taiwan writes them)
         r"|(?:到|至|于)?[ \t]?(?:(?:\d{4}[ \t]?|(?:民国)?1[01]\d|[零〇一二三四五六七八九]{4})年(?:年?底|年?末)(?:前|之前)?(?:完成)?"
         r"|(?:\d{4}[ \t]?|(?:民国)?1[01]\d)年(?:前|之前)(?![三两几0-9]|[一二三四]季度)(?:完成)?|(?:\d{4}[ \t]?年[ \t]?)?"
         rf"(?:{MONTH}(?:[、,和及至-]{MONTH})*(?:[ \t]?\d{{1,2}}[ \t]?[日号]|底|末|中旬|上旬|下旬|初|份|中)?(?:开学)?(?:前|之前|以前)?(?:完成)?"
         rf"|(?<!少)(?:{alternation(DEADLINE_WORDS)})(?:前|之前)?(?:完成)?(?!起|以来|托管|班|服务|课程|活动|学校|夏令营))))")
# (`秋季学期起` is a start; `暑期托管服务`, `寒假班` name a service; `少年底数` holds no 年底;
# `将课后服务延伸到寒暑假` names where a service reaches, not when)
# 全年 before a verb that holds a level (`失业率全年控制在5.5%以内`) is the year over which.
_YEAR_LONG = r"全年(?=控制在|保持在|稳定在|维持在)"
_LEADING_DATE = re.compile(f"{_DATE}|{_YEAR_LONG}")
# As deadlines, besides: a span of years from now (`5年内`), and 全年 so placed after what it holds
# (opening a sentence, 全年 is the plan's period).
_DEADLINE = re.compile(
    rf"(?<!截)(?<!截至)(?<!\d)(?:(?:\d{{1,2}}|[{CN_NUMERAL_CHARS}]{{1,2}})(?:个)?(?:学)?年(?:内|之内)(?!容|涵|部|外)|{_DATE}"
    rf"|(?<=[\u4e00-\u9fff]){_YEAR_LONG})")
_DEADLINE_NEEDS = re.compile(r"底|末|前|内|旬|贯穿|学期|半年|寒假|暑|完成|全年|到[ \t]?\d{4}")
_PAREN = re.compile(r"\(([^()\n]{2,24})\)")


def clause_start(view: str, pos: int, floor: int = 0) -> int:
    """Start of the clause holding `pos` (after the last clause break; a 、 inside a short
    parenthesis lists alternatives of one noun, `各县(市、区)新建…`, and breaks nothing)."""
    lo = max(floor, pos - 60)
    m = _CLAUSE_BREAK_LAST.search(view, lo, pos)
    if m and view[m.start()] == "、" and _IN_SHORT_PAREN.match(view, m.end(), min(pos, m.end() + 6)):
        m = _CLAUSE_BREAK_LAST.search(view, lo, view.rfind("(", lo, m.start()) if "(" in view[lo:m.start()] else m.start())
    start = m.end() if m else lo
    opened = view.rfind("(", start, pos)
    if opened >= 0 and view.find(")", opened, pos) < 0 and not _IN_SHORT_PAREN.match(view, opened + 1, pos + 6):
        return opened + 1  # `第二幼儿园（新增学位270个）`: the clause inside the parenthesis
    return start


_IN_SHORT_PAREN = re.compile(r"[^()\n,，。;；]{1,4}\)")


_COMMA_BREAK_LAST = regex.compile(r"(?r)[,，;；:：。!?！？\n|\t]")


def _comma_start(view: str, pos: int) -> int:
    """Start of the comma-delimited stretch holding `pos` (an enumeration with `、` inside)."""
    lo = max(0, pos - 80)
    m = _COMMA_BREAK_LAST.search(view, lo, pos)
    return m.end() if m else lo


def sentence_bounds(view: str, start: int, end: int) -> tuple[int, int]:
    lo = max(0, start - 200)
    m = _SENTENCE_BREAK_LAST.search(view, lo, start)
    left = m.end() if m else lo
    m = _SENTENCE_BREAK.search(view, end, min(len(view), end + 200))
    right = m.start() if m else min(len(view), end + 200)
    return left, right


# A quotation that states a goal (`一项指标就是“全市新建幼儿园80所”`) holds a target, not a name:
# long enough for a clause, with a verb of building or adding before its number.
_QUOTED_GOAL = re.compile(rf"(?:{alternation(GOAL_VERBS)})"
                          r"[^0-9一二三四五六七八九十两百千]{0,12}[0-9一二三四五六七八九十两]")
_QUOTED_GOAL_LENGTH = 10
_SPEECH_MARKS = re.compile(r"[,，。;；!?！？]")


def quoted_spans(view: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Spans of quoted names, codes and slogans, and apart the spans of quoted goals."""
    names, goals = [], []
    for m in QUOTED.finditer(view):
        if m.end() - m.start() >= 10 and _SPEECH_MARKS.search(view, m.start() + 1, m.end() - 1):
            continue  # `“全校每周开设不少于3节体育课，”校长说`: words said, read as any text
        if (view[m.start()] in "“\"" and m.end() - m.start() - 2 >= _QUOTED_GOAL_LENGTH
                and _QUOTED_GOAL.search(view, m.start() + 1, m.end() - 1)):
            goals.append(m.span())
        else:
            names.append(m.span())
    return names, goals


# As tuples, so that one C call tests them all.
_OWN_VERBS = tuple(OWN_VERBS)
_NEGATION_BEFORE = tuple(NEGATION_BEFORE)
_ORDINAL_PREFIXES = tuple(ORDINAL_PREFIXES)
# `前` closing a time limit (`年底前5所`, `9月前3所`, `开学前`) is no rank (`前10名`).
_TIME_BEFORE_QIAN = frozenset("底末月旬年日号学假节")
_NAME_SUFFIXES_AFTER_UNIT = tuple(NAME_SUFFIXES_AFTER_UNIT)


# `每600名学生配备1名`, `每千名学生配置…`: after 每, a count of what another count is set per.
_STAFFING_AFTER = re.compile(r"[^,，。;；\d]{0,6}?(?:配备|配置|设置|设立|配齐|至少配|不少于|建立|建设|安排)"
                             r"|[^,，。;；\d]{0,4}?[0-9一二三四五六七八九十两]{1,3}名")  # `每1000名学生1名`
# A count that names which units a rule holds for (`超过1000人的学校`, `2亿元以上的项目`).
_CONDITION_AFTER = re.compile(
    rf"(?:以上|以下|及以上|及以下)?的(?:{alternation(CONDITION_NOUNS)}"
    # `…低于60分的，不得…`, `缺勤超过4学时的不予结业`: the clause names a case, a rule follows
    rf"|[,，]|{alternation(CONDITION_CONSEQUENCES + ('将', '均'))})"
    r"|(?:以上|以下|及以上|及以下)(?:方可|者|人数)")  # `得票率达到60%以上方可上报`, `600分以上人数`
# For a share only the case a rule names is a condition (`满意度低于90%的，扣5分`); `90%以上的学校
# 建成智慧校园` is a rate to reach.
_CONDITION_CASE = re.compile(rf"(?:以上|以下|及以上|及以下)?的(?:[,，]|{alternation(CONDITION_CONSEQUENCES)})"
                             r"|(?:以上|以下|及以上|及以下)(?:方可|者)")
# `新签约10亿元以上产业项目15个`: an amount of money naming which projects count
_PROJECT_CLASS_AFTER = re.compile(r"(?:以上|以下)[\u4e00-\u9fff]{0,4}项目")
_COUNTER_AFTER = tuple(PAGE_COUNTER_WORDS)
# A scoring rule's unit of deduction (`每少1节扣0.2分`, `发现一次扣5分`): the case, not a goal.
_SCORING_BEFORE = re.compile(rf"(?:{alternation(SCORING_STEPS)})$")
_SCORING_AFTER = re.compile(r"[^,，。;；\n]{0,10}?[扣加减][ \t]*[\d一二三四五六七八九十两半]")
# Grading bands and a score's scale (`90分以上为优秀`, `满分为150分`, `合格分数线为60分`).
_GRADE_AFTER = re.compile(rf"(?:及)?(?:以上|以下)?(?:为|评为|定为|属于|的为)(?:{alternation(GRADE_WORDS)}|[A-D]等?)")
_SCALE_BEFORE = re.compile(rf"(?:{alternation(SCORE_SCALE_WORDS)})(?:为|是)?[ \t]*$")
# (before it, a word of more or less: `超过`, `不足` …, as the lexicon's gt/lt comparators)
_CONDITION_BEFORE = tuple(w for w, c in COMPARATORS_BEFORE.items() if c in ("gt", "lt"))


# A notice's list of attachments (`附件:1.2025年县政府工作报告任务清单` / `2.2025年十五件民盼实事任务
# 分解`): each line a numbered document title, what it counts is part of a name.
_ATTACHMENT_ENTRY = re.compile(
    r"[ \t]*(?:附件[ \t]*[:：]?[ \t]*)?\d{1,2}[.、．][ \t]*[^\n。;；,，!?]{4,60}?(?:"
    + alternation(TITLE_KEYWORDS + TASK_LIST_KEYWORDS + NAMED_PLAN_KEYWORDS + ("名单", "清单", "方案", "计划", "表"))
    + r")》?[ \t]*(?:[(（][^()（）\n]{1,10}[)）])?[ \t]*$")
_ATTACHMENT_REACH = 240


def _in_attachment_list(view: str, q: Quantity) -> bool:
    lo = max(0, q.start - _ATTACHMENT_REACH)
    label = view.rfind("附件", lo, q.start)
    if label < 0:
        return False
    start = view.rfind("\n", lo, q.start) + 1
    end = view.find("\n", q.start, q.start + 80)
    if end < 0:
        end = min(len(view), q.start + 80)
    if not _ATTACHMENT_ENTRY.match(view[start:end]):
        return False
    # the label opens this line, or a line of the list above it (no sentence between)
    return label >= start or "。" not in view[label:start]


_ATTENDING = re.compile(r"[参出列与]")
_ATTENDANCE_AFTER = re.compile(
    r"[^,，。;；:：\n]{0,12}?(?:参加|出席|列席)(?:了)?(?:本次|此次|这次)?(?:会议|大会|推进会|座谈会|动员会|部署会|"
    r"启动仪式|开班仪式|仪式|开幕式|发布会)|[^,，。;；:：\n]{0,8}?(?:参会|与会)")


# `组织200名校长参加会议`: people sent to a meeting are planned, not a meeting's attendance reported.
_SENDING_BEFORE = re.compile(r"(?:组织|选派|安排|推荐|邀请|动员|确保)[^,，。;；\n]{0,8}$")


def exclusion(view: str, q: Quantity) -> str | None:
    """Why this quantity is not a target, or None when it may be one."""
    before = view[max(0, q.start - 4):q.start]
    if before.endswith(_NEGATION_BEFORE):
        return "negation"  # 不让一名学生…: a promise about none, not a count
    if before.endswith("每") and (_STAFFING_AFTER.match(view, q.alt_end, q.alt_end + 12) or view.startswith("口", q.alt_end)):
        return "per"  # `按每600名学生配备1名…`, `每十万人口…`: the standard's denominator, its `per`
    if before.endswith(_ORDINAL_PREFIXES) and not (
            before[-1] == "前" and before[-2:-1] in _TIME_BEFORE_QIAN):
        return "ordinal"
    if before[-1:] in _LIST_JOINER_CHARS and _ORDINAL_LIST.search(view, max(0, q.start - 16), q.start):
        return "ordinal"  # `第7、8节`: the 8 is the eighth period, as the 7 is the seventh
    after = view[q.alt_end:q.alt_end + 4]  # the longest word tested after it has four characters
    if after.startswith(_NAME_SUFFIXES_AFTER_UNIT):
        return "name"
    if q.unit_written == "期" and after.startswith(PHASE_NAMES_AFTER):
        return "name"  # `一期工程`: a phase, not a count of sessions
    if q.unit_written == "期" and after[:1] in ("中", "末"):
        return "date"  # `11.6期中考试`: a day of a school calendar before 期中/期末
    if q.unit_written == "对" and after[:1] and (after[0].isdigit() or after[0] in CN_NUMERAL_CHARS):
        return "name"  # `1对1帮扶`
    if q.unit_written == "年" and (before.endswith("用") or after.startswith(("行动", "计划", "攻坚", "规划", "工程"))):
        return "duration"  # `用三年时间`, `三年行动`: the span of a programme, no goal
    if (("的" in after or "以" in after[:1]) and (before.endswith(_CONDITION_BEFORE) or after.startswith(("以上", "以下")))
            and (_CONDITION_AFTER if q.unit_written != "%" or before.endswith(_CONDITION_BEFORE)
                 else _CONDITION_CASE).match(view, q.alt_end, q.alt_end + 8)):
        return "condition"  # `学生规模超过1000人的学校`: which schools a rule holds for; a share (`90%以上的学校`) is a rate
    if q.unit_written in CURRENCIES and _PROJECT_CLASS_AFTER.match(view, q.alt_end, q.alt_end + 8):
        return "condition"
    if _ATTENDING.search(view, q.alt_end, q.alt_end + 24) and _ATTENDANCE_AFTER.match(
            view, q.alt_end, q.alt_end + 24) and not _SENDING_BEFORE.search(
            view, max(0, q.start - 12), q.start):
        return "attendance"  # `全区56所学校的校长参加会议`: who came to a meeting, no goal
    if _in_attachment_list(view, q):
        return "name"  # `附件:…2.2025年十五件民盼实事任务分解`: an attached document's title
    if after.startswith(_COUNTER_AFTER):
        return "counter"  # `已有 1234 人阅读`: a web page's counter
    if _SCORING_BEFORE.search(before) and _SCORING_AFTER.match(view, q.alt_end, q.alt_end + 16):
        return "scoring"  # `每少1节扣0.2分`: the step of a deduction
    if q.unit_written == "分" and (_GRADE_AFTER.match(view, q.alt_end, q.alt_end + 10)
                                   or _SCALE_BEFORE.search(view, max(0, q.start - 8), q.start)):
        return "scale"  # `90分以上为优秀`, `满分为150分`: how a score is read, no goal
    if before[-1:] in VAGUE_BEFORE and q.chinese:
        return "vague"  # 数十所, 上百名
    if q.unit_written == "个" and after.startswith(DURATION_AFTER_GE):
        return "duration"
    fixed = FIXED_NUMERAL_EXPRESSIONS.get(view[q.start:q.end])
    if fixed and after.startswith(fixed):
        return "fixed expression"
    if q.unit_written in ("人", "名", "位"):
        m = _COMPARATOR_AFTER.match(view, q.alt_end, q.alt_end + _AFTER_REACH)
        if m and m.group("w") != "左右":
            head = _CLAUSE_BREAK.split(view[m.end():m.end() + 14], maxsplit=1)[0]
            if any(noun in head for noun in CONDITION_HEADS):
                return "condition"  # 5人以上随班就读的学校: which schools, not how many people
    if q.chinese is not None and q.unit_written in ARABIC_ONLY_UNITS:
        return "word"
    if q.chinese is not None and not q.is_range and q.unit_written != "%":
        numeral = q.chinese
        if numeral == "二" and q.unit_written in _EVENT_UNITS and before.endswith(_HOLDING_VERBS):
            return None  # `每学年办理二次`: Taiwan writes 二 where the mainland writes 两
        if numeral in ("百", "千", "万", "二") or numeral.startswith(("百", "千")):
            return "name"  # 百名讲师团, 千名教师: programme names, not counts
        if numeral == "一" and before[-1:] in CN_ONE_WORD_PREFIXES:
            return "word"  # 统一, 唯一, 之一
        if numeral == "一" and view[q.start - 1:q.end] in PAGE_NAVIGATION:
            return "link"  # [上一篇] [下一篇] of a web page
        if numeral == "一" and q.unit_written in CN_ONE_BLOCKED_UNITS:
            return "word"
        if numeral == "一" and after.startswith(CN_ONE_DESCRIPTIVE_AFTER):
            return "word"  # 一项重要内容, 一个好心态: description, not a count
        if numeral == "一" and before.endswith(COPULA_BEFORE_ONE):
            return "word"  # 是一个发展中大国: what something is, not how many
        if q.unit_written == "个" and after.startswith(FORMULA_AFTER_CN_COUNT):
            return "slogan"  # 两个维护, 四个意识
        if after.startswith(("“", "\"")) and not _COUNTED_UNDER_QUOTE.match(view, q.alt_end, q.alt_end + 32):
            return "slogan"  # 两个“全覆盖”; not `三个“智慧课堂”示范点`, `两次“校园开放日”活动`
        # `一人一案`, `一生一策`: the same numeral again right after the measure word is a slogan.
        if after[:1] == numeral[:1]:
            return "slogan"
        if before[-1:] and before[-1] in CN_NUMERAL_CHARS:
            return "slogan"
    return None


_LIST_JOINER_CHARS = "、,，和及至-"
_ORDINAL_LIST = re.compile(r"(?:第|序号)[ \t]*[0-9一二三四五六七八九十]{1,3}(?:[、,，和及至-][0-9一二三四五六七八九十]{1,3})*[、,，和及至-]$")


# A quoted name that modifies what is counted (`建设三个“智慧课堂”示范点`, `评选十名“最美教师”`):
# the quotation is followed by the counted noun, or names people or events a verb selects or holds.
_COUNTED_UNDER_QUOTE = re.compile(
    rf"[“\"][^”\"\n]{{1,16}}[”\"][^,，。;；\n“”\"]{{0,3}}?(?:{alternation(COUNTED_AFTER_QUOTE)})")
# Words that bound a plan's number from above, and in a report only say where it was held:
# `赤字率控制在2.8%` reports 2.8% (with 以内 or 以下 after it, a bound still).
_HELD_AT = frozenset({"控制在"})


_EVENT_UNITS = frozenset(EVENT_UNITS)
_HOLDING_VERBS = tuple(HOLDING_VERBS)
_CURRENCY_BEFORE = re.compile(rf"(?:{alternation(CURRENCY_PREFIXES)})[ \t]*$")


def currency_before(view: str, q: Quantity) -> str | None:
    """The currency named right before an amount in 元 (`港币180万元`, `约新台币200亿元`)."""
    m = _CURRENCY_BEFORE.search(view, max(0, q.start - 5), q.start)
    return CURRENCY_PREFIXES[m.group().strip()] if m else None


def comparator(view: str, q: Quantity, clause_lo: int, reported: bool = False) -> str:
    if q.is_range:
        return "between"
    if q.infix:
        return "gt"
    m = _COMPARATOR_AFTER.match(view, q.alt_end, q.alt_end + _AFTER_REACH)
    if m:
        return COMPARATORS_AFTER[m.group("w")]
    left = view[clause_lo:q.start]
    m = None
    for m in _COMPARATOR_BEFORE.finditer(left):
        pass
    if m:
        word = m.group()
        gap = left[m.end():]
        if word in COMPARATORS_ADJACENT_ONLY and gap.strip() not in ("", "为", "是", "有") and gap.strip() not in CURRENCY_PREFIXES:
            return "eq"
        if reported and word in _HELD_AT:
            return "eq"  # no word after the number (that would have decided above)
        # 控制在…以内 is `le` with or without 以内; a verb between keeps the comparator.
        return COMPARATORS_BEFORE[word]
    return "eq"


# A direction verb further than this before the number is no amount of change of it.
_DIRECTION_REACH = 20
_LONGEST_VERB = max(map(len, INCREASE_VERBS + DECREASE_VERBS))


def direction(view: str, q: Quantity, clause_lo: int) -> str | None:
    """`increase`/`decrease` when the nearest verb before the number makes it an amount of change.

    `新增公办园3所、学位900个`: an enumeration shares the verb that opens it, so without a verb in
    its own clause a number looks back over the `、` clauses before it, but only as far as a verb
    can reach (never over the whole enumeration: that made a list of n counts cost n²)."""
    left = view[clause_lo:q.start]
    m = None
    for m in _DIRECTION.finditer(left):
        pass
    if not m and clause_lo > 0 and view[clause_lo - 1] == "、" and not any(
            noun in left for noun in STOCK_NOUNS) and not left.lstrip().startswith(_OWN_VERBS):
        lo = max(_comma_start(view, clause_lo), q.start - _DIRECTION_REACH - _LONGEST_VERB)
        left = view[lo:q.start]
        for m in _DIRECTION.finditer(left):
            pass
    if not m:
        return None
    between = left[m.end():]
    if between.startswith(COMPOUND_VERB_TAILS):
        return None  # 提升改造50所: one verb, not an amount of change
    if len(between) > _DIRECTION_REACH or _LEVEL.match(between.lstrip()) or "达" in between or "为" in between:
        return None
    if _LEVEL_END.search(between):
        return None  # `增加…名额至每年400个`: the level reached, named after the noun
    return "increase" if m.group() in _INCREASE else "decrease"


def label_direction(label: str) -> str | None:
    """The direction a table row's name gives its bare values (`新增学位` → increase); a task
    written as a sentence (`推进职业中专扩容提升`) names no amount of change."""
    m = _DIRECTION.match(label)  # the verb opens the name: `新增学位`, not `推进…扩容提升`
    if not m or _LEVEL.match(label[m.end():].lstrip()) or label[m.end():].startswith(COMPOUND_VERB_TAILS):
        return None
    return "increase" if m.group() in _INCREASE else "decrease"


def label_text(cell: str) -> str | None:
    """A row name as a metric: without Markdown, a unit in brackets (`毛入园率(%)`) or a number."""
    label = _METRIC_PAREN.sub("", cell.replace("*", "")).strip(" \t\u3000")
    label = _ITEM_NUMBER.sub("", label).strip().rstrip("。;；")
    return label or None


_PER_SLASH = re.compile(rf"[ \t]*/[ \t]*(?P<noun>{alternation(PER_NOUNS)})")


def per(view: str, q: Quantity, clause_lo: int) -> str | None:
    slash = _PER_SLASH.match(view, q.alt_end, q.alt_end + _AFTER_REACH)
    if slash:  # `2次/年`, `4节/周`
        return slash.group("noun")
    m = None
    for m in _PER.finditer(view, clause_lo, q.start):
        pass
    if not m and clause_lo > 0 and view[clause_lo - 1] == "、":
        # `每学期至少开展2次心理健康普查、1次家长会`: one 每 governs the list it opens
        for m in _PER.finditer(view, max(_comma_start(view, clause_lo), q.start - 40), clause_lo):
            pass
    if not m:
        return None
    n = m.group("n")
    noun = m.group("noun")
    if n:
        from .numerals import number_value
        value = number_value(n)
        if value is None:
            return noun
        return f"{int(value) if value == int(value) else value}{noun}"
    return noun


# Any unit a count is made for also heads money (`讲课费每学时1000元`, `每个县(市、区)安排…50万元`).
_PER_UNIT_HEADS = [n for n in PER_NOUNS if n not in ("学期", "学年", "季度", "周", "月", "天", "日", "年", "半年", "晚")]
_PER_HEAD = re.compile(
    rf"(?P<head>{alternation(PER_HEAD_WORDS)})|(?P<period>{alternation(PER_HEAD_PERIODS)})"
    rf"|每(?:个|一个|所|间|位|名)?(?P<unit>{alternation(_PER_UNIT_HEADS)})|{PER_HEAD_STANDARD}(?!化)")
# Between `标准` and the amount only a verb of setting may stand (`标准提高到`, `标准为每生`).
_STANDARD_TO_AMOUNT = re.compile(
    r"^(?:再|将|分别|由|从|统一|提高|提升|增加|上调|调整|调增|达到|达|为|是|至|到|不低于|不少于|不高于|不超过"
    rf"|{alternation(PER_HEAD_WORDS)}|{alternation(PER_HEAD_PERIODS)}|[ \t])*$")
_PERIOD_NOUNS = frozenset(PER_HEAD_PERIODS.values())
_PER_HEAD_SLASH = re.compile(rf"[ \t]*/[ \t]*(?P<noun>{alternation(PER_NOUNS)})")


def money_per_head(view: str, q: Quantity) -> tuple[str | None] | None:
    """`(per,)` when money is an amount per head or per unit (`生均公用经费每生每年800元` -> `生·年`,
    `最低标准提高25元` -> None), else None: then it is a total, in 亿 of its currency."""
    if q.unit_written not in CURRENCIES:
        return None
    if q.is_range and q.high is not None and q.high >= 10**8 or q.low >= 10**8:
        return None  # 亿 are never per head
    slash = _PER_HEAD_SLASH.match(view, q.alt_end, q.alt_end + _AFTER_REACH)
    lo = max(_comma_start(view, q.start), q.start - 40)
    head = period = None
    standard = False
    for m in _PER_HEAD.finditer(view, lo, q.start):
        if m.group("head"):
            head = PER_HEAD_WORDS[m.group("head")]
        elif m.group("unit"):
            head = m.group("unit")
        elif m.group("period"):
            period = PER_HEAD_PERIODS[m.group("period")]
        elif _STANDARD_TO_AMOUNT.match(view[m.end():q.start]):
            standard = True
    if slash:  # `800元/生`, `1200元/年`
        noun = slash.group("noun")
        if noun in _PERIOD_NOUNS:
            period = period or noun
        else:
            head = head or noun
    if head is None and not standard and (period is None or q.low >= 10**4):
        return None
    if head and period:
        return (f"{head}·{period}",)
    return (head or period,)


def _is_deadline(text: str) -> bool:
    return bool(_DEADLINE_NEEDS.search(text))


# `截至2024年10月底`: the date a result is reported for, though a year stands between.
_REPORTED_AT = re.compile(r"截[至止](?:到|至)?[ \t]*(?:\d{4}[ \t]*年)?[ \t]*$")


_HALF_YEAR_OPENING = re.compile(r"(?:\d{4}年)?(?:[上下]半年|春季学期|秋季学期|本学期|第[一二]学期)[ \t]*[,，]")


def _time_limit(view: str, m: re.Match) -> bool:
    """A deadline phrase that limits time: not the date of a report (`截至2024年10月底`), nor
    the half year or term that opens a sentence as its period (`上半年，新增学位2100个`,
    `秋季学期，学校计划开展…`)."""
    if not m.group() or not _is_deadline(m.group()):
        return False
    if _REPORTED_AT.search(view, max(0, m.start() - 12), m.start()):
        return False
    if _HALF_YEAR_OPENING.match(view, m.start()) and (m.start() == 0 or view[m.start() - 1] in "。!?！？;；\n"):
        return False
    phrase = m.group()
    if phrase.endswith("完成") and view[m.end():m.end() + 1] not in _CLAUSE_END_CHARS:
        phrase = phrase[:-2]  # `下半年完成投资1.7亿元`: 完成 is the clause's verb, no limit word
    if not _LIMIT_WORD.search(phrase):  # a bare period (`下半年`, `秋季学期`, `暑期`) opening its sentence
        lo = max(0, m.start() - 24)
        brk = _SENTENCE_BREAK_LAST.search(view, lo, m.start())
        if _OPENING_PREFIX.fullmatch(view, brk.end() if brk else lo, m.start()) and (brk or lo == 0):
            return False  # (`今年秋季学期，…`, `据介绍，2024年秋季学期，…`, `下半年再招聘…`)
    return True


_LIMIT_WORD = re.compile(r"^到|前|内|底|末|旬|完成|贯穿")
_CLAUSE_END_CHARS = frozenset(",，。;；)）!?！？\n")
_OPENING_PREFIX = re.compile(rf"[ \t]*(?:今年|明年|本年|20\d\d年)?[ \t]*|[ \t]*(?:据[^,，。]{{0,8}}(?:{alternation(REPORTED_BY_AFTER_JU)})"
                             rf"|[^,，。]{{1,12}}(?:{alternation(REPORTING_VERBS)}))[,，][ \t]*(?:今年|明年|本年|20\d\d年)?[ \t]*")


# A deadline written after the quantities it bounds governs their completion:
# `…项目5个,建设面积1.78万平方米,计划年内全部竣工`.
# The verb ends its clause (`全部竣工,`, `完成)`): `年底前完成全区督导评估` is a task of its own.
_COMPLETION_AFTER = re.compile(
    rf"[^,;。()\n]{{0,6}}?(?:{alternation(COMPLETION_VERBS)})(?:{alternation(COMPLETION_OBJECTS)})?(?:任务)?(?=[,;:。()!?\n]|$)")
_DIGIT = re.compile(r"\d")
# A count that is the subject of a time limit: its noun, then `(将)于…前` or a bare month or year's
# end (`其余3所力争6月底前开工`).
_SUBJECT_OF_LIMIT = re.compile(r"[^,;:。()!?\n\d]{0,6}?(?:将|计划|拟|预计|力争|确保|要)?"
                               r"(?=于|在|\d{1,2}月|[一二三四五六七八九十]{1,2}月|年底|年内|年末)")
_CLAUSE_ENDS = re.compile(r"[ \t]*(?:任务)?(?=[,;:。()!?\n]|$)")  # after a deadline holding its 完成


def _deadline_after(view: str, start: int, end: int, skip_parens: bool) -> tuple[int, int] | None:
    """The first deadline phrase in view[start:end] followed by a verb of completion (outside a
    parenthesis when `skip_parens`: a note in one bounds its own quantities)."""
    if not _DEADLINE_NEEDS.search(view, start, end):
        return None
    for m in _DEADLINE.finditer(view, start, end):
        if not _time_limit(view, m):
            continue
        if skip_parens and view.rfind("(", start, m.start()) > view.rfind(")", start, m.start()):
            continue
        if not (_COMPLETION_AFTER.match(view, m.end(), end) or (
                m.group().endswith("完成") and _CLAUSE_ENDS.match(view, m.end(), end))):
            continue  # `…1个,年底前全部完成`, `…1个,年底前完成。`
        if _DIGIT.search(view, clause_start(view, m.start(), start), m.start()):
            continue  # `…40场次,…,其余18场次将于年底前完成`: the deadline of another count
        return m.start(), m.end()
    return None


def deadline(view: str, q: Quantity, sentence: tuple[int, int]) -> tuple[int, int] | None:
    """Span of the deadline for this quantity: a parenthesis after it in its sentence
    (`…100场(贯穿全年)`, `…(6月底前完成)`); for a quantity inside a parenthesis, a deadline of
    completion later in it (`(省定任务5个、要求10月底全部完工)`); a deadline phrase earlier in the
    sentence (`到年底…达90%`); else one of completion later in the sentence, outside parentheses
    (`…5个,计划年内全部竣工`). A bare year or `全年` opening the sentence is not a deadline."""
    lo, hi = sentence
    opened = view.rfind("(", lo, q.start)
    if opened >= 0 and view.rfind(")", opened, q.start) < 0:  # inside a parenthesis
        close = view.find(")", q.alt_end, hi)
        found = _deadline_after(view, q.alt_end, close, False) if close >= 0 else None
        if found:
            return found
    for m in (_PAREN.finditer(view, q.alt_end, hi) if view.find("(", q.alt_end, hi) >= 0 else ()):
        if _paren_deadline(m):
            return m.start(1), m.end(1)
    if view[hi:hi + 2] == "。(":
        m = _PAREN.match(view, hi + 1)  # `…新增学位900个。(6月底前完成)`: the sentence's own note
        if m and _paren_deadline(m):
            return m.start(1), m.end(1)
    subject = _SUBJECT_OF_LIMIT.match(view, q.alt_end, hi)
    if subject:  # `剩余2所将于11月中旬前完成安装调试`: the count is what the limit is for, nearest
        m = _DEADLINE.match(view, subject.end() + (view[subject.end()] == "在"), hi)
        if m and _time_limit(view, m):
            return m.start(), m.end()
    found = None
    if _DEADLINE_NEEDS.search(view, lo, q.start):  # every deadline holds one of these
        for m in _DEADLINE.finditer(view, lo, q.start):
            if _time_limit(view, m) and _limits_from(view, m, q.start):
                found = (m.start(), m.end())
    return found or _deadline_after(view, q.alt_end, hi, True)


_LIMIT_CLAUSE_REST = re.compile(r"[ \t]*(?:前|之前|内|完成)?[ \t]*[,，;；]")


def _limits_from(view: str, m: re.Match, pos: int) -> bool:
    """Whether a time limit bounds the quantity at `pos`: it stands in the quantity's clause, or
    frames what follows (`年底前，…达到90%`), or goes on over the clauses after its own that list
    more or give the size of its task (`力争到年底规范化率达90%，优良率达56%`, `10月底前完成城东幼儿园
    改扩建，新增学位360个`) until one opens with a period of its own (`3月底前出台实施方案，全年培训…`,
    `…，同时…`) or counts a frequency (`每学期…`)."""
    end = m.end()
    brk = _CLAUSE_BREAK.search(view, end, pos)
    if brk is None or _LIMIT_CLAUSE_REST.match(view, end) is not None:
        return True
    return not _OWN_PERIOD.search(view, brk.start(), pos)


# A later clause with a period of its own (`全年…`, `同时…`) or a frequency (`每学期…`; not a rate per
# head, `每人每年3000元`) is not bounded by an earlier clause's limit.
_OWN_PERIOD = re.compile(r"[,，;；][ \t]*(?:全年|今年|同时)|(?<![人生名位户])每(?:个|一)?(?:[0-9一二三四五六七八九十两半]{1,2}[个]?)?"
                         r"(?:学期|学年|季度|半年|月|周|天|日|年|两周)")  # (`每10天`, `每半月` too)


_PAREN_LIMIT_TAIL = re.compile(rf"[^()]{{0,4}}?(?:{alternation(COMPLETION_VERBS)})")


def _paren_deadline(m: re.Match) -> bool:
    """A parenthesis that is a time limit (`(6月底前完成)`), or one and the completion it bounds
    (`(8月底前拨付到位)`, `(9月底前投入使用)`)."""
    inner = m.group(1).strip()
    if _DEADLINE.fullmatch(inner) and _is_deadline(inner):
        return True
    d = _DEADLINE.match(inner)
    return bool(d and d.group() and _is_deadline(d.group()) and _PAREN_LIMIT_TAIL.fullmatch(inner, d.end()))


_METRIC_LEAD = re.compile(r"^(?:[◆◇■□●○▲△★☆►▶•·①②③④⑤⑥⑦⑧⑨⑩⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽ \t]+|[一二三四五六七八九十]是|第[一二三四五六七八九十]+条"
                          r"|\d{1,2}[)）][ \t]*|(?:20)?\d\d年度?[,，]?|力争|争取|确保|努力|全力|推动|实现|使|让|其中|全年|今年|年内|本学期|本学年|本年度|全市|全区|全县"
                            r"|创建|新建|建设|建成|打造|培养|评选|认定|开展|组织|举办|争创|新增|增加|增设|新开工|改扩建|续建|已经|已|累计|共计|合计|总计|共)+")
_LEVEL_VERB = re.compile(rf"[ \t]*(?:{alternation(LEVEL_VERBS)})")
_METRIC_PAREN = re.compile(r"\([^()]*\)")
_ITEM_NUMBER = re.compile(r"^[ \t]*(?:\*\*)?\d{1,3}[.、．][ \t]*")
_METRIC_AFTER_STOP = re.compile(r"[,，、;；。\s(（)）]|以上|以下|以内|左右|将|已|于|^(?:并|且|后|以|用于)")
_BEFORE_VERBS = (*COMPARATORS_BEFORE, "达到", "达", "为", "保持", "稳定在", "提高至", "提升至", "提高到",
                 "提升到", "提高", "提升", "增加", "新增", "下降", "降低", "减少", "完成", "实现", "在", "至",
                 "到", "共计", "合计", "总计", "累计", "共", "已经", "已", "力争", "争取", "确保", "须", "必须", "要",
                 "应", "同比", "比上年", "较上年", "比去年", "较去年", "比上学期", "较上学期", "比上学年",
                 "较上学年", "比上年度", "较上年度", *CURRENCY_PREFIXES)
_METRIC_BEFORE_VERBS = re.compile(rf"(?:{alternation(_BEFORE_VERBS)})+$")
# Patterns anchored at the end are tried at every character of the string; what they strip must
# end it, so a test of the string's end (in C) spares the scan when it cannot match.
_ENDS_IN_VERB = tuple(_BEFORE_VERBS) + ("\n",)
# `教师培训覆盖率由96%提高到…`: the starting level is no part of what is measured.
# (tried only where a number follows it): `由96%…`, `较2024年的48.6%…`, `在2025年90.5%的基础上…`
_METRIC_FROM = re.compile(rf"(?:由|从)[^由从]*$|(?:较|比)(?:{PREVIOUS_PERIOD}|同期)[^较比]*$"
                          r"|在[^在]*的基础上[^在]*$")


_JOINERS = alternation(LIST_JOINERS)
_NEXT_MEMBER = re.compile(rf"[ \t]*(?:{_JOINERS})[ \t]*[\d{CN_NUMERAL_CHARS}]")
_PREVIOUS_MEMBER = re.compile(rf"(?:[\d.]+[^\d,，、;；。]{{0,6}}?[ \t]*(?:{_JOINERS})[ \t]*)+$")
_ENDS_IN_JOINER = tuple(LIST_JOINERS)


def words_after(view: str, q: Quantity, clause_hi: int) -> str | None:
    """The noun after the unit when the words there name what is measured (`新建3所[公办园]`;
    "" when they do but hold only 的), else None: then `metric` reads the words before it."""
    # The members of a list that share one unit share its noun too (`分别新增学位2.35万和6000个`):
    # read after the unit that ends the list and before the number that opens it.
    after = view[q.list_end if q.list_end is not None else q.alt_end:clause_hi]
    m = _COMPARATOR_AFTER.match(after) or _PER_SLASH.match(after)
    if m:
        after = after[m.end():]
    if _NEXT_MEMBER.match(after):
        after = ""  # `分别投入1.5亿元[和3000万元]`: the next member of a list, no noun
    after = _METRIC_AFTER_STOP.split(after.replace("**", ""), maxsplit=1)[0]  # Markdown bold
    if len(after) >= 2 and not after.startswith(("以上", "以下", "左右", "的")):
        return after[:16].strip("的")
    return None


def metric(view: str, q: Quantity, clause_lo: int, after: str | None) -> str | None:
    """A short noun phrase for what is measured: the words after the unit (`words_after`, found
    once for both uses) or, when the quantity ends its clause, the words before it
    (`[普惠率]达到90%`)."""
    if after is not None:
        return after or None
    if q.list_start is not None and clause_lo <= q.start:
        before = view[clause_start(view, q.list_start):q.list_start]
    else:
        before = view[clause_lo:q.start]
    cut = before.rfind("分别")  # `小学和初中分别新增学位…`: the metric follows 分别
    if cut >= 0:
        before = before[cut + 2:]
    if before.rstrip(" \t\n").endswith(_ENDS_IN_JOINER):
        before = _PREVIOUS_MEMBER.sub("", before)  # `招聘教师[120名和]80名`
    if _is_deadline(before):  # a deadline holds one of its words; the long pattern only then
        for m in _LEADING_DATE.finditer(before):  # `到年底党支部规范化率…`: the metric follows the date
            if m.group() and _is_deadline(m.group()):
                head = before[:m.start()]
                # `…优良率年内达到`, `…失业率全年控制在`: a date between the metric and its verb
                level = _LEVEL_VERB.match(before, m.end()) and _METRIC_LEAD.sub("", head.strip(" \t,，"))
                before = head if level and not _DIGIT.search(head) else before[m.end():]
                break
    before = _ITEM_NUMBER.sub("", before.replace("**", ""))  # `4.创建…学校5所`; Markdown bold
    before = _METRIC_LEAD.sub("", _METRIC_PAREN.sub("", before).lstrip(" \t\ufeff")).rstrip(" \t")
    if before.endswith(_ENDS_IN_VERB):
        before = _METRIC_BEFORE_VERBS.sub("", before)
    if any(map(str.isdigit, before[-12:])):
        before = _METRIC_FROM.sub("", before)
        if before.endswith(_ENDS_IN_VERB):
            before = _METRIC_BEFORE_VERBS.sub("", before)
    before = before.replace("”“", "、").strip(" \t“”\"")
    return before[-16:] or None


_BREAKDOWN = re.compile(alternation(BREAKDOWN_CUES))
_HEAD_REACH = 40  # characters between a breakdown's head and its `其中`
_PART_GAP = 16  # characters between two parts of one breakdown


_TOTAL_AFTER_PARTS = re.compile(rf"总数|总量|总计|合计|累计|(?:{alternation(LEVEL_VERBS)})")


_COMPARISON_CLAUSE = re.compile(rf"[ \t]*(?:比|较)(?:{PREVIOUS_PERIOD}|同期)(?:同期)?"
                                r"(?:增加|增长|提高|提升|减少|下降|降低|多|少)(?:了)?[ \t]*")


def inherit_from_heads(view: str, measures) -> None:
    """A breakdown after `其中`/`分别为` takes the category and direction of its head (the nearest
    quantity of the same unit before the cue, in the same sentence), and the head's metric where
    its own names something else (`新增学位2.4万个,其中城区1.3万个` -> seats, increase, 学位). The
    breakdown goes on past a comma while its parts follow one another (`其中幼儿园420个,中小学4580个`).
    `measures` are targets and results in text order; they are updated in place."""
    if not measures or not _BREAKDOWN.search(view):
        return
    head_of: dict[int, object] = {}
    for i, part in enumerate(measures):
        lo = _comma_start(view, part.span.start)
        cue = None
        for cue in _BREAKDOWN.finditer(view, lo, part.span.start):
            pass
        head = None
        if cue is not None:
            for j in range(i - 1, -1, -1):
                candidate = measures[j]
                if candidate.span.end > cue.start():
                    continue  # an earlier part of the same breakdown
                if (cue.start() - candidate.span.end > _HEAD_REACH
                        or _SENTENCE_BREAK.search(view, candidate.span.end, cue.start())):
                    break
                if candidate.unit == part.unit:
                    if (j > 0 and measures[j - 1].unit == part.unit
                            and _COMPARISON_CLAUSE.fullmatch(view, _comma_start(view, candidate.span.start), candidate.span.start)):
                        continue  # `计划招生8200人，较去年增加500人，其中本科1600人`: the parts are the level's
                    head = candidate
                    break
        elif i > 0 and i - 1 in head_of:
            previous = measures[i - 1]
            if (previous.unit == part.unit and part.span.start - previous.span.end <= _PART_GAP
                    and not _SENTENCE_BREAK.search(view, previous.span.end, part.span.start)
                    and not _TOTAL_AFTER_PARTS.search(view, lo, part.span.start)):
                head = head_of[i - 1]  # not `…，学位总数达到1.2万个`: a total at a level ends the parts
        if head is None:
            continue
        head_of[i] = head
        part.category = head.category
        if part.direction is None:
            part.direction = head.direction
        if head.metric and not _shares_word(head.metric, part.metric or ""):
            part.metric = head.metric


def _shares_word(a: str, b: str) -> bool:
    grams = {a[i:i + 2] for i in range(len(a) - 1)}
    return any(b[i:i + 2] in grams for i in range(len(b) - 1))
