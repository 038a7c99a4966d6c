"""Files of every format we read, made from our own text: PDF (reportlab, a CID font), HTML (a
government-site template with navigation around the article), .doc/.odt/.rtf (LibreOffice).

A PDF page carries a repeated header and a page-number footer; `layout_pdf` adds a two-column
page and a ruled table. Nothing is downloaded.
"""
from __future__ import annotations

import html
import io
import subprocess
import tempfile
from pathlib import Path

HEADER = "内部资料 注意保存"
FONT = "STSong-Light"


def _styles():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    try:
        pdfmetrics.getFont(FONT)
    except KeyError:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK",
                          spaceAfter=3, firstLineIndent=21)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=1, spaceAfter=10,
                                 firstLineIndent=0)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=12, spaceAfter=0,
                          firstLineIndent=0)
    return body, title, cell


def _decorate(canvas, doc):
    """The header repeated on every page and the page number at the foot."""
    from reportlab.lib.pagesizes import A4

    canvas.saveState()
    canvas.setFont(FONT, 9)
    width, height = A4
    canvas.drawCentredString(width / 2, height - 40, HEADER)
    canvas.drawCentredString(width / 2, 30, f"- {doc.page} -")
    canvas.restoreState()


def _escape(line: str) -> str:
    return html.escape(line, quote=False)


def pdf_of_lines(lines: list[str], *, title: str | None = None) -> bytes:
    """Each line a paragraph, wrapped to the page width, pages decorated."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    body, title_style, _ = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, topMargin=70, bottomMargin=60,
                            leftMargin=70, rightMargin=70)
    story = [Paragraph(_escape(title), title_style)] if title else []
    story += [Paragraph(_escape(line), body) for line in lines if line.strip()]
    doc.build(story, onFirstPage=_decorate, onLaterPages=_decorate)
    return buffer.getvalue()


def layout_pdf(single: list[str], columns: list[str], table: list[list[str]]) -> bytes:
    """Page 1: one column of `single` then a ruled `table`; page 2: `columns` in two columns."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import (BaseDocTemplate, Frame, NextPageTemplate, PageBreak,
                                    PageTemplate, Paragraph, Table, TableStyle)

    body, _, cell = _styles()
    width, height = A4
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4)
    margin, gap = 70, 24
    one = Frame(margin, 60, width - 2 * margin, height - 130, id="one")
    column_width = (width - 2 * margin - gap) / 2
    left = Frame(margin, 60, column_width, height - 130, id="left")
    right = Frame(margin + column_width + gap, 60, column_width, height - 130, id="right")
    doc.addPageTemplates([PageTemplate("one", [one], onPage=_decorate),
                          PageTemplate("two", [left, right], onPage=_decorate)])
    story = [Paragraph(_escape(line), body) for line in single]
    grid = Table([[Paragraph(_escape(c), cell) for c in row] for row in table],
                 colWidths=[(width - 2 * margin) / len(table[0])] * len(table[0]))
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                              ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [grid, NextPageTemplate("two"), PageBreak()]
    story += [Paragraph(_escape(line), body) for line in columns]
    doc.build(story)
    return buffer.getvalue()


NAVIGATION = """<header class="site"><div class="logo">某区教育局</div>
<nav><ul><li><a href="/">首页</a></li><li><a href="/jggk/">机构概况</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></nav>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 通知公告</div></header>"""
FOOTER = """<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/a/1.html">关于2022年秋季学期开学工作的通知</a></li>
<li><a href="/a/2.html">2021年度部门预算公开说明</a></li></ul></div>
<footer><p>版权所有：某区教育局 地址：某区人民路100号 邮编：100000</p><p>网站标识码：1234567890 备案号：京ICP备12345678号</p></footer>
<script>var _hmt = _hmt || []; (function(){ var hm = document.createElement("script"); })();</script>"""


def html_of_lines(lines: list[str], *, title: str, charset: str = "utf-8",
                  table: list[list[str]] | None = None) -> bytes:
    """A saved government web page: navigation, the article, share buttons, related links, footer."""
    paragraphs = "\n".join(f"<p>{_escape(line)}</p>" for line in lines if line.strip())
    grid = ""
    if table:
        grid = "<table border=\"1\">" + "".join(
            "<tr>" + "".join(f"<td>{_escape(c)}</td>" for c in row) + "</tr>" for row in table) + "</table>"
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}"><title>{_escape(title)}_某区教育局</title>
<link rel="stylesheet" href="/css/main.css"></head>
<body>{NAVIGATION}
<div class="main"><div class="article">
<h1 class="title">{_escape(title)}</h1>
<div class="info">发布时间：2023-02-15 来源：某区教育局 浏览次数：1024</div>
<div class="content">
{paragraphs}
{grid}
</div></div></div>
{FOOTER}</body></html>"""
    return page.encode(charset)


def office_file(lines: list[str], suffix: str, *, table: list[list[str]] | None = None) -> bytes:
    """A .doc, .odt or .rtf written by LibreOffice from a .docx of `lines` (and a table)."""
    import docx

    document = docx.Document()
    for line in lines:
        if line.strip():
            document.add_paragraph(line)
    if table:
        from docx.shared import Cm

        grid = document.add_table(rows=len(table), cols=len(table[0]))
        grid.style = "Table Grid"
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
                grid.cell(r, c).width = Cm(15 / len(row))  # the .doc filter drops a table without widths
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "plan.docx"
        document.save(source)
        # LibreOffice's .doc filter drops a table that python-docx wrote; one written by
        # LibreOffice itself (through .odt) survives
        for target in (".odt", suffix) if suffix != ".odt" else (".odt",):
            subprocess.run(["soffice", "--headless", "--norestore",
                            f"-env:UserInstallation=file://{tmp}/profile",
                            "--convert-to", target.lstrip("."), "--outdir", tmp, str(source)],
                           check=True, capture_output=True, timeout=120)
            source = Path(tmp) / ("plan" + target)
        return source.read_bytes()
