"""Writing extractions into the store and reading documents, targets, results and summaries back.

Targets and results are the two kinds of measure (`KINDS`): one table, one query path, one
summary, each taking the kind it reads. Everything here takes a SQLAlchemy `Connection` inside a transaction opened by `Store.reading()`
or `Store.writing()`, and returns plain dicts shaped like the API's JSON.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Iterable, Iterator

from sqlalchemy import (Connection, Float, Integer, and_, delete, exists, func, insert, or_, select,
                        true, false)
from sqlalchemy import text as text_sql

from ..sources.base import page_at

from .models import INT_MAX, INT_MIN, RESULT, TARGET, Document, Item, Measure, Part, Responsibility

documents = Document.__table__
parts = Part.__table__
items = Item.__table__
responsibilities = Responsibility.__table__
measures = Measure.__table__

UNIT, LEADER = "unit", "leader"


def text_sha256(text: str) -> str:
    """The identity of a stored text: sha256 of its UTF-8 bytes, exactly as submitted."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- writing


def find_document_id(conn: Connection, sha256: str) -> int | None:
    return conn.execute(select(documents.c.id).where(documents.c.sha256 == sha256)).scalar()


@dataclass
class DocumentRows:
    """The rows one stored document writes, each table's already cut to its columns. Keys that
    only the database gives (ids) are named by what the extraction calls them: a part by its
    `position`, an item by its `key`, a result's target by the target's `key` (columns `_part`,
    `_item`, `_target`), so the same rows can be written step by step or in one statement."""
    document: dict
    parts: list[dict]
    items: list[dict]
    names: list[dict]
    targets: list[dict]
    results: list[dict]


def document_rows(*, text: str, source: str | None, extraction: dict, file: dict | None = None,
                  page_starts=None) -> DocumentRows:
    parts_in = list(extraction.get("documents") or [])
    first = min(parts_in, key=lambda d: d["index"]) if parts_in else {}
    document = _fit(documents, {
        "sha256": text_sha256(text),
        "source": source or None,
        "title": first.get("title"),
        "issuer": first.get("issuer"),
        "year": first.get("year"),
        "doc_number": first.get("doc_number"),
        "text": text,
        "warnings": list(extraction.get("warnings") or []),
        "created_at": datetime.now(timezone.utc),
        "file_name": (file or {}).get("filename"),
        "file_media_type": (file or {}).get("media_type"),
        "file_pages": (file or {}).get("pages"),
        "file_sha256": (file or {}).get("sha256"),
        "page_starts": list(page_starts) if page_starts else None,
    })

    # A measure may name a document index the extraction did not describe; give it a bare part.
    known = {d["index"] for d in parts_in}
    named = {m["document"] for kind in KINDS.values() for m in extraction.get(kind.plural) or []}
    for index in sorted(named - known):
        parts_in.append({"index": index, "title": None, "issuer": None, "year": None,
                         "doc_number": None, "span": {"start": 0, "end": len(text)}, "items": []})

    rows = DocumentRows(document, [], [], [], [], [])
    for part in sorted(parts_in, key=lambda d: d["index"]):
        rows.parts.append(_fit(parts, {
            "position": part["index"], "title": part.get("title"), "issuer": part.get("issuer"),
            "year": part.get("year"), "doc_number": part.get("doc_number"),
            "span_start": part["span"]["start"], "span_end": part["span"]["end"]}))
        for item in part.get("items") or []:
            rows.items.append({"_part": part["index"], **_fit(items, {
                "key": item["id"], "number": item["number"], "title": item["title"],
                "section": item.get("section"), "span_start": item["span"]["start"],
                "span_end": item["span"]["end"]})})
            names = [(UNIT, n) for n in item.get("responsible_units") or []]
            names += [(LEADER, n) for n in item.get("responsible_leaders") or []]
            rows.names += [{"_item": item["id"], **_fit(responsibilities, {
                "kind": kind, "name": name, "position": i})} for i, (kind, name) in enumerate(names)]

    def measure_row(kind: str, position: int, m: dict, **own) -> dict:
        item_ref = m.get("item")
        return {"_part": m["document"], "_item": item_ref["id"] if item_ref else None,
                **_fit(measures, {
                    "kind": kind, "key": m["id"], "position": position,
                    "section": m.get("section"), "text": m["text"],
                    "span_start": m["span"]["start"], "span_end": m["span"]["end"],
                    "page": page_at(page_starts, m["span"]["start"]),
                    **{name: m.get(name) for name in MEASURE_FIELDS}, **own})}

    for position, t in enumerate(extraction.get("targets") or []):
        baseline = t.get("baseline") or {}
        rows.targets.append(measure_row(TARGET, position, t, deadline=t.get("deadline"),
                                        baseline_raw=baseline.get("raw"),
                                        baseline_value=baseline.get("value")))
    for position, r in enumerate(extraction.get("results") or []):
        rows.results.append({"_target": r.get("target"),
                             **measure_row(RESULT, position, r, as_of=r.get("as_of"))})
    return rows


