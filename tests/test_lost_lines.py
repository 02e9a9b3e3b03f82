"""Tests for ocr_pipeline.lost_lines: text lines the page layout dropped, found and read."""

from __future__ import annotations

import numpy as np
import pytest
from page_lines import text_line as _line

from ocr_pipeline import lost_lines
from ocr_pipeline.model import BBox, Line


def _ink_under(page: np.ndarray, line: Line) -> None:
    for w in line.words:
        b = w.bbox
        page[b.top + 5 : b.bottom - 5, b.left + 2 : b.right - 2] = 0


def test_a_band_of_ink_no_word_covers_is_a_lost_line() -> None:
    page = np.full((400, 900), 255, np.uint8)
    read = [_line("một dòng đọc được", 50), _line("dòng cuối cũng đọc", 250)]
    for ln in read:
        _ink_under(page, ln)
    page[150:178, 100:700] = 0  # a full line nobody read
    page[220:222, 100:800] = 0  # a rule: too thin
    page[320:345, 100:130] = 0  # a speck, a stamp's corner: too narrow
    assert lost_lines.lost_bands(page, read) == [BBox(100, 150, 700, 178)]
    assert lost_lines.lost_bands(page, []) == []  # no reading: no line height to go by


def test_a_page_read_whole_has_no_lost_band() -> None:
    page = np.full((300, 900), 255, np.uint8)
    read = [_line("một dòng đọc được", 50), _line("dòng hai cũng vậy", 120)]
    for ln in read:
        _ink_under(page, ln)
    assert lost_lines.lost_bands(page, read) == []


def test_a_recovered_line_goes_where_it_stands_in_its_paragraph(monkeypatch) -> None:
    page = np.full((400, 900), 255, np.uint8)
    read = [_line("dòng đầu", 50, number=1), _line("dòng ba", 250, number=2),
            _line("khối khác", 320, block=2, number=1)]  # fmt: skip
    for ln in read:
        _ink_under(page, ln)
    page[150:178, 100:700] = 0
    seen = []

    def fake_ocr(image, **kwargs):
        seen.append((image.shape, kwargs["psm"]))
        # the crop's own coordinates: the band starts BORDER + its padding in
        return [_line("dòng hai bị bỏ sót", 19, left=19, height=28, conf=90.0)]

    monkeypatch.setattr(lost_lines, "ocr_image", fake_ocr)
    out = lost_lines.recover_lost_lines(page, read, page_number=1, dpi=300)
    assert [ln.text for ln in out] == ["dòng đầu", "dòng hai bị bỏ sót", "dòng ba", "khối khác"]
    assert seen[0][1] == 7  # read as one line
    found = out[1]
    assert found.words[0].bbox.left == 100 and found.words[0].bbox.top == 150  # page coords
    assert (found.block, found.paragraph, found.line) == (1, 1, 2)
    assert (out[2].line, out[3].line) == (3, 1)  # the paragraph renumbered, not the next block


def test_an_unsure_reading_of_a_band_is_left_out(monkeypatch) -> None:
    page = np.full((400, 900), 255, np.uint8)
    read = [_line("dòng đầu", 50), _line("dòng ba", 250)]
    for ln in read:
        _ink_under(page, ln)
    page[150:178, 100:700] = 0  # a signature, say
    monkeypatch.setattr(lost_lines, "ocr_image",
                        lambda image, **kw: [_line("~ ,. ~", 19, left=19, conf=20.0)])  # fmt: skip
    assert lost_lines.recover_lost_lines(page, read, page_number=1, dpi=300) is read


@pytest.mark.needs_tesseract
def test_a_line_left_out_of_the_reading_is_read_back_from_the_page() -> None:
    from ocr_pipeline.ocr import ocr_image
    from ocr_pipeline.synth import render_pages

    text = ("Hôm nay trời nắng đẹp và gió nhẹ thổi qua làng.\n"
            "Các em nhỏ chơi đùa vui vẻ trên bãi cỏ xanh mướt.\n"
            "Buổi chiều mọi người cùng nhau ra đồng gặt lúa.")  # fmt: skip
    rendered = render_pages(text, dpi=150, page_size_mm=(150, 60), margins_mm=(8, 8, 8, 8))[0]
    gray = np.asarray(rendered.image.convert("L"))
    read = ocr_image(gray, page_number=1, dpi=150)
    assert len(read) == 3
    dropped = [read[0], read[2]]  # as Tesseract's layout sometimes does
    out = lost_lines.recover_lost_lines(gray, dropped, page_number=1, dpi=150)
    assert len(out) == 3 and out[0] is read[0]
    assert "chơi đùa" in out[1].text and "cỏ xanh" in out[1].text
    assert out[1].bbox.top > read[0].bbox.bottom - 5 and out[1].bbox.bottom < read[2].bbox.top + 5


def test_a_ruled_table_is_no_lost_line() -> None:
    page = np.full((600, 900), 255, np.uint8)
    read = [_line("một dòng đọc được", 50), _line("ô một", 200), _line("ô hai", 300)]
    for ln in read:
        _ink_under(page, ln)
    for x in (90, 400, 850):  # the table's vertical rules run through every row
        page[150:500, x : x + 3] = 0
    for y in (150, 250, 350, 500):
        page[y : y + 3, 90:853] = 0
    assert lost_lines.lost_bands(page, read) == []


def test_the_part_of_a_line_left_off_joins_its_line(monkeypatch) -> None:
    page = np.full((400, 1200), 255, np.uint8)
    read = [_line("nửa đầu dòng", 50, number=1), _line("dòng sau", 120, number=2)]
    for ln in read:
        _ink_under(page, ln)
    page[55:78, 500:1000] = 0  # the rest of the first line, not read
    monkeypatch.setattr(lost_lines, "ocr_image",
                        lambda image, **kw: [_line("nửa sau", 17, left=17, height=26)])  # fmt: skip
    out = lost_lines.recover_lost_lines(page, read, page_number=1, dpi=300)
    assert [ln.text for ln in out] == ["nửa đầu dòng nửa sau", "dòng sau"]
    assert out[0].bbox.right > read[0].bbox.right and out[1] is read[1]
