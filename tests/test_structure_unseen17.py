"""Structure rules from set 17's misses (tests/data/structure_heldout17, scored once at the
end of the round that wrote it): invented documents in the same shapes."""

from __future__ import annotations

from structure_trees import section_titles, structured

MINUTES_HEAD = [
    "TRƯỜNG MẦM NON SƠN CA CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 12/BB-MNSC Sơn Ca, ngày 5 tháng 10 năm 2027",
    "BIÊN BẢN",
    "Họp Ban đại diện cha mẹ trẻ em",
]


def test_titles_may_name_a_school_year_or_a_time_of_day() -> None:
    doc = structured(
        MINUTES_HEAD
        + [
            "I. NỘI DUNG",
            "1. Thông qua kế hoạch năm học 2027 - 2028.",
            "Nhà trường có 07 nhóm, lớp với 210 trẻ; mức thu tiền ăn giữ như năm trước.",
            "2. Ý kiến của phụ huynh.",
            "Các phụ huynh thống nhất với kế hoạch.",
            "II. MỨC CHI",
            "a) Trực trưa: 20.000 đồng/người/buổi;",
            "b) Đón trẻ muộn sau 17 giờ 30: 15.000 đồng/người/lần;",
            "c) Trực lễ, Tết: 150.000 đồng/người/ngày.",
        ]
    )
    sections = section_titles(doc)
    assert ("1.", "Thông qua kế hoạch năm học 2027 - 2028") in sections
    assert ("b)", "Đón trẻ muộn sau 17 giờ 30") in sections


def test_two_parties_sign_side_by_side_before_the_recipients() -> None:
    doc = structured(
        [
            "CÔNG AN PHƯỜNG AN LẠC BAN QUẢN LÝ CHỢ AN LẠC",
            "Số: 12/KHPH-CAP",
            "KẾ HOẠCH PHỐI HỢP",
            "Bảo đảm an ninh chợ dịp Tết",
            "1. Công an phường",
            "Bố trí lực lượng tuần tra hằng đêm.",
            "2. Ban Quản lý chợ",
            "Cung cấp danh sách chủ ki-ốt.",
            "Nếu có vướng mắc, hai bên kịp thời trao đổi./.",
            "BAN QUẢN LÝ CHỢ AN LẠC CÔNG AN PHƯỜNG AN LẠC",
            "TRƯỞNG BAN TRƯỞNG CÔNG AN PHƯỜNG",
            "",
            "Đinh Thị Ngọc Hà Vũ Đức Hùng",
            "Nơi nhận:",
            "- Công an quận (để b/c);",
            "- Lưu: CAP, BQLC.",
        ]
    )
    assert doc["signature"]["title"] == "TRƯỞNG CÔNG AN PHƯỜNG"
    assert doc["signature"]["name"] == "Vũ Đức Hùng"
    assert doc["recipients"] == ["Công an quận (để b/c);", "Lưu: CAP, BQLC."]


def test_a_common_qualified_type_is_given_in_its_own_spelling() -> None:
    from ocr_pipeline.structure.header import doc_type_of

    assert doc_type_of("BÁO CÁO THANH TỊCH") == "BÁO CÁO THÀNH TÍCH"  # a scan's slip
    assert doc_type_of("BẢO CAO SƠ KẾT") == "BÁO CÁO SƠ KẾT"
    # a qualifier the list does not hold keeps its letters as printed
    assert doc_type_of("TỜ TRÌNH ĐỀ NGHỊ KHEN THƯỞNG") == "TỜ TRÌNH ĐỀ NGHỊ KHEN THƯỞNG"


def test_a_vv_subject_wrapped_before_the_name_of_a_paper() -> None:
    doc = structured(
        [
            "ỦY BAN NHÂN DÂN XÃ AN PHÚ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 15/UBND-ĐC An Phú, ngày 3 tháng 4 năm 2025",
            "V/v trả lời đơn đề nghị cấp đổi",
            "Giấy chứng nhận quyền sử dụng đất",
            "",
            "Kính gửi: Ông Lê Văn Tâm, thôn Đông.",
            "Ủy ban nhân dân xã nhận được đơn của ông và trả lời như sau.",
        ]
    )
    assert doc["header"]["subject"] == (
        "V/v trả lời đơn đề nghị cấp đổi Giấy chứng nhận quyền sử dụng đất"
    )


def test_one_long_name_is_not_cut_at_a_common_middle_name() -> None:
    from ocr_pipeline.structure.closing import _second_name

    for name in ("Trần Thị Thu Hồng", "Nguyễn Văn Minh Quang", "Lê Thị Kim Thanh Hà"):
        assert _second_name(name) is None, name
    assert _second_name("Đinh Thị Ngọc Hà Vũ Đức Hiển") == "Vũ Đức Hiển"
