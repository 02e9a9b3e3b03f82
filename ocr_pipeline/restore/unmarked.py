"""Runs of lines that carry no marks at all, inside text that otherwise does.

A page Tesseract `vie` read from a document typed without accents (or a text whose second
half was typed so) carries a few marks where the OCR guessed them, so the document as a
whole reads as `vie` output; but the `vie` channel trusts an unmarked valid syllable
("nhan", "dan") and leaves those lines as they are. Correct Vietnamese gives about three
words in four a mark (any non-ASCII letter: "à" counts here, unlike for
`detect_channel`), so a line of UNMARKED_MIN_WORDS words with a vowel and not one mark (or
marks on a tenth of its words at most, where Tesseract guessed one) has lost its marks
(chance for a correct line: about 1e-3 for five words, far less for more); it is read with
the marks-lost channel instead. Lines too short to tell keep the reading of the line
before them (at the top, of the first line that tells).

`channel_runs(text, channel)` cuts `text` into (start, end, channel) runs that cover it;
only `vie` text is ever split (the `eng` channel already reads every line as marks-lost).
Pure functions of the text.
"""

from __future__ import annotations

import re

UNMARKED_MIN_WORDS = 5
UNMARKED_MAX_SHARE = 0.1  # of a line's words: 1 of 10-19, none of 5-9
MARKS_LOST_CHANNEL = "eng"
_WORD = re.compile(r"[^\W\d_]+")
_VOWEL = re.compile(r"[aeiouyAEIOUY]")


def line_is_unmarked(line: str) -> bool | None:
    """True: the line has lost its marks (UNMARKED_MIN_WORDS words with a vowel or more,
    and marks on at most UNMARKED_MAX_SHARE of them: Tesseract `vie` guesses one here and
    there, "thong bao lịch tiep"); False: it carries marks; None: too short to tell."""
    words = marked = 0
    for m in _WORD.finditer(line):
        w = m.group()
        if not w.isascii():
            marked += 1
            words += 1
        elif _VOWEL.search(w):
            words += 1
    if words >= UNMARKED_MIN_WORDS:
        return marked <= UNMARKED_MAX_SHARE * words
    return False if marked else None


def channel_runs(text: str, channel: str) -> list[tuple[int, int, str]]:
    """(start, end, channel) runs covering `text` in order: `channel` everywhere, except,
    when it is "vie", runs of lines that lost their marks, read with MARKS_LOST_CHANNEL."""
    if channel != "vie" or not text:
        return [(0, len(text), channel)]
    runs: list[tuple[int, int, str]] = []
    current, start, pos, decided = channel, 0, 0, False
    for line in text.splitlines(keepends=True):
        unmarked = line_is_unmarked(line)
        if unmarked is not None:
            wanted = MARKS_LOST_CHANNEL if unmarked else channel
            if wanted != current and decided:
                runs.append((start, pos, current))
                start = pos
            current, decided = wanted, True
        pos += len(line)
    runs.append((start, len(text), current))
    return runs


__all__ = [
    "MARKS_LOST_CHANNEL",
    "UNMARKED_MAX_SHARE",
    "UNMARKED_MIN_WORDS",
    "channel_runs",
    "line_is_unmarked",
]
