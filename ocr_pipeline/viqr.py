"""Text typed in VIQR (RFC 1456), converted: Vietnamese written in plain ASCII.

Before Unicode, e-mail, newsgroups and some office tools wrote Vietnamese in VIQR: each
mark is an ASCII character typed right after its vowel, the vowel's own mark first ("(" for
the breve, "^" for the circumflex, "+" for the horn), then the tone ("'" sắc, "`" huyền,
"?" hỏi, "~" ngã, "." nặng), and "dd" is "đ": "Vie^.t Nam", "ddu+o+`ng" for "Việt Nam",
"đường". A backslash keeps a mark character as it is ("\\." is a full stop).

`to_unicode(text)` converts. A "." after a word's last vowel is its tone where the
sentence goes on (a lower-case word, a digit or punctuation after it: "ho^. gia ddi`nh",
"nghi.."; on a line of capitals, a capital word too), and the full stop it is where a line
ends or a capital follows; a "?" is the hỏi tone but where a line ends (a question is
rare in these documents): RFC 1456 asks writers to escape such a stop or question mark,
and few do. Addresses and file names ("ubnd@xa.gov.vn", "bao_cao.doc") are kept as
written, and "dd" is đ only before a vowel ("dd/mm/yyyy" stays). Whether a text is VIQR
at all is decided by `ocr_pipeline.legacy_encodings`, which compares the readings
(`looks_like_viqr` first says whether it is worth trying).
"""

from __future__ import annotations

import bisect
import re
import unicodedata

_SHAPES = {"(": "\u0306", "^": "\u0302", "+": "\u031b"}
_TONES = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}
# the shapes each vowel takes (ă â ê ô ơ ư)
_SHAPED = {"a": "(^", "e": "^", "o": "^+", "u": "+"}

# a vowel, its shape mark, its tone mark ("." and "?" told from punctuation in `_marked`)
_MARKED = re.compile(r"(?<!\\)([aeiouyAEIOUY])([(^+]?)([`'~.?]?)")
# đ opens a syllable: "dd" before a vowel, "DD" in capitals too ("QDD-UBND", "HDDND");
# "dd/mm/yyyy" is no đ
_D_STROKE = re.compile(r"(?<![A-Za-z])dd(?=[aeiouyAEIOUY])|(?<![a-z])DD")
_ESCAPED = re.compile(r"\\([(^+`'?~.])")
# what VIQR leaves in a text and nothing else does: a vowel's shape mark (â, ơ, ă...) or
# "dd"; an apostrophe after a vowel is no sign, as English-model OCR reads ư so ("tu'")
_SIGN = re.compile(r"[aeouAEOU][(^+]|(?<![A-Za-z])(?:dd|DD)(?=[aeiouyAEIOUY])")
SIGNS_PER_WORD = 0.1  # VIQR marks a third of the words so; other ASCII text almost none
# an address or a file name is written as it is ("ubnd@yahoo.com", "bao_cao.doc")
_KEPT_CHUNK = re.compile(
    r"@|://|www\.|_|\.(?:vn|com|org|net|edu|gov|doc|docx|xls|xlsx|pdf|txt|jpg|png)\b", re.I
)
_WORD_BEFORE = re.compile(r"[A-Za-z(^+`'~?.]*$")


def _tone_goes_on(text: str, end: int, word_upper: bool, mark: str) -> bool:
    """A "." or "?" ending at `end` is a tone where the sentence goes on after it: a
    letter, a punctuation mark, one more stop ("nghi.." is "nghị."; three are an
    ellipsis), or a lower-case word or a digit after a space; a "?" before any word of
    the line (hỏi is common, a question rare: "so+? U?y ban"); and on a line of capitals,
    the next capital word ("CHU? NGHI~A")."""
    rest = text[end : end + 3]
    if not rest:
        return False
    head = rest[0]
    if mark == "?" and head in " \t" and text[end:].lstrip(" \t")[:1] not in ("", "\n", "\r"):
        return True
    if head.isalpha() or head in ",;:!?)]":
        return True
    if head == ".":
        return not rest.startswith("..")
    after = text[end:].lstrip(" \t")[:1]
    if head in " \t" and after:
        return after.islower() or after.isdigit() or (word_upper and after.isupper())
    return False


def _marked(m: re.Match[str]) -> str:
    vowel, shape, tone = m.group(1), m.group(2), m.group(3)
    if shape and shape not in _SHAPED.get(vowel.lower(), ""):
        return m.group()  # "i^" is no Vietnamese letter: left as typed
    if tone in (".", "?"):
        head = _WORD_BEFORE.search(m.string[max(0, m.start() - 30) : m.start()])
        word = (head.group() if head else "") + vowel
        letters = [c for c in word if c.isalpha()]
        if not _tone_goes_on(m.string, m.end(), all(c.isupper() for c in letters), tone):
            return vowel + _SHAPES.get(shape, "") + tone  # punctuation after the word
    return vowel + _SHAPES.get(shape, "") + _TONES.get(tone, "")


def to_unicode(text: str) -> str:
    """VIQR text in Unicode, NFC; addresses and file names (`_KEPT_CHUNK`) as written."""
    kept = [c.span() for c in re.finditer(r"\S+", text) if _KEPT_CHUNK.search(c.group())]
    starts = [a for a, _ in kept]

    def in_kept(pos: int) -> bool:
        k = bisect.bisect_right(starts, pos) - 1
        return k >= 0 and pos < kept[k][1]

    def marked(m: re.Match[str]) -> str:
        return m.group() if in_kept(m.start()) else _marked(m)

    def stroke(m: re.Match[str]) -> str:
        if in_kept(m.start()):
            return m.group()
        return "Đ" if m.group()[0] == "D" else "đ"

    converted = _D_STROKE.sub(stroke, _MARKED.sub(marked, text))
    return unicodedata.normalize("NFC", _ESCAPED.sub(r"\1", converted))


def looks_like_viqr(text: str) -> bool:
    """`text` holds VIQR's shape marks or "dd" on SIGNS_PER_WORD of its words at least
    (plain ASCII text has an "(a)" now and then)."""
    words = len(text.split())
    return bool(words) and len(_SIGN.findall(text)) >= SIGNS_PER_WORD * words


__all__ = ["looks_like_viqr", "to_unicode"]
