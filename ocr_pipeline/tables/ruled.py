"""Ruled tables in a page image: ruling lines -> cell grid with row and column spans.

OpenCV only, no OCR. Horizontal and vertical strokes are kept by morphological opening
with long thin kernels (a letter is never that long: the vertical kernel is 5 mm, about
1.5 times a 13 pt ascender). Connected groups of strokes that form at least 3 horizontal
and 3 vertical lines (two rows, two columns) are tables; their line positions give the
grid, and a border between two neighbouring grid slots exists when a stroke covers most
of their common edge. Slots without a border between them are one merged cell (the
header's "Hình thức khen thưởng" over its two sub-columns, a "STT" spanning two header
rows). Underlines, rules and the header's short lines have no vertical partners, so
running text never makes a grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr_pipeline.model import BBox

#: stroke lengths that count as ruling lines, in inches
VERTICAL_MIN_IN = 0.2
HORIZONTAL_MIN_IN = 0.4
#: a border must cover this share of the edge it would draw
BORDER_COVER = 0.6
#: smallest table, in inches (width, height)
MIN_TABLE_IN = (1.0, 0.35)


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: BBox  # the cell's box between its ruling lines' centres


@dataclass(frozen=True)
class Grid:
    """A ruled table found in the image: line positions and the merged cells."""

    bbox: BBox
    ys: tuple[int, ...]  # horizontal line centres, top to bottom (n_rows + 1)
    xs: tuple[int, ...]  # vertical line centres, left to right (n_cols + 1)
    cells: tuple[GridCell, ...]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


@dataclass(frozen=True)
class Rulings:
    """The ink of a page, and its horizontal and vertical ruling strokes (uint8 masks)."""

    ink: np.ndarray
    horizontal: np.ndarray
    vertical: np.ndarray


def find_rulings(gray: np.ndarray, dpi: int) -> Rulings:
    """Ink (Otsu) and the long horizontal / vertical strokes in it."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    h_len = max(15, round(HORIZONTAL_MIN_IN * dpi))
    v_len = max(10, round(VERTICAL_MIN_IN * dpi))
    bridge = max(3, dpi // 100)  # close pinholes a scan leaves in a thin line
    horiz = cv2.morphologyEx(
        ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (bridge, 1))
    )
    horiz = cv2.morphologyEx(
        horiz, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1))
    )
    vert = cv2.morphologyEx(
        ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, bridge))
    )
    vert = cv2.morphologyEx(
        vert, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len))
    )
    return Rulings(ink, horiz, vert)


def _cluster(values: list[tuple[float, int]], tol: float) -> list[int]:
    """Weighted centres of 1-D positions closer than `tol` to their neighbour."""
    out: list[int] = []
    group: list[tuple[float, int]] = []
    for v in sorted(values):
        if group and v[0] - group[-1][0] > tol:
            out.append(int(round(sum(p * w for p, w in group) / sum(w for _, w in group))))
            group = []
        group.append(v)
    if group:
        out.append(int(round(sum(p * w for p, w in group) / sum(w for _, w in group))))
    return out


