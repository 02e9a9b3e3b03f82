"""Text typed in the old VNI encoding (the VNI-Windows fonts, VNI-Times), converted.

Beside TCVN3 (`ocr_pipeline.tcvn3`), offices of the 1990s and 2000s typed Vietnamese in the
VNI fonts, mostly in the South: a marked vowel is its bare letter followed by a byte for
the marks, read as Latin-1 ("aù" for "á", "aâ" for "â", "aá" for "ấ", "eä" for "ệ"), and a
few letters are bytes of their own ("ö" for "ư", "ô" for "ơ", "ñ" for "đ", "ì" for "ì",
"æ" for "ỉ", "î" for "ỵ"). A file from those years read as Latin-1 or cp1252 shows "Baùo caùo tình
hình thöïc hieän" for "Báo cáo tình hình thực hiện".

`to_unicode(text)` converts; a vowel and its mark byte become one letter, so the text gets
shorter. Whether a text is VNI at all is decided by `ocr_pipeline.legacy_encodings`, which
compares the readings.
"""

from __future__ import annotations

import re
import unicodedata

_HUYEN, _SAC, _HOI, _NGA, _NANG = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"

# letters that are one byte of their own
_LETTERS = {
    "ö": "ư", "Ö": "Ư", "ô": "ơ", "Ô": "Ơ", "ñ": "đ", "Ñ": "Đ",
    "ì": "ì", "Ì": "Ì", "í": "í", "Í": "Í", "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ",
    "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ",
}  # fmt: skip

# the byte after a vowel -> the marks it adds, lower-case bytes after lower-case vowels
_TONE_BYTES = {"ù": _SAC, "ø": _HUYEN, "û": _HOI, "õ": _NGA, "ï": _NANG}
_CIRCUMFLEX_BYTES = {"â": "", "á": _SAC, "à": _HUYEN, "å": _HOI, "ã": _NGA, "ä": _NANG}
_BREVE_BYTES = {"ê": "", "é": _SAC, "è": _HUYEN, "ú": _HOI, "ü": _NGA, "ë": _NANG}


def _marks(vowel: str, byte: str) -> str | None:
    """The combining marks `byte` adds to `vowel` (after `_LETTERS`), or None when it adds
    none to it (the byte is then a letter of its own or a symbol)."""
    if vowel.isupper() != byte.isupper():
        return None
    low, b = vowel.lower(), byte.lower()
    if b in _TONE_BYTES and low in "aeiouyươ":
        return _TONE_BYTES[b]
    if b in _CIRCUMFLEX_BYTES and low in "aeo":
        return _CIRCUMFLEX + _CIRCUMFLEX_BYTES[b]
    if b in _BREVE_BYTES and low == "a":
        return _BREVE + _BREVE_BYTES[b]
    return None


_MARK_BYTES = "".join({**_TONE_BYTES, **_CIRCUMFLEX_BYTES, **_BREVE_BYTES})
_PAIR = re.compile(f"([aeiouyươAEIOUYƯƠ])([{_MARK_BYTES}{_MARK_BYTES.upper()}])")


def _pair(m: re.Match[str]) -> str:
    marks = _marks(m.group(1), m.group(2))
    if marks is None:
        return m.group()
    return unicodedata.normalize("NFC", m.group(1) + marks)


_TO_LETTERS = str.maketrans(_LETTERS)


def to_unicode(text: str) -> str:
    """VNI text (read as Latin-1) in Unicode, NFC. A vowel's mark byte joins its vowel."""
    return _PAIR.sub(_pair, text.translate(_TO_LETTERS))


__all__ = ["to_unicode"]
