"""Lines that lost their marks inside `vie` text are read with the marks-lost channel."""

from __future__ import annotations

import pytest
from restore_models import needs_models

from ocr_pipeline.model import BBox, Line, Page, Word
from ocr_pipeline.restore.detect import channel_runs, detect_channel, line_is_unmarked

ACCENTED = (
    "Ủy ban nhân dân xã Hòa Bình thông báo lịch tiêm chủng cho trẻ em dưới năm tuổi.\n"
    "Các thôn phối hợp với trạm y tế rà soát danh sách và vận động gia đình.\n"
)
PLAIN = (
    "Truong thon chiu trach nhiem thong bao den tung ho gia dinh tren dia ban.\n"
    "De nghi cac don vi nghiem tuc thuc hien va bao cao ket qua ve xa.\n"
)
PLAIN_TRUTH = (
    "Trưởng thôn chịu trách nhiệm thông báo đến từng hộ gia đình trên địa bàn.\n"
    "Đề nghị các đơn vị nghiêm túc thực hiện và báo cáo kết quả về xã.\n"
)


def test_marked_text_that_lost_its_tones_is_read_as_the_english_models() -> None:
    # another engine kept the hats and horns (Vietnamese-only letters) but few tones
    lost = "Trưởng thôn chiu trach nhiêm thông bao đên tưng hô gia đinh trên đia ban.\n" * 8
    assert detect_channel(ACCENTED * 8) == "vie"
    assert detect_channel(lost) == "eng"
    assert detect_channel(PLAIN * 3) == "eng"
    # too few lowercase marked words to tell (a list of names, a short note): as written
    assert detect_channel(lost[: len(lost) // 8]) == "vie"
    names = "Lò Văn Hiên, Lý Thị Hằng, Đinh Văn Tâm, bản Nà Hin, xã Tân Hưng\n" * 4
    assert detect_channel(names) == "vie"


def test_text_writing_the_horn_as_an_apostrophe_is_read_as_the_english_models() -> None:
    # another engine kept most tones but wrote ư and ơ as "u'" and "o'"
    toned = "Ủy ban xã đã chỉ đạo các hộ dân sửa đường làng; từng hộ đều đóng góp cho việc.\n"
    assert detect_channel(toned * 6) == "vie"
    horns = toned.replace("đường", "đu'ờng").replace("từng", "tu'ng")
    assert detect_channel(horns * 6) == "eng"
    # a closing single quote after a final u is no horn
    quoted = "Xã đạt danh hiệu 'xã kiểu mẫu' năm nay; các thôn được khen.\n" * 6
    assert detect_channel(ACCENTED * 4 + quoted) == "vie"


def test_a_line_tells_only_with_enough_words() -> None:
    assert line_is_unmarked("De nghi cac don vi thuc hien") is True
    assert line_is_unmarked("De nghi cac don vi thực hiện") is False
    assert line_is_unmarked("KINH GUI: UBND xa") is None  # too short to tell
    assert line_is_unmarked("2024 - 2025; 12/QD-UBND") is None
    # Tesseract vie guessed one mark in a long unmarked line: still marks-lost
    assert line_is_unmarked("Uy ban nhan dan xa Hoa Binh thong bao lịch tiep cong dan nhu sau")
    # as few marks as a correct line shows less than once in 500: one in seven, two in nine
    assert line_is_unmarked("De nghi cac don vi lịch thuc hien") is True
    assert line_is_unmarked("De nghi cac đơn vị thuc hien") is False  # two in seven
    assert line_is_unmarked("qua, bao cao Chủ tịch truoc ngay 30 thang 6 nam 2026.") is True


def test_runs_split_vie_text_only() -> None:
    text = ACCENTED + "Noi nhan:\n" + PLAIN + ACCENTED
    # the short "Noi nhan:" keeps the reading of the line before it
    a = len(ACCENTED) + len("Noi nhan:\n")
    p = a + len(PLAIN)
    assert channel_runs(text, "vie") == [(0, a, "vie"), (a, p, "eng"), (p, len(text), "vie")]
    assert channel_runs(text, "eng") == [(0, len(text), "eng")]
    # short lines at the top take the reading of the first line that tells
    assert channel_runs("Noi nhan:\n" + PLAIN, "vie") == [(0, len(PLAIN) + 10, "eng")]
    assert channel_runs("", "vie") == [(0, 0, "vie")]


def test_short_lines_are_told_together() -> None:
    # a closing block: no line of it long enough to tell alone, together unmarked
    closing = "Noi nhén:\n- Dang uy xa;\n- Luu: VT.\nCHU TICH\nLé Thi Héng Nhung\n"
    start = len(ACCENTED)
    assert channel_runs(ACCENTED + closing, "vie") == [
        (0, start, "vie"),
        (start, start + len(closing), "eng"),
    ]
    # the same block with its marks stays with the document
    marked = "Nơi nhận:\n- Đảng ủy xã;\n- Lưu: VT.\nCHỦ TỊCH\nLê Thị Hồng Nhung\n"
    assert channel_runs(ACCENTED + marked, "vie") == [(0, len(ACCENTED + marked), "vie")]


pytestmark_models = needs_models("confusion_eng.tsv", "confusion_vie.tsv")


@pytestmark_models
def test_mixed_text_restores_its_unmarked_lines_and_keeps_the_rest() -> None:
    from ocr_pipeline.restore import restore, restore_lines, restore_text

    res = restore(ACCENTED + PLAIN)
    assert res.channel == "vie+eng"
    assert res.text == ACCENTED + PLAIN_TRUTH
    assert restore_text(ACCENTED) == ACCENTED  # correct text alone: one channel, unchanged
    lines = (ACCENTED + PLAIN).splitlines(keepends=True)
    assert "".join(restore_lines(lines)) == ACCENTED + PLAIN_TRUTH


@pytestmark_models
def test_a_batch_decoder_reads_its_unmarked_lines_as_such() -> None:
    from ocr_pipeline.restore import adapt_decoder, restore, restore_lines, restore_text

    decoder, _adaptation = adapt_decoder([ACCENTED * 3, ACCENTED + PLAIN])
    assert decoder.marks_lost is not None and decoder.marks_lost.channel_name == "eng"
    res = restore(ACCENTED + PLAIN, decoder=decoder)
    assert res.channel == "vie+eng"
    assert res.text == ACCENTED + PLAIN_TRUTH
    assert restore_text(ACCENTED, decoder=decoder) == ACCENTED
    lines = (ACCENTED + PLAIN).splitlines(keepends=True)
    assert "".join(restore_lines(lines, decoder=decoder)) == ACCENTED + PLAIN_TRUTH
    # a batch of accented text alone has no marks-lost decoder: one channel
    alone, _ = adapt_decoder([ACCENTED, ACCENTED])
    assert alone.marks_lost is None
    assert restore(ACCENTED, decoder=alone).channel == "vie"


@pytestmark_models
def test_a_page_typed_without_accents_is_restored_on_the_vie_path() -> None:
    # Tesseract vie guesses a mark here and there: the page reads as vie output
    from ocr_pipeline.restore import restore_page

    lines = [ACCENTED.splitlines()[0].split(), PLAIN.splitlines()[0].split()]
    page = Page(
        number=1,
        width=2000,
        height=1000,
        dpi=300,
        lines=[
            Line(
                words=[
                    Word(w, BBox(40 * i, 40 * n, 40 * i + 30, 40 * n + 20), 95.0)
                    for i, w in enumerate(ws)
                ],
                bbox=BBox(0, 40 * n, 40 * len(ws), 40 * n + 20),
            )
            for n, ws in enumerate(lines)
        ],
    )
    out = restore_page(page, channel="vie")
    got = " ".join(w.text for w in out.lines[1].words)
    assert got == PLAIN_TRUTH.splitlines()[0]


def test_only_vietnamese_text_looks_vietnamese() -> None:
    from ocr_pipeline.restore.detect import looks_vietnamese, vietnamese_share

    assert looks_vietnamese(PLAIN * 3) and looks_vietnamese(ACCENTED * 3)
    # legacy OCR mangles many words, but most still spell a syllable without their marks
    assert looks_vietnamese("céng tic khen thuéng cua Pang uy phudng nam 2024 " * 5)
    junk = "qzx7 vbnm kjhg wrtp pfft zzq xyzzy grmbl " * 10
    assert vietnamese_share(junk) == (0.0, 80)
    assert not looks_vietnamese(junk)
    english = "The committee will review the annual report of the ward before the meeting. "
    assert not looks_vietnamese(english * 3)
    assert looks_vietnamese("qzx7 vbnm kjhg")  # too few words to tell


@pytestmark_models
def test_text_that_is_not_vietnamese_is_kept_as_written(caplog) -> None:
    from ocr_pipeline.restore import restore, restore_lines, restore_text

    junk = "qzx vbnm kjhg wrtp pfft zzq xyzzy grmbl lo ma ba\n" * 10
    with caplog.at_level("WARNING"):
        assert restore_text(junk) == junk
    assert "does not look like Vietnamese" in caplog.text
    res = restore(junk)
    assert res.text == junk and not any(t.changed for t in res.tokens)
    assert "".join(restore_lines(junk.splitlines(keepends=True))) == junk


def test_acronyms_and_foreign_words_are_not_words_that_lost_their_marks() -> None:
    line = "UBND xã phối hợp BHYT, BHXH triển khai VNeID, Zalo, Facebook, app VssID online."
    assert line_is_unmarked(line) is False


@pytestmark_models
def test_a_correct_line_full_of_acronyms_is_left_alone() -> None:
    from ocr_pipeline.restore import restore_text

    text = ACCENTED + "UBND xã phối hợp BHYT, BHXH triển khai VNeID, Zalo, app VssID online.\n"
    assert restore_text(text) == text


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])
