"""Tests for ocr_pipeline.broken_rows: a printed row the page layout cut into stacked
pieces, found and read again alone."""

from __future__ import annotations

import numpy as np
from page_lines import text_line as _line

from ocr_pipeline import broken_rows, lost_lines
from ocr_pipeline.model import Line


def _fax_row() -> list[Line]:
    """As on scans_heldout14's 300-dpi fax: one printed row read as three stacked pieces,
    between two lines read well."""
    return [
        _line("dòng trước đọc tốt", 20, number=1),
        _line("1. ầ œh", 100, conf=30.0, number=2),
        _line("1#", 110, left=130, height=20, conf=60.0, number=3),
        _line("n .... tâm Y tế huryên", 96, left=170, conf=70.0, number=4),
        _line("dòng sau đọc tốt", 180, number=5),
    ]


def test_pieces_of_one_row_read_weakly_are_a_broken_row() -> None:
    assert broken_rows.broken_rows(_fax_row()) == [[1, 2, 3]]


def test_a_two_column_row_and_a_confident_row_are_not_broken() -> None:
    header = [_line("ỦY BAN NHÂN DÂN", 20, left=50, conf=40.0),
              _line("CỘNG HÒA XÃ HỘI", 22, left=600, conf=40.0)]  # fmt: skip
    assert broken_rows.broken_rows(header) == []  # side by side: no column shared
    sure = [_line("1. Đề nghị", 100, conf=96.0), _line("Trung tâm", 104, left=180, conf=90.0)]
    assert broken_rows.broken_rows(sure) == []  # read confidently: left alone
    assert broken_rows.broken_rows([_line("một dòng", 20, conf=10.0)]) == []  # not broken


def test_a_raised_footnote_digit_read_as_a_line_is_no_piece() -> None:
    row = [_line("Kết quả đạt được trong năm", 100, conf=70.0),
           _line("1", 92, left=400, height=20, conf=40.0)]  # fmt: skip
    assert broken_rows.broken_rows(row) == []


def test_every_page_read_has_its_broken_rows_mended(monkeypatch) -> None:
    from ocr_pipeline import reread

    page = np.full((260, 900), 255, np.uint8)
    monkeypatch.setattr(reread, "ocr_image", lambda image, **kw: _fax_row())
    monkeypatch.setattr(lost_lines, "ocr_image",
                        lambda image, **kw: [_line("1. Đề nghị Trung tâm", 19, left=19,
                                                   conf=92.0)])  # fmt: skip
    first, _second = reread.read_twice(page, page_number=1, dpi=300, second_opinion=False)
    assert "1. Đề nghị Trung tâm" in [ln.text for ln in first]


def test_a_broken_row_read_alone_replaces_its_pieces(monkeypatch) -> None:
    page = np.full((260, 900), 255, np.uint8)
    read = _fax_row()
    seen = []

    def fake_ocr(image, **kwargs):
        seen.append(kwargs["psm"])
        return [_line("1. Đề nghị Trung tâm Y tế huyện", 19, left=19, conf=92.0)]

    monkeypatch.setattr(lost_lines, "ocr_image", fake_ocr)
    out = broken_rows.mend_broken_rows(page, read, page_number=1, dpi=300)
    assert [ln.text for ln in out] == [
        "dòng trước đọc tốt",
        "1. Đề nghị Trung tâm Y tế huyện",
        "dòng sau đọc tốt",
    ]
    assert seen == [7]  # read as one line
    assert (out[1].block, out[1].paragraph, out[1].line) == (1, 1, 2)  # the first piece's place
    assert out[1].words[0].bbox.top < 100 < out[1].words[0].bbox.bottom  # page coordinates
    assert out[0] is read[0] and out[2] is read[4]


def test_a_reading_no_surer_than_the_pieces_leaves_them(monkeypatch) -> None:
    page = np.full((260, 900), 255, np.uint8)
    read = _fax_row()
    unsure = [_line("1. Đê nghi Trung", 19, left=19, conf=62.0)]
    monkeypatch.setattr(lost_lines, "ocr_image", lambda image, **kw: unsure)
    assert broken_rows.mend_broken_rows(page, read, page_number=1, dpi=300) is read
