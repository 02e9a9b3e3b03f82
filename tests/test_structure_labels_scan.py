"""Heading labels on the scan path: specks beside a label, misread roman labels, titles.

Synthetic OCR pages (word boxes) like tests/test_structure_markers.py: 40 px lines at a
60 px pitch; a word's box is 20 px per character unless a test gives its own box. Pages go
through the layout pass (`layout.repair_page`: specks, label glyphs from their boxes) and
then structure, as `ocr-pipeline run` takes them.
"""

from __future__ import annotations

from ocr_pipeline.layout import repair_page
from ocr_pipeline.model import BBox, Line, Page, Word
from ocr_pipeline.structure import structure_pages as _structure_pages
from ocr_pipeline.structure import structure_text, validate

PROSE = [
    "Ủy ban nhân dân xã đã tổ chức hội nghị triển khai kế hoạch năm với các",
    "thôn và đơn vị trên địa bàn, giao chỉ tiêu cụ thể cho từng bộ phận.",
]

# a row is a text, or a list of words: a text, or (text, left, width, height, conf)
Row = str | list


def structure_pages(pages: list[Page]) -> dict:
    """The pages through the layout pass, then structure."""
    return _structure_pages([repair_page(p) for p in pages])


def _page(rows: list[Row], number: int = 1) -> Page:
    lines, top = [], 300
    for row in rows:
        items = row.split() if isinstance(row, str) else row
        words, x = [], 300
        for item in items:
            if isinstance(item, str):
                text, left, width, height, conf = item, x, 20 * len(item), 40, 95.0
            else:
                text, left, width, height, conf = item
            words.append(Word(text, BBox(left, top + 40 - height, left + width, top + 40), conf))
            x = left + width + 14
        lines.append(Line(words, BBox(words[0].bbox.left, top, x, top + 40)))
        top += 60
    return Page(number=number, width=2480, height=3508, dpi=300, lines=lines)


def _headings(rows: list[Row]) -> list[tuple[str, int, str | None]]:
    doc = structure_pages([_page(rows)])
    validate(doc)
    out = []

    def walk(nodes: list[dict]) -> None:
        for n in nodes:
            if n["kind"] == "section":
                out.append((n["label"], n["level"], n["title"]))
                walk(n["children"])

    walk(doc["body"])
    return out


def _words(text: str, start: int = 600) -> list:
    out, x = [], start
    for w in text.split():
        out.append((w, x, 20 * len(w), 40, 95.0))
        x += 20 * len(w) + 14
    return out


# -- A. specks at the edges of a line ------------------------------------------------
def test_specks_before_a_part_label_and_its_title_are_dropped():
    rows = [
        *PROSE,
        # ": : Phần I": two ":" specks (10 px high, far left), the second at confidence 0
        [(":", 300, 16, 10, 51.0), (":", 420, 16, 10, 0.0), *_words("Phần I")],
        # ": TỔNG KẾT ..." with the speck read at confidence 72 and 140 px from the text
        [(":", 400, 16, 10, 72.0), *_words("TỔNG KẾT NĂM HỌC 2025 - 2026")],
        "I. QUY MÔ TRƯỜNG LỚP",
        "Nhà trường có 18 lớp với 652 học sinh, tăng 2 lớp so với năm học trước.",
        # "Phần II :" with a colon 90 px after the label
        [*_words("Phần II", 300), (":", 560, 16, 10, 62.0)],
        "PHƯƠNG HƯỚNG NHIỆM VỤ",
        "Duy trì sĩ số đạt 100% và nâng cao chất lượng giáo dục toàn diện.",
    ]
    assert _headings(rows) == [
        ("Phần I", 1, "TỔNG KẾT NĂM HỌC 2025 - 2026"),
        ("I.", 2, "QUY MÔ TRƯỜNG LỚP"),
        ("Phần II", 1, "PHƯƠNG HƯỚNG NHIỆM VỤ"),
    ]


def test_a_colon_against_its_word_and_a_dash_bullet_stay():
    doc = structure_pages([_page([
        *PROSE,
        [*_words("Các nội dung cụ thể như sau", 300), (":", 808, 12, 28, 70.0)],
        [("-", 300, 16, 4, 90.0), *_words("Tuyên truyền trên loa truyền thanh;", 330)],
    ])])  # fmt: skip
    validate(doc)
    texts = [n.get("text") for n in doc["body"]]
    assert any(t and t.endswith("như sau :") for t in texts)
    assert [n["kind"] for n in doc["body"]][-1] == "list_item"


# -- B. roman labels misread --------------------------------------------------------
def test_first_roman_read_as_L_without_period():
    rows = [
        *PROSE,
        [("L", 300, 30, 36, 92.0), *_words("QUY MÔ TRƯỜNG LỚP", 350)],
        "1. Quy mô trường, lớp",
        "Nhà trường có 18 lớp với 652 học sinh trong năm học.",
    ]
    assert _headings(rows)[:2] == [("I.", 1, "QUY MÔ TRƯỜNG LỚP"), ("1.", 2, "Quy mô trường, lớp")]


