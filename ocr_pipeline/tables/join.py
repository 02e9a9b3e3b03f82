"""Tables that continue over pages, joined into one; a repeated header recognised.

A table is the continuation of the previous page's last table when it is the first
table of the next page, starts in the page's upper part, the earlier one ends in its
page's lower part, and both have the same columns (same count, column widths within a
few percent of the table width). When the continuation starts with the same header
rows (same cells and spans, text equal up to OCR slips), those rows are dropped and
counted in `Table.repeated_headers`; otherwise all its rows are body rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from ocr_pipeline.model import Page
from ocr_pipeline.tables.header import same_header
from ocr_pipeline.tables.model import Table

#: the earlier part must end below, the continuation start above, this share of the page
END_BELOW, START_ABOVE = 0.55, 0.45
#: column widths may differ by this share of the table width
COLUMN_TOLERANCE = 0.03


def _column_shares(table: Table, page: int) -> list[float] | None:
    """Each column's share of the table width, from single-column cells on `page`."""
    box = next(b for p, b in table.regions if p == page)
    edges: dict[int, tuple[int, int]] = {}
    for c in table.cells:
        if c.page == page and c.colspan == 1:
            edges.setdefault(c.col, (c.bbox.left, c.bbox.right))
    if len(edges) != table.n_cols or box.width <= 0:
        return None
    return [(edges[k][1] - edges[k][0]) / box.width for k in range(table.n_cols)]


def continues(prev: Table, prev_page: Page, nxt: Table, next_page: Page) -> bool:
    last_page, last_box = prev.regions[-1]
    first_page, first_box = nxt.regions[0]
    if first_page != last_page + 1 or prev.n_cols != nxt.n_cols:
        return False
    if last_box.bottom < END_BELOW * prev_page.height:
        return False
    if first_box.top > START_ABOVE * next_page.height:
        return False
    a, b = _column_shares(prev, last_page), _column_shares(nxt, first_page)
    if a is None or b is None:
        return True  # same column count and position on the pages: take it as joined
    return all(abs(x - y) <= COLUMN_TOLERANCE for x, y in zip(a, b, strict=True))


def _append(prev: Table, nxt: Table) -> Table:
    h = prev.header_rows
    header_prev = [c for c in prev.cells if c.row < h]
    header_next = [c for c in nxt.cells if c.row < h]
    drop = h if h and nxt.n_rows > h and same_header(header_prev, header_next) else 0
    cells = list(prev.cells)
    for c in nxt.cells:
        if c.row >= drop:
            cells.append(dataclasses.replace(c, row=c.row - drop + prev.n_rows))
    return Table(cells, prev.n_rows + nxt.n_rows - drop, prev.n_cols,
                 prev.regions + nxt.regions, prev.header_rows, prev.kind,
                 prev.repeated_headers + (1 if drop else 0))  # fmt: skip


def join_tables(pages: Iterable[Page]) -> list[Table]:
    """All tables of the document in reading order, continued tables joined."""
    out: list[Table] = []
    last_page: Page | None = None
    by_number: dict[int, Page] = {}
    for page in pages:
        by_number[page.number] = page
        for k, table in enumerate(page.tables):
            if (
                k == 0
                and out
                and last_page is not None
                and out[-1].regions[-1][0] == last_page.number
                and table.kind == out[-1].kind
                and continues(out[-1], by_number[out[-1].regions[-1][0]], table, page)
            ):
                out[-1] = _append(out[-1], table)
            else:
                out.append(table)
        last_page = page
    return out
