"""Layout rules from documents the rules were not written on (issue 18, round 13): titles
of list points read alike, the last item of an enumeration, form fields, two signature
columns on one row.

Every text here is invented for the test.
"""

from __future__ import annotations

from structure_trees import ocr_page, section_titles

from ocr_pipeline.structure import structure_text, validate
from ocr_pipeline.structure.closing import parse_closing
from ocr_pipeline.structure.document import SrcLine
from ocr_pipeline.structure.sections import has_sentence_break

HEAD = [
    "UBND XÃ SUỐI LAM",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 41/KH-UBND",
    "Suối Lam, ngày 3 tháng 4 năm 2026",
    "KẾ HOẠCH",
    "Tổ chức ngày hội đọc sách",
]
CLOSING = ["Nơi nhận:", "- Các thôn;", "- Lưu: VT.", "CHỦ TỊCH", "Mai Văn Tùng"]


def _doc(body: list[str]) -> dict:
    doc = structure_text("\n".join(HEAD + body + CLOSING))
    validate(doc)
    return doc


def _doc_plain(lines: list[str]) -> dict:
    doc = structure_text("\n".join(lines))
    validate(doc)
    return doc


def _sections(nodes):
    for n in nodes:
        if n["kind"] == "section":
            yield n
            yield from _sections(n["children"])


def _walk_all(nodes):
    for n in nodes:
        yield n
        if n["kind"] == "section":
            yield from _walk_all(n["children"])


def _titles(doc: dict) -> dict[str, str | None]:
    return {n["label"]: n["title"] for n in _sections(doc["body"])}


def test_a_sentence_then_a_lead_in_is_text_not_a_title():
    doc = _doc(
        [
            "1. Chuẩn bị sách và không gian đọc tại nhà văn hóa các thôn, bản.",
            "2. Thống kê số sách hiện có theo từng loại. Các loại sách cần thống kê",
            "gồm:",
            "- Sách thiếu nhi;",
            "- Sách kỹ thuật nông nghiệp.",
        ]
    )
    assert _titles(doc)["2."] is None
    second = next(n for n in _sections(doc["body"]) if n["label"] == "2.")
    assert second["children"][0]["text"].startswith("Thống kê số sách")


def test_phrase_before_the_first_colon_is_the_title_when_the_text_ends_with_one():
    doc = _doc(
        [
            "1. Kinh phí dự kiến: 12 triệu đồng, gồm các khoản sau:",
            "a) Mua sách: 8 triệu đồng;",
            "b) Trang trí: 4 triệu đồng.",
        ]
    )
    assert _titles(doc)["1."] == "Kinh phí dự kiến"


def test_a_lead_in_ending_with_sau_is_text_for_any_label():
    doc = _doc(
        [
            "1. Bổ sung đầu sách cho các thư viện sau:",
            "a) Thư viện thôn Nà Lay;",
            "b) Thư viện bản Huổi Cang.",
        ]
    )
    assert _titles(doc)["1."] is None


def test_points_printed_alike_all_take_the_phrase_before_the_colon():
    doc = _doc(
        [
            "1. Phân công",
            "a) Đoàn thanh niên: trang trí khu vực đọc sách và đón tiếp khách.",
            "b) Hội Phụ nữ: chuẩn bị góc đọc cho trẻ em.",
            "c) Trường mầm non xã Suối Lam: đưa các cháu đến dự.",
        ]
    )
    titles = _titles(doc)
    assert (titles["a)"], titles["b)"], titles["c)"]) == (
        "Đoàn thanh niên",
        "Hội Phụ nữ",
        "Trường mầm non xã Suối Lam",
    )
    # a lone point with a colon keeps its text
    lone = _doc(
        [
            "1. Phân công",
            "a) Rà soát sách cũ tại các thôn, lập danh sách sách hư hỏng;",
            "b) Phân loại sách theo nhóm: thiếu nhi, nông nghiệp, pháp luật.",
        ]
    )
    assert _titles(lone)["b)"] is None


def test_one_line_titles_ending_with_a_period_are_read_alike():
    doc = _doc(
        [
            "1. Các tiêu chí đánh giá",
            "1.1. Số lượt người đọc.",
            "1.2. Số đầu sách mới được các thôn trong xã bổ sung thêm trong năm.",
            "1.3. Số buổi đọc.",
            "1.4. Mức độ hài lòng.",
        ]
    )
    titles = _titles(doc)
    assert titles["1.2."] == "Số đầu sách mới được các thôn trong xã bổ sung thêm trong năm"
    assert titles["1.1."] == "Số lượt người đọc"


def test_last_item_of_an_enumeration_is_not_a_title():
    doc = _doc(
        [
            "I. BAN TỔ CHỨC",
            "1. Ông Mai Văn Tùng, Chủ tịch, Trưởng ban;",
            "2. Bà Hà Thị Lan, công chức văn hóa, thành viên.",
            "II. THỜI GIAN",
        ]
    )
    assert _titles(doc)["2."] is None


