"""Read a light copy's broken comma tails from the ink: "phường:" -> "phường;", "Lộc." -> "Lộc,".

A light photocopy's threshold breaks the thin tail off a comma or a semicolon, and
Tesseract reads what is left as a period or a colon. The tail's stub is still on the page,
under the baseline, where a period's or a colon's dot never reaches. On a page whose ink
was thickened as a light copy's (`preprocess.thicken_thin_strokes`: bilevel, thin
strokes; never a fax, whose jagged dots hang under the baseline too, nor a grey page),
each word closing with "." or ":" has its mark measured (`mark_drop`): the lowest ink of
the mark's columns, below the baseline of the word's letters. A drop of at least
TAIL_DROP of the page's letter height (one pixel at least) and at most MAX_DROP is a tail.

Measured on the 150/200/300-dpi photocopies of scans_heldout2-7 (tuning data; OCR words
aligned with the truth, drops in pixels): true colons and periods lie 1 px under the
baseline at most (200 dpi) or not at all (150 dpi), semicolons and commas read as colons
and periods 1-3 px (150 dpi: 1-2). The letter height (top of the letters to their baseline,
the page's median over these words) is 20-21 px at 150 dpi, 26-27 at 200 and 39-41 at 300
for the bench's 13-pt type, so TAIL_DROP asks 1 px at 150 dpi and 2 px at 200 and 300.
Words whose last letter's descender reaches into the mark's columns ("ký.": 6-8 px) are
left alone by MAX_DROP.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections.abc import Sequence

import numpy as np

from ocr_pipeline.model import BBox, Line, Word

#: A mark whose ink reaches this share of the page's letter height under the baseline
#: (and one pixel at least) is a comma or a semicolon whose tail the copy broke.
TAIL_DROP = 0.045
#: A drop over this share is a descender of the last letter, not a tail ("ký.").
MAX_DROP = 0.2
#: How far under the baseline the mark's ink is looked for, in letter heights.
LOOK_BELOW = 0.45
#: Ink is grey under this.
INK = 128
#: The row share of the letters' widest row that still counts as their body (the
#: baseline is the lowest such row: descenders and dots under vowels are sparse).
BODY_ROW = 0.35

_TAILED = {".": ",", ":": ";"}


@dataclasses.dataclass(frozen=True)
class Drop:
    """A word's closing mark measured: `drop`, pixels from the letters' baseline down to
    the mark's lowest ink (negative: above it); `letters`, the height of the letters
    (their top to their baseline, px)."""

    drop: int
    letters: int


def mark_drop(gray: np.ndarray, box: BBox) -> Drop | None:
    """The closing mark of the word in `box` on `gray` (ink < INK): the rightmost run of
    inked columns, cut from the letters by a blank column; None when there is no such run
    or no letters before it."""
    height, width = gray.shape[:2]
    h = box.bottom - box.top
    if h <= 0 or box.right <= box.left:
        return None
    ink = gray[box.top : min(height, box.bottom + h), box.left : min(width, box.right + 2)] < INK
    cols = ink[:h].sum(axis=0)
    x = len(cols) - 1
    while x >= 0 and cols[x] == 0:
        x -= 1
    end = x
    while x >= 0 and cols[x] > 0:
        x -= 1
    start = x + 1
    if end < 0 or x < 0:
        return None
    rows = ink[:h, :start].sum(axis=1)
    if not rows.any():
        return None
    base = int(np.nonzero(rows >= BODY_ROW * rows.max())[0][-1])
    letters = max(1, base - int(np.nonzero(rows)[0][0]))
    below = min(ink.shape[0], base + int(LOOK_BELOW * letters) + 1)
    mark_rows = np.nonzero(ink[:below, max(0, start - 1) : end + 2].any(axis=1))[0]
    if not len(mark_rows):
        return None
    return Drop(int(mark_rows[-1]) - base, letters)


def _closes_with_mark(word: Word, first: bool) -> bool:
    """Whether `word` ends with a "." or ":" after a letter, digit or bracket; a line's
    opening label ("1.", "II.", "a)") is no candidate."""
    text = word.text
    if len(text) < 2 or text[-1] not in _TAILED or not (text[-2].isalnum() or text[-2] in ")%"):
        return False
    return not (first and (text[:-1].isdigit() or text[:-1].isupper()))


def read_tails(gray: np.ndarray, lines: Sequence[Line]) -> list[Line]:
    """`lines` (one page read from `gray`, a light copy's thickened page) with each
    closing "." or ":" whose mark drops under the baseline read as "," or ";"."""
    marks = {
        id(w): d
        for ln in lines
        for k, w in enumerate(ln.words)
        if _closes_with_mark(w, k == 0) and (d := mark_drop(gray, w.bbox)) is not None
    }
    if not marks:
        return list(lines)
    letters = statistics.median(d.letters for d in marks.values())
    least = max(1, math.ceil(TAIL_DROP * letters - 1e-9))
    most = MAX_DROP * letters
    out = []
    for ln in lines:
        words = [
            dataclasses.replace(w, text=w.text[:-1] + _TAILED[w.text[-1]])
            if (d := marks.get(id(w))) is not None and least <= d.drop <= most
            else w
            for w in ln.words
        ]
        out.append(dataclasses.replace(ln, words=words) if words != ln.words else ln)
    return out
