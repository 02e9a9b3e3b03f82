"""Basic text tools every stage uses: NFC, diacritic stripping, superscript digits, casing.

This module imports nothing from the package. Stage-specific text rules live with their
stage (Vietnamese syllables in restore/orthography.py, accent folding for anchors in
structure/text.py, grapheme keys in diff/normalize.py); footnote markers in
footnote_markers.py.
"""

from __future__ import annotations

import functools
import unicodedata

import regex

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
TO_SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)
FROM_SUPERSCRIPT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
# glyphs an OCR engine emits that Vietnamese print writes as plain letters: the fraction
# and division slashes ("I1⁄" for "II/", "112⁄BC-UB") and the typographic ligatures
OCR_GLYPHS = str.maketrans(
    {"\u2044": "/", "\u2215": "/", "ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl"}
)
# a capital L whose foot a light scan cut off, read "I." against the letters after it:
# inside a capitals word after a Q, which no syllable writes before I ("QI.BVR", "BQI.C.";
# "CHI.HĐND", "NGHI.QĐ" are syllables before a speck), or opening a word before
# two small letters or more ("I.ưu" for "Lưu"), before one no point is labelled with ("I.ê"
# for the surname "Lê", "I.u"), or before two capitals without a vowel (an
# acronym: "I.HPN" for "LHPN"); a roman label typed against its title ("I.ĐẶC ĐIỂM",
# "I.Mở đầu"), a point under one ("I.a", "II.a") and a word ending in I before a
# speck ("HỘI.CN", "NỘI.HĐND") stay
_DOTTED_L = regex.compile(
    r"(?<=Q)I\.(?=\p{Ll}{2}|[B-DF-HJ-NP-TV-XZĐ]+(?!\p{L}))"
    r"|(?<!\p{L})I\.(?=\p{Ll}{2}|(?![a-eg-iklmnđ])\p{Ll}(?!\p{L})|[B-DF-HJ-NP-TV-XZĐ]{2,}(?!\p{L}))"
)


def plain_glyphs(word: str) -> str:
    """One OCR word with the glyphs Vietnamese print writes otherwise read as it writes
    them (`OCR_GLYPHS`; a capital L read "I.", `_DOTTED_L`)."""
    word = word.translate(OCR_GLYPHS)
    return _DOTTED_L.sub("L", word) if "I." in word else word


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC (cheap when it already is)."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def _strip_char(ch: str) -> str:
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))


# Latin-1 and the Latin Extended blocks (every Vietnamese letter is in them): a lookup table,
# since restoration strips marks for every candidate syllable.
_STRIP_TABLE = {
    code: _strip_char(chr(code))
    for block in ((0xC0, 0x250), (0x1E00, 0x1F00))
    for code in range(*block)
    if _strip_char(chr(code)) != chr(code)
}


def strip_marks(text: str) -> str:
    """The base letters: every diacritic removed (tone and vowel marks), đ -> d.

    >>> strip_marks("Đảng ủy")
    'Dang uy'
    """
    text = nfc(text).translate(_STRIP_TABLE)
    if text.isascii():
        return text
    # other scripts' letters with marks (outside the table): drop combining marks generically
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def to_superscript(digits: str | int) -> str:
    """ASCII digits (or a number) as superscript digits: 12 -> "¹²"."""
    return str(digits).translate(TO_SUPERSCRIPT)


def from_superscript(text: str) -> int:
    """The number written in superscript digits: "¹²" -> 12 (ValueError on anything else)."""
    plain = text.translate(FROM_SUPERSCRIPT)
    if not plain.isascii() or not plain.isdigit():
        raise ValueError(f"not superscript digits: {text!r}")
    return int(plain)


@functools.lru_cache(maxsize=1024)  # asked of the same line again and again as text flows
def is_upper_line(text: str) -> bool:
    """True when the text has letters and (nearly) all of them are upper case."""
    letters = list(filter(str.isalpha, text))
    if len(letters) < 2:
        return False
    lower = sum(map(str.islower, letters))
    return lower == 0 or (len(letters) >= 12 and lower <= 1)
