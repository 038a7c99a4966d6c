"""Batch ingestion: extract and store many plan files in parallel processes.

Each worker process opens its own engine (connections never cross a fork) and stores one
file at a time through `store_text`, so a re-run skips every text already stored (by sha256)
without extracting it again, and two workers given the same text store it once.
"""
from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, TextIO

from ..sources import WALKED_SUFFIXES, Limits, SourceError, convert, sha256
from . import repository
from .db import Store
from .storing import store_text

#: Suffixes picked up when walking a directory (a file named on the command line is always tried):
#: every format `service.sources` reads, so a folder may mix .txt, .docx, .pdf, .html, .doc ...
#: Batch work waits longer for a conversion than a request does.
BATCH_LIMITS = Limits(seconds=30.0, most_seconds=600.0, office_seconds=60.0)

STORED, SKIPPED, FAILED = "stored", "skipped", "failed"


@dataclass
class FileOutcome:
    path: str
    status: str
    document_id: int | None = None
    targets: int = 0
    results: int = 0
    reason: str | None = None


@dataclass
class IngestReport:
    files: int = 0
    stored: int = 0
    skipped: int = 0
    targets: int = 0
    results: int = 0
    failures: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, outcome: FileOutcome) -> None:
        self.files += 1
        if outcome.status == STORED:
            self.stored += 1
            self.targets += outcome.targets
            self.results += outcome.results
        elif outcome.status == SKIPPED:
            self.skipped += 1
        else:
            self.failures.append(outcome)

    def lines(self) -> list[str]:
        out = [f"files: {self.files}  documents stored: {self.stored}  "
               f"already stored: {self.skipped}  targets stored: {self.targets}  "
               f"results stored: {self.results}  failures: {len(self.failures)}  ({self.seconds:.1f} s)"]
        out += [f"  failed {f.path}: {f.reason}" for f in self.failures]
        return out


def plan_files(paths: Iterable[str]) -> list[str]:
    """The files named, and the plan files of every readable kind under the directories named."""
    found: list[str] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [str(Path(root) / f) for f in sorted(files)
                          if not f.startswith(".") and Path(f).suffix.lower() in WALKED_SUFFIXES]
        else:
            found.append(str(path))
    return list(dict.fromkeys(found))


# One store per worker process, made by the pool's initializer.
_worker_store: Store | None = None


def _init_worker(url: str) -> None:
    global _worker_store
    _worker_store = Store(url)


def ingest_file(store: Store, path: str) -> FileOutcome:
    """Store one file; every failure becomes an outcome with a reason, never an exception."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        converted = convert(data, filename=path, limits=BATCH_LIMITS)
    except OSError as exc:
        return FileOutcome(path, FAILED, reason=f"cannot read: {exc.strerror or exc}")
    except SourceError as exc:
        return FileOutcome(path, FAILED, reason=str(exc))
    text = converted.text
    if not text.strip():
        return FileOutcome(path, FAILED, reason="no text (empty or only whitespace)")
    counted: dict[str, int] = {}

    def extract_and_count(plan: str) -> dict:
        from ..extract import extract

        result = extract(plan).to_dict()
        counted["targets"] = len(result["targets"])
        counted["results"] = len(result.get("results") or [])
        return result

    try:
        file = None
        if converted.media_type != "text/plain":
            file = {"filename": os.path.basename(path), "media_type": converted.media_type,
                    "pages": converted.pages, "sha256": sha256(data)}
        stored = store_text(store, text, os.path.basename(path), extract=extract_and_count,
                            file=file, page_starts=converted.page_starts)
    except Exception as exc:  # an engine or database failure on one file must not stop the batch
        return FileOutcome(path, FAILED, reason=f"{exc.__class__.__name__}: {str(exc)[:300]}")
    if stored.created:
        return FileOutcome(path, STORED, stored.document_id, counted.get("targets", 0),
                           counted.get("results", 0))
    return FileOutcome(path, SKIPPED, stored.document_id)


def _ingest_in_worker(path: str) -> FileOutcome:
    assert _worker_store is not None
    return ingest_file(_worker_store, path)


class ProgressBar:
    """A one-line bar on a terminal; on anything else, nothing until the summary."""

    def __init__(self, total: int, stream: TextIO = sys.stderr, width: int = 30):
        self.total, self.stream, self.width = total, stream, width
        self.enabled = total > 0 and stream.isatty()

    def update(self, done: int, report: IngestReport) -> None:
        if not self.enabled:
            return
        filled = self.width * done // self.total
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{self.total} "
                          f"stored {report.stored} skipped {report.skipped} "
                          f"failed {len(report.failures)}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def ingest(url: str, paths: Iterable[str], jobs: int = 1,
           on_progress: Callable[[int, IngestReport], None] | None = None) -> IngestReport:
    """Migrate the database, then store every plan file under `paths` with `jobs` processes."""
    started = time.perf_counter()
    files = plan_files(paths)
    report = IngestReport()
    store = Store(url)
    store.upgrade()
    if jobs <= 1 or len(files) <= 1:
        for path in files:
            report.add(ingest_file(store, path))
            if on_progress:
                on_progress(report.files, report)
    else:
        store.dispose()  # no pooled connection may be inherited by the workers
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                 initargs=(url,)) as pool:
            futures = [pool.submit(_ingest_in_worker, path) for path in files]
            for future in as_completed(futures):
                report.add(future.result())
                if on_progress:
                    on_progress(report.files, report)
    store.dispose()
    report.failures.sort(key=lambda f: f.path)
    report.seconds = time.perf_counter() - started
    return report


def stored_counts(url: str) -> tuple[int, int]:
    """(documents, targets) in the store: what a dashboard would see (results not counted)."""
    from sqlalchemy import func, select

    store = Store(url)
    try:
        with store.reading() as conn:
            documents = conn.execute(select(func.count()).select_from(repository.documents)).scalar_one()
            targets = conn.execute(select(func.count()).select_from(repository.measures)
                                   .where(repository.measures.c.kind == "target")).scalar_one()
    finally:
        store.dispose()
    return documents, targets