def _segments(mask: np.ndarray, axis: int) -> list[tuple[float, int]]:
    """(centre across the stroke, length) of each connected stroke; axis 0 = horizontal."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for x, y, w, h, _area in stats[1:n]:
        out.append((float(y + h / 2), int(w)) if axis == 0 else (float(x + w / 2), int(h)))
    return out


def _has_hborder(horiz: np.ndarray, y: int, x0: int, x1: int, tol: int) -> bool:
    """Whether a horizontal stroke near `y` covers most of x0..x1."""
    m = max(1, (x1 - x0) // 10)
    band = horiz[max(0, y - tol) : y + tol + 1, x0 + m : x1 - m]
    return band.size > 0 and float(band.any(axis=0).mean()) >= BORDER_COVER


def _has_vborder(vert: np.ndarray, x: int, y0: int, y1: int, tol: int) -> bool:
    m = max(1, (y1 - y0) // 10)
    band = vert[y0 + m : y1 - m, max(0, x - tol) : x + tol + 1]
    return band.size > 0 and float(band.any(axis=1).mean()) >= BORDER_COVER


def _grid_in_region(r: Rulings, box: BBox, dpi: int) -> Grid | None:
    tol = max(4, dpi // 25)
    sl = np.s_[box.top : box.bottom, box.left : box.right]
    horiz, vert = r.horizontal[sl], r.vertical[sl]
    ys = _cluster(_segments(horiz, 0), tol)
    xs = _cluster(_segments(vert, 1), tol)
    # drop lines that are a border nowhere (an underline inside a cell, a stray stroke)
    for _ in range(2):
        ys = [y for y in ys if any(_has_hborder(horiz, y, xs[c], xs[c + 1], tol)
                                   for c in range(len(xs) - 1))]  # fmt: skip
        xs = [x for x in xs if any(_has_vborder(vert, x, ys[k], ys[k + 1], tol)
                                   for k in range(len(ys) - 1))]  # fmt: skip
    if len(ys) < 3 or len(xs) < 3:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for rr in range(n_rows):
        for cc in range(n_cols):
            here = rr * n_cols + cc
            if cc + 1 < n_cols and not _has_vborder(vert, xs[cc + 1], ys[rr], ys[rr + 1], tol):
                parent[find(here)] = find(here + 1)
            if rr + 1 < n_rows and not _has_hborder(horiz, ys[rr + 1], xs[cc], xs[cc + 1], tol):
                parent[find(here)] = find(here + n_cols)
    groups: dict[int, list[tuple[int, int]]] = {}
    for rr in range(n_rows):
        for cc in range(n_cols):
            groups.setdefault(find(rr * n_cols + cc), []).append((rr, cc))
    cells = []
    for slots in groups.values():
        r0, r1 = min(s[0] for s in slots), max(s[0] for s in slots)
        c0, c1 = min(s[1] for s in slots), max(s[1] for s in slots)
        cells.append(
            GridCell(
                r0,
                c0,
                r1 - r0 + 1,
                c1 - c0 + 1,
                BBox(
                    box.left + xs[c0], box.top + ys[r0], box.left + xs[c1 + 1], box.top + ys[r1 + 1]
                ),
            )
        )
    if len(cells) < 4:
        return None
    # a "table" whose slots all merged into a few boxes is a frame, not a grid
    cells.sort(key=lambda c: (c.row, c.col))
    gbox = BBox(box.left + xs[0], box.top + ys[0], box.left + xs[-1], box.top + ys[-1])
    return Grid(gbox, tuple(box.top + y for y in ys), tuple(box.left + x for x in xs),
                tuple(cells))  # fmt: skip


def may_have_table(gray: np.ndarray, dpi: int) -> bool:
    """Whether a half-size copy of the page has three or more vertical strokes.

    About 0.02 s a page against 0.5 s for the full search, so pages of running text (no
    vertical strokes at all) pay almost nothing for table detection.
    """
    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    kernel = cv2.getStructuringElement(
        cv2.MORPH_RECT, (1, max(5, round(VERTICAL_MIN_IN * dpi / 2)))
    )
    strokes = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
    return cv2.connectedComponents(strokes)[0] - 1 >= 3


def find_grids(gray: np.ndarray, dpi: int, rulings: Rulings | None = None) -> list[Grid]:
    """Ruled tables on a grey page image, top to bottom."""
    r = rulings or find_rulings(gray, dpi)
    lines = cv2.bitwise_or(r.horizontal, r.vertical)
    grow = max(3, dpi // 60)
    joined = cv2.dilate(lines, cv2.getStructuringElement(cv2.MORPH_RECT, (grow, grow)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    grids = []
    min_w, min_h = MIN_TABLE_IN[0] * dpi, MIN_TABLE_IN[1] * dpi
    for x, y, w, h, _area in stats[1:n]:
        if w < min_w or h < min_h:
            continue
        grid = _grid_in_region(r, BBox(int(x), int(y), int(x + w), int(y + h)), dpi)
        if grid is not None:
            grids.append(grid)
    grids.sort(key=lambda g: g.bbox.top)
    return grids
