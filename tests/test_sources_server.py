"""Hostile files against the real server (`plan-targets serve`, gunicorn, one worker): each bomb is
a problem within 3 s, the worker's peak memory stays far from the GBs a bomb unpacks to, and the
worker goes on answering (the converter's child took the blow)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

from service.api.server import running_server, wait_until_healthy
from source_fixtures import layout_pdf
from test_sources import (COLUMNS, SINGLE, TABLE, _deep_docx, _entity_bomb_docx, _flate_bomb_pdf,
                          _text_bomb_docx)

#: a worker's peak resident memory (the app, the engine, PDFium and trafilatura loaded) stays below
WORKER_PEAK_MB = 600


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("serve-sources")
    with running_server(workdir, workers=1,
                        env={"PLAN_TARGETS_DATA_DIR": str(workdir / "data"),
                             "PLAN_TARGETS_MAX_BYTES": str(5 * 1024 * 1024)}) as served:
        yield {"url": served.url, "process": served.process}


def _descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _worker_peaks(server) -> dict[int, float]:
    """Peak RSS of every gunicorn process (master and worker) under the server process."""
    out = {}
    for pid in [server["process"].pid, *_descendants(server["process"].pid)]:
        try:
            if "gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace") \
                    or pid == server["process"].pid:
                out[pid] = _peak_mb(pid)
        except OSError:
            continue
    return out


BOMBS = [("text-bomb.docx", _text_bomb_docx(7 * 1024 * 1024)), ("entity-bomb.docx", _entity_bomb_docx()),
         ("deep.docx", _deep_docx()), ("flate-bomb.pdf", _flate_bomb_pdf(1 << 30))]


@pytest.mark.parametrize("name, data", BOMBS, ids=[b[0] for b in BOMBS])
def test_a_bomb_is_a_problem_within_3_seconds_and_the_worker_stays_small(server, name, data):
    started = time.monotonic()
    response = requests.post(server["url"] + "/extract", files={"file": (name, data)}, timeout=30)
    elapsed = time.monotonic() - started
    assert response.status_code in (413, 415, 422), response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    print(f"\n{name} ({len(data) // 1024} KB): {response.status_code} in {elapsed:.2f} s, "
          f"gunicorn peak RSS {max(_worker_peaks(server).values()):.0f} MB")
    assert elapsed < 3.0, f"{name}: {elapsed:.2f} s"
    peaks = _worker_peaks(server)
    assert peaks and max(peaks.values()) < WORKER_PEAK_MB, peaks
    assert requests.get(server["url"] + "/healthz", timeout=5).status_code == 200


def test_a_pdf_over_http_has_pages(server):
    data = layout_pdf(SINGLE, COLUMNS, TABLE)
    response = requests.post(server["url"] + "/extract", data=data,
                             headers={"Content-Type": "application/pdf"}, timeout=60)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["source"]["pages"] == 3 and {t["page"] for t in body["targets"]} == {1, 2, 3}


# --- LibreOffice in a gunicorn worker ----------------------------------------------------------

def _office_processes(pid: int) -> dict[int, bytes]:
    """The warm LibreOffice processes under `pid` (its server's python, oosplash, soffice.bin)."""
    out = {}
    for child in _descendants(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"plan-targets-office-" in cmdline and b"--remove-when-gone" not in cmdline:
            out[child] = cmdline.split(b"\0")[0]  # LibreOffice and its server, not their remover
    return out


def _directory_of(launcher: int) -> Path:
    """The directory (profile, scratch files) of the warm server whose launcher is `launcher`."""
    arguments = Path(f"/proc/{launcher}/cmdline").read_bytes().split(b"\0")
    return Path(arguments[arguments.index(b"--directory") + 1].decode())


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _upload_doc(server, data, timeout=60):
    started = time.monotonic()
    response = requests.post(server["url"] + "/extract", files={"file": ("plan.doc", data)}, timeout=timeout)
    return response, time.monotonic() - started


def test_a_worker_has_its_own_warm_libreoffice_and_a_hang_does_not_hold_it(server):
    import os
    import signal

    from source_fixtures import office_file

    data = office_file(SINGLE, ".doc", table=TABLE)
    assert _office_processes(server["process"].pid) == {}  # none before the first office file
    response, _ = _upload_doc(server, data)  # the worker starts its LibreOffice now
    assert response.status_code == 200, response.text
    lines = [line for line in response.json()["text"].split("\n") if line.strip()]
    assert lines == SINGLE + [" | ".join(row) for row in TABLE]
    times = [_upload_doc(server, data)[1] for _ in range(3)]
    assert min(times) < 3.0, times

    master = server["process"].pid
    office = _office_processes(master)
    launchers = [pid for pid, exe in office.items() if b"python" in exe]
    assert len(launchers) == 1, office  # one worker, one LibreOffice
    worker = _parent(launchers[0])
    assert worker != master  # started in the worker, never in the master (which forks)
    soffice_bin = [pid for pid, exe in office.items() if exe.endswith(b"soffice.bin")]
    rss_mb = int(Path(f"/proc/{soffice_bin[0]}/status").read_text().split("VmRSS:")[1].split()[0]) / 1024
    print(f"\nwarm .doc over HTTP: min {min(times):.3f} s; soffice.bin RSS {rss_mb:.0f} MB")

    hung_directory = _directory_of(launchers[0])
    for pid in soffice_bin:
        os.kill(pid, signal.SIGSTOP)  # LibreOffice hangs as on a pathological file
    response, elapsed = _upload_doc(server, data)
    print(f"hanging LibreOffice over HTTP: {response.status_code} in {elapsed:.2f} s")
    assert response.status_code == 422 and response.json()["type"].endswith("conversion-timeout"), response.text
    assert elapsed < 3.0, elapsed
    assert requests.get(server["url"] + "/healthz", timeout=5).status_code == 200
    assert not set(office) & set(_office_processes(master))  # the hung group is gone, soffice.bin too
    deadline = time.monotonic() + 10
    while hung_directory.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not hung_directory.exists()  # removed apart from the worker, which may die any time

    response, _ = _upload_doc(server, data)  # the worker started a fresh LibreOffice
    assert response.status_code == 200, response.text
    assert _parent(next(pid for pid, exe in _office_processes(master).items() if b"python" in exe)) == worker


def test_a_killed_worker_takes_its_libreoffice_with_it(server):
    import os
    import signal

    master = server["process"].pid
    deadline = time.monotonic() + 60
    while not (office := _office_processes(master)) and time.monotonic() < deadline:
        time.sleep(0.2)
    launcher = next(pid for pid, exe in office.items() if b"python" in exe)
    directory = _directory_of(launcher)
    assert directory.is_dir()
    os.kill(_parent(launcher), signal.SIGKILL)  # as gunicorn does to a worker past its timeout

    def left() -> list[int]:  # orphaned (no longer under the master) but running
        alive = []
        for pid in office:
            try:
                if b"plan-targets-office-" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    alive.append(pid)
            except OSError:
                continue
        return alive

    deadline = time.monotonic() + 10
    while (left() or directory.exists()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left() == []
    assert not directory.exists()  # its profile and scratch files go with it
    wait_until_healthy(server["url"], server["process"], deadline_s=60)


def test_with_prestart_every_worker_starts_its_libreoffice_after_the_fork(tmp_path):
    with running_server(tmp_path, env={"PLAN_TARGETS_DATA_DIR": str(tmp_path / "data"),
                                       "PLAN_TARGETS_OFFICE_PRESTART": "1"}) as served:
        process = served.process
        deadline = time.monotonic() + 60
        launchers: list[int] = []
        while len(launchers) < 2 and time.monotonic() < deadline:
            launchers = [pid for pid, exe in _office_processes(process.pid).items() if b"python" in exe]
            time.sleep(0.2)
        workers = {_parent(pid) for pid in launchers}
        assert len(launchers) == 2 and len(workers) == 2, launchers  # one per worker, no upload
        assert process.pid not in workers  # never the master
