"""Invented scanned-page fixtures shared by the lost-marker tests: body lines of one
report and a page built from rows of text with word boxes sized from their letters."""

from __future__ import annotations

from ocr_pipeline.model import BBox, Line, Page, Word

BODY = [
    "Ủy ban nhân dân xã đã tổ chức hội nghị triển khai kế hoạch năm với các",
    "thôn và đơn vị trên địa bàn, giao chỉ tiêu cụ thể cho từng bộ phận theo",
    "đúng quy định. Công tác tuyên truyền được thực hiện thường xuyên trên",
    "hệ thống loa truyền thanh và trang thông tin điện tử của xã nhà mình.",
    "Các tổ công tác đã đi kiểm tra thực tế tại những hộ gia đình khó khăn",
    "và báo cáo kết quả cho lãnh đạo xã trong cuộc họp giao ban hằng tuần.",
]


def page_of(rows: list[tuple[str, int]], wide: dict[str, tuple[int, float]]) -> Page:
    """rows of (text, height); `wide[word] = (extra px, confidence)` widens that word's box."""
    lines, top = [], 300
    for text, height in rows:
        words, x = [], 300
        for w in text.split():
            extra, conf = wide.get(w, (0, 95.0))
            wd = int(0.5 * height) * len(w) + extra
            words.append(Word(w, BBox(x, top, x + wd, top + height), conf))
            x += wd + height // 3
        lines.append(Line(words, BBox(300, top, x, top + height)))
        top += int(height * 1.5)
    return Page(number=1, width=2480, height=3508, dpi=300, lines=lines)
