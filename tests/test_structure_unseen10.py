"""Layout rules from set 10 (issue 18, round 14): a text typed a paragraph a line, typed
tables (no footnote bodies, the text under them a paragraph of its own), a footnote above
a long closing, clause titles with commas, the authority block under a subject, ordinal
part labels read without a space, OCR specks in titles and recipients, a glued "Lưu:"
item, markers glued to a year or lost, qualified types.

Every text here is invented for the test.
"""

from __future__ import annotations

from structure_trees import structured
from structure_trees import walk as _walk

from ocr_pipeline.structure import structure_pages, structure_text, validate

HEAD = [
    "UBND XÃ SUỐI LAM",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 41/BC-UBND",
    "Suối Lam, ngày 3 tháng 4 năm 2026",
    "",
    "BÁO CÁO",
    "Kết quả sửa chữa đường liên thôn",
    "",
]
CLOSING = ["Nơi nhận:", "- Các thôn;", "- Lưu: VT.", "CHỦ TỊCH", "", "Mai Văn Tùng"]
FOOTNOTES = ["1 Đo bằng thước dây tại ba điểm.", "2 Theo dự toán đã duyệt."]


def _doc(body: list[str], footnotes: list[str] | None = None) -> dict:
    return structured(HEAD + body + CLOSING + (footnotes or []))


def _linked_from(doc: dict) -> dict[int, str]:
    return {r: (n.get("text") or n.get("title") or "")[:20]
            for n in _walk(doc["body"]) for r in n.get("footnote_refs", [])}  # fmt: skip


LONG = (
    "Tổ công nhân đã đổ bê tông toàn bộ mặt đường, lắp đặt rãnh thoát nước hai bên, "
    "trồng lại cây xanh và hoàn trả mặt bằng cho các hộ dân trong thôn"
)


def test_a_text_typed_a_paragraph_a_line_ends_a_short_paragraph_at_its_full_stop():
    doc = _doc(
        [
            "I. KẾT QUẢ",
            "Tuyến đường thôn Nà Lừa được sửa xong trong tháng.",
            "Chiều dài đã sửa là 1,2 km¹; " + LONG + ".",
            "II. TỒN TẠI",
            "Tuyến đường thôn Khuổi Mí chưa sửa xong.",
            "Kinh phí còn thiếu 40 triệu đồng²; " + LONG + ".",
        ],
        FOOTNOTES,
    )
    assert _linked_from(doc) == {1: "Chiều dài đã sửa là ", 2: "Kinh phí còn thiếu 4"}


def test_printed_lines_ending_a_sentence_still_wrap_in_a_text_of_short_lines():
    doc = _doc(
        [
            "I. KẾT QUẢ",
            "Tuyến đường thôn Nà Lừa được sửa xong trong tháng, dài 1,2 km.",
            "Kinh phí đã chi hết 300 triệu đồng¹.",
        ],
        FOOTNOTES[:1],
    )
    assert _linked_from(doc) == {1: "Tuyến đường thôn Nà "}


def _titles(doc: dict) -> list[tuple[str, str | None]]:
    return [(n["label"], n["title"]) for n in _walk(doc["body"]) if n["kind"] == "section"]


def test_numbered_table_rows_typed_as_lines_open_no_footnote_block():
    rows = [
        "TT Hạng mục Số lượng Đơn giá Thành tiền",
        "1 Ống nhựa dẫn nước 40 85.000 3.400.000",
        "2 Van khóa đồng 06 120.000 720.000",
        "3 Bồn chứa inox 01 4.900.000 4.900.000",
    ]
    filler = [f"Thôn số {k} đã góp ngày công đào rãnh theo kế hoạch." for k in range(1, 15)]
    doc = _doc(
        [
            "I. NỘI DUNG",
            "1. Vật tư cần mua",
            "Nhu cầu vật tư đã được tổ kỹ thuật kiểm đếm¹.",
            *rows,
            "II. KINH PHÍ",
            "1. Nguồn vốn",
            "Vốn đối ứng của nhân dân và ngân sách xã².",
            *filler,
        ],
        FOOTNOTES,
    )
    assert [t for t in _titles(doc)] == [
        ("I.", "NỘI DUNG"),
        ("1.", "Vật tư cần mua"),
        ("II.", "KINH PHÍ"),
        ("1.", "Nguồn vốn"),
    ]
    assert [f["text"] for f in doc["footnotes"]] == [t[2:] for t in FOOTNOTES]
    assert _linked_from(doc) == {1: "Nhu cầu vật tư đã đư", 2: "Vốn đối ứng của nhân"}


