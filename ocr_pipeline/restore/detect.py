"""Which channel reads a text, from the marks it carries: the document's, and the runs of
lines inside it that lost their marks.

`detect_channel(text)`: an English-model OCR (Latin-1) never writes ư, ơ, ă, đ, ả, ạ ...;
text with such letters in AUTO_MARKED_SHARE of its words already carries Vietnamese marks
and is read as Tesseract `vie` output, other text as the legacy archives' `eng` OCR.

`channel_runs(text, channel)`: a page Tesseract `vie` read from a document typed without
accents (or a text whose second half was typed so) carries a few marks where the OCR
guessed them, so the document as a whole reads as `vie` output; but the `vie` channel
trusts an unmarked valid syllable ("nhan", "dan") and leaves those lines as they are.
Correct Vietnamese gives about three words in four a mark (TYPICAL_MARKED_SHARE; any
non-ASCII letter: "à" counts here, unlike for `detect_channel`), so a line of
UNMARKED_MIN_WORDS words or more (marked ones, and unmarked ones that spell a syllable:
"UBND", "online" are no Vietnamese word that lost its marks) with so few marks that a
correct line would show so few less than once in 1/UNMARKED_MAX_CHANCE (binomially: no
mark in five words, one in seven, two in nine, three in eleven; Tesseract guesses one here
and there, "qua, bao cao Chủ tịch truoc ngay 30") has lost its marks; it is read with the
marks-lost channel instead. Consecutive lines too short to tell are told together once
they hold as many words (a closing block: "Noi nhén:", "- Dang uy xa;", "CHU TICH", the
signer); fewer keep the reading of the line before them (at the top, of the first line
that tells). Only
`vie` text is ever split (the `eng` channel already reads every line as marks-lost).
A line of capitals with a word whose marks the scan stacked on one vowel ("THỰC HIỆẸN",
"TRUYÊỀN THÔNG": the same vowel twice, a mark on one, no syllable) has lost its marks too,
however many its other words carry: the `vie` channel would keep such a word as written.

`looks_vietnamese(text)`: random characters, binary read as text or a document in another
language are not restored (decoding them is slow and rewrites them into Vietnamese
syllables): a text is Vietnamese, however badly OCR'd, when at least
VIETNAMESE_MIN_SHARE of its letter words, marks removed, spell a Vietnamese syllable (the
legacy sample: 77%; correct text: 97%; English: about 25%; random letters: 7-15%).

Pure functions of the text.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata

from ocr_pipeline.restore.orthography import syllable_skeletons
from ocr_pipeline.text import strip_marks

UNMARKED_MIN_WORDS = 5
TYPICAL_MARKED_SHARE = 0.75
UNMARKED_MAX_CHANCE = 2e-3
MARKS_LOST_CHANNEL = "eng"
_WORD = re.compile(r"[^\W\d_]+")
_VOWEL = re.compile(r"[aeiouyAEIOUY]")
# letters an English-model OCR (Latin-1) never writes: their presence means the text
# already carries Vietnamese marks
_VIETNAMESE_ONLY = re.compile(
    "[ăắằẳẵặơớờởỡợưứừửữựđảạẻẽẹỉĩịỏọủũụỷỹỵầấẩẫậềếểễệồốổỗộ"
    "ĂẮẰẲẴẶƠỚỜỞỠỢƯỨỪỬỮỰĐẢẠẺẼẸỈĨỊỎỌỦŨỤỶỸỴẦẤẨẪẬỀẾỂỄỆỒỐỔỖỘ]"
)
# words with a Vietnamese-only letter: about a third of correct text's words, none of a
# legacy English-model OCR's (the legacy sample has not one)
AUTO_MARKED_SHARE = 0.02
# marked text with tones on fewer of its marked words than this lost them (`toned_words`),
# told on TONED_MIN_WORDS such words at least (a list of names, a short note: too few)
TONES_KEPT_SHARE = 0.6
TONED_MIN_WORDS = 50
_TONE = re.compile("[\u0300\u0301\u0303\u0309\u0323]")
# "u'", "o'" inside a word: ư and ơ as another engine writes them ("du'o'ng", "Thu'c");
# none in correct text or Tesseract `vie` output (every structure set: 0), 5-7% of the
# words of the new users' other-engine texts
_HORN_APOSTROPHE = re.compile(r"[uUoO]['’][^\W\d_]")
HORN_APOSTROPHES_MIN = 3
HORN_APOSTROPHES_SHARE = 0.01
_LATIN = re.compile("^[\u0000-\u024f\u1e00-\u1eff]+$")
AUTO_SAMPLE_CHARS = 200_000  # detect_channel reads at most this much of a text
VIETNAMESE_MIN_SHARE = 0.4
VIETNAMESE_MIN_WORDS = 20  # fewer letter words than this: too little to tell


def detect_channel(text: str) -> str:
    """ "vie" when `text` already carries Vietnamese marks, else "eng" (legacy OCR, or text
    without marks): "vie" when Vietnamese-only letters are in at least AUTO_MARKED_SHARE of
    the words with a vowel (`marked_share`), and in one word at least, and the text has
    not lost its tones (`toned_words`: under TONES_KEPT_SHARE toned): another engine's OCR that
    kept the letters' hats and horns but lost most tones ("chât lương") is read as the
    English model's, which expects lost marks (a new user's: 81% -> 92%). So is a text that
    writes the horn as an apostrophe inside words ("du'o'ng", "Thu'c": `_HORN_APOSTROPHE`)
    in HORN_APOSTROPHES_SHARE of its words, however many tones it kept: only the English
    model's channel reads "u'" as ư (the next new user's: 81% -> 91%)."""
    marked, words = _marked_words(text)
    if not marked or marked < AUTO_MARKED_SHARE * words:
        return "eng"
    horns = len(_HORN_APOSTROPHE.findall(text[:AUTO_SAMPLE_CHARS]))
    if horns >= max(HORN_APOSTROPHES_MIN, HORN_APOSTROPHES_SHARE * words):
        return "eng"
    toned, counted = toned_words(text)
    lost = counted >= TONED_MIN_WORDS and toned < TONES_KEPT_SHARE * counted
    return "eng" if lost else "vie"


