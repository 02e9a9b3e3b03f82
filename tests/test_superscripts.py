"""Tests for ocr_pipeline.superscripts: raised footnote digits found in the image, not guessed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ocr_pipeline import superscripts as sup
from ocr_pipeline.model import BBox, Line, Word

FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
SIZE = 50  # px, about 12 pt at 300 dpi
pytestmark = pytest.mark.skipif(not FONT.is_file(), reason="Liberation Serif not installed")


def render(pieces: list[tuple]) -> tuple[np.ndarray, Line]:
    """One line of words, each optionally followed by a raised digit at 60 % size and then
    by punctuation in the same word ((text, digit, after) pieces).

    Returns the grey page and the Line with the word boxes an OCR engine would give
    (the raised digit inside its word's box, as Tesseract boxes it).
    """
    font = ImageFont.truetype(str(FONT), SIZE)
    small = ImageFont.truetype(str(FONT), round(SIZE * 0.6))
    img = Image.new("L", (60 + 60 * sum(len("".join(p[::2])) + 2 for p in pieces), 200), 255)
    draw = ImageDraw.Draw(img)
    base, x = 120, 40
    cap = draw.textbbox((0, base), "H", font=font, anchor="ls")[1]  # cap line
    words = []
    for text, digit, *rest in pieces:
        left, top, right, bottom = draw.textbbox((x, base), text, font=font, anchor="ls")
        draw.text((x, base), text, font=font, fill=0, anchor="ls")
        x = right
        if digit is not None:
            # digit top on the cap line: its baseline goes up by (digit height) from there
            d_top = draw.textbbox((0, 0), digit, font=small, anchor="ls")[1]
            dbase = cap - d_top
            d = draw.textbbox((x + 2, dbase), digit, font=small, anchor="ls")
            draw.text((x + 2, dbase), digit, font=small, fill=0, anchor="ls")
            right, top = d[2], min(top, d[1])
            x = right
        for after in rest:  # punctuation after the digit, in the same word ("theo⁷)./.")
            a = draw.textbbox((x + 2, base), after, font=font, anchor="ls")
            draw.text((x + 2, base), after, font=font, fill=0, anchor="ls")
            right, top, bottom, x = a[2], min(top, a[1]), max(bottom, a[3]), a[2]
            text += after
        words.append(Word(text, BBox(left, top, right, bottom), 90.0))
        x += round(SIZE * 0.3)
    box = words[0].bbox
    for w in words[1:]:
        box = box.union(w.bbox)
    # a little blur, as a scan has
    return np.asarray(img.filter(ImageFilter.GaussianBlur(0.6))).copy(), Line(words, box)


def candidates_after(pieces):
    grey, line = render(pieces)
    found = sup.find_candidates(sup.binarize(grey), [line])
    return [line.words[c.word].text for c in found], grey, line


# --------------------------------------------------------------------------- geometry
def test_raised_digit_after_a_word_is_a_candidate():
    words, _, _ = candidates_after([("Kết", None), ("quả", None), ("năm", "1"), ("nay", None)])
    assert words == ["năm"]


def test_marker_before_a_bracket_and_the_end_mark_is_a_candidate():
    # the "/" of "./." stands on the baseline like a letter, but not right after the digit
    words, _, _ = candidates_after([("kèm", None), ("theo", "7", ")./.")])
    assert words == ["theo)./."]


def test_tone_marked_capitals_and_diacritics_are_not_candidates():
    pieces = [("ĐỀ", None), ("ÁN", None), ("Ủy", None), ("ban", None), ("thủy", None),
              ("lợi", None), ("Mỹ", None), ("hòa", None), ("ẩm", None)]  # fmt: skip
    words, _, _ = candidates_after(pieces)
    assert words == []


def test_closing_quote_and_plain_number_are_not_candidates():
    words, _, _ = candidates_after([("“Nông", None), ("thôn", None), ("mới”", None),
                                     ("năm", None), ("2026", None), ("đạt", None)])  # fmt: skip
    assert words == []


def test_digit_level_with_the_text_is_not_a_candidate():
    # "năm1": a full-size digit glued to the word is plain text, not a raised marker
    words, _, _ = candidates_after([("năm1", None), ("tốt", None)])
    assert words == []


# --------------------------------------------------------------------------- writing
@pytest.mark.parametrize(
    "text,digits,glyphs,want",
    [
        ("năm", "1", 3, "năm¹"),
        ("minh!.", "1", 4, "minh¹."),
        ("viên?,", "2", 4, "viên²,"),
        ("đồng”;", "7", 4, "đồng⁷;"),
        ("trước3.", "3", 5, "trước³."),
        ("đồng3;", "8", 4, "đồng⁸;"),  # Tesseract's flat reading of the blob is replaced
        ("20261", "1", 0, "2026¹"),
        ("11/3/20265", "6", 0, "11/3/2026⁶"),
        ("2026", "6", 0, "2026⁶"),  # a year keeps its digits
        ("định).", "9", 4, "định⁹)."),
        ("theo”)./.", "7", 4, "theo⁷)./."),  # before a bracket and the end mark
        ("phạt)”.", "9", 4, "phạt)⁹."),  # after a bracket read before the blob
        ("địnhê.", "6", 4, "định⁶."),  # one letter more than the image shows: the blob
        ("tốt¹", "1", 3, "tốt¹"),  # already there
    ],
)
def test_insert_marker(text, digits, glyphs, want):
    assert sup.insert_marker(text, digits, glyphs=glyphs) == want


def test_insert_marker_outside_the_word_box_only_appends():
    assert sup.insert_marker("trước3", "5", read_by_ocr=False) == "trước3⁵"
    assert sup.insert_marker("năm", "1", read_by_ocr=False) == "năm¹"


# --------------------------------------------------------------------------- end to end
@pytest.mark.needs_tesseract
def test_add_superscripts_reads_the_digit_and_keeps_what_ocr_read():
    grey, line = render([("Kết", None), ("quả", None), ("năm", "2"), ("nay", None),
                         ("tốt", "7"), ("hơn", None)])  # fmt: skip
    line.words[2].text = "năm?"  # what Tesseract typically makes of the blob
    out = sup.add_superscripts(grey, [line])
    words = out[0].words
    assert [w.text for w in words] == ["Kết", "quả", "năm", "nay", "tốt", "hơn"]
    assert [w.marker for w in words] == [None, None, 2, None, 7, None]  # a field, not text
    assert [w.marked_text for w in words] == ["Kết", "quả", "năm²", "nay", "tốt⁷", "hơn"]
    assert out[0].words[2].ocr_text == "năm?"
    assert out[0].words[0].ocr_text is None  # untouched words stay untouched


@pytest.mark.needs_tesseract
def test_add_superscripts_leaves_a_line_without_markers_alone():
    grey, line = render([("ĐỀ", None), ("ÁN", None), ("“Nông", None), ("thôn", None),
                         ("mới”", None), ("2026", None)])  # fmt: skip
    before = [w.text for w in line.words]
    out = sup.add_superscripts(grey, [line])
    assert [w.text for w in out[0].words] == before
    assert all(w.marker is None for w in out[0].words)


@pytest.mark.needs_tesseract
def test_layout_repair_writes_markers_into_ocr_words():
    from ocr_pipeline.layout import repair_lines
    from ocr_pipeline.ocr import ocr_image

    grey, _ = render([("Kết", None), ("quả", None), ("đạt", None), ("tốt", "3"), ("trong", None),
                      ("năm", None), ("nay", None)])  # fmt: skip
    page = np.full((grey.shape[0] + 100, grey.shape[1] + 100), 255, np.uint8)
    page[50:-50, 50:-50] = grey
    read = ocr_image(page, page_number=1, dpi=300)
    on = " ".join(ln.text for ln in repair_lines(page, read, page_number=1))
    off = " ".join(ln.text for ln in repair_lines(page, read, page_number=1,
                                                  footnote_markers=False))  # fmt: skip
    assert "³" not in " ".join(ln.text for ln in read)
    assert "tốt³" in on
    assert "³" not in off


@pytest.mark.needs_tesseract
def test_pipeline_option_and_cli_flag_switch_the_marker_pass(tmp_path):
    from ocr_pipeline.cli import build_parser
    from ocr_pipeline.commands.run import options_from_args
    from ocr_pipeline.pipeline import PipelineOptions, process_document

    grey, _ = render([("Kết", None), ("quả", None), ("đạt", None), ("tốt", "3"), ("trong", None),
                      ("năm", None), ("nay", None)])  # fmt: skip
    page = np.full((grey.shape[0] + 100, grey.shape[1] + 100), 255, np.uint8)
    page[50:-50, 50:-50] = grey
    path = tmp_path / "line.png"
    Image.fromarray(page).save(path, dpi=(300, 300))
    opts = dict(jobs=1, restore=False, dpi=300)
    on = process_document(path, PipelineOptions(**opts)).pages[0].text
    off = process_document(path, PipelineOptions(**opts, footnote_markers=False)).pages[0].text
    assert "tốt³" in on and "³" not in off

    parse = build_parser().parse_args
    assert options_from_args(parse(["run", str(path), "-o", str(tmp_path)])).footnote_markers
    args = parse(["run", str(path), "-o", str(tmp_path), "--no-footnote-markers"])
    assert options_from_args(args).footnote_markers is False


# --------------------------------------------------------------------------- body numbers
def render_page(rows: list[tuple[str | None, str, int]]) -> np.ndarray:
    """A grey page of lines (number, text, size): `number` raised before the text at 60 %
    size, its top on the cap line, as a footnote body opens ("¹Theo ...")."""
    img = Image.new("L", (2000, 140 + 95 * len(rows)), 255)
    draw = ImageDraw.Draw(img)
    y = 110
    for number, text, size in rows:
        font = ImageFont.truetype(str(FONT), size)
        x = 100
        if number:
            small = ImageFont.truetype(str(FONT), round(size * 0.6))
            cap = draw.textbbox((0, y), "H", font=font, anchor="ls")[1]
            dbase = cap - draw.textbbox((0, 0), number, font=small, anchor="ls")[1]
            draw.text((x, dbase), number, font=small, fill=0, anchor="ls")
            x = draw.textbbox((x, dbase), number, font=small, anchor="ls")[2] + 3
        draw.text((x, y), text, font=font, fill=0, anchor="ls")
        y += round(size * 1.9)
    return np.asarray(img.filter(ImageFilter.GaussianBlur(0.6))).copy()


NOTES = [
    ("1", "Theo Kế hoạch số 12/KH-UBND ngày 5 tháng 3 của huyện."),
    ("2", "Số liệu do phòng Thống kê cung cấp đến hết tháng Sáu."),
    ("3", "Gồm các xã vùng sâu, vùng xa và các thôn khó khăn."),
    ("7", "Đã kiểm tra tại chỗ các công trình hoàn thành."),
]


@pytest.mark.needs_tesseract
def test_raised_number_opening_a_footnote_body_is_read_from_the_image():
    """Issue 18 class 3: Tesseract reads the raised number opening a body as "!", "?" or a
    flat digit glued to the word ("!Theo", "?Số", "3Gồm"); the layout pass writes it as
    the body's number ("1 Theo"), keeping what OCR read."""
    from ocr_pipeline.layout import repair_lines
    from ocr_pipeline.ocr import ocr_image

    page = render_page([(n, t, 42) for n, t in NOTES])
    read = ocr_image(page, page_number=1, dpi=300)
    assert not any(ln.text.startswith(f"{n} ") for ln, (n, _) in zip(read, NOTES, strict=True))
    fixed = repair_lines(page, read, page_number=1)
    for ln, (number, text) in zip(fixed, NOTES, strict=True):
        assert ln.text.startswith(f"{number} {text.split()[0]} ")
        assert ln.words[0].ocr_text is not None and ln.words[1].ocr_text is not None
    off = repair_lines(page, read, page_number=1, footnote_markers=False)
    assert [ln.text for ln in off] == [ln.text for ln in read]


@pytest.mark.needs_tesseract
def test_lines_opening_with_marks_or_capitals_keep_their_start():
    from ocr_pipeline.layout import repair_lines
    from ocr_pipeline.ocr import ocr_image

    rows = ["Ấp Tân Hòa đã hoàn thành kế hoạch năm.", "Ở các thôn vùng sâu còn chậm.",
            "“Nông thôn mới” là phong trào của toàn dân.", "* Ghi chú: số liệu tạm tính.",
            "Ủy ban nhân dân xã Hòa Bình.", "° Nhiệt độ trung bình trong tháng."]  # fmt: skip
    page = render_page([(None, t, 42) for t in rows])
    read = ocr_image(page, page_number=1, dpi=300)
    fixed = repair_lines(page, read, page_number=1)
    assert [ln.text for ln in fixed] == [ln.text for ln in read]


@pytest.mark.needs_tesseract
def test_footnote_bodies_opened_by_raised_numbers_are_found_and_linked():
    """End to end on an invented page: with the raised body numbers read as "!"/"?", the
    bodies were glued into the paragraph above; repaired, both are found and linked."""
    from ocr_pipeline.layout import repair_lines
    from ocr_pipeline.model import Page
    from ocr_pipeline.ocr import ocr_image
    from ocr_pipeline.structure import structure_pages

    body = [
        "Ủy ban nhân dân xã đã tổ chức hội nghị triển khai kế hoạch năm với các",
        "thôn và đơn vị trên địa bàn¹, giao chỉ tiêu cụ thể cho từng bộ phận theo",
        "đúng quy định. Công tác tuyên truyền được thực hiện thường xuyên trên",
        "hệ thống loa truyền thanh và trang thông tin điện tử² của xã nhà mình.",
        "Các tổ công tác đã đi kiểm tra thực tế tại những hộ gia đình khó khăn",
        "và báo cáo kết quả cho lãnh đạo xã trong cuộc họp giao ban hằng tuần.",
    ]
    rows = [(None, t, 42) for t in body] + [(n, t, 34) for n, t in NOTES[:2]]
    image = render_page(rows)
    read = ocr_image(image, page_number=1, dpi=300)

    def notes(lines):
        doc = structure_pages([Page(1, image.shape[1], image.shape[0], 300, lines)])
        return [(f["number"], f["text"].split()[0], f["linked"]) for f in doc["footnotes"]]

    assert notes(read) == []
    assert notes(repair_lines(image, read, page_number=1)) == [(1, "Theo", True), (2, "Số", True)]
