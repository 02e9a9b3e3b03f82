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
