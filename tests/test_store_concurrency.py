"""Many writers at once lose nothing and duplicate nothing, on SQLite and on PostgreSQL.

Over HTTP: parallel POST /documents against a real gunicorn (3 workers, started on an empty
database, so the workers also race on the migration). In-process: two writers forced to
race on the same text past the "already stored?" check, so the unique-sha256 path is taken.
"""
from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from service.api.server import running_server
from service.store import repository
from service.store.db import Store, current_revision, head_revision
from service.store.storing import store_text
from store_support import empty_database_url, extraction_of, seeds

DISTINCT_TEXTS = 12
COPIES = 4
CLIENT_THREADS = 16


def distinct_plans() -> list[str]:
    """Real plan texts made distinct by a line of their own (a shortened seed keeps it quick)."""
    seed_texts = [plan for _, plan in seeds()]
    plans = []
    for k in range(DISTINCT_TEXTS):
        base = seed_texts[k % len(seed_texts)][:6000]
        plans.append(f"（第{k + 1}份副本）\n{base}")
    return plans


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_parallel_posts_to_gunicorn_lose_nothing_and_duplicate_nothing(backend, tmp_path, request):
    url = empty_database_url(backend, tmp_path, request)
    log_path = tmp_path / "server.log"
    with running_server(tmp_path, workers=3,
                        env={"DATABASE_URL": url, "PLAN_TARGETS_DATA_DIR": str(tmp_path)}) as served:
        base = served.url
        probe = Store(url)  # migrated by gunicorn's master at start, before any store request
        assert current_revision(probe.engine) == head_revision()
        probe.dispose()
        plans = distinct_plans()
        jobs = [plan for plan in plans for _ in range(COPIES)]
        random.Random(7).shuffle(jobs)

        def post(plan: str):
            response = requests.post(base + "/documents?include_text=0", json={"text": plan},
                                     timeout=120)
            return plan, response.status_code, response.json()

        started = time.perf_counter()
        with ThreadPoolExecutor(CLIENT_THREADS) as pool:
            results = list(pool.map(post, jobs))
        elapsed = time.perf_counter() - started

        statuses = defaultdict(list)
        ids = defaultdict(set)
        for plan, status, body in results:
            statuses[plan].append(status)
            ids[plan].add(body.get("id"))
        assert all(s in (200, 201) for plan in plans for s in statuses[plan]), dict(statuses)
        for plan in plans:
            assert statuses[plan].count(201) == 1, statuses[plan]
            assert len(ids[plan]) == 1
        listed = requests.get(base + "/documents?limit=500", timeout=30).json()
        assert listed["total"] == DISTINCT_TEXTS
        assert {d["id"] for d in listed["documents"]} == {i for s in ids.values() for i in s}
        for plan in plans:
            (document_id,) = ids[plan]
            stored = requests.get(f"{base}/documents/{document_id}", timeout=30).json()
            assert stored["text"] == plan
            assert stored["sha256"] == repository.text_sha256(plan)
            assert [t["key"] for t in stored["targets"]] == [
                t["id"] for t in extraction_of(plan)["targets"]]
        print(f"\n{backend}: {len(jobs)} POST /documents ({DISTINCT_TEXTS} distinct texts x {COPIES}) "
              f"from {CLIENT_THREADS} threads to 3 workers in {elapsed:.2f} s "
              f"({len(jobs) / elapsed:.1f} req/s); {DISTINCT_TEXTS} x 201, "
              f"{len(jobs) - DISTINCT_TEXTS} x 200, no loss, no duplicate")
    assert "Traceback" not in log_path.read_text(errors="replace")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_writers_racing_on_one_text_store_it_once(backend, tmp_path, request):
    url = empty_database_url(backend, tmp_path, request)
    Store(url).upgrade()
    _, plan = seeds()[3]
    # Both writers have checked "not stored yet" before either extracts: a real race.
    both_checked = threading.Barrier(2, timeout=30)

    def extract_after_both_checked(text_: str) -> dict:
        both_checked.wait()
        return extraction_of(text_)

    def writer():
        store = Store(url)
        try:
            return store_text(store, plan, "race.txt", extract=extract_after_both_checked)
        finally:
            store.dispose()

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda _: writer(), range(2)))
    assert sorted(o.created for o in outcomes) == [False, True]
    assert outcomes[0].document_id == outcomes[1].document_id
    store = Store(url)
    with store.reading() as conn:
        documents, total = repository.list_documents(conn, repository.DocumentFilters(), 10, 0)
    store.dispose()
    assert total == 1 and documents[0]["target_count"] == len(extraction_of(plan)["targets"])
