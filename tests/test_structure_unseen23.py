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


def test_an_initial_a_subject_mark_and_a_date_are_no_labels() -> None:
    doc = structured(
        ARCHIVE_HEAD
        + [
            "I- Về kinh tế",
            "Đoàn kiểm tra của huyện gồm các ông, bà:",
            "A. Nguyễn Văn Lợi, Phó Chủ tịch UBND huyện;",
            "12/8/1997 đoàn làm việc tại các thôn.",
            "V/V kiểm tra được thông báo trước cho các thôn.",
        ]
    )
    assert [label for label, _title in section_titles(doc)] == ["I-"]


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
    assert doc["signature"]["name"] == "Lục Văn Tám"


def test_a_body_line_opening_with_noi_gui_is_no_recipients_block() -> None:
    doc = structured(
        ARCHIVE_HEAD
        + [
            "I- Về hồ sơ",
            "Nơi gửi hồ sơ: Văn phòng UBND xã, trong giờ hành chính.",
            "Hạn cuối là ngày 30 tháng 12 năm 1997./.",
            "T/M UBND XÃ BÌNH AN",
            "CHỦ TỊCH",
            "Lục Văn Tám",
        ]
    )
    assert doc["recipients"] == []


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