def _columns(row: dict) -> dict:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def insert_document(conn: Connection, *, text: str, source: str | None, extraction: dict,
                    file: dict | None = None, page_starts=None) -> int:
    """Insert a text and its extraction (`Extraction.to_dict()`) a table at a time; returns the
    new document id. `file` ({filename, media_type, pages, sha256}) and `page_starts` describe
    the file the text was converted from, if any. (On PostgreSQL `store_document_at_once`
    writes the same rows in one statement.)

    Raises IntegrityError when the same text is already stored (unique sha256).
    """
    rows = document_rows(text=text, source=source, extraction=extraction, file=file,
                         page_starts=page_starts)
    document_id = conn.execute(insert(documents).returning(documents.c.id),
                               rows.document).scalar_one()
    part_ids: dict[int, int] = {}
    for part in rows.parts:
        part_ids[part["position"]] = conn.execute(
            insert(parts).returning(parts.c.id), {"document_id": document_id, **part}).scalar_one()
    item_ids: dict[str, int] = {}
    if rows.items:
        # One round trip for all the items; ids come back in the order of the rows.
        new_ids = conn.execute(
            insert(items).returning(items.c.id, sort_by_parameter_order=True),
            [{"document_id": document_id, "part_id": part_ids[i["_part"]], **_columns(i)}
             for i in rows.items]).scalars().all()
        item_ids = {i["key"]: item_id for i, item_id in zip(rows.items, new_ids)}
    if rows.names:
        conn.execute(insert(responsibilities),
                     [{"item_id": item_ids[n["_item"]], **_columns(n)} for n in rows.names])

    def placed(m: dict) -> dict:
        return {"document_id": document_id, "part_id": part_ids[m["_part"]],
                "item_id": item_ids.get(m["_item"]) if m["_item"] else None, **_columns(m)}

    # Targets first: a result's `target` (an extraction id) becomes the stored target's row id.
    target_ids: dict[str, int] = {}
    if rows.targets:
        new_ids = conn.execute(
            insert(measures).returning(measures.c.id, sort_by_parameter_order=True),
            [placed(t) for t in rows.targets]).scalars().all()
        target_ids = {t["key"]: row_id for t, row_id in zip(rows.targets, new_ids)}
    if rows.results:
        conn.execute(insert(measures), [{**placed(r), "target_id": target_ids.get(r["_target"])}
                                        for r in rows.results])
    return document_id


