"""tails: a light copy's broken comma and semicolon tails read from the ink under the baseline."""

from __future__ import annotations

import numpy as np

from ocr_pipeline.model import BBox, Line, Word
from ocr_pipeline.tails import mark_drop, read_tails


def _page(marks: list[int]) -> tuple[np.ndarray, list[Word]]:
    """A white page with one word a row: letters (a block 20 px tall, baseline at row 30 of
    the word box) then, past a blank column, a 4 px dot reaching `drop` px under the baseline."""
    gray = np.full((60 * len(marks) + 60, 200), 255, np.uint8)
    boxes = []
    for i, drop in enumerate(marks):
        top = 20 + 60 * i
        gray[top + 10 : top + 31, 10:60] = 0  # the letters: rows 10-30 of the box
        gray[top + 27 : top + 31 + drop, 64:68] = 0  # the mark, its bottom at 30 + drop
        boxes.append(BBox(10, top, 68, top + 34))
    return gray, boxes


def test_a_mark_reaching_under_the_baseline_is_a_tail() -> None:
    gray, boxes = _page([0, 3, 2, 9, 3])
    assert [mark_drop(gray, b).drop for b in boxes] == [0, 3, 2, 9, 3]
    texts = ["Lộc.", "phường:", "hội.", "ký.", "3."]
    words = [Word(t, b, 90.0) for t, b in zip(texts, boxes, strict=True)]
    lines = [Line([Word("Xã", BBox(0, b.top, 8, b.bottom), 90.0), w], b) for w, b in
             zip(words[:4], boxes, strict=False)] + [Line([words[4]], boxes[4])]  # fmt: skip
    out = read_tails(gray, lines)
    # a period on the baseline stays; 3 and 2 px under it are tails; 9 px is a descender;
    # a line's opening label is no candidate
    assert [ln.words[-1].text for ln in out] == ["Lộc.", "phường;", "hội,", "ký.", "3."]
    assert out[0] is lines[0] and out[4] is lines[4]


def test_a_word_without_a_separate_mark_is_left_alone() -> None:
    gray = np.full((80, 120), 255, np.uint8)
    gray[20:41, 10:60] = 0  # letters running into the box's right edge: no mark of its own
    assert mark_drop(gray, BBox(10, 10, 60, 44)) is None
    lines = [Line([Word("xong.", BBox(10, 10, 60, 44), 90.0)], BBox(10, 10, 60, 44))]
    assert read_tails(gray, lines)[0] is lines[0]
