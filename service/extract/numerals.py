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
    small = _below_ten_thousand(numeral)
    if small is not None:
        return Decimal(small)
    import cn2an  # imported on first use: its import costs 0.2 s, too much for a CLI start

    try:
        value = cn2an.cn2an(numeral.replace("两", "二"), "strict")
    except (ValueError, KeyError, TypeError):
        try:
            value = cn2an.cn2an(numeral.replace("两", "二"), "normal")
        except (ValueError, KeyError, TypeError):
            return None
    return Decimal(str(value))


def _below_ten_thousand(numeral: str) -> int | None:
    """The value of a numeral below 10,000 in its standard form (`十二`, `二十`, `一百二十`,
    `一千零八`, `两千零五十`), else None: anything else (万, 亿, 点, `一百五`, a digit run) goes
    to cn2an. Plans are full of these small numerals, and reading them here spares a short
    CLI run cn2an's import (0.2 s); a test holds this equal to cn2an on every number below 10,000."""
    total, digit, last_unit, zero = 0, None, 10_000, False
    for ch in numeral:
        if ch in CN_DIGITS:
            value = CN_DIGITS[ch]
            if digit is not None:
                return None  # two digits in a row
            if value == 0:
                if zero or total == 0 or last_unit <= 10:
                    return None  # a 零 stands only for a skipped place: 一千零八
                zero = True
                continue
            digit = value
        elif ch in CN_SMALL_UNITS:
            unit = CN_SMALL_UNITS[ch]
            if unit >= last_unit or (zero and unit * 10 >= last_unit):
                return None
            if digit is None:
                if unit != 10 or total or zero:
                    return None
                digit = 1  # 十二
            total, digit, last_unit, zero = total + digit * unit, None, unit, False
        else:
            return None
    if digit is not None:
        if last_unit not in (10, 10_000) and not zero:
            return None  # 一百五: colloquial, cn2an's to read
        total += digit
    elif zero:
        return None
    return total or None


def number_value(digits: str, magnitude: str = "") -> Decimal | None:
    """Value of one number token (Arabic or Chinese) times its magnitude word."""
    digits = digits.strip()
    if not digits or len(digits) > MAX_NUMBER_LENGTH and (
            not digits[0].isdigit() or sum(c.isdigit() for c in digits) > MAX_NUMBER_LENGTH):
        return None
    if digits[0].isdigit():
        base = Decimal(digits.replace(",", ""))
    elif "亿" in digits and digits[-1] != "亿" and magnitude and MAGNITUDES[magnitude] < 10**8:
        # `三亿五千万`, `一亿零五百万`: the magnitude after the number counts only the part after 亿
        cut = digits.rindex("亿") + 1
        high, low = chinese_value(digits[:cut]), chinese_value(digits[cut:].lstrip("零〇") or "零")
        if high is None or low is None:
            return None
        return high + low * MAGNITUDES[magnitude]
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
