"""Footnote blocks on the scan path: lost bodies inside a block, lost markers (layout only).

Synthetic OCR pages (word boxes) like tests/test_structure_markers.py: body text in 40 px
lines at a 60 px pitch, footnote bodies at the page bottom. Plain text (no boxes) keeps
the old rules: consecutive numbers and a marker, a rule or the next number.
"""

from __future__ import annotations

from test_structure_markers import BODY as MARKER_BODY

from ocr_pipeline.model import BBox, Line, Page, Word
from ocr_pipeline.structure import structure_pages, structure_text, validate

BODY = [
    *MARKER_BODY,  # the six lines tests/test_structure_markers.py builds its pages from
    "Kết quả bước đầu cho thấy nhiều thôn đã hoàn thành chỉ tiêu được giao",
    "trước thời hạn, một số thôn còn chậm do thiếu kinh phí và nhân lực.",
]


def _line(text: str, top: int, height: int, left: int = 300) -> Line:
    words, x = [], left
    for w in text.split():
        wd = int(0.5 * height) * len(w)
        words.append(Word(w, BBox(x, top, x + wd, top + height), 95.0))
        x += wd + height // 3
    return Line(words, BBox(left, top, x, top + height))


def _page(
    number: int,
    body: list[str],
    notes: list[str],
    note_height: int = 30,
    note_pitch: int = 40,
    note_top: int | None = None,
) -> Page:
    """Body lines (40 px, pitch 60), then the footnote lines at the bottom."""
    lines, top = [], 300
    for text in body:
        lines.append(_line(text, top, 40))
        top += 60
    top = note_top if note_top is not None else top
    for text in notes:
        lines.append(_line(text, top, note_height))
        top += note_pitch
    return Page(number=number, width=2480, height=3508, dpi=300, lines=lines)


def _numbers(doc: dict) -> list[tuple[int, int]]:
    return [(f["number"], f["page"]) for f in doc["footnotes"]]


def _body_text(doc: dict) -> str:
    out = []

    def walk(nodes: list[dict]) -> None:
        for n in nodes:
            out.append(n.get("title") or n.get("text") or "")
            if n["kind"] == "section":
                walk(n["children"])

    walk(doc["body"])
    return "\n".join(out)


def test_one_lost_body_keeps_later_footnotes_and_the_next_page():
    # markers ¹ ² ³ ⁴ read; body ³ lost by OCR: "4 ..." must not become part of 2, and the
    # next page's block (its marker ⁵ lost too) must still be found
    body1 = list(BODY)
    body1[1] = body1[1].replace("địa bàn,", "địa bàn¹,")
    body1[3] = body1[3].replace("điện tử", "điện tử²")
    body1[5] = body1[5].replace("hằng tuần.", "hằng tuần³.")
    body1[7] = body1[7].replace("nhân lực.", "nhân lực⁴.")
    notes1 = ["1 Theo kế hoạch số 12 của huyện.", "2 Số liệu do các thôn tự báo cáo.",
              "4 Gồm ba thôn vùng cao của xã."]  # fmt: skip
    page2 = _page(2, BODY, ["5 Nguồn kinh phí do ngân sách xã bảo đảm."])
    doc = structure_pages([_page(1, body1, notes1), page2])
    validate(doc)
    assert _numbers(doc) == [(1, 1), (2, 1), (4, 1), (5, 2)]
    texts = {f["number"]: f["text"] for f in doc["footnotes"]}
    assert texts[2] == "Số liệu do các thôn tự báo cáo."  # 4 not glued onto 2
    assert texts[4] == "Gồm ba thôn vùng cao của xã."
    assert "Nguồn kinh phí" not in _body_text(doc)
    linked = {f["number"] for f in doc["footnotes"] if f["linked"]}
    assert {1, 2, 4} <= linked


def test_a_gap_needs_a_clear_body_start():
    # "3 ..." after a line that does not end a sentence is a continuation ("... của
    # 3 thôn"), not footnote 3 after a lost one; the expected next number (2) is not found
    body = list(BODY)
    body[1] = body[1].replace("địa bàn,", "địa bàn¹,")
    notes = ["1 Theo kế hoạch số 12 của huyện, áp dụng cho", "4 thôn vùng cao của xã."]
    doc = structure_pages([_page(1, body, notes)])
    assert _numbers(doc) == [(1, 1)]
    assert doc["footnotes"][0]["text"].endswith("áp dụng cho 4 thôn vùng cao của xã.")


