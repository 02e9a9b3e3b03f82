"""Tests for ocr_pipeline.restore.alternatives (two readings of a word in one lattice
position) and reread.word_alternatives (which words the second reading read). Invented
text."""

from __future__ import annotations

import pytest
from restore_models import needs_models

from ocr_pipeline import reread
from ocr_pipeline.model import BBox, Line, Page, Word

pytestmark = needs_models("confusion_vie.tsv")


def _page(text: str) -> Page:
    words = [Word(t, BBox(60 * i, 0, 60 * i + 50, 30), 80.0) for i, t in enumerate(text.split())]
    return Page(1, 2000, 100, 300, lines=[Line(words, BBox(0, 0, 60 * len(words), 30))])


def _twice(text: str, second: dict[str, str]) -> tuple[Page, dict[BBox, str]]:
    page = _page(text)
    return page, {w.bbox: second[w.text] for w in page.words if w.text in second}


def _restored(page: Page, alternatives: dict[BBox, str]) -> str:
    from ocr_pipeline.restore.alternatives import restore_with_alternatives

    pages, adaptation = restore_with_alternatives([page], [alternatives], "vie")
    assert adaptation is None  # adapt is off by default, as for restore_page
    return " ".join(w.text for w in pages[0].words)


@pytest.mark.parametrize(
    ("first", "second", "right"),
    [
        ("Mỗi hộ được hỗ trợ ba triệu đống tiền mặt", {"đống": "đồng"}, "đồng"),
        ("Nhân dân góp thêm ngày cộng lao động", {"cộng": "công"}, "công"),
    ],
)
def test_a_word_the_second_reading_read_right_is_restored_from_it(first, second, right) -> None:
    from ocr_pipeline.restore import restore_page

    page, alternatives = _twice(first, second)
    wrong = next(iter(second))
    alone = " ".join(w.text for w in restore_page(page, "vie").words)
    assert wrong in alone.split()  # the first reading alone keeps its valid misreading
    both = _restored(page, alternatives)
    assert both == first.replace(wrong, right)


def test_a_garbled_second_reading_does_not_undo_a_good_first_one() -> None:
    text = "Các hộ dân cùng nhau dọn sạch mương thoát nước chung"
    page, alternatives = _twice(text, {"mương": "mưong", "thoát": "th0át"})
    assert _restored(page, alternatives) == text


def test_without_second_readings_it_is_restore_page() -> None:
    from ocr_pipeline.restore import restore_page
    from ocr_pipeline.restore.alternatives import restore_with_alternatives

    page = _page("Trưởng thôn bảo cáo tình hình thu chi quỷ làm đường")
    alone = restore_page(page, "vie").words
    both = restore_with_alternatives([page], [{}], "vie")[0][0].words
    assert [(w.text, w.restore_confidence) for w in both] == [
        (w.text, w.restore_confidence) for w in alone
    ]


def test_both_tokens_form_one_lattice_position() -> None:
    from ocr_pipeline.restore import get_decoder
    from ocr_pipeline.restore.alternatives import AlternativesDecoder, _Twice

    decoder = get_decoder("vie")
    widened = AlternativesDecoder.of(decoder, {0: "đồng"})
    forms = {c.form for c in widened._column(_Twice("đông", "đồng")).cands}
    assert {"đông", "đồng"} <= forms
    assert widened.lm is decoder.lm  # shared, not copied
    # a plain token is read as the shared decoder reads it
    assert widened._column("đông").cands == decoder._column("đông").cands


def test_words_that_stand_on_the_same_spot_are_paired_one_for_one() -> None:
    def line(words: list[tuple[str, int, int]], top: int = 100) -> Line:
        ws = [Word(t, BBox(left, top, right, top + 30), 80.0) for t, left, right in words]
        box = ws[0].bbox
        for w in ws[1:]:
            box = box.union(w.bbox)
        return Line(ws, box)

    first = [line([("triệu", 100, 180), ("đông", 195, 260), ("mỗi", 275, 330),
                   ("hộ.", 345, 390), ("Ngàycông", 405, 560)])]  # fmt: skip
    second = [line([("triệu", 101, 181), ("đồng", 196, 262), ("mồi", 276, 331),
                    ("hộ,", 346, 389), ("Ngày", 405, 470), ("công", 480, 560)])]  # fmt: skip
    alternatives = reread.word_alternatives(first, second)
    by_text = {w.text: alternatives.get(w.bbox) for w in first[0].words}
    # read the same: no alternative; a word the second reading split: none either
    assert by_text == {"triệu": None, "đông": "đồng", "mỗi": "mồi", "hộ.": "hộ,",
                       "Ngàycông": None}  # fmt: skip


