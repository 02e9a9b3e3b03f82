"""Capitals and names on scanned pages (Tesseract `vie`) whose marks the scan lost: the
document's own spelling of a name counts for its capitals elsewhere (real models;
invented text)."""

from __future__ import annotations

import pytest
from restore_models import needs_models

pytestmark = needs_models("confusion_vie.tsv", "confusion_vie_caps.tsv")


@pytest.fixture(scope="module")
def restore_vie():
    from ocr_pipeline.restore import restore_text

    restore_text("a", "vie")  # load once for the module
    return lambda text: restore_text(text, "vie", adapt=False)


def _page(number: int, lines: list[str]):
    from ocr_pipeline.model import BBox, Line, Page, Word

    out = []
    for row, text in enumerate(lines):
        top = 50 * row + 10
        words = [
            Word(t, BBox(80 * i, top, 80 * i + 70, top + 30), 90.0)
            for i, t in enumerate(text.split())
        ]
        out.append(Line(words, BBox(0, top, 80 * len(words), top + 30)))
    return Page(number, 2000, 50 * len(lines) + 60, 300, out)


def _lines(page) -> list[str]:
    return [" ".join(w.text for w in line.words) for line in page.lines]


BODY = "Báo cáo kết quả thu hoạch lúa vụ mùa của các thôn trong xã Đông Khê Vĩnh năm nay."


def test_a_capitals_name_takes_the_spelling_the_body_gives_it_once(restore_vie) -> None:
    # the scan swapped one capital's mark and lost another's: the body spells the name
    assert restore_vie("ỦY BAN NHÂN DÂN XÃ ĐÓNG KHẾ VINH\n" + BODY).split("\n")[0] == (
        "ỦY BAN NHÂN DÂN XÃ ĐÔNG KHÊ VĨNH"
    )


def test_a_header_page_takes_the_spelling_of_its_body(restore_vie) -> None:
    from ocr_pipeline.restore import restore_page

    page = _page(1, ["ỦY BAN NHÂN DÂN", "XÃ ĐÓNG KHẾ VINH", BODY])
    assert _lines(restore_page(page, channel="vie"))[1] == "XÃ ĐÔNG KHÊ VĨNH"


def test_a_document_remembers_a_name_from_another_page(restore_vie) -> None:
    from ocr_pipeline.restore import restore_document

    first = _page(1, ["ỦY BAN NHÂN DÂN", "XÃ ĐÓNG KHẾ VINH", "Kính gửi các thôn trong xã."])
    pages, _ = restore_document([first, _page(2, [BODY])], channel="vie", adapt=False)
    assert _lines(pages[0])[1] == "XÃ ĐÔNG KHÊ VĨNH"


def test_correct_capitals_and_names_stay_as_written(restore_vie) -> None:
    text = "TRƯỜNG MẦM NON ĐỒNG LẠC\nTrường Mầm non Đồng Lạc tổ chức ngày hội đọc sách."
    assert restore_vie(text) == text


def test_a_remembered_name_is_not_read_across_capitals_and_title_case(restore_vie) -> None:
    # "BẢN" closing a capitals line and "Mương" opening the next are no "Bản Mường"
    text = "Người dân ở Bản Mường làm nương.\nBIÊN BẢN\nMương thủy lợi của xã được nạo vét."
    assert restore_vie(text) == text


def test_which_names_a_document_remembers() -> None:
    from ocr_pipeline.restore.decoder import case_memory
    from ocr_pipeline.restore.tokenize import tokenize

    def memory(text: str) -> dict:
        return case_memory([tokenize(text, {})])

    # a title-case run with its marks, a line break inside it
    assert memory("về xã Đông Khê\nVĩnh năm nay") == {
        ("dong", "khe", "vinh"): (("đông", "khê", "vĩnh"), 1)
    }
    # a name whose marks were lost vouches for nothing, nor does one word alone
    assert memory("ông Dao Van Khanh Hải và bà Hương ký") == {}
    # two spellings as often as each other: none is remembered; more often: that one
    assert memory("xã Tân Lâm và xã Tân Lầm") == {}
    assert memory("xã Tân Lâm, xã Tân Lầm, xã Tân Lâm") == {("tan", "lam"): (("tân", "lâm"), 2)}


def test_a_capitals_line_with_marks_stacked_on_one_vowel_lost_its_marks() -> None:
    from ocr_pipeline.restore.detect import channel_runs, line_is_unmarked

    # two marks on one vowel is no syllable: the whole line is read as marks-lost text
    assert line_is_unmarked("KẾ HOẠCH THỰC HIỆẸN") is True
    assert line_is_unmarked("CÔNG TÁC TUYÊỀN TRUYỀN") is True
    # correct capitals (a horn and a tone on "ƯU" are two vowels, not one) keep theirs
    assert line_is_unmarked("KẾ HOẠCH THỰC HIỆN") is False
    assert line_is_unmarked("NGHIÊN CỨU SƯU TẦM") is False
    assert line_is_unmarked("- IƯU: VT") is not True  # "Lưu" misread, its "ưu" is no stack
    text = "Nội dung của kế hoạch như sau.\nKẾ HOẠCH THỰC HIỆẸN\n"
    assert [c for _s, _e, c in channel_runs(text, "vie")] == ["vie", "eng"]


