"""On the scan path (word boxes), the addressees whose wrapped words hang under the text
after their dash, and two signature columns whose names stand on one row: each name is
its column's. Synthetic OCR pages built from rows of placed words."""

from __future__ import annotations

from ocr_pipeline.model import BBox, Line, Page, Word
from ocr_pipeline.structure import structure_pages

HEIGHT, PITCH = 40, 60


def _row(parts: list[tuple], top: int) -> Line:
    """One OCR line: each (text, left[, px a letter: 20]) part's words, 14 px apart."""
    words = []
    for text, left, *px in parts:
        x, letter = left, (px or [20])[0]
        for w in text.split():
            words.append(Word(w, BBox(x, top, x + letter * len(w), top + HEIGHT), 95.0))
            x += letter * len(w) + 14
    box = words[0].bbox
    for w in words[1:]:
        box = box.union(w.bbox)
    return Line(words, box)


def _page(rows: list[list[tuple]]) -> Page:
    lines = [_row(parts, 200 + k * PITCH) for k, parts in enumerate(rows)]
    return Page(number=1, width=2480, height=3508, dpi=300, lines=lines)


HEADER = [
    [("ỦY BAN NHÂN DÂN TỈNH", 250), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1200)],
    [("SỞ XÂY DỰNG", 350), ("Độc lập - Tự do - Hạnh phúc", 1350)],
    [("Số: 12/SXD-QH", 300), ("Hòa Ninh, ngày 5 tháng 8 năm 2025", 1250)],
    [("V/v rà soát quy hoạch", 300)],
]


def test_wrapped_addressees_hang_under_their_dash() -> None:
    page = _page(
        HEADER
        + [
            [("Kính gửi:", 900)],
            # each item's first line runs to the margin; its last words are set in under
            # the text after the dash
            [("- Ủy ban nhân dân các huyện, thị xã, thành", 300, 46)],
            [("phố;", 360)],
            [("- Công ty TNHH MTV Khai thác thủy lợi Hòa", 300, 47)],
            [("Ninh.", 360)],
            [("Sở Xây dựng đề nghị các đơn vị rà soát quy hoạch chung trên địa bàn", 380, 26)],
            [("tỉnh, báo cáo kết quả về Sở Xây dựng trước ngày 30 tháng 8 năm 2025.", 300)],
            [("Nơi nhận:", 200), ("KT. GIÁM ĐỐC", 1500)],
            [("- Như trên;", 200), ("PHÓ GIÁM ĐỐC", 1480)],
            [("- Lưu: VT.", 200)],
            [("Đỗ Minh Tuấn", 1480)],
        ]
    )
    doc = structure_pages([page])
    assert doc["addressees"] == [
        "Ủy ban nhân dân các huyện, thị xã, thành phố;",
        "Công ty TNHH MTV Khai thác thủy lợi Hòa Ninh.",
    ]
    assert doc["body"][0]["text"].startswith("Sở Xây dựng đề nghị")


def test_each_column_keeps_its_name_on_a_row_of_two() -> None:
    page = _page(
        HEADER[:2]
        + [
            [("BIÊN BẢN", 1000)],
            [("Họp xét duyệt hồ sơ", 950)],
            [("Cuộc họp kết thúc vào lúc 16 giờ cùng ngày, biên bản đã được thông qua./.", 300)],
            [("THƯ KÝ", 600), ("CHỦ TRÌ", 1650)],
            [("Nguyễn Thị Thu", 550), ("Hoàng Văn Lực", 1580)],
        ]
    )
    doc = structure_pages([page])
    assert doc["signature"]["title"] == "CHỦ TRÌ"
    assert doc["signature"]["name"] == "Hoàng Văn Lực"
    assert doc["other_signatures"] == [
        {"authority": None, "title": "THƯ KÝ", "name": "Nguyễn Thị Thu"}
    ]


def test_an_indented_first_paragraph_is_no_addressees_wrapped_line() -> None:
    page = _page(
        HEADER
        + [
            [("Kính gửi: Ban Quản lý dự án đầu tư xây dựng các công trình giao thông", 500)],
            [("Ủy ban nhân dân xã Ea Tiêu nhận được Công văn số 12.", 370)],  # set in
            [("Sở Xây dựng đề nghị các đơn vị rà soát quy hoạch chung trên địa bàn", 300, 26)],
            [("tỉnh, báo cáo kết quả về Sở Xây dựng trước ngày 30 tháng 8 năm 2025.", 300)],
        ]
    )
    doc = structure_pages([page])
    assert doc["addressees"] == ["Ban Quản lý dự án đầu tư xây dựng các công trình giao thông"]
    assert doc["body"][0]["text"].startswith("Ủy ban nhân dân xã Ea Tiêu nhận được")


def test_a_repeated_roman_label_between_its_neighbours_is_the_next_one_on_a_scan() -> None:
    """ "II." ... "II." ... "IV." on a scan: OCR read "III." with an I less; the repeat is
    relabelled (flagged), and the title's wrapped last line gets no label of its own."""
    page = _page(
        HEADER[:2]
        + [
            [("BẢN KIỂM ĐIỂM CÁ NHÂN", 900)],
            [("I. ƯU ĐIỂM", 300)],
            [("Hoàn thành tốt nhiệm vụ được giao trong năm.", 300)],
            [("II. HẠN CHẾ", 300)],
            [("Đôi lúc chưa mạnh dạn trong phê bình.", 300)],
            [("II. KẾT QUẢ KHẮC PHỤC NHỮNG HẠN CHẾ, KHUYẾT ĐIỂM ĐÃ", 300)],
            [("ĐƯỢC CẤP CÓ THẨM QUYỀN KẾT LUẬN HOẶC CHỈ RA Ở CÁC KỲ", 300)],
            [("KIỂM ĐIỂM TRƯỚC", 300)],
            [("Đã khắc phục được các hạn chế nêu trên.", 300)],
            [("IV. GIẢI TRÌNH", 300)],
            [("Không có.", 300)],
        ]
    )
    doc = structure_pages([page])
    sections = [n for n in doc["body"] if n["kind"] == "section"]
    assert [n["label"] for n in sections] == ["I.", "II.", "III.", "IV."]
    assert sections[2]["title"].endswith("Ở CÁC KỲ KIỂM ĐIỂM TRƯỚC")
    assert sections[2]["numbering_warning"]


def test_an_addressees_last_words_a_little_left_of_its_dash_still_hang_under_it() -> None:
    page = _page(
        HEADER
        + [
            [("Kính gửi:", 900)],
            [("- Ủy ban nhân dân các huyện, thị xã, thành", 420, 44)],
            [("phố;", 410)],  # a scan's skew: a little left of the dash
            [("- Sở Giao thông vận tải, Sở Nông nghiệp và Môi", 420, 38)],
            [("Trường.", 405)],
            [("Sở Xây dựng đề nghị các đơn vị rà soát quy hoạch chung trên địa bàn", 380, 26)],
            [("tỉnh, báo cáo kết quả về Sở Xây dựng trước ngày 30 tháng 8 năm 2025.", 300)],
        ]
    )
    doc = structure_pages([page])
    assert doc["addressees"][1] == "Sở Giao thông vận tải, Sở Nông nghiệp và Môi Trường."