def test_run_restores_a_weak_page_from_both_readings(monkeypatch, tmp_path) -> None:
    from ocr_pipeline import pipeline
    from ocr_pipeline.document_restore import PageReading
    from ocr_pipeline.pipeline import PipelineOptions
    from ocr_pipeline.synth import render_pages

    first = _page("Mỗi hộ được hỗ trợ ba triệu đống tiền mặt").lines
    second = _page("Mỗi hộ được hỗ trợ ba triệu đồng tiền mặt").lines
    asked = []

    def read_twice(image, **kwargs):
        asked.append(kwargs["second_opinion"])
        return first, (second if kwargs["second_opinion"] else None)

    monkeypatch.setattr(pipeline, "read_twice", read_twice)
    image = tmp_path / "page.png"
    render_pages("Trang", dpi=100, page_size_mm=(60, 20), margins_mm=(4, 4, 4, 4))[0].image.save(
        image
    )
    texts = {}
    for reread_pages in (False, True):
        options = PipelineOptions(jobs=1, dpi=100, reread_weak_pages=reread_pages)
        page, _steps, reading = pipeline._run_page(image, 1, options)
        texts[reread_pages] = " ".join(w.text for w in page.words)
        assert isinstance(reading, PageReading) and reading.lines == first
        assert bool(reading.alternatives) is reread_pages  # for the document restore step
    assert asked == [False, True]
    assert "đống" in texts[False].split() and "đồng" in texts[True].split()


def test_without_restoration_a_weak_page_is_read_once(monkeypatch, tmp_path) -> None:
    # only restoration uses the second reading's words: without it, it would be wasted
    from ocr_pipeline import pipeline
    from ocr_pipeline.pipeline import PipelineOptions
    from ocr_pipeline.synth import render_pages

    first = _page("Mỗi hộ được hỗ trợ ba triệu đông tiền mặt").lines
    asked = []

    def read_twice(image, **kwargs):
        asked.append(kwargs["second_opinion"])
        return first, None

    monkeypatch.setattr(pipeline, "read_twice", read_twice)
    image = tmp_path / "page.png"
    render_pages("Trang", dpi=100, page_size_mm=(60, 20), margins_mm=(4, 4, 4, 4))[0].image.save(
        image
    )
    for restore in (True, False):
        pipeline._run_page(image, 1, PipelineOptions(jobs=1, dpi=100, restore=restore))
    assert asked == [True, False]


def _doubted(text: str, doubted: set[str], under: float | None) -> str:
    """`text` as one page whose words in `doubted` Tesseract read at 60 (the others at 97),
    restored with words under `under` doubted."""
    from ocr_pipeline.restore.alternatives import restore_with_alternatives

    words = [Word(t, BBox(60 * i, 0, 60 * i + 50, 30), 60.0 if t in doubted else 97.0)
             for i, t in enumerate(text.split())]  # fmt: skip
    page = Page(1, 2000, 100, 300, lines=[Line(words, BBox(0, 0, 60 * len(words), 30))])
    pages, _ = restore_with_alternatives([page], [{}], "vie", doubt_under=[under])
    return " ".join(w.text for w in pages[0].words)


def test_a_doubted_word_is_read_with_one_letter_s_marks_swapped_when_the_context_says_so():
    text = "Xã vừa mua thêm hai bộ thiệt bị chữa cháy cho đội xung kích"
    assert _doubted(text, {"thiệt"}, None) == text  # the vie channel never swaps it
    assert _doubted(text, {"thiệt"}, 95.0) == text.replace("thiệt", "thiết")
    assert _doubted(text, {"thiệt"}, 50.0) == text  # read more surely than doubted


@pytest.mark.parametrize(
    ("text", "doubted"),
    [
        ("Gia đình ông bị thiệt hại nặng sau trận lũ", {"thiệt"}),
        ("Trời trở lạnh vì gió mùa đông bắc tràn về", {"đông"}),
        # a name's marks are not doubted: the context cannot tell them
        ("Tổ trưởng là ông Trần Văn Hỡi ở xóm trên", {"Hỡi"}),
    ],
)
def test_a_doubted_word_the_context_supports_stays(text, doubted) -> None:
    assert _doubted(text, doubted, 95.0) == text


def test_mark_variants_differ_in_one_letter_s_marks() -> None:
    from ocr_pipeline.restore.alternatives import mark_variants

    assert mark_variants("thiệt") == ("thiết",)
    assert {"đồng", "động", "dông"} <= set(mark_variants("đông"))
    assert "đông" not in mark_variants("đông")
    assert "dồng" not in mark_variants("đông")  # two letters' marks
    assert mark_variants("thiêt") == ()  # no valid syllable: the channel's to read