def test_L_that_does_not_continue_the_sequence_is_no_label():
    # after I. the next roman is II: a lone "L" (box of one letter) before capitals stays text
    rows = [
        *PROSE,
        "I. ĐẶC ĐIỂM TÌNH HÌNH",
        "Xã có 11 thôn với hơn mười bốn nghìn người dân.",
        [("L", 300, 24, 36, 92.0), *_words("QUY MÔ TRƯỜNG LỚP", 350)],
    ]
    assert _headings(rows) == [("I.", 1, "ĐẶC ĐIỂM TÌNH HÌNH")]


def test_lower_case_line_after_H_is_no_heading():
    rows = [
        *PROSE,
        "I. ĐẶC ĐIỂM TÌNH HÌNH",
        "H Mông và Dao là hai dân tộc sống ở các thôn vùng cao.",
    ]
    assert _headings(rows) == [("I.", 1, "ĐẶC ĐIỂM TÌNH HÌNH")]


def test_roman_with_comma_and_two_line_title_then_arabic_heading():
    rows = [
        *PROSE,
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Nâng cao ý thức của người dân trong phòng ngừa cháy, nổ tại hộ gia đình.",
        [("II,", 300, 136, 59, 0.0), *_words("CHỈ TIÊU, NỘI DUNG VÀ BIỆN PHÁP THỰC HIỆN", 460)],
        "TỔ LIÊN GIA AN TOÀN PHÒNG CHÁY",
        "1. Chỉ tiêu",
        "Đến hết năm 2027 mọi tổ dân phố thành lập Tổ liên gia.",
    ]
    assert _headings(rows) == [
        ("I.", 1, "MỤC ĐÍCH, YÊU CẦU"),
        ("II.", 1, "CHỈ TIÊU, NỘI DUNG VÀ BIỆN PHÁP THỰC HIỆN TỔ LIÊN GIA AN TOÀN PHÒNG CHÁY"),
        ("1.", 2, "Chỉ tiêu"),
    ]


def test_third_roman_counted_from_box_width():
    # "III" read as "HH" at confidence 7 after a "_" speck: the box is 1.66 heights wide
    rows = [
        *PROSE,
        "I. ĐẶC ĐIỂM",
        "Xã có 11 thôn.",
        "II. KẾT QUẢ",
        "Đạt các chỉ tiêu.",
        [("_", 240, 9, 8, 81.0), ("HH", 300, 58, 35, 7.0), *_words("TỒN TẠI, HẠN CHẾ", 380)],
        "Cơ sở vật chất xuống cấp.",
    ]
    assert [h[0] for h in _headings(rows)] == ["I.", "II.", "III."]


def test_part_label_H_is_part_II():
    rows = [
        *PROSE,
        "Phần I",
        "TỔNG KẾT",
        "Nội dung tổng kết năm học.",
        [*_words("Phần", 300), ("H", 394, 38, 35, 93.0)],
        "PHƯƠNG HƯỚNG",
        "Nội dung phương hướng năm học.",
    ]
    assert [h[:2] for h in _headings(rows)] == [("Phần I", 1), ("Phần II", 1)]


# -- C. a weak label after an unlabelled ALL-CAPS line -----------------------------------
def test_arabic_heading_after_an_unlabelled_capitals_line():
    rows = [
        *PROSE,
        "I. MỤC ĐÍCH",
        "Nâng cao ý thức người dân.",
        "NỘI DUNG VÀ BIỆN PHÁP CHỦ YẾU",
        "1. Chỉ tiêu",
        "Đến hết năm 2027 mọi tổ dân phố thành lập Tổ liên gia.",
    ]
    assert ("1.", 2, "Chỉ tiêu") in _headings(rows)
    # in prose a wrapped "1. " stays text (the line before does not end a sentence)
    rows = [
        *PROSE,
        "I. MỤC ĐÍCH",
        "Nâng cao ý thức người dân, số tổ đạt chuẩn tăng lên",
        "1. Chỉ tiêu này được giao cho các thôn thực hiện trong năm.",
    ]
    assert [h[0] for h in _headings(rows)] == ["I."]


