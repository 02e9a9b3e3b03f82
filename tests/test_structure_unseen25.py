"""Structure rules from set 25's misses (tests/data/structure_heldout25, scored once at the
start of the round that wrote it): invented documents in the same shapes, typewritten in
the 1970s-1990s and issued by the mass organisations and the province since."""

from __future__ import annotations

from structure_trees import section_titles, structured, walk

from ocr_pipeline.structure.labels import parse_label
from ocr_pipeline.structure.text import unspaced_letters


def _levels(doc: dict) -> list[tuple[str, int]]:
    return [(n["label"], n["level"]) for n in walk(doc["body"]) if n["kind"] == "section"]


def test_labels_closed_with_a_period_and_a_dash() -> None:
    roman = parse_label("II.- KẾT QUẢ THỰC HIỆN")
    assert roman is not None and (roman.kind, roman.text, roman.rest) == (
        "roman", "II.-", "KẾT QUẢ THỰC HIỆN",
    )  # fmt: skip
    arabic = parse_label("3.- Công tác thủy lợi:")
    assert arabic is not None and (arabic.kind, arabic.text) == ("arabic", "3.-")
    assert parse_label("1.-2 triệu đồng mỗi hộ") is None  # a range, not a label


def test_a_typewritten_report_with_spaced_title_and_dashed_labels() -> None:
    doc = structured(
        [
            "UBND XÃ HÒA MẬU CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
            "HỢP TÁC XÃ MÂY TRE ---------------------------",
            "Số 07/BC-HTX -----oOo-----",
            "Hòa Mậu, 14/3/1986",
            "",
            "B Á O  C Á O  T Ổ N G  K Ế T",
            "Hoạt động sản xuất năm 1985",
            "________________",
            "",
            "I.- TÌNH HÌNH CHUNG:",
            "Hợp tác xã có 212 xã viên, chia làm 6 tổ sản xuất.",
            "II.- KẾT QUẢ SẢN XUẤT:",
            "1.- Hàng mây tre xuất khẩu:",
            "Giao nộp 14.000 sản phẩm, đạt 105% kế hoạch.",
            "2.- Hàng tiêu dùng:",
            "Bán ra 9.200 sản phẩm.",
        ]
    )
    header = doc["header"]
    assert header["motto"] == "Độc lập - Tự do - Hạnh phúc"  # on the title's line
    assert header["number"] == "07/BC-HTX"  # the ornament beside it is no part of it
    assert (header["place"], header["date"]) == ("Hòa Mậu", "1986-03-14")  # no "ngày"
    assert header["doc_type"] == "BÁO CÁO TỔNG KẾT"
    assert header["subject"] == "Hoạt động sản xuất năm 1985"
    assert _levels(doc) == [("I.-", 1), ("II.-", 1), ("1.-", 2), ("2.-", 2)]
    titles = [title for _, title in section_titles(doc)]
    assert titles[:2] == ["TÌNH HÌNH CHUNG", "KẾT QUẢ SẢN XUẤT"]


def test_spaced_letters_are_read_as_words_only_in_a_title() -> None:
    assert unspaced_letters("Q U Y Ế T  Đ Ị N H :") == "QUYẾT ĐỊNH:"
    assert unspaced_letters("T Ờ  T R Ì N H") == "TỜ TRÌNH"
    for line in ("A B C", "a b c d", "1 2 3 4", "QUYẾT ĐỊNH", "Điều 1. Nay quyết định"):
        assert unspaced_letters(line) is None


def test_a_type_and_its_subject_on_one_line_and_party_types() -> None:
    doc = structured(
        [
            "ỦY BAN NHÂN DÂN TỈNH BẮC TRÀ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 04/CT-UBND Tân Trà, ngày 6 tháng 5 năm 2025",
            "",
            "CHỈ THỊ VỀ VIỆC PHÒNG, CHỐNG CHÁY RỪNG",
            "MÙA KHÔ NĂM 2025",
            "",
            "Mùa khô năm nay dự báo kéo dài, nguy cơ cháy rừng ở mức cao.",
        ]
    )
    assert doc["header"]["doc_type"] == "CHỈ THỊ"
    assert doc["header"]["subject"] == "VỀ VIỆC PHÒNG, CHỐNG CHÁY RỪNG MÙA KHÔ NĂM 2025"
    doc = structured(
        [
            "BCH ĐOÀN HUYỆN MỸ TRÀ ĐOÀN TNCS HỒ CHÍ MINH",
            "BCH ĐOÀN XÃ NA HÀO",
            "***",
            "Số: 09-KL/ĐTN Na Hào, ngày 2 tháng 4 năm 2025",
            "",
            "KẾT LUẬN",
            "của Ban Thường vụ Đoàn xã về công tác quý I năm 2025",
            "",
            "Ngày 30 tháng 3 năm 2025, Ban Thường vụ Đoàn xã họp giao ban.",
        ]
    )
    assert doc["header"]["doc_type"] == "KẾT LUẬN"
    assert doc["header"]["subject"] == "của Ban Thường vụ Đoàn xã về công tác quý I năm 2025"
