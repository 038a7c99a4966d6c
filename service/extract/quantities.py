"""The one compiled pattern that finds every quantity: a number (or a range of two), an optional
magnitude, an optional `余`/`多`, and a unit: a measure word, a currency, `%` or `百分点`.

A number without a unit is never a target (years, item numbers, codes and page numbers all lack
one), so requiring the unit is the first and cheapest exclusion.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import regex

from .lexicon import COMPARATORS_INFIX, CURRENCIES, MAGNITUDES, MEASURE_WORDS, PERCENT_UNITS
from .numerals import CN_NUMERAL_CHARS, MAX_NUMBER_LENGTH, number_value


def _alternation(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))


# Runs of digits are bounded (MAX_NUMBER_LENGTH): a longer run matches nothing, so it is no
# quantity, and no backtracking ever walks back over a run of a million digits. What the pattern
# still lets through (a long `1,000,000,…`, `一万一万…`) number_value refuses by its length.
_N = MAX_NUMBER_LENGTH
_AR = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d{{1,{_N}}})(?:\.\d{{1,{_N}}})?"
_CN = (rf"[{CN_NUMERAL_CHARS}]{{1,{_N}}}(?:[万亿][{CN_NUMERAL_CHARS}]{{1,{_N}}})*"
       rf"(?:点[{CN_NUMERAL_CHARS}]{{1,{_N}}})?")
_MAG = _alternation(MAGNITUDES)
_SP = r"[ \t]?"
_DASH = r"(?:-{1,2}|—{1,2}|–|~|至|到)"


def _number(tag: str) -> str:
    return (rf"(?:(?P<{tag}ar>(?<![\d.A-Za-z]){_AR})|(?P<{tag}cn>(?<![{CN_NUMERAL_CHARS}万亿]){_CN}))"
            rf"(?:{_SP}(?P<{tag}mag>{_MAG}))?")


_UNITS = list(PERCENT_UNITS) + list(CURRENCIES) + list(MEASURE_WORDS)


def _first_chars(words) -> str:
    """A character class of the words' first characters: a cheap test before a long alternation."""
    return "".join(regex.escape(c) for c in sorted({w[0] for w in words}))


QUANTITY = regex.compile(
    r"(?P<pct>百分之(?P<pctnum>" + _AR + "|" + _CN + r"))"
    r"|(?:" + _number("a")
    + rf"(?:[ \t]*(?P<dash>{_DASH})[ \t]*" + _number("b") + ")?"
    + rf"{_SP}(?P<infix>{_alternation(COMPARATORS_INFIX)})?{_SP}"
    + rf"(?=[{_first_chars(_UNITS)}])(?P<unit>{_alternation(_UNITS)})"
    + rf"(?P<alt>\((?:{_alternation(MEASURE_WORDS)})+\))?"
    + ")"
)


@dataclass
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


def find_quantities(view: str):
    """Yield every Quantity in the normalised view, left to right."""
    for m in QUANTITY.finditer(view):
        if m.group("pct"):
            value = number_value(m.group("pctnum"))
            if value is None:
                continue
            yield Quantity(m.start(), m.end(), value, None, False, "%", None,
                           m.group("pctnum") if not m.group("pctnum")[0].isdigit() else None, m.end())
            continue
        a_digits = m.group("aar") or m.group("acn")
        low = number_value(a_digits, m.group("amag") or "")
        if low is None:
            continue
        high = None
        if m.group("dash"):
            b_digits = m.group("bar") or m.group("bcn")
            high = number_value(b_digits, m.group("bmag") or "")
            if high is None:
                continue
            # A range's first end shares the magnitude written after the second: `3-5万人`.
            if m.group("bmag") and not m.group("amag"):
                low = number_value(a_digits, m.group("bmag"))
        end = m.end("unit")
        yield Quantity(
            start=m.start(), end=end, low=low, high=high, is_range=high is not None,
            unit_written=m.group("unit"), infix=m.group("infix"),
            chinese=m.group("acn"), alt_end=m.end(),
        )
