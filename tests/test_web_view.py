"""What the review page computes from an extraction: marks cut at code-point spans, the outline,
totals, and the mapping of a stored document back to an extraction (real SQLite store)."""
from __future__ import annotations

import re

from markupsafe import Markup

from api_helpers import engine_json, seed_text
from service.extract import extract
from service.store import repository
from service.store.db import Store, upgrade
from service.store.storing import store_text
from service.web import view

MARK = re.compile(r'<mark id="mark-([^"]+)"[^>]*>(.*?)</mark>')


def target(tid, start, end, text, **fields):
    return {"id": tid, "document": 0, "item": None, "span": {"start": start, "end": end},
            "raw": text[start:end], "value": 1.0, "low": 1.0, "high": 1.0, "unit": "所",
            "category": "schools", "comparator": "eq", "direction": None, "per": None,
            "metric": None, "deadline": None, **fields}


def unescape(html: str) -> str:
    return (re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">")
            .replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&"))


def test_spans_are_code_points_even_after_astral_characters():
    text = "𠮷𝟘😀 新建<公办园>3所，新增学位630个。"
    start = text.index("3所")
    second = text.index("630个")
    extraction = {"documents": [], "targets": [target("t0-0", start, start + 2, text),
                                               target("t0-1", second, second + 4, text)]}
    result = view.highlight(text, extraction)
    assert isinstance(result.html, Markup)
    assert MARK.findall(str(result.html)) == [("t0-0", "3所"), ("t0-1", "630个")]
    assert unescape(str(result.html)) == text  # markup-safe, nothing lost
    assert result.unmarked == [] and result.notes == []


def test_real_engine_spans_after_astral_characters_are_marked_exactly():
    text = "😀𠮷" * 3 + "\n1. 新建公办园3所，新增学位630个。\n"
    extraction = engine_json(extract(text))
    result = view.highlight(text, extraction)
    marks = MARK.findall(str(result.html))
    assert len(marks) == len(extraction["targets"])
    for (tid, marked), t in zip(marks, sorted(extraction["targets"], key=lambda t: t["span"]["start"])):
        assert tid == t["id"] and marked == text[t["span"]["start"]:t["span"]["end"]] == t["raw"]


def test_overlapping_or_outside_spans_are_reported_not_marked():
    text = "新增学位630个和3所"
    extraction = {"documents": [], "targets": [
        target("a", 4, 8, text), target("b", 6, 8, text), target("c", 9, 40, text)]}
    result = view.highlight(text, extraction)
    assert [t["id"] for t in result.marked] == ["a"]
    assert sorted((t["id"], "overlaps" in why or "outside" in why) for t, why in result.unmarked) == [
        ("b", True), ("c", True)]


def test_raw_differing_from_the_text_at_its_span_is_noted():
    text = "新建3所"
    bad = target("t", 2, 4, text, raw="4所")
    assert view.highlight(text, {"documents": [], "targets": [bad]}).notes


def test_item_anchors_sit_outside_marks():
    text = "1. 新建3所"
    item = {"id": "d0-i1", "number": 1, "title": "新建3所", "section": None,
            "span": {"start": 0, "end": len(text)}, "responsible_units": [], "responsible_leaders": []}
    extraction = {"documents": [{"index": 0, "title": None, "span": {"start": 0, "end": len(text)},
                                 "items": [item]}],
                  "targets": [target("t", 5, 7, text)]}
    html = str(view.highlight(text, extraction).html)
    assert html.index('id="doc-0"') < html.index('id="item-d0-i1"') < html.index("<mark")
    assert unescape(html) == text


def test_totals_sum_per_category_and_unit_skip_per_period_and_add_range_ends():
    text = "x" * 50
    targets = [
        target("f1", 0, 1, text, category="funding", unit="亿元", value=0.8498, low=0.8498, high=0.8498),
        target("f2", 1, 2, text, category="funding", unit="亿元", value=4.7, low=4.7, high=4.7),
        target("f3", 2, 3, text, category="funding", unit="亿美元", value=0.03, low=0.03, high=0.03),
        target("s1", 3, 4, text, category="schools", unit="所", value=None, low=3.0, high=5.0,
               comparator="between"),
        target("s2", 4, 5, text, category="schools", unit="所", value=2.0, low=2.0, high=2.0),
        target("p1", 5, 6, text, category="people", unit="人", value=2.0, per="校"),
        target("r1", 6, 7, text, category="rate", unit="%", value=90.0),
    ]
    totals = {(t["category"], t["unit"]): t for t in view.totals(targets)}
    assert totals[("funding", "亿元")]["amount"] == "5.5498"
    assert totals[("funding", "亿美元")]["amount"] == "0.03"
    assert totals[("schools", "所")]["amount"] == "5–7"
    assert totals[("people", "人")]["summed"] == 0 and totals[("people", "人")]["not_summed"] == 1
    assert ("rate", "%") not in totals
    assert [t["unit"] for t in view.totals(targets)][:2] == ["亿元", "亿美元"]


def test_outline_groups_items_by_section_with_target_counts():
    extraction = engine_json(extract(seed_text()))
    outline = view.outline(extraction)
    assert len(outline) == len(extraction["documents"])
    items = [i for d in outline for s in d["sections"] for i in s["items"]]
    assert [i["id"] for i in items] == [i["id"] for d in extraction["documents"] for i in d["items"]]
    in_items = sum(i["target_count"] for i in items)
    preamble = sum(d["preamble_targets"] for d in outline)
    assert in_items + preamble == len(extraction["targets"])


