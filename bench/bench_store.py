#!/usr/bin/env python3
"""Benchmark the store through a real gunicorn, on SQLite and (if it answers) PostgreSQL.

For each database: start `plan-targets serve` on an empty database, send parallel
POST /documents (distinct plan texts, each sent several times), check that nothing was lost or
duplicated, then time the dashboard reads (/targets, /results, CSV, /summary); finally time
`plan-targets ingest` of the seeds, twice. First of all it times the write path alone
(`store_text` with the extraction done beforehand, against the same rows written a table at a
time). Prints figures; asserts nothing beyond the counts.

  .venv/bin/python bench/bench_store.py [--texts 40] [--copies 3] [--clients 16] [--workers 3]
      [--reads 200] [--writes 200] [--only-writes] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.api.server import free_port, spawn_server, wait_until_healthy  # noqa: E402


def seeds_dir() -> Path:
    return Path(os.environ.get("PLAN_TARGETS_SHARED") or REPO.parent / "shared") / "seeds"


def plan_texts() -> list[str]:
    """The seed plans, and the dev texts when present (reviews and reports: they give results)."""
    dev = seeds_dir().parent / "dev" / "texts"
    paths = sorted(seeds_dir().glob("*.txt")) + sorted(dev.glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def request(port: int, method: str, path: str, body: bytes | None = None,
            headers: dict | None = None) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return response.status, data, time.perf_counter() - started
    finally:
        connection.close()


def figures(latencies: list[float], elapsed: float) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"{len(latencies) / elapsed:7.1f} req/s  p50 {statistics.median(ordered) * 1000:7.1f} ms  "
            f"p99 {p99 * 1000:7.1f} ms")


def postgres_schema(url: str) -> tuple[str, callable] | None:
    """A fresh schema for this run (URL with its search_path, and a cleanup), or None."""
    from sqlalchemy import create_engine, text

    admin = create_engine(url)
    try:
        with admin.begin() as conn:
            name = "bench_" + uuid.uuid4().hex[:8]
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
    except Exception as exc:
        print(f"postgresql: skipped ({exc.__class__.__name__}: no server at {url})")
        return None

    def drop():
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()

    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{name}", drop


def bench_server(label: str, url: str, args, workdir: Path) -> None:
    plans = plan_texts()
    texts = [f"（副本 {k + 1}）\n{plans[k % len(plans)]}" for k in range(args.texts)]
    jobs = [t for t in texts for _ in range(args.copies)]
    port = free_port()
    with open(workdir / f"{label}.log", "wb") as log:
        process = spawn_server(port, workers=args.workers, log=log,
                               env={"DATABASE_URL": url, "PLAN_TARGETS_DATA_DIR": str(workdir)})
    try:
        started = time.perf_counter()
        wait_until_healthy(f"http://127.0.0.1:{port}", process, deadline_s=120)
        print(f"{label}: gunicorn ({args.workers} workers) up and migrated in "
              f"{time.perf_counter() - started:.1f} s")

        def post(plan: str):
            body = json.dumps({"text": plan}, ensure_ascii=False).encode()
            status, data, seconds = request(port, "POST", "/documents?include_text=0", body,
                                            {"Content-Type": "application/json"})
            return plan, status, json.loads(data).get("id"), seconds

        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            results = list(pool.map(post, jobs))
        elapsed = time.perf_counter() - started
        created = sum(1 for r in results if r[1] == 201)
        again = sum(1 for r in results if r[1] == 200)
        errors = len(results) - created - again
        ids_per_text = {}
        for plan, _, document_id, _ in results:
            ids_per_text.setdefault(plan, set()).add(document_id)
        split = sum(1 for ids in ids_per_text.values() if len(ids) > 1)
        status, data, _ = request(port, "GET", "/documents?limit=1")
        total = json.loads(data)["total"]
        print(f"{label}: POST /documents x{len(jobs)} ({args.texts} texts x {args.copies}, "
              f"{args.clients} clients): {figures([r[3] for r in results], elapsed)}")
        print(f"{label}:   201 {created}, 200 {again}, errors {errors}, texts with >1 id {split}, "
              f"documents stored {total} (expected {args.texts})")

        status, data, _ = request(port, "GET", "/targets?limit=1")
        for path in ("/targets?limit=100", "/targets?category=funding&sort=-value&limit=100",
                     "/targets?format=csv", "/summary?group_by=issuer,year,category",
                     "/summary?group_by=responsible_unit&category=seats",
                     "/results?limit=100", "/results?format=csv",
                     "/summary?kind=results&group_by=issuer,year,category"):
            def get(_):
                return request(port, "GET", path)

            started = time.perf_counter()
            with ThreadPoolExecutor(8) as pool:
                reads = list(pool.map(get, range(args.reads)))
            elapsed = time.perf_counter() - started
            bad = sum(1 for r in reads if r[0] != 200)
            print(f"{label}: GET {path:<52} {figures([r[2] for r in reads], elapsed)}"
                  f"{f'  ({bad} not 200)' if bad else ''}")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def bench_ingest(label: str, url: str, jobs: int) -> None:
    for run in ("first", "second"):
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "service.cli", "ingest", str(seeds_dir()),
                                 "--jobs", str(jobs), "--database-url", url],
                                capture_output=True, text=True)
        print(f"{label}: ingest seeds ({run} run, --jobs {jobs}) {time.perf_counter() - started:.1f} s: "
              f"{result.stdout.splitlines()[0] if result.stdout else result.stderr.strip()}")


def bench_writes(label: str, url: str, count: int) -> None:
    """The store's write path alone (extraction done beforehand): documents per second through
    `store_text` (on PostgreSQL one statement per document) beside the same rows written a
    table at a time in a transaction (`insert_document`, the way before; SQLite's way)."""
    from service.extract import extract
    from service.store import repository
    from service.store.db import Store
    from service.store.storing import store_text

    plans = plan_texts()
    extractions = [extract(p).to_dict() for p in plans]
    store = Store(url)
    store.upgrade()
    try:
        rates = {}
        for way in ("store_text", "table at a time"):
            started = time.perf_counter()
            for k in range(count):
                text = f"（{way} {k}）\n{plans[k % len(plans)]}"
                extraction = extractions[k % len(plans)]
                if way == "store_text":
                    stored = store_text(store, text, f"bench-{k}.txt", extract=lambda _: extraction)
                    assert stored.created
                else:
                    with store.writing() as conn:
                        repository.insert_document(conn, text=text, source=f"bench-{k}.txt",
                                                   extraction=extraction)
            rates[way] = count / (time.perf_counter() - started)
        targets = sum(len(e["targets"]) + len(e.get("results") or []) for e in extractions)
        print(f"{label}: store writes, {count} documents (~{targets // len(extractions)} measures "
              f"each, extraction excluded): store_text {rates['store_text']:.1f} docs/s, "
              f"a table at a time {rates['table at a time']:.1f} docs/s "
              f"({rates['store_text'] / rates['table at a time']:.2f}x)")
    finally:
        store.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=40)
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--writes", type=int, default=200, help="documents in the write-path run")
    parser.add_argument("--only-writes", action="store_true", help="time the write path only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        workdir = Path(tmp)
        bench_writes("sqlite", f"sqlite:///{workdir / 'writes.db'}", args.writes)
        schema = postgres_schema(args.postgres)
        if schema is not None:
            url, drop = schema
            try:
                bench_writes("postgresql", url, args.writes)
            finally:
                drop()
        if args.only_writes:
            return 0
        bench_server("sqlite", f"sqlite:///{workdir / 'server.db'}", args, workdir)
        bench_ingest("sqlite", f"sqlite:///{workdir / 'ingest.db'}", jobs=os.cpu_count() or 2)
        for purpose in ("server", "ingest"):
            schema = postgres_schema(args.postgres)
            if schema is None:
                break
            url, drop = schema
            try:
                if purpose == "server":
                    bench_server("postgresql", url, args, workdir)
                else:
                    bench_ingest("postgresql", url, jobs=os.cpu_count() or 2)
            finally:
                drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
