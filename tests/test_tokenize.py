"""Tokenizer: kinds and lossless round trip."""

from __future__ import annotations

import random

import pytest

from ocr_pipeline.restore.tokenize import detokenize, tokenize

ABBR = {"UBND": "UBND", "HDND": "HĐND", "HĐND": "HĐND", "MTTQ": "MTTQ"}


def kinds(text: str, abbr=None) -> list[tuple[str, str]]:
    return [(t.text, t.kind) for t in tokenize(text, abbr) if t.kind != "space"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Pang uy, chinh quyén, MTTQ céc phuong\nxéc dinh  day la\tnhiém vu",
        "1.467,96 đồng; 2020-2025; 16/6/2025; 1679/NQ-UBTVQHI15 (NĐ-CP) x4 d6i s& B§",
        "\x00\x01\ufffd garbage \U0001f600 ¹²³ tdm2 dinh?. nghiép* phu'orng",
        "".join(random.Random(7).choice("aă1 .,-/\n'’*?Đđ§") for _ in range(3000)),
    ],
)
def test_round_trip_is_lossless(text: str) -> None:
    toks = tokenize(text, ABBR)
    assert detokenize(toks) == text
    pos = 0
    for t in toks:
        assert t.start == pos
        pos = t.end


def test_numbers_dates_amounts() -> None:
    got = kinds("1.467,96 2020-2025 16/6/2025 59.866 100")
    assert got == [
        ("1.467,96", "number"),
        ("2020-2025", "number"),
        ("16/6/2025", "number"),
        ("59.866", "number"),
        ("100", "number"),
    ]


def test_codes_and_abbreviations() -> None:
    got = dict(kinds("số 34-CT/TW và NĐ-CP, QH15 HDND - UBND COVID-19", ABBR))
    for code in ("34-CT/TW", "NĐ-CP", "QH15", "HDND", "UBND", "COVID-19"):
        assert got[code] == "abbrev", code
    assert got["số"] == "word"


def test_words_with_ocr_junk_stay_one_token() -> None:
    got = kinds("x4 hdi d6i s& B§ phu'orng 1a")
    assert [k for _, k in got] == ["word"] * 7
    assert got[5] == ("phu'orng", "word")


def test_an_apostrophe_after_a_final_u_or_o_is_the_words() -> None:
    # an English-model OCR's ư and ơ ("tu'" tư, "co’" cơ); two apostrophes close a quote
    got = kinds("tu' nhan, co’ so'' tho'")
    assert ("tu'", "word") in got and ("co’", "word") in got and ("tho'", "word") in got
    assert ("so", "word") in got and got.count(("'", "punct")) == 2
    # a quote opened on the line closes at the apostrophe after a final u or o
    got = kinds("'kieu mau' va (‘ghi chu’) tu' nhan")
    assert ("mau", "word") in got and ("chu", "word") in got and ("tu'", "word") in got


def test_lowercase_hyphenated_words_are_split() -> None:
    assert kinds("Covid-19 kinh-tế") == [
        ("Covid", "word"),
        ("-", "punct"),
        ("19", "number"),
        ("kinh", "word"),
        ("-", "punct"),
        ("tế", "word"),
    ]


def test_footnote_markers() -> None:
    got = kinds("doanh nghiép*. quy dinh?. tâm² hỏi? Có")
    assert ("*", "footnote_marker") in got
    assert got[5:7] == [("dinh", "word"), ("?", "footnote_marker")]
    assert ("²", "footnote_marker") in got
    # a real question mark (followed by space) stays punctuation
    assert ("?", "punct") in got


def test_roman_numerals() -> None:
    got = kinds("Phan I\nII. KHAI QUAT XX")
    assert ("I", "number") in got and ("II", "number") in got and ("XX", "number") in got
    assert ("KHAI", "word") in got


def test_linear_on_huge_line() -> None:
    text = "chinh quyen 1.234,5 x4 " * 20_000  # ~460 KB
    assert detokenize(tokenize(text)) == text


def test_digits_glued_to_letters_stay_in_the_word() -> None:
    assert kinds("18p 1a 16p") == [("18p", "word"), ("1a", "word"), ("16p", "word")]


def test_short_codes_are_abbreviations() -> None:
    got = dict(kinds("(b/c); Lưu: VT, VP. TM. ỦY BAN v/v"))
    for code in ("b/c", "VT", "VP", "TM", "v/v"):
        assert got[code] == "abbrev", code
    assert got["ỦY"] == "word" and got["BAN"] == "word"


def test_addresses_units_and_capital_digit_codes_are_codes() -> None:
    from ocr_pipeline.restore.tokenize import ABBREV, CODE, WORD, tokenize

    def kinds(text):
        return {t.text: t.kind for t in tokenize(text) if not t.text.isspace()}

    k = kinds("xem www.hanoi.gov.vn, vanthu@ubnd.gov.vn 50 m2 ban A1-B2 4n 1a")
    assert k["www.hanoi.gov.vn"] == CODE and k["vanthu@ubnd.gov.vn"] == CODE
    assert k["m2"] == CODE and k["A1-B2"] == ABBREV
    assert k["4n"] == WORD and k["1a"] == WORD  # old OCR's "án" and "là"
    k = kinds("lớp 18A, 9B và 10A1, ỔN 6N, 1A")
    assert k["18A"] == CODE and k["9B"] == CODE and k["10A1"] == CODE  # classes, rooms
    assert k["6N"] == WORD and k["1A"] == WORD  # "ỔN" and "LÀ" as old OCR reads them


def test_a_rate_with_a_currency_code_is_text_not_a_code() -> None:
    # "USD/người/năm": the words after the code are restored like any other word
    got = kinds("3.200 USD/ngudi/nam; 68/BC-UBND", {"USD": "USD", **ABBR})
    assert got == [
        ("3.200", "number"),
        ("USD", "abbrev"),
        ("/", "punct"),
        ("ngudi", "word"),
        ("/", "punct"),
        ("nam", "word"),
        (";", "punct"),
        ("68/BC-UBND", "abbrev"),
    ]
