"""Tests for ocr_pipeline.reread: which words of a weak page are read again, and how the
spans cut out of the page are stacked into one block and put back on the page."""

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


def test_spans_are_the_runs_of_weak_words_of_each_line() -> None:
    line = _line([("rõ", 97), ("md", 60), ("ràng", 96), ("kết", 97), ("luận", 50),
                  ("hop", 40), ("thôn", 97)], 100)  # fmt: skip
    spans = reread.weak_spans([line], (400, 1000))
    words = line.words
    # "md" alone; "luận hop" together; the sure words are not read again
    assert [s.words for s in spans] == [(words[1].bbox,), (words[4].bbox, words[5].bbox)]
    first = spans[0].crop
    # cut from the middle of the gap to the sure neighbours, a quarter line above and below
    assert first.left == (words[0].bbox.right + words[1].bbox.left) // 2
    assert first.right == (words[1].bbox.right + words[2].bbox.left + 1) // 2
    assert (first.top, first.bottom) == (100 - 7, 130 + 7)


def test_runs_one_sure_word_apart_are_one_span_and_a_sure_line_has_none() -> None:
    joined = _line([("md", 60), ("rõ", 97), ("ho", 55)], 100)
    sure = _line([("rõ", 97), ("ràng", 96)], 200)
    spans = reread.weak_spans([joined, sure], (400, 1000))
    assert len(spans) == 1 and spans[0].words == tuple(w.bbox for w in joined.words)


def test_stacked_spans_are_put_back_where_they_stand_on_the_page() -> None:
    page = np.full((400, 800), 250, np.uint8)
    first = _line([("md", 40), ("rõ", 97)], 60)
    second = _line([("ràng", 97), ("ho", 50)], 250, left=300)
    for ln in (first, second):
        for w in ln.words:
            b = w.bbox
            page[b.top + 5 : b.bottom - 5, b.left + 2 : b.right - 2] = 10
    spans = reread.weak_spans([first, second], page.shape)
    block, places = reread.stack_spans(page, spans, [first, second])
    assert block.shape[0] < page.shape[0] and len(places) == 2
    for span, (y, height) in zip(spans, places, strict=True):
        c = span.crop
        left = reread.STACK_BORDER
        assert np.array_equal(block[y : y + height, left : left + c.width],
                              page[c.top : c.bottom, c.left : c.right])  # fmt: skip
    # the block's words as Tesseract would give them, in block coordinates
    found = []
    for span, (y, _h), text in zip(spans, places, ("mờ", "hồ"), strict=True):
        b, c = span.words[0], span.crop
        found.append(Word(text, BBox(b.left - c.left + reread.STACK_BORDER, b.top - c.top + y,
                                     b.right - c.left + reread.STACK_BORDER,
                                     b.bottom - c.top + y), 90.0))  # fmt: skip
    back = reread.unstack([Line(words=found, bbox=found[0].bbox.union(found[1].bbox))],
                          spans, places)  # fmt: skip
    assert [[(w.text, w.bbox) for w in ln.words] for ln in back] == [
        [("mờ", first.words[0].bbox)],
        [("hồ", second.words[1].bbox)],
    ]


def test_a_cut_keeps_its_words_ink_and_paints_out_the_others() -> None:
    page = np.full((200, 400), 250, np.uint8)
    page[40:100, 50:150] = 10  # the weak word
    page[95:105, 50:150] = 10  # a mark of the line below reaching into the cut
    span = reread.Span(BBox(40, 30, 160, 110), (BBox(50, 40, 150, 100),))
    cut = reread._cut(page, span, [BBox(50, 100, 150, 140)], paper=250)
    assert cut.shape == (80, 120)
    assert cut[10:70, 10:110].max() == 10  # its own ink (the overlap with the other kept)
    assert cut[70:75, 10:110].min() == 250  # the other word's ink: paper


