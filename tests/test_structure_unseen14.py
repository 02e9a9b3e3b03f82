"""Structure rules from set 14's misses (tests/data/structure_heldout14, scored once at the
end of the round that wrote it): invented documents in the same shapes."""

from __future__ import annotations

from structure_trees import structured, walk

HEAD = [
    "UBND XÃ BẢN HẠ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "ĐỘI DÂN PHÒNG THÔN NẬM KHÉ Độc lập - Tự do - Hạnh phúc",
    "Bản Hạ, ngày 9 tháng 5 năm 2027",
    "",
    "BIÊN BẢN",
    "Họp đội dân phòng quý II",
    "",
    "1. Tình hình an ninh",
    "Trong quý không xảy ra vụ việc phức tạp.",
    "",
]


def test_a_unit_head_title_written_unit_first_signs_beside_a_confirming_body():
    doc = structured(
        HEAD + ["XÁC NHẬN CỦA CÔNG AN XÃ BẢN HẠ ĐỘI TRƯỞNG", "", "", "Lò Văn Piến Cầm Thị Nhung"]
    )
    assert doc["signature"]["title"] == "ĐỘI TRƯỞNG"
    assert doc["signature"]["name"] == "Cầm Thị Nhung"


def test_two_column_titles_whose_right_one_names_its_board_sign_on_the_right():
    doc = structured(HEAD + ["THƯ KÝ TRƯỞNG BAN TỔ CHỨC", "", "", "Lò Văn Piến Cầm Thị Nhung"])
    assert doc["signature"]["title"] == "TRƯỞNG BAN TỔ CHỨC"
    assert doc["signature"]["name"] == "Cầm Thị Nhung"


def test_a_mixed_case_deputy_unit_head_beside_a_recipient_is_the_signers_title():
    closing = [
        "Nơi nhận: KT. TỔ TRƯỞNG",
        "- Công an xã (để b/c); Phó Tổ trưởng",
        "- Các hộ dân;",
        "- Lưu: ĐDP.",
        "",
        "Cầm Thị Nhung",
    ]
    doc = structured(HEAD + closing)
    assert doc["recipients"] == ["Công an xã (để b/c);", "Các hộ dân;", "Lưu: ĐDP."]
    assert doc["signature"]["title"] == "Phó Tổ trưởng"
    assert doc["signature"]["name"] == "Cầm Thị Nhung"


def test_a_recipient_naming_a_board_head_in_mixed_case_stays_a_recipient():
    closing = [
        "Nơi nhận:",
        "- Trưởng ban Dân vận",
        "xã Bản Hạ;",
        "- Lưu: ĐDP.",
        "ĐỘI TRƯỞNG",
        "",
        "Cầm Thị Nhung",
    ]
    doc = structured(HEAD + closing)
    assert doc["recipients"] == ["Trưởng ban Dân vận xã Bản Hạ;", "Lưu: ĐDP."]
    assert doc["signature"]["title"] == "ĐỘI TRƯỞNG"


def test_an_organisations_title_beside_the_national_title_is_the_issuers_first_line():
    doc = structured(
        [
            "HỘI LIÊN HIỆP PHỤ NỮ VIỆT NAM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "BAN CHẤP HÀNH HỘI XÃ NẬM KHÉ Độc lập - Tự do - Hạnh phúc",
            "Số: 04/TB-HPN Nậm Khé, ngày 2 tháng 6 năm 2027",
            "",
            "THÔNG BÁO",
            "Lịch sinh hoạt chi hội tháng 6",
            "",
            "Các chi hội sinh hoạt vào ngày 15.",
        ]
        + ["Nơi nhận:", "- Các chi hội;", "- Lưu: VP.", "CHỦ TỊCH", "", "Cầm Thị Nhung"]
    )
    assert doc["header"]["issuer"] == [
        "HỘI LIÊN HIỆP PHỤ NỮ VIỆT NAM",
        "BAN CHẤP HÀNH HỘI XÃ NẬM KHÉ",
    ]
    assert doc["header"]["national_title"] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def test_an_organisations_title_where_the_national_title_stands_is_still_that_title():
    doc = structured(
        [
            "HỘI LHPN XÃ NẬM KHÉ HỘI LIÊN HIỆP PHỤ NỮ VIỆT NAM",
            "Số: 04/TB-HPN Nậm Khé, ngày 2 tháng 6 năm 2027",
            "",
            "THÔNG BÁO",
            "Lịch sinh hoạt chi hội tháng 6",
            "",
            "Các chi hội sinh hoạt vào ngày 15.",
        ]
    )
    assert doc["header"]["issuer"] == ["HỘI LHPN XÃ NẬM KHÉ"]
    assert doc["header"]["national_title"] == "HỘI LIÊN HIỆP PHỤ NỮ VIỆT NAM"


