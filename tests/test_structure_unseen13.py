"""Structure rules from set 13's misses (tests/data/structure_heldout13, scored once at the
end of the round that wrote it): invented documents in the same shapes."""

from __future__ import annotations

from structure_trees import structured

CLOSING = ["Nơi nhận:", "- Các thôn;", "- Lưu: VT.", "CHỦ TỊCH", "", "Vi Văn Khoa"]


def test_a_chi_cuc_truong_line_under_an_upper_case_subject_is_who_decides():
    head = [
        "CỤC THUẾ TỈNH SUỐI MÂY CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "CHI CỤC THUẾ KHU VỰC BẢN HẠ Độc lập - Tự do - Hạnh phúc",
        "Số: 15/QĐ-CCT Bản Hạ, ngày 4 tháng 3 năm 2027",
        "",
        "QUYẾT ĐỊNH",
        "VỀ VIỆC MIỄN TIỀN CHẬM NỘP CHO CÁC HỘ KINH DOANH",
        "BỊ THIỆT HẠI DO MƯA ĐÁ",
        "CHI CỤC TRƯỞNG CHI CỤC THUẾ KHU VỰC BẢN HẠ",
        "",
        "Căn cứ Luật Quản lý thuế;",
    ]
    doc = structured(head + ["Điều 1. Miễn tiền chậm nộp cho 12 hộ."] + CLOSING)
    assert doc["header"]["subject"] == (
        "VỀ VIỆC MIỄN TIỀN CHẬM NỘP CHO CÁC HỘ KINH DOANH BỊ THIỆT HẠI DO MƯA ĐÁ"
    )


def test_a_regulations_subject_line_before_its_attachment_note_is_the_subjects():
    head = [
        "UBND XÃ BẢN HẠ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TRƯỜNG MẦM NON HOA BAN Độc lập - Tự do - Hạnh phúc",
        "",
        "QUY CHẾ",
        "Làm việc của Tổ chuyên môn nhà trẻ và mẫu giáo",
        "Trường Mầm non Hoa Ban của xã Bản Hạ và các điểm lẻ",
        "(Ban hành kèm theo Quyết định số 12/QĐ-MN ngày 4 tháng 9 năm 2026",
        "của Hiệu trưởng Trường Mầm non Hoa Ban)",
        "",
        "Chương I",
        "QUY ĐỊNH CHUNG",
    ]
    doc = structured(head + ["Điều 1. Phạm vi điều chỉnh", "Quy chế này quy định việc họp tổ."])
    assert doc["header"]["subject"] == (
        "Làm việc của Tổ chuyên môn nhà trẻ và mẫu giáo Trường Mầm non Hoa Ban của xã Bản Hạ"
        " và các điểm lẻ"
    )
