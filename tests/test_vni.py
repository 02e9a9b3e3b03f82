"""VNI (VNI-Windows fonts) text taken for Latin-1: converted, told from TCVN3 and from text
in no legacy encoding (`ocr_pipeline.vni`, `ocr_pipeline.legacy_encodings`). Invented text."""

from __future__ import annotations

import pytest
from restore_models import needs_models

from ocr_pipeline.legacy_encodings import TCVN3, VNI, legacy_reading
from ocr_pipeline.vni import to_unicode

VNI_TEXT = (
    "UÛY BAN NHAÂN DAÂN XAÕ PHÖÔÙC HOØA\n"
    "Thoâng baùo keát quaû tieâm chuûng cho treû em taïi traïm y teá xaõ trong thaùng naêm "
    "vöøa qua; Ñoaøn thanh nieân phoái hôïp vôùi caùc thoân, aáp ñeå vaän ñoäng ngöôøi daân."
)
UNICODE = (
    "ỦY BAN NHÂN DÂN XÃ PHƯỚC HÒA\n"
    "Thông báo kết quả tiêm chủng cho trẻ em tại trạm y tế xã trong tháng năm "
    "vừa qua; Đoàn thanh niên phối hợp với các thôn, ấp để vận động người dân."
)


def test_vni_bytes_read_as_the_letters_they_mark() -> None:
    assert to_unicode(VNI_TEXT) == UNICODE
    assert to_unicode("aê aé aè aú aü aë") == "ă ắ ằ ẳ ẵ ặ"  # the breve's row
    assert to_unicode("aâ aá aà aå aã aä eä oå") == "â ấ ầ ẩ ẫ ậ ệ ổ"  # the circumflex's
    assert to_unicode("ì í æ ó ò") == "ì í ỉ ĩ ị"  # i's tones are letters of their own
    assert to_unicode("Kyù lyù, thaäp kyû, Lyõ, Mî Tho") == "Ký lý, thập kỷ, Lỹ, Mỵ Tho"
    assert to_unicode("Naêm 2003") == "Năm 2003"


def test_the_encoding_is_the_one_whose_reading_is_vietnamese() -> None:
    tcvn3 = "Uû ban nh©n d©n x· Hßa B×nh th«ng b¸o kÕ ho¹ch tiªm chñng cho trÎ em."
    assert legacy_reading(VNI_TEXT) is VNI  # its "ô" and "ù" are TCVN3 letters too
    assert legacy_reading(tcvn3) is TCVN3
    for text in (UNICODE, "The café served crème brûlée à la carte.", "Pang uy chinh quyén"):
        assert legacy_reading(text) is None
    # one word of an English-model OCR line that a VNI reading turns into a syllable
    assert legacy_reading("dia ban phaét trién san xuét, kinh doanh, dich vu") is None


def test_a_raw_legacy_file_is_read_by_the_text_commands(tmp_path) -> None:
    """A file typed in those fonts is not UTF-8 at all: its bytes are the letters; a
    restore of it is read as Unicode, and a file in no such encoding is refused with the
    iconv line for a Windows Vietnamese file."""
    from ocr_pipeline.errors import InputFileError
    from ocr_pipeline.fileio import decode_text

    raw = VNI_TEXT.encode("latin-1")
    assert decode_text(raw, "old.txt") == UNICODE
    tcvn3 = "Uû ban nh©n d©n x· Hßa B×nh th«ng b¸o kÕ ho¹ch tiªm chñng cho trÎ em."
    assert decode_text(tcvn3.encode("latin-1"), "abc.txt").startswith("Uỷ ban nhân dân xã")
    with pytest.raises(InputFileError, match="iconv -f CP1258"):
        decode_text("Café crème".encode("latin-1"), "menu.txt")


@needs_models("confusion_eng.tsv", "confusion_vie.tsv")
@pytest.mark.parametrize("streamed", [False, True])
def test_restoration_reads_vni_as_unicode_and_says_so(caplog, streamed) -> None:
    from ocr_pipeline.restore import restore_lines, restore_text

    with caplog.at_level("WARNING"):
        if streamed:
            out = "".join(restore_lines(VNI_TEXT.splitlines(keepends=True)))
        else:
            out = restore_text(VNI_TEXT)
    assert out == UNICODE
    assert "VNI" in caplog.text and "TCVN3" not in caplog.text
