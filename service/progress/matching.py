"""Which result reports on which target, and how far each target got. Pure functions of rows
shaped like the store's `/targets` and `/results` rows (dicts); no Flask, no database.

A **result** (what a text reports as achieved) is matched to a **target** (what a plan commits
to) in one of two ways:

- **link**: the result stands in the same stored document as the target and the engine linked
  it to that target (`Result.target`: the store's `{"id", "key"}` of the target row, or the
  extraction's target id).
  Score 1.0.
- **evidence**: the result's issuer is the target's and its time (below) falls within the
  target's period. It must then pass every *gate* and reach `MATCH_THRESHOLD`:

  gates (any failing one means no match)
    unit       same unit, or a convertible one (`UNIT_FACTORS`; 所 and 个 for schools; % and
               百分点 only for an amount of change, never for a level)
    per        the same recurring period (`每学期2次` is never `2次`)
    direction  not opposite (increase vs decrease); for rates the same (a level `达到90%` is no
               change `提高5个百分点`); a count to build (no direction) may meet a count added
    metric     `metric_similarity >= METRIC_FLOOR` (0.70): `公办园`/`公办幼儿园` 0.75 passes,
               `公办园`/`民办园` 0.67 and `学位`/`托位` 0.50 do not

  score = weighted mean of the evidence that can be measured (`WEIGHTS`):
    metric 0.50 (similarity), item 0.20 (similarity of the item titles, or sections when a side
    has no item; left out when a side has no heading, or only one that names a period or a
    kind of text such as `一、2024年工作总结`), category 0.10 (equal),
    unit 0.10 (1 same, 0.9 converted), direction 0.10 (1 equal, 0.5 one side has none).

  So an equal metric carries a match even under an unrelated heading (0.82), while a metric
  that is only close (`中小学校长培训`/`中小学教师培训`, 0.71) needs its heading to agree too (0.69
  under an unrelated one).

  `by` names the evidence that agreed: `link`, `unit` (same or converted), `category`,
  `metric` (similarity >= 0.70), `item` (similarity >= `ITEM_AGREES`, 0.60), `direction`.

A result reports on at most one target of each stored document (the best-scoring one; ties go
to the lower target id), so a report's sentence never counts for two targets of one plan, while
a target restated in a mid-year report and the plan's own target may both take it.

**Time.** A target's period runs from the start of its plan's year to the end of the latest
year its deadline names (`到2025年底` in a 2023 plan: 2023-2025), else to the end of the plan
year. A result's time is read from its `as_of`, then its document's title: the year written
(`截至2024年6月底`, `2024年`), `去年`/`上年` = the document's year - 1, else the document's year;
the month written (`6月底`, `1-5月` → 5), `一季度` 3, `上半年` 6, `前三季度` 9, otherwise the year's
end (`全年`, `年底`, a bare year, a 工作总结). A result without any year is placed in its document's
year; one with neither a year nor a document year matches through its link only.

**Completion and status** (`assess`), from the latest matched result (newest time, then the
higher document id) whose value converts into the target's unit:

- `completion` = latest value / target value, when the target is one number (`value`) with
  comparator `eq`, `ge` or `gt`, and the result is one number (or a range's lower end);
  else `null` (for `le`/`lt` the cap is checked instead: a share has no meaning there).
- `elapsed` = months of the target's period gone by at the latest result's time / months of
  the period (a mid-year report on a one-year target: 0.5).
- status `met`: the value reaches the target (`>=` for eq/ge/approx and a range's low end,
  `>` for gt); for a cap (`le`/`lt`), it holds at the end of the period.
- `on_track`: not met yet, but completion >= elapsed (the share done keeps pace with the share of
  time gone); a cap that holds before the period ends; a report whose value cannot be compared.
- `behind`: completion < elapsed (or the period is over and the target not met), or a cap broken.
- `no_report`: no result matched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from rapidfuzz import fuzz

MATCH_THRESHOLD = 0.75
METRIC_FLOOR = 0.70
ITEM_AGREES = 0.60
PARTIAL_DISCOUNT = 0.9  # a metric contained in a longer one (`投资` in `计划总投资`) is close, not equal
# Below this length a partial alignment says little (`公办园` aligns 2 of 3 with `民办园`), so
# short strings count as partial matches only when one contains the other.
PARTIAL_MIN_LENGTH = 4
WEIGHTS = {"metric": 0.50, "item": 0.20, "category": 0.10, "unit": 0.10, "direction": 0.10}
CONVERTED_UNIT_SCORE = 0.9
ONE_SIDED_DIRECTION_SCORE = 0.5

# (from, to) -> factor: a value in `from` times factor is in `to`. Money is normalised to 亿 of
# its currency by the engine, except per-head money kept in 元; both are here for safety.
UNIT_FACTORS: dict[tuple[str, str], float] = {
    ("元", "亿元"): 1e-8, ("万元", "亿元"): 1e-4, ("元", "万元"): 1e-4,
    ("美元", "亿美元"): 1e-8, ("万美元", "亿美元"): 1e-4,
    ("千米", "公里"): 1.0, ("万平方米", "平方米"): 1e4,
}
# Units that count the same thing only within one category.
SAME_COUNT_UNITS = {"schools": frozenset({"所", "个", "家", "处"})}
CHANGE_OF_RATE_UNITS = frozenset({"%", "百分点"})

STATUSES = ("met", "on_track", "behind", "no_report")


# --------------------------------------------------------------------------- similarity


def similarity(a: str | None, b: str | None) -> float:
    """0..1: rapidfuzz's ratio, or its partial ratio (one inside the other) slightly discounted."""
    if not a or not b:
        return 0.0
    return _similarity(a, b)


