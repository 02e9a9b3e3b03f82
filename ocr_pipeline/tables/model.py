"""The table dataclasses: `Cell` (grid position, spans, text, box, page) and `Table`.

Boxes are pixels of the page image OCR saw, like `model.Word` boxes. A `Table` that
continues over several pages (joined by `tables.join`) holds cells from each page; each
cell keeps its own page number, and `regions` gives the table's box on every page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ocr_pipeline.model import BBox, Word


@dataclass(slots=True)
class Cell:
    """One cell: top-left grid position, spans, text (words joined by spaces), box, page.

    `words` are the cell's words with their page boxes (restored text when restoration
    ran); `confidence` is the mean Tesseract word confidence (0-100), None when empty.
    """

    row: int
    col: int
    bbox: BBox
    page: int
    rowspan: int = 1
    colspan: int = 1
    words: list[Word] = field(default_factory=list)
    confidence: float | None = None

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(slots=True)
class Table:
    """A table: `n_rows` x `n_cols` grid, the first `header_rows` rows its header.

    `kind` is "ruled" (drawn cell borders) or "borderless" (aligned columns).
    `regions` holds (page, box) for each page the table is on.
    """

    cells: list[Cell]
    n_rows: int
    n_cols: int
    regions: list[tuple[int, BBox]]
    header_rows: int = 0
    kind: str = "ruled"
    repeated_headers: int = 0  # header copies dropped when continuation pages were joined

    @property
    def pages(self) -> list[int]:
        return [p for p, _ in self.regions]

    @property
    def confidence(self) -> float | None:
        """Mean word confidence over the cells that have text (0-100)."""
        confs = [c.confidence for c in self.cells if c.confidence is not None]
        return round(sum(confs) / len(confs), 2) if confs else None

    def grid(self) -> list[list[str]]:
        """Rows of column texts; a spanning cell's text fills its first slot, the rest
        of its slots are empty strings (the CSV convention for merged cells)."""
        rows = [[""] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            rows[c.row][c.col] = c.text
        return rows

    def rows(self) -> list[list[Cell]]:
        """The cells that start in each row, left to right."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for c in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[c.row].append(c)
        return out