def test_a_capitals_heading_with_stacked_marks_is_restored(restore_vie) -> None:
    for line, restored in [
        ("PHƯƠNG HƯỚNG THỰC HIỆẸN", "PHƯƠNG HƯỚNG THỰC HIỆN"),
        ("CÔNG TÁC PHỐI HỢP TRUYÊỀN THÔNG", "CÔNG TÁC PHỐI HỢP TRUYỀN THÔNG"),
    ]:
        text = f"Các đơn vị thực hiện như sau.\n{line}\n"
        assert restore_vie(text).split("\n")[1] == restored


def test_a_name_whose_surname_and_middle_name_lost_their_marks(restore_vie) -> None:
    # the given name shows the scan read marks: the bare surname and middle name lost theirs
    assert restore_vie("Người ký là bà Mac Thi Lan Hương.") == "Người ký là bà Mạc Thị Lan Hương."
    # an unmarked word that is common there in names is kept ("Thu", "Thanh")
    for text in ["Người ký là bà Nguyễn Thị Thu Hà.", "Người ký là ông Trần Thanh Tùng."]:
        assert restore_vie(text) == text


def test_a_short_capitals_word_with_a_mark_in_small_letters_is_no_acronym(restore_vie) -> None:
    # OCR read the dotted capital of "Vị" opening a line; acronyms carry no vowel mark
    assert restore_vie("2. VỊ thế của hợp tác xã") == "2. Vị thế của hợp tác xã"
    assert restore_vie("kết quả (BI) và (ĐT) của lớp") == "kết quả (BI) và (ĐT) của lớp"
    # a header's word alone on its line, a title-case line below it, is a capital
    text = "TRƯỜNG TIỂU HỌC VĨNH Độc lập - Tự do\nHẠ\nVĩnh Hạ, ngày 2"
    assert restore_vie(text).split("\n")[1] == "HẠ"


def test_a_marks_lost_capitals_line_keeps_the_d_stroke_the_scan_read(restore_vie) -> None:
    # the line goes to the marks-lost (English-model) channel, which never saw a "Đ"
    text = "Các đơn vị thực hiện như sau.\nĐIEU CHỈNH KẾ HOẠCH THỰC HIỆẸN\n"
    assert restore_vie(text).split("\n")[1] == "ĐIỀU CHỈNH KẾ HOẠCH THỰC HIỆN"


def test_a_batch_decoder_remembers_each_text_s_own_names() -> None:
    from ocr_pipeline.restore import adapt_decoder, restore_text

    other = "Báo cáo của xã Đồng Khê Vĩnh gửi huyện về kết quả thu hoạch lúa vụ mùa năm nay."
    header = "ỦY BAN NHÂN DÂN XÃ ĐÓNG KHẾ VINH\n" + BODY
    decoder, _ = adapt_decoder([other, header], "vie")
    # the other text's "Đồng Khê Vĩnh" is no spelling of this one's name
    assert decoder.case_memory is None
    assert restore_text(header, decoder=decoder).split("\n")[0] == (
        "ỦY BAN NHÂN DÂN XÃ ĐÔNG KHÊ VĨNH"
    )


HEADER_ROW = "HỘI NÔNG DÂN HUYỆN PHÚ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
PLACE_LINE = "\nSố: 12/BC-HND Phú Khê, ngày 3 tháng 2 năm 2025\nHội Nông dân huyện báo cáo."


def test_a_capitals_name_cut_by_a_two_column_header_line_is_remembered(restore_vie) -> None:
    # the left column's "HUYỆN PHÚ KHE" wrapped: its last word stands alone below the row
    text = HEADER_ROW + "KHE" + PLACE_LINE
    assert restore_vie(text).split("\n")[1] == "KHÊ"
    # a word the scan read with other marks is its reading against the document's
    text = HEADER_ROW + "KHẾ" + PLACE_LINE
    assert restore_vie(text).split("\n")[1] == "KHẾ"


def test_a_stream_s_marks_lost_lines_keep_their_d_stroke() -> None:
    from ocr_pipeline.restore import restore_lines

    lines = ["Các đơn vị thực hiện như sau.\n", "ĐIEU CHỈNH KẾ HOẠCH THỰC HIỆẸN\n"]
    out = list(restore_lines(lines, "vie", window=1))
    assert out[1] == "ĐIỀU CHỈNH KẾ HOẠCH THỰC HIỆN\n"


def test_a_marked_twin_is_made_once_and_never_taken_from_another_decoder() -> None:
    from ocr_pipeline.restore import get_decoder

    shared = get_decoder("eng")
    first = shared.remembering(None, marked=True)
    again = shared.remembering({}, marked=True)
    assert first.marked_document and again.marked_document
    assert first._cand_cache is again._cand_cache  # page after page, one cache
    lexicon = shared.adapted(memory={"khê": 2.0})
    mine = lexicon.remembering(None, marked=True)
    assert mine.memory == {"khê": 2.0} and mine._cand_cache is not first._cand_cache


@pytest.mark.parametrize(
    ("scanned", "expected"),
    [
        # an organisational unit (dictionaries/terms.tsv) the scan read with a tone on "Chi"
        ("- Lãnh đạo Chỉ cục;", "- Lãnh đạo Chi cục;"),
        ("CHỈ CỤC THUẾ KHU VỰC IX", "CHI CỤC THUẾ KHU VỰC IX"),
        ("BAN CHỈ HUY QUẦN SỰ", "BAN CHỈ HUY QUÂN SỰ"),
    ],
)
def test_the_name_of_an_administrative_unit_is_restored(restore_vie, scanned, expected) -> None:
    assert restore_vie(scanned) == expected
