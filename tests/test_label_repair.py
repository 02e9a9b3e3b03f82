"""Tests for the layout pass's label repairs: specks and label glyphs read from word boxes."""

from __future__ import annotations

from ocr_pipeline.label_repair import (
    drop_specks,
    period_label_from_box,
    repair_labels,
    roman_from_width,
    strip_glued_speck,
)
from ocr_pipeline.layout import repair_page
from ocr_pipeline.model import BBox, Line, Page, Word


def _label(text: str, width: int, height: int, rest: str = "TỔ CHỨC THỰC HIỆN") -> str:
    words = [Word(text, BBox(100, 500, 100 + width, 500 + height), 90.0)]
    words += [Word(w, BBox(300 + 200 * i, 500, 480 + 200 * i, 540), 90.0)
              for i, w in enumerate(rest.split())]  # fmt: skip
    if text in ("Phần", "Chương"):
        words = [
            Word(text, BBox(100, 500, 220, 540), 90.0),
            Word(rest, BBox(240, 500, 240 + width, 500 + height), 90.0),
        ]
    return roman_from_width(words)[0 if text not in ("Phần", "Chương") else 1].text


def test_bold_roman_label_count_from_box_width():
    assert _label("II.", 72, 36) == "III."  # three I's wide, read as two
    assert _label("I.", 51, 36) == "II."
    assert _label("HH.", 73, 39) == "III."
    assert _label("Phần", 58, 38, rest="II") == "III"
    assert _label("Phần", 16, 38, rest="I") == "I"
    assert _label("III.", 72, 36) == "III."
    # a bold label over a mixed-case title is counted too ("III. Phương hướng ...")
    assert _label("II.", 72, 36, rest="Phương hướng nhiệm vụ") == "III."


def test_an_older_documents_hyphen_and_slash_labels_are_counted_from_their_width():
    # set 23's renders: Tesseract read "II-" as "I-", "III-" as "II-", "II/" as "H/"
    assert _label("I-", 56, 35) == "II-"
    assert _label("II-", 77, 35) == "III-"
    assert _label("HI-", 77, 35) == "III-"
    assert _label("I-", 35, 35) == "I-"
    assert _label("H/", 55, 37) == "II/"
    assert _label("I-", 56, 35, rest="Về văn hóa - xã hội") == "II-"


def test_roman_label_width_rule_leaves_other_cases():
    assert _label("1.", 72, 36) == "1."  # arabic digits are not re-counted
    assert _label("II.", 63, 36) == "II."  # regular (not bold) type: no clear fit
    assert _label("II", 72, 36, rest="Tổ chức thực hiện") == "II"  # no label: no dot
    assert _label("II.", 72, 36, rest="tổ chức thực hiện") == "II."  # prose, not a title
    assert _label("IV.", 72, 36) == "IV."


def _line(label_bottom: int, next_word: str = "Công") -> list[Word]:
    words = [Word("1,", BBox(100, 462, 130, label_bottom), 90.0)]
    for i, w in enumerate([next_word, "tác", "lãnh", "đạo"]):
        words.append(Word(w, BBox(150 + 120 * i, 460, 250 + 120 * i, 500), 90.0))
    return words


def test_comma_label_on_the_baseline_is_a_period():
    assert period_label_from_box(_line(500))[0].text == "1."  # no tail below the baseline
    assert period_label_from_box(_line(511))[0].text == "1,"  # a real comma descends
    assert period_label_from_box(_line(500, "công"))[0].text == "1,"  # prose continues


def _words(*items: tuple[str, int, int, float]) -> list[Word]:
    """(text, left, right, confidence) on one 40 px high row."""
    return [Word(t, BBox(left, 500, right, 540), c) for t, left, right, c in items]


def test_specks_at_the_edges_are_dropped_and_labels_kept():
    far_colon = _words((":", 100, 110, 80.0), ("Phần", 300, 400, 95.0), ("I", 420, 440, 95.0))
    assert [w.text for w in drop_specks(far_colon)] == ["Phần", "I"]
    blurred = _words(("g)", 100, 140, 25.0), ("Lĩnh", 160, 260, 95.0), ("vực", 280, 360, 95.0))
    assert [w.text for w in drop_specks(blurred)] == ["g)", "Lĩnh", "vực"]
    dash = _words(("-", 100, 120, 40.0), ("Tăng", 140, 240, 95.0), ("cường", 260, 380, 95.0))
    assert [w.text for w in drop_specks(dash)] == ["-", "Tăng", "cường"]
    glued = _words(("_Phần", 100, 220, 90.0), ("II", 240, 280, 90.0))
    assert [w.text for w in strip_glued_speck(glued)] == ["Phần", "II"]
    point = _words(("_2)", 100, 160, 90.0), ("Phòng", 180, 300, 90.0))  # a typewriter's point
    assert [w.text for w in strip_glued_speck(point)] == ["2)", "Phòng"]


