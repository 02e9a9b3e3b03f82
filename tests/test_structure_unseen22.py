"""Structure rules from set 22's misses (tests/data/structure_heldout22, scored once at the
start of the round that wrote it): invented documents in the same shapes."""

from __future__ import annotations

from structure_trees import section_titles, structured

DIRECTIVE_HEAD = [
    "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "XÃ TÂN LẬP Độc lập - Tự do - Hạnh phúc",
    "Số: 04/CT-UBND Tân Lập, ngày 3 tháng 6 năm 2027",
    "CHỈ THỊ",
    "Về tăng cường phòng, chống dịch bệnh trên đàn gia súc",
]


def test_points_written_in_small_letters_after_a_colon_are_points() -> None:
    doc = structured(
        DIRECTIVE_HEAD
        + [
            "Chủ tịch Ủy ban nhân dân xã yêu cầu:",
            "1. Trưởng các thôn: tổ chức tuyên truyền đến từng hộ chăn nuôi, cụ thể:",
            "a) vận động các hộ tiêm phòng đủ mũi cho đàn gia súc;",
            "b) không mua bán, vận chuyển gia súc chưa rõ nguồn gốc;",
            "c) báo ngay cho Ủy ban nhân dân xã khi phát hiện gia súc ốm, chết.",
            "2. Cán bộ thú y xã: theo dõi, báo cáo tình hình dịch hằng tuần.",
        ]
    )
    labels = [label for label, _title in section_titles(doc)]
    assert labels == ["1.", "a)", "b)", "c)", "2."]


def test_a_line_opening_with_a_letter_and_bracket_inside_a_sentence_is_text() -> None:
    doc = structured(
        DIRECTIVE_HEAD
        + [
            "1. Các thôn rà soát số hộ chăn nuôi theo mẫu tại phụ lục kèm theo, ghi rõ loại",
            "b) của từng hộ và số con, gửi về xã trước ngày 15 tháng 6 năm 2027.",
            "2. Cán bộ thú y xã theo dõi, báo cáo tình hình dịch hằng tuần.",
        ]
    )
    labels = [label for label, _title in section_titles(doc)]
    assert labels == ["1.", "2."]


def test_a_subject_goes_on_with_a_quoted_name_on_the_next_line() -> None:
    doc = structured(
        [
            "HỘI NÔNG DÂN HUYỆN TÂN LẬP CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 09/TTr-HND Tân Lập, ngày 2 tháng 11 năm 2027",
            "TỜ TRÌNH",
            "Đề nghị khen thưởng các hộ có thành tích trong phong trào",
            "“Nông dân thi đua sản xuất, kinh doanh giỏi, đoàn kết giúp nhau làm giàu và giảm"
            " nghèo bền vững” năm 2027",
            "",
            "Căn cứ kết quả bình xét của các chi hội, Hội Nông dân huyện đề nghị như sau:",
        ]
    )
    assert doc["header"]["subject"] == (
        "Đề nghị khen thưởng các hộ có thành tích trong phong trào"
        " “Nông dân thi đua sản xuất, kinh doanh giỏi, đoàn kết giúp nhau làm giàu và giảm"
        " nghèo bền vững” năm 2027"
    )


def test_the_signers_signed_note_typed_on_a_recipients_row_is_not_the_recipients() -> None:
    doc = structured(
        DIRECTIVE_HEAD
        + [
            "Các thôn nghiêm túc thực hiện Chỉ thị này./.",
            "Nơi nhận: CHỦ TỊCH",
            "- UBND huyện (b/c);",
            "- Trạm Thú y huyện; (Đã ký)",
            "- Lưu: VT.",
            "Hà Văn Sơn",
        ]
    )
    assert doc["recipients"] == ["UBND huyện (b/c);", "Trạm Thú y huyện;", "Lưu: VT."]
    assert doc["signature"]["name"] == "Hà Văn Sơn"
