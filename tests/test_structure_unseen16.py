"""Structure rules from set 16's misses (tests/data/structure_heldout16, scored once at the
end of the round that wrote it): invented documents in the same shapes."""

from __future__ import annotations

from structure_trees import section_titles, structured, walk

DECISION_HEAD = [
    "ỦY BAN NHÂN DÂN XÃ PÁC NẶM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 27/QĐ-UBND Pác Nặm, ngày 3 tháng 8 năm 2027",
    "QUYẾT ĐỊNH",
    "Về việc thành lập Tổ kiểm kê rừng",
    "QUYẾT ĐỊNH:",
]


def _paragraphs(doc: dict) -> list[str]:
    return [n["text"] for n in walk(doc["body"]) if n["kind"] == "paragraph"]


def test_a_point_after_text_points_that_wrapped_early_is_text_not_a_title():
    body = [
        "Điều 1. Thành lập Tổ kiểm kê rừng của xã gồm các ông, bà có tên dưới đây,"
        " làm việc theo chế độ kiêm nhiệm trong năm 2027.",
        "Điều 2. Nhiệm vụ của Tổ",
        "1. Kiểm kê diện tích rừng",
        "a) Đo đạc lại ranh giới các lô rừng sản xuất do hộ gia đình nhận khoán bảo vệ"
        " trên địa bàn các thôn vùng cao;",
        "b) Đối chiếu số liệu đo đạc với bản đồ hiện trạng rừng do Hạt Kiểm lâm cung cấp"
        " trong tháng 6 năm 2027;",
        "c) Lập danh sách các lô rừng có biến động, dự kiến khoảng",
        "48 lô tại thôn Nà Vài và thôn Khuổi Slình.",
        "2. Báo cáo kết quả",
        "Tổ báo cáo Chủ tịch UBND xã trước ngày 30 tháng 9 năm 2027.",
    ]
    doc = structured(DECISION_HEAD + body)
    assert ("c)", None) in section_titles(doc)
    assert (
        "Lập danh sách các lô rừng có biến động, dự kiến khoảng 48 lô tại thôn Nà Vài và"
        " thôn Khuổi Slình." in _paragraphs(doc)
    )
    assert ("2.", "Báo cáo kết quả") in section_titles(doc)


RULES_HEAD = [
    "HỘI NÔNG DÂN XÃ PÁC NẶM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "QUY CHẾ",
    "Quản lý Quỹ hỗ trợ nông dân",
    "Chương I",
    "QUY ĐỊNH CHUNG",
]


def test_the_last_clause_of_a_list_of_clauses_is_no_title_though_short():
    body = [
        "Điều 1. Nguồn vốn của Quỹ",
        "1. Hội viên góp mỗi năm ít nhất 30.000 đồng theo mức chi hội đã thống nhất.",
        "2. Các hợp tác xã, doanh nghiệp và nhà hảo tâm trong xã ủng hộ thêm.",
        "3. Lãi tiền gửi và các nguồn thu hợp pháp khác.",
        "Điều 2. Đối tượng được vay",
        "1. Hội viên có phương án chăn nuôi được chi hội xác nhận.",
        "2. Hội viên không còn nợ quá hạn.",
    ]
    doc = structured(RULES_HEAD + body)
    assert ("3.", None) in section_titles(doc)
    assert "Lãi tiền gửi và các nguồn thu hợp pháp khác." in _paragraphs(doc)


def test_the_sentence_under_a_typed_table_carries_its_own_marker():
    body = [
        "Điều 1. Mức hỗ trợ",
        "Mức hỗ trợ mỗi hộ theo loại vật nuôi như sau:",
        "Vật nuôi Số con tối đa Mức hỗ trợ",
        "Bò sinh sản 2 Thôn Nà Vài",
        "Lợn nái 5 Thôn Khuổi Slình",
        "Hộ đã nhận hỗ trợ năm trước không được đăng ký lại trong năm nay¹.",
        "Điều 2. Hiệu lực",
        "Quy chế có hiệu lực kể từ ngày ký.",
        "",
        "1 Theo kết luận của Ban Thường vụ Hội tại phiên họp tháng 7.",
    ]
    doc = structured(RULES_HEAD + body)
    linked = [n["text"] for n in walk(doc["body"]) if 1 in n.get("footnote_refs", [])]
    assert linked == ["Hộ đã nhận hỗ trợ năm trước không được đăng ký lại trong năm nay."]
    assert doc["footnotes"][0]["linked"]


REPORT_HEAD = [
    "HỘI NÔNG DÂN XÃ PÁC NẶM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 40/BC-HND Pác Nặm, ngày 20 tháng 12 năm 2027",
    "BÁO CÁO",
    "Tổng kết công tác Hội năm 2027",
]


def test_an_upper_case_titles_year_wrapped_to_its_own_line_stays_in_the_title():
    body = [
        "Phần thứ nhất",
        "KẾT QUẢ THỰC HIỆN NHIỆM VỤ CÔNG TÁC HỘI VÀ PHONG TRÀO NÔNG DÂN NĂM",
        "2027",
        "I. TÌNH HÌNH CHUNG",
        "Năm 2027 thời tiết thuận lợi, sản xuất nông nghiệp được mùa.",
    ]
    doc = structured(REPORT_HEAD + body)
    assert section_titles(doc)[:2] == [
        (
            "Phần thứ nhất",
            "KẾT QUẢ THỰC HIỆN NHIỆM VỤ CÔNG TÁC HỘI VÀ PHONG TRÀO NÔNG DÂN NĂM 2027",
        ),
        ("I.", "TÌNH HÌNH CHUNG"),
    ]