def test_rows_numbered_under_a_table_head_open_no_footnote_block():
    filler = [f"Tổ {k} trực theo lịch phân công của trưởng thôn." for k in range(1, 12)]
    doc = _doc(
        [
            "Điều 1. Thành lập Tổ tự quản đường liên thôn¹ gồm các ông (bà):",
            "STT Họ và tên Nơi ở Nhiệm vụ",
            "1 Ông Lù Văn Sáng Thôn Nà Lừa Tổ trưởng",
            "2 Bà Hoàng Thị Nhung Thôn Khuổi Mí Tổ viên",
            "3 Ông Vừ Seo Dính Thôn Pác Ngòi Tổ viên",
            "Điều 2. Nhiệm vụ của Tổ",
            "1. Kiểm tra mặt đường",
            "a) Hằng tuần đi kiểm tra toàn tuyến;",
            "b) Báo cáo ngay khi đường sạt lở.",
            *filler,
        ],
        FOOTNOTES[:1],
    )
    assert _titles(doc) == [
        ("Điều 1.", None),  # a decision introducing its table: no title
        ("Điều 2.", "Nhiệm vụ của Tổ"),
        ("1.", "Kiểm tra mặt đường"),
        ("a)", None),
        ("b)", None),
    ]
    assert [f["text"] for f in doc["footnotes"]] == [FOOTNOTES[0][2:]]


def test_clauses_printed_phrase_colon_text_take_a_phrase_with_commas_as_title():
    doc = _doc(
        [
            "Điều 3. Thời hạn giải quyết",
            "1. Đơn về mốc giới, ranh giới thửa đất: giải quyết trong 10 ngày làm việc.",
            "2. Đơn về lối đi chung, rãnh thoát nước: giải quyết trong 05 ngày làm việc.",
        ]
    )
    assert _titles(doc)[1:] == [
        ("1.", "Đơn về mốc giới, ranh giới thửa đất"),
        ("2.", "Đơn về lối đi chung, rãnh thoát nước"),
    ]


def test_the_text_under_a_typed_table_is_a_paragraph_of_its_own():
    doc = _doc(
        [
            "I. KẾT QUẢ",
            "Các thôn đã hoàn thành phần việc được giao như sau:",
            "TT Thôn Mét đường Ngày công",
            "1 Nà Lừa 420 96",
            "2 Khuổi Mí 380 88",
            "Thôn Pác Ngòi chưa làm do mưa lũ kéo dài¹.",
        ],
        FOOTNOTES[:1],
    )
    assert _linked_from(doc) == {1: "Thôn Pác Ngòi chưa l"}


def test_a_footnote_above_a_long_closing_on_the_last_page_is_found():
    page1 = [f"{k}. Thôn số {k} đã hoàn thành việc đào rãnh thoát nước¹." for k in range(1, 6)]
    page2 = [
        "6. Thôn Pác Ngòi còn 120 m chưa làm xong²",
        "Các thôn báo cáo kết quả về Ủy ban nhân dân xã trước ngày 30/4/2026.",
        "",
        "2 Do mưa lũ kéo dài trong tháng.",
        "Nơi nhận:",
        "- Thường trực Đảng ủy;",
        "- Thường trực HĐND xã;",
        "- Các thôn;",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "",
        "Mai Văn Tùng",
    ]
    text = "\n".join([*HEAD, "I. KẾT QUẢ", *page1, "", FOOTNOTES[0], "\f" + page2[0], *page2[1:]])
    doc = structure_text(text)
    validate(doc)
    assert [(f["number"], f["page"], f["linked"]) for f in doc["footnotes"]] == [
        (1, 1, True),
        (2, 2, True),
    ]
    assert len(doc["recipients"]) == 4


def test_a_collective_body_over_the_issuer_again_is_no_part_of_the_subject():
    lines = [
        "HỢP TÁC XÃ CHÈ SUỐI LAM",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 03/NQ-ĐH",
        "Suối Lam, ngày 9 tháng 3 năm 2026",
        "NGHỊ QUYẾT",
        "VỀ PHƯƠNG ÁN SẢN XUẤT CHÈ",
        "VỤ XUÂN NĂM 2026",
        "ĐẠI HỘI THÀNH VIÊN THƯỜNG NIÊN",
        "HỢP TÁC XÃ CHÈ SUỐI LAM",
        "Căn cứ Điều lệ Hợp tác xã;",
        "QUYẾT NGHỊ:",
        "Điều 1. Thông qua phương án sản xuất chè vụ xuân.",
        *CLOSING,
    ]
    doc = structure_text("\n".join(lines))
    validate(doc)
    assert doc["header"]["subject"] == "VỀ PHƯƠNG ÁN SẢN XUẤT CHÈ VỤ XUÂN NĂM 2026"


