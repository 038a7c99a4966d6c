"""`plan-targets ingest`: the seeds in parallel processes, twice, on SQLite and PostgreSQL.

The second run must leave exactly the same rows; the stored funding of each seed must add up
to the funding targets that POST /extract returns for the same file.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from collections import defaultdict

import pytest
from sqlalchemy import text

from api_helpers import seed_paths
from service.api.app import create_app
from service.store.db import Store
from store_support import empty_database_url

SNAPSHOT_SQL = {
    "documents": "SELECT sha256, source, title, issuer, year, doc_number FROM documents ORDER BY sha256",
    "parts": "SELECT d.sha256, p.position, p.title, p.issuer, p.year FROM parts p "
             "JOIN documents d ON d.id = p.document_id ORDER BY d.sha256, p.position",
    "items": "SELECT d.sha256, i.key, i.number, i.title FROM items i "
             "JOIN documents d ON d.id = i.document_id ORDER BY d.sha256, i.key",
    "targets": "SELECT d.sha256, t.key, t.raw, t.value, t.low, t.high, t.unit, t.category "
               "FROM measures t JOIN documents d ON d.id = t.document_id "
               "WHERE t.kind = 'target' ORDER BY d.sha256, t.key",
    "results": "SELECT d.sha256, r.key, r.raw, r.value, r.unit, r.as_of, t.key FROM measures r "
               "JOIN documents d ON d.id = r.document_id LEFT JOIN measures t ON t.id = r.target_id "
               "WHERE r.kind = 'result' ORDER BY d.sha256, r.key",
    "responsibilities": "SELECT d.sha256, i.key, r.kind, r.name, r.position FROM responsibilities r "
                        "JOIN items i ON i.id = r.item_id JOIN documents d ON d.id = i.document_id "
                        "ORDER BY d.sha256, i.key, r.kind, r.position",
}


def snapshot(url: str) -> dict[str, list[tuple]]:
    store = Store(url)
    try:
        with store.reading() as conn:
            return {name: [tuple(r) for r in conn.execute(text(sql))] for name, sql in SNAPSHOT_SQL.items()}
    finally:
        store.dispose()


def run_ingest(url: str, *paths, jobs: int = 2) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", "ingest", *map(str, paths), "--jobs", str(jobs),
         "--database-url", url],
        capture_output=True, text=True, timeout=300)


@pytest.fixture
def plan_dir(tmp_path):
    """The seeds, one of them again under another name in a sub-directory, and a broken .docx."""
    root = tmp_path / "plans"
    (root / "more").mkdir(parents=True)
    seeds = seed_paths()
    for path in seeds:
        shutil.copy(path, root / path.name)
    shutil.copy(seeds[0], root / "more" / "same-text-again.txt")
    (root / "more" / "broken.docx").write_bytes(b"this is not a zip file")
    (root / "more" / "notes.xls").write_bytes(b"\xd0\xcf\x11\xe0")  # not a plan suffix: not walked
    return root, len(seeds)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_ingesting_the_seeds_twice_leaves_the_same_rows_and_funding_adds_up(backend, plan_dir,
                                                                            tmp_path, request):
    root, seed_count = plan_dir
    url = empty_database_url(backend, tmp_path, request)

    first = run_ingest(url, root)
    assert first.returncode == 1, first.stderr  # the broken .docx is a failure
    summary = first.stdout.splitlines()[0]
    assert summary.startswith(f"files: {seed_count + 2}  documents stored: {seed_count}  "
                              f"already stored: 1  "), first.stdout
    assert "failures: 1" in summary
    assert "broken.docx: not a readable .docx file" in first.stdout
    after_first = snapshot(url)
    assert len(after_first["documents"]) == seed_count
    stored_targets = int(summary.split("targets stored: ")[1].split()[0])
    assert stored_targets == len(after_first["targets"])
    stored_results = int(summary.split("results stored: ")[1].split()[0])
    assert stored_results == len(after_first["results"])

    second = run_ingest(url, root, jobs=3)
    assert second.stdout.splitlines()[0].startswith(
        f"files: {seed_count + 2}  documents stored: 0  already stored: {seed_count + 1}  "
        "targets stored: 0  results stored: 0  failures: 1"), second.stdout
    assert snapshot(url) == after_first

    app = create_app({"DATABASE_URL": url, "API_KEYS": [], "TESTING": True})
    client = app.test_client()
    listed = client.get("/documents?limit=100").get_json()["documents"]
    by_source = {d["source"]: d["id"] for d in listed}
    report = []
    for path in seed_paths():
        extracted = client.post("/extract", data=path.read_bytes(),
                                content_type="text/plain").get_json()
        want = defaultdict(float)
        for t in extracted["targets"]:
            if t["category"] == "funding" and t["value"] is not None:
                want[t["unit"]] += t["value"]
        document_id = by_source.get(path.name) or by_source["same-text-again.txt"]
        groups = client.get(f"/summary?document={document_id}&category=funding").get_json()["groups"]
        got = {g["unit"]: g["sum"] for g in groups}
        assert got.keys() == want.keys(), path.name
        for unit in want:
            assert got[unit] == pytest.approx(want[unit], rel=1e-12), (path.name, unit)
        report.append(f"{path.name}: " + ", ".join(f"{v:g} {u}" for u, v in sorted(got.items())))
    print(f"\n{backend}: {summary}\n  " + "\n  ".join(report))


def test_ingest_reports_a_missing_path_and_ingests_the_rest(tmp_path):
    url = f"sqlite:///{tmp_path / 'one.db'}"
    seed = seed_paths()[3]
    result = run_ingest(url, tmp_path / "nowhere", seed, jobs=1)
    assert result.returncode == 1
    assert "nowhere: no such file or directory" in result.stderr
    assert result.stdout.startswith("files: 1  documents stored: 1  already stored: 0")
    assert len(snapshot(url)["documents"]) == 1


def test_progress_bar_draws_on_a_terminal_only():
    import io

    from service.store.ingest import IngestReport, ProgressBar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    report = IngestReport(files=2, stored=1, skipped=1)
    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = ProgressBar(4, stream=stream, width=8)
        bar.update(2, report)
        bar.close()
    assert terminal.getvalue() == "\r[####....] 2/4 stored 1 skipped 1 failed 0\n"
    assert pipe.getvalue() == ""
