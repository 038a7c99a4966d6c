"""How fast and how well PDFs become text: our converter (PDFium) beside the candidates it was
chosen over, on fixtures made here from the seeds (no download).

Prints, per candidate: pages/s on a PDF of 100+ pages (wall clock and CPU time of this one
process, so one core), and on a layout fixture whether Chinese text, a two-column page and a
ruled table come out right. Also: conversion per page through the contained child (as a request
does) and, per seed, agreement of targets with the .txt. Figures only; nothing is asserted.

    .venv/bin/python bench/bench_sources.py
"""
from __future__ import annotations

import difflib
import io
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from service.sources import Limits, convert  # noqa: E402
from service.sources import pdf as pdf_converter  # noqa: E402
from source_fixtures import layout_pdf, pdf_of_lines  # noqa: E402

SHARED = Path(os.environ.get("PLAN_TARGETS_SHARED") or REPO.parent / "shared")
SINGLE = ["某区教育局2023年工作要点", "一、总体要求",
          "全区计划新建公办幼儿园3所，新增学位630个，这一句足够长，在页面上一定会折成两行甚至三行，转换时必须重新连成一句话才能读出数字。"]
TABLE = [["任务", "目标", "责任单位", "完成时限"], ["新建学校", "新建中小学2所", "基建科", "2023年9月底"],
         ["教师培训", "培训教师1200人次", "人事科", "2023年12月底"]]
COLUMNS = [f"{n}. 左右两栏的第{n}段文字，内容较长以便折行，计划完成改造项目{n}个，投入资金{n * 10}万元。"
           for n in range(1, 41)]


def ours(data: bytes) -> str:
    return pdf_converter.convert(data, Limits(seconds=600, max_pages=10_000)).text


def pdfium_plain(data: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    out = []
    for page in document:
        textpage = page.get_textpage()
        out.append(textpage.get_text_range())
        textpage.close()
        page.close()
    return "\n".join(out)


def plumber_text(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def plumber_tables(data: bytes) -> str:
    """pdfplumber's text with its table finder: rows joined by ` | ` (as ours)."""
    import pdfplumber

    out = []
    with pdfplumber.open(io.BytesIO(data)) as document:
        for page in document.pages:
            out.append(page.extract_text() or "")
            for table in page.extract_tables():
                out += [" | ".join(c or "" for c in row) for row in table]
    return "\n".join(out)


def miner_text(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


CANDIDATES = {"ours (pypdfium2 + layout)": ours, "pypdfium2 get_text_range": pdfium_plain,
              "pdfplumber extract_text": plumber_text, "pdfplumber + extract_tables": plumber_tables,
              "pdfminer.six extract_text": miner_text}


def squash(text: str) -> str:
    return "".join(text.split())


def main() -> None:
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    long_lines = [line for line in seeds[-1].read_text(encoding="utf-8").splitlines() if line.strip()]
    big_lines = list(long_lines)
    big = pdf_of_lines(big_lines)
    while ours_pages(big) < 100:
        big_lines += long_lines
        big = pdf_of_lines(big_lines)
    pages = ours_pages(big)
    layout = layout_pdf(SINGLE, COLUMNS, TABLE)
    reference = squash("\n".join(big_lines))
    print(f"big fixture: {pages} pages, {len(big) / 1024:.0f} KB; layout fixture: 3 pages "
          f"(one column + ruled table, then two columns)\n")
    print(f"{'candidate':30} {'pages/s wall':>12} {'pages/s CPU':>12} {'Chinese text':>13} "
          f"{'two columns':>12} {'table rows':>11}")
    for name, function in CANDIDATES.items():
        sample = big if function in (ours, pdfium_plain) else pdf_of_lines(big_lines[: len(big_lines) // 5])
        sample_pages = pages if sample is big else ours_pages(sample)
        wall, cpu = time.perf_counter(), time.process_time()
        text = function(sample)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        body = squash(text).replace("内部资料注意保存", "")
        expected = reference if sample is big else squash("\n".join(big_lines[: len(big_lines) // 5]))
        chinese = difflib.SequenceMatcher(None, expected, body, autojunk=False).ratio() \
            if len(expected) < 200_000 else _chunked_ratio(expected, body)
        layout_text = function(layout)
        columns_ok = _in_order(layout_text, COLUMNS)
        rows_ok = all(" | ".join(row) in layout_text for row in TABLE)
        print(f"{name:30} {sample_pages / wall:12.1f} {sample_pages / cpu:12.1f} {chinese:13.1%} "
              f"{str(columns_ok):>12} {str(rows_ok):>11}")
    started = time.perf_counter()
    converted = convert(big, filename="big.pdf", limits=Limits(seconds=600, max_pages=10_000))
    elapsed = time.perf_counter() - started
    print(f"\nthrough the contained child (as a request): {converted.pages} pages in {elapsed:.2f} s = "
          f"{converted.pages / elapsed:.1f} pages/s, {elapsed * 1000 / converted.pages:.1f} ms/page")
    print(f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def ours_pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(data))


def _in_order(text: str, paragraphs: list[str]) -> bool:
    flat = squash(text)
    positions = [flat.find(squash(p)) for p in paragraphs]
    return all(p >= 0 for p in positions) and positions == sorted(positions)


def _chunked_ratio(expected: str, got: str, size: int = 20_000) -> float:
    """SequenceMatcher is quadratic: compare aligned chunks of a long text."""
    scores = []
    for start in range(0, len(expected), size):
        a = expected[start:start + size]
        b = got[max(0, start - 500):start + size + 500]
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        scores.append(sum(block.size for block in matcher.get_matching_blocks()) / max(len(a), 1))
    return sum(scores) / len(scores)


if __name__ == "__main__":
    main()
