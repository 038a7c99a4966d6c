"""The example corpus (tests/corpus/*.yaml) run against the extraction engine.

Each YAML file covers one phenomenon of the contract (`../shared/spec/targets.md`); every example
is one test case, so a new extraction rule starts life as a failing example here. Only the keys an
example gives are checked: a target's raw list must match in length and order, every given field
must match (numbers within 1e-9), and every returned span must cut its raw out of the text.

Results (targets.md §5) are checked the same way where an example gives `results`; an example of
a file written since results exist (`RESULT_PHENOMENA`) that gives no `results` expects none. A
result's `target` is written as the raw of the target it reports on; a target's `baseline` as
`{raw, value}`.
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
) + (
    "status", "progress", "tables", "inheritance", "shared_units", "open_units", "per_head",
    "baselines", "growth", "normalisation",
)
# Files written since results exist: an example there that gives no `results` expects none.
RESULT_PHENOMENA = frozenset({
    "status", "progress", "tables", "inheritance", "shared_units", "open_units", "per_head",
    "baselines", "growth", "normalisation",
})
MINIMUM_EXAMPLES = 545  # 405 before results, 140 written with them

TARGET_KEYS = {
    "raw", "value", "low", "high", "unit", "currency", "category", "comparator", "direction",
    "per", "metric", "metric_is", "deadline", "item", "document", "responsible_units", "responsible_leaders",
    "baseline",
}
RESULT_KEYS = (TARGET_KEYS - {"deadline", "baseline"}) | {"as_of", "target"}
DOCUMENT_KEYS = {"title", "issuer", "year", "doc_number"}
ITEM_KEYS = {"document", "number", "title", "responsible_units", "responsible_leaders"}
CATEGORIES = {"funding", "rate", "schools", "seats", "people", "other"}
COMPARATORS = {"eq", "ge", "gt", "le", "lt", "approx", "between"}
DIRECTIONS = {"increase", "decrease", None}


def load_corpus() -> list[tuple[str, dict]]:
    """Every example as (`phenomenon-n`, example), n counting from 1 within its file.

    An example of a `RESULT_PHENOMENA` file that gives no `results` is given `results: []`.
    """
    cases = []
    for path in sorted(CORPUS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        phenomenon = data["phenomenon"]
        for n, example in enumerate(data["examples"], start=1):
            if phenomenon in RESULT_PHENOMENA and "results" not in example:
                example = dict(example, results=[])
            cases.append((f"{phenomenon}-{n}", example))
    return cases


CASES = load_corpus()

# Examples the engine does not read right yet, one `phenomenon-n` a line (# comments allowed).
# They run as strict xfails: reported as failing, and an error as soon as one starts passing,
# so this list can only shrink. Each is an open piece of work, named in the closing note.
KNOWN_FAILURES = frozenset(
    line.split("#", 1)[0].strip()
    for line in (CORPUS_DIR / "known_failures.txt").read_text(encoding="utf-8").splitlines()
    if line.split("#", 1)[0].strip()
) if (CORPUS_DIR / "known_failures.txt").exists() else frozenset()


def _engine_cases():
    for case_id, example in CASES:
        marks = [pytest.mark.xfail(strict=True, reason="not read yet (tests/corpus/known_failures.txt)")] \
            if case_id in KNOWN_FAILURES else []
        yield pytest.param(example, id=case_id, marks=marks)


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


def result_getter(targets: list[dict]):
    """Like `target_field`, and a result's `target` (an id) is read as that target's raw."""
    raws = {t["id"]: t["raw"] for t in targets}

    def get(result: dict, key: str):
        if key == "target" and result["target"] is not None:
            return raws.get(result["target"], f"<no target with id {result['target']!r}>")
        return target_field(result, key)
    return get


def same_baseline(expected, actual) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    return expected["raw"] == actual.get("raw") and (
        same(expected["value"], actual.get("value")) if expected["value"] is not None
        else actual.get("value") is None)


def check_fields(kind: str, expected: dict, actual: dict, getter=lambda d, k: d[k]) -> list[str]:
    problems = []
    for key, want in expected.items():
        if key == "metric":
            # A free-form phrase: only require that one was found.
            if want and not actual.get("metric"):
                problems.append(f"{kind}: metric is empty, expected something like {want!r}")
            continue
        if key == "metric_is":
            # Where the phrase itself is the point (what is stripped from it): exactly this.
            if actual.get("metric") != want:
                problems.append(f"{kind}: metric = {actual.get('metric')!r}, expected {want!r}")
            continue
        got = getter(actual, key)
        if key == "baseline":
            if not same_baseline(want, got):
                problems.append(f"{kind}: baseline = {got!r}, expected {want!r}")
            continue
        if not same(want, got):
            problems.append(f"{kind}: {key} = {got!r}, expected {want!r}")
    return problems


def check_measures(kind: str, text: str, expected: list[dict], found: list[dict], getter) -> list[str]:
    """Spans cut their raws; raws match in order; every given field matches."""
    problems = []
    for measure in found:
        span = measure["span"]
        if text[span["start"]:span["end"]] != measure["raw"]:
            problems.append(f"{kind} span {span} cuts {text[span['start']:span['end']]!r}, "
                            f"raw is {measure['raw']!r}")
    expected_raws = [m["raw"] for m in expected]
    found_raws = [m["raw"] for m in found]
    if found_raws != expected_raws:
        problems.append(f"{kind}s {found_raws!r}, expected {expected_raws!r}")
    else:
        for want, got in zip(expected, found):
            problems += check_fields(f"{kind} {want['raw']!r}", want, got, getter)
    return problems


def flattened_items(result: dict) -> list[dict]:
    return [dict(item, document=doc["index"]) for doc in result["documents"] for item in doc["items"]]


@pytest.mark.parametrize("example", list(_engine_cases()))
def test_example(example):
    text = example["text"]
    result = extract(text).to_dict()
    problems = check_measures("target", text, example["targets"], result["targets"], target_field)
    if "results" in example:
        problems += check_measures("result", text, example["results"], result["results"],
                                   result_getter(result["targets"]))

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


def test_known_failures_name_real_examples():
    assert KNOWN_FAILURES <= {c[0] for c in CASES}


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
    target_raws = [t["raw"] for t in example["targets"]]
    for kind, keys in (("targets", TARGET_KEYS), ("results", RESULT_KEYS)):
        position = 0
        for measure in example.get(kind, []):
            assert set(measure) <= keys, set(measure) - keys
            assert "raw" in measure
            assert measure.get("category", "other") in CATEGORIES
            assert measure.get("comparator", "eq") in COMPARATORS
            assert measure.get("direction") in DIRECTIONS
            if measure.get("comparator") == "between":
                assert measure.get("value") is None and measure["low"] < measure["high"]
            found_at = text.find(measure["raw"], position)
            assert found_at >= 0, f"{measure['raw']!r} not in the text after offset {position}"
            position = found_at + len(measure["raw"])
            baseline = measure.get("baseline")
            if baseline is not None:
                assert set(baseline) == {"raw", "value"} and baseline["raw"] in text
                assert baseline["value"] is None or isinstance(baseline["value"], (int, float))
            if measure.get("as_of") is not None:
                assert measure["as_of"] in text, f"as_of {measure['as_of']!r} is not written in the text"
            if measure.get("target") is not None:
                assert measure["target"] in target_raws, f"{measure['target']!r} is no expected target"
    for document in example.get("documents", []):
        assert set(document) <= DOCUMENT_KEYS
    for item in example.get("items", []):
        assert set(item) <= ITEM_KEYS and "number" in item
