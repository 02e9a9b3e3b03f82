"""`text.plain_glyphs`: OCR glyphs that Vietnamese print writes as plain letters."""

import pytest

from ocr_pipeline.text import plain_glyphs


@pytest.mark.parametrize(
    ("ocr", "want"),
    [
        ("112\u2044BC-UB", "112/BC-UB"),  # a fraction slash
        ("ﬁ", "fi"),  # a ligature
        # a light scan's L read "I.": inside capitals, before small letters, before an
        # acronym's consonants, after a recipient's dash or a bracket
        ("QI.BVR.", "QLBVR."),
        ("BQI.C.", "BQLC."),
        ("I.ưu:", "Lưu:"),
        ("-I.u:", "-Lu:"),
        ("I.ê", "Lê"),  # a surname: no point is labelled ê
        ("(I.HPN)", "(LHPN)"),
    ],
)
def test_glyphs_read_as_print_writes_them(ocr: str, want: str) -> None:
    assert plain_glyphs(ocr) == want


@pytest.mark.parametrize(
    "word",
    [
        "I.",
        "II.",
        "I.ĐẶC",
        "I.Mở",
        "II.a",
        "III.b",
        "VI.a",
        "XI.A",
        "I.1",
        "TP.HCM",
        "I.U",
        "I.a",
        "I.b)",
        "I.B",
        "NỘI.HĐND",
        "HỘI.CN",
        "HỘI.nông",
    ],  # fmt: skip
)
def test_roman_labels_and_abbreviations_stay(word: str) -> None:
    # a roman label typed against its title, a point under one, a city's abbreviation, a
    # word ending in I before a speck (split by ocr.unspecked, not read as an L)
    assert plain_glyphs(word) == word
