"""Text typed in VIQR (RFC 1456), converted: Vietnamese written in plain ASCII.

Before Unicode, e-mail, newsgroups and some office tools wrote Vietnamese in VIQR: each
mark is an ASCII character typed right after its vowel, the vowel's own mark first ("(" for
the breve, "^" for the circumflex, "+" for the horn), then the tone ("'" sắc, "`" huyền,
"?" hỏi, "~" ngã, "." nặng), and "dd" is "đ": "Vie^.t Nam", "ddu+o+`ng" for "Việt Nam",
"đường". A backslash keeps a mark character as it is ("\\." is a full stop).

`to_unicode(text)` converts. A "." or "?" after a word's last vowel is its tone where the
sentence goes on (a lower-case word, a digit or punctuation after it: "ho^. gia ddi`nh",
"nghi.."), and the punctuation it is where a line ends or a capital follows: RFC 1456 asks
writers to escape such a full stop or question mark, and few do. Whether a text is VIQR
at all is decided by `ocr_pipeline.legacy_encodings`, which compares the readings
(`looks_like_viqr` first says whether it is worth trying).
"""

from __future__ import annotations

import re
import unicodedata

_SHAPES = {"(": "\u0306", "^": "\u0302", "+": "\u031b"}
_TONES = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}
# the shapes each vowel takes (ă â ê ô ơ ư)
_SHAPED = {"a": "(^", "e": "^", "o": "^+", "u": "+"}

# a vowel, its shape mark, its tone mark; "." and "?" where the sentence goes on after them
_MARKED = re.compile(
    r"(?<!\\)([aeiouyAEIOUY])([(^+]?)([`'~]|[.?](?=[A-Za-z]|[.,;:!?)\]]|[ \t]+[a-z0-9])|)"
)
_D_STROKE = re.compile(r"(?<![A-Za-z])([dD])[dD]")
_ESCAPED = re.compile(r"\\([(^+`'?~.])")
# what VIQR leaves in a text and nothing else does: a vowel's shape mark (â, ơ, ă...) or
# "dd"; an apostrophe after a vowel is no sign, as English-model OCR reads ư so ("tu'")
_SIGN = re.compile(r"[aeouAEOU][(^+]|(?<![A-Za-z])(?:dd|DD)(?=[aeiouyAEIOUY])")
SIGNS_PER_WORD = 0.1  # VIQR marks a third of the words so; other ASCII text almost none


def _marked(m: re.Match[str]) -> str:
    vowel, shape, tone = m.group(1), m.group(2), m.group(3)
    if shape and shape not in _SHAPED.get(vowel.lower(), ""):
        return m.group()  # "i^" is no Vietnamese letter: left as typed
    if not shape and not tone:
        return vowel
    return vowel + _SHAPES.get(shape, "") + _TONES.get(tone, "")


def to_unicode(text: str) -> str:
    """VIQR text in Unicode, NFC."""
    converted = _MARKED.sub(_marked, text)
    converted = _D_STROKE.sub(lambda m: "Đ" if m.group(1) == "D" else "đ", converted)
    return unicodedata.normalize("NFC", _ESCAPED.sub(r"\1", converted))


def looks_like_viqr(text: str) -> bool:
    """`text` holds VIQR's shape marks or "dd" on SIGNS_PER_WORD of its words at least
    (plain ASCII text has an "(a)" now and then)."""
    words = len(text.split())
    return bool(words) and len(_SIGN.findall(text)) >= SIGNS_PER_WORD * words


__all__ = ["looks_like_viqr", "to_unicode"]