@lru_cache(maxsize=1 << 16)  # the same metrics and headings meet again and again across a bureau
def _similarity(a: str, b: str) -> float:
    a, b = _plain(a), _plain(b)
    if not a or not b:
        return 0.0
    best = fuzz.ratio(a, b)
    shorter, longer = sorted((a, b), key=len)
    if shorter in longer or len(shorter) >= PARTIAL_MIN_LENGTH:
        best = max(best, fuzz.partial_ratio(a, b) * PARTIAL_DISCOUNT)
    return round(best / 100.0, 4)


_HEADING_MARK = re.compile(r"^\s*(?:[#*]+\s*)?(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十]+[）)]"
                           r"|\d+[.．、]?)\s*")
_NOISE = re.compile(r"[\s*#，,。；;：:、“”\"'（）()]+")


def _plain(heading: str) -> str:
    """A heading without its number and punctuation: `（一）扩充学前教育资源。` -> `扩充学前教育资源`."""
    return _NOISE.sub("", _HEADING_MARK.sub("", heading))


# --------------------------------------------------------------------------- time


@dataclass(frozen=True, order=True)
class ReportTime:
    """When a result was reported for: a year and the month its figure runs to (12 = whole year)."""
    year: int
    month: int = 12


_YEAR = re.compile(r"(19|20)\d{2}(?=\s*年)")
_MONTH = re.compile(r"(?:[1１一]\s*[-—–~～至到]\s*)?(1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])\s*月")
_CN_MONTH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
             "十": 10, "十一": 11, "十二": 12}
_PERIOD_MONTHS = (("前三季度", 9), ("三季度", 9), ("上半年", 6), ("半年", 6), ("二季度", 6),
                  ("一季度", 3), ("第一季度", 3), ("下半年", 12), ("全年", 12), ("年底", 12),
                  ("年末", 12))
_LAST_YEAR = ("去年", "上年", "上一年")


def _month_of(text: str) -> int | None:
    for word, month in _PERIOD_MONTHS:
        if word in text:
            return month
    found = _MONTH.search(text)
    if found:
        m = found.group(1)
        return int(m) if m.isdigit() else _CN_MONTH.get(m)
    return None


def report_time(result: dict) -> ReportTime | None:
    """The time a result is reported for (see the module's docstring), or None if unknown."""
    as_of = result.get("as_of") or ""
    title = result.get("document_title") or ""
    document_year = result.get("year")
    year = None
    found = _YEAR.search(as_of)
    if found:
        year = int(found.group(0))
    elif document_year is not None and any(w in as_of for w in _LAST_YEAR):
        year = document_year - 1
    elif document_year is not None:
        year = document_year
    if year is None:
        return None
    month = _month_of(as_of)
    if month is None and not found:  # the document's title dates it (`2024年上半年工作总结`)
        month = _month_of(title)
    return ReportTime(year, month or 12)


_DEADLINE_YEAR = re.compile(r"(19|20)\d{2}(?=\s*年)")


def target_period(target: dict) -> tuple[int, int] | None:
    """(first year, last year) of a target: its plan's year to its deadline's year."""
    start = target.get("year")
    years = [int(m.group(0)) for m in _DEADLINE_YEAR.finditer(target.get("deadline") or "")]
    if start is None:
        return (min(years), max(years)) if years else None
    return start, max([start] + years)


def elapsed_fraction(period: tuple[int, int], when: ReportTime) -> float:
    """Share of the target's period gone by at `when` (0..1)."""
    start, end = period
    months = (end - start + 1) * 12
    gone = (when.year - start) * 12 + when.month
    return max(0.0, min(1.0, gone / months))


