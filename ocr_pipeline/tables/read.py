"""Read the cells of a found table: each cell's own crop, OCR'd, restored, placed in the page.

Every cell is cut out between its ruling lines, the ruling ink is wiped from the crop,
and the crop is trimmed to its ink. To keep the cost near one Tesseract call per table
instead of one per cell (about 0.15 s each, 200 cells on an award list page), the crops
are stacked one under the other, white space between them, on one strip that Tesseract
reads as a block of text (`--psm 6`); each word goes back to the crop it lies in. A cell
the strip left empty or unsure is read again alone, `--psm 7` for one text line and
`--psm 6` for several, and keeps the better reading.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass

import cv2
import numpy as np

from ocr_pipeline.model import BBox, Line, Word
from ocr_pipeline.ocr import ocr_image
from ocr_pipeline.tables.model import Cell
from ocr_pipeline.tables.ruled import Grid, Rulings

log = logging.getLogger(__name__)

#: a cell whose strip reading has a word below this Tesseract confidence is read alone
REREAD_BELOW = 60.0
#: tallest strip given to Tesseract at once (pixels)
STRIP_MAX_HEIGHT = 12000


@dataclass
class _Crop:
    index: int  # cell index
    image: np.ndarray  # grey, ruling removed, trimmed to ink plus padding
    left: int  # page position of the crop's top-left pixel
    top: int
    text_lines: int


def _text_line_count(ink: np.ndarray, dpi: int) -> int:
    rows: list[bool] = np.asarray(ink.any(axis=1)).tolist()
    runs, inside, length = 0, False, 0
    min_len = max(3, dpi // 40)  # a tone mark alone is not a text line
    for v in rows + [False]:
        if v:
            length += 1
            inside = True
        elif inside:
            runs += length >= min_len
            inside, length = False, 0
    return max(1, runs)


def cell_crops(gray: np.ndarray, rulings: Rulings, grid: Grid, dpi: int) -> list[_Crop | None]:
    """Each grid cell's crop (None for an empty cell), ruling ink wiped, trimmed to ink."""
    lines = cv2.dilate(cv2.bitwise_or(rulings.horizontal, rulings.vertical),
                       cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))  # fmt: skip
    inset = max(2, dpi // 150)
    pad = max(6, dpi // 30)
    speck = max(2, dpi // 100)
    out: list[_Crop | None] = []
    for k, cell in enumerate(grid.cells):
        b = cell.bbox
        x0, y0, x1, y1 = b.left + inset, b.top + inset, b.right - inset, b.bottom - inset
        if x1 - x0 < 4 or y1 - y0 < 4:
            out.append(None)
            continue
        ink = rulings.ink[y0:y1, x0:x1].copy()
        ink[lines[y0:y1, x0:x1] > 0] = 0
        ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
        n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
        keep = [i for i in range(1, n) if max(stats[i][2], stats[i][3]) >= speck]
        if not keep:
            out.append(None)
            continue
        lx = int(min(stats[i][0] for i in keep))
        ty = int(min(stats[i][1] for i in keep))
        rx = int(max(stats[i][0] + stats[i][2] for i in keep))
        by = int(max(stats[i][1] + stats[i][3] for i in keep))
        crop = gray[y0:y1, x0:x1].copy()
        crop[lines[y0:y1, x0:x1] > 0] = 255
        crop = crop[ty:by, lx:rx]
        crop = cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
        out.append(_Crop(k, crop, x0 + lx - pad, y0 + ty - pad,
                         _text_line_count(ink[ty:by, lx:rx] > 0, dpi)))  # fmt: skip
    return out


def _moved(line: Line, dx: int, dy: int) -> list[Word]:
    return [Word(w.text, BBox(w.bbox.left + dx, w.bbox.top + dy, w.bbox.right + dx,
                              w.bbox.bottom + dy), w.confidence) for w in line.words]  # fmt: skip


def _read_strip(
    crops: list[_Crop], dpi: int, lang: str, page_number: int, timeout: float | None
) -> dict[int, list[list[Word]]]:
    """OCR the crops stacked on strips; words (page boxes) per cell, per text line."""
    found: dict[int, list[list[Word]]] = {}
    gap = max(20, dpi // 8)
    batch: list[_Crop] = []

    def flush() -> None:
        if not batch:
            return
        width = max(c.image.shape[1] for c in batch)
        height = sum(c.image.shape[0] + gap for c in batch) + gap
        strip = np.full((height, width), 255, np.uint8)
        tops = []
        y = gap
        for c in batch:
            h, w = c.image.shape
            strip[y : y + h, :w] = c.image
            tops.append(y)
            y += h + gap
        lines = ocr_image(strip, page_number=page_number, dpi=dpi, lang=lang, psm=6,
                          timeout=timeout)  # fmt: skip
        for line in lines:
            per_cell: dict[int, list[Word]] = {}
            for w in line.words:
                mid = (w.bbox.top + w.bbox.bottom) / 2
                k = min(max(bisect.bisect_right(tops, mid + gap / 2) - 1, 0), len(batch) - 1)
                c = batch[k]
                per_cell.setdefault(k, []).extend(
                    _moved(Line([w], w.bbox), c.left, c.top - tops[k])
                )
            for k, words in per_cell.items():
                found.setdefault(batch[k].index, []).append(words)
        batch.clear()

    used = 0
    for c in crops:
        h = c.image.shape[0] + gap
        if batch and used + h > STRIP_MAX_HEIGHT:
            flush()
            used = 0
        batch.append(c)
        used += h
    flush()
    return found


def _read_alone(
    c: _Crop, dpi: int, lang: str, page_number: int, timeout: float | None
) -> list[list[Word]]:
    psm = 7 if c.text_lines == 1 else 6
    lines = ocr_image(c.image, page_number=page_number, dpi=dpi, lang=lang, psm=psm,
                      timeout=timeout)  # fmt: skip
    return [_moved(ln, c.left, c.top) for ln in lines if ln.words]


def _score(lines: list[list[Word]]) -> float:
    words = [w for ln in lines for w in ln]
    return min((w.confidence for w in words), default=-1.0)


#: capitals drawn like their lower-case letters, only bigger (Vietnamese marks included)
_SAME_SHAPE = frozenset("COSUVWXZ")


def _base_letters(word: str) -> str:
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFD", word)
                   if not unicodedata.combining(ch))  # fmt: skip


def lowercase_shape_caps(lines: list[list[Word]]) -> list[list[Word]]:
    """Lower-case ALL-CAPS words made only of letters whose capitals look like their small
    letters (c o s u v w x z, ơ ư ...), in a cell whose other words are lower case.

    A text line without ascenders or descenders ("cơ sở" wrapped onto its own line in a
    narrow cell) gives Tesseract no height to tell case by, and it reads "CƠ SỞ" with high
    confidence. Tesseract's reading stays in `ocr_text`.
    """
    words = [w for ln in lines for w in ln]
    if not any(any(ch.islower() for ch in w.text) for w in words):
        return lines
    out = []
    for ln in lines:
        new = []
        for w in ln:
            base = _base_letters(w.text).upper()
            if (
                w.text.isupper()
                and len(w.text) > 1
                and base.isalpha()
                and set(base.replace("Đ", "D")) <= _SAME_SHAPE
            ):
                w = Word(w.text.lower(), w.bbox, w.confidence, ocr_text=w.text)
            new.append(w)
        out.append(new)
    return out


def read_cells(
    gray: np.ndarray,
    rulings: Rulings,
    grid: Grid,
    *,
    dpi: int,
    lang: str,
    page_number: int,
    timeout: float | None = None,
) -> list[tuple[Cell, list[list[Word]]]]:
    """OCR every cell of `grid`; each Cell with its words grouped in text lines."""
    crops = cell_crops(gray, rulings, grid, dpi)
    present = [c for c in crops if c is not None]
    found = _read_strip(present, dpi, lang, page_number, timeout) if present else {}
    for c in present:
        lines = found.get(c.index, [])
        if not lines or _score(lines) < REREAD_BELOW:
            alone = _read_alone(c, dpi, lang, page_number, timeout)
            if _score(alone) > _score(lines):
                found[c.index] = alone
    out = []
    for k, g in enumerate(grid.cells):
        lines = lowercase_shape_caps(found.get(k, []))
        words = [w for ln in lines for w in ln]
        conf = round(sum(w.confidence for w in words) / len(words), 2) if words else None
        cell = Cell(g.row, g.col, g.bbox, page_number, g.rowspan, g.colspan, words, conf)
        out.append((cell, lines))
    return out
