"""ALL-CAPS lines from Tesseract's vie model: marks lost or swapped on capitals are restored,
acronyms and roman numerals are kept, correct capitals stay as they are (real models)."""

from __future__ import annotations

import pytest
from restore_models import needs_models

pytestmark = needs_models("confusion_vie.tsv", "confusion_vie_caps.tsv")


@pytest.fixture(scope="module")
def restore_vie():
    from ocr_pipeline.restore import restore_text

    restore_text("a", "vie")  # load once for the module
    return lambda text: restore_text(text, "vie")


def test_dropped_marks_on_a_caps_heading_are_restored(restore_vie) -> None:
    assert restore_vie("MỤC ĐÍCH, YEU CAU") == "MỤC ĐÍCH, YÊU CẦU"
    assert restore_vie("II. KET QUA THUC HIEN NHIEM VU") == "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ"


def test_swapped_marks_on_capitals_are_restored(restore_vie) -> None:
    # hook read as acute and a tone lost: what Tesseract does to capitals
    assert restore_vie("BÁO CÁO TỔNG KẾT CÔNG TÁC BẢO HIẾM XÃ HỘI") == (
        "BÁO CÁO TỔNG KẾT CÔNG TÁC BẢO HIỂM XÃ HỘI"
    )


def test_acronyms_and_roman_numerals_are_kept(restore_vie) -> None:
    src = (
        "III. UBND, HĐND, BCH ĐOÀN THCS VÀ PHÒNG CHỐNG COVID-19, COVID, ASEAN, WTO\n"
        "IV. VỐN ODA, FDI; DỰ ÁN BOT, PPP; GDP, CPI CỦA CHƯƠNG VI VÀ OCOP"
    )
    out = restore_vie(src)
    for keep in (
        "III.",
        "UBND",
        "HĐND",
        "BCH",
        "THCS",
        "COVID-19",
        "COVID,",
        "ASEAN",
        "WTO",
        "IV.",
        "ODA",
        "FDI",
        "BOT",
        "PPP",
        "GDP",
        "CPI",
        "VI VÀ",
        "OCOP",
    ):
        assert keep in out, (keep, out)


def test_correct_caps_unchanged(restore_vie) -> None:
    for text in (
        "KẾ HOẠCH TỔ CHỨC HỘI NGHỊ TỔNG KẾT NĂM 2025",
        "QUYẾT ĐỊNH VỀ VIỆC KIỆN TOÀN BAN CHỈ ĐẠO",
        "BẢO ĐẢM AN NINH TRẬT TỰ TRÊN ĐỊA BÀN PHƯỜNG",
    ):
        assert restore_vie(text) == text


def test_eth_read_for_capital_d_is_fixed(restore_vie) -> None:
    out = restore_vie("ÐIỂM Ð KHOẢN 2\nÐ) ÁP DỤNG BIỆN PHÁP KHẮC PHỤC")
    assert out == "ĐIỂM Đ KHOẢN 2\nĐ) ÁP DỤNG BIỆN PHÁP KHẮC PHỤC"


def test_caps_words_glued_by_ocr_are_split(restore_vie) -> None:
    assert restore_vie("KẾ HOẠCH PHÒNG CHỐNG DỊCHVÀ THIÊN TAI") == (
        "KẾ HOẠCH PHÒNG CHỐNG DỊCH VÀ THIÊN TAI"
    )
    assert restore_vie("HỌC KỲ II NĂM HỌC") == "HỌC KỲ II NĂM HỌC"
    # brand names and loanwords carry no mark: never split ("NO KIA", "DA TA")
    assert restore_vie("CỬA HÀNG NOKIA VÀ TRUNG TÂM DATA") == "CỬA HÀNG NOKIA VÀ TRUNG TÂM DATA"


def test_a_header_takes_the_marks_the_text_below_spells_twice(restore_vie) -> None:
    body = "Nhân dân xã Mỹ Khê hưởng ứng phong trào. Các thôn của xã Mỹ Khê đều tham gia.\n"
    # Tesseract read the capital Ê of the header as Ế: the text below says "Mỹ Khê"
    assert restore_vie("ỦY BAN NHÂN DÂN\nXÃ MỸ KHẾ\n\n" + body).split("\n")[1] == "XÃ MỸ KHÊ"
    # a name in title case spelled once is evidence too (`decoder.case_memory`): the
    # marks of small letters are read far better than those of capitals; but a word with
    # a tone of its own on the same letters may be another name ("LÊ THỊ HÒA" beside one
    # "Lê Thị Hoa"): once is no evidence against it
    once = "Nhân dân xã Mỹ Khê hưởng ứng phong trào.\n"
    assert restore_vie("ỦY BAN NHÂN DÂN\nXÃ MY KHE\n\n" + once).split("\n")[1] == "XÃ MỸ KHÊ"
    assert restore_vie("ỦY BAN NHÂN DÂN\nXÃ MỸ KHẾ\n\n" + once).split("\n")[1] == "XÃ MỸ KHẾ"
    people = "Ông Lê Văn Hòa đề nghị hỗ trợ bà Lê Thị Hoa, thôn Bản Hạ.\nNGƯỜI LẬP BIỂU\n"
    assert restore_vie(people + "LÊ THỊ HÒA\n").endswith("LÊ THỊ HÒA\n")


def test_a_glued_word_of_a_page_becomes_two_words_with_their_boxes(restore_vie) -> None:
    from ocr_pipeline.model import BBox, Line, Page, Word
    from ocr_pipeline.restore import restore_page

    texts = ["KẾ", "HOẠCH", "PHÒNG", "CHỐNG", "DỊCHVÀ", "THIÊN", "TAI"]
    words = [Word(t, BBox(100 * i, 10, 100 * i + 90, 40), 90.0) for i, t in enumerate(texts)]
    page = Page(1, 1000, 100, 300, [Line(words, BBox(0, 10, 790, 40))])
    out = restore_page(page, channel="vie").lines[0].words
    assert [w.text for w in out] == ["KẾ", "HOẠCH", "PHÒNG", "CHỐNG", "DỊCH", "VÀ", "THIÊN", "TAI"]
    first, second = out[4], out[5]
    assert (first.bbox.left, second.bbox.right) == (400, 490)  # the box shared by letters
    assert first.bbox.right == second.bbox.left == 460
    assert (first.ocr_text, second.ocr_text) == ("DỊCH", "VÀ")


def test_a_capitals_name_read_with_its_marks_keeps_a_word_without_a_tone(restore_vie) -> None:
    # "KHANH", "TOAN" are names as much as "KHÁNH", "TOÀN": the rest of the name shows
    # that the OCR read its marks
    text = "Ông NGUYỄN VĂN KHANH, cán bộ địa chính xã.\nCHỦ TỊCH\nTRẦN THỊ TOAN\n"
    assert restore_vie(text) == text
