"""Restoration reads a header's two columns one after the other (`restore.reading_order`):
an issuer's line wrapped under a row OCR read with the national title beside it gets its
own column's words for context. Synthetic OCR pages; every text invented."""

from __future__ import annotations

from ocr_pipeline.model import BBox, Line, Page, Word
from ocr_pipeline.restore import restore_page
from ocr_pipeline.restore.reading_order import reading_lines
from ocr_pipeline.restore.tokenize import PUNCT, tokenize

HEIGHT, PITCH = 40, 60


def _row(parts: list[tuple[str, int]], top: int) -> Line:
    words = []
    for text, left in parts:
        x = left
        for w in text.split():
            words.append(Word(w, BBox(x, top, x + 22 * len(w), top + HEIGHT), 90.0))
            x += 22 * len(w) + 14
    box = words[0].bbox
    for w in words[1:]:
        box = box.union(w.bbox)
    return Line(words, box)


def _page(rows: list[list[tuple[str, int]]], top: int = 200) -> Page:
    lines = [_row(parts, top + k * PITCH) for k, parts in enumerate(rows)]
    return Page(number=1, width=2480, height=3508, dpi=300, lines=lines)


HEADER = [
    [("BỘ NÔNG NGHIỆP VÀ PHÁT ˆ", 300), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1150)],
    [("TRIEN NONG THON", 400)],  # the issuer's wrapped line, its marks lost
    [("Độc lập - Tự do - Hạnh phúc", 1300)],
    [("Số: 27/2014/TT-BNNPTNT", 330), ("Hà Nội, ngày 19 tháng 8 năm 2014", 1250)],
    [("THÔNG TƯ", 1000)],
]


def _texts(page: Page) -> list[str]:
    return [" ".join(w.text for w in line.words) for line in page.lines]


def test_a_headers_left_column_is_read_before_the_right() -> None:
    order = reading_lines(_page(HEADER))
    # the issuer's two lines and the number first, then the national title, the motto
    # and the date; the type line as printed
    assert order == [
        [(0, 0, 6)], [(1, 0, 3)], [(3, 0, 2)],
        [(0, 6, 14)], [(2, 0, 8)], [(3, 2, 10)],
        [(4, 0, 2)],
    ]  # fmt: skip


def test_the_issuers_wrapped_line_is_restored_in_its_own_columns_context() -> None:
    restored = restore_page(_page(HEADER), channel="vie")
    assert _texts(restored)[1] == "TRIỂN NÔNG THÔN"
    # every word stays on its line and in its box
    assert [len(line.words) for line in restored.lines] == [14, 3, 8, 10, 2]


def test_a_closings_rows_are_read_as_printed() -> None:
    page = _page(
        [
            [("Nơi nhận:", 300), ("KT. GIÁM ĐỐC", 1500)],
            [("- Như trên;", 300), ("PHÓ GIÁM ĐỐC", 1480)],
            [("- Lưu: VT.", 300)],
            [("Đỗ Minh Tuấn", 1480)],
        ]
    )
    assert reading_lines(page) == [[(0, 0, 5)], [(1, 0, 6)], [(2, 0, 3)], [(3, 0, 3)]]


def test_rows_in_capitals_below_the_header_are_read_as_printed() -> None:
    rows = [
        [("NGƯỜI LẬP BIỂU", 400), ("KT. GIÁM ĐỐC", 1500)],  # a closing's two titles
        [("PHÓ GIÁM ĐỐC", 1480)],
        [("Nguyễn Thị Hoa", 400), ("Đỗ Minh Tuấn", 1480)],
    ]
    page = _page(rows, top=2600)
    assert reading_lines(page) == [[(0, 0, 6)], [(1, 0, 3)], [(2, 0, 6)]]


def test_one_wide_space_in_a_line_is_no_column() -> None:
    page = _page(
        [
            [("Kết quả", 300), ("đạt 95%", 1400)],
            [("Các xã hoàn thành chỉ tiêu được giao trong năm 2024.", 300)],
        ]
    )
    assert reading_lines(page) == [[(0, 0, 4)], [(1, 0, 11)]]


def test_a_modifier_letter_alone_is_a_speck_not_a_word() -> None:
    kinds = {t.text: t.kind for t in tokenize("PHÁT ˆ TRIỂN")}
    assert kinds["ˆ"] == PUNCT