def store_document_at_once(conn: Connection, *, text: str, source: str | None,
                           extraction: dict, file: dict | None = None,
                           page_starts=None) -> int | None:
    """PostgreSQL: insert a document and everything extracted from it in ONE statement (one
    round trip, atomic by itself): the rows travel as JSON arrays, and data-modifying CTEs hand
    each table's new ids to the next through RETURNING. None when the same text is already
    stored (the document's insert does nothing on its sha256, and so does everything after)."""
    rows = document_rows(text=text, source=source, extraction=extraction, file=file,
                         page_starts=page_starts)
    params: dict[str, Any] = {}

    def recordset(name: str, table, data, refs: dict[str, str]) -> tuple[str, list[str]]:
        """`jsonb_to_recordset(:name) WITH ORDINALITY AS x(...)` over rows of `table`."""
        sample = data[0] if isinstance(data, list) else data
        cols = [c for c in sample if not c.startswith("_")]
        typed = [f'"{c}" {table.c[c].type.compile(dialect=conn.dialect)}' for c in cols]
        typed += [f'"{r}" {t}' for r, t in refs.items()]
        if isinstance(data, list):  # `_ord` keeps the rows' order, and so the order of the ids
            data = [{**row, "_ord": n} for n, row in enumerate(data)]
            typed.append('"_ord" integer')
        params[name] = json.dumps(data, ensure_ascii=False, default=_json_default)
        if isinstance(data, list):
            return f"jsonb_to_recordset(CAST(:{name} AS jsonb)) AS {name}({', '.join(typed)})", cols
        return f"jsonb_to_record(CAST(:{name} AS jsonb)) AS {name}({', '.join(typed)})", cols

    def insert_from(table, alias, source_sql, cols, keys: dict[str, str], joins: str,
                    returning: str = "") -> str:
        names = list(keys) + cols
        values = list(keys.values()) + [f'{alias}."{c}"' for c in cols]
        order = f" ORDER BY {alias}._ord" if "recordset" in source_sql else ""
        return (f'INSERT INTO {table.name} ({", ".join(chr(34) + n + chr(34) for n in names)}) '
                f"SELECT {', '.join(values)} FROM {source_sql} {joins}{order}"
                f"{' RETURNING ' + returning if returning else ''}")

    doc_src, doc_cols = recordset("doc_in", documents, rows.document, {})
    ctes = [f"doc AS ({insert_from(documents, 'doc_in', doc_src, doc_cols, {}, '')} "
            "ON CONFLICT (sha256) DO NOTHING RETURNING id)"]
    if rows.parts:
        src, cols = recordset("parts_in", parts, rows.parts, {})
        ctes.append(f"p AS ({insert_from(parts, 'parts_in', src, cols, {'document_id': 'doc.id'}, 'CROSS JOIN doc', 'id, position')})")
    if rows.items:
        src, cols = recordset("items_in", items, rows.items, {"_part": "integer"})
        ctes.append(f"i AS ({insert_from(items, 'items_in', src, cols, {'document_id': 'doc.id', 'part_id': 'p.id'}, 'CROSS JOIN doc JOIN p ON p.position = items_in._part', 'id, key')})")
    if rows.names:
        src, cols = recordset("names_in", responsibilities, rows.names, {"_item": "text"})
        ctes.append(f"r AS ({insert_from(responsibilities, 'names_in', src, cols, {'item_id': 'i.id'}, 'JOIN i ON i.key = names_in._item')})")
    item_join = ("LEFT JOIN i ON i.key = {a}._item" if rows.items else "")
    item_id = "i.id" if rows.items else "CAST(NULL AS integer)"
    if rows.targets:
        src, cols = recordset("targets_in", measures, rows.targets, {"_part": "integer", "_item": "text"})
        ctes.append(f"t AS ({insert_from(measures, 'targets_in', src, cols, {'document_id': 'doc.id', 'part_id': 'p.id', 'item_id': item_id}, 'CROSS JOIN doc JOIN p ON p.position = targets_in._part ' + item_join.format(a='targets_in'), 'id, key')})")
    if rows.results:
        src, cols = recordset("results_in", measures, rows.results,
                              {"_part": "integer", "_item": "text", "_target": "text"})
        target_id = "t.id" if rows.targets else "CAST(NULL AS integer)"
        target_join = "LEFT JOIN t ON t.key = results_in._target" if rows.targets else ""
        ctes.append(f"res AS ({insert_from(measures, 'results_in', src, cols, {'document_id': 'doc.id', 'part_id': 'p.id', 'item_id': item_id, 'target_id': target_id}, 'CROSS JOIN doc JOIN p ON p.position = results_in._part ' + item_join.format(a='results_in') + ' ' + target_join)})")
    statement = "WITH " + ", ".join(ctes) + " SELECT id FROM doc"
    return conn.execute(text_sql(statement), params).scalar()


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _fit(table, row: dict) -> dict:
    """Cut strings to their column's length: PostgreSQL refuses a longer value, and a run-away
    name from a misread line must not cost the whole document."""
    for name, length in _string_lengths(table):
        value = row.get(name)
        if isinstance(value, str) and len(value) > length:
            row[name] = value[:length]
    return row


