"""VIQR (RFC 1456, Vietnamese in ASCII) text: converted, and told from other ASCII text
(`ocr_pipeline.viqr`, `ocr_pipeline.legacy_encodings`). Invented text."""

from __future__ import annotations

from restore_models import needs_models

from ocr_pipeline.legacy_encodings import VIQR, legacy_reading
from ocr_pipeline.viqr import looks_like_viqr, to_unicode

VIQR_TEXT = (
    "U?Y BAN NHA^N DA^N XA~ PHU+O+'C HO`A\n"
    "Tho^ng ba'o ke^'t qua? tie^m chu?ng cho tre? em ta.i tra.m y te^' xa~ trong tha'ng "
    "na(m vu+`a qua; DDoa`n thanh nie^n pho^'i ho+.p vo+'i ca'c tho^n dde^? va^.n ddo^.ng "
    "ngu+o+`i da^n."
)
UNICODE = (
    "ỦY BAN NHÂN DÂN XÃ PHƯỚC HÒA\n"
    "Thông báo kết quả tiêm chủng cho trẻ em tại trạm y tế xã trong tháng "
    "năm vừa qua; Đoàn thanh niên phối hợp với các thôn để vận động "
    "người dân."
)


def test_viqr_marks_read_as_the_letters_they_make() -> None:
    assert to_unicode(VIQR_TEXT) == UNICODE
    assert to_unicode("a( a^ e^ o^ o+ u+ dda DDi") == "ă â ê ô ơ ư đa Đi"
    # capitals lines, mid-sentence capitals, codes, addresses and dates
    assert to_unicode("CO^.NG HO`A XA~ HO^.I CHU? NGHI~A") == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA"
    assert to_unicode("tru. so+? U?y ban, So^': 12/QDD-UBND, HDDND") == (
        "trụ sở Ủy ban, Số: 12/QĐ-UBND, HĐND"
    )
    assert to_unicode("ubnd@xa.gov.vn, bao_cao.doc, ngay dd/mm/yyyy, ddi...") == (
        "ubnd@xa.gov.vn, bao_cao.doc, ngay dd/mm/yyyy, đi..."
    )
    assert (
        to_unicode("Vie^.t Nam, nghi.. Ca'c ho^. gia ddi`nh?") == "Việt Nam, nghị. Các hộ gia đình?"
    )
    assert to_unicode("mo^.t ca^u ho?i?\nCo'") == "một câu hỏi?\nCó"  # at a line's end: a question
    assert to_unicode("ca'c mu.c \\. va\\? i^") == "các mục . va? i^"  # escaped, and no letter


def test_viqr_is_read_only_where_its_marks_show() -> None:
    assert looks_like_viqr(VIQR_TEXT) and legacy_reading(VIQR_TEXT) is VIQR
    for text in (UNICODE, "Don't stop (a) now. Is it ok? Yes.", "Pang uy chinh quyen xa"):
        assert legacy_reading(text) is None
    # an English-model OCR's "u'" for ư is no VIQR acute: no shape mark, no "dd"
    horns = "cua tu'ng phu'o'ng va tru'o'ng ho'c, Co' quan do'n vi tu' nhan, ca'c tru'o'ng"
    assert not looks_like_viqr(horns * 3)


@needs_models("confusion_eng.tsv", "confusion_vie.tsv")
def test_restoration_reads_viqr_as_unicode_and_says_so(caplog) -> None:
    from ocr_pipeline.restore import restore_text

    with caplog.at_level("WARNING"):
        out = restore_text(VIQR_TEXT)
    assert out == UNICODE
    assert "VIQR" in caplog.text