# --------------------------------------------------------------------------- units


def unit_factor(result: dict, target: dict) -> float | None:
    """The factor that turns the result's value into the target's unit, or None if it cannot."""
    ru, tu = result.get("unit"), target.get("unit")
    if not ru or not tu:
        return None
    if (result.get("currency") or None) != (target.get("currency") or None):
        return None
    if ru == tu:
        return 1.0
    category = target.get("category")
    if category == result.get("category") and category in SAME_COUNT_UNITS:
        if {ru, tu} <= SAME_COUNT_UNITS[category]:
            return 1.0
    if {ru, tu} <= CHANGE_OF_RATE_UNITS and result.get("direction") and target.get("direction"):
        return 1.0
    if (ru, tu) in UNIT_FACTORS:
        return UNIT_FACTORS[(ru, tu)]
    if (tu, ru) in UNIT_FACTORS:
        return 1.0 / UNIT_FACTORS[(tu, ru)]
    return None


# --------------------------------------------------------------------------- one pair


@dataclass
class Match:
    score: float
    by: list[str]

    def to_dict(self) -> dict:
        return {"score": self.score, "by": list(self.by)}


# A heading that names a period or a kind of text (`一、2024年工作总结`, `上半年工作进展情况`,
# `二、2025年重点任务`) says nothing of the topic, so it is no evidence for or against a match.
_NOT_TOPICAL = re.compile(r"(?:19|20)\d{2}\s*年|上半年|下半年|工作(?:总结|回顾|要点|计划|安排|打算|思路)"
                          r"|进展情况|完成情况|重点任务|主要任务|主要目标|取得的成绩|主要工作成效")


def _heading(row: dict) -> str | None:
    """The topic a row stands under: its item's title, else its section, unless that heading
    only names a period or a kind of text."""
    item = row.get("item") or None
    if item and item.get("title"):
        return item["title"]
    section = row.get("section") or None
    if section and _NOT_TOPICAL.search(section):
        return None
    return section


def _direction_score(result: dict, target: dict) -> float | None:
    """1 equal, 0.5 one side has none (a count built vs a count added), None = incompatible."""
    rd, td = result.get("direction"), target.get("direction")
    if rd == td:
        return 1.0
    if rd and td:
        return None  # increase against decrease
    if "rate" in (result.get("category"), target.get("category")):
        return None  # a level against a change of a rate
    return ONE_SIDED_DIRECTION_SCORE


def is_linked(result: dict, target: dict) -> bool:
    """Whether the engine linked this result to this target in their shared document."""
    if result.get("document_id") != target.get("document_id"):
        return False
    link = result.get("target")
    if isinstance(link, dict):  # the store's form: {"id": row id, "key": extraction id}
        if link.get("id") is not None:
            return link["id"] == target.get("id")
        link = link.get("key")
    return link is not None and link == target.get("key")


_UNKNOWN = object()


def in_period(result: dict, target: dict, *, when=_UNKNOWN, period=_UNKNOWN) -> bool:
    """Whether the result's time falls in the target's period (`when`/`period` if computed)."""
    period = target_period(target) if period is _UNKNOWN else period
    when = report_time(result) if when is _UNKNOWN else when
    if period is None or when is None:
        return False
    return period[0] <= when.year <= period[1]


def match(result: dict, target: dict, *, when=_UNKNOWN, period=_UNKNOWN) -> Match | None:
    """How well `result` reports on `target`, or None when it does not (module docstring).
    `when` (the result's `report_time`) and `period` (the target's) may be passed in when
    already computed."""
    linked = is_linked(result, target)
    if not linked:
        if result.get("issuer") is None or result.get("issuer") != target.get("issuer"):
            return None
        if not in_period(result, target, when=when, period=period):
            return None
    factor = unit_factor(result, target)
    direction = _direction_score(result, target)
    per_same = (result.get("per") or None) == (target.get("per") or None)
    metric = similarity(result.get("metric"), target.get("metric"))
    if not linked and (factor is None or direction is None or not per_same or metric < METRIC_FLOOR):
        return None

    evidence: dict[str, float] = {
        "metric": metric,
        "category": 1.0 if result.get("category") == target.get("category") else 0.0,
        "unit": 0.0 if factor is None else 1.0 if result.get("unit") == target.get("unit")
        else CONVERTED_UNIT_SCORE,
        "direction": direction or 0.0,
    }
    r_heading, t_heading = _heading(result), _heading(target)
    if r_heading and t_heading:
        evidence["item"] = similarity(r_heading, t_heading)
    weight = sum(WEIGHTS[k] for k in evidence)
    score = sum(WEIGHTS[k] * v for k, v in evidence.items()) / weight

    by = ["link"] if linked else []
    if factor is not None:
        by.append("unit")
    if evidence["category"] == 1.0:
        by.append("category")
    if metric >= METRIC_FLOOR:
        by.append("metric")
    if evidence.get("item", 0.0) >= ITEM_AGREES:
        by.append("item")
    if evidence["direction"] == 1.0:
        by.append("direction")
    if linked:
        return Match(1.0, by)
    score = round(score, 2)
    if score < MATCH_THRESHOLD:
        return None
    return Match(score, by)