@lru_cache(maxsize=None)
def _string_lengths(table) -> tuple[tuple[str, int], ...]:
    """(name, length) of the table's columns of bounded length, read once per table."""
    return tuple((column.name, column.type.length) for column in table.c
                 if getattr(column.type, "length", None))


def delete_document(conn: Connection, document_id: int) -> bool:
    """Remove a document and everything extracted from it; False when there was none."""
    item_ids = select(items.c.id).where(items.c.document_id == document_id)
    conn.execute(delete(measures).where(measures.c.document_id == document_id))
    conn.execute(delete(responsibilities).where(responsibilities.c.item_id.in_(item_ids)))
    conn.execute(delete(items).where(items.c.document_id == document_id))
    conn.execute(delete(parts).where(parts.c.document_id == document_id))
    return conn.execute(delete(documents).where(documents.c.id == document_id)).rowcount > 0


# --------------------------------------------------------------------------- kinds

#: Columns every measure has, as the engine names them (targets.md §2).
MEASURE_FIELDS = ("raw", "value", "low", "high", "unit", "currency", "category",
                  "comparator", "direction", "per", "metric")

#: Sortable fields of both kinds and the column each sorts by (ties broken by row id).
_SHARED_SORTS = {
    "id": measures.c.id, "document": measures.c.document_id, "year": parts.c.year,
    "issuer": parts.c.issuer, "category": measures.c.category, "unit": measures.c.unit,
    "value": measures.c.value, "metric": measures.c.metric,
}


@dataclass(frozen=True)
class Kind:
    """What differs between targets and results in the store: the name of the kind and of its
    list, its own fields, the field it sorts by beyond the shared ones, and its own yes/no
    filter (`has_deadline` for targets, `has_target` for results)."""
    name: str
    plural: str
    sorts: dict
    flag: str
    flag_column: Any

    def own_fields(self, r) -> dict:
        if self.name == TARGET:
            baseline = ({"raw": r["baseline_raw"], "value": r["baseline_value"]}
                        if r["baseline_raw"] is not None else None)
            return {"deadline": r["deadline"], "baseline": baseline}
        return {"as_of": r["as_of"],
                "target": ({"id": r["target_id"], "key": r["target_key"]}
                           if r["target_id"] is not None else None)}


KINDS = {
    TARGET: Kind(TARGET, "targets", {**_SHARED_SORTS, "deadline": measures.c.deadline},
                 "has_deadline", measures.c.deadline),
    RESULT: Kind(RESULT, "results", {**_SHARED_SORTS, "as_of": measures.c.as_of},
                 "has_target", measures.c.target_id),
}
KIND_BY_PLURAL = {k.plural: k for k in KINDS.values()}


# --------------------------------------------------------------------------- documents


@dataclass
class DocumentFilters:
    issuer: str | None = None
    year: int | None = None
    q: str | None = None


