"""Words of the ethnic minorities' names, which are no Vietnamese syllable and must stay.

Documents of the Central Highlands, the northern mountains and the Mekong delta name people
and places in the romanised Ê Đê, Jarai, Bahnar, Mnông or Khmer spellings: "Y Mah Êban",
"H' Lim Niê", "Ksor Hlăk", "Kpă Thị Hên", "xã Ea Kơ Ning". The decoder keeps a token that
is no Vietnamese syllable only at a high cost, so a correct "Mah" became "Mai", "Niê"
"Núi", "Êban" "Bản". ``minority_name_word(token)`` says whether a capitalised token is
shaped as such a word and as no OCR slip of a Vietnamese syllable is: a breve vowel
Vietnamese lacks (ĕ ĭ ŏ ŭ), a final Vietnamese lacks after a vowel (-h, -k, -l, -r, -s,
-j, -w: "Mah", "Hlăk", "Kuăl"), an onset cluster Vietnamese lacks before a vowel ("Kr",
"Kp", "Ksor", "Hl", "Ml", "Dl", "Bl", "Hđ"), a rhyme Vietnamese closes but these languages
leave open ("Kpă", "Niê"), or two vowel groups in one word opening with a vowel ("Êban",
"Ayŭn", "Adrơng"). The decoder keeps such a word, capitalised inside a sentence, as
written (`Weights.keep_minority`); an OCR's garble of a Vietnamese word ("Tqxn", "Udng",
"Pén") has none of these shapes, a word whose letters are a Vietnamese syllable's once
its marks are gone ("Dak", "Lak" of "Đắk Lắk") is left to the decoder, and so is a word
with a tone mark ("Trầh", "Tlường", "Krần", "Pliạm": slips of "Trần", "Trường", "Phạm"),
but one that closes on a "k" no Vietnamese syllable ends with ("Búk" of "Krông Búk",
"Drắk" of "M'Drắk"), where the Central Highlands' names write a tone.

Tesseract reads a breve over a small letter as two dots: "Hläk" for "Hlăk", "Kuäl" for
"Kuăl". No Vietnamese or minority spelling has a diaeresis, so ``with_breves`` reads one
as the breve before the shape is judged (`DIAERESIS_AS_BREVE`).
"""

from __future__ import annotations

import regex

from ocr_pipeline.restore.orthography import (
    is_valid_syllable,
    nfc,
    syllable_skeletons,
    tone_of,
)
from ocr_pipeline.text import strip_marks

#: a diaeresis Tesseract reads where the page has a breve
DIAERESIS_AS_BREVE = str.maketrans("äëïöüÄËÏÖÜ", "ăĕĭŏŭĂĔĬŎŬ")
_VOWEL = "aăâeêioôơuưyĕĭŏŭáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
_LETTER = _VOWEL + "bcdđghklmnpqrstvxjwfz"
_WORD = regex.compile(f"[{_LETTER}]{{2,9}}")
_SHORT_VOWEL = regex.compile("[ĕĭŏŭ]")
_FOREIGN_FINAL = regex.compile(f"[{_VOWEL}][hklrsjw]$")
_CLUSTERS = "k[rpsdlnmtj]|h[lrmnđwj]|m[lnr]|d[lr]|b[lr]|p[lr]|tl"
_CLUSTER_ONSET = regex.compile(f"^(?:{_CLUSTERS})[{_VOWEL}]")
_OPEN_RHYME = regex.compile("(?:[ăâ]|iê|uô|ươ)$")
_TWO_VOWEL_GROUPS = regex.compile(f"^[{_VOWEL}]+[^{_VOWEL}]+[{_VOWEL}]")
_TONED_NAME_END = regex.compile(f"[{_VOWEL}]k$")  # "Búk", "Drắk": a tone the names write


def with_breves(token: str) -> str:
    """`token` with each diaeresis read as a breve ("Hläk" -> "Hlăk")."""
    return token.translate(DIAERESIS_AS_BREVE)


def minority_name_word(token: str) -> bool:
    """Whether capitalised `token` (NFC, its diaereses read as breves) is shaped as a word
    of a minority's romanised name and as no Vietnamese syllable (see the module
    docstring)."""
    if len(token) < 2 or not token[0].isupper() or not token[1:].islower():
        return False
    low = nfc(token).lower()
    if not _WORD.fullmatch(low) or is_valid_syllable(low):
        return False
    if strip_marks(low) in syllable_skeletons():  # "Dak": "Đắk" that lost its marks
        return False
    if tone_of(low) and not _TONED_NAME_END.search(low):
        return False  # "Trầh", "Krần": a tone is Vietnamese's, an OCR slip of a syllable
    return bool(
        _SHORT_VOWEL.search(low)
        or _FOREIGN_FINAL.search(low)
        or _CLUSTER_ONSET.search(low)
        or _OPEN_RHYME.search(low)
        or _TWO_VOWEL_GROUPS.search(low)
    )


__all__ = ["DIAERESIS_AS_BREVE", "minority_name_word", "with_breves"]