def test_page_with_all_markers_lost_yields_bodies_from_layout():
    # no marker in the text, no rule; the line above the block is a tall signature name
    # (so "smaller than the line above" does not hold): the block is found because its
    # lines sit tighter than the page's body lines and a wide white gap sits above it
    body = [*BODY, "Nguyễn Văn An"]
    notes = ["1 Theo kế hoạch số 12 của huyện.", "2 Số liệu do các thôn tự báo cáo.",
             "3 Gồm ba thôn vùng cao của xã."]  # fmt: skip
    page = _page(1, body, notes, note_height=40, note_pitch=46, note_top=1500)
    page.lines[len(BODY)] = _line("Nguyễn Văn An", 300 + 60 * len(BODY), 40, left=1500)
    doc = structure_pages([page])
    validate(doc)
    assert _numbers(doc) == [(1, 1), (2, 1), (3, 1)]
    assert "Số liệu do các thôn" not in _body_text(doc)


def test_same_layout_numbered_lines_are_no_footnotes():
    # lines starting with a number, set exactly like the body text and right under it,
    # with no marker: body text, not a footnote block
    body = [*BODY, "1 tổ công tác của xã đã kiểm tra các hộ gia đình ở thôn.",
            "2 tổ còn lại báo cáo kết quả vào cuối tuần sau đó."]  # fmt: skip
    doc = structure_pages([_page(1, body, [])])
    assert doc["footnotes"] == []
    assert "2 tổ còn lại" in _body_text(doc)


PLAIN = (
    "Ủy ban nhân dân xã đã tổ chức hội nghị triển khai kế hoạch năm¹ với các thôn.\n"
    "Công tác tuyên truyền được thực hiện thường xuyên² trên hệ thống loa.\n"
    "Các tổ công tác đã đi kiểm tra thực tế tại những hộ gia đình⁴ khó khăn.\n"
    "1 Theo kế hoạch số 12 của huyện.\n"
    "2 Số liệu do các thôn tự báo cáo.\n"
    "4 Gồm ba thôn vùng cao của xã.\n"
    "\f"
    "Kết quả bước đầu cho thấy nhiều thôn đã hoàn thành chỉ tiêu được giao.\n"
    "5 Nguồn kinh phí do ngân sách xã bảo đảm.\n"
)


def test_plain_text_keeps_consecutive_numbers():
    # without boxes nothing tells a lost body from a continuation: as before, "4 ..."
    # continues footnote 2 and page 2's "5 ..." (no marker, not the next number) stays text
    doc = structure_text(PLAIN)
    validate(doc)
    assert _numbers(doc) == [(1, 1), (2, 1)]
    two = doc["footnotes"][1]["text"]
    assert two == "Số liệu do các thôn tự báo cáo. 4 Gồm ba thôn vùng cao của xã."
    assert "5 Nguồn kinh phí" in _body_text(doc)


def test_lookalike_of_a_lost_body_does_not_take_the_next_marker():
    # "gia đình?." is ² read as "?", and body 2 was lost by OCR: the "?" must not be taken
    # as footnote 3's marker, which is glued to a heading title further on ("nhà trọ3")
    body = [BODY[0], "thôn và đơn vị trên địa bàn¹, giao chỉ tiêu cụ thể cho các hộ gia đình?.",
            "2.1.2. Đối với cơ sở kinh doanh, nhà trọ3", *BODY[4:7]]  # fmt: skip
    notes = ["1 Theo kế hoạch số 12 của huyện.", "3 Gồm ba thôn vùng cao của xã."]
    doc = structure_pages([_page(1, body, notes)])
    validate(doc)
    assert [(f["number"], f["linked"]) for f in doc["footnotes"]] == [(1, True), (3, True)]
    heading = [n for n in doc["body"] if n["kind"] == "section"][0]
    assert heading["title"] == "Đối với cơ sở kinh doanh, nhà trọ"
    assert heading.get("footnote_refs") == [3]


