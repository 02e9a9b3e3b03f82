"""Context words (`restore.decoder.Decoder._with_context_words`): a word the language model
pairs with its neighbour, whose consonants fit the token, is a candidate even where the
channel's own search ranks it too low to keep ("dén" read for "dẫn", "df" for "độ", "nhén"
for "nhân")."""

import copy

import pytest

from ocr_pipeline.restore import decoder as decoder_module
from ocr_pipeline.restore import get_decoder, restore_text

CASES = [
    ("tao moi truong kinh doanh hap dén cho doanh nghiep", "hấp dẫn"),  # after "hấp"
    ("dat mic df hoan thanh tot nhiem vu", "mức độ"),  # after "mức", "df" no syllable
    ("nhén dân", "nhân dân"),  # before "dân", with nothing before it
]


def _restore_cold(ocr: str) -> str:
    """`ocr` restored by a copy of the eng decoder that has cached no candidates yet."""
    cold = copy.copy(get_decoder("eng"))
    cold._cand_cache = {}
    cold._context_cache = {}
    return restore_text(ocr, "eng", adapt=False, decoder=cold)


@pytest.mark.parametrize(("ocr", "expected"), CASES)
def test_a_word_the_context_expects_is_a_candidate(ocr, expected):
    assert expected in _restore_cold(ocr)
    assert expected in restore_text(ocr, "eng")


def test_correct_text_is_left_alone():
    text = "Tạo môi trường kinh doanh hấp dẫn, đạt mức độ hoàn thành tốt nhiệm vụ."
    assert restore_text(text) == text


def test_a_one_letter_skeleton_proposes_no_word_of_vowels_only():
    assert "" not in decoder_module._one_deletion("d")
    assert set(decoder_module._one_deletion("dn")) == {"dn", "d", "n"}


def test_an_accented_word_the_model_does_not_know_is_no_likely_reading():
    # "luén" is a syllable, but none the language model holds: kept, it took the whole
    # unknown-word class's probability and beat "luôn quan tâm"
    assert restore_text("Ban chi huy luén quan tém cong tac nay.", "eng") == (
        "Ban chỉ huy luôn quan tâm công tác này."
    )