def test_a_dash_list_ends_at_its_item_ending_with_a_full_stop():
    doc = _doc(
        [
            "Các thôn chuẩn bị:",
            "- Bàn ghế cho người đọc;",
            "- Giá sách và ánh sáng đủ cho buổi tối.",
            "Văn phòng xã tổng hợp kết quả sau ngày hội và báo cáo Chủ tịch xã.",
        ]
    )
    kinds = [(n["kind"], n["text"][:10]) for n in doc["body"]]
    assert kinds[-1] == ("paragraph", "Văn phòng ")
    assert doc["body"][-2]["text"].endswith("buổi tối.")


def test_a_form_field_line_of_dots_ends_its_block():
    doc = _doc(
        [
            "Ủy ban nhân dân xã trân trọng kính mời:",
            "Ông (bà): ..........................................................",
            "Đến dự ngày hội đọc sách tại nhà văn hóa xã vào sáng thứ Bảy tuần này.",
        ]
    )
    texts = [n["text"] for n in doc["body"]]
    assert texts[-1].startswith("Đến dự ngày hội")


def test_sentence_break_is_not_an_abbreviation():
    assert has_sentence_break("kèm theo. Các mục gồm")
    assert not has_sentence_break("tại TP. Hà Nội")


def _plain(lines: list[str]) -> list[SrcLine]:
    return [SrcLine(t, 1) for t in lines]


def test_two_names_on_one_row_split_before_a_middle_name():
    _, sig, _ = parse_closing(
        _plain(["THƯ KÝ                      CHỦ TRÌ", "Lèo Thị Sen          Khà Văn Pấu"])
    )
    assert sig is not None and sig["name"] == "Khà Văn Pấu"


def test_two_names_glued_split_where_a_surname_and_a_middle_name_meet():
    # "Định" is also the surname Đinh: the surer cue is "Phan Thị"
    _, sig, _ = parse_closing(
        _plain(
            ["XÁC NHẬN CỦA ỦY BAN NHÂN DÂN XÃ HIỆU TRƯỞNG", "Trương Công Định Phan Thị Diệu Linh"]
        )
    )
    assert sig is not None and sig["name"] == "Phan Thị Diệu Linh"


def test_an_inspection_team_leader_signs_beside_the_inspected_unit():
    _, sig, _ = parse_closing(
        _plain(
            [
                "ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA TRƯỞNG ĐOÀN KIỂM TRA",
                "Hà Thị Nga Đỗ Văn Quân",
            ]
        )
    )
    assert sig is not None
    assert (sig["title"], sig["name"]) == ("TRƯỞNG ĐOÀN KIỂM TRA", "Đỗ Văn Quân")


