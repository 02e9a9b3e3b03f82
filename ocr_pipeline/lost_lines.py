"""Text lines Tesseract's page layout dropped: found as ink no word covers, read alone.

Tesseract's layout analysis (psm 3) now and then leaves a whole text line out of the page
it reads, a line it reads well on its own: on scripts/bench_scans.py's unseen 150-dpi
photocopy of a báo cáo, a full body line between two lines it read ("hội viên, đạt
106,7% chỉ tiêu. ..."), a third of that page's character errors.

`lost_bands` finds such lines from the image: the page's ink (Otsu) minus the word boxes
of the reading, projected on the rows; a band of rows at least half a text line tall
and at most two (`MIN_HEIGHT`, `MAX_HEIGHT`, in the page's median line height) whose ink
spans at least a few words' width (`MIN_INK_WIDTH`) is text nobody read. Rules, specks
and the marks a word box leaves out (a raised footnote digit) are far under both; a
ruled table's vertical rules ink every row of it, a band far over two lines.
`recover_lost_lines` reads each band alone (the band cut out on white, words already
read painted out, `--psm 7`: one line) and puts the line where it stands in the reading
order, in the paragraph of the line above it. A reading Tesseract is unsure of
(`MIN_CONFIDENCE`: a stamp, a signature, a picture) is left out.

It costs a projection of the page (a few ms) when nothing was lost, one small Tesseract
call per band otherwise.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Sequence

import cv2
import numpy as np

from ocr_pipeline.errors import PageTimeoutError
from ocr_pipeline.model import BBox, Line, Word
from ocr_pipeline.ocr import ocr_image

log = logging.getLogger(__name__)

#: A band of uncovered ink rows is a lost line when it is at least this share of the
#: page's median line height tall, and at most this many line heights (a table's rules,
#: a picture: not one line) ...
MIN_HEIGHT, MAX_HEIGHT = 0.5, 2.0
#: ... and its ink spans at least this many median line heights of columns (a few words).
MIN_INK_WIDTH = 4.0
#: A row counts as inked when at least this many of its pixels are uncovered ink.
MIN_ROW_INK = 3
#: Word boxes are grown by this many pixels before their ink counts as read (edges).
BOX_MARGIN = 2
#: A band's reading is kept when its mean word confidence reaches this.
MIN_CONFIDENCE = 60.0
#: White border (px) round a band cut out for Tesseract, which reads a tight crop badly.
BORDER = 12


def _ink(gray: np.ndarray) -> np.ndarray:
    """The page's ink as a boolean mask (Otsu's threshold: bilevel and grey pages alike)."""
    _t, mask = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return mask.astype(bool)


def _median_height(lines: Sequence[Line]) -> int:
    heights = sorted(ln.bbox.height for ln in lines if ln.bbox.height > 0)
    return heights[len(heights) // 2] if heights else 0


def covered_by(shape: tuple[int, ...], lines: Sequence[Line]) -> np.ndarray:
    """The pixels under the words of `lines` (boxes grown by BOX_MARGIN)."""
    covered = np.zeros(shape[:2], bool)
    for ln in lines:
        for w in ln.words:
            b = w.bbox
            covered[max(0, b.top - BOX_MARGIN) : b.bottom + BOX_MARGIN,
                    max(0, b.left - BOX_MARGIN) : b.right + BOX_MARGIN] = True  # fmt: skip
    return covered


def lost_bands(gray: np.ndarray, lines: Sequence[Line]) -> list[BBox]:
    """The boxes of text lines in `gray` that no word of `lines` (its reading) covers, top
    to bottom (see the module). None on a page with no reading to measure lines by."""
    height = _median_height(lines)
    if not height or gray.ndim != 2:
        return []
    rest = _ink(gray) & ~covered_by(gray.shape, lines)
    inked = rest.sum(axis=1) >= MIN_ROW_INK
    out: list[BBox] = []
    y, rows = 0, len(inked)
    while y < rows:
        if not inked[y]:
            y += 1
            continue
        top = y
        while y < rows and inked[y]:
            y += 1
        if not MIN_HEIGHT * height <= y - top <= MAX_HEIGHT * height:
            continue
        cols = np.flatnonzero(rest[top:y].any(axis=0))
        if len(cols) >= MIN_INK_WIDTH * height:
            out.append(BBox(int(cols[0]), top, int(cols[-1]) + 1, y))
    return out


def mean_confidence(words: Sequence[Word]) -> float:
    """The mean Tesseract confidence of `words` (those it gave one), -1 when none has."""
    confs = [w.confidence for w in words if w.confidence >= 0]
    return sum(confs) / len(confs) if confs else -1.0


def read_band(
    gray: np.ndarray, covered: np.ndarray, band: BBox, *, page_number: int, dpi: int, lang: str,
    deadline: float | None,
) -> Line | None:  # fmt: skip
    """The band read alone as one line (boxes in page coordinates), or None when nothing
    sure was read. PageTimeoutError when `deadline` (`time.perf_counter()`) has passed."""
    timeout = None if deadline is None else deadline - time.perf_counter()
    if timeout is not None and timeout <= 0:
        raise PageTimeoutError(f"page {page_number}: no time left to read a line again")
    pad = band.height // 4  # marks and descenders the row test cut off
    top, left = max(0, band.top - pad), max(0, band.left - pad)
    rows, cols = slice(top, band.bottom + pad), slice(left, band.right + pad)
    cut = np.where(covered[rows, cols], 255, gray[rows, cols]).astype(np.uint8)
    crop = cv2.copyMakeBorder(cut, BORDER, BORDER, BORDER, BORDER, cv2.BORDER_CONSTANT,
                              value=255)  # fmt: skip
    found = ocr_image(crop, page_number=page_number, dpi=dpi, lang=lang, psm=7, timeout=timeout)
    words = [
        dataclasses.replace(w, bbox=BBox(w.bbox.left + dx, w.bbox.top + dy,
                                         w.bbox.right + dx, w.bbox.bottom + dy))
        for ln in found for w in ln.words
        for dx, dy in [(left - BORDER, top - BORDER)]
    ]  # fmt: skip
    if not words or mean_confidence(words) < MIN_CONFIDENCE:
        return None
    if not any(sum(ch.isalnum() for ch in w.text) >= 2 for w in words):
        return None
    box = words[0].bbox
    for w in words[1:]:
        box = box.union(w.bbox)
    return Line(words=words, bbox=box)


def _shares_columns(a: BBox, b: BBox) -> bool:
    return min(a.right, b.right) > max(a.left, b.left)


def shares_height(a: BBox, b: BBox) -> bool:
    """Two boxes at the height of one text row: more than half the lower one's height
    shared."""
    return min(a.bottom, b.bottom) - max(a.top, b.top) > 0.5 * min(a.height, b.height)


def _same_row(a: BBox, b: BBox) -> bool:
    """Two boxes side by side on one text row (`shares_height`), sharing hardly any
    columns (less than half the lower one's height: jagged fax lines touch)."""
    across = min(a.right, b.right) - max(a.left, b.left)
    return shares_height(a, b) and across < 0.5 * min(a.height, b.height)


def _insert(lines: list[Line], found: Line) -> list[Line]:
    """`lines` with `found` in its place: joined to a line it continues on the same row (the
    part of a line Tesseract left off: its words put in order of position), else put
    before the first line under it that shares its columns (the reading order's place for
    it), in the block and paragraph of the line before it."""
    row = next((i for i, ln in enumerate(lines) if _same_row(ln.bbox, found.bbox)), None)
    if row is not None:
        joined = lines[row]
        words = sorted([*joined.words, *found.words], key=lambda w: w.bbox.left)
        box = joined.bbox.union(found.bbox)
        return [*lines[:row], dataclasses.replace(joined, words=words, bbox=box),
                *lines[row + 1 :]]  # fmt: skip
    at = next((i for i, ln in enumerate(lines)
               if ln.bbox.top >= found.bbox.bottom - 1 and _shares_columns(ln.bbox, found.bbox)),
              len(lines))  # fmt: skip
    above = lines[at - 1] if at else (lines[0] if lines else None)
    if above is not None:
        found = dataclasses.replace(found, block=above.block, paragraph=above.paragraph,
                                    line=above.line + (1 if at else 0))  # fmt: skip
        key = (above.block, above.paragraph)
        lines = [dataclasses.replace(ln, line=ln.line + 1)
                 if i >= at and (ln.block, ln.paragraph) == key else ln
                 for i, ln in enumerate(lines)]  # fmt: skip
    return [*lines[:at], found, *lines[at:]]


def recover_lost_lines(
    gray: np.ndarray,
    lines: list[Line],
    *,
    page_number: int,
    dpi: int,
    lang: str = "vie",
    timeout: float | None = None,
) -> list[Line]:
    """`lines` (Tesseract's reading of the grey page `gray`) with the lines it dropped read
    alone and put in their place (see the module); `lines` itself when none was lost."""
    bands = lost_bands(gray, lines)
    if not bands:
        return lines
    covered = covered_by(gray.shape, lines)
    out, changed = list(lines), False
    deadline = None if timeout is None else time.perf_counter() + timeout
    for band in bands:
        found = read_band(gray, covered, band, page_number=page_number, dpi=dpi, lang=lang,
                           deadline=deadline)  # fmt: skip
        log.debug("page %d: a line no word covered at %s read as %r", page_number, band,
                  found.text if found else None)  # fmt: skip
        if found is not None:
            out, changed = _insert(out, found), True
    return out if changed else lines