def test_a_marker_after_a_period_titles_stop_leaves_the_stop_out_of_the_title():
    body = [
        "2. Công tác tuần tra.¹",
        "Đội tổ chức 12 buổi tuần tra ban đêm trên các trục đường thôn.",
        "3. Công tác phòng cháy.",
        "Đội kiểm tra 40 bếp đun của các hộ.",
        "",
        "1 Theo lịch tuần tra của Công an xã.",
    ]
    doc = structured(
        HEAD[:-3] + body + ["Nơi nhận:", "- Lưu: ĐDP.", "ĐỘI TRƯỞNG", "", "Cầm Thị Nhung"]
    )
    sections = [n for n in walk(doc["body"]) if n["kind"] == "section"]
    assert [(n["label"], n["title"]) for n in sections] == [
        ("2.", "Công tác tuần tra"),
        ("3.", "Công tác phòng cháy"),
    ]
    assert sections[0]["footnote_refs"] == [1]


def test_a_short_noun_phrase_ending_in_cu_the_is_a_title_a_clause_ending_so_is_not():
    body = [
        "1. Nhiệm vụ cụ thể:",
        "- Tuần tra ban đêm;",
        "- Kiểm tra bếp đun.",
        "2. Đội chia thành 03 tổ theo địa bàn từng xóm, cụ thể:",
        "- Tổ 1 phụ trách xóm Trên;",
        "- Tổ 2 phụ trách xóm Dưới.",
    ]
    doc = structured(HEAD[:-3] + body)
    assert [(n["label"], n["title"]) for n in walk(doc["body"]) if n["kind"] == "section"] == [
        ("1.", "Nhiệm vụ cụ thể"),
        ("2.", None),
    ]


def test_a_collective_body_naming_the_issuer_right_under_an_upper_case_subject_decides():
    doc = structured(
        [
            "HTX DỊCH VỤ NÔNG NGHIỆP BẢN HẠ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "HỘI ĐỒNG QUẢN TRỊ Độc lập - Tự do - Hạnh phúc",
            "Số: 03/NQ-HĐQT Bản Hạ, ngày 9 tháng 5 năm 2027",
            "NGHỊ QUYẾT",
            "VỀ KẾ HOẠCH MUA GIỐNG LÚA VỤ MÙA",
            "HỘI ĐỒNG QUẢN TRỊ HỢP TÁC XÃ DỊCH VỤ NÔNG NGHIỆP BẢN HẠ",
            "Căn cứ Điều lệ Hợp tác xã;",
            "QUYẾT NGHỊ:",
            "Điều 1. Mua 4 tấn giống lúa.",
        ]
    )
    assert doc["header"]["subject"] == "VỀ KẾ HOẠCH MUA GIỐNG LÚA VỤ MÙA"


