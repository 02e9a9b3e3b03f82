"""Names of the ethnic minorities (Ê Đê, Jarai, Bahnar, Khmer ...), which are no Vietnamese
syllable: which capitalised words are shaped as such a name's and as no OCR slip, and
restoration keeping them (real models), with a breve Tesseract read as a diaeresis put
back. All names and places are invented."""

from __future__ import annotations

import pytest
from restore_models import needs_models

from ocr_pipeline.restore.minority_names import minority_name_word, with_breves


@pytest.mark.parametrize(
    "word",
    ["Mah", "Niê", "Êban", "Ksor", "Kpă", "Hlăk", "Ayŭn", "Adrơng", "Kdăm", "Mlô", "Hđơk"],
)
def test_words_of_minority_names(word: str) -> None:
    assert minority_name_word(word)


@pytest.mark.parametrize(
    "word",
    # Vietnamese syllables, OCR garbles of them (with a tone: "Trầh" for "Trần"), "Đắk
    # Lắk" without its marks, lowercase
    [
        "Mai",
        "Rơ",
        "Chăm",
        "Tqxn",
        "Udng",
        "Pén",
        "Pang",
        "Dak",
        "Lak",
        "mah",
        "MAH",
        "Trầh",
        "Tlường",
        "Tlần",
    ],  # fmt: skip
)
def test_vietnamese_words_and_ocr_slips_are_not(word: str) -> None:
    assert not minority_name_word(word)


def test_a_diaeresis_is_read_as_the_breve_tesseract_lost() -> None:
    assert with_breves("Hläk") == "Hlăk"
    assert with_breves("Kuäl") == "Kuăl"
    assert minority_name_word(with_breves("Hläk"))


@needs_models("confusion_vie.tsv", "confusion_vie_caps.tsv")
def test_restoration_keeps_minority_names_in_accented_text() -> None:
    from ocr_pipeline.restore import restore_text

    text = (
        "Ủy ban nhân dân tỉnh giao ông Y Mah Êban, Phó Chủ tịch, cùng bà H Lim Niê và "
        "ông Ksor Hläk kiểm tra tại xã Ea Kơ Ning trong năm 2024."
    )
    assert restore_text(text, channel="vie") == text.replace("Hläk", "Hlăk")
