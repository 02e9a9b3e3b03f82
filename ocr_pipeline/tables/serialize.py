"""Tables as JSON nodes of the document tree (`tables` in schema document@1)."""

from __future__ import annotations

from typing import Any

from ocr_pipeline.model import BBox
from ocr_pipeline.tables.model import Table


def _box(b: BBox) -> list[int]:
    return [b.left, b.top, b.right, b.bottom]


def table_to_json(table: Table, index: int) -> dict[str, Any]:
    """One `table` node: header rows, rows of cells with spans, boxes, page provenance."""
    rows = []
    for row in table.rows():
        rows.append([
            {
                "row": c.row, "col": c.col, "rowspan": c.rowspan, "colspan": c.colspan,
                "text": c.text, "header": c.row < table.header_rows,
                "confidence": None if c.confidence is None else round(c.confidence / 100, 4),
                "prov": [{"page": c.page, "bbox": _box(c.bbox)}],
            }
            for c in row
        ])  # fmt: skip
    conf = table.confidence
    return {
        "kind": "table",
        "id": f"table-{index}",
        "table_kind": table.kind,
        "n_rows": table.n_rows,
        "n_cols": table.n_cols,
        "header_rows": table.header_rows,
        "repeated_headers": table.repeated_headers,
        "confidence": None if conf is None else round(conf / 100, 4),
        "prov": [{"page": p, "bbox": _box(b)} for p, b in table.regions],
        "rows": rows,
    }


def tables_to_json(tables: list[Table]) -> list[dict[str, Any]]:
    return [table_to_json(t, k) for k, t in enumerate(tables, start=1)]