def test_article_sentence_continues_on_the_next_page():
    # "Điều 5. Trưởng phòng ..., " at a page bottom, "phòng liên quan ..." on the next page:
    # one sentence, so the article has no title (not the fragment before the page break)
    page1 = _page(
        [
            *PROSE,
            "Điều 4. Quyết định này có hiệu lực kể từ ngày ký.",
            "Điều 5. Trưởng phòng Tổ chức cán bộ, Trưởng khoa Dược, Trưởng các khoa,",
        ]
    )
    page2 = _page(["phòng liên quan và các thành viên có tên tại Điều 1 chịu trách nhiệm thi hành",
                   "Quyết định này.", "Nơi khác chưa có quy định này thì thực hiện theo Điều 4."],
                  number=2)  # fmt: skip
    doc = structure_pages([page1, page2])
    validate(doc)
    art = [n for n in doc["body"] if n["kind"] == "section"][-1]
    assert art["label"] == "Điều 5." and art["title"] is None
    assert art["children"][0]["text"].startswith("Trưởng phòng Tổ chức cán bộ")
    assert "khoa, phòng liên quan" in art["children"][0]["text"]


def test_subject_wrapped_before_a_proper_name():
    # header.py: the subject's second line starts with a capital (a name), no blank lines
    from ocr_pipeline.structure import structure_text

    head = ("SỞ Y TẾ TỈNH AN PHÚ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "BỆNH VIỆN ĐA KHOA AN PHÚ Độc lập - Tự do - Hạnh phúc\n"
            "Số: 12/QĐ-BV An Phú, ngày 03 tháng 11 năm 2026\n"
            "QUYẾT ĐỊNH\n"
            "Về việc thành lập Hội đồng Thuốc và điều trị\n")  # fmt: skip
    tail = "GIÁM ĐỐC BỆNH VIỆN ĐA KHOA AN PHÚ\nCăn cứ Luật Khám bệnh, chữa bệnh;\n"
    doc = structure_text(head + "Bệnh viện Đa khoa An Phú\n" + tail)
    assert doc["header"]["subject"] == (
        "Về việc thành lập Hội đồng Thuốc và điều trị Bệnh viện Đa khoa An Phú"
    )
    # a body sentence after the subject is not taken in
    doc = structure_text(head + "Thực hiện Kế hoạch số 5 của Sở Y tế về công tác dược.\n")
    assert doc["header"]["subject"] == "Về việc thành lập Hội đồng Thuốc và điều trị"


def test_unreadable_roman_label_takes_the_expected_value():
    # "II." read as "HH." at confidence 0, its box widened by a speck (count from width
    # fails): the next roman expected after I. is II
    rows = [
        *PROSE,
        "I. CĂN CỨ PHÁP LÝ",
        "Nghị quyết của Hội đồng nhân dân xã.",
        [("HH.", 300, 152, 58, 0.0), *_words("DANH MỤC CÔNG TRÌNH", 480)],
        "Sửa chữa mái và chống thấm bốn phòng học.",
    ]
    assert [h[0] for h in _headings(rows)] == ["I.", "II."]
    # read with confidence, a wrong count is left as read (no II.: it may be a real slip)
    rows[-2] = [("HH.", 300, 152, 58, 90.0), *_words("DANH MỤC CÔNG TRÌNH", 480)]
    assert [h[0] for h in _headings(rows)] == ["I."]


def test_speck_glued_to_the_part_word_is_cut():
    got = _headings(["_Phần I", "TÌNH HÌNH CHUNG", "I. HIỆN TRẠNG", *PROSE,
                     "Phần II", "NHIỆM VỤ NĂM TỚI", "I. MỤC TIÊU", *PROSE])  # fmt: skip
    assert got[0] == ("Phần I", 1, "TÌNH HÌNH CHUNG")
    assert [h[:2] for h in got] == [("Phần I", 1), ("I.", 2), ("Phần II", 1), ("I.", 2)]


def test_lost_top_label_keeps_the_levels_below_it():
    # "Phần I" not read at all: its sections are wrapped in a flagged placeholder
    text = ("I. HIỆN TRẠNG\n\n1. Số lượng\n\nNội dung một.\n\nII. TỒN TẠI\n\nNội dung hai.\n\n"
            "Phần II\nNHIỆM VỤ\n\nI. MỤC TIÊU\n\nNội dung ba.\n")  # fmt: skip
    doc = structure_text(text)
    validate(doc)
    got = [(n["label"], n["level"], n["title"]) for n in _walk(doc["body"])]
    assert got == [
        ("Phần I", 1, None),
        ("I.", 2, "HIỆN TRẠNG"),
        ("1.", 3, "Số lượng"),
        ("II.", 2, "TỒN TẠI"),
        ("Phần II", 1, "NHIỆM VỤ"),
        ("I.", 2, "MỤC TIÊU"),
    ]
    assert "not found" in doc["body"][0]["numbering_warning"]
    assert "numbering_warning" not in doc["body"][1]
    # a document that starts at "II." after an intro paragraph is left alone when nothing
    # of lower rank precedes it
    doc = structure_text("Mở đầu.\n\nII. NHIỆM VỤ\n\n1. Việc một\n")
    assert [n["label"] for n in _walk(doc["body"])] == ["II.", "1."]


def _walk(nodes):
    for n in nodes:
        if n["kind"] == "section":
            yield n
            yield from _walk(n["children"])
