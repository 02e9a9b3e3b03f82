"""Borderless tables: runs of text rows whose words fall into three or more aligned columns.

From the page's OCR words (no image): words are grouped into visual rows, each row is
cut into segments where the gap between words is wider than `GAP_IN` (about three
normal spaces of body text; justified running text never stretches a space that far
on a full line, and the cut alone is not enough: the columns must line up). A run of
at least `MIN_ROWS` consecutive rows, each with segments in three or more columns, is a
table when the white "rivers" between the segments of all its rows split it into the
same three or more columns. A row with an empty first column right under a table row
and text in at most half
the columns is that row's wrapped continuation. The columns' x ranges and the rows' y ranges give
the cell boxes, read like ruled cells (`tables.read`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ocr_pipeline.model import BBox, Word
from ocr_pipeline.tables.ruled import Grid, GridCell

#: a gap between words this wide (inches) separates two segments of a row
GAP_IN = 0.15
#: a table has at least this many rows (header included) and columns
MIN_ROWS, MIN_COLS = 4, 3
#: at least MIN_COLS columns must have text in this share of the table's rows (the others
#: may be sparse: Tesseract's page reading drops many lone STT digits)
COLUMN_FILL = 0.5


@dataclass
class _Row:
    words: list[Word]
    top: int
    bottom: int
    segments: list[tuple[int, int]]  # x ranges


def _rows(words: list[Word]) -> list[_Row]:
    """Visual rows of words. Boxes far taller or shorter than the page's usual word (what
    Tesseract makes of specks or of a digit it did not understand) join no row."""
    heights = sorted(w.bbox.height for w in words)
    if not heights:
        return []
    usual = heights[len(heights) // 2]
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.bbox.top + w.bbox.bottom) / 2):
        if not 0.5 * usual <= w.bbox.height <= 1.5 * usual:
            continue
        mid = (w.bbox.top + w.bbox.bottom) / 2
        if rows:
            last = rows[-1]
            top = min(x.bbox.top for x in last)
            bottom = max(x.bbox.bottom for x in last)
            if top <= mid <= bottom:
                last.append(w)
                continue
        rows.append([w])
    return [_Row(r, min(w.bbox.top for w in r), max(w.bbox.bottom for w in r), []) for r in rows]


def _segments(words: list[Word], gap: float) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for w in sorted(words, key=lambda w: w.bbox.left):
        if out and w.bbox.left - out[-1][1] < gap:
            out[-1] = (out[-1][0], max(out[-1][1], w.bbox.right))
        else:
            out.append((w.bbox.left, w.bbox.right))
    return out


def _columns(rows: list[_Row]) -> list[tuple[int, int]]:
    """The x ranges that the rows' segments cover, split by white rivers."""
    spans = sorted(s for r in rows for s in r.segments)
    cols: list[tuple[int, int]] = []
    for a, b in spans:
        if cols and a <= cols[-1][1]:
            cols[-1] = (cols[-1][0], max(cols[-1][1], b))
        else:
            cols.append((a, b))
    return cols


def _col_of(seg: tuple[int, int], cols: list[tuple[int, int]]) -> int:
    return next(k for k, (a, b) in enumerate(cols) if a <= seg[0] and seg[1] <= b)


def _table(rows: list[_Row], cols: list[tuple[int, int]], width: int, height: int) -> Grid | None:
    if len(cols) < MIN_COLS:
        return None
    # merge continuation rows (empty first column) into the row above
    merged: list[_Row] = []
    for r in rows:
        used = {_col_of(s, cols) for s in r.segments}
        if (
            merged
            and 0 not in used
            and len(used) * 2 <= len(cols)
            and r.top - merged[-1].bottom < (r.bottom - r.top)
        ):
            last = merged[-1]
            merged[-1] = _Row(last.words + r.words, last.top, r.bottom,
                              last.segments + r.segments)  # fmt: skip
        else:
            merged.append(r)
    if len(merged) < MIN_ROWS:
        return None
    fill = [0] * len(cols)
    for r in merged:
        for k in {_col_of(s, cols) for s in r.segments}:
            fill[k] += 1
    if sum(f >= COLUMN_FILL * len(merged) for f in fill) < MIN_COLS:
        return None
    # cell boxes: columns split halfway between rivers, rows halfway between rows
    xs = [cols[0][0] - 8] + [(cols[k][1] + cols[k + 1][0]) // 2 for k in range(len(cols) - 1)]
    xs.append(cols[-1][1] + 8)
    ys = [merged[0].top - 8]
    ys += [(merged[k].bottom + merged[k + 1].top) // 2 for k in range(len(merged) - 1)]
    ys.append(merged[-1].bottom + 8)
    xs = [min(max(0, x), width) for x in xs]
    ys = [min(max(0, y), height) for y in ys]
    cells = tuple(
        GridCell(r, c, 1, 1, BBox(xs[c], ys[r], xs[c + 1], ys[r + 1]))
        for r in range(len(merged)) for c in range(len(cols))
    )  # fmt: skip
    return Grid(BBox(xs[0], ys[0], xs[-1], ys[-1]), tuple(ys), tuple(xs), cells)


def find_borderless(words: list[Word], dpi: int, width: int, height: int,
                    exclude: Sequence[BBox] = ()) -> list[Grid]:  # fmt: skip
    """Borderless tables among `words` (page pixels), outside the `exclude` boxes."""

    def inside(w: Word, b: BBox) -> bool:
        x, y = (w.bbox.left + w.bbox.right) / 2, (w.bbox.top + w.bbox.bottom) / 2
        return b.left <= x < b.right and b.top <= y < b.bottom

    free = [w for w in words if not any(inside(w, b) for b in exclude)]
    gap = GAP_IN * dpi
    rows = _rows(free)
    for r in rows:
        r.segments = _segments(r.words, gap)
    # a short one-segment row between table rows is Tesseract's reading of a speck or of
    # part of a digit (the STT column), not a row: it must not end the run
    heights = sorted(r.bottom - r.top for r in rows)
    usual = heights[len(heights) // 2] if heights else 0
    rows = [r for r in rows if len(r.segments) > 1 or r.bottom - r.top >= 0.75 * usual]
    grids: list[Grid] = []
    k = 0
    while k < len(rows):
        if len(rows[k].segments) < MIN_COLS:
            k += 1
            continue
        # extend the run: full rows, or continuation rows right below one
        run = [rows[k]]
        j = k + 1
        while j < len(rows):
            r, last = rows[j], run[-1]
            line_h = last.bottom - last.top
            if r.top - last.bottom > 1.5 * line_h:
                break
            if len(r.segments) < MIN_COLS and len(r.segments) > 0:
                cols = _columns(run)
                seg = r.segments[0]
                if len(r.segments) == 1 and cols[0][0] - gap <= seg[0] and seg[1] <= cols[0][1]:
                    j += 1  # specks or a misread digit alone in the first column: no row
                    continue
                if r.segments[0][0] <= cols[0][1] or not all(
                    any(a <= s[0] and s[1] <= b for a, b in cols) for s in r.segments
                ):
                    break
            run.append(r)
            j += 1
        cols = _columns(run)
        grid = _table(run, cols, width, height) if len(run) >= MIN_ROWS else None
        if grid is not None:
            grids.append(grid)
            k = j
        else:
            k += 1
    return grids
