"""General rules of the NĐ 30 layout that hold on documents the rules were not tuned on.

Every text here is invented for the test.
"""

from __future__ import annotations

from ocr_pipeline.structure import structure_text, validate

HEAD = [
    "UBND HUYỆN TÂN PHÚ",
    "TRƯỜNG TIỂU HỌC SAO MAI",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 15/BC-THSM",
    "Tân Phú, ngày 12 tháng 5 năm 2025",
]


def _doc(lines: list[str]) -> dict:
    doc = structure_text("\n".join(lines))
    validate(doc)
    return doc


def _walk(nodes):
    for n in nodes:
        yield n
        if n["kind"] == "section":
            yield from _walk(n["children"])


# -- 1. closing cues end any footnote body or list item ------------------------------------
def test_footnote_body_stops_at_noi_nhan_without_blank_line():
    doc = _doc(HEAD + [
        "BÁO CÁO",
        "Kết quả năm học",
        "1. Tình hình chung",
        "Trường có 20 lớp với 600 học sinh¹ và 35 giáo viên.",
        "1 Số liệu đến ngày 30 tháng 4.",
        "Nơi nhận:",
        "- Phòng Giáo dục huyện;",
        "- Lưu: VT.",
        "HIỆU TRƯỞNG",
        "Lê Thị Hoa",
    ])
    assert [f["text"] for f in doc["footnotes"]] == ["Số liệu đến ngày 30 tháng 4."]
    assert doc["footnotes"][0]["linked"]
    assert doc["recipients"][0] == "Phòng Giáo dục huyện;"


def test_footnote_body_stops_at_authority_and_end_mark():
    doc = _doc(HEAD + [
        "TỜ TRÌNH",
        "Về việc sửa chữa phòng học",
        "Nhà trường đề nghị cấp kinh phí sửa chữa² phòng học cũ.",
        "2 Theo biên bản kiểm tra ngày 2 tháng 4.",
        "TM. BAN GIÁM HIỆU",
        "HIỆU TRƯỞNG",
        "Lê Thị Hoa",
    ])
    assert [f["text"] for f in doc["footnotes"]] == ["Theo biên bản kiểm tra ngày 2 tháng 4."]
    assert doc["signature"]["authority"] == "TM. BAN GIÁM HIỆU"
    assert doc["signature"]["name"] == "Lê Thị Hoa"


def test_list_item_does_not_swallow_closing_paragraph_in_blank_line_text():
    doc = _doc(HEAD + [
        "", "BÁO CÁO", "Kết quả trồng cây", "",
        "1. Kết quả", "",
        "- Các thôn trồng được 1.200 cây xanh trên các tuyến đường liên thôn và",
        "khu vực trường học, nhà văn hóa.",
        "Trên đây là báo cáo kết quả trồng cây đầu xuân của nhà trường./.",
        "", "Nơi nhận:", "- Phòng Giáo dục huyện;", "- Lưu: VT.",
    ])
    section = doc["body"][0]
    kinds = [n["kind"] for n in section["children"]]
    assert kinds == ["list_item", "paragraph"]
    assert section["children"][1]["text"].startswith("Trên đây là báo cáo")
