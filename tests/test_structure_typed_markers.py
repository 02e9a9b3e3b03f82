"""The structure stage reads footnote markers from the typed field (`SrcLine.marks`).

OCR pages give it from `Word.marker`; a text input's superscripts are read once where the
text comes in (`footnote_markers.markers_in`). The rules that ask "does a line carry
marker n" read that field, not the line's printed text.
"""

from __future__ import annotations

from ocr_pipeline.footnote_markers import markers_in, take_written
from ocr_pipeline.model import BBox, Line, Page, Word
from ocr_pipeline.structure.document import SrcLine
from ocr_pipeline.structure.footnotes import claimed_markers, split_footnotes
from ocr_pipeline.structure.lines import lines_from_pages, lines_from_text


def test_markers_in_reads_each_word_as_detach_does():
    assert markers_in("vào năm¹. Theo quy định¹²; và phạt)⁹.") == (1, 12, 9)
    assert markers_in("diện tích 12 km² và 3 m³") == ()  # a unit's exponent is no marker
    assert markers_in("¹ Theo kế hoạch") == ()  # a body's opening number is no marker


def test_take_written_takes_only_wanted_numbers_and_keeps_exponents():
    assert take_written("năm¹. Rộng 5 km², thôn³;", {1, 2, 3}.__contains__) == (
        "năm. Rộng 5 km², thôn;",
        [1, 3],
    )
    assert take_written("năm¹.", {2}.__contains__) == ("năm¹.", [])


def test_text_lines_carry_their_markers_typed():
    pages = lines_from_text("Dòng đầu có chú thích¹.\nDòng hai không có.\fTrang hai²;")
    assert [ln.marks for page in pages for ln in page] == [(1,), (), (2,)]
    assert pages[0][0].text == "Dòng đầu có chú thích¹."  # the text stays as printed


def _page(words: list[Word]) -> Page:
    box = words[0].bbox
    for w in words[1:]:
        box = box.union(w.bbox)
    return Page(1, 2480, 3508, 300, lines=[Line(words, box)])


def test_ocr_lines_take_word_marker_and_print_it():
    words = [Word("quy", BBox(0, 0, 60, 40), 95.0),
             Word("định.", BBox(70, 0, 170, 40), 95.0, marker=3, marker_tail=".")]  # fmt: skip
    (line,) = lines_from_pages([_page(words)])[0]
    assert line.marks == (3,)
    assert line.text == "quy định³."


def test_ocr_words_with_a_written_marker_are_read_once_like_the_layout_pass():
    words = [Word("quy", BBox(0, 0, 60, 40), 95.0), Word("định⁴.", BBox(70, 0, 170, 40), 95.0)]
    (line,) = lines_from_pages([_page(words)])[0]
    assert line.marks == (4,)


def test_claimed_markers_read_the_typed_field_not_the_text():
    typed = SrcLine("a line whose marker is only typed", 1, marks=(2,))
    printed_only = SrcLine("a line with a stray superscript² in its text", 1)
    assert claimed_markers([typed], {2: 1}) == {2}
    assert claimed_markers([printed_only], {2: 1}) == set()


def _lines(texts: list[str], marks: dict[int, tuple[int, ...]]) -> list[SrcLine]:
    return [SrcLine(t, 1, marks=marks.get(i, ())) for i, t in enumerate(texts)]


def test_a_footnote_block_is_found_from_a_typed_marker():
    body = [f"Dòng thứ {i} của văn bản nói về kết quả công tác trong năm nay" for i in range(8)]
    note = ["1 Theo báo cáo của các thôn gửi về trong tháng."]
    # the marker of footnote 1 is typed on line 3; the printed text holds no trace of it
    _, found = split_footnotes([_lines(body + note, {3: (1,)})])
    assert [f["number"] for f in found] == [1]
    _, found = split_footnotes([_lines(body + note, {})])
    assert found == []
