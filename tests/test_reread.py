"""Tests for ocr_pipeline.reread: the second reading of weak pages and the line merge."""

from __future__ import annotations

import numpy as np
import pytest

from ocr_pipeline import reread
from ocr_pipeline.model import BBox, Line, Word


def _line(words: list[tuple[str, float]], top: int, left: int = 100) -> Line:
    out, x = [], left
    for text, conf in words:
        out.append(Word(text, BBox(x, top, x + 20 * len(text), top + 30), conf))
        x += 20 * len(text) + 15
    box = out[0].bbox
    for w in out[1:]:
        box = box.union(w.bbox)
    return Line(words=out, bbox=box)


def test_merge_takes_each_line_from_the_surer_reading() -> None:
    first = [_line([("Biên", 96), ("bản", 95)], 100),
             _line([("hop", 60), ("thôn", 70)], 150),
             _line([("kết", 93), ("luận", 94)], 200)]  # fmt: skip
    second = [_line([("Biên", 90), ("bàn", 80)], 101),
              _line([("họp", 91), ("thôn", 93)], 152),
              _line([("kết", 94), ("luận", 95)], 199)]  # fmt: skip
    merged = reread.merge_readings(first, second)
    assert [ln.text for ln in merged] == ["Biên bản", "họp thôn", "kết luận"]
    assert merged[0] is first[0]  # worse elsewhere: the first reading's line stays
    assert merged[2] is first[2]  # better by one point only: not enough to switch


def test_merge_adds_a_line_only_the_second_reading_found_where_it_stands() -> None:
    first = [_line([("một", 95)], 100), _line([("ba", 95)], 300)]
    second = [_line([("một", 95)], 100), _line([("hai", 88)], 200), _line([("ba", 94)], 300)]
    merged = reread.merge_readings(first, second)
    assert [ln.text for ln in merged] == ["một", "hai", "ba"]


def test_merge_keeps_side_by_side_lines_apart() -> None:
    # two cells of a header row at the same height: each matched on its own
    first = [_line([("ỦY", 60), ("BAN", 60)], 100, left=100),
             _line([("CỘNG", 97), ("HÒA", 97)], 100, left=1200)]  # fmt: skip
    second = [_line([("ỦY", 95), ("BAN", 95)], 100, left=100),
              _line([("CÔNG", 80), ("HOA", 80)], 100, left=1200)]  # fmt: skip
    merged = reread.merge_readings(first, second)
    assert [ln.text for ln in merged] == ["ỦY BAN", "CỘNG HÒA"]


def test_a_confident_page_is_read_once_a_weak_one_twice(monkeypatch) -> None:
    calls: list[tuple[bool, float]] = []
    readings = {
        "sure": [_line([("rõ", 97), ("ràng", 96)], 100)],
        "weak": [_line([("md", 40), ("ho", 55)], 100)],
    }
    state = {"page": "sure"}

    repaired = []

    def fake_repair(image, lines, **kwargs):
        repaired.append(kwargs["footnote_markers"])
        return lines

    def fake_ocr(image, **kwargs):
        second = bool(calls)
        calls.append((None, float(image.std())))
        if second:
            return [_line([("mờ", 92), ("hồ", 93)], 100)]
        return readings[state["page"]]

    monkeypatch.setattr(reread, "ocr_image", fake_ocr)
    monkeypatch.setattr(reread, "repair_lines", fake_repair)
    page = np.full((400, 600), 255, np.uint8)
    page[100:130:2, 100:300] = 0
    lines = reread.read_page(page, page_number=1, dpi=300)
    assert [ln.text for ln in lines] == ["rõ ràng"] and len(calls) == 1
    calls.clear()
    state["page"] = "weak"
    lines = reread.read_page(page, page_number=1, dpi=300)
    assert [ln.text for ln in lines] == ["mờ hồ"]
    assert len(calls) == 2
    assert repaired[-2:] == [True, True]  # markers are looked for on both readings
    assert calls[1][1] < calls[0][1]  # the second reading sees the blurred view
    calls.clear()
    lines = reread.read_page(page, page_number=1, dpi=300, second_opinion=False)
    assert [ln.text for ln in lines] == ["md ho"] and len(calls) == 1


def test_the_second_view_paints_out_sure_lines_and_keeps_the_size() -> None:
    page = np.full((300, 400), 230, np.uint8)
    page[50:80, 50:350] = 20  # a sure line
    page[150:180, 50:350] = 20  # a weak one
    sure = [_line([("chắc", 97)], 50, left=50)]
    sure[0].bbox = BBox(50, 50, 350, 80)
    view = reread.second_view(page, sure)
    assert view.shape == page.shape
    assert view[55:75, 60:340].min() >= 220  # the sure line is gone: paper grey
    assert view[160:170, 60:340].max() < 60  # the weak line is still there to be read


def test_a_failed_second_reading_leaves_the_first(monkeypatch) -> None:
    from ocr_pipeline.errors import MissingDependencyError, PageTimeoutError

    first = [_line([("md", 40), ("ho", 55)], 100)]
    page = np.full((200, 300), 255, np.uint8)
    for failure in (PageTimeoutError("page 1: too slow"), MissingDependencyError("no vie")):
        calls = []

        def fake_ocr(image, failure=failure, calls=calls, **kwargs):
            calls.append(kwargs["timeout"])
            if len(calls) > 1:
                raise failure
            return first

        monkeypatch.setattr(reread, "ocr_image", fake_ocr)
        monkeypatch.setattr(reread, "repair_lines", lambda image, lines, **kw: lines)
        if isinstance(failure, MissingDependencyError):  # the installation: not swallowed
            with pytest.raises(MissingDependencyError):
                reread.read_page(page, page_number=1, dpi=300, timeout=50.0)
        else:
            assert reread.read_page(page, page_number=1, dpi=300, timeout=50.0) == first
        assert calls[0] == 50.0 and 0 < calls[1] <= 50.0  # the rest of the budget
