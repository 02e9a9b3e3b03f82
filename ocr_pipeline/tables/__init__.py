"""Tables on scanned pages: award lists and statistics as rows and cells, not word soup.

Public API:
    read_page_tables(page, image, lang=, restore=, timeout=) -> Page
        ruled tables found in the page image and borderless lists (aligned columns) in
        its word boxes, each cell OCR'd on its own crop, restored and checked against its
        column; the page's words inside a table replaced by the cells' words in
        reading order; `page.tables` filled. A page without a table is returned as is.
    join_tables(pages) -> list[Table]    tables continued over pages joined (header kept once)
    tables_to_json(tables) -> list[dict] `tables` nodes of the document tree
    Table, Cell                          the dataclasses (`tables.model`)

Modules: `ruled` (ruling lines -> grid with spans, OpenCV), `borderless` (aligned
columns -> grid), `read` (cell crops -> words), `fixes` (numbers, surnames, repeated
values by column), `header` (header rows, header equality), `page` (one page), `join`
(across pages), `serialize` (JSON).
"""

from __future__ import annotations

from ocr_pipeline.tables.join import join_tables
from ocr_pipeline.tables.model import Cell, Table
from ocr_pipeline.tables.page import read_page_tables
from ocr_pipeline.tables.serialize import table_to_json, tables_to_json

__all__ = ["Cell", "Table", "join_tables", "read_page_tables", "table_to_json",
           "tables_to_json"]  # fmt: skip
