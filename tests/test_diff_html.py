"""The diff page and JSON: confusion tables, per-line scores, minimap, thin deletions,
and the note when B carries no confidences."""

from __future__ import annotations

import json
import re

from ocr_pipeline.diff import compare_sides, compare_texts, render_html
from ocr_pipeline.diff.html import CSS
from ocr_pipeline.diff.readers.text import side_from_text
from ocr_pipeline.diff.sides import DiffSide, SideLine, Token

A = "Báo cáo tổng kết\nIII. Kết luận chung\nNơi nhận ghi rõ\nBáo cáo cuối năm\n"
B = "Bao cao tổng kết\nIH. Kết luận chung\nNơi nhận ghi rõ\nBao cáo cuối năm\n"


def test_confusion_tables_in_json():
    data = json.loads(compare_texts(A, B).to_json())
    chars = {(r["a"], r["b"], r["kind"]): r for r in data["confusions"]["chars"]}
    assert chars[("á", "a", "diacritic")]["count"] == 3
    assert chars[("I", "H", "letter")]["examples"] == [{"a": "III.", "b": "IH.", "diff": 2}]
    assert chars[("I", "", "delete")]["count"] == 1
    words = {(r["a"], r["b"], r["kind"]): r for r in data["confusions"]["words"]}
    assert words[("Báo", "Bao", "diacritic")]["count"] == 2
    assert words[("Báo", "Bao", "diacritic")]["examples"] == [{"diff": 1}, {"diff": 3}]
    assert words[("III.", "IH.", "letter")]["count"] == 1
    # most frequent first
    counts = [r["count"] for r in data["confusions"]["chars"]]
    assert counts == sorted(counts, reverse=True)


def test_confusion_tables_in_html_link_to_differences():
    page = render_html(compare_texts(A, B))
    table = re.search(r'<table id="conf-chars">.*?</table>', page).group(0)
    assert re.search(
        r'<td class="g">á</td><td class="g">a</td><td>diacritic</td>'
        r'<td class="r">3</td>',
        table,
    )
    assert '<a href="#diff-2">III. \u2192 IH.</a>' in table
    assert '<td class="g">I</td><td class="g">\u2205</td><td>delete</td>' in table
    assert re.search(r'<table id="conf-words">.*III\..*IH\..*</table>', page)


def test_deleted_thin_letter_is_not_struck_through():
    page = render_html(compare_texts("III. Kết luận\n", "II. Kết luận\n"))
    assert "<s>I</s>" in page
    rule = re.search(r"\.ta s,\.del\{([^}]*)\}", CSS).group(1)
    # a line through a thin letter between two others draws an H ("III." read as "IH.")
    assert "line-through" not in rule
    assert re.search(r"\.t s\{padding:0 \.\d+em", CSS)  # and it stands apart


def test_per_line_scores_and_minimap():
    page = render_html(compare_texts(A, B))
    row = re.search(r'<div class="r c[^"]*" id="diff-2".*?</div></div>', page).group(0)
    # "III. Kết luận chung": 19 graphemes, I->H and one I deleted
    assert '<span class="sc" title="line CER 2/19: diacritic-only 0, letter 2">11%</span>' in row
    nav = re.search(r'<nav id="map"[^>]*>(.*?)</nav>', page).group(1)
    marks = re.findall(r'<a href="#(diff-\d)" class="(\w+)" style="top:([\d.]+)%"', nav)
    assert marks == [("diff-1", "md", "0.00"), ("diff-2", "ml", "25.00"), ("diff-3", "md", "75.00")]
    assert 'class="hasmap"' in page
    assert "<nav" not in render_html(compare_texts("same\n", "same\n"))


def _side_with_confidence(text: str, conf: float | None) -> DiffSide:
    line = SideLine.from_tokens([Token(w, confidence=conf) for w in text.split()], 1, 1)
    return DiffSide("b.json", "restore-json", [line], "b")


def test_note_when_b_carries_no_confidences():
    a = side_from_text("Báo cáo\n", "a.txt", "a")
    plain = render_html(compare_sides(a, side_from_text("Bao cao\n", "b.txt", "b")))
    assert re.search(r'id="noconf">B \(text\) carries no word confidences', plain)
    scored = compare_sides(a, _side_with_confidence("Bao cao", 0.5))
    assert 'id="noconf"' not in render_html(scored)
    assert scored.metrics.words_with_confidence_b == 2
    assert scored.metrics.low_confidence_share == 1.0


def test_scattered_changes_are_gathered_in_blocks_skipped_off_screen():
    """A long document whose changes are a few lines apart has only short runs; each was
    written bare, so the browser laid out every row on load (a 100-page review page spent
    0.3-0.9 s in layout). Now every shown row and fold is inside a content-visibility
    block of about CHUNK rows, and folds keep their button beside their rows."""
    from ocr_pipeline.diff.html import CHUNK

    a = "".join(f"dòng số {n} của văn bản\n" for n in range(300))
    b = "".join(
        f"dong số {n} của văn bản\n" if n % 5 == 0 else f"dòng số {n} của văn bản\n"
        for n in range(300)
    )
    page = render_html(compare_texts(a, b))
    main = page[page.index('<div id="rows">') :]
    first = main.find('<div class="k"')
    assert first >= 0 and '<div class="r' not in main[:first]
    main = main[first:]
    blocks = re.split(r'(?=<div class="k" )', main)[1:]
    assert len(blocks) >= 300 * 3 // 5 // CHUNK  # shown rows: changes and their context
    assert all(b.count('<div class="fb">') == b.count('<div class="fold">') for b in blocks)
    assert len(re.findall(r'<div class="r c', page)) == 60