def toned_words(text: str) -> tuple[int, int]:
    """(toned, counted): `text`'s lowercase marked words (Latin letters, one beyond ASCII
    at least) over the first AUTO_SAMPLE_CHARS, and how many of them carry a tone mark.
    The toned share is 0.83-0.89 in correct text, Tesseract `vie` output alike, and in a
    text whose lines without any mark are marks-lost lines of their own (`channel_runs`);
    0.36-0.46 in a text whose tones an OCR lost but not its hats. Names, capitals
    ("HĐND") and other scripts are not counted."""
    toned = counted = 0
    for m in _WORD.finditer(text[:AUTO_SAMPLE_CHARS]):
        w = m.group()
        if w.isascii() or not w.islower() or not _LATIN.match(w):
            continue
        counted += 1
        toned += _TONE.search(unicodedata.normalize("NFD", w)) is not None
    return toned, counted


def marked_share(text: str) -> float:
    """The share of `text`'s words with a vowel that hold a Vietnamese-only letter (over the
    first AUTO_SAMPLE_CHARS; codes such as "NĐ-CP" say nothing): about a third in correct
    text, none in an English-model OCR's."""
    marked, words = _marked_words(text)
    return marked / words if words else 0.0


def _marked_words(text: str) -> tuple[int, int]:
    marked = words = 0
    for m in _WORD.finditer(text[:AUTO_SAMPLE_CHARS]):
        w = m.group()
        if not _VOWEL.search(strip_marks(w)):
            continue
        words += 1
        marked += not w.isascii() and _VIETNAMESE_ONLY.search(w) is not None
    return marked, words


def vietnamese_share(text: str) -> tuple[float, int]:
    """(share of the letter words whose unmarked lowercase form is a Vietnamese syllable,
    number of letter words), over the first AUTO_SAMPLE_CHARS of `text`; ALL-CAPS words
    are not counted."""
    skeletons = syllable_skeletons()
    # ALL-CAPS words (acronyms, headings) say nothing either way
    words = [w for m in _WORD.finditer(text[:AUTO_SAMPLE_CHARS]) if not (w := m.group()).isupper()]
    if not words:
        return 0.0, 0
    return sum(strip_marks(w).lower() in skeletons for w in words) / len(words), len(words)


def looks_vietnamese(text: str) -> bool:
    """False when `text` has VIETNAMESE_MIN_WORDS letter words or more and fewer than
    VIETNAMESE_MIN_SHARE of them could be Vietnamese syllables; True otherwise."""
    share, words = vietnamese_share(text)
    return words < VIETNAMESE_MIN_WORDS or share >= VIETNAMESE_MIN_SHARE


def line_is_unmarked(line: str) -> bool | None:
    """True: the line has lost its marks (UNMARKED_MIN_WORDS words or more, marked ones
    and unmarked ones that spell a syllable, and fewer marked ones than a correct line
    shows but once in 1/UNMARKED_MAX_CHANCE:
    Tesseract `vie` guesses one here and there, "thong bao lịch tiep"); False: it carries
    marks; None: too short to tell."""
    return _told(*_mark_counts(line))


