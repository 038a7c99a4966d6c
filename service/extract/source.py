"""The text as given, and a normalised view of it with the same length.

Matching runs on the view: full-width ASCII read as ASCII, the ideographic space as a space,
traditional characters as simplified ones. Every replacement is one code point for one code
point, so an offset in the view is the same offset in the original text: no map is needed and
`text[span.start:span.end]` is always the raw quantity as submitted.
"""
from __future__ import annotations

import functools
import os

import regex


def _fullwidth_table() -> dict[int, int]:
    table = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # ！..～ -> !..~
    table[0x3000] = 0x20  # ideographic space
    for ch, repl in {"—": "—", "～": "~", "〜": "~", "﹪": "%", "﹣": "-", "－": "-", "．": ".",
                     "％": "%", "﹐": ",", "﹑": "、"}.items():
        table[ord(ch)] = ord(repl)
    return table


@functools.lru_cache(maxsize=1)
def _traditional_table() -> tuple[dict[int, int], regex.Pattern]:
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
    chars = "".join(chr(c) for c in sorted(table))
    return table, regex.compile("[" + regex.escape(chars) + "]")


_FULLWIDTH = _fullwidth_table()
_NEEDS_WIDTH = regex.compile(r"[\uFF01-\uFF5E\u3000﹪﹣﹐﹑〜]")


def normalise(text: str) -> str:
    """The matching view of `text`: same length, same offsets."""
    view = text.translate(_FULLWIDTH) if _NEEDS_WIDTH.search(text) else text
    table, needs = _traditional_table()
    if needs.search(view):
        view = view.translate(table)
    return view
