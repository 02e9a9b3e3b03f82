"""TCVN3 (ABC) text taken for Latin-1: found, converted one character for one."""

from __future__ import annotations

import pytest
from restore_models import needs_models

from ocr_pipeline.tcvn3 import TO_UNICODE, looks_like_tcvn3, to_unicode

TCVN3 = "Uû ban nh©n d©n x· Hßa B×nh th«ng b¸o kÕ ho¹ch tiªm chñng cho trÎ em."
UNICODE = "Uỷ ban nhân dân xã Hòa Bình thông báo kế hoạch tiêm chủng cho trẻ em."


def test_conversion_keeps_every_offset_and_reads_the_letters() -> None:
    assert to_unicode(TCVN3) == UNICODE
    assert len(to_unicode(TCVN3)) == len(TCVN3)
    assert to_unicode("§éc lËp - Tù do - H¹nh phóc") == "Độc lập - Tự do - Hạnh phúc"
    assert to_unicode("M\xadêng Kh\xad¬ng") == "Mường Khương"  # ư is the soft hyphen code
    assert len(set(TO_UNICODE.values())) == len(TO_UNICODE)  # one letter for one code


@pytest.mark.parametrize(
    "text",
    [
        UNICODE,  # Unicode Vietnamese
        "Pang uy, chinh quyén céc phuong xéc dinh dung nhiém vu trong tdm",  # English-model OCR
        "The café served crème brûlée à la carte on the terrace.",
        "BÁO CÁO TÌNH HÌNH",  # ALL-CAPS Vietnamese can be all Latin-1: Á, Ì are letters here
        "KẾT QUẢ: CÔNG TÁC TÀI CHÍNH, BÁO CÁO TÌNH HÌNH",
        "",
    ],
)
def test_other_text_is_not_taken_for_tcvn3(text: str) -> None:
    assert not looks_like_tcvn3(text)


def test_tcvn3_is_found() -> None:
    assert looks_like_tcvn3(TCVN3)


@needs_models("confusion_eng.tsv", "confusion_vie.tsv")
def test_restoration_reads_tcvn3_as_unicode(caplog) -> None:
    from ocr_pipeline.restore import restore_lines, restore_text

    with caplog.at_level("WARNING"):
        out = restore_text(TCVN3)
    assert out == UNICODE.replace("Uỷ", "Ủy")  # traditional tone placement kept
    assert "TCVN3" in caplog.text
    assert "".join(restore_lines([TCVN3 + "\n", TCVN3])) == out + "\n" + out