def test_lookalike_mark_takes_a_number_after_the_linked_ones():
    from ocr_pipeline.structure.footnotes import extract_markers

    known = {1, 2, 3, 4, 5}
    # markers run in reading order: after ² ³ ⁴ a "°" is ⁵, not the unlinked ¹
    text, refs = extract_markers("tham gia hội chợ trong tỉnh°.", known, {2, 3, 4}, known)
    assert refs == [5] and text == "tham gia hội chợ trong tỉnh."
    # a number with a superscript elsewhere (claimed) is not guessed; guesses are reported
    guessed: set[int] = set()
    _, refs = extract_markers("xã nhà mình°.", known, set(), known, {1}, guessed)
    assert refs == [2] and guessed == {2}
    _, refs = extract_markers("xã nhà mình¹.", known, set(), known, {1}, guessed)
    assert refs == [1] and guessed == {2}


def test_lookalike_after_a_digit_is_a_sure_link_not_a_guess():
    from ocr_pipeline.structure.footnotes import extract_markers

    known, guessed = {1, 2, 3}, set()
    _, refs = extract_markers("đến ngày 15/12/2026? cấy xong", known, {1}, known, set(), guessed)
    assert refs == [2] and guessed == set()  # no sentence ends in "2026?"
    _, refs = extract_markers("trở lên?.", known, {1}, known, set(), guessed)
    assert refs == [2] and guessed == {2}  # after letters "?" may be punctuation


REPORT = [
    "Tổng diện tích gieo trồng vụ Đông Xuân đạt 612,5 ha, bằng 101,3% kế hoạch",
    "năng suất lúa bình quân ước đạt 61,8 tạ/ha, tăng 2,4 tạ/ha so với cùng kỳ.",
    "Thu ngân sách trên địa bàn đạt 3.846 triệu đồng, bằng 57,2% dự toán giao",
    "chi ngân sách bảo đảm đúng quy định, tiết kiệm, hiệu quả và đúng tiến độ.",
    "Công tác giáo dục, y tế, văn hóa, thông tin được duy trì tốt trong năm.",
    "Tỷ lệ học sinh lên lớp đạt trên 98%, tỷ lệ tham gia bảo hiểm y tế đạt 93%.",
]


def _marked_report(notes: list[str]) -> dict:
    """REPORT's page over `notes` in small type, markers 1 and 2 read on "hoạch" and
    "giao" (the ends of its first and third lines), structured."""
    lines = list(_page(1, REPORT, notes).lines)
    for row, marker in ((0, 1), (2, 2)):
        words = list(lines[row].words)
        words[-1] = Word(words[-1].text, words[-1].bbox, 95.0, marker=marker)
        lines[row] = Line(words, lines[row].bbox)
    return structure_pages([Page(1, 2480, 3508, 300, lines)])


def test_a_first_body_whose_raised_number_was_lost_keeps_its_number() -> None:
    """Two bodies at the page's foot: the first one's raised "1" not read at all, the
    second's "²" read "?". Both markers are in the text: the "?" body is the second, and
    the line above it, in the bodies' small type, is the first (the new user's 200-dpi
    report had footnote 2's text under number 1)."""
    doc = _marked_report(["Kế hoạch giao 604,6 ha theo Nghị quyết số 03/NQ-HĐND.",
                          "? Không kể thu tiền sử dụng đất."])  # fmt: skip
    assert [(f["number"], f["text"]) for f in doc["footnotes"]] == [
        (1, "Kế hoạch giao 604,6 ha theo Nghị quyết số 03/NQ-HĐND."),
        (2, "Không kể thu tiền sử dụng đất."),
    ]


def test_a_small_type_line_above_a_full_block_is_no_lost_body() -> None:
    """The block's bodies open "?" (its 1 read as a mark) and "2": none is missing, so
    the small-type source line above them stays the body's."""
    doc = _marked_report(["Nguồn: Chi cục Thống kê huyện Ea Tiêu.",
                          "? Kế hoạch giao 604,6 ha theo Nghị quyết số 03/NQ-HĐND.",
                          "2 Không kể thu tiền sử dụng đất."])  # fmt: skip
    assert [f["number"] for f in doc["footnotes"]] == [1, 2]
    assert doc["footnotes"][0]["text"].startswith("Kế hoạch giao")