def test_stored_document_maps_back_to_its_extraction(tmp_path):
    text = seed_text()
    store = Store(f"sqlite:///{tmp_path / 'view.db'}")
    upgrade(store.engine)
    stored = store_text(store, text, "seed.txt")
    with store.reading() as conn:
        document = repository.get_document(conn, stored.document_id)
    store.dispose()
    expected = engine_json(extract(text))
    mapped = view.extraction_from_stored(document)
    assert mapped["documents"] == expected["documents"]
    assert mapped["warnings"] == expected["warnings"]
    assert len(mapped["targets"]) == len(expected["targets"])
    for got, want in zip(mapped["targets"], expected["targets"]):
        assert set(got) == set(want)
        for key in want:
            if key in ("value", "low", "high") and want[key] is not None:
                assert float(got[key]) == float(want[key])
            else:
                assert got[key] == want[key], key
    # and the CSV rows built for an unsaved plan carry what the store's rows carry
    shaped = view.store_shaped_targets(expected, "seed.txt")
    assert [set(r) for r in shaped] == [set(r) for r in document["targets"]]


def _review_and_plan_extraction():
    from api_helpers import REVIEW_AND_PLAN

    extraction = engine_json(extract(REVIEW_AND_PLAN))
    assert extraction["targets"] and extraction["results"], "the text has both kinds"
    return REVIEW_AND_PLAN, extraction


def test_results_are_marked_in_their_own_style_and_never_as_targets():
    text, extraction = _review_and_plan_extraction()
    result = view.highlight(text, extraction)
    html = str(result.html)
    target_marks = re.findall(r'<mark id="mark-([^"]+)" class="target cat-[a-z]+" data-target="\1"', html)
    result_marks = re.findall(r'<mark id="mark-([^"]+)" class="result cat-[a-z]+" data-result="\1"', html)
    assert target_marks == [t["id"] for t in sorted(extraction["targets"], key=lambda t: t["span"]["start"])]
    assert result_marks == [r["id"] for r in sorted(extraction["results"], key=lambda r: r["span"]["start"])]
    assert (result.count("target"), result.count("result")) == (
        len(extraction["targets"]), len(extraction["results"]))
    for rid, marked in re.findall(r'data-result="([^"]+)"[^>]*>(.*?)</mark>', html):
        r = next(r for r in extraction["results"] if r["id"] == rid)
        assert marked == text[r["span"]["start"]:r["span"]["end"]] == r["raw"]
    assert unescape(re.sub(r"<[^>]+>", "", html)) == text


def test_totals_add_targets_only_and_results_apart():
    target = {"id": "t0-0", "category": "funding", "unit": "亿元", "value": 2.0, "low": 2.0, "high": 2.0}
    achieved = {**target, "id": "r0-0", "value": 1.2, "low": 1.2, "high": 1.2, "as_of": "截至6月底",
                "target": "t0-0", "raw": "1.2亿元", "span": {"start": 0, "end": 5}}
    extraction = {"documents": [], "targets": [{**target, "raw": "2亿元", "span": {"start": 6, "end": 9}}],
                  "results": [achieved], "warnings": []}
    page = view.review("1.2亿元，2亿元。", extraction)
    assert [(r["category"], r["amount"], r["summed"]) for r in page["totals"]] == [("funding", "2", 1)]
    assert [(r["category"], r["amount"], r["summed"]) for r in page["result_totals"]] == [("funding", "1.2", 1)]
    assert [r["result"]["id"] for r in page["result_rows"]] == ["r0-0"]
    assert page["result_rows"][0]["target"]["id"] == "t0-0"
    details = page["details"]["r0-0"]
    assert details["kind"] == "result"
    fields = {f["key"]: f["value"] for f in details["fields"]}
    assert fields["as_of"] == "截至6月底" and fields["reports_on"].startswith("2亿元 (t0-0")
    assert "deadline" not in fields and page["details"]["t0-0"]["kind"] == "target"


def test_stored_results_map_back_to_the_extraction(tmp_path):
    text, expected = _review_and_plan_extraction()
    store = Store(f"sqlite:///{tmp_path / 'view-results.db'}")
    upgrade(store.engine)
    stored = store_text(store, text, "review.txt")
    with store.reading() as conn:
        document = repository.get_document(conn, stored.document_id)
    store.dispose()
    mapped = view.extraction_from_stored(document)
    for kind in ("targets", "results"):
        assert len(mapped[kind]) == len(expected[kind])
        for got, want in zip(mapped[kind], expected[kind]):
            assert set(got) == set(want), kind
            for key in want:
                if key in ("value", "low", "high") and want[key] is not None:
                    assert float(got[key]) == float(want[key])
                elif key == "baseline" and want[key]:
                    assert got[key]["raw"] == want[key]["raw"]
                    assert float(got[key]["value"]) == float(want[key]["value"])
                else:
                    assert got[key] == want[key], (kind, key)
    shaped = view.store_shaped_targets(expected, "review.txt", view.RESULT)
    assert [set(r) for r in shaped] == [set(r) for r in document["results"]]
