"""Structure rules from set 23's misses (tests/data/structure_heldout23, scored once at the
start of the round that wrote it): invented documents in the same shapes."""

from __future__ import annotations

from structure_trees import section_titles, structured, walk

ARCHIVE_HEAD = [
    "UBND HUYỆN ĐÔNG HẢI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "UBND XÃ BÌNH AN Độc lập - Tự do - Hạnh phúc",
    "-----o0o----- -------------------",
    "Số: 07/BC-UB Bình An, ngày 20 tháng 12 năm 1997",
    "BÁO CÁO",
    "Tổng kết công tác năm 1997",
]


def _levels(doc: dict) -> list[tuple[str, int]]:
    return [(n["label"], n["level"]) for n in walk(doc["body"]) if n["kind"] == "section"]


def test_an_old_report_closes_its_labels_with_hyphens_and_slashes() -> None:
    doc = structured(
        ARCHIVE_HEAD
        + [
            "A- KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 1997",
            "I- Về kinh tế",
            "1- Sản xuất nông nghiệp",
            "a/ Trồng trọt: tổng diện tích gieo trồng 812 ha, năng suất lúa bình quân 41 tạ/ha.",
            "b/ Chăn nuôi: đàn trâu bò 1.130 con, đàn lợn 4.200 con.",
            "2- Thu ngân sách",
            "Thu ngân sách xã đạt 104% kế hoạch huyện giao.",
            "II- Về văn hóa - xã hội",
            "Các trường học duy trì sĩ số; trạm xá khám cho 2.300 lượt người.",
            "B- PHƯƠNG HƯỚNG NĂM 1998",
            "I/ Mục tiêu",
            "Giữ vững tốc độ tăng trưởng, chăm lo đời sống nhân dân.",
        ]
    )
    assert _levels(doc) == [
        ("A-", 1),
        ("I-", 2),
        ("1-", 3),
        ("a/", 4),
        ("b/", 4),
        ("2-", 3),
        ("II-", 2),
        ("B-", 1),
        ("I/", 2),
    ]
    titles = dict(section_titles(doc))
    assert titles["A-"] == "KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 1997"
    assert titles["a/"] == "Trồng trọt"


def test_dates_ranges_words_with_a_hyphen_and_marks_glued_to_a_word_are_no_labels() -> None:
    doc = structured(
        ARCHIVE_HEAD
        + [
            "I- Về kinh tế",
            "Đoàn kiểm tra của huyện gồm các ông, bà, làm việc từ quý",
            "IV/2025 đến hết quý I năm sau, gồm:",
            "Đ/C Nguyễn Văn Lợi, Phó Chủ tịch UBND huyện;",
            "A. Nguyễn Văn Hải, cán bộ địa chính;",
            "G/V Lê Thị Hoa, Trường Tiểu học Bình An.",
            "Trạm y tế được trang bị máy",
            "X-Quang kỹ thuật số từ năm",
            "III-IV năm trước, phục vụ khám cho 1.200 lượt người.",
            "V/V kiểm tra được thông báo trước cho các thôn.",
            "II- Về văn hóa - xã hội",
            "V/ Về tổ chức thực hiện",
        ]
    )
    assert [label for label, _title in section_titles(doc)] == ["I-", "II-", "V/"]


def test_capital_letter_parts_under_the_romans_that_come_first() -> None:
    doc = structured(
        ARCHIVE_HEAD
        + [
            "I- TÌNH HÌNH NĂM 1997",
            "A- Về kinh tế",
            "Sản xuất nông nghiệp được mùa.",
            "B- Về văn hóa",
            "Các thôn giữ vững danh hiệu làng văn hóa.",
            "II- PHƯƠNG HƯỚNG NĂM 1998",
            "Giữ vững tốc độ tăng trưởng.",
        ]
    )
    assert _levels(doc) == [("I-", 1), ("A-", 2), ("B-", 2), ("II-", 1)]


def test_a_numbering_warning_names_the_label_in_the_documents_own_form() -> None:
    doc = structured(
        ARCHIVE_HEAD + ["A- KẾT QUẢ", "Sản xuất khá.", "C- PHƯƠNG HƯỚNG", "Giữ vững tăng trưởng."]
    )
    warnings = [n.get("numbering_warning") for n in walk(doc["body"]) if n["kind"] == "section"]
    assert warnings == [None, "expected B-, found C-"]


BODY = ["I- Về kinh tế", "Sản xuất nông nghiệp được mùa, thu ngân sách đạt kế hoạch./."]


