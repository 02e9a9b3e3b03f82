"""Footnotes in legacy OCR text: bodies over wrapped lines, numbers inside paragraphs,
markers read as lookalikes, marks on a page's own footnotes.

Every text here is invented for the test.
"""

from __future__ import annotations

from test_structure_layout_rules import _doc, _walk  # the same document helpers

from ocr_pipeline.footnote_markers import BODY_START_LOOKALIKE, WILD_MARK

HEAD = [
    "UBND XÃ HÒA AN",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 21/BC-UBND",
    "Hòa An, ngày 3 tháng 9 năm 2025",
    "",
    "BÁO CÁO",
    "Kết quả phong trào thi đua năm 2025",
    "",
    "I. KẾT QUẢ",
]


def _filler(n: int, word: str = "xóm") -> list[str]:
    """`n` wrapped lines of one invented paragraph, no line ending a sentence."""
    return [f"các {word} thứ {i} cùng làm đường giao thông nông thôn, kênh mương" for i in range(n)]


def _texts(doc: dict) -> list[str]:
    return [n["text"] for n in _walk(doc["body"]) if n.get("text")]


# -- a body goes on over its wrapped lines --------------------------------------------------
def test_body_lines_ending_in_semicolons_stay_in_the_body():
    lines = HEAD + ["Phong trào được hưởng ứng rộng khắp trong toàn xã,"] + _filler(18)
    lines += [
        "và trồng mới 12 ha rừng¹. Nhân dân đóng góp ngày công và vật liệu.",
        "",
        "1 Thôn Đông trồng 4 ha; thôn Tây trồng 5 ha;",
        "thôn Nam trồng 2 ha; thôn Bắc trồng 1 ha;",
        "cây giống do hợp tác xã cung cấp.",
        "",
        "II. PHƯƠNG HƯỚNG",
        "Tiếp tục duy trì phong trào trong năm tới.",
    ]
    doc = _doc(lines)
    assert [(f["number"], f["text"], f["linked"]) for f in doc["footnotes"]] == [
        (
            1,
            "Thôn Đông trồng 4 ha; thôn Tây trồng 5 ha; thôn Nam trồng 2 ha; thôn Bắc trồng "
            "1 ha; cây giống do hợp tác xã cung cấp.",
            True,
        )
    ]
    assert not any("thôn Nam trồng" in t for t in _texts(doc))


# -- a number opening a wrapped line is no second body --------------------------------------
def test_wrapped_line_opening_with_a_number_already_read_is_paragraph_text():
    lines = HEAD + ["Phong trào được hưởng ứng rộng khắp trong toàn xã,"] + _filler(18)
    lines += [
        "và trồng mới 12 ha rừng¹. Nhân dân đóng góp ngày công.",
        "",
        "1 Số liệu do ban địa chính xã tổng hợp.",
        "",
        "II. PHƯƠNG HƯỚNG",
    ]
    lines += _filler(14, "tổ")
    lines += [
        "Hội nông dân đã vận động hội viên góp vốn, trong",
        "1 năm qua đã hỗ trợ 20 hộ vay vốn phát triển chăn nuôi.",
    ]
    doc = _doc(lines)
    assert [(f["number"], f["linked"]) for f in doc["footnotes"]] == [(1, True)]
    assert any("trong 1 năm qua đã hỗ trợ 20 hộ" in t for t in _texts(doc))


# -- a raised number read as a symbol opens its body where the sequence calls for it ---------
def test_body_whose_number_was_read_as_a_symbol_is_taken_in_sequence():
    assert BODY_START_LOOKALIKE.match("% Năm nay có 3 hộ")
    assert not BODY_START_LOOKALIKE.match("* Năm nay có 3 hộ")  # a list bullet
    lines = HEAD + ["Phong trào được hưởng ứng rộng khắp trong toàn xã,"] + _filler(18)
    lines += [
        "trồng mới 12 ha rừng¹ và làm 3 km đường bê tông². Nhân dân đóng góp ngày công.",
        "",
        "% Số liệu do ban địa chính xã tổng hợp.",
        "",
        "2 Kể cả đường nội đồng.",
        "",
        "II. PHƯƠNG HƯỚNG",
        "Tiếp tục duy trì phong trào trong năm tới.",
    ]
    doc = _doc(lines)
    assert [(f["number"], f["text"], f["linked"]) for f in doc["footnotes"]] == [
        (1, "Số liệu do ban địa chính xã tổng hợp.", True),
        (2, "Kể cả đường nội đồng.", True),
    ]