# --------------------------------------------------------------------------- many pairs


@dataclass
class Matched:
    result: dict
    match: Match


def match_all(targets: Iterable[dict], results: Iterable[dict]) -> dict[int, list[Matched]]:
    """For every target id, the results that report on it. A result goes to at most one target
    per target document: the best score, ties to the lower target id."""
    by_issuer: dict[object, list[dict]] = {}
    targets = list(targets)
    for t in targets:
        by_issuer.setdefault(t.get("issuer"), []).append(t)
    by_document: dict[object, list[dict]] = {}
    for t in targets:
        by_document.setdefault(t.get("document_id"), []).append(t)
    out: dict[int, list[Matched]] = {t["id"]: [] for t in targets}
    periods = {t["id"]: target_period(t) for t in targets}
    for r in results:
        when = report_time(r)
        candidates = list(by_issuer.get(r.get("issuer"), [])) if r.get("issuer") is not None else []
        if r.get("document_id") in by_document:  # its own document, for the link
            seen = {id(t) for t in candidates}
            candidates += [t for t in by_document[r["document_id"]] if id(t) not in seen]
        best: dict[object, tuple[float, int, dict, Match]] = {}
        for t in candidates:
            m = match(r, t, when=when, period=periods[t["id"]])
            if m is None:
                continue
            key = t.get("document_id")
            current = best.get(key)
            if current is None or (m.score, -t["id"]) > (current[0], -current[1]):
                best[key] = (m.score, t["id"], t, m)
        for _, target_id, _, m in best.values():
            out[target_id].append(Matched(r, m))
    return out


# --------------------------------------------------------------------------- progress


@dataclass
class Assessment:
    latest: dict | None
    completion: float | None
    status: str
    results: list[Matched] = field(default_factory=list)


def newest_first(matched: list[Matched]) -> list[Matched]:
    def key(m: Matched):
        when = report_time(m.result) or ReportTime(0, 0)
        return (when.year, when.month, m.result.get("document_id") or 0, m.result.get("id") or 0)

    return sorted(matched, key=key, reverse=True)


def _result_number(result: dict) -> float | None:
    if result.get("value") is not None:
        return result["value"]
    return result.get("low") if result.get("low") is not None else result.get("high")


def assess(target: dict, matched: list[Matched]) -> Assessment:
    """Latest result, completion and status of one target (module docstring)."""
    ordered = newest_first(matched)
    if not ordered:
        return Assessment(None, None, "no_report", ordered)
    latest = ordered[0]
    achieved = None
    for m in ordered:  # the newest that can be compared
        factor = unit_factor(m.result, target)
        number = _result_number(m.result)
        if factor is not None and number is not None:
            latest, achieved = m, number * factor
            break
    period = target_period(target)
    when = report_time(latest.result)
    elapsed = elapsed_fraction(period, when) if period and when else 1.0
    comparator = target.get("comparator")
    completion = None
    if achieved is None:
        return Assessment(latest.result, None, "on_track", ordered)
    if comparator in ("le", "lt"):
        cap = target.get("high") if target.get("high") is not None else target.get("value")
        if cap is None:
            return Assessment(latest.result, None, "on_track", ordered)
        holds = achieved <= cap if comparator == "le" else achieved < cap
        status = "behind" if not holds else "met" if elapsed >= 1.0 else "on_track"
        return Assessment(latest.result, None, status, ordered)
    goal = target.get("value")
    if goal is None:
        goal = target.get("low")
    if goal is None or goal <= 0:
        return Assessment(latest.result, None, "on_track", ordered)
    share = achieved / goal
    if comparator in ("eq", "ge", "gt") and target.get("value") is not None:
        completion = round(share, 4)
    reached = achieved > goal if comparator == "gt" else achieved >= goal
    if reached:
        status = "met"
    elif elapsed < 1.0 and share >= elapsed:
        status = "on_track"
    else:
        status = "behind"
    return Assessment(latest.result, completion, status, ordered)
