"""The example corpus (tests/corpus/*.yaml) run against the extraction engine.

Each YAML file covers one phenomenon of the contract (`../shared/spec/targets.md`); every example
is one test case, so a new extraction rule starts life as a failing example here. Only the keys an
example gives are checked: a target's raw list must match in length and order, every given field
must match (numbers within 1e-9), and every returned span must cut its raw out of the text.
"""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from service.extract import extract

CORPUS_DIR = Path(__file__).parent / "corpus"

PHENOMENA = (
    "numerals", "magnitudes", "money", "percent", "ranges", "comparators", "direction", "per",
    "units", "exclusions", "deadlines", "traditional", "fullwidth", "structure", "responsibility",
)
MINIMUM_EXAMPLES = 150

TARGET_KEYS = {
    "raw", "value", "low", "high", "unit", "currency", "category", "comparator", "direction",
    "per", "metric", "deadline", "item", "document", "responsible_units", "responsible_leaders",
}
DOCUMENT_KEYS = {"title", "issuer", "year", "doc_number"}
ITEM_KEYS = {"document", "number", "title", "responsible_units", "responsible_leaders"}
CATEGORIES = {"funding", "rate", "schools", "seats", "people", "other"}
COMPARATORS = {"eq", "ge", "gt", "le", "lt", "approx", "between"}
DIRECTIONS = {"increase", "decrease", None}


def load_corpus() -> list[tuple[str, dict]]:
    """Every example as (`phenomenon-n`, example), n counting from 1 within its file."""
    cases = []
    for path in sorted(CORPUS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        phenomenon = data["phenomenon"]
        for n, example in enumerate(data["examples"], start=1):
            cases.append((f"{phenomenon}-{n}", example))
    return cases


CASES = load_corpus()


def same(expected, actual) -> bool:
    """Equality with a tolerance for numbers (bools are not numbers here)."""
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return (isinstance(actual, (int, float)) and not isinstance(actual, bool)
                and math.isclose(expected, actual, rel_tol=0, abs_tol=1e-9))
    return expected == actual


def target_field(target: dict, key: str):
    """The engine's value for an expected key; `item` is compared by the item's number."""
    if key == "item":
        return None if target["item"] is None else target["item"]["number"]
    return target[key]


def check_fields(kind: str, expected: dict, actual: dict, getter=lambda d, k: d[k]) -> list[str]:
    problems = []
    for key, want in expected.items():
        if key == "metric":
            # A free-form phrase: only require that one was found.
            if want and not actual.get("metric"):
                problems.append(f"{kind}: metric is empty, expected something like {want!r}")
            continue
        got = getter(actual, key)
        if not same(want, got):
            problems.append(f"{kind}: {key} = {got!r}, expected {want!r}")
    return problems


def flattened_items(result: dict) -> list[dict]:
    return [dict(item, document=doc["index"]) for doc in result["documents"] for item in doc["items"]]


@pytest.mark.parametrize("example", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_example(example):
    text = example["text"]
    result = extract(text).to_dict()
    found = result["targets"]
    problems = []

    for target in found:
        span = target["span"]
        if text[span["start"]:span["end"]] != target["raw"]:
            problems.append(f"span {span} cuts {text[span['start']:span['end']]!r}, raw is {target['raw']!r}")

    expected_raws = [t["raw"] for t in example["targets"]]
    found_raws = [t["raw"] for t in found]
    if found_raws != expected_raws:
        problems.append(f"targets {found_raws!r}, expected {expected_raws!r}")
    else:
        for want, got in zip(example["targets"], found):
            problems += check_fields(f"target {want['raw']!r}", want, got, target_field)

    if "documents" in example:
        documents = result["documents"]
        if len(documents) != len(example["documents"]):
            problems.append(f"{len(documents)} documents {[d['title'] for d in documents]!r}, "
                            f"expected {len(example['documents'])}")
        else:
            for n, (want, got) in enumerate(zip(example["documents"], documents)):
                problems += check_fields(f"document {n}", want, got)

    if "items" in example:
        items = flattened_items(result)
        numbers = [(i["document"], i["number"]) for i in items]
        expected_numbers = [(i.get("document", 0), i["number"]) for i in example["items"]]
        if numbers != expected_numbers:
            problems.append(f"items (document, number) {numbers!r}, expected {expected_numbers!r}")
        else:
            for want, got in zip(example["items"], items):
                problems += check_fields(f"item {want['number']}", want, got)

    assert not problems, "\n".join(problems)


def test_corpus_is_large_enough():
    assert len(CASES) >= MINIMUM_EXAMPLES


@pytest.mark.parametrize("phenomenon", PHENOMENA)
def test_every_phenomenon_has_a_file(phenomenon):
    path = CORPUS_DIR / f"{phenomenon}.yaml"
    assert path.exists(), f"{path.name} is missing"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["phenomenon"] == phenomenon and data["examples"]


@pytest.mark.parametrize("example", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_example_is_well_formed(example):
    """The corpus itself obeys the contract: known keys and values, raws in the text in order."""
    text = example["text"]
    position = 0
    for target in example["targets"]:
        assert set(target) <= TARGET_KEYS, set(target) - TARGET_KEYS
        assert "raw" in target
        assert target.get("category", "other") in CATEGORIES
        assert target.get("comparator", "eq") in COMPARATORS
        assert target.get("direction") in DIRECTIONS
        if target.get("comparator") == "between":
            assert target.get("value") is None and target["low"] < target["high"]
        found_at = text.find(target["raw"], position)
        assert found_at >= 0, f"{target['raw']!r} not in the text after offset {position}"
        position = found_at + len(target["raw"])
    for document in example.get("documents", []):
        assert set(document) <= DOCUMENT_KEYS
    for item in example.get("items", []):
        assert set(item) <= ITEM_KEYS and "number" in item