def test_a_weak_page_has_only_its_weak_words_read_again(monkeypatch) -> None:
    calls: list[tuple[int, ...]] = []
    readings = {
        "sure": [_line([("rõ", 97), ("ràng", 96)], 100)],
        "weak": [_line([("rõ", 97), ("ràng", 96)], 100), _line([("md", 40), ("ho", 97)], 200)],
    }
    state = {"page": "sure"}
    repaired = []

    def fake_repair(image, lines, **kwargs):
        repaired.append(kwargs["footnote_markers"])
        return lines

    def fake_ocr(image, **kwargs):
        calls.append((*image.shape, kwargs["psm"]))
        if len(calls) > 1:  # the block: one span, "md" at its place in the block
            return [_line([("mờ", 92)], reread.STACK_BORDER + 7, left=reread.STACK_BORDER)]
        return readings[state["page"]]

    monkeypatch.setattr(reread, "ocr_image", fake_ocr)
    monkeypatch.setattr(reread, "repair_lines", fake_repair)
    page = np.full((400, 600), 255, np.uint8)
    lines, second = reread.read_twice(page, page_number=1, dpi=300)
    assert second is None and len(calls) == 1  # confident: read once
    calls.clear()
    state["page"] = "weak"
    lines, second = reread.read_twice(page, page_number=1, dpi=300)
    assert len(calls) == 2 and calls[1][2] == 6  # one recognition of a block of lines
    assert calls[1][0] < 100  # the block holds the one weak word's cut, not the page
    assert second is not None and [w.text for ln in second for w in ln.words] == ["mờ"]
    assert reread.word_alternatives(lines, second) == {lines[1].words[0].bbox: "mờ"}
    assert repaired[-2:] == [True, True]  # markers are looked for on both readings
    calls.clear()
    _lines, second = reread.read_twice(page, page_number=1, dpi=300, second_opinion=False)
    assert second is None and len(calls) == 1


def test_a_confident_page_has_only_its_doubtful_words_read_again(monkeypatch) -> None:
    # mean confidence over WEAK_PAGE_CONFIDENCE: "ho" at 80 is not read again, "Q9" at 5 is
    sure = [("rõ", 99), ("ràng", 99), ("kết", 99), ("luận", 99)] * 5
    first = [_line([*sure, ("ho", 80)], 100), _line([*sure, ("Q9", 5)], 200)]
    assert not reread.is_weak_page(first)
    calls: list[tuple[int, ...]] = []

    def fake_ocr(image, **kwargs):
        calls.append(image.shape)
        if len(calls) > 1:  # the block: one span, "Q9" at its place in the block
            return [_line([("Nơi", 90)], reread.STACK_BORDER + 7, left=reread.STACK_BORDER)]
        return first

    monkeypatch.setattr(reread, "ocr_image", fake_ocr)
    monkeypatch.setattr(reread, "repair_lines", lambda image, lines, **kw: lines)
    lines, second = reread.read_twice(np.full((400, 1800), 255, np.uint8), page_number=1,
                                      dpi=300)  # fmt: skip
    assert len(calls) == 2 and second is not None
    assert reread.word_alternatives(lines, second) == {lines[1].words[-1].bbox: "Nơi"}
    assert reread.is_weak_page([_line([("md", 40), ("ho", 97)], 100)])


def test_a_failed_second_reading_leaves_the_first(monkeypatch, caplog) -> None:
    """A failure is warned of; the page's time running out is not: whether the page stands
    is the page's to say (a new user saw "the first stands", then the page timed out)."""
    from ocr_pipeline.errors import MissingDependencyError, PageTimeoutError
    from ocr_pipeline.tesseract import TesseractFailed

    first = [_line([("md", 40), ("ho", 55)], 100)]
    page = np.full((200, 300), 255, np.uint8)
    failures = (PageTimeoutError("page 1: too slow"), TesseractFailed("recognition failed"),
                MissingDependencyError("no vie"))  # fmt: skip
    for failure in failures:
        caplog.clear()
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
                reread.read_twice(page, page_number=1, dpi=300, timeout=50.0)
        else:
            with caplog.at_level("WARNING"):
                read = reread.read_twice(page, page_number=1, dpi=300, timeout=50.0)
            assert read == (first, None)
            warned = "second reading failed" in caplog.text
            assert warned == isinstance(failure, TesseractFailed)
        assert calls[0] == 50.0 and 0 < calls[1] <= 25.0  # half of what is left, at most


