"""Numbers as written in plans: Arabic (`13.73`, `1,200`), Chinese (`两`, `一百二十`), mixed
(`1.7万`), with their magnitude. Values are Decimals so that `8498万元` is exactly 0.8498 亿元."""
from __future__ import annotations

import functools
from decimal import Decimal

from .lexicon import CN_DIGITS, CN_SMALL_UNITS, MAGNITUDES

CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS)

# No plan commits to a number of more than 30 digits (or a Chinese numeral of more than 30
# characters): such a run is a code, an ID or an attack, and it is refused before any conversion,
# whose cost grows with its length (and `int` refuses strings past 4,300 digits).
MAX_NUMBER_LENGTH = 30


@functools.lru_cache(maxsize=4096)
def chinese_value(numeral: str) -> Decimal | None:
    """`两` -> 2, `一百二十` -> 120, `十二` -> 12, `三点五` -> 3.5; None when not a number."""
    if len(numeral) == 1 and numeral in CN_DIGITS:
        return Decimal(CN_DIGITS[numeral])
    if numeral[0] in "百千":  # 百分之百, 千分之…: a bare 百 is 一百
        numeral = "一" + numeral
    import cn2an  # imported on first use: its import costs 0.2 s, too much for a CLI start

    try:
        value = cn2an.cn2an(numeral.replace("两", "二"), "strict")
    except (ValueError, KeyError, TypeError):
        try:
            value = cn2an.cn2an(numeral.replace("两", "二"), "normal")
        except (ValueError, KeyError, TypeError):
            return None
    return Decimal(str(value))


def number_value(digits: str, magnitude: str = "") -> Decimal | None:
    """Value of one number token (Arabic or Chinese) times its magnitude word."""
    digits = digits.strip()
    if not digits or len(digits) > MAX_NUMBER_LENGTH and (
            not digits[0].isdigit() or sum(c.isdigit() for c in digits) > MAX_NUMBER_LENGTH):
        return None
    if digits[0].isdigit():
        base = Decimal(digits.replace(",", ""))
    else:
        base = chinese_value(digits)
        if base is None:
            return None
    if magnitude:
        base *= MAGNITUDES[magnitude]
    return base


def to_number(value: Decimal | None) -> int | float | None:
    """JSON number: an int when whole, else the shortest float."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)
