"""The tables of a `run` document corrected like its words, for `ocr-pipeline apply`.

A table's cells were read from the scan (`ocr_pipeline.tables`), and their words are the
lines of the page that carry a table block number (`TABLE_BLOCK_BASE` + n), one line per
text line of a cell, inside the cell's box. So a cell's text can be read again from the
words table: the words of the table lines whose centre lies in the cell's box on its
page, in reading order. `corrected_tables` does that twice, on the words table as run
wrote it and as apply corrected it, and changes only the cells whose words changed; a
changed cell whose words as written are not the text NAME.json records for it is an
error (the files do not belong together), never a guess. NAME.table-N.csv and .md are
then written from the corrected table nodes by the exporters that wrote them first
(`export.tables`), after checking that the files on disk are what those nodes give.
A corrected cell keeps its confidence (Tesseract's, as the table JSON defines it).
"""

from __future__ import annotations

import copy
from pathlib import Path

from ocr_pipeline.errors import InputFileError
from ocr_pipeline.model import BBox, Page, Word
from ocr_pipeline.tables.model import Cell, Table
from ocr_pipeline.tables.page import TABLE_BLOCK_BASE


def _table_words(pages: list[Page]) -> dict[int, list[Word]]:
    """Page number -> the words of its table lines, in reading order."""
    return {
        p.number: [w for ln in p.lines if ln.block >= TABLE_BLOCK_BASE for w in ln.words]
        for p in pages
    }


def _inside(word: Word, box: list) -> bool:
    x = (word.bbox.left + word.bbox.right) / 2
    y = (word.bbox.top + word.bbox.bottom) / 2
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def _cell_text(cell: dict, words: dict[int, list[Word]]) -> str | None:
    """The cell's text read from the table words inside its box; None without a box."""
    prov = (cell.get("prov") or [None])[0]
    if not isinstance(prov, dict) or not isinstance(prov.get("bbox"), list):
        return None
    page, box = prov.get("page"), prov["bbox"]
    on_page = words.get(page, []) if isinstance(page, int) else []
    return " ".join(w.text for w in on_page if _inside(w, box))


def corrected_tables(
    tables: list[dict], written: list[Page], corrected: list[Page], where: str
) -> list[dict]:
    """The tree's `tables` nodes with the text of each cell whose words the correction
    changed read again from `corrected` (pages of the corrected words table; `written`:
    the same as run wrote them). InputFileError when such a cell's words as written are
    not its recorded text."""
    before, after = _table_words(written), _table_words(corrected)
    out = copy.deepcopy(tables)
    for n, table in enumerate(out, start=1):
        for row in table.get("rows") or []:
            for cell in row:
                old, new = _cell_text(cell, before), _cell_text(cell, after)
                if old is None or new is None or old == new:
                    continue
                if old != cell.get("text"):
                    raise InputFileError(
                        f"{where}: table {n}, row {cell.get('row')}, column {cell.get('col')}"
                        f" reads {cell.get('text')!r} but its words are {old!r}; the words "
                        "table and NAME.json must come from the same run"
                    )
                cell["text"] = new
    return out


def table_of(node: dict) -> Table:
    """A `tables.Table` from its tree node (what the CSV and Markdown exporters take)."""
    cells = []
    for row in node.get("rows") or []:
        for c in row:
            prov = (c.get("prov") or [{}])[0]
            box = BBox(*(prov.get("bbox") or [0, 0, 1, 1]))
            words = [Word(t, box, -1.0) for t in str(c.get("text") or "").split(" ") if t]
            cells.append(Cell(int(c["row"]), int(c["col"]), box, int(prov.get("page") or 1),
                              int(c.get("rowspan") or 1), int(c.get("colspan") or 1),
                              words))  # fmt: skip
    regions = [(int(p["page"]), BBox(*p["bbox"])) for p in node.get("prov") or []]
    return Table(cells, int(node["n_rows"]), int(node["n_cols"]), regions,
                 int(node.get("header_rows") or 0), str(node.get("table_kind") or "ruled"),
                 int(node.get("repeated_headers") or 0))  # fmt: skip


def table_files(
    old: list[dict], new: list[dict], files: dict[int, tuple[Path, Path]]
) -> dict[Path, str]:
    """{NAME.table-N.csv / .md: text} for every table file in `files` (table number ->
    (csv, md) paths as run named them, those that exist): corrected where the table's
    cells changed, as it was otherwise. InputFileError when a file does not hold what
    NAME.json's table gives (edited by hand, or another run's)."""
    from ocr_pipeline.export.tables import to_csv, to_markdown_table

    out: dict[Path, str] = {}
    for n, (before, after) in enumerate(zip(old, new, strict=True), start=1):
        for path, render in zip(files.get(n, ()), (to_csv, to_markdown_table), strict=False):
            if not path.is_file():
                continue
            try:
                on_disk = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise InputFileError(f"cannot read {path}: {err}; check the file") from None
            if on_disk != render(table_of(before)):
                raise InputFileError(
                    f"{path} does not hold table {n} of NAME.json; outputs of one run must "
                    "agree before they are corrected together"
                )
            out[path] = render(table_of(after))
    return out


__all__ = ["corrected_tables", "table_files", "table_of"]
