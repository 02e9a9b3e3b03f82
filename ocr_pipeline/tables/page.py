"""One page's tables: find ruled grids and borderless column lists, read their cells,
put the cells into the page.

`read_page_tables` is the pipeline's single entry point per page. A page without a
table comes back unchanged (the same object). On a page with tables, the words
Tesseract's full-page reading found inside each table are replaced by the cells' own
words, one `Line` per text line of a cell, in reading order (row by row, cells left to
right), so the text, the words TSV, hOCR, ALTO and the searchable PDF's text layer carry
the cell words in place and in the right order. The page's `tables` list gets one
`Table` per grid.
"""

from __future__ import annotations

import dataclasses
import logging

import cv2
import numpy as np

from ocr_pipeline.model import BBox, Line, Page, Word
from ocr_pipeline.tables.borderless import find_borderless
from ocr_pipeline.tables.fixes import (
    fix_by_column_majority,
    fix_number_columns,
    fix_surnames,
)
from ocr_pipeline.tables.header import header_rows
from ocr_pipeline.tables.model import Cell, Table
from ocr_pipeline.tables.read import read_cells
from ocr_pipeline.tables.ruled import find_grids, find_rulings, may_have_table

log = logging.getLogger(__name__)

#: Line.block of a table's lines: above any block number Tesseract gives a page
TABLE_BLOCK_BASE = 10_000


def _restore_cells(
    cell_lines: list[tuple[Cell, list[list[Word]]]],
    channel: str,
    profile: str | None = None,
    lexicon: str | None = None,
) -> list[tuple[Cell, list[list[Word]]]]:
    """Each cell's words restored on their own: a cell is a field, and context from the
    cell before it misleads ("Lao động tiên tiến" | "Băng khen" kept "Băng"). `profile`:
    the archive profile the rest of the page was restored with (`run --profile`), and
    `lexicon` its user lexicon (`run --lexicon`)."""
    from ocr_pipeline.processes import RESTORE_LOCK
    from ocr_pipeline.restore import restore_page

    out = []
    for cell, lines in cell_lines:
        filled = [ln for ln in lines if ln]
        if not filled:
            out.append((cell, lines))
            continue
        mini = Page(cell.page, 0, 0, 0, lines=[Line(ln, _union(ln)) for ln in filled])
        with RESTORE_LOCK:  # pages read on threads restore one at a time
            restored = restore_page(mini, channel=channel, profile=profile, lexicon=lexicon)
        new_lines = [ln.words for ln in restored.lines]
        words = [w for ln in new_lines for w in ln]
        out.append((dataclasses.replace(cell, words=words), new_lines))
    return out


def _without_empty_rows(
    cell_lines: list[tuple[Cell, list[list[Word]]]], n_rows: int
) -> tuple[list[tuple[Cell, list[list[Word]]]], int]:
    """A borderless table's rows without those whose cells read nothing (a row is found
    from text, so an empty one came from specks), renumbered."""
    filled = sorted({c.row for c, lines in cell_lines if any(lines)})
    new_row = {r: k for k, r in enumerate(filled)}
    kept = [(dataclasses.replace(c, row=new_row[c.row]), lines)
            for c, lines in cell_lines if c.row in new_row]  # fmt: skip
    return kept, len(filled)


def _union(words: list[Word]) -> BBox:
    box = words[0].bbox
    for w in words[1:]:
        box = box.union(w.bbox)
    return box


def _inside(word: Word, box: BBox) -> bool:
    x = (word.bbox.left + word.bbox.right) / 2
    y = (word.bbox.top + word.bbox.bottom) / 2
    return box.left <= x < box.right and box.top <= y < box.bottom


def _replace_lines(lines: list[Line], box: BBox, new: list[Line]) -> list[Line]:
    """`lines` without the words inside `box`, with `new` where the table's text was."""
    out: list[Line] = []
    at: int | None = None
    for line in lines:
        kept = [w for w in line.words if not _inside(w, box)]
        if len(kept) != len(line.words) and at is None:
            at = len(out)
        if kept:
            out.append(line if len(kept) == len(line.words)
                       else dataclasses.replace(line, words=kept, bbox=_union(kept)))  # fmt: skip
    if at is None:  # Tesseract read nothing there: after the last line above the table
        at = sum(1 for ln in out if ln.bbox.top < box.top)
    return out[:at] + new + out[at:]


def read_page_tables(
    page: Page,
    image: np.ndarray,
    *,
    lang: str = "vie",
    restore: bool = True,
    profile: str | None = None,
    lexicon: str | None = None,
    timeout: float | None = None,
) -> Page:
    """`page` with its ruled tables read cell by cell (unchanged when it has none).

    `image` is the grey image OCR read (the page's word boxes refer to it). With
    `restore`, cell words are restored like the rest of the page (same channel, same
    archive profile file `profile`, the same user lexicon file `lexicon`).
    """
    if image.ndim == 3:
        image = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    rulings = find_rulings(image, page.dpi) if may_have_table(image, page.dpi) else None
    grids = [(g, "ruled") for g in find_grids(image, page.dpi, rulings)] if rulings else []
    grids += [
        (g, "borderless")
        for g in find_borderless(page.words, page.dpi, page.width, page.height,
                                 exclude=[g.bbox for g, _ in grids])
    ]  # fmt: skip
    if not grids:
        return page
    rulings = rulings or find_rulings(image, page.dpi)
    grids.sort(key=lambda gk: gk[0].bbox.top)
    channel = "vie" if "vie" in lang.split("+") else "eng"
    lines = list(page.lines)
    tables = list(page.tables)
    for t_index, (grid, kind) in enumerate(grids):
        cell_lines = read_cells(image, rulings, grid, dpi=page.dpi, lang=lang,
                                page_number=page.number, timeout=timeout)  # fmt: skip
        n_rows = grid.n_rows
        if kind == "borderless":
            cell_lines, n_rows = _without_empty_rows(cell_lines, n_rows)
            if n_rows < 2:
                continue
        body_from = max((c.rowspan for c, _ in cell_lines if c.row == 0), default=1)
        cell_lines = fix_number_columns(cell_lines, body_from)
        if restore:
            cell_lines = _restore_cells(cell_lines, channel, profile, lexicon)
        cell_lines = fix_surnames(cell_lines, body_from)
        cell_lines = fix_by_column_majority(cell_lines, body_from)
        new_lines = [
            Line(ln, _union(ln), block=TABLE_BLOCK_BASE + t_index, paragraph=k, line=j)
            for k, (_, cl) in enumerate(cell_lines) for j, ln in enumerate(cl) if ln
        ]  # fmt: skip
        lines = _replace_lines(lines, grid.bbox, new_lines)
        cells = [dataclasses.replace(c, words=[w for ln in cl for w in ln]) for c, cl in cell_lines]
        table = Table(cells, n_rows, grid.n_cols, [(page.number, grid.bbox)], kind=kind)
        table.header_rows = header_rows(table)
        tables.append(table)
        log.debug("page %d: table %d x %d, %d cells", page.number, grid.n_rows,
                  grid.n_cols, len(cells))  # fmt: skip
    return dataclasses.replace(page, lines=lines, tables=tables)
