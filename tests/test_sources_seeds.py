"""Done-when of the formats issue: each seed rendered to PDF, HTML and .doc by our fixtures gives
the same targets (raw, value, unit, category, item) as its .txt, for at least 98 % of them per
format; the figures (agreement and conversion time per page) are printed with `-s`."""
from __future__ import annotations

import time
from collections import Counter

import pytest

from api_helpers import seed_paths
from service.extract import extract
from service.sources import Limits, convert
from source_fixtures import html_of_lines, office_file, pdf_of_lines

FORMATS = {
    "pdf": (".pdf", lambda lines: pdf_of_lines(lines)),
    "html": (".html", lambda lines: html_of_lines(lines[1:], title=lines[0])),
    "doc": (".doc", lambda lines: office_file(lines, ".doc")),
}
#: batch-sized limits: the figure is about what the text becomes, not about the request budget
LIMITS = Limits(seconds=60.0, office_seconds=120.0)


def target_keys(text: str) -> Counter:
    return Counter((t.raw, t.value, t.unit, t.category,
                    (t.item.number, t.item.title) if t.item else None)
                   for t in extract(text).targets)


def agreement(expected: Counter, got: Counter) -> tuple[int, int]:
    """(targets found alike, the larger of the two counts): extra targets count against too."""
    return sum((expected & got).values()), max(sum(expected.values()), sum(got.values()))


@pytest.fixture(scope="module")
def seed_lines():
    return {path.name: [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            for path in seed_paths()}


@pytest.mark.parametrize("kind", list(FORMATS))
def test_each_seed_in_every_format_gives_the_targets_of_its_text(kind, seed_lines):
    suffix, render = FORMATS[kind]
    alike = total = pages = 0
    seconds = 0.0
    for name, lines in seed_lines.items():
        expected = target_keys("\n".join(lines))
        data = render(lines)
        started = time.perf_counter()
        converted = convert(data, filename=name + suffix, limits=LIMITS)
        seconds += time.perf_counter() - started
        pages += converted.pages or 1
        same, larger = agreement(expected, target_keys(converted.text))
        alike, total = alike + same, total + larger
    share = alike / total
    print(f"\n{kind}: {alike}/{total} targets alike ({share:.1%}); {seconds * 1000 / pages:.1f} ms "
          f"per {'page' if kind == 'pdf' else 'file'} over {pages} {'pages' if kind == 'pdf' else 'files'}")
    assert share >= 0.98
