"""Which top rows of a table are its header, and whether two header rows say the same.

A header is the run of rows covered by the cells of the first row (a "STT" cell spanning
two rows makes a two-row header), unless that first row reads like data (most of its
cells are numbers), which is how a continuation page without a repeated header starts.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import Levenshtein

from ocr_pipeline.tables.model import Cell, Table

_NUMBER = re.compile(r"^[\d.,%/\-–]+$")
#: header cells count as the same text above this normalised similarity (OCR slips)
SAME_TEXT = 0.8


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.replace(" ", "")))


def header_rows(table: Table) -> int:
    first = [c for c in table.cells if c.row == 0]
    if not first:
        return 0
    filled = [c for c in first if c.text]
    if filled and sum(_is_number(c.text) for c in filled) * 2 > len(filled):
        return 0
    return min(table.n_rows - 1, max(c.rowspan for c in first))


def fold(text: str) -> str:
    """Lower case, marks removed, đ as d, spaces collapsed: the text to compare headers by."""
    base = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return " ".join("".join(ch for ch in base if not unicodedata.combining(ch)).split())


def same_text(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    if not fa and not fb:
        return True
    return Levenshtein.normalized_similarity(fa, fb) >= SAME_TEXT


def same_header(first: list[Cell], other: list[Cell]) -> bool:
    """Whether two header row sets have the same cells (positions, spans, text)."""
    key = lambda c: (c.row, c.col, c.rowspan, c.colspan)  # noqa: E731
    a = {key(c): c.text for c in first}
    b = {key(c): c.text for c in other}
    return a.keys() == b.keys() and all(same_text(a[k], b[k]) for k in a)
