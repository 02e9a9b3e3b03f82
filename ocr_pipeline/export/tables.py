"""Tables as files: NAME.table-N.csv and NAME.table-N.md (N from 1, document order).

CSV (RFC 4180, UTF-8, CRLF line ends as the `csv` module writes them): every grid row,
header rows first; a merged cell's text sits in its top-left slot and the other slots it
covers are empty. Markdown: a pipe table whose single header line joins each column's
header cells top to bottom with " / " ("Hình thức khen thưởng / Danh hiệu"), then the
body rows. Tables continued over pages come joined (`tables.join_tables`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ocr_pipeline.fileio import write_atomic
from ocr_pipeline.model import Document
from ocr_pipeline.tables import Table, join_tables


def to_csv(table: Table) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(table.grid())
    return buf.getvalue()


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def to_markdown_table(table: Table) -> str:
    grid = table.grid()
    h = table.header_rows
    names = []
    for col in range(table.n_cols):
        parts: list[str] = []
        for c in table.cells:
            if c.row < h and c.col <= col < c.col + c.colspan and c.text and c.text not in parts:
                parts.append(c.text)
        names.append(" / ".join(parts) or f"Cột {col + 1}")
    lines = ["| " + " | ".join(_md_cell(n) for n in names) + " |",
             "|" + "|".join("---" for _ in names) + "|"]  # fmt: skip
    lines += ["| " + " | ".join(_md_cell(t) for t in row) + " |" for row in grid[h:]]
    return "\n".join(lines) + "\n"


def table_paths(outdir: Path, name: str, count: int) -> list[tuple[Path, Path]]:
    return [(Path(outdir) / f"{name}.table-{n}.csv", Path(outdir) / f"{name}.table-{n}.md")
            for n in range(1, count + 1)]  # fmt: skip


def write_tables(document: Document, outdir: Path, name: str) -> dict[str, Path]:
    """Write each table of `document` as CSV and Markdown; the paths by kind
    ("table-1.csv", "table-1.md", ...). Nothing is written for a document without tables."""
    tables = join_tables(document.pages)
    out: dict[str, Path] = {}
    for n, (table, (csv_path, md_path)) in enumerate(
        zip(tables, table_paths(outdir, name, len(tables)), strict=True), start=1
    ):
        write_atomic(csv_path, to_csv(table).encode("utf-8"))
        write_atomic(md_path, to_markdown_table(table).encode("utf-8"))
        out[f"table-{n}.csv"], out[f"table-{n}.md"] = csv_path, md_path
    return out
