"""What the dashboard shows of a set of progress rows (`reading.progress_rows`): pure functions,
no Flask, so the page and its tests compute the same figures the same way.

- **planned against achieved** per category and unit, for funding, seats, schools and people:
  `planned` adds the single values of targets that count up to a goal (`eq`, `ge`, `gt`,
  `approx`; a range or a cap adds nothing); `achieved` adds, for those same targets, the latest
  reported value in the target's unit. A unit is never added to another, a result never to a
  target total.
- **status per responsible unit**: counts of met / on track / behind / no report, and the mean
  completion of its targets that have one.
- **targets with no report**, and the table of every target with its results.
"""
from __future__ import annotations

from . import matching
from .reading import summarize_progress

CHART_CATEGORIES = ("funding", "seats", "schools", "people")
SUMMED_COMPARATORS = ("eq", "ge", "gt", "approx")


def achieved_value(row: dict) -> float | None:
    """The latest reported value of a row's target, in the target's unit (None without one)."""
    latest = row.get("latest")
    if latest is None:
        return None
    factor = matching.unit_factor(latest, row["target"])
    number = latest.get("value") if latest.get("value") is not None else latest.get("low")
    if factor is None or number is None:
        return None
    return number * factor


def planned_vs_achieved(rows: list[dict]) -> list[dict]:
    """`[{"category", "unit", "targets", "reported", "planned", "achieved"}]`, in category order."""
    sums: dict[tuple[str, str], dict] = {}
    for row in rows:
        t = row["target"]
        if t.get("category") not in CHART_CATEGORIES or t.get("value") is None:
            continue
        if t.get("comparator") not in SUMMED_COMPARATORS:
            continue
        key = (t["category"], t["unit"])
        entry = sums.setdefault(key, {"category": key[0], "unit": key[1], "targets": 0,
                                      "reported": 0, "planned": 0.0, "achieved": 0.0})
        entry["targets"] += 1
        entry["planned"] += t["value"]
        achieved = achieved_value(row)
        if achieved is not None:
            entry["reported"] += 1
            entry["achieved"] += achieved
    order = {c: i for i, c in enumerate(CHART_CATEGORIES)}
    out = sorted(sums.values(), key=lambda e: (order[e["category"]], e["unit"]))
    for e in out:
        e["planned"] = round(e["planned"], 6)
        e["achieved"] = round(e["achieved"], 6)
    return out


def status_by_unit(rows: list[dict]) -> list[dict]:
    """Per responsible unit: count, met, on_track, behind, no_report (most targets first), and
    `mean_completion`, the mean of the completions its targets have (None when none has one)."""
    groups = summarize_progress(rows, ["responsible_unit"])
    completions: dict = {}
    for row in rows:
        if row["completion"] is None:
            continue
        for unit in dict.fromkeys(row["target"].get("responsible_units") or [None]):
            completions.setdefault(unit, []).append(row["completion"])
    for g in groups:
        found = completions.get(g["responsible_unit"])
        g["mean_completion"] = round(sum(found) / len(found), 4) if found else None
    return sorted(groups, key=lambda g: (g["responsible_unit"] is None, -g["count"],
                                         g["responsible_unit"] or ""))


def status_counts(rows: list[dict]) -> dict:
    counts = {s: 0 for s in matching.STATUSES}
    for row in rows:
        counts[row["status"]] += 1
    return counts


def overview(rows: list[dict]) -> dict:
    """Everything the dashboard draws, as JSON-ready data."""
    return {
        "total": len(rows),
        "statuses": status_counts(rows),
        "planned_vs_achieved": planned_vs_achieved(rows),
        "by_unit": status_by_unit(rows),
        "no_report": [row["target"]["id"] for row in rows if row["status"] == "no_report"],
    }
