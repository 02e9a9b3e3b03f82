"""Round 28's new user's findings on structure: two footnote bodies after the signature,
the second's raised "²" read as "?", had made one footnote numbered 1 holding the
second's text, the first's text lost. Invented documents."""

from __future__ import annotations

from structure_trees import structured


def test_a_lookalike_mark_under_a_numbered_body_is_the_next_footnote() -> None:
    doc = structured([
        "SỞ Y TẾ TỈNH BẮC LÃM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Số: 86/KH-SYT Bắc Lãm, ngày 03 tháng 4 năm 2025",
        "KẾ HOẠCH", "Phòng, chống bệnh sốt xuất huyết năm 2025",
        "Thực hiện Kế hoạch số 152/KH-UBND của Ủy ban nhân dân tỉnh¹, Sở Y tế xây dựng"
        " kế hoạch như sau:",
        "I. MỤC ĐÍCH", "Giảm số mắc sốt xuất huyết.", "II. NỘI DUNG",
        "Trung tâm Kiểm soát bệnh tật giám sát tại 12 xã trọng điểm².",
        "Nơi nhận: KT. GIÁM ĐỐC", "- UBND tỉnh; PHÓ GIÁM ĐỐC",
        "- Lưu: VT, NVY. Lương Thị Hải Yến",
        "1 Kế hoạch số 152/KH-UBND ngày 20/02/2025 về phòng, chống dịch bệnh năm 2025.",
        "? Danh sách tại Phụ lục kèm theo Kế hoạch này.",
    ])  # fmt: skip
    found = [(f["number"], f["text"][:22], f["linked"]) for f in doc["footnotes"]]
    assert found == [(1, "Kế hoạch số 152/KH-UBN", True), (2, "Danh sách tại Phụ lục ", True)]


def test_a_speckled_office_scans_header_and_signer_title_are_read() -> None:
    """A 1-bit 200-dpi scan's header as Tesseract reads it: the motto's "do" read "de-", the
    month's digit twice, a speck before "V/v"; a speck before and after the signer's title.
    Every header field had come out empty."""
    doc = structured([
        "CỤC THUẾ TỈNH BẮC LÃM -_ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "CHI CỤC THUẾ KHU VỰC SÔNG HÀN Độc lập - Tự de- Hạnh phúc",
        "Số: 732/CCT-KK Sông Hàn, ngày 05 tháng 6 6 năm 2025",
        ".V/v nộp hồ sơ khai thuế quý II năm 2025", "Kính gửi: Công ty TNHH Phát Đạt.",
        "Chi cục Thuế đề nghị Công ty nộp hồ sơ trước ngày 20 tháng 6 năm 2025.",
        "Nơi nhận: - CHI CỤC TRƯỞNG ˆ", "- Như trên;", "- Lưu: VT, KK.", "Hoàng Đức Thịnh",
    ])  # fmt: skip
    header = doc["header"]
    assert header["motto"] == "Độc lập - Tự do - Hạnh phúc"
    assert (header["number"], header["date"]) == ("732/CCT-KK", "2025-06-05")
    assert header["subject"] == "V/v nộp hồ sơ khai thuế quý II năm 2025"
    assert header["doc_type"] == "CÔNG VĂN"
    assert doc["signature"]["title"] == "CHI CỤC TRƯỞNG"


def test_a_month_read_in_two_digits_is_the_month_it_can_be() -> None:
    from ocr_pipeline.structure.header import parse_date

    assert parse_date("Hà Nội, ngày 05 tháng 1 2 năm 2025") == "2025-12-05"
    assert parse_date("Hà Nội, ngày 05 tháng 6 6 năm 2025") == "2025-06-05"
    assert parse_date("Hà Nội, ngày 05 tháng 3 năm 2025") == "2025-03-05"


def test_a_speckled_two_column_signature_row_signs_twice() -> None:
    """A minutes' two signers on a 1-bit scan, specks read between the columns: "THƯ KÝ -
    CHỦ TRÌ:" over "Nguyễn ... : Phạm ...". Both signatures had been lost."""
    doc = structured([
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "XÃ THANH LÃM Độc lập - Tự do - Hạnh phúc",
        "Số: 15/BB-UBND Thanh Lãm, ngày 28 tháng 10 năm 2025", "BIÊN BẢN HỌP DÂN",
        "Về việc mở rộng đường liên thôn", "I. THÀNH PHẦN", "Đại diện các hộ dân thôn Đông.",
        "II. KẾT LUẬN", "Hội nghị thống nhất phương án mở rộng đường.",
        "THƯ KÝ - CHỦ TRÌ:", "Nguyễn Hữu Tình : Phạm Văn Quyết",
    ])  # fmt: skip
    assert {k: doc["signature"][k] for k in ("title", "name")} == {
        "title": "CHỦ TRÌ", "name": "Phạm Văn Quyết"
    }  # fmt: skip
    assert [(o["title"], o["name"]) for o in doc["other_signatures"]] == [
        ("THƯ KÝ", "Nguyễn Hữu Tình")
    ]