def list_documents(conn: Connection, filters: DocumentFilters, limit: int, offset: int):
    """A page of documents, newest first, and the number of all that match."""
    conditions = []
    if filters.issuer is not None:
        conditions.append(exists().where(parts.c.document_id == documents.c.id,
                                         parts.c.issuer == filters.issuer))
    if filters.year is not None:
        conditions.append(exists().where(parts.c.document_id == documents.c.id,
                                         parts.c.year == filters.year))
    if filters.q:
        conditions.append(or_(
            documents.c.title.contains(filters.q, autoescape=True),
            exists().where(parts.c.document_id == documents.c.id,
                           parts.c.title.contains(filters.q, autoescape=True))))
    where = and_(true(), *conditions)
    total = conn.execute(select(func.count()).select_from(documents).where(where)).scalar_one()
    rows = conn.execute(
        select(*_DOCUMENT_COLUMNS).where(where)
        .order_by(documents.c.id.desc()).limit(limit).offset(offset)).mappings().all()
    ids = [r["id"] for r in rows]
    counts: dict[tuple[int, str], int] = {}
    if ids:
        counts = {(d, k): n for d, k, n in conn.execute(
            select(measures.c.document_id, measures.c.kind, func.count())
            .where(measures.c.document_id.in_(ids))
            .group_by(measures.c.document_id, measures.c.kind))}
    part_rows = _parts_of(conn, ids)
    return [strip_internal(_document_dict(r, part_rows.get(r["id"], []),
                                          counts.get((r["id"], TARGET), 0),
                                          counts.get((r["id"], RESULT), 0)))
            for r in rows], total


def get_document(conn: Connection, document_id: int, *, with_text: bool = True) -> dict | None:
    """A document with its parts, their items, all its targets and results and (optionally)
    its text."""
    row = conn.execute(select(*_DOCUMENT_COLUMNS, documents.c.text, documents.c.warnings,
                              *_FILE_COLUMNS)
                       .where(documents.c.id == document_id)).mappings().first()
    if row is None:
        return None
    part_list = _parts_of(conn, [document_id]).get(document_id, [])
    item_rows = conn.execute(
        select(items).where(items.c.document_id == document_id)
        .order_by(items.c.part_id, items.c.span_start, items.c.id)).mappings().all()
    names = _names_of(conn, [r["id"] for r in item_rows])
    items_by_part: dict[int, list] = {}
    for r in item_rows:
        units, leaders = names.get(r["id"], ([], []))
        items_by_part.setdefault(r["part_id"], []).append({
            "id": r["id"], "key": r["key"], "number": r["number"], "title": r["title"],
            "section": r["section"], "span": {"start": r["span_start"], "end": r["span_end"]},
            "responsible_units": units, "responsible_leaders": leaders})
    lists = {}
    for kind in KINDS.values():
        lists[kind.plural] = list(_measure_dicts(conn, kind, conn.execute(
            _measure_select(kind).where(measures.c.document_id == document_id)
            .order_by(measures.c.position)).mappings().all()))
    doc = _document_dict(row, part_list, len(lists["targets"]), len(lists["results"]))
    for part in doc["parts"]:
        part["items"] = items_by_part.get(part.pop("_id"), [])
    doc.update(lists)
    doc["warnings"] = list(row["warnings"] or [])
    doc["file"] = file_facts(row)
    if with_text:
        doc["text"] = row["text"]
    return doc


_FILE_COLUMNS = (documents.c.file_name, documents.c.file_media_type, documents.c.file_pages,
                 documents.c.file_sha256)


def file_facts(row) -> dict | None:
    """What the stored text was converted from, as POST /extract gives it in `source`."""
    if row["file_media_type"] is None:
        return None
    return {"filename": row["file_name"], "media_type": row["file_media_type"],
            "pages": row["file_pages"], "sha256": row["file_sha256"]}


def get_text(conn: Connection, document_id: int) -> str | None:
    return conn.execute(select(documents.c.text).where(documents.c.id == document_id)).scalar()


_DOCUMENT_COLUMNS = (documents.c.id, documents.c.sha256, documents.c.source, documents.c.title,
                     documents.c.issuer, documents.c.year, documents.c.doc_number,
                     documents.c.created_at)


def _parts_of(conn: Connection, document_ids: list[int]) -> dict[int, list]:
    if not document_ids:
        return {}
    out: dict[int, list] = {}
    for r in conn.execute(select(parts).where(parts.c.document_id.in_(document_ids))
                          .order_by(parts.c.document_id, parts.c.position)).mappings():
        out.setdefault(r["document_id"], []).append(r)
    return out