def test_a_subject_line_over_the_issuer_again_stays_in_the_subject():
    lines = [
        "ỦY BAN NHÂN DÂN",
        "XÃ SUỐI LAM",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 15/QĐ-UBND",
        "Suối Lam, ngày 9 tháng 3 năm 2026",
        "QUYẾT ĐỊNH",
        "VỀ VIỆC THÀNH LẬP TỔ CÔNG TÁC",
        "SỬA CHỮA ĐƯỜNG LIÊN THÔN NĂM 2026",
        "ỦY BAN NHÂN DÂN XÃ SUỐI LAM",
        "Căn cứ Luật Tổ chức chính quyền địa phương;",
        "QUYẾT ĐỊNH:",
        "Điều 1. Thành lập Tổ công tác sửa chữa đường liên thôn.",
        *CLOSING,
    ]
    doc = structure_text("\n".join(lines))
    validate(doc)
    assert (
        doc["header"]["subject"]
        == "VỀ VIỆC THÀNH LẬP TỔ CÔNG TÁC SỬA CHỮA ĐƯỜNG LIÊN THÔN NĂM 2026"
    )


def test_an_ordinal_part_label_read_without_its_space_and_with_a_speck():
    from ocr_pipeline.structure.sections import parse_label

    lab = parse_label("Phần thứhai -")
    assert (lab.kind, lab.text, lab.rest) == ("part", "Phần thứ hai", "")
    doc = _doc(["PHẦN THỨNHẤT", "KẾT QUẢ NĂM 2026", "I. ĐƯỜNG GIAO THÔNG", "Đã sửa 3 km đường."])
    assert _titles(doc) == [("PHẦN THỨ NHẤT", "KẾT QUẢ NĂM 2026"), ("I.", "ĐƯỜNG GIAO THÔNG")]


def test_the_file_copy_item_glued_to_the_recipient_above_is_split_off():
    from ocr_pipeline.structure.closing import parse_closing
    from ocr_pipeline.structure.document import SrcLine

    rows = ["Nơi nhận:", "- Các thôn, bản;", "- Trạm Y tế xã; =LưuU: VT, TYT.", "TRƯỞNG TRẠM"]
    lines = [SrcLine(text=t, page=1) for t in rows]
    recipients, _signature, _ = parse_closing(lines)
    assert recipients == ["Các thôn, bản;", "Trạm Y tế xã;", "Lưu: VT, TYT."]


def test_an_upper_case_title_read_with_a_comma_for_its_period():
    doc = _doc(["I. KẾT QUẢ KIỂM TRA,", "Các thôn đã hoàn thành."])
    assert _titles(doc) == [("I.", "KẾT QUẢ KIỂM TRA")]


def test_a_marker_read_as_digits_glued_to_a_year_is_linked():
    from ocr_pipeline.footnote_markers import has_glued_marker

    assert has_glued_marker("trong năm học 2025 - 202611/.", 11)
    assert not has_glued_marker("trong năm học 2025 - 2026 có 11 lớp.", 11)
    # a count or an amount that starts like a year keeps its digits
    assert not has_glued_marker("Dân số 19853 người.", 3)
    assert not has_glued_marker("Kinh phí 200012 đồng.", 12)
    doc = _doc(
        ["I. KẾT QUẢ", "Các thôn đã hoàn thành việc sửa đường trong năm 20261."],
        FOOTNOTES[:1],
    )
    assert _linked_from(doc) == {1: "Các thôn đã hoàn thàn"[:20]}


def test_on_a_scan_the_text_under_a_typed_table_is_a_paragraph_of_its_own():
    from ocr_pipeline.model import BBox, Line, Page, Word

    rows = [
        "I. KẾT QUẢ",
        "Các thôn đã hoàn thành phần việc được giao như sau:",
        "TT Thôn Mét đường Ngày công",
        "1 Nà Lừa 420 96",
        "2 Khuổi Mí 380 88",
        "Thôn Pác Ngòi chưa làm do mưa lũ kéo dài.",
    ]
    lines, top = [], 300
    for row in rows:
        words, x = [], 300
        for text in row.split():
            words.append(Word(text, BBox(x, top, x + 20 * len(text), top + 40), 95.0))
            x += 20 * len(text) + 14
        lines.append(Line(words, BBox(300, top, x, top + 40)))
        top += 60
    doc = structure_pages([Page(number=1, width=2480, height=3508, dpi=300, lines=lines)])
    validate(doc)
    texts = [n["text"] for n in _walk(doc["body"]) if n["kind"] == "paragraph"]
    assert texts[-1] == "Thôn Pác Ngòi chưa làm do mưa lũ kéo dài."


