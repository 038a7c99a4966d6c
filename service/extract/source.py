"""The text as given, and a normalised view of it with the same length.

Matching runs on the view: full-width ASCII read as ASCII, the ideographic space as a space,
traditional characters as simplified ones, a decimal digit of any script as its ASCII digit (so
that patterns scan for `[0-9]`, a third cheaper than `\\d`). Every replacement is one code point
for one code point, so an offset in the view is the same offset in the original text: no map is
needed and `text[span.start:span.end]` is always the raw quantity as submitted.
"""
from __future__ import annotations

import codecs
import functools
import os
import re
import threading
import unicodedata



def _fullwidth_table() -> dict[int, int]:
    table = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # ！..～ -> !..~
    table[0x3000] = 0x20  # ideographic space
    for cp in (0xA0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x202F, 0x205F):
        table[cp] = 0x20  # no-break and typographic spaces
    for ch, repl in {"—": "—", "～": "~", "〜": "~", "﹪": "%", "﹣": "-", "－": "-", "．": ".",
                     "％": "%", "﹐": ",", "﹑": "、"}.items():
        table[ord(ch)] = ord(repl)
    return table


@functools.lru_cache(maxsize=1)
def _traditional_table() -> tuple[dict[int, int], frozenset[str]]:
    """One-to-one traditional -> simplified characters, from OpenCC's character table."""
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    table: dict[int, int] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2:
                continue
            src, dst = parts[0], parts[1].split(" ")[0]
            if len(src) == 1 and len(dst) == 1 and src != dst:
                table[ord(src)] = ord(dst)
    return table, frozenset(chr(c) for c in table)


_FULLWIDTH = _fullwidth_table()


# The full-width characters that fill every Chinese text are looked for one at a time (`in` is a
# C scan); the character class then finds the rare rest, and a scan that seldom matches is fast
# (findall of a class that matched every comma cost as much as the rest of normalise).
_COMMON_WIDE = "，：；（）！？\u3000"
_RARE_WIDE = re.compile("[" + "".join(chr(c) for c in _FULLWIDTH if chr(c) not in _COMMON_WIDE) + "]")
_collected = threading.local()
_TRADITIONAL_IN_GB2312 = {"於": "于", "後": "后", "麽": "么"}


def _collect(exc: UnicodeEncodeError):
    _collected.chars.append(exc.object[exc.start:exc.end])
    return "", exc.end


codecs.register_error("plan_targets_collect", _collect)


def _outside_gb2312(text: str) -> set[str]:
    """Characters GB2312 cannot encode: traditional ones among them (a C-speed scan)."""
    _collected.chars = []
    text.encode("gb2312", "plan_targets_collect")
    return set("".join(_collected.chars))


def normalise(text: str) -> str:
    """The matching view of `text`: same length, same offsets.

    Only the characters that occur are replaced (one `str.replace` each); finding them with the
    GB2312 codec and one small character class is far faster than mapping every character."""
    table, traditional = _traditional_table()
    replace = {ch: chr(_FULLWIDTH[ord(ch)]) for ch in _COMMON_WIDE if ch in text}
    for ch in set(_RARE_WIDE.findall(text)):
        replace[ch] = chr(_FULLWIDTH[ord(ch)])
    # GB2312 is a simplified character set: what it encodes needs no conversion, but for a few
    # traditional forms it also holds (不少於, 之後).
    # The only decimal digits GB2312 encodes are ASCII and full-width ones: any other (`٣`, `३`)
    # is among the characters it cannot.
    for ch in _outside_gb2312(text):
        if ch in traditional:
            replace[ch] = chr(table[ord(ch)])
        elif ch.isdecimal():
            replace[ch] = str(unicodedata.decimal(ch))
    for ch, simple in _TRADITIONAL_IN_GB2312.items():
        if ch in text:
            replace[ch] = simple
    view = text
    for src, dst in replace.items():
        view = view.replace(src, dst)
    return view