def _document_dict(row, part_rows, target_count: int, result_count: int) -> dict:
    created = row["created_at"]
    if created is not None and created.tzinfo is None:  # SQLite hands back naive UTC
        created = created.replace(tzinfo=timezone.utc)
    return {
        "id": row["id"], "sha256": row["sha256"], "source": row["source"], "title": row["title"],
        "issuer": row["issuer"], "year": row["year"], "doc_number": row["doc_number"],
        "created_at": created.isoformat() if created else None,
        "target_count": target_count, "result_count": result_count,
        "parts": [{"_id": p["id"], "index": p["position"], "title": p["title"],
                   "issuer": p["issuer"], "year": p["year"], "doc_number": p["doc_number"],
                   "span": {"start": p["span_start"], "end": p["span_end"]}} for p in part_rows],
    }


def strip_internal(doc: dict) -> dict:
    """Drop bookkeeping keys from a listed document (kept only while assembling)."""
    for part in doc["parts"]:
        part.pop("_id", None)
    return doc


def _names_of(conn: Connection, item_ids: Iterable[int]) -> dict[int, tuple[list, list]]:
    """Responsible units and leaders of each item, in written order."""
    item_ids = sorted(set(i for i in item_ids if i is not None))
    out: dict[int, tuple[list, list]] = {}
    for chunk_start in range(0, len(item_ids), 500):
        chunk = item_ids[chunk_start:chunk_start + 500]
        for r in conn.execute(
                select(responsibilities.c.item_id, responsibilities.c.kind, responsibilities.c.name)
                .where(responsibilities.c.item_id.in_(chunk))
                .order_by(responsibilities.c.item_id, responsibilities.c.position)):
            units, leaders = out.setdefault(r.item_id, ([], []))
            (units if r.kind == UNIT else leaders).append(r.name)
    return out


# --------------------------------------------------------------------------- targets and results

_linked = measures.alias("linked_target")


def _measure_select(kind: Kind):
    """Measures of one kind with their part, document and item (and a result's target key)."""
    columns = [measures, parts.c.position.label("part"), parts.c.title.label("document_title"),
               parts.c.issuer, parts.c.year, parts.c.doc_number, documents.c.source,
               items.c.key.label("item_key"), items.c.number.label("item_number"),
               items.c.title.label("item_title")]
    if kind.name == RESULT:
        columns.append(_linked.c.key.label("target_key"))
    stmt = (select(*columns)
            .join(parts, parts.c.id == measures.c.part_id)
            .join(documents, documents.c.id == measures.c.document_id)
            .outerjoin(items, items.c.id == measures.c.item_id))
    if kind.name == RESULT:
        stmt = stmt.outerjoin(_linked, _linked.c.id == measures.c.target_id)
    return stmt.where(measures.c.kind == kind.name)


def _measure_dicts(conn: Connection, kind: Kind, rows) -> Iterator[dict]:
    names = _names_of(conn, (r["item_id"] for r in rows))
    for r in rows:
        units, leaders = names.get(r["item_id"], ([], []))
        yield {
            "id": r["id"], "key": r["key"], "document_id": r["document_id"],
            "source": r["source"], "part": r["part"], "document_title": r["document_title"],
            "issuer": r["issuer"], "year": r["year"], "doc_number": r["doc_number"],
            "item": ({"id": r["item_id"], "key": r["item_key"], "number": r["item_number"],
                      "title": r["item_title"]} if r["item_id"] is not None else None),
            "section": r["section"], "text": r["text"],
            "span": {"start": r["span_start"], "end": r["span_end"]}, "page": r["page"],
            **{name: r[name] for name in MEASURE_FIELDS},
            **kind.own_fields(r),
            "responsible_units": units, "responsible_leaders": leaders,
        }


