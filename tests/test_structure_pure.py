"""The structure stage is one pass over lines it never changes: same input, same lines after."""

from __future__ import annotations

import copy

from ocr_pipeline.model import BBox, Line, Page, Word
from ocr_pipeline.structure import structure_pages
from ocr_pipeline.structure.builder import build
from ocr_pipeline.structure.lines import lines_from_pages, lines_from_text
from ocr_pipeline.structure.markers import with_lost_markers

# Invented text: an end mark, and footnote bodies without form feeds (pages are inferred).
TEXT = "\n".join(
    [f"Dòng thứ {i} của báo cáo tổng kết công tác năm nay ở xã Hòa Bình." for i in range(1, 12)]
    + ["Kết quả đạt được vượt chỉ tiêu đề ra¹.", ""]
    + ["1 Theo kế hoạch số 12 của huyện."]
    + [f"Dòng tiếp theo số {i} nói về nhiệm vụ năm sau của các thôn." for i in range(1, 10)]
    + ["Nơi nhận:", "- Như trên;", "- Lưu: VT./."]
)
BODY = [
    "Ủy ban nhân dân xã đã tổ chức hội nghị triển khai kế hoạch năm với các",
    "thôn và đơn vị trên địa bàn, giao chỉ tiêu cụ thể cho từng bộ phận theo",
    "đúng quy định. Công tác tuyên truyền được thực hiện thường xuyên trên",
    "hệ thống loa truyền thanh và trang thông tin điện tử của xã nhà mình.",
    "Các tổ công tác đã đi kiểm tra thực tế tại những hộ gia đình khó khăn",
    "và báo cáo kết quả cho lãnh đạo xã trong cuộc họp giao ban hằng tuần./.",
]


def _page() -> Page:
    """One OCR page whose footnote marker after "định." was lost (its box is wider)."""
    rows = [(t, 40) for t in BODY] + [("1 Theo kế hoạch số 12 của huyện.", 30)]
    lines, top = [], 300
    for text, height in rows:
        words, x = [], 300
        for w in text.split():
            wd = int(0.5 * height) * len(w) + (20 if w == "định." else 0)
            words.append(Word(w, BBox(x, top, x + wd, top + height), 95.0))
            x += wd + height // 3
        lines.append(Line(words, BBox(300, top, x, top + height)))
        top += int(height * 1.5)
    return Page(number=1, width=2480, height=3508, dpi=300, lines=lines)


def test_text_lines_are_left_as_they_were():
    pages = lines_from_text(TEXT)
    before = copy.deepcopy(pages)
    doc = build(pages, None, boxes=False)
    assert doc["end_mark"] is not None  # the end mark was cut from the text ...
    assert pages == before  # ... of a new line, not of the input's


def test_ocr_lines_are_left_as_they_were():
    pages = lines_from_pages([_page()])
    before = copy.deepcopy(pages)
    doc = build(pages, None, boxes=True)
    assert not doc["footnotes"][0]["linked"]  # the tree places no lost marker ...
    assert doc["end_mark"] is not None
    assert pages == before


def test_lost_marker_is_put_back_on_the_pages_before_the_tree():
    page = _page()
    before = copy.deepcopy(page)
    (repaired,) = with_lost_markers([page])
    assert page == before  # the input pages are not changed
    hosts = [(w.text, w.marker) for w in repaired.words if w.marker is not None]
    assert hosts == [("định.", 1)]  # ... the layout-side search sets Word.marker
    assert structure_pages([page])["footnotes"][0]["linked"]  # and structure_pages uses it