def test_a_footnote_whose_marker_was_lost_is_linked_from_the_text_it_explains():
    doc = _doc(
        [
            "I. KẾT QUẢ",
            "Các thôn đã sửa xong tuyến đường liên thôn¹.",
            "",
            "Nhà văn hóa thôn Khuổi Mí được xây mới bằng vốn của Quỹ hỗ trợ nông dân tỉnh.",
            "",
            "Trạm bơm thôn Nà Lừa đã được sửa chữa³.",
        ],
        [
            "1 Dài 1,2 km.",
            "2 Quỹ hỗ trợ nông dân tỉnh cho vay không lãi trong ba năm.",
            "3 Sửa máy bơm và đường ống.",
        ],
    )
    assert [f["linked"] for f in doc["footnotes"]] == [True, True, True]
    assert _linked_from(doc)[2] == "Nhà văn hóa thôn Khu"


def test_a_line_of_tilde_specks_is_dropped_and_a_quote_inside_an_abbreviation_too():
    from ocr_pipeline.label_repair import drop_specks
    from ocr_pipeline.model import BBox, Word
    from ocr_pipeline.structure.closing import parse_closing
    from ocr_pipeline.structure.document import SrcLine

    assert drop_specks([Word("~", BBox(900, 500, 930, 520), 93.0)]) == []
    assert [w.text for w in drop_specks([Word("Xã", BBox(100, 500, 160, 540), 93.0)])] == ["Xã"]
    rows = ["Nơi nhận:", "- Ban Chỉ huy PCT”T xã;", "- Lưu: VT.", "CHỦ TỊCH"]
    recipients, _signature, _ = parse_closing([SrcLine(text=t, page=1) for t in rows])
    assert recipients == ["Ban Chỉ huy PCTT xã;", "Lưu: VT."]


def test_a_qualified_type_gives_its_type_word_in_its_own_spelling():
    from ocr_pipeline.structure.header import doc_type_of

    assert doc_type_of("BẢO CAO THÀNH TÍCH") == "BÁO CÁO THÀNH TÍCH"
    assert doc_type_of("TỜ TRINH ĐỀ NGHỊ KHEN THƯỞNG") == "TỜ TRÌNH ĐỀ NGHỊ KHEN THƯỞNG"


def test_a_clause_title_longer_than_a_lone_one_is_read_like_its_titled_siblings():
    long_text = "Tổ công nhân đã đổ bê tông mặt đường, lắp rãnh thoát nước và trồng cây " * 2
    doc = _doc(
        [
            "II. NỘI DUNG KIỂM TRA",
            "1. Hồ sơ công trình.",
            "Hồ sơ đầy đủ theo quy định; " + long_text + ".",
            "2. Chất lượng mặt đường.",
            "Mặt đường bằng phẳng; " + long_text + ".",
            "3. Việc bảo trì hằng năm và trách nhiệm của tổ tự quản đường thôn.",
            "Tổ tự quản chưa lập sổ theo dõi; " + long_text + ".",
        ]
    )
    assert _titles(doc)[1:] == [
        ("1.", "Hồ sơ công trình"),
        ("2.", "Chất lượng mặt đường"),
        ("3.", "Việc bảo trì hằng năm và trách nhiệm của tổ tự quản đường thôn"),
    ]


def test_a_stock_phrase_links_no_footnote_whose_marker_was_lost():
    doc = _doc(
        [
            "I. KẾT QUẢ",
            "Các thôn đã lập danh sách người cao tuổi¹.",
            "",
            "Ủy ban nhân dân xã đã chỉ đạo các thôn rà soát lại danh sách.",
            "",
            "Các hộ dân được cấp sổ theo dõi sức khỏe³.",
            "II. PHƯƠNG HƯỚNG",
            "Ủy ban nhân dân xã tiếp tục chỉ đạo rà soát hằng quý.",
            "",
            "Ủy ban nhân dân xã khen thưởng các thôn làm tốt.",
            "",
            "Ủy ban nhân dân xã báo cáo kết quả về huyện.",
        ],
        [
            "1 Gồm 214 người từ đủ 60 tuổi.",
            "2 Theo số liệu rà soát của Ủy ban nhân dân xã.",
            "3 Sổ do Trung tâm Y tế cấp.",
        ],
    )
    assert 2 not in _linked_from(doc)
