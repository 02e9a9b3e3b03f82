"""Footnote markers as a typed field (`Word.marker`): written in, lifted out, kept by restore,
read by structure, written by the exporters as superscript digits."""

from __future__ import annotations

import pytest

from ocr_pipeline.footnote_markers import attach, detach
from ocr_pipeline.layout import lift_markers, repair_page
from ocr_pipeline.model import BBox, Document, Line, Page, SourceInfo, Word
from ocr_pipeline.structure import structure_pages, validate


@pytest.mark.parametrize(
    ("text", "number", "written"),
    [
        ("năm", 1, "năm¹"),
        ("năm.", 1, "năm¹."),
        ("định)./.", 7, "định⁷)./."),
        ("2026,", 12, "2026¹²,"),
        ("”", 3, "”³"),
    ],
)
def test_attach_writes_the_marker_before_the_trailing_punctuation(text, number, written):
    assert attach(text, number) == written
    trailing = text[len(text.rstrip(".,;:)]…/")) :]
    assert detach(written) == (text, number, trailing)


@pytest.mark.parametrize(
    ("written", "text", "number", "tail"),
    [
        ("năm¹.", "năm.", 1, "."),
        ("phạt)⁹.", "phạt).", 9, "."),  # printed after the bracket
        ("theo⁷)./.", "theo)./.", 7, ")./."),  # printed before it
        ("năm.¹", "năm.", 1, ""),
        ("tốt¹²", "tốt", 12, ""),
    ],
)
def test_detach_and_attach_with_its_tail_are_inverse(written, text, number, tail):
    assert detach(written) == (text, number, tail)
    assert attach(text, number, tail) == written


@pytest.mark.parametrize(
    "text",
    [
        "km²",  # a unit's exponent, not a marker
        "m³.",
        "năm",  # no marker
        "¹",  # a marker with no word
        "năm⁰¹",  # a leading zero
        "năm¹²³⁴",  # four digits
        "x¹y",  # inside a word
    ],
)
def test_detach_leaves_what_is_no_marker(text):
    assert detach(text) == (text, None, None)


def _word(text: str, x: int, marker: int | None = None) -> Word:
    return Word(text, BBox(x, 100, x + 20 * len(text), 140), 90.0, marker=marker)


def test_marked_text_and_line_text_write_the_marker():
    line = Line([_word("theo", 0), _word("năm.", 100, marker=2)], BBox(0, 100, 200, 140))
    assert line.words[1].text == "năm."
    assert line.words[1].marked_text == "năm²."
    assert line.text == "theo năm²."


def test_lift_moves_written_markers_into_the_field_and_keeps_units():
    words = [_word("năm¹.", 0), _word("km²", 100), _word("phạt)⁹.", 200), _word("tốt", 300)]
    line = Line(words, BBox(0, 100, 400, 140))
    (out,) = lift_markers([line])
    assert [(w.text, w.marker) for w in out.words] == [
        ("năm.", 1), ("km²", None), ("phạt).", 9), ("tốt", None)
    ]  # fmt: skip
    assert out.text == line.text  # written out, nothing changed
    untouched = Line([_word("tốt", 0)], BBox(0, 100, 60, 140))
    assert lift_markers([untouched])[0] is untouched


def test_restore_neither_sees_nor_drops_the_marker():
    from ocr_pipeline.restore import restore_page

    words = [_word(t, 60 * i) for i, t in enumerate("Ket qua thuc hien nam".split())]
    words[-1] = _word("nam.", 240, marker=3)
    page = Page(1, 2480, 3508, 300, [Line(words, BBox(0, 100, 400, 140))])
    out = restore_page(page, channel="vie")
    last = out.lines[0].words[-1]
    assert last.marker == 3
    assert "³" not in last.text and last.marked_text.endswith("³.")
    assert last.ocr_text == "nam³."  # what OCR gave, as written


def test_repair_page_lifts_a_marker_restore_wrote_into_the_text():
    page = Page(1, 2480, 3508, 300, [Line([_word("tdm²,", 0)], BBox(0, 100, 100, 140))])
    out = repair_page(page)
    assert (out.lines[0].words[0].text, out.lines[0].words[0].marker) == ("tdm,", 2)
    clean = Page(1, 2480, 3508, 300, [Line([_word("tốt", 0)], BBox(0, 100, 60, 140))])
    assert repair_page(clean) is clean


BODY = [
    "Ủy ban nhân dân xã đã tổ chức hội nghị triển khai kế hoạch năm với các",
    "thôn và đơn vị trên địa bàn, giao chỉ tiêu cụ thể cho từng bộ phận theo",
    "đúng quy định. Công tác tuyên truyền được thực hiện thường xuyên trên",
    "hệ thống loa truyền thanh và trang thông tin điện tử của xã nhà mình.",
]


def _page(marked: str | None) -> Page:
    """The body (the word `marked` carrying marker 1 as a field) and footnote 1 below it."""
    lines, top = [], 300
    rows = [(t, 40) for t in BODY] + [("1 Theo kế hoạch số 12 của huyện.", 30)]
    for text, height in rows:
        words, x = [], 300
        for w in text.split():
            wd = int(0.5 * height) * len(w)
            marker = 1 if w == marked and height == 40 else None
            words.append(Word(w, BBox(x, top, x + wd, top + height), 95.0, marker=marker))
            x += wd + height // 3
        lines.append(Line(words, BBox(300, top, x, top + height)))
        top += int(height * 1.5)
    return Page(number=1, width=2480, height=3508, dpi=300, lines=lines)


def test_structure_reads_the_marker_field():
    doc = structure_pages([_page("bàn,")])
    validate(doc)
    assert doc["footnotes"][0]["linked"]
    refs = [(r, n["text"]) for n in doc["body"] for r in n.get("footnote_refs", [])]
    ((number, text),) = refs
    assert number == 1 and "trên địa bàn, giao" in text and "¹" not in text


def test_exporters_write_the_marker_as_a_superscript(tmp_path):
    from ocr_pipeline.export.hocr import to_hocr
    from ocr_pipeline.export.text import to_text
    from ocr_pipeline.export.words import to_words_tsv

    page = Page(1, 2480, 3508, 300, [Line([_word("theo", 0), _word("năm.", 100, marker=4)],
                                          BBox(0, 100, 200, 140))])  # fmt: skip
    doc = Document(SourceInfo("x.png", "0" * 64, 1, "image/png"), [page])
    assert to_text(doc) == "theo năm⁴.\n"
    assert "\tnăm⁴.\n" in to_words_tsv(doc)
    assert ">năm⁴.<" in to_hocr(doc)
