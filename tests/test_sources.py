"""Every file format we read, through the converters and through POST /extract: text in reading
order, pages, ` | ` rows, and bad files (corrupt, encrypted, scans, bombs, too many pages, a
converter past its deadline, a hanging LibreOffice) answered with a problem within 3 s, with the
worker's memory bounded."""
from __future__ import annotations

import io
import resource
import time
import zipfile
import zlib

import pytest

from service.api.app import create_app
from service.extract import extract
from service.sources import ConversionTimeout, FileTooLarge, Limits, convert
from service.sources import office
from service.sources.office import warm as office_warm
from source_fixtures import HEADER, html_of_lines, layout_pdf, office_file, pdf_of_lines

SINGLE = [
    "某区教育局2023年工作要点",
    "一、总体要求",
    "全区计划新建公办幼儿园3所，新增学位630个，这一句足够长，在页面上一定会折成两行甚至三行，转换时必须重新连成一句话才能读出数字。",
    "二、主要任务",
]
TABLE = [["任务", "目标", "责任单位", "完成时限"],
         ["新建学校", "新建中小学2所", "基建科", "2023年9月底"],
         ["教师培训", "培训教师1200人次", "人事科", "2023年12月底"]]
COLUMNS = [f"{n}. 左右两栏的第{n}段文字，内容较长以便折行，计划完成改造项目{n}个，投入资金{n * 10}万元。" for n in range(1, 41)]


@pytest.fixture(scope="module")
def client():
    return create_app({"TESTING": True}).test_client()


def upload(client, filename, data, path="/extract", **config):
    return client.post(path, data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


# --- PDF -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def layout():
    return layout_pdf(SINGLE, COLUMNS, TABLE)


def test_pdf_reads_lines_rows_and_two_columns_in_order_without_headers(layout):
    converted = convert(layout, filename="plan.pdf")
    lines = converted.text.split("\n")
    assert lines[:4] == SINGLE  # the wrapped sentence is one line again
    assert lines[4:7] == [" | ".join(row) for row in TABLE]
    assert lines[7:] == COLUMNS  # left column first, then the right one
    assert HEADER not in converted.text and "- 1 -" not in converted.text
    assert converted.pages == 3
    assert converted.text[converted.page_starts[1]:].startswith(COLUMNS[0])


def test_pdf_targets_carry_their_page_and_the_response_its_text_and_source(client, layout):
    import hashlib

    response = upload(client, "plan.pdf", layout)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["source"] == {"filename": "plan.pdf", "media_type": "application/pdf", "pages": 3,
                              "sha256": hashlib.sha256(layout).hexdigest()}
    text = body["text"]
    second = text.index(COLUMNS[0])
    assert body["targets"]
    for target in body["targets"]:
        assert text[target["span"]["start"]:target["span"]["end"]] == target["raw"]
        if target["span"]["start"] < second:
            assert target["page"] == 1
    pages = [t["page"] for t in sorted(body["targets"], key=lambda t: t["span"]["start"])]
    assert pages == sorted(pages) and set(pages) == {1, 2, 3}
    last = text.index(COLUMNS[-1])
    assert all(t["page"] == 3 for t in body["targets"] if t["span"]["start"] >= last)
    # the same answer as the engine gives for the converted text
    assert [t["raw"] for t in body["targets"]] == [t.raw for t in extract(text).targets]


def test_pdf_sent_as_the_body_with_its_media_type(client, layout):
    response = client.post("/extract?source=plan", data=layout, content_type="application/pdf")
    assert response.status_code == 200
    assert response.get_json()["source"]["filename"] is None
    assert response.get_json()["meta"]["source"] == "plan"


def test_text_sent_as_text_has_no_source_facts_or_pages(client):
    body = client.post("/extract", json={"text": "新建公办园3所。"}).get_json()
    assert "source" not in body and "text" not in body and "page" not in body["targets"][0]


def _blank_pdf(pages: int = 1, encrypt: str | None = None, text: str | None = None) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, encrypt=encrypt)
    for _ in range(pages):
        page.rect(100, 100, 200, 300, fill=1)  # a drawing, no text: what a scan looks like
        if text:
            page.setFont("Helvetica", 12)
            page.drawString(100, 700, text)
        page.showPage()
    page.save()
    return buffer.getvalue()


