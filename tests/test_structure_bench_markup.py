"""scripts/text_to_markup.py: a bench document typed without blank lines or form feeds is
drawn as a typist prints it (the scan rows of bench_structure measure the rules, not the
converter). Invented text."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from text_to_markup import to_markup  # noqa: E402

TEXT = "\n".join(
    [
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "XÃ AN HÒA Độc lập - Tự do - Hạnh phúc",
        "Số: 12/KH-UBND An Hòa, ngày 03 tháng 3 năm 2026",
        "KẾ HOẠCH",
        "Trồng cây xanh năm 2026",
        "Căn cứ Nghị quyết số 05/NQ-HĐND của Hội đồng nhân dân xã¹;",
        "Ủy ban nhân dân xã ban hành Kế hoạch như sau:",
        "I. MỤC ĐÍCH",
        "1. Mục đích chung",
        "Phủ xanh các tuyến đường liên thôn và khuôn viên trường học.",
        "1 Nghị quyết về nhiệm vụ năm 2026.",
        "2",
        "2. Yêu cầu",
        "Cây trồng đúng thời vụ, chăm sóc sau khi trồng.",
        "Nơi nhận:",
        "- TT HĐND xã;",
        "- Lưu: VT.",
        "CHỦ TỊCH",
        "Lê Văn Hùng",
    ]
)
EXPECTED = {
    "header": {"subject": "Trồng cây xanh năm 2026", "doc_type": "KẾ HOẠCH"},
    "headings": [["I.", 1, "MỤC ĐÍCH"], ["1.", 2, "Mục đích chung"], ["2.", 2, "Yêu cầu"]],
    "footnotes": [{"number": 1}],
    "recipients": ["TT HĐND xã;", "Lưu: VT."],
    "signature": {"authority": None, "title": "CHỦ TỊCH", "name": "Lê Văn Hùng"},
    "furniture": ["2"],
}


def test_document_without_blank_lines_is_drawn_in_its_zones():
    lines = to_markup(TEXT, EXPECTED).splitlines()
    assert lines[:3] == [
        "|ỦY BAN NHÂN DÂN|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|",
        "|XÃ AN HÒA|Độc lập - Tự do - Hạnh phúc|",
        "|Số: 12/KH-UBND|An Hòa, ngày 03 tháng 3 năm 2026|",
    ]
    assert lines[3:5] == ["#+ KẾ HOẠCH", "# Trồng cây xanh năm 2026"]
    body = [ln for ln in lines[5:] if ln and not ln.startswith("|")]
    assert body == [
        "Căn cứ Nghị quyết số 05/NQ-HĐND của Hội đồng nhân dân xã¹;",
        "@ 1 Nghị quyết về nhiệm vụ năm 2026.",  # at the foot of the page that cites it
        "Ủy ban nhân dân xã ban hành Kế hoạch như sau:",
        "* I. MỤC ĐÍCH",
        "* 1. Mục đích chung",
        "Phủ xanh các tuyến đường liên thôn và khuôn viên trường học.",
        "* 2. Yêu cầu",  # the page number "2" alone on its line is gone
        "Cây trồng đúng thời vụ, chăm sóc sau khi trồng.",
    ]
    closing = [ln for ln in lines if ln.startswith("|<~") or ln.startswith("||*")]
    assert closing[:2] == ["|<~ Nơi nhận:|* CHỦ TỊCH|", "|<~ - TT HĐND xã;||"]
    assert closing[-1] == "||* Lê Văn Hùng|"  # under the title, room left for signing


def test_numbered_table_rows_are_drawn_as_rows_not_footnote_bodies():
    text = TEXT.replace(
        "Phủ xanh các tuyến đường liên thôn và khuôn viên trường học.",
        "\n".join(
            [
                "Các thôn nhận cây giống như sau:",
                "TT Thôn Số cây",
                "1 Thôn Nà Lừa 120",
                "2 Thôn Khuổi Mí 95",
                "1 Bảng kê số cây 120 80",
                "Cây giống do Hạt Kiểm lâm cấp.",
            ]
        ),
    )
    lines = to_markup(text, EXPECTED).splitlines()
    assert [ln for ln in lines if ln.startswith("@")] == ["@ 1 Nghị quyết về nhiệm vụ năm 2026."]
    # a row ending in figures ends its paragraph: the sentence under the table is its own
    assert "Cây giống do Hạt Kiểm lâm cấp." in lines


def test_a_header_without_number_or_date_ends_its_rows_at_the_motto():
    text = "\n".join(
        [
            "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "XÃ AN HÒA Độc lập - Tự do - Hạnh phúc",
            "QUY CHẾ",
            "Quản lý nhà văn hóa thôn",
            "(Ban hành kèm theo Quyết định số 20/QĐ-UBND của Ủy ban nhân dân xã)",
            "Điều 1. Phạm vi",
            "Quy chế này áp dụng tại các thôn.",
        ]
    )
    expected = {
        "header": {"subject": "Quản lý nhà văn hóa thôn", "doc_type": "QUY CHẾ"},
        "headings": [["Điều 1.", 1, "Phạm vi"]],
        "footnotes": [],
    }
    lines = to_markup(text, expected).splitlines()
    assert lines[:4] == [
        "|ỦY BAN NHÂN DÂN|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|",
        "|XÃ AN HÒA|Độc lập - Tự do - Hạnh phúc|",
        "#+ QUY CHẾ",
        "# Quản lý nhà văn hóa thôn",
    ]


def test_a_clause_with_its_text_on_the_label_line_ends_at_its_full_stop():
    text = TEXT.replace(
        "Phủ xanh các tuyến đường liên thôn và khuôn viên trường học.",
        "Phủ xanh các tuyến đường liên thôn và khuôn viên trường học.\n"
        "Cây giống do Hạt Kiểm lâm cấp.",
    ).replace("2. Yêu cầu", "2. Yêu cầu: cây trồng đúng thời vụ.\nCác thôn nhận cây tại xã.")
    expected = dict(EXPECTED, headings=[*EXPECTED["headings"][:2], ["2.", 2, "Yêu cầu"]])
    lines = to_markup(text, expected).splitlines()
    assert "* 2. Yêu cầu: cây trồng đúng thời vụ." in lines
    assert "Các thôn nhận cây tại xã." in lines
