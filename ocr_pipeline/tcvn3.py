"""Text typed in the old TCVN3 (ABC, the .VnTime fonts) encoding, found and converted.

Before Unicode, Vietnamese offices typed in TCVN 5712:1993 VN3: each marked letter is one
byte of the Latin-1 range ("©" for "â", "¸" for "á", "×" for "ì"), so a file from those
years read as Latin-1 or cp1252 shows "Uû ban nh©n d©n x· Hßa B×nh" for "Uỷ ban nhân dân xã
Hòa Bình". Such text would otherwise go to restoration as OCR noise and come out mangled.

Every TCVN3 letter maps to one Unicode character, so converting keeps every offset. The
capitals with tone marks were typed with the upper-case font (.VnTimeH) on the lower-case
codes: they convert to lower case; the capitals Ă Â Ê Ô Ơ Ư Đ have codes of their own.

`looks_like_tcvn3(text)`: no letter beyond Latin-1 (real Vietnamese Unicode has ư, ơ, ă,
đ, ạ ... in about a third of its words) and at least TCVN3_MIN_SHARE of the words with a
vowel carrying a character that is a letter only in TCVN3 ("©", "¸", "µ", "×"...): an
English-model OCR writes "é" and "ô" but not these.
"""

from __future__ import annotations

import re
import unicodedata

# Unicode letter -> its TCVN3 code, row by row: the bare vowel, then its five tones in the
# order huyền, sắc, hỏi, ngã, nặng ("" where the bare letter is plain ASCII)
_ROWS = {
    "a": "µ¸¶·¹",
    "ă": "¨»¾¼½Æ",
    "â": "©ÇÊÈÉË",
    "e": "ÌÐÎÏÑ",
    "ê": "ªÒÕÓÔÖ",
    "i": "×ÝØÜÞ",
    "o": "ßãáâä",
    "ô": "«åèæçé",
    "ơ": "¬êíëìî",
    "u": "ïóñòô",
    "ư": "\xadõøö÷ù",
    "y": "úýûüþ",
}
_TONES = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng


def _table() -> dict[str, str]:
    table: dict[str, str] = {"®": "đ", "¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ"}
    table.update({"¦": "Ư", "§": "Đ"})
    for vowel, codes in _ROWS.items():
        toned = codes[-5:]
        if len(codes) == 6:
            table[codes[0]] = vowel
        for code, tone in zip(toned, _TONES, strict=True):
            table[code] = unicodedata.normalize("NFC", vowel + tone)
    return table


_TABLE = _table()  # TCVN3 code -> Unicode letter
TO_UNICODE = str.maketrans(_TABLE)
# codes that read as letters only in TCVN3: Latin-1 symbols ("©", "¸", "×") and Latin-1
# letters Vietnamese never writes ("ä", "ß", "Ð"); not those it does, in either case
# ("á", "Ê", "Ì": an ALL-CAPS heading "BÁO CÁO TÌNH HÌNH" is all Latin-1)
_VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_SIGNATURE = frozenset(_TABLE) - _VIETNAMESE_LATIN1 - {"\xad"}
# a letter no 8-bit legacy text holds: text with one is Unicode already
BEYOND_LATIN1 = re.compile(r"[^\x00-\xff]")
_WORD = re.compile(r"\S+")
_VOWEL = re.compile(r"[aeiouyAEIOUY]")
TCVN3_MIN_SHARE = 0.15
SAMPLE_CHARS = 100_000


def looks_like_tcvn3(text: str) -> bool:
    """True when `text` reads as TCVN3 letters taken for Latin-1 (see the module
    docstring)."""
    sample = text[:SAMPLE_CHARS]
    if BEYOND_LATIN1.search(sample):
        return False
    words = signed = 0
    for m in _WORD.finditer(sample):
        w = m.group()
        sign = any(c in _SIGNATURE for c in w)
        if sign or _VOWEL.search(w):
            words += 1
            signed += sign
    return words > 0 and signed >= TCVN3_MIN_SHARE * words


def to_unicode(text: str) -> str:
    """TCVN3 text (read as Latin-1) in Unicode, one character for one: offsets are kept."""
    return text.translate(TO_UNICODE)


__all__ = ["BEYOND_LATIN1", "TCVN3_MIN_SHARE", "TO_UNICODE", "looks_like_tcvn3", "to_unicode"]