def test_an_old_closing_sends_to_recipients_on_one_line() -> None:
    doc = structured(
        ARCHIVE_HEAD
        + BODY
        + [
            "Nơi gửi: - UBND huyện Đông Hải; - Phòng Nông nghiệp huyện; - Lưu VP.",
            "T/M UBND XÃ BÌNH AN",
            "CHỦ TỊCH",
            "(Đã ký)",
            "Lục Văn Tám",
        ]
    )
    assert doc["recipients"] == ["UBND huyện Đông Hải;", "Phòng Nông nghiệp huyện;", "Lưu VP."]
    assert doc["signature"]["authority"] == "T/M UBND XÃ BÌNH AN"
    # the list ends at "Lưu": a line under it is not glued to it
    doc = structured(ARCHIVE_HEAD + BODY + [
        "Nơi gửi: - UBND huyện Đông Hải; - Lưu VP.",
        "Người lập biểu ghi chú thêm",
        "T/M UBND XÃ BÌNH AN", "CHỦ TỊCH", "Lục Văn Tám",
    ])  # fmt: skip
    assert doc["recipients"] == ["UBND huyện Đông Hải;", "Lưu VP."]
    assert doc["signature"]["name"] == "Lục Văn Tám"


def test_a_body_line_opening_with_noi_gui_is_no_recipients_block() -> None:
    for where in ("Nơi gửi hồ sơ: Văn phòng UBND xã, trong giờ hành chính.",
                  "Nơi gửi: Văn phòng UBND xã, trong giờ hành chính."):  # fmt: skip
        doc = structured(
            ARCHIVE_HEAD
            + [
                "I- Về hồ sơ",
                where,
                "Thời hạn: đến hết ngày 30 tháng 12 năm 1997.",
                "II- Tổ chức thực hiện",
                "Giao Văn phòng UBND xã theo dõi./.",
                "T/M UBND XÃ BÌNH AN",
                "CHỦ TỊCH",
                "Lục Văn Tám",
            ]
        )
        assert doc["recipients"] == []
        assert [label for label, _title in section_titles(doc)] == ["I-", "II-"]


def test_a_signer_title_typed_at_the_end_of_a_recipients_row() -> None:
    doc = structured(
        ARCHIVE_HEAD
        + BODY
        + [
            "Nơi nhận: UBND huyện, Phòng Thống kê, Lưu VP. CHỦ TỊCH",
            "(Đã ký)",
            "Lục Văn Tám",
        ]
    )
    assert doc["recipients"] == ["UBND huyện, Phòng Thống kê, Lưu VP."]
    assert (doc["signature"]["title"], doc["signature"]["name"]) == ("CHỦ TỊCH", "Lục Văn Tám")
    doc = structured(
        ARCHIVE_HEAD
        + BODY
        + [
            "Nơi nhận: K/T CHỦ TỊCH UBND XÃ",
            "- Như điều 3 PHÓ CHỦ TỊCH",
            "- Lưu VP. (Đã ký)",
            "",
            "Lương Thị Mai",
        ]
    )
    assert doc["recipients"] == ["Như điều 3", "Lưu VP."]
    assert doc["signature"]["title"] == "PHÓ CHỦ TỊCH"
    # a recipient's own title in capitals stays the recipient's where no authority awaits
    doc = structured(ARCHIVE_HEAD + BODY + [
        "Nơi nhận:", "- Các đồng chí TRƯỞNG THÔN", "- Lưu VP.",
        "TM. UBND XÃ", "CHỦ TỊCH", "Lục Văn Tám",
    ])  # fmt: skip
    assert doc["recipients"] == ["Các đồng chí TRƯỞNG THÔN", "Lưu VP."]
    assert doc["signature"]["title"] == "CHỦ TỊCH"


def test_the_writer_of_a_report_signs_beside_the_confirming_head() -> None:
    doc = structured(
        ARCHIVE_HEAD
        + BODY
        + [
            "XÁC NHẬN CỦA HIỆU TRƯỞNG NGƯỜI VIẾT BÁO CÁO",
            "(ký, đóng dấu) (ký, ghi rõ họ tên)",
            "",
            "Tạ Văn Khoa Bùi Thị Thanh Nga",
        ]
    )
    assert doc["signature"]["title"] == "NGƯỜI VIẾT BÁO CÁO"
    assert doc["signature"]["name"] == "Bùi Thị Thanh Nga"


def test_a_list_attached_after_the_signature_leaves_the_recipients_theirs() -> None:
    doc = structured(
        ARCHIVE_HEAD
        + BODY
        + [
            "Nơi nhận:",
            "- Như Điều 3;",
            "- Lưu: VT.",
            "CHỦ TỊCH",
            "Nguyễn Văn Hùng",
            "DANH SÁCH KHEN THƯỞNG",
            "1. Ông Lục Văn Tám, trưởng thôn Bình An",
            "2. Bà Lương Thị Mai, chi hội trưởng phụ nữ",
        ]
    )
    assert doc["recipients"] == ["Như Điều 3;", "Lưu: VT."]


def test_a_title_opening_with_a_roman_word_is_a_title() -> None:
    doc = structured(
        ARCHIVE_HEAD + ["I- TÌNH HÌNH", "Nội dung.", "II- VI PHẠM VÀ XỬ LÝ", "Nội dung."]
    )
    assert section_titles(doc) == [("I-", "TÌNH HÌNH"), ("II-", "VI PHẠM VÀ XỬ LÝ")]
