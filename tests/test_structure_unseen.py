"""Layout rules from documents the rules were not written on (issue 18, round 13): titles
of list points read alike, the last item of an enumeration, form fields, two signature
columns on one row.

Every text here is invented for the test.
"""

from __future__ import annotations

from ocr_pipeline.structure import structure_text, validate
from ocr_pipeline.structure.closing import parse_closing
from ocr_pipeline.structure.document import SrcLine
from ocr_pipeline.structure.sections import has_sentence_break

HEAD = [
    "UBND XÃ SUỐI LAM",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 41/KH-UBND",
    "Suối Lam, ngày 3 tháng 4 năm 2026",
    "KẾ HOẠCH",
    "Tổ chức ngày hội đọc sách",
]
CLOSING = ["Nơi nhận:", "- Các thôn;", "- Lưu: VT.", "CHỦ TỊCH", "Mai Văn Tùng"]


def _doc(body: list[str]) -> dict:
    doc = structure_text("\n".join(HEAD + body + CLOSING))
    validate(doc)
    return doc


def _sections(nodes):
    for n in nodes:
        if n["kind"] == "section":
            yield n
            yield from _sections(n["children"])


def _titles(doc: dict) -> dict[str, str | None]:
    return {n["label"]: n["title"] for n in _sections(doc["body"])}


def test_a_sentence_then_a_lead_in_is_text_not_a_title():
    doc = _doc(
        [
            "1. Chuẩn bị sách và không gian đọc tại nhà văn hóa các thôn, bản.",
            "2. Thống kê số sách hiện có theo từng loại. Các loại sách cần thống kê",
            "gồm:",
            "- Sách thiếu nhi;",
            "- Sách kỹ thuật nông nghiệp.",
        ]
    )
    assert _titles(doc)["2."] is None
    second = next(n for n in _sections(doc["body"]) if n["label"] == "2.")
    assert second["children"][0]["text"].startswith("Thống kê số sách")


def test_phrase_before_the_first_colon_is_the_title_when_the_text_ends_with_one():
    doc = _doc(
        [
            "1. Kinh phí dự kiến: 12 triệu đồng, gồm các khoản sau:",
            "a) Mua sách: 8 triệu đồng;",
            "b) Trang trí: 4 triệu đồng.",
        ]
    )
    assert _titles(doc)["1."] == "Kinh phí dự kiến"


def test_a_lead_in_ending_with_sau_is_text_for_any_label():
    doc = _doc(
        [
            "1. Bổ sung đầu sách cho các thư viện sau:",
            "a) Thư viện thôn Nà Lay;",
            "b) Thư viện bản Huổi Cang.",
        ]
    )
    assert _titles(doc)["1."] is None


def test_points_printed_alike_all_take_the_phrase_before_the_colon():
    doc = _doc(
        [
            "1. Phân công",
            "a) Đoàn thanh niên: trang trí khu vực đọc sách và đón tiếp khách.",
            "b) Hội Phụ nữ: chuẩn bị góc đọc cho trẻ em.",
            "c) Trường mầm non xã Suối Lam: đưa các cháu đến dự.",
        ]
    )
    titles = _titles(doc)
    assert (titles["a)"], titles["b)"], titles["c)"]) == (
        "Đoàn thanh niên",
        "Hội Phụ nữ",
        "Trường mầm non xã Suối Lam",
    )
    # a lone point with a colon keeps its text
    lone = _doc(
        [
            "1. Phân công",
            "a) Rà soát sách cũ tại các thôn, lập danh sách sách hư hỏng;",
            "b) Phân loại sách theo nhóm: thiếu nhi, nông nghiệp, pháp luật.",
        ]
    )
    assert _titles(lone)["b)"] is None


def test_one_line_titles_ending_with_a_period_are_read_alike():
    doc = _doc(
        [
            "1. Các tiêu chí đánh giá",
            "1.1. Số lượt người đọc.",
            "1.2. Số đầu sách mới được các thôn trong xã bổ sung thêm trong năm.",
            "1.3. Số buổi đọc.",
            "1.4. Mức độ hài lòng.",
        ]
    )
    titles = _titles(doc)
    assert titles["1.2."] == "Số đầu sách mới được các thôn trong xã bổ sung thêm trong năm"
    assert titles["1.1."] == "Số lượt người đọc"


def test_last_item_of_an_enumeration_is_not_a_title():
    doc = _doc(
        [
            "I. BAN TỔ CHỨC",
            "1. Ông Mai Văn Tùng, Chủ tịch, Trưởng ban;",
            "2. Bà Hà Thị Lan, công chức văn hóa, thành viên.",
            "II. THỜI GIAN",
        ]
    )
    assert _titles(doc)["2."] is None


def test_a_dash_list_ends_at_its_item_ending_with_a_full_stop():
    doc = _doc(
        [
            "Các thôn chuẩn bị:",
            "- Bàn ghế cho người đọc;",
            "- Giá sách và ánh sáng đủ cho buổi tối.",
            "Văn phòng xã tổng hợp kết quả sau ngày hội và báo cáo Chủ tịch xã.",
        ]
    )
    kinds = [(n["kind"], n["text"][:10]) for n in doc["body"]]
    assert kinds[-1] == ("paragraph", "Văn phòng ")
    assert doc["body"][-2]["text"].endswith("buổi tối.")


def test_a_form_field_line_of_dots_ends_its_block():
    doc = _doc(
        [
            "Ủy ban nhân dân xã trân trọng kính mời:",
            "Ông (bà): ..........................................................",
            "Đến dự ngày hội đọc sách tại nhà văn hóa xã vào sáng thứ Bảy tuần này.",
        ]
    )
    texts = [n["text"] for n in doc["body"]]
    assert texts[-1].startswith("Đến dự ngày hội")


def test_sentence_break_is_not_an_abbreviation():
    assert has_sentence_break("kèm theo. Các mục gồm")
    assert not has_sentence_break("tại TP. Hà Nội")


def _plain(lines: list[str]) -> list[SrcLine]:
    return [SrcLine(t, 1) for t in lines]


def test_two_names_on_one_row_split_before_a_middle_name():
    _, sig = parse_closing(
        _plain(["THƯ KÝ                      CHỦ TRÌ", "Lèo Thị Sen          Khà Văn Pấu"])
    )
    assert sig is not None and sig["name"] == "Khà Văn Pấu"


def test_authority_beside_a_bare_title_is_two_columns():
    _, sig = parse_closing(
        _plain(
            [
                "TM. BAN CHẤP HÀNH ĐOÀN XÃ          HIỆU TRƯỞNG",
                "BÍ THƯ",
                "Sầm Văn Khoa                Giàng Thị Mỷ",
            ]
        )
    )
    assert sig is not None and sig["name"] == "Giàng Thị Mỷ"
    assert sig["authority"] == "TM. BAN CHẤP HÀNH ĐOÀN XÃ"
    # an authority with its own title stays one line
    _, sig = parse_closing(_plain(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Mai Văn Tùng"]))
    assert sig is not None and sig["authority"] == "KT. CHỦ TỊCH"