def test_a_parts_first_roman_label_lost_on_a_scan_is_put_back_before_the_second():
    from structure_trees import scanned

    rows = [
        (300, 1000, "HỘI NÔNG DÂN XÃ PÁC NẶM"),
        (300, 900, "BÁO CÁO"),
        (300, 1100, "Tổng kết công tác Hội năm 2027"),
        (1000, 1480, "Phần thứ hai"),
        (800, 1680, "NHIỆM VỤ NĂM 2028"),
        (500, 1100, "MỤC TIÊU CHÍNH"),
        (500, 1700, "- Kết nạp 80 hội viên mới;"),
        (500, 1700, "- Thành lập 2 tổ hợp tác chăn nuôi."),
        (500, 1500, "II. GIẢI PHÁP"),
        (500, 2200, "1. Tăng cường tuyên truyền đến từng chi hội."),
    ]
    doc = scanned(rows)
    found = [
        (n["label"], n["title"], n["level"]) for n in walk(doc["body"]) if n["kind"] == "section"
    ]
    assert found[:3] == [
        ("Phần thứ hai", "NHIỆM VỤ NĂM 2028", 1),
        ("I.", "MỤC TIÊU CHÍNH", 2),
        ("II.", "GIẢI PHÁP", 2),
    ]


def test_recipients_all_ending_in_a_comma_on_a_scan_keep_their_commas():
    from structure_trees import scanned

    rows = [
        (300, 1000, "ĐẢNG BỘ XÃ PÁC NẶM"),
        (300, 900, "NGHỊ QUYẾT"),
        (300, 1100, "Về phát triển chăn nuôi"),
        (300, 2200, "Các chi bộ tổ chức quán triệt và thực hiện nghị quyết này./."),
        (300, 800, "Nơi nhận:"),
        (300, 1000, "- Huyện ủy (b/c),"),
        (300, 1000, "- Các đảng ủy viên,"),
        (300, 1000, "- Các chi bộ,"),
        (300, 1000, "- Lưu Văn phòng."),
    ]
    doc = scanned(rows)
    assert doc["recipients"] == [
        "Huyện ủy (b/c),",
        "Các đảng ủy viên,",
        "Các chi bộ,",
        "Lưu Văn phòng.",
    ]


def test_a_two_digit_marker_read_as_a_bang_and_a_nine_after_a_figure_is_its_marker():
    from ocr_pipeline.structure.footnotes import extract_markers

    text, refs = extract_markers(
        "Báo cáo của Đội công tác số 2!9./.", known={9, 10}, linked={9}, nearby={9, 10}
    )
    assert refs == [10]
    assert text == "Báo cáo của Đội công tác số 2./."


def _two_column_page(rows: list[tuple[tuple[int, int, str], tuple[int, int, str] | None]]):
    """An OCR page of rows, each a left segment (left, right, text) and perhaps a right
    one: 40 px words spread evenly over each segment, rows at a 60 px pitch."""
    from ocr_pipeline.model import BBox, Line, Page, Word

    lines = []
    for k, (left_seg, right_seg) in enumerate(rows):
        top = 240 + 60 * k
        words = []
        for seg in (left_seg, right_seg):
            if seg is None:
                continue
            x0, x1, text = seg
            items = text.split()
            step = (x1 - x0) / len(items)
            words += [
                Word(w, BBox(int(x0 + i * step), top, int(x0 + (i + 1) * step) - 14, top + 40), 95)
                for i, w in enumerate(items)
            ]
        box = words[0].bbox
        for w in words[1:]:
            box = box.union(w.bbox)
        lines.append(Line(words, box))
    return Page(number=1, width=2480, height=3508, dpi=300, lines=lines)


def test_a_full_issuer_line_wrapped_before_its_province_and_its_zone_is_rejoined():
    from ocr_pipeline.structure import structure_pages, validate

    rows = [
        (
            (380, 1107, "CHI CỤC CHĂN NUÔI THÚ Y"),
            (1183, 2254, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ),
        ((459, 1029, "TỈNH AN PHÚ"), None),
        ((396, 1092, "TRẠM THÚ Y LIÊN XÃ KHU"), (1380, 2029, "Độc lập - Tự do - Hạnh phúc")),
        ((625, 862, "VỰC SỐ 2"), None),
        ((557, 2221, "Số: 12/BC-TTY An Phú, ngày 5 tháng 6 năm 2027"), None),
        ((1081, 1577, "BÁO CÁO"), None),
        ((838, 1821, "Tình hình dịch bệnh gia súc"), None),
        ((506, 2200, "Trong tháng không phát sinh ổ dịch mới trên địa bàn."), None),
    ]
    doc = structure_pages([_two_column_page(rows)])
    validate(doc)
    assert doc["header"]["issuer"] == [
        "CHI CỤC CHĂN NUÔI THÚ Y TỈNH AN PHÚ",
        "TRẠM THÚ Y LIÊN XÃ KHU VỰC SỐ 2",
    ]


def test_an_authority_read_1m_is_tm() -> None:
    doc = structured(
        DECISION_HEAD[:5]
        + [
            "Điều 1. Thành lập Tổ kiểm kê rừng của xã.",
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.",
            "Nơi nhận:                                    1M. ỦY BAN NHÂN DÂN",
            "- Như Điều 2;                                CHỦ TỊCH",
            "- Lưu: VT.",
            "                                             Lò Văn Pản",
        ]
    )
    assert doc["signature"]["authority"] == "TM. ỦY BAN NHÂN DÂN"
    assert doc["signature"]["title"] == "CHỦ TỊCH"
    assert doc["recipients"] == ["Như Điều 2;", "Lưu: VT."]