@dataclass
class MeasureFilters:
    """The filters shared by /targets, /results and /summary; None means "any". `has` is the
    kind's own yes/no filter: a deadline for targets, a linked target for results."""
    category: list[str] | None = None
    unit: list[str] | None = None
    currency: list[str] | None = None
    issuer: str | None = None
    year: int | None = None
    document: int | None = None
    item: int | None = None
    responsible_unit: str | None = None
    comparator: list[str] | None = None
    direction: list[str | None] | None = None
    min_value: float | None = None
    max_value: float | None = None
    has: bool | None = None
    matches_nothing: bool = False

    def conditions(self, kind: Kind) -> list:
        c = [measures.c.kind == kind.name]
        for name, column in (("category", measures.c.category), ("unit", measures.c.unit),
                             ("currency", measures.c.currency),
                             ("comparator", measures.c.comparator)):
            values = getattr(self, name)
            if values:
                c.append(column.in_(values))
        if self.direction:
            named = [d for d in self.direction if d is not None]
            c.append(or_(measures.c.direction.in_(named),
                         *([measures.c.direction.is_(None)] if None in self.direction else [])))
        if self.issuer is not None:
            c.append(parts.c.issuer == self.issuer)
        if self.year is not None:
            c.append(parts.c.year == self.year)
        if self.document is not None:
            c.append(measures.c.document_id == self.document)
        if self.item is not None:
            c.append(items.c.number == self.item)
        if self.responsible_unit:
            c.append(exists().where(responsibilities.c.item_id == measures.c.item_id,
                                    responsibilities.c.kind == UNIT,
                                    responsibilities.c.name.contains(self.responsible_unit,
                                                                     autoescape=True)))
        # A range matches when [low, high] reaches into [min_value, max_value].
        if self.min_value is not None:
            c.append(func.coalesce(measures.c.value, measures.c.high, measures.c.low)
                     >= self.min_value)
        if self.max_value is not None:
            c.append(func.coalesce(measures.c.value, measures.c.low, measures.c.high)
                     <= self.max_value)
        if self.has is True:
            c.append(kind.flag_column.is_not(None))
        elif self.has is False:
            c.append(kind.flag_column.is_(None))
        if self.matches_nothing:
            c.append(false())
        return c


class BadCursor(ValueError):
    pass


@dataclass
class MeasurePage:
    rows: list[dict]
    next_cursor: str | None


#: Longer than any cursor handed out (its sort value is at most a column's 200 characters).
MAX_CURSOR_LENGTH = 2048


def encode_cursor(kind: Kind, sort: str, value: Any, last_id: int) -> str:
    raw = json.dumps([kind.name, sort, value, last_id], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, kind: Kind, sort: str) -> tuple[Any, int]:
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError("too long")
        padded = cursor + "=" * (-len(cursor) % 4)
        cursor_kind, cursor_sort, value, last_id = json.loads(
            base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, binascii.Error, RecursionError):
        raise BadCursor("cursor is not one this service handed out") from None
    if cursor_kind != kind.name:
        raise BadCursor(f"cursor belongs to the {cursor_kind}s, not the {kind.plural}")
    if cursor_sort != sort:
        raise BadCursor(f"cursor belongs to sort={cursor_sort!r}, not sort={sort!r}")
    if not _fits(Integer(), last_id) or not _fits(kind.sorts[sort.lstrip("-")].type, value):
        raise BadCursor("cursor is not one this service handed out")
    return value, last_id


def _fits(column_type, value: Any) -> bool:
    """Whether a cursor's value can be compared with a column of this type in SQL: a crafted
    cursor must not reach the database with a string for a number or an int past int4."""
    if value is None:
        return not isinstance(column_type, Integer)  # a null id is never handed out
    if isinstance(column_type, Integer):
        return type(value) is int and INT_MIN <= value <= INT_MAX
    if isinstance(column_type, Float):
        if type(value) is int:
            return -(2**63) <= value < 2**63
        return type(value) is float and math.isfinite(value)
    return isinstance(value, str) and "\x00" not in value


