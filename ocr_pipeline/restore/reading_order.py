"""The order a page's words are read in for restoration: two columns OCR read side by side.

Tesseract reads a header's two columns as one line ("BỘ NÔNG NGHIỆP VÀ PHÁT ⟨gap⟩ CỘNG
HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" over "TRIEN NONG THON"), and so a closing's recipients
beside its signer: read in that order, an issuer's wrapped line has the national title for
its context, not the words it continues. `reading_lines` gives the page's lines as
restoration reads them: where consecutive lines split at one gap (COLUMN_GAP line heights
at least) at the same place, SPLIT_LINES of them at least, or stand wholly on one side of
it, the left column's parts are read first, one after the other, then the right column's:
a header's, in the top HEADER_ZONE of the first page, whose left column opens with an
issuer in capitals. A closing's recipients and signature and a table's columns are read as
printed (a signer's name read after the recipients' "- Lưu: VT." opens a sentence, as a
name is best read, not after its title). Nothing else moves.
"""

from __future__ import annotations

from statistics import median
from typing import TYPE_CHECKING
from unicodedata import category

if TYPE_CHECKING:
    from ocr_pipeline.model import Line, Page

_WORDLIKE = {"Lu", "Ll", "Lt", "Nd"}  # letters and digits (not "ˆ", a modifier OCR reads)
COLUMN_GAP = 1.5  # a gap between two words this many line heights wide splits two columns
SPLIT_LINES = 2  # lines split at one place that make two columns (one is a wide space)
HEADER_ZONE = 0.3  # a header's rows start in this top share of the first page

#: (line index, first word, end word): a part of a line, read as a line of its own
Part = tuple[int, int, int]


def _split(line: Line, height: float) -> tuple[int, int, int] | None:
    """(word index where the right column starts, gap's left, gap's right) at the line's
    widest gap, when it is COLUMN_GAP line heights wide at least; None otherwise."""
    words = line.words
    # a speck OCR read in the gap ("PHÁT ˆ CỘNG") is no word: the gap is measured
    # between words with a letter or a digit, the speck read with the left column
    real = [k for k, w in enumerate(words) if any(category(c) in _WORDLIKE for c in w.text)]
    best = None
    for a, b in zip(real, real[1:], strict=False):
        gap = words[b].bbox.left - words[a].bbox.right
        if gap >= COLUMN_GAP * height and (best is None or gap > best[2] - best[1]):
            best = (b, words[a].bbox.right, words[b].bbox.left)
    return best


def _capitals(text: str) -> bool:
    """An issuer's line: its letters (two at least) all capitals."""
    cases = [category(c) for c in text if category(c) in ("Lu", "Ll", "Lt")]
    return len(cases) >= 2 and all(c == "Lu" for c in cases)


def reading_lines(page: Page) -> list[list[Part]]:
    """The page's lines in restoration's reading order, each a list of parts (one part for
    a line read whole): see the module docstring."""
    lines = page.lines
    heights = [ln.bbox.height for ln in lines if ln.words and ln.bbox is not None]
    height = median(heights) if heights else 0.0
    out: list[list[Part]] = []
    i = 0
    while i < len(lines):
        split = _split(lines[i], height) if lines[i].words and height else None
        if split is None:
            out.append([(i, 0, len(lines[i].words))])
            i += 1
            continue
        # a run of lines split at the same gap (its band: where no word of theirs stands),
        # or standing on one side of it
        lo, hi = split[1], split[2]
        left: list[Part] = []
        right: list[Part] = []
        j = i
        while j < len(lines):
            ln = lines[j]
            if not ln.words:
                break
            s = _split(ln, height)
            if s is not None and s[1] < hi and s[2] > lo:
                lo, hi = max(lo, s[1]), min(hi, s[2])
                left.append((j, 0, s[0]))
                right.append((j, s[0], len(ln.words)))
            elif j > i and ln.bbox.right <= hi and s is None:
                left.append((j, 0, len(ln.words)))
            elif j > i and ln.bbox.left >= lo and s is None:
                right.append((j, 0, len(ln.words)))
            else:
                break
            j += 1
        first_left = " ".join(w.text for w in lines[i].words[: split[0]])
        in_header = page.number == 1 and lines[i].bbox.top < HEADER_ZONE * page.height
        if (in_header and _capitals(first_left)
                and sum(1 for part in right if part[1] > 0) >= SPLIT_LINES):  # fmt: skip
            out.extend([[part] for part in left + right])
        else:  # one line split by a wide gap, or a closing's rows: read as printed
            out.extend([[(k, 0, len(lines[k].words))] for k in range(i, j)])
        i = j
    return out


__all__ = ["COLUMN_GAP", "Part", "reading_lines"]