def test_a_scanned_joint_issuers_second_body_opening_with_bch_is_a_line_of_its_own():
    from structure_trees import ocr_page

    from ocr_pipeline.structure import structure_pages

    rows = [
        (361, 243, 1127, "CÔNG AN XÃ NẬM KHÉ"),
        (1183, 243, 2254, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (424, 305, 1065, "BCH ĐOÀN XÃ NẬM"),
        (1407, 305, 2029, "Độc lập - Tự do - Hạnh phúc"),
        (670, 367, 818, "KHÉ"),
        (478, 436, 2121, "Số: 03/KHLT-CAX-ĐTN Nậm Khé, ngày 2 tháng 3 năm 2027"),
        (1011, 490, 1646, "KẾ HOẠCH LIÊN TỊCH"),
        (900, 566, 1700, "Tuần tra đêm dịp lễ hội"),
        (506, 720, 2302, "Hai đơn vị phối hợp tổ chức tuần tra trong ba đêm lễ hội."),
    ]
    doc = structure_pages([ocr_page(rows)])
    assert doc["header"]["issuer"] == ["CÔNG AN XÃ NẬM KHÉ", "BCH ĐOÀN XÃ NẬM KHÉ"]


def test_a_chapter_whose_numeral_was_read_as_a_speck_is_the_next_chapter():
    body = [
        "Chương I",
        "QUY ĐỊNH CHUNG",
        "Điều 1. Phạm vi áp dụng",
        "Quy định này áp dụng cho các tổ dân phòng.",
        "Chương II",
        "NHIỆM VỤ CỦA TỔ",
        "Mục 1",
        "TUẦN TRA",
        "Điều 2. Lịch tuần tra",
        "Mỗi tổ tuần tra hai đêm trong tuần.",
        "Chương]",
        "ĐIỀU KHOẢN THI HÀNH",
        "Điều 3. Hiệu lực",
        "Quy định này có hiệu lực từ ngày ký.",
    ]
    doc = structured(HEAD[:-3] + body)
    levels = {}

    def depth(nodes, level=1):
        for n in nodes:
            if n["kind"] == "section":
                levels[n["label"]] = level
                depth(n["children"], level + 1)

    depth(doc["body"])
    assert levels["Chương III"] == 1
    assert levels["Điều 3."] == 2


def test_a_vv_subject_wrapped_inside_a_place_name_keeps_the_names_end():
    doc = structured(
        [
            "UBND HUYỆN BẢN HẠ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "PHÒNG Y TẾ Độc lập - Tự do - Hạnh phúc",
            "Số: 51/PYT Bản Hạ, ngày 9 tháng 5 năm 2027",
            "V/v phun thuốc diệt muỗi tại xóm Nà",
            "Khoang",
            "Kính gửi: Ủy ban nhân dân xã Nậm Khé.",
            "Phòng Y tế đề nghị xã phối hợp phun thuốc trong tuần tới./.",
        ]
    )
    assert doc["header"]["subject"] == "V/v phun thuốc diệt muỗi tại xóm Nà Khoang"


def test_an_upper_case_subject_wrapped_inside_a_year_range_keeps_the_ranges_end():
    doc = structured(
        [
            "UBND XÃ NẬM KHÉ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "HỘI ĐỒNG THI ĐUA Độc lập - Tự do - Hạnh phúc",
            "Số: 02/KH-HĐTĐ Nậm Khé, ngày 9 tháng 5 năm 2027",
            "KẾ HOẠCH",
            "THI ĐUA YÊU NƯỚC GIAI ĐOẠN 2027 -",
            "2030",
            "",
            "1. Mục đích",
            "Động viên các thôn thi đua.",
        ]
    )
    assert doc["header"]["subject"] == "THI ĐUA YÊU NƯỚC GIAI ĐOẠN 2027 - 2030"


def test_a_flat_digit_glued_to_a_word_is_not_the_marker_printed_raised_further_on():
    body = [
        "1. Kết quả",
        "Các hộ đăng ký tuần tra qua tổ trưởng¹.",
        "Xóm Nà Khoang2 5 4",
        "Kinh phí tuần tra do xã cấp theo quý²; sổ sách ghi chép đầy đủ.",
        "",
        "1 Theo danh sách của Công an xã.",
        "2 Mức chi 50.000 đồng một đêm.",
    ]
    doc = structured(HEAD[:-3] + body)
    citing = [
        node["text"]
        for node in walk(doc["body"])
        if node["kind"] == "paragraph" and 2 in node.get("footnote_refs", [])
    ]
    assert len(citing) == 1 and citing[0].startswith("Kinh phí tuần tra")


def test_a_clause_still_wrapping_past_a_titles_four_lines_is_text_not_a_title():
    from structure_trees import ocr_page

    from ocr_pipeline.structure import structure_pages

    rows = [
        (505, 300, 1268, "Điều 3. Xử lý vi phạm"),
        (508, 380, 2303, "1. Hộ để gia súc phá hoại bờ kênh phải đắp lại đoạn bờ bị hư hỏng,"),
        (355, 440, 2302, "nộp chi phí nạo vét lòng kênh theo biên bản của tổ thủy nông; trường"),
        (354, 500, 2303, "hợp tái phạm, tổ thủy nông lập biên bản đề nghị Ban quản trị ngừng"),
        (356, 560, 2302, "cung cấp nước tưới cho thửa ruộng của hộ trong vụ kế tiếp và báo cáo"),
        (355, 620, 1286, "Ủy ban nhân dân xã xem xét."),
        (506, 700, 2302, "2. Quy định này có hiệu lực kể từ ngày ký."),
    ]
    doc = structure_pages([ocr_page(rows)])
    clause = doc["body"][0]["children"][0]
    assert clause["label"] == "1."
    assert clause["title"] is None


# The round's second review: headings and list titles that name a signer's title.
_HEAD = ["UBND XÃ AN PHÚ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
         "Số: 15/KH-UBND An Phú, ngày 3 tháng 4 năm 2027", "", "KẾ HOẠCH",
         "Tập huấn công tác dân phòng năm 2027", ""]  # fmt: skip
_END = ["", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Trần Văn Bình"]


def test_a_numbered_heading_naming_a_head_is_no_signature_row():
    doc = structured(_HEAD + ["I. MỤC ĐÍCH", "Nâng cao kỹ năng.", "II. TRÁCH NHIỆM CỦA ĐỘI TRƯỞNG",
                              "Ông Lê Văn Nam", "Phân công trực ca.", "III. TỔ CHỨC THỰC HIỆN",
                              "Văn phòng theo dõi."] + _END)  # fmt: skip
    labels = [n["label"] for n in walk(doc["body"]) if n.get("kind") == "section"]
    assert labels == ["I.", "II.", "III."]
    assert doc["signature"]["title"] == "CHỦ TỊCH" and doc["signature"]["name"] == "Trần Văn Bình"


def test_a_team_head_title_written_title_first_keeps_its_whole_name():
    doc = structured(_HEAD[:3] + ["", "BIÊN BẢN", "Họp tổ dân phố số 3", "", "1. Nội dung họp",
                                  "Bầu tổ trưởng mới.", "", "THƯ KÝ TỔ TRƯỞNG TỔ DÂN PHỐ", "",
                                  "Lê Thị Hoa Nguyễn Văn Nam"])  # fmt: skip
    assert doc["signature"]["title"] == "TỔ TRƯỞNG TỔ DÂN PHỐ"