def test_authority_beside_a_bare_title_is_two_columns():
    _, sig, _ = parse_closing(
        _plain(
            [
                "TM. BAN CHẤP HÀNH ĐOÀN XÃ          HIỆU TRƯỞNG",
                "BÍ THƯ",
                "Sầm Văn Khoa                Giàng Thị Mỷ",
            ]
        )
    )
    assert sig is not None and sig["name"] == "Giàng Thị Mỷ"
    assert sig["authority"] == "TM. BAN CHẤP HÀNH ĐOÀN XÃ"
    # an authority with its own title stays one line
    _, sig, _ = parse_closing(_plain(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Mai Văn Tùng"]))
    assert sig is not None and sig["authority"] == "KT. CHỦ TỊCH"


def test_bare_part_word_whose_numeral_ocr_lost_takes_the_next_number():
    doc = _doc(
        [
            "Phần",
            "TÌNH HÌNH THỰC HIỆN",
            "I. KẾT QUẢ",
            "Các thôn tổ chức đọc sách hằng tháng.",
            "Phần II",
            "NHIỆM VỤ NĂM TỚI",
        ]
    )
    parts = [(n["label"], n["title"]) for n in doc["body"]]
    assert parts == [("Phần I", "TÌNH HÌNH THỰC HIỆN"), ("Phần II", "NHIỆM VỤ NĂM TỚI")]


def test_label_line_ending_with_a_semicolon_before_a_lower_case_line_is_text():
    doc = _doc(
        [
            "I. NHIỆM VỤ",
            "1. Duy trì tủ sách ở các thôn, bổ sung sách mới mỗi quý;",
            "luân chuyển sách giữa các thôn theo lịch của Văn phòng xã.",
            "2. Tổ chức cuộc thi kể chuyện theo sách cho học sinh.",
        ]
    )
    assert _titles(doc)["1."] is None


def test_recipient_marks_misread_by_ocr_are_the_lists_own():
    recipients, _, _ = parse_closing(
        _plain(
            [
                "Nơi nhận:",
                "- Huyện ủy (b/©);",
                "- Các 'Thôn:",
                "- Lưu: VT,",
                "CHỦ TỊCH",
                "Mai Văn Tùng",
            ]
        )
    )
    assert recipients == ["Huyện ủy (b/c);", "Các Thôn;", "Lưu: VT."]


def test_type_line_read_without_its_space_is_still_the_type():
    from ocr_pipeline.structure.header import doc_type_of

    assert doc_type_of("ĐEAN", qualified=False) == "ĐỀ ÁN"
    assert doc_type_of("BÁOCÁO", qualified=False) == "BÁO CÁO"
    assert doc_type_of("DEAN MỚI", qualified=False) is None


# -- scans ----------------------------------------------------------------------------------
def _scan(pages) -> dict:
    from ocr_pipeline.structure import structure_pages

    doc = structure_pages(pages)
    validate(doc)
    return doc


def test_roman_labels_misread_before_mixed_case_titles_on_a_scan():
    rows = [
        (450, 300, 1100, "L. Mục tiêu chung."),
        (450, 360, 2180, "Nâng cao văn hóa đọc trong cộng đồng dân cư và học sinh các trường"),
        (300, 420, 1000, "trên địa bàn xã."),
        (450, 480, 1100, "IL. Các chỉ tiêu."),
        (450, 540, 2180, "Mỗi thôn có một tủ sách với ít nhất ba trăm đầu sách được cập nhật"),
        (300, 600, 900, "hằng năm."),
    ]
    doc = _scan([ocr_page(rows)])
    assert [(n["label"], n["title"]) for n in doc["body"]] == [
        ("I.", "Mục tiêu chung"),
        ("II.", "Các chỉ tiêu"),
    ]


def test_a_number_opening_a_wrapped_line_above_the_footnotes_is_no_body_start():
    body = "Năm nay xã tổ chức ngày hội đọc sách cho các thôn vào tuần đầu của tháng"
    rows = [(450, 300 + 62 * k, 2180, body) for k in range(8)]
    rows += [
        (
            450,
            796,
            2180,
            "Các thôn đã có tủ sách¹ và các trường đã có góc đọc² theo tiêu chuẩn³ như",
        ),
        (300, 858, 900, "3 năm trước."),
        (300, 960, 1500, "1 Số liệu của Văn phòng xã."),
        (300, 1008, 1500, "2 Theo kế hoạch của trường."),
        (300, 1056, 1500, "3 Theo hướng dẫn của huyện."),
    ]
    doc = _scan([ocr_page(rows)])
    assert [(f["number"], f["text"]) for f in doc["footnotes"]] == [
        (1, "Số liệu của Văn phòng xã."),
        (2, "Theo kế hoạch của trường."),
        (3, "Theo hướng dẫn của huyện."),
    ]


def test_the_file_copy_code_misread_by_ocr_is_vt():
    recipients, _, _ = parse_closing(
        _plain(["Nơi nhận:", "- Huyện ủy (b/);", "- Lưu: VE TCKT.", "CHỦ TỊCH", "Mai Văn Tùng"])
    )
    assert recipients == ["Huyện ủy (b/c);", "Lưu: VT, TCKT."]
    # the readings `document_restore` mends in a scan's words, mended in text alike
    for read, mended in (("VỊ.", "VT."), ("VTF, KSBT.", "VT, KSBT.")):
        recipients, _, _ = parse_closing(_plain(["Nơi nhận:", "- Các thôn;", f"- Lưu: {read}"]))
        assert recipients == ["Các thôn;", f"Lưu: {mended}"]
    recipients, _, _ = parse_closing(_plain(["Nơi nhận:", "- Các thôn;", "- Lưu: VP."]))
    assert recipients == ["Các thôn;", "Lưu: VP."]  # the office's own code stays


def test_a_rule_end_before_the_place_is_not_part_of_it():
    lines = [
        "UBND XÃ SUỐI LAM       CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 41/KH-UBND      ___ Suối Lam, ngày 3 tháng 4 năm 2026",
        "KẾ HOẠCH",
        "Tổ chức ngày hội đọc sách",
    ]
    doc = structure_text("\n".join(lines + ["Các thôn thực hiện."]))
    assert doc["header"]["place"] == "Suối Lam"


def test_type_code_of_the_number_is_read_as_the_type_line_says():
    from ocr_pipeline.structure.header import number_with_type_code

    assert number_with_type_code("17/TIr-UBND", "TỜ TRÌNH") == "17/TTr-UBND"
    assert number_with_type_code("17/TIr-UBND", "TỜ TRÌNH ĐỀ NGHỊ PHÊ DUYỆT") == "17/TTr-UBND"
    assert number_with_type_code("8/QĐĐ-SYT", "QUYẾT ĐỊNH") == "8/QĐ-SYT"
    # a code that is not one slip away is kept as printed
    assert number_with_type_code("8/BC-SYT", "QUYẾT ĐỊNH") == "8/BC-SYT"
    lines = [
        "UBND XÃ SUỐI LAM       CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 41/TIr-UBND      Suối Lam, ngày 3 tháng 4 năm 2026",
        "TỜ TRÌNH",
        "Về việc mua sách cho tủ sách thôn",
    ]
    doc = structure_text("\n".join(lines + ["Kính gửi: Hội đồng nhân dân xã."]))
    assert doc["header"]["number"] == "41/TTr-UBND"


def test_signing_parties_row_opens_the_closing():
    doc = _doc_plain(
        HEAD[:5]
        + [
            "BIÊN BẢN",
            "Bàn giao tủ sách",
            "I. NỘI DUNG",
            "Bên giao bàn giao cho bên nhận 120 cuốn sách thiếu nhi./.",
            "ĐẠI DIỆN BÊN NHẬN                   ĐẠI DIỆN BÊN GIAO",
            "TRƯỞNG THÔN                         CHỦ TỊCH",
            "Lò Văn Khánh                        Mai Văn Tùng",
        ]
    )
    texts = [n.get("text") for n in doc["body"][0]["children"]]
    assert texts == ["Bên giao bàn giao cho bên nhận 120 cuốn sách thiếu nhi."]
    assert doc["signature"]["name"] == "Mai Văn Tùng"


def test_signing_parties_without_titles_sign_under_their_party():
    # no title row under the parties: the right party signs, its names on one line
    doc = _doc_plain(
        HEAD[:5]
        + [
            "BIÊN BẢN",
            "Bàn giao bàn ghế",
            "I. NỘI DUNG",
            "Bên giao bàn giao cho bên nhận 40 bộ bàn ghế học sinh./.",
            "ĐẠI DIỆN BÊN NHẬN ĐẠI DIỆN BÊN GIAO",
            "Lò Văn Khánh Mai Văn Tùng",
        ]
    )
    assert doc["signature"]["title"] == "ĐẠI DIỆN BÊN GIAO"
    assert doc["signature"]["name"] == "Mai Văn Tùng"


def test_joint_plan_signed_by_an_officer_beside_the_committee():
    # "TM. ỦY BAN ...  ĐỒN TRƯỞNG" on one row; the officer's rank opens the second name
    doc = _doc_plain(
        HEAD
        + [
            "I. MỤC ĐÍCH",
            "Phối hợp tuần tra khu vực bến cá.",
            "Nơi nhận:",
            "- Các thôn;",
            "- Lưu: VT.",
            "TM. ỦY BAN NHÂN DÂN XÃ ĐỒN TRƯỞNG",
            "CHỦ TỊCH",
            "Mai Văn Tùng Trung tá Lò Văn Khánh",
        ]
    )
    assert doc["signature"]["title"] == "ĐỒN TRƯỞNG"
    assert doc["signature"]["name"] == "Trung tá Lò Văn Khánh"
    assert doc["recipients"] == ["Các thôn;", "Lưu: VT."]


def test_inline_title_beside_a_sibling_titled_on_its_own_line():
    doc = _doc_plain(
        HEAD
        + [
            "1. Điều kiện dự thi",
            "a) Điều kiện chung: là học sinh của trường, có đơn đăng ký.",
            "b) Điều kiện riêng",
            "+ Đội văn nghệ: có ít nhất 05 thành viên;",
            "+ Đội thể thao: có huấn luyện viên.",
        ]
    )
    assert section_titles(doc)[-3:] == [
        ("1.", "Điều kiện dự thi"),
        ("a)", "Điều kiện chung"),
        ("b)", "Điều kiện riêng"),
    ]


def test_long_period_title_read_like_its_siblings_but_not_a_sentence_about_a_person():
    items = [
        "1. Thông qua báo cáo kết quả năm 2025.",
        "Ông chủ trì trình bày báo cáo: năm 2025 hội kết nạp 35 hội viên mới, vận động quỹ"
        " hỗ trợ hội viên nghèo đạt 120% kế hoạch, tổ chức 04 lớp tập huấn kỹ thuật.",
        "2. Xem xét mức hỗ trợ hội viên có hoàn cảnh khó khăn dịp Tết Nguyên đán năm 2026.",
        "Bà thủ quỹ báo cáo: số dư quỹ đến ngày 31/12/2025 là 48.500.000 đồng; đề xuất chi"
        " 500.000 đồng cho mỗi hội viên thuộc hộ nghèo, cận nghèo.",
        "3. Ý kiến thảo luận.",
        "Các hội viên nhất trí.",
    ]
    doc = _doc_plain(HEAD + ["I. NỘI DUNG"] + items)
    titles = [title for _label, title in section_titles(doc)]
    assert (
        titles[-2]
        == "Xem xét mức hỗ trợ hội viên có hoàn cảnh khó khăn dịp Tết Nguyên đán năm 2026"
    )
    items[2] = (
        "2. Ông Lò Văn Khánh trình bày dự thảo phương án thu mua chè búp tươi vụ thu năm 2026."
    )
    doc = _doc_plain(HEAD + ["I. NỘI DUNG"] + items)
    assert section_titles(doc)[-2] == ("2.", None)


def _paragraph_with(doc: dict, needle: str) -> str:
    from structure_trees import walk

    return next(n["text"] for n in walk(doc["body"]) if needle in n.get("text", ""))


def test_sentence_under_a_typed_table_opens_a_paragraph():
    tables = [
        [  # rows with a comma in a cell; the sentence under them wrapped short
            "TT Thôn Cây trồng Diện tích (ha)",
            "1 Thôn Nà Hin Ngô lai 12",
            "2 Thôn Bản Pục Lạc, đậu tương 9",
            "3 Thôn Khuổi Mạ Rau an toàn, bí xanh 7",
            "Riêng thôn Nà Hin bố trí thêm một mô hình trình diễn ngô lai có tưới nhỏ giọt với",
            "diện tích 2 ha do hợp tác xã thực hiện¹.",
        ],
        [  # rows ending in a decision's date
            "Năm Hình thức khen thưởng Số, ngày quyết định",
            "2024 Giấy khen của Chủ tịch UBND huyện 112/QĐ-UBND ngày 20/12/2024",
            "2025 Bằng khen của Chủ tịch UBND tỉnh 2011/QĐ-UBND ngày 19/12/2025",
            "Với những thành tích trên, đề nghị xét tặng danh hiệu cho tập thể¹.",
        ],
        [  # rows numbered 1, 2, 3 whose cells hold no figure at the end
            "STT Cá nhân Thành tích",
            "1 Bà Lường Thị Ánh, công chức xã Số hóa hồ sơ hộ tịch",
            "2 Ông Lò Văn Mỹ, Phó Chủ tịch xã Chỉ đạo Bộ phận Một cửa",
            "3 Bà Điêu Thị Hoa, chuyên viên Tham mưu cải cách hành chính",
            "Tổng mức tiền thưởng chi từ Quỹ thi đua, khen thưởng của huyện¹.",
        ],
    ]
    for rows in tables:
        body = ["I. KẾT QUẢ", "Kết quả cụ thể như sau:", *rows, "1 Chú thích của văn bản."]
        doc = _doc_plain(HEAD + body + CLOSING)
        opening = next(r for r in rows if r.startswith(("Riêng", "Với", "Tổng")))[:20]
        assert _paragraph_with(doc, opening).startswith(opening), rows[0]
        assert doc["footnotes"][0]["linked"]


def test_a_co_signers_title_naming_its_unit_beside_the_signers_authority():
    doc = _doc_plain(
        HEAD
        + [
            "I. NỘI DUNG",
            "Hai bên giao ban định kỳ mỗi quý một lần./.",
            "TRƯỞNG TRẠM Y TẾ TM. BAN CHẤP HÀNH HỘI LHPN",
            "CHỦ TỊCH",
            "Lò Văn Khánh Mai Thị Hoa",
            "Nơi nhận:",
            "- Các chi hội;",
            "- Lưu: VT.",
        ]
    )
    assert doc["signature"]["authority"] == "TM. BAN CHẤP HÀNH HỘI LHPN"
    assert doc["signature"]["name"] == "Mai Thị Hoa"
    assert doc["recipients"] == ["Các chi hội;", "Lưu: VT."]


def test_the_next_point_after_a_typed_tables_numbered_rows_is_a_heading():
    rows = ["TT Đơn vị Điểm Xếp giải", "1 Xã Nà Hin 94,25 Giải Nhất",
            "2 Xã Bản Pục 92,80 Giải Nhì", "3 Xã Khuổi Mạ 91,10 Giải Ba"]  # fmt: skip
    doc = _doc_plain(
        HEAD
        + ["II. KẾT QUẢ", "1. Giải toàn đoàn", *rows]
        + ["2. Giải từng phần thi", "- Phần chào hỏi: đội xã Nà Hin;", "3. Giải phụ"]
        + ["- Đội xã Bản Pục."]
    )
    assert [label for label, _title in section_titles(doc)][-4:] == ["II.", "1.", "2.", "3."]


def test_a_lead_in_printed_without_its_colon_is_no_title():
    doc = _doc_plain(
        HEAD
        + [
            "1. Chủ tịch Ủy ban nhân dân xã phụ trách chung và trực tiếp các lĩnh vực sau đây",
            "a) Tài chính, ngân sách;",
            "b) Quy hoạch, đất đai.",
            "2. Tổ chức kiểm tra các thôn, bản, trong đó tập trung",
            "a) Các hộ ven suối;",
            "b) Các điểm sạt lở.",
        ]
    )
    assert [t for label, t in section_titles(doc) if label in ("1.", "2.")] == [None, None]


def test_form_fields_are_a_line_each_and_a_lead_in_is_no_subject():
    doc = _doc_plain(
        HEAD[:5]
        + [
            "GIẤY GIỚI THIỆU",
            "Ủy ban nhân dân xã Suối Lam trân trọng giới thiệu:",
            "Bà: Hà Thị Lan",
            "Chức vụ: Công chức Văn hóa - Xã hội của Ủy ban nhân dân xã Suối Lam",
            "Được cử đến: Thư viện tỉnh",
            "Đề nghị Quý cơ quan giúp đỡ bà Hà Thị Lan hoàn thành nhiệm vụ được giao.",
        ]
    )
    assert doc["header"]["subject"] is None
    assert [n["text"][:12] for n in doc["body"]] == [
        "Ủy ban nhân ",
        "Bà: Hà Thị L",
        "Chức vụ: Côn",
        "Được cử đến:",
        "Đề nghị Quý ",
    ]


def test_an_item_ending_with_a_colon_right_above_its_sibling_is_text():
    doc = _doc(
        [
            "I. THÀNH PHẦN",
            "1. Ông Mai Văn Tùng, Chủ tịch UBND xã - Trưởng ban:",
            "2. Bà Hà Thị Lan, công chức văn hóa - Thành viên.",
        ]
    )
    assert _titles(doc)["1."] is None


def test_a_resolutions_adoption_sentence_is_its_own_paragraph():
    doc = _doc(
        [
            "Điều 1. Tổ chức thực hiện",
            "Giao Ủy ban nhân dân xã tổ chức thực hiện Nghị quyết.",
            "Nghị quyết này đã được Hội đồng nhân dân xã Suối Lam thông qua ngày 3/4/2026./.",
        ]
    )
    texts = [n["text"] for n in _walk_all(doc["body"]) if n["kind"] == "paragraph"]
    assert texts[-1].startswith("Nghị quyết này đã được")


def test_a_title_after_the_file_copy_codes_on_one_row_is_split_after_them():
    recipients, sig, _ = parse_closing(
        _plain(
            [
                "Nơi nhận:                          TM. ỦY BAN NHÂN DÂN",
                "- Các thôn;                        KT. CHỦ TỊCH",
                "- Lưu: VT, VHXH.                   PHÓ CHỦ TỊCH",
                "Mai Văn Tùng",
            ]
        )
    )
    assert recipients == ["Các thôn;", "Lưu: VT, VHXH."]
    assert sig is not None and sig["title"] == "PHÓ CHỦ TỊCH"


def test_an_upper_case_title_printed_with_a_period_is_the_title_without_it():
    doc = _doc(
        [
            "I. MỤC ĐÍCH, YÊU CẦU.",
            "Khơi dậy phong trào đọc sách trong thanh thiếu niên của xã.",
            "II. NỘI DUNG...",
            "Các hoạt động được tổ chức tại nhà văn hóa xã.",
        ]
    )
    assert _titles(doc) == {"I.": "MỤC ĐÍCH, YÊU CẦU", "II.": "NỘI DUNG..."}


def test_a_page_whose_form_feed_is_missing_ends_at_its_footnote_block():
    # page 1 ends with a form feed; pages 2 and 3 were joined without one: page 2's
    # footnote block must not run on through page 3
    page1 = [f"Trong quý {i}, các thôn tổ chức sinh hoạt theo kế hoạch đã duyệt." for i in (1, 2)]
    page2 = [
        "Số hộ đạt danh hiệu gia đình văn hóa tăng¹ so với cùng kỳ năm trước.",
        *[f"Thôn số {i} hoàn thành việc rà soát danh sách hộ theo hướng dẫn." for i in range(12)],
        "Kinh phí hỗ trợ được giải ngân đúng tiến độ².",
        "1 Theo số liệu tổng hợp của Ban văn hóa xã.",
        "2 Nguồn ngân sách xã năm 2026.",
        "3",
        "II. NHIỆM VỤ THỜI GIAN TỚI",
        "Tiếp tục duy trì phong trào thi đua trong toàn xã.",
        "Tăng cường kiểm tra, đôn đốc các thôn thực hiện kế hoạch.",
    ]
    doc = _doc(["I. KẾT QUẢ", *page1, "\f", *page2])
    assert [(f["number"], f["text"]) for f in doc["footnotes"]] == [
        (1, "Theo số liệu tổng hợp của Ban văn hóa xã."),
        (2, "Nguồn ngân sách xã năm 2026."),
    ]
    assert _titles(doc)["II."] == "NHIỆM VỤ THỜI GIAN TỚI"


def test_a_subject_wrapped_before_a_long_name_keeps_its_last_line():
    doc = _doc_plain(
        [
            "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "XÃ HẠ LONG Độc lập - Tự do - Hạnh phúc",
            "Số: 12/TTr-UBND Hạ Long, ngày 2 tháng 3 năm 2027",
            "TỜ TRÌNH",
            "Về việc đề nghị cấp kinh phí sửa chữa",
            "Trường mầm non thôn Đồng Cao và thôn Bãi Dâu",
            "Kính gửi: Ủy ban nhân dân huyện Tiên Lữ.",
            "Trường mầm non được xây dựng từ năm 2005, nay đã xuống cấp.",
        ]
    )
    assert doc["header"]["subject"] == (
        "Về việc đề nghị cấp kinh phí sửa chữa Trường mầm non thôn Đồng Cao và thôn Bãi Dâu"
    )


def test_the_issuer_printed_again_under_a_caps_subject_is_not_the_subject():
    doc = _doc_plain(
        [
            "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "HUYỆN TIÊN LỮ Độc lập - Tự do - Hạnh phúc",
            "Số: 301/QĐ-UBND Tiên Lữ, ngày 9 tháng 9 năm 2027",
            "QUYẾT ĐỊNH",
            "VỀ VIỆC THÀNH LẬP TỔ CÔNG TÁC KIỂM TRA",
            "ỦY BAN NHÂN DÂN HUYỆN TIÊN LỮ",
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
            "QUYẾT ĐỊNH:",
            "Điều 1. Thành lập Tổ công tác kiểm tra.",
        ]
    )
    assert doc["header"]["subject"] == "VỀ VIỆC THÀNH LẬP TỔ CÔNG TÁC KIỂM TRA"


def test_specks_beside_header_type_are_not_part_of_the_issuer_or_the_place():
    doc = _doc_plain(
        [
            "UBND HUYỆN TIÊN LỮ ˆ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "PHÒNG NỘI VỤ Độc lập - Tự do - Hạnh phúc",
            "Số: 17/HD-PNV . Tiên Lữ, ngày 9 tháng 9 năm 2027",
            "HƯỚNG DẪN",
            "Đánh giá, xếp loại công chức năm 2027",
            "I. MỤC ĐÍCH",
            "Đánh giá đúng kết quả thực hiện nhiệm vụ của công chức.",
        ]
    )
    assert doc["header"]["issuer"] == ["UBND HUYỆN TIÊN LỮ", "PHÒNG NỘI VỤ"]
    assert doc["header"]["place"] == "Tiên Lữ"


def test_one_basis_a_line_and_the_closing_sentence_are_their_own_paragraphs():
    doc = _doc(
        [
            "I. CĂN CỨ",
            "Nghị quyết số 05/NQ-HĐND ngày 20/12/2026 của Hội đồng nhân dân xã;",
            "Biên bản kiểm tra hiện trạng ngày 02/3/2027 của Đoàn kiểm tra¹.",
            "II. NỘI DUNG",
            "1. Các thôn rà soát danh sách hộ tham gia.",
            "2. Công an xã bảo đảm an ninh, trật tự trong thời gian tổ chức.",
            "Ủy ban nhân dân xã thông báo để Nhân dân biết, thực hiện²./.",
            "1 Đoàn kiểm tra gồm đại diện các ban ngành của xã.",
            "2 Lịch chi tiết niêm yết tại trụ sở Ủy ban nhân dân xã.",
        ]
    )
    texts = [n["text"] for n in _walk_all(doc["body"]) if n.get("text")]
    assert "Biên bản kiểm tra hiện trạng ngày 02/3/2027 của Đoàn kiểm tra." in texts
    assert any(t.startswith("Ủy ban nhân dân xã thông báo để Nhân dân biết") for t in texts)


def test_an_action_programme_carries_out_a_resolution_as_its_subject():
    doc = _doc_plain(
        [
            "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "HUYỆN TIÊN LỮ Độc lập - Tự do - Hạnh phúc",
            "Số: 08/CTr-UBND Tiên Lữ, ngày 2 tháng 4 năm 2027",
            "CHƯƠNG TRÌNH HÀNH ĐỘNG",
            "Thực hiện Nghị quyết Đại hội Đảng bộ huyện lần thứ XX",
            "về phát triển nông nghiệp hữu cơ giai đoạn 2027 - 2030",
            "I. MỤC TIÊU",
            "Nâng diện tích sản xuất hữu cơ lên 500 ha.",
        ]
    )
    assert doc["header"]["subject"] == (
        "Thực hiện Nghị quyết Đại hội Đảng bộ huyện lần thứ XX về phát triển nông nghiệp"
        " hữu cơ giai đoạn 2027 - 2030"
    )


def test_a_wrapped_reference_to_an_article_or_a_date_continues_the_text():
    doc = _doc(
        [
            "Điều 1. Thành lập Tổ công tác kiểm tra việc thực hiện kế hoạch năm 2027.",
            "Điều 2. Tổ công tác có nhiệm vụ kiểm tra các thôn và báo cáo kết quả.",
            "Điều 3. Quyết định này có hiệu lực kể từ ngày ký; các việc đang làm tiếp tục theo",
            "Điều 2 Quyết định số 15/QĐ-UBND đến hết ngày",
            "31/12/2027 và báo cáo kết quả về Ủy ban nhân dân xã.",
        ]
    )
    assert _titles(doc) == {"Điều 1.": None, "Điều 2.": None, "Điều 3.": None}
    texts = [n["text"] for n in _walk_all(doc["body"]) if n.get("text")]
    assert any(
        "theo Điều 2 Quyết định số 15/QĐ-UBND đến hết ngày 31/12/2027 và" in t for t in texts
    )


def test_a_wrapped_article_title_above_its_clauses_stays_a_title():
    doc = _doc(
        [
            "Điều 1. Trách nhiệm, phạm vi giải quyết công việc của Chủ tịch Ủy ban nhân",
            "dân xã",
            "1. Lãnh đạo, điều hành công việc của Ủy ban nhân dân xã.",
            "2. Ký các văn bản thuộc thẩm quyền của Ủy ban nhân dân xã.",
        ]
    )
    assert _titles(doc)["Điều 1."] == (
        "Trách nhiệm, phạm vi giải quyết công việc của Chủ tịch Ủy ban nhân dân xã"
    )


def test_typed_recipients_that_all_end_with_a_comma_keep_their_commas():
    # a Đảng document's way: every item but the last ends with ",", the last with "."
    recipients, _, _ = parse_closing(
        _plain(
            [
                "Nơi nhận:",
                "- Ban Thường vụ Huyện ủy (để b/c),",
                "- Các chi bộ trực thuộc,",
                "- Lưu Văn phòng Đảng ủy.",
                "T/M ĐẢNG ỦY",
                "BÍ THƯ",
                "Lò Văn Sơn",
            ]
        )
    )
    assert recipients == [
        "Ban Thường vụ Huyện ủy (để b/c),",
        "Các chi bộ trực thuộc,",
        "Lưu Văn phòng Đảng ủy.",
    ]


def test_a_long_lead_in_ending_with_a_colon_is_a_sentence_not_a_title():
    doc = _doc(
        [
            "1. Chuẩn bị:",
            "a) Sách và báo;",
            "b) Bàn ghế.",
            "2. Đề nghị Ủy ban nhân dân các xã vùng biên chỉ đạo các thôn, bản phối hợp thực hiện:",
            "+ Vận động các hộ đưa trẻ đến dự;",
            "+ Bố trí người trông giữ xe.",
        ]
    )
    titles = _titles(doc)
    assert titles["1."] == "Chuẩn bị"  # a short phrase stays the title
    assert titles["2."] is None


def test_a_long_section_title_opening_with_its_noun_keeps_its_colon_title():
    doc = _doc(
        [
            "1. Kết quả thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới"
            " giai đoạn 2021 - 2025:",
            "a) Tiêu chí giao thông;",
            "b) Tiêu chí thủy lợi.",
            "2. Bố trí ngành hàng tại khu chợ tạm (bãi đất trống phía đông chợ):",
            "a) Hàng rau;",
            "b) Hàng cá.",
        ]
    )
    titles = _titles(doc)
    assert titles["1."].startswith("Kết quả thực hiện Chương trình")
    assert titles["2."] == "Bố trí ngành hàng tại khu chợ tạm (bãi đất trống phía đông chợ)"


def test_a_capitals_title_wrapped_with_a_note_in_brackets_is_one_title():
    doc = _doc(
        [
            "IV. GIẢI TRÌNH NHỮNG VẤN ĐỀ ĐƯỢC GỢI Ý (nếu có)",
            "Không có.",
            "V. LÀM RÕ TRÁCH NHIỆM CỦA CÁ NHÂN ĐỐI VỚI NHỮNG HẠN",
            "CHẾ, KHUYẾT ĐIỂM CỦA TẬP THỂ (nếu có)",
            "Không có.",
        ]
    )
    titles = _titles(doc)
    assert titles["V."] == (
        "LÀM RÕ TRÁCH NHIỆM CỦA CÁ NHÂN ĐỐI VỚI NHỮNG HẠN CHẾ, KHUYẾT ĐIỂM CỦA TẬP THỂ (nếu có)"
    )


def test_a_long_lead_in_opening_with_a_section_noun_is_still_a_sentence():
    doc = _doc(
        [
            "1. Tình hình sạt lở đất tại các xã vùng cao diễn biến rất phức tạp, Ủy ban"
            " nhân dân tỉnh yêu cầu:",
            "a) Sơ tán dân;",
            "b) Cắm biển cảnh báo.",
            "2. Đề nghị Ủy ban nhân dân các xã (Ea Tiêu, Ea Kao, Hòa Thắng) khẩn trương"
            " thực hiện rà soát:",
            "a) Nhà ở;",
            "b) Đường.",
        ]
    )
    titles = _titles(doc)
    assert titles["1."] is None and titles["2."] is None


def test_long_section_titles_that_are_noun_phrases_keep_their_title():
    for line in (
        "1. Kết quả thực hiện các chỉ tiêu phát triển kinh tế, văn hóa, xã hội, quốc phòng"
        " và an ninh năm 2025:",
        "1. Kết quả đạt được trong công tác phòng chống dịch bệnh trên đàn gia súc năm 2025:",
        "1. Về công tác quản lý nhà nước đối với đất đai, tài nguyên và môi trường trên địa"
        " bàn xã năm 2025:",
    ):
        assert _titles(_doc([line, "a) Một;", "b) Hai."]))["1."] is not None, line


def test_a_row_in_capitals_with_a_note_under_a_short_title_is_no_part_of_it():
    doc = _doc(["I. DANH SÁCH CÁC HỘ ĐỀ NGHỊ HỖ TRỢ", "THÔN 1 (05 hộ)", "Hộ ông Y Bhăm Niê."])
    assert _titles(doc)["I."] == "DANH SÁCH CÁC HỘ ĐỀ NGHỊ HỖ TRỢ"


def test_a_section_nouns_text_with_a_subject_after_its_comma_is_a_sentence():
    doc = _doc(
        [
            "I. KẾT QUẢ",
            "1. Về công tác cải cách hành chính, Ủy ban nhân dân huyện đã chỉ đạo các phòng"
            " ban triển khai các nội dung:",
            "a) Một;",
            "b) Hai.",
        ]
    )
    assert _titles(doc)["1."] is None


def test_a_capitals_title_goes_on_over_a_connective_with_a_bracketed_note():
    doc = _doc(
        [
            "I. KẾT QUẢ",
            "Đã hoàn thành.",
            "II. KIẾN NGHỊ, ĐỀ XUẤT VỚI CẤP TRÊN",
            "VÀ CÁC CƠ QUAN LIÊN QUAN (nếu có)",
            "Không có.",
        ]
    )
    assert (
        _titles(doc)["II."] == "KIẾN NGHỊ, ĐỀ XUẤT VỚI CẤP TRÊN VÀ CÁC CƠ QUAN LIÊN QUAN (nếu có)"
    )
