"""The extraction library: `extract(text) -> Extraction`. Pure, offline, no web framework."""
from .model import Document, Extraction, Item, ItemRef, Span, Target
from .pipeline import extract

__all__ = ["extract", "Extraction", "Document", "Item", "ItemRef", "Span", "Target"]