def _told(words: int, marked: int, stacked: bool) -> bool | None:
    """`line_is_unmarked` of a line's `_mark_counts`."""
    if stacked:
        return True
    if words >= UNMARKED_MIN_WORDS:
        return _max_unmarked(words) >= marked
    return False if marked else None


def _mark_counts(line: str) -> tuple[int, int, bool]:
    """(words that could be Vietnamese syllables, those with a mark, whether a word's
    marks are stacked on one vowel)."""
    words = marked = 0
    skeletons = syllable_skeletons()
    for m in _WORD.finditer(line):
        w = m.group()
        if _stacked_marks(w):
            return words, marked, True
        if not w.isascii():
            marked += 1
            words += 1
        elif w.lower() in skeletons:  # not "UBND", "online", "Zalo": no syllable lost marks
            words += 1
    return words, marked, False


def _stacked_marks(word: str) -> bool:
    """An ALL-CAPS word whose marks the OCR stacked: no Vietnamese syllable, and a vowel
    written twice in a row with a mark on one of them ("HIỆẸN", "HÃANH", "TRUYÊỀN")."""
    if word.isascii() or not word.isupper() or len(word) < 3:
        return False
    from ocr_pipeline.restore.orthography import is_valid_syllable, stacked_vowels

    return not is_valid_syllable(word) and bool(stacked_vowels(word.lower()))


@functools.cache
def _max_unmarked(words: int) -> int:
    """The most marked words a line of `words` words may have and still be taken for one
    that lost its marks (-1: none): the largest k with P(Binomial(words,
    TYPICAL_MARKED_SHARE) <= k) < UNMARKED_MAX_CHANCE."""
    p, chance, k = TYPICAL_MARKED_SHARE, 0.0, -1
    for j in range(words + 1):
        chance += math.comb(words, j) * p**j * (1 - p) ** (words - j)
        if chance >= UNMARKED_MAX_CHANCE:
            break
        k = j
    return k


def channel_runs(text: str, channel: str) -> list[tuple[int, int, str]]:
    """(start, end, channel) runs covering `text` in order: `channel` everywhere, except,
    when it is "vie", runs of lines that lost their marks, read with MARKS_LOST_CHANNEL.
    Consecutive short lines (fewer than UNMARKED_MIN_WORDS words: a closing block's
    "Nơi nhận:", "- Đảng ủy xã;", "CHỦ TỊCH", the signer) are told together once they
    hold as many words."""
    if channel != "vie" or not text:
        return [(0, len(text), channel)]
    lines: list[tuple[int, int, bool | None]] = []  # start, end, lost its marks (None: ?)
    pos = 0
    pooled: list[int] = []  # short lines not told yet, and their counts
    words = marked = 0

    def tell_pool() -> None:
        lost = _told(words, marked, False) if words >= UNMARKED_MIN_WORDS else None
        for k in pooled:
            start, end, own = lines[k]
            lines[k] = (start, end, own if lost is None else lost)

    for line in text.splitlines(keepends=True):
        count, with_marks, stacked = _mark_counts(line)
        lines.append((pos, pos + len(line), _told(count, with_marks, stacked)))
        pos += len(line)
        if stacked or count >= UNMARKED_MIN_WORDS:
            tell_pool()
            pooled, words, marked = [], 0, 0
        elif count:
            pooled.append(len(lines) - 1)
            words, marked = words + count, marked + with_marks
    tell_pool()
    runs: list[tuple[int, int, str]] = []
    current, start, decided = channel, 0, False
    for line_start, _end, unmarked in lines:
        if unmarked is not None:
            wanted = MARKS_LOST_CHANNEL if unmarked else channel
            if wanted != current and decided:
                runs.append((start, line_start, current))
                start = line_start
            current, decided = wanted, True
    runs.append((start, len(text), current))
    return runs


__all__ = [
    "AUTO_MARKED_SHARE",
    "AUTO_SAMPLE_CHARS",
    "MARKS_LOST_CHANNEL",
    "TYPICAL_MARKED_SHARE",
    "UNMARKED_MAX_CHANCE",
    "UNMARKED_MIN_WORDS",
    "VIETNAMESE_MIN_SHARE",
    "VIETNAMESE_MIN_WORDS",
    "channel_runs",
    "detect_channel",
    "line_is_unmarked",
    "looks_vietnamese",
    "vietnamese_share",
]
