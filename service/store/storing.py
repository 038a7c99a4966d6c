"""Extract a plan text and keep it, once per text (idempotent by sha256)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy.exc import IntegrityError

from . import repository
from .db import Store


@dataclass
class Stored:
    document_id: int
    created: bool


def default_extract(text: str) -> dict:
    from ..extract import extract

    return extract(text).to_dict()


class UnstorableText(ValueError):
    """A text the store cannot keep as it is (PostgreSQL's text holds no NUL character)."""


def store_text(store: Store, text: str, source: str | None,
               extract: Callable[[str], dict] = default_extract, *,
               file: dict | None = None, page_starts=None) -> Stored:
    """Store `text` and what the engine extracts from it, unless the same text is stored.

    The extraction runs outside any transaction; the write is short. Two processes storing
    the same text at once both end with the one stored id: the loser of the race hits the
    unique sha256 and reads the winner's row.
    """
    if "\x00" in text or (source and "\x00" in source):
        raise UnstorableText("the text holds a NUL character, which the store cannot keep")
    sha256 = repository.text_sha256(text)
    with store.reading() as conn:
        existing = repository.find_document_id(conn, sha256)
    if existing is not None:
        return Stored(existing, False)
    extraction = extract(text)
    if store.dialect == "postgresql":  # the whole document in one round trip
        with store.one_statement() as conn:
            document_id = repository.store_document_at_once(
                conn, text=text, source=source, extraction=extraction, file=file,
                page_starts=page_starts)
        if document_id is not None:
            return Stored(document_id, True)
        with store.reading() as conn:  # the same text was stored meanwhile
            return Stored(repository.find_document_id(conn, sha256), False)
    try:
        with store.writing() as conn:
            existing = repository.find_document_id(conn, sha256)
            if existing is not None:
                return Stored(existing, False)
            return Stored(repository.insert_document(
                conn, text=text, source=source, extraction=extraction, file=file,
                page_starts=page_starts), True)
    except IntegrityError:
        with store.reading() as conn:
            existing = repository.find_document_id(conn, sha256)
        if existing is None:
            raise
        return Stored(existing, False)