# -- a block that cuts a sentence at a page bottom is a footnote block -------------------------
def test_block_between_a_cut_sentence_and_its_continuation_is_a_footnote_whose_marker_was_lost():
    page1 = HEAD + ["Phong trào được hưởng ứng rộng khắp trong toàn xã,"] + _filler(8)
    page1 += [
        "và trồng mới 12 ha rừng. Nhân dân đóng góp",
        "1 Số liệu do ban địa chính xã tổng hợp.",
    ]
    page2 = ["ngày công và vật liệu làm đường.", "", "II. PHƯƠNG HƯỚNG", "Tiếp tục duy trì."]
    doc = _doc(page1 + ["\f" + page2[0]] + page2[1:])
    assert [(f["number"], f["text"], f["linked"]) for f in doc["footnotes"]] == [
        (1, "Số liệu do ban địa chính xã tổng hợp.", False)
    ]
    assert any("đóng góp ngày công và vật liệu" in t for t in _texts(doc))


# -- markers read as lookalikes --------------------------------------------------------------
def test_lookalike_marks_after_an_ellipsis_and_a_capital_s_are_markers():
    assert [m.group(1) for m in WILD_MARK.finditer("các thôn Đông, Tây...’; và")] == ["’"]
    assert [m.group(1) for m in WILD_MARK.finditer("được quan tâmS.")] == ["S"]
    assert not WILD_MARK.search("khẩu hiệu “Đi trước...”.")  # a closing double quote
    assert not WILD_MARK.search("mã số ABS.")  # capitals: an abbreviation
    page1 = HEAD + ["Xã đã làm đường ở các thôn Đông, Tây...’; kè bờ sông được quan tâmS."]
    page1 += ["", "1 Tổng chiều dài 6 km.", "", "2 Kè dài 300 m."]
    doc = _doc(page1 + ["\fII. PHƯƠNG HƯỚNG", "Tiếp tục duy trì."])
    assert [(f["number"], f["linked"]) for f in doc["footnotes"]] == [(1, True), (2, True)]
    assert any("thôn Đông, Tây...; kè bờ sông được quan tâm." in t for t in _texts(doc))


def test_a_mark_after_a_unit_is_its_exponent_not_a_marker():
    page1 = HEAD + ["Diện tích tự nhiên là 12,5km?, dân số 9.000 người; có 6 thôn!."]
    page1 += ["", "1 Theo số liệu thống kê năm 2024."]
    doc = _doc(page1 + ["\fII. PHƯƠNG HƯỚNG", "Tiếp tục duy trì."])
    assert [(f["number"], f["linked"]) for f in doc["footnotes"]] == [(1, True)]
    assert any("12,5km?, dân số" in t and "6 thôn." in t for t in _texts(doc))


# -- marks cite their own page's footnotes ------------------------------------------------------
def test_a_paragraph_across_a_page_break_cites_the_second_pages_footnote():
    # footnote 1's marker was lost on page 1: the "*" on page 2 is not its marker
    page1 = HEAD + ["Xã đã làm 3 km đường bê tông. Phong trào được hưởng ứng rộng khắp"]
    page1 += ["1 Kể cả đường nội đồng."]
    page2 = ["trong toàn xã, trồng mới 12 ha rừng*. Nhân dân đóng góp ngày công."]
    page2 += ["", "2 Số liệu do ban địa chính xã tổng hợp."]
    doc = _doc(page1 + ["\f" + page2[0]] + page2[1:])
    assert [(f["number"], f["linked"]) for f in doc["footnotes"]] == [(1, False), (2, True)]
    refs = [n["footnote_refs"] for n in _walk(doc["body"]) if n.get("footnote_refs")]
    assert refs == [[2]]


def test_a_superscript_on_a_page_after_its_body_does_not_take_the_link():
    page1 = HEAD + ["Xã đã làm 3 km đường bê tông!. Phong trào được hưởng ứng."]
    page1 += ["", "1 Kể cả đường nội đồng."]
    page2 = ["II. PHƯƠNG HƯỚNG", "Phủ¹ sóng điện thoại di động đến các thôn."]
    doc = _doc(page1 + ["\f" + page2[0]] + page2[1:])
    cited = [
        (n["text"][:6], n["footnote_refs"]) for n in _walk(doc["body"]) if n.get("footnote_refs")
    ]
    assert cited == [("Xã đã ", [1])]
