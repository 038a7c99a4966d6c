"""QUANTITY (the standard engine's pattern, starting with a character class so that the scan
skips in C) finds exactly the matches of QUANTITY_REFERENCE (the quantity as first written,
compiled by `regex`): on every real text here and on generated plan-like text."""
from __future__ import annotations

import os
from pathlib import Path

import regex
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.extract.quantities import QUANTITY, QUANTITY_REFERENCE
from service.extract.source import normalise
from test_properties import AFTER, BEFORE, DASHES, JOINERS, NUMBERS, UNITS

REFERENCE = regex.compile(QUANTITY_REFERENCE)
SHARED = Path(os.environ.get("PLAN_TARGETS_SHARED") or Path(__file__).resolve().parents[2] / "shared")
GROUPS = ("pct", "pctnum", "amag", "amore", "dash", "bar", "bcn", "bmag", "bmore", "unit", "infix", "alt")


def reference_matches(view: str) -> list[tuple]:
    return [(m.span(), m.group("aar") or m.group("acn")) + m.group(*GROUPS)
            for m in REFERENCE.finditer(view)]


def matches(view: str) -> list[tuple]:
    found = []
    for m in QUANTITY.finditer(view):
        number = m.group("aar") if m.group("aar") is not None else m.group("acn")
        groups = m.group(*GROUPS)
        pct = None if groups[0] is None else m.group("lead") + groups[0]  # 百 is the lead
        found.append((m.span(), None if number is None else m.group("lead") + number, pct) + groups[1:])
    return found


def real_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "dev" / "texts").glob("*.txt"))]
    for path in sorted((Path(__file__).parent / "corpus").glob("*.yaml")):
        for example in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("examples") or []:
            if isinstance(example, dict) and isinstance(example.get("text"), str):
                texts.append(example["text"])
    return texts


def test_the_same_matches_as_the_reference_on_every_real_text():
    texts = real_texts()
    assert len(texts) > 600
    found = 0
    for text in texts:
        view = normalise(text)
        expected = reference_matches(view)
        assert matches(view) == expected, text[:80]
        found += len(expected)
    assert found > 2000  # the texts do exercise the pattern


def test_a_number_inside_a_word_a_percent_and_a_range_alike():
    view = normalise("进一步统一一体化，百分之九十五，一百分之五，3-5万人，1,200个，100,000个、12,500人、"
                     "1,000,000元，2024年，五3所，x3所，三万五千人，1.5亿元，12.推进，3.所，1,2所，1.2.3所，12,所，一.5所")
    assert matches(view) == reference_matches(view)
    assert [m[0] for m in matches(view)] != []


PIECES = NUMBERS + UNITS + BEFORE + AFTER + DASHES + JOINERS + [
    "12,000", "100,000", "1,000,000", "2,50", "进一步", "统一", "第一", "百分之", "点", "万", "亿", ",", ".", " ", "\t", "\n", "x", "A", "。"]


@settings(max_examples=int(os.environ.get("PLAN_TARGETS_PATTERN_EXAMPLES", "1500")), deadline=None,
          derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=40))
def test_the_same_matches_as_the_reference_on_generated_text(pieces):
    view = normalise("".join(pieces))
    assert matches(view) == reference_matches(view)