def test_a_flat_unsure_word_opening_a_line_is_dirt():
    flat = Word("my", BBox(100, 528, 130, 537), 0.0)  # 9 px high beside 40 px letters
    line = [flat, *_words(("Mục", 150, 230, 93.0), ("2", 245, 265, 95.0))]
    assert [w.text for w in drop_specks(line)] == ["Mục", "2"]
    sure = Word("my", BBox(100, 528, 130, 537), 80.0)  # Tesseract sure of it: kept
    assert [w.text for w in drop_specks([sure, *line[1:]])] == ["my", "Mục", "2"]
    short = Word("a)", BBox(100, 505, 130, 540), 20.0)  # as high as the line: a label
    assert drop_specks([short, *line[1:]])[0].text == "a)"


def test_repair_labels_drops_speck_lines_and_shrinks_boxes():
    speck = Line(_words((":", 100, 110, 20.0)), BBox(100, 500, 110, 540))
    words = _words((":", 100, 110, 80.0), ("Phần", 300, 400, 95.0), ("II", 420, 460, 95.0))
    heading = Line(words, BBox(100, 500, 460, 540))
    clean = Line(
        _words(("Hội", 100, 180, 95.0), ("nghị", 200, 300, 95.0)), BBox(100, 600, 300, 640)
    )
    out = repair_labels([speck, heading, clean])
    assert [ln.text for ln in out] == ["Phần II", "Hội nghị"]
    assert out[0].bbox == BBox(300, 500, 460, 540)
    assert out[1] is clean


def test_layout_pass_repairs_a_label_on_a_page():
    # a bold "III." read as "II." (its box is three I's wide) before an upper-case title,
    # and "2," on the baseline: the page the outputs and structure get carries "III." / "2."
    title = [Word("II.", BBox(300, 500, 372, 536), 88.0)]
    title += [Word(w, BBox(400 + 200 * i, 500, 580 + 200 * i, 540), 92.0)
              for i, w in enumerate("KẾT QUẢ ĐẠT ĐƯỢC".split())]  # fmt: skip
    item = [Word("2,", BBox(300, 602, 330, 640), 90.0)]
    item += [Word(w, BBox(350 + 120 * i, 600, 450 + 120 * i, 640), 93.0)
             for i, w in enumerate("Về xây dựng đường".split())]  # fmt: skip
    lines = [Line(title, BBox(300, 500, 1180, 540)), Line(item, BBox(300, 600, 810, 640))]
    page = Page(number=1, width=2480, height=3508, dpi=300, lines=lines)
    out = repair_page(page)
    assert [ln.text for ln in out.lines] == ["III. KẾT QUẢ ĐẠT ĐƯỢC", "2. Về xây dựng đường"]
    assert [ln.text for ln in page.lines] == ["II. KẾT QUẢ ĐẠT ĐƯỢC", "2, Về xây dựng đường"]


def test_a_typewriters_roman_label_read_unsure_is_kept() -> None:
    # "I.-" read "I-" at confidence 28 before a title in capitals: a label, not a speck
    words = [
        Word("I-", BBox(506, 858, 555, 894), 28.31),
        Word("SƠ", BBox(573, 854, 643, 894), 93.28),
        Word("LƯỢC", BBox(657, 854, 812, 904), 88.31),
    ]
    assert [w.text for w in drop_specks(words)] == ["I-", "SƠ", "LƯỢC"]


def _typed_line(top: int, texts: list[str], pitch: int = 26) -> Line:
    """A line of a typewritten page: each word's ink spans its letters' cells but 0.4."""
    words, x = [], 100
    for t in texts:
        width = round((len(t) - 0.4) * pitch)
        words.append(Word(t, BBox(x, top, x + width, top + 34), 90.0))
        x += width + pitch
    return Line(words=words, bbox=BBox(100, top, x, top + 34))


def test_a_typewritten_pages_roman_labels_are_counted_in_letter_cells() -> None:
    body = [_typed_line(200 + 50 * k, "Ban quản trị khoán sản phẩm đến hộ xã viên".split())
            for k in range(4)]  # fmt: skip
    headings = [_typed_line(600, ["I.", "TÌNH", "HÌNH", "SẢN", "XUẤT"]),
                _typed_line(700, ["II,", "CÔNG", "TÁC", "QUẢN", "LÝ"]),
                _typed_line(800, ["III.", "PHƯƠNG", "HƯỚNG"])]  # fmt: skip
    out = repair_labels(body + headings)
    assert [ln.words[0].text for ln in out[-3:]] == ["I.", "II.", "III."]
