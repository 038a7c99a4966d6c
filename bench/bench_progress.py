"""Benchmark (not a test): how long GET /progress and GET /summary?kind=progress take when the
matching runs at query time, over many bureaus each with a plan, a mid-year report and the next
year's plan (tests/texts/progress/ with the bureau's name changed), in a fresh SQLite store.

    .venv/bin/python bench/bench_progress.py [--bureaus N] [--copies C] [--repeat R]

`--copies` stores each bureau's texts C times over (as differently numbered versions of the
same texts), so one bureau has C times the targets and results to match.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from service.api.app import create_app  # noqa: E402
from service.store.db import Store  # noqa: E402
from service.store.storing import store_text  # noqa: E402

TEXTS = Path(__file__).resolve().parent.parent / "tests" / "texts" / "progress"
ISSUER = "清河区教育局"


def timed(client, path: str, repeat: int) -> tuple[float, float, dict]:
    times, body = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
    return statistics.median(times), max(times), body


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bureaus", type=int, default=20)
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(TEXTS.glob("*.txt"))]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        store = Store(url)
        store.upgrade()
        start = time.perf_counter()
        for b in range(args.bureaus):
            issuer = f"第{b + 1}区教育局".replace("第", "")
            for c in range(args.copies):
                for i, text in enumerate(texts):
                    body = text.replace(ISSUER, issuer) + f"\n（第{c + 1}稿）\n"
                    store_text(store, body, f"{issuer}-{c}-{i}.txt")
        stored = time.perf_counter() - start
        store.dispose()
        client = create_app({"DATABASE_URL": url, "API_KEYS": []}).test_client()
        one = "1区教育局"
        n_targets = len(client.get("/targets?limit=1000").get_json()["targets"])
        print(f"stored {args.bureaus} bureaus x {args.copies} copies x {len(texts)} texts "
              f"({n_targets} targets in the first page of /targets) in {stored:.1f} s")
        for label, path in [
            ("GET /progress (100 targets, all bureaus)", "/progress?limit=100"),
            ("GET /progress?issuer=… (one bureau)", "/progress?" + urlencode({"issuer": one})),
            ("GET /summary?kind=progress&group_by=responsible_unit (everything)",
             "/summary?kind=progress&group_by=responsible_unit"),
        ]:
            median, worst, body = timed(client, path, args.repeat)
            size = len(body.get("progress") or body.get("groups") or [])
            matched = sum(len(row["results"]) for row in body.get("progress") or [])
            extra = f", {matched} matched results" if "progress" in body else ""
            print(f"{label}: median {median:.0f} ms, max {worst:.0f} ms ({size} rows{extra})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