def _after_cursor(column, descending: bool, value: Any, last_id: int):
    """Rows after (value, last_id) in the order `column ASC|DESC NULLS LAST, id ASC`."""
    if column is measures.c.id:
        return measures.c.id < last_id if descending else measures.c.id > last_id
    if value is None:
        return and_(column.is_(None), measures.c.id > last_id)
    beyond = column < value if descending else column > value
    return or_(beyond, and_(column == value, measures.c.id > last_id), column.is_(None))


def query_measures(conn: Connection, kind: Kind, filters: MeasureFilters, *, sort: str = "id",
                   limit: int | None = 100, cursor: str | None = None) -> MeasurePage:
    """One page of targets or results in `sort` order (`-field` descending), keyset-paginated."""
    descending = sort.startswith("-")
    column = kind.sorts[sort.lstrip("-")]
    stmt = _measure_select(kind).where(*filters.conditions(kind))
    if cursor:
        value, last_id = decode_cursor(cursor, kind, sort)
        stmt = stmt.where(_after_cursor(column, descending, value, last_id))
    if column is measures.c.id:
        order = [measures.c.id.desc() if descending else measures.c.id.asc()]
    else:
        order = [(column.desc() if descending else column.asc()).nulls_last(),
                 measures.c.id.asc()]
    stmt = stmt.order_by(*order)
    if limit is not None:
        stmt = stmt.limit(limit + 1)
    rows = conn.execute(stmt).mappings().all()
    next_cursor = None
    if limit is not None and len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(kind, sort, last[column.name] if column is not measures.c.id
                                    else last["id"], last["id"])
    return MeasurePage(list(_measure_dicts(conn, kind, rows)), next_cursor)


# --------------------------------------------------------------------------- summary

GROUP_FIELDS = ("issuer", "year", "category", "unit", "currency", "responsible_unit",
                "document", "comparator", "direction")


def summarize(conn: Connection, kind: Kind, filters: MeasureFilters,
              group_by: list[str]) -> list[dict]:
    """Count and sum the targets (or the results) per group; `unit` is always grouped so a sum
    has one unit, and the kind is always one, so a result never adds to a target's sum.

    `sum` adds `value`; a range has none, so it adds nothing and is counted in `ranges`.
    Grouping by responsible_unit counts a measure once under each of its item's units
    (and under null when it has none).
    """
    fields = list(dict.fromkeys(group_by + (["unit"] if "unit" not in group_by else [])))
    unit_names = responsibilities.alias("unit_names")
    columns = {
        "issuer": parts.c.issuer, "year": parts.c.year, "category": measures.c.category,
        "unit": measures.c.unit, "currency": measures.c.currency,
        "responsible_unit": unit_names.c.name, "document": measures.c.document_id,
        "comparator": measures.c.comparator, "direction": measures.c.direction,
    }
    selected = [columns[f].label(f) for f in fields]
    stmt = (
        select(*selected, func.count().label("count"),
               func.sum(measures.c.value).label("sum"),
               func.count().filter(measures.c.value.is_(None)).label("ranges"))
        .select_from(measures)
        .join(parts, parts.c.id == measures.c.part_id)
        .outerjoin(items, items.c.id == measures.c.item_id)
    )
    if "responsible_unit" in fields:
        on = [unit_names.c.item_id == measures.c.item_id, unit_names.c.kind == UNIT]
        if filters.responsible_unit:
            on.append(unit_names.c.name.contains(filters.responsible_unit, autoescape=True))
        stmt = stmt.outerjoin(unit_names, and_(*on))
    stmt = (stmt.where(*filters.conditions(kind))
            .group_by(*[columns[f] for f in fields])
            .order_by(*[columns[f].asc().nulls_last() for f in fields]))
    groups = []
    for r in conn.execute(stmt).mappings():
        group = {f: r[f] for f in fields}
        group.update(count=r["count"], sum=float(r["sum"] or 0), ranges=r["ranges"])
        groups.append(group)
    return groups