def test_a_block_taller_than_tesseract_takes_is_read_in_parts(monkeypatch) -> None:
    first = [_line([("md", 40)], 100 * k) for k in range(1, 5)]
    blocks = []

    def fake_ocr(image, **kwargs):
        blocks.append(image.shape[0])
        return []

    monkeypatch.setattr(reread, "ocr_image", fake_ocr)
    monkeypatch.setattr(reread, "STACK_MAX_HEIGHT", 100)
    page = np.full((600, 300), 255, np.uint8)
    spans = reread.weak_spans(first, page.shape)
    reread.read_spans(page, first, spans, page_number=1, dpi=300, lang="vie", timeout=None,
                      footnote_markers=False)  # fmt: skip
    assert len(blocks) == 4 and max(blocks) <= 100  # one span a block, each read


def test_letters_read_from_specks_of_noise_are_dropped() -> None:
    from ocr_pipeline.reread import drop_specks

    def word(text: str, left: int, w: int, h: int, conf: float) -> Word:
        return Word(text, BBox(left, 100, left + w, 100 + h), conf)

    body = [word(t, 40 * i, 35, 30, 95.0) for i, t in enumerate("Về việc thành lập".split())]
    line = Line(body, BBox(0, 100, 155, 130))
    noisy = Line([word("š", 0, 6, 5, 0.0), word("b", 20, 11, 6, 33.4),
                  word("lần", 60, 35, 30, 96.0), word(",", 100, 4, 6, 20.0),
                  word("Ko", 120, 11, 6, 80.0)], BBox(0, 100, 160, 130))  # fmt: skip
    dust = Line([word("l", 300, 3, 3, 0.0)], BBox(300, 100, 303, 103))
    out = drop_specks([line, noisy, dust])
    assert out[0] is line and len(out) == 2  # the dust's line had nothing else
    # a tiny letter read at 0 or 33 is noise; a comma or a confident small word is kept
    assert [w.text for w in out[1].words] == ["lần", ",", "Ko"]
    assert out[1].bbox == BBox(60, 100, 131, 130)


def test_words_barely_read_once_that_the_second_reading_read_as_one_are_joined() -> None:
    from ocr_pipeline.reread import join_misread_words

    def word(text: str, left: int, right: int, conf: float) -> Word:
        return Word(text, BBox(left, 100, right, 140), conf)

    first = [Line([word("Căn", 0, 60, 96.0), word("41V", 100, 168, 7.0),
                   word("Ảnh", 177, 230, 0.0), word("cứ", 300, 340, 30.0),
                   word("Hà", 350, 390, 20.0)], BBox(0, 100, 390, 140))]  # fmt: skip
    second = [Line([word("2025;", 100, 230, 95.9), word("Hàcứ", 300, 390, 60.0)],
                   BBox(100, 100, 390, 140))]  # fmt: skip
    out = join_misread_words(first, second)
    # the sure second word replaces the two it covers; an unsure one (60) does not
    assert [w.text for w in out[0].words] == ["Căn", "2025;", "cứ", "Hà"]
    assert out[0].words[1].bbox == BBox(100, 100, 230, 140)
    # a word the first reading read surely is never replaced
    sure = [Line([word("41V", 100, 168, 7.0), word("Ảnh", 177, 230, 70.0)],
                 BBox(100, 100, 230, 140))]  # fmt: skip
    assert join_misread_words(sure, second)[0] is sure[0]
