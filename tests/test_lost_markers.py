"""The lost-marker search on model.Page: a layout repair that sets Word.marker.

The structure stage says what to look for (`MarkerSearch`); these tests give it directly.
"""

from __future__ import annotations

import copy

from ocr_pipeline.lost_markers import MarkerSearch, place_lost_markers
from ocr_pipeline.model import BBox, Line, Page, Word

BODY = [
    "Ủy ban nhân dân xã đã tổ chức hội nghị triển khai kế hoạch năm với các",
    "thôn và đơn vị trên địa bàn, giao chỉ tiêu cụ thể cho từng bộ phận theo",
    "đúng quy định. Công tác tuyên truyền được thực hiện thường xuyên trên",
    "hệ thống loa truyền thanh và trang thông tin điện tử của xã nhà mình.",
    "Các tổ công tác đã đi kiểm tra thực tế tại những hộ gia đình khó khăn",
    "và báo cáo kết quả cho lãnh đạo xã trong cuộc họp giao ban hằng tuần.",
]


def _page(wide: str) -> Page:
    """The body lines (40 px) and one footnote body (30 px); `wide`'s box spans 20 px
    more than its text needs, as when Tesseract swallowed a raised digit."""
    lines, top = [], 300
    for text, height in [(t, 40) for t in BODY] + [("1 Theo kế hoạch số 12.", 30)]:
        words, x = [], 300
        for w in text.split():
            wd = int(0.5 * height) * len(w) + (20 if w == wide else 0)
            words.append(Word(w, BBox(x, top, x + wd, top + height), 95.0))
            x += wd + height // 3
        lines.append(Line(words, BBox(300, top, x, top + height)))
        top += int(height * 1.5)
    return Page(number=1, width=2480, height=3508, dpi=300, lines=lines)


def _search(labels: dict | None = None) -> MarkerSearch:
    body_box = [300, 300, 2400, 300 + 6 * 60]
    return MarkerSearch(frozenset({1}), {1: (1, float("-inf"), 660.0, [body_box])},
                        labels or {})  # fmt: skip


def test_a_swallowed_marker_is_set_on_its_word_and_the_input_is_kept():
    page = _page("định.")
    before = copy.deepcopy(page)
    (out,), placed = place_lost_markers([page], _search())
    assert placed == 1 and page == before
    host = [w for w in out.words if w.marker is not None]
    assert [(w.text, w.marker, w.marked_text) for w in host] == [("định.", 1, "định¹.")]


def test_a_lookalike_the_marker_was_read_as_leaves_the_word():
    page = _page("mình.")
    page.lines[3].words[-1].text = "mình”."  # ¹ read as a closing quote never opened
    (out,), placed = place_lost_markers([page], _search())
    assert placed == 1
    assert [(w.text, w.marker) for w in out.words if w.marker] == [("mình.", 1)]


def test_a_heading_label_word_hosts_no_marker():
    page = _page("định.")
    (out,), _ = place_lost_markers([page], _search({(1, 2): 3}))  # "đúng quy định." a label
    assert all(w.marker is None for w in out.lines[2].words)
