"""The reviewer's confidence on scans (page_confidence): the restorer's confidence and
Tesseract's combined, written once the text is settled."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ocr_pipeline import page_confidence as P
from ocr_pipeline import pipeline
from ocr_pipeline.model import BBox, Line, Page, Word
from ocr_pipeline.options import PipelineOptions
from ocr_pipeline.restore import LOW_CONFIDENCE
from ocr_pipeline.synth import render_pages


def _p(text="Hoàn", ocr=None, ocr_conf=95.0, restore=0.99, line=92.0, page=92.0) -> float:
    return P.probability(P.features(text, text if ocr is None else ocr, ocr_conf, restore,
                                    line, page))  # fmt: skip


def test_the_features_are_the_named_ones() -> None:
    assert len(P.features("Hoàn", "Hoan", 90.0, 0.9, 90.0, 90.0)) == len(P.FEATURES)
    assert len(P.WEIGHTS) == len(P.FEATURES) + 1
    assert 0.0 < _p() < 1.0


def test_a_word_tesseract_barely_read_is_unsure_however_sure_the_restorer_is() -> None:
    assert _p(ocr_conf=15.0) < LOW_CONFIDENCE <= _p(ocr_conf=96.0)
    assert _p(ocr_conf=60.0) < _p(ocr_conf=96.0)


def test_glyphs_no_vietnamese_word_has_lower_the_confidence() -> None:
    # an "I" or "l" against its neighbours' case: a misread "H" or "t" Tesseract kept
    for odd, plain in (("IIoàn", "Hoàn"), ("lIội", "hội"), ("Iựp", "Hợp"), ("NhY", "Nhy")):
        assert _p(odd, ocr_conf=80.0) < _p(plain, ocr_conf=80.0), odd


def test_the_restorers_doubt_still_counts() -> None:
    assert _p(restore=0.2) < _p(restore=0.99)
    assert _p(restore=0.2) < LOW_CONFIDENCE


def _page(words: list[tuple[str, float, float | None, str | None]]) -> Page:
    return Page(number=1, width=1000, height=800, dpi=300, lines=[Line(
        [Word(t, BBox(10 + 90 * i, 10, 90 + 90 * i, 40), c, ocr_text=o, restore_confidence=r)
         for i, (t, c, r, o) in enumerate(words)], BBox(10, 10, 900, 40))])  # fmt: skip


def test_reviewed_writes_the_model_into_every_restored_word_and_nothing_else() -> None:
    page = _page([("Hội", 96.0, 0.999, "Hội"), ("IIoàn", 41.0, 0.98, "IIoàn"),
                  ("2025", 93.0, None, "2025"), ("-", 12.0, None, "-")])  # fmt: skip
    got = P.reviewed(page)
    assert [w.text for w in got.words] == [w.text for w in page.words]
    assert [w.bbox for w in got.words] == [w.bbox for w in page.words]
    assert [w.confidence for w in got.words] == [w.confidence for w in page.words]
    want = [round(P.probability(x), 4) for x in P.page_features(page)]
    assert [w.restore_confidence for w in got.words] == want
    # the restorer was sure of the misread "IIoàn"; Tesseract was not, and now the flag is up
    assert got.words[1].restore_confidence < LOW_CONFIDENCE < got.words[0].restore_confidence
    assert page.words[1].restore_confidence == 0.98  # the input page is not modified


def test_a_word_tesseract_rejected_is_flagged_on_a_good_page() -> None:
    # a speck read "mm" at confidence 0 among well-read words got 0.875 from the model
    good = [(t, 97.0, 0.999, t) for t in ("Ủy", "ban", "nhân", "dân", "phường") * 4]
    page = _page([*good, ("mm", 0.0, 1.0, "mm")])
    assert P.probability(P.page_features(page)[-1]) >= LOW_CONFIDENCE  # the model alone
    got = P.reviewed(page).words
    assert got[-1].restore_confidence == P.REJECTED_RIGHT < LOW_CONFIDENCE
    assert all(w.restore_confidence > LOW_CONFIDENCE for w in got[:-1])


def test_specks_read_as_print_are_flagged_on_a_good_page() -> None:
    # an underscore, a hyphen joining two words, a full stop glued before one: specks
    good = [(t, 97.0, 0.999, t) for t in ("Ủy", "ban", "nhân", "dân", "phường") * 4]
    specks = [("-_", 68.0, None, "-_"), ("tích-gieo", 89.0, 0.99, "tích-gieo"),
              (".địa", 47.0, 0.99, ".địa")]  # fmt: skip
    page = _page(
        [*good, *specks, ("Covid-19", 95.0, None, "Covid-19"), ("(b/c);", 93.0, None, "(b/c);")]
    )
    got = P.reviewed(page).words
    assert [w.restore_confidence for w in got[20:23]] == [P.REJECTED_RIGHT] * 3
    assert all(w.restore_confidence > LOW_CONFIDENCE for w in got[:20] + got[23:])


def test_a_page_the_restore_stage_did_not_pass_over_is_left_alone() -> None:
    page = _page([("Hội", 96.0, None, None), ("IIoàn", 41.0, None, None)])
    assert P.reviewed(page) is page


def test_the_line_and_the_page_around_a_word_count() -> None:
    page = _page([("Hội", 90.0, 0.99, "Hội")] + [("đồng", 30.0, 0.99, "đồng")] * 6)
    alone = _page([("Hội", 90.0, 0.99, "Hội")] + [("đồng", 96.0, 0.99, "đồng")] * 6)
    assert (
        P.reviewed(page).words[0].restore_confidence < P.reviewed(alone).words[0].restore_confidence
    )


@pytest.fixture(scope="module")
def scan(tmp_path_factory) -> Path:
    page = render_pages("Ủy ban nhân dân phường kiểm tra công tác phòng chống dịch bệnh.",
                        dpi=150, page_size_mm=(148, 40), margins_mm=(8, 8, 8, 8),
                        font_size_pt=14)[0]  # fmt: skip
    path = tmp_path_factory.mktemp("page_confidence") / "page.png"
    page.image.save(path, dpi=(150, 150))
    return path


def test_run_writes_the_reviewers_confidence_and_the_text_does_not_depend_on_it(
    scan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = PipelineOptions(dpi=150, jobs=1)
    reviewed = pipeline.process_document(scan, options)
    monkeypatch.setattr(P, "reviewed", lambda page: page)
    raw = pipeline.process_document(scan, options)
    assert [p.text for p in reviewed.pages] == [p.text for p in raw.pages]
    assert any(w.ocr_text is not None for w in raw.pages[0].words)
    for got, before in zip(reviewed.pages, raw.pages, strict=True):
        want = P.page_features(before)
        assert [w.restore_confidence for w in got.words] == [
            round(P.probability(x), 4) for x in want
        ]
    assert dataclasses.asdict(reviewed.pages[0].lines[0].bbox) == dataclasses.asdict(
        raw.pages[0].lines[0].bbox
    )


def test_a_date_no_calendar_has_is_flagged_however_sure_tesseract_is() -> None:
    # a new user's "ngày 237" (27) stood at 0.94; figures no model judges
    words = [("Hà", 96.0, 0.999, "Hà"), ("Nội,", 96.0, 0.999, "Nội,"),
             ("ngày", 96.0, 0.999, "ngày"), ("237", 96.0, None, "237"),
             ("tháng", 96.0, 0.999, "tháng"), ("9", 96.0, None, "9"),
             ("năm", 96.0, 0.999, "năm"), ("2024;", 96.0, None, "2024;"),
             ("ngày", 96.0, 0.999, "ngày"), ("30/02/2024", 96.0, None, "30/02/2024")]  # fmt: skip
    got = P.reviewed(_page(words)).words
    assert got[3].restore_confidence == P.IMPOSSIBLE_DATE_RIGHT
    assert got[9].restore_confidence == P.IMPOSSIBLE_DATE_RIGHT
    assert got[5].restore_confidence > LOW_CONFIDENCE  # a month that can be


@pytest.mark.parametrize(
    ("phrase", "impossible"),
    [("ngày *32, tháng 9", True), ("ngày *31 tháng 9", False),
     ("ngày 5 tháng *13 năm 2024", True), ("ngày *30/02/2024", True),
     ("ngày *29/02/2024", False), ("ngày *24-02-1087", True),
     # not a date's shape, or a date that was: a count, the 13th-month pay, a birth date
     ("mỗi ngày *120 lượt", False), ("lương tháng *13 năm 2024", False),
     ("sinh ngày *19/5/1890", False), ("năm *1676", False)],
)  # fmt: skip
def test_impossible_dates(phrase: str, impossible: bool) -> None:
    words = phrase.split()
    figure = next(k for k, w in enumerate(words) if w.startswith("*"))  # the figure judged
    words[figure] = words[figure][1:]
    assert P.impossible_date(words, figure) is impossible