def _flate_bomb_pdf(unpacked: int) -> bytes:
    """One page whose content stream inflates to `unpacked` bytes of spaces."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    stream = b"".join(packer.compress(chunk) for _ in range(unpacked >> 20)) + packer.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _docx_of(document_xml: bytes, declared_small: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def _text_bomb_docx(chars: int) -> bytes:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    run = "<w:r><w:t>" + "学" * 10000 + "</w:t></w:r>"
    body = f'<w:document {w}><w:body><w:p>' + run * (chars // 10000) + "</w:p></w:body></w:document>"
    return _docx_of(body.encode())


def _entity_bomb_docx() -> bytes:
    lol = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY l0 "新建学校2所">{lol}]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>')
    return _docx_of(xml.encode())


def _deep_docx() -> bytes:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    return _docx_of((f"<w:document {w}><w:body>" + "<w:sdt>" * 200000 + "</w:sdt>" * 200000
                     + "</w:body></w:document>").encode())


def test_a_docx_of_66_kb_that_unpacks_to_21_mb_of_text_is_413():
    data = _text_bomb_docx(7 * 1024 * 1024)  # 7 M characters = 21 MB of UTF-8
    assert len(data) < 100_000
    with pytest.raises(FileTooLarge):
        convert(data, filename="bomb.docx")


BAD_FILES = [
    ("corrupt.pdf", lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", 415, "unsupported-file-type"),
    ("encrypted.pdf", lambda: _blank_pdf(encrypt="secret", text="2023"), 422, "unreadable-file"),
    ("scan.pdf", lambda: _blank_pdf(pages=2), 422, "unreadable-file"),
    ("pages.pdf", lambda: _blank_pdf(pages=6, text="1"), 413, "too-large"),
    ("bomb.pdf", lambda: _flate_bomb_pdf(1 << 30), None, None),
    ("text-bomb.docx", lambda: _text_bomb_docx(7 * 1024 * 1024), 413, "too-large"),
    ("entity-bomb.docx", _entity_bomb_docx, None, None),
    ("deep.docx", _deep_docx, None, None),
    ("corrupt.docx", lambda: b"PK\x03\x04 not really a zip", 415, "unsupported-file-type"),
    ("corrupt.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, None, None),
]


@pytest.fixture(scope="module")
def limited_client():
    # a serving process has its LibreOffice warm before files come (gunicorn's post_fork)
    assert office_warm.warm(wait=True)
    return create_app({"TESTING": True, "MAX_PAGES": 5, "CONVERT_MEMORY_MB": 256}).test_client()


@pytest.mark.parametrize("filename, make, status, slug", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_is_a_problem_within_3_seconds_with_memory_bounded(limited_client, filename, make,
                                                                       status, slug):
    data = make()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    response = upload(limited_client, filename, data)
    elapsed = time.monotonic() - started
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    problem = response.get_json()
    assert response.mimetype == "application/problem+json", problem
    assert response.status_code in (status,) if status else response.status_code in (413, 415, 422), problem
    if slug:
        assert problem["type"].endswith(slug), problem
    assert elapsed < 3.0, (filename, elapsed)
    assert grown_mb < 64, f"the serving process grew by {grown_mb:.0f} MB"


def test_scan_and_encrypted_problems_say_what_is_wrong(limited_client):
    scan = upload(limited_client, "scan.pdf", _blank_pdf()).get_json()
    assert "no text layer" in scan["detail"]
    encrypted = upload(limited_client, "x.pdf", _blank_pdf(encrypt="secret", text="1")).get_json()
    assert "encrypted" in encrypted["detail"]


def test_a_converter_past_its_deadline_is_stopped_and_answers_422(layout):
    app = create_app({"TESTING": True, "CONVERT_SECONDS": 0.01})
    big = pdf_of_lines(COLUMNS * 200)
    started = time.monotonic()
    response = upload(app.test_client(), "big.pdf", big)
    assert time.monotonic() - started < 3.0
    assert response.status_code == 422
    assert response.get_json()["type"].endswith("conversion-timeout")


def test_a_long_pdf_may_take_longer_than_the_idle_limit_while_its_pages_keep_coming():
    long_pdf = pdf_of_lines(COLUMNS * 40)
    steady = Limits(seconds=2.5, most_seconds=120)
    converted = convert(long_pdf, filename="long.pdf", limits=steady)
    assert converted.pages > 40 and converted.text.count(COLUMNS[0]) == 40
    with pytest.raises(ConversionTimeout):
        convert(long_pdf, filename="long.pdf", limits=Limits(seconds=2.5, most_seconds=0.05))


# --- HTML ------------------------------------------------------------------------------------

@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_html_gives_the_article_without_navigation_footer_or_scripts(client, charset):
    data = html_of_lines(SINGLE[1:] + COLUMNS, title=SINGLE[0], charset=charset, table=TABLE)
    response = upload(client, "page.html", data)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["text"].split("\n") == SINGLE + COLUMNS + [" | ".join(row) for row in TABLE]
    for chrome in ("首页", "机构概况", "分享到", "版权所有", "相关链接", "_hmt", "当前位置"):
        assert chrome not in body["text"]
    assert body["source"]["media_type"] == "text/html" and body["source"]["pages"] is None
    assert all("page" not in t for t in body["targets"])


# --- LibreOffice -----------------------------------------------------------------------------

def _lines_and_targets_agree(body):
    lines = [line for line in body["text"].split("\n") if line.strip()]
    assert lines == SINGLE + [" | ".join(row) for row in TABLE]
    assert [t["raw"] for t in body["targets"]] == [t.raw for t in extract(body["text"]).targets]
    assert body["targets"]


@pytest.mark.parametrize("suffix", [".doc", ".odt", ".rtf"])
def test_office_files_read_through_libreoffice(client, suffix):
    data = office_file(SINGLE, suffix, table=TABLE)
    response = upload(client, "plan" + suffix, data)
    assert response.status_code == 200, response.get_data(as_text=True)
    _lines_and_targets_agree(response.get_json())


def test_a_wps_file_of_kingsoft_writer_reads_as_the_word_97_file_it_is(client):
    # WPS Writer's .wps is Word 97 binary; LibreOffice goes by the content, not the name
    data = office_file(SINGLE, ".doc", table=TABLE)
    response = upload(client, "plan.wps", data)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    _lines_and_targets_agree(body)
    assert body["source"]["media_type"] == "application/vnd.ms-works"
    assert body["targets"] == upload(client, "plan.doc", data).get_json()["targets"]


def test_a_warm_libreoffice_converts_a_doc_in_well_under_a_second():
    assert office_warm.warm(wait=True)
    data = office_file(SINGLE, ".doc", table=TABLE)
    times = []
    for _ in range(5):
        started = time.monotonic()
        converted = convert(data, filename="plan.doc")
        times.append(time.monotonic() - started)
        assert converted.text.startswith(SINGLE[0])
    print(f"\nwarm .doc conversion: min {min(times):.3f} s, median {sorted(times)[2]:.3f} s")
    assert min(times) < 1.0, times
    assert office_warm.current(start=False).ready_seconds is not None

def test_unknown_kind_is_415_naming_every_kind_we_read(client):
    response = upload(client, "sheet.xls", b"\xd0\xcf\x11\xe0")
    assert response.status_code == 415
    assert ".pdf" in response.get_json()["detail"] and ".html" in response.get_json()["detail"]


def test_limits_are_read_from_the_environment():
    from service.config import ConfigError, settings

    config = settings({"PLAN_TARGETS_MAX_PAGES": "7", "PLAN_TARGETS_CONVERT_SECONDS": "1.5"})
    limits = Limits.from_settings(config)
    assert (limits.max_pages, limits.seconds) == (7, 1.5)
    assert settings({})["MAX_PAGES"] == 500
    with pytest.raises(ConfigError):
        settings({"PLAN_TARGETS_CONVERT_SECONDS": "soon"})
    assert settings({})["OFFICE_PRESTART"] is False
    assert settings({"PLAN_TARGETS_OFFICE_PRESTART": "1"})["OFFICE_PRESTART"] is True
    with pytest.raises(ConfigError):
        settings({"PLAN_TARGETS_OFFICE_PRESTART": "sometimes"})


def _soffice_processes(marker: str = "plan-targets-office-") -> set[int]:
    from pathlib import Path

    found = set()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            line = cmdline.read_bytes()
            if marker.encode() in line and office_warm.REMOVE_WHEN_GONE.encode() not in line:
                found.add(int(cmdline.parent.name))  # LibreOffice and its server, not their remover
        except OSError:
            continue
    return found


def _stop(pids: set[int]) -> list[int]:
    """SIGSTOP the soffice.bin among `pids`: LibreOffice hangs as on a pathological file."""
    import os
    import signal
    from pathlib import Path

    stopped = []
    for pid in pids:
        try:
            if Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].endswith(b"soffice.bin"):
                os.kill(pid, signal.SIGSTOP)
                stopped.append(pid)
        except OSError:
            continue
    return stopped


def test_a_hanging_libreoffice_is_422_within_3_seconds_killed_whole_and_replaced(client):
    assert office_warm.warm(wait=True)
    server = office_warm.current(start=False)
    hung = _soffice_processes(server.directory)
    assert len(hung) >= 3, hung  # the server's python, oosplash, soffice.bin
    assert _stop(hung)
    data = office_file(SINGLE, ".doc", table=TABLE)
    started = time.monotonic()
    response = upload(client, "plan.doc", data)
    elapsed = time.monotonic() - started
    print(f"\nhanging LibreOffice answered in {elapsed:.2f} s")
    assert response.status_code == 422
    assert response.get_json()["type"].endswith("conversion-timeout")
    assert elapsed < 3.0, elapsed
    assert _soffice_processes(server.directory) == set()  # none left, the stopped one included
    import os

    deadline = time.monotonic() + 5  # its directory goes once the killed group is gone
    while os.path.exists(server.directory) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not os.path.exists(server.directory)
    # a fresh server was started in the background: the next file converts
    response = upload(client, "plan.doc", data)
    assert response.status_code == 200, response.get_data(as_text=True)
    _lines_and_targets_agree(response.get_json())
    assert office_warm.current(start=False) is not server


@pytest.fixture
def one_shot(monkeypatch):
    """No warm LibreOffice in this process (as on a machine without python3-uno)."""
    monkeypatch.setenv("PLAN_TARGETS_OFFICE_PYTHON", "none")
    office_warm.forget_python()
    office_warm.stop(final=False)
    yield
    monkeypatch.delenv("PLAN_TARGETS_OFFICE_PYTHON")
    office_warm.forget_python()
    office_warm.warm(wait=True)


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_without_a_python_with_uno_each_file_goes_through_a_one_shot_libreoffice(one_shot, client, suffix):
    data = office_file(SINGLE, ".doc", table=TABLE)
    response = upload(client, "plan" + suffix, data)
    assert response.status_code == 200, response.get_data(as_text=True)
    _lines_and_targets_agree(response.get_json())
    assert office_warm.current(start=False) is None


def test_a_one_shot_libreoffice_past_its_deadline_is_killed_with_its_helpers(one_shot):
    data = office_file(SINGLE, ".doc")
    before = _soffice_processes()
    started = time.monotonic()
    with pytest.raises(ConversionTimeout):
        office.to_docx_once(data, ".doc", 0.3)
    assert time.monotonic() - started < 3.0
    assert _soffice_processes() - before == set()


def test_the_review_page_shows_a_pdf_with_its_targets_highlighted(client, layout):
    response = client.post("/ui/review", data={"file": (io.BytesIO(layout), "plan.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "培训教师1200人次 | 人事科" in page
    assert page.count("<mark") >= len(extract(convert(layout, filename="plan.pdf").text).targets)


def _libreoffice_temp_dirs() -> set[str]:
    import glob
    import os
    import tempfile

    return set(glob.glob(os.path.join(tempfile.gettempdir(), "lu*.tmp")))


def test_libreoffice_leaves_nothing_in_the_system_temp_directory():
    """A soffice that is killed (past its deadline, or its server stopped) leaves its `lu*.tmp`
    directory behind: each run keeps it in a directory of ours, which goes with it."""
    data = office_file(SINGLE, ".doc")
    before = _libreoffice_temp_dirs()
    assert office.to_docx_once(data, ".doc", 60.0)
    with pytest.raises(ConversionTimeout):
        office.to_docx_once(data, ".doc", 0.3)
    assert office_warm.warm(wait=True)
    assert convert(data, filename="plan.doc").text.startswith(SINGLE[0])
    office_warm.stop(final=False)  # killed whole, as a worker's exit does
    assert office_warm.warm(wait=True)
    assert _libreoffice_temp_dirs() - before == set()


def _office_pipes() -> set[str]:
    import glob
    import os

    return set(glob.glob(f"/tmp/OSL_PIPE_{os.getuid()}_SingleOfficeIPC_*"))


def test_a_killed_libreoffice_leaves_no_socket_in_tmp():
    """LibreOffice keeps a socket per profile in /tmp (never TMPDIR) and removes it only when it
    exits by itself: every server killed (stopped, hung, its worker gone) left one behind."""
    data = office_file(SINGLE, ".doc")
    office_warm.stop(final=False)  # a server an earlier test started
    before = _office_pipes()
    assert office_warm.warm(wait=True)
    assert convert(data, filename="plan.doc").text.startswith(SINGLE[0])
    running = _office_pipes() - before
    assert len(running) == 1  # the live server's own
    office_warm.stop(final=False)  # killed whole, as a worker's exit does
    assert _office_pipes() - before == set()


def test_the_service_asks_unoserve_for_its_remover_by_the_name_unoserve_answers_to():
    """unoserve.py runs apart from the service (another python), so warm.py names its remover's
    command line itself."""
    import runpy

    launcher = runpy.run_path(str(office_warm.LAUNCHER), run_name="unoserve")
    assert launcher["REMOVE_WHEN_GONE"] == office_warm.REMOVE_WHEN_GONE


_DROP_THEN_DIE = """
import os, sys
from service.sources.office import warm
assert warm.warm(wait=True)
server = warm.current(start=False)
print(server.directory, flush=True)
server.stop(wait=False)  # dropped as a hung server is, then the worker dies at once
os._exit(0)
"""


def test_a_dropped_server_s_directory_goes_though_its_worker_dies_at_once():
    """A worker that drops a hung LibreOffice goes on serving and may be killed the next moment
    (gunicorn's timeout): the directory must go all the same."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", _DROP_THEN_DIE], capture_output=True, text=True,
                          cwd=root, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    directory = done.stdout.strip().splitlines()[-1]
    assert directory.startswith(os.path.join(os.path.dirname(directory), office_warm.PREFIX))
    deadline = time.monotonic() + 15
    while os.path.exists(directory) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not os.path.exists(directory)
