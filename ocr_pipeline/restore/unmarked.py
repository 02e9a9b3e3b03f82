"""Runs of lines that carry no marks at all, inside text that otherwise does.

A page Tesseract `vie` read from a document typed without accents (or a text whose second
half was typed so) carries a few marks where the OCR guessed them, so the document as a
whole reads as `vie` output; but the `vie` channel trusts an unmarked valid syllable
("nhan", "dan") and leaves those lines as they are. Correct Vietnamese gives about three
words in four a mark (any non-ASCII letter: "à" counts here, unlike for
`detect_channel`), so a line of UNMARKED_MIN_WORDS words with a vowel and not one mark has
lost its marks (chance for a correct line: about 1e-4); it is read with the marks-lost
channel instead. Lines too short to tell keep the reading of the line before them (at the top, of
the first line that tells).

`channel_runs(text, channel)` cuts `text` into (start, end, channel) runs that cover it;
only `vie` text is ever split (the `eng` channel already reads every line as marks-lost).
Pure functions of the text.
"""

from __future__ import annotations

import re

UNMARKED_MIN_WORDS = 5
MARKS_LOST_CHANNEL = "eng"
_WORD = re.compile(r"[^\W\d_]+")
_VOWEL = re.compile(r"[aeiouyAEIOUY]")


def line_is_unmarked(line: str) -> bool | None:
    """True: the line has lost its marks; False: it carries marks; None: too short to tell
    (fewer than UNMARKED_MIN_WORDS words with a vowel and no mark)."""
    words = 0
    for m in _WORD.finditer(line):
        w = m.group()
        if not w.isascii():
            return False
        if _VOWEL.search(w):
            words += 1
    return True if words >= UNMARKED_MIN_WORDS else None


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


__all__ = ["MARKS_LOST_CHANNEL", "UNMARKED_MIN_WORDS", "channel_runs", "line_is_unmarked"]
