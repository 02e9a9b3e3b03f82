"""Which top rows of a table are its header, and whether two header rows say the same.

A header is the run of rows covered by the cells of the first row (a "STT" cell spanning
two rows makes a two-row header), unless that first row reads like data (most of its
cells are numbers), which is how a continuation page without a repeated header starts.
"""

from __future__ import annotations

import re
import unicodedata

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
    # imported here: a page without a table (most) never loads rapidfuzz at start-up
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.normalized_similarity(fa, fb) >= SAME_TEXT


def same_header(first: list[Cell], other: list[Cell]) -> bool:
    """Whether two header row sets have the same cells (positions, spans) and text.

    The texts are compared all together (cell by cell in grid order): a one-letter slip
    in a short cell ("STL" for "STT") must not make a repeated header look new.
    """
    key = lambda c: (c.row, c.col, c.rowspan, c.colspan)  # noqa: E731
    a = {key(c): c.text for c in first}
    b = {key(c): c.text for c in other}
    if a.keys() != b.keys():
        return False
    order = sorted(a)
    return same_text(" | ".join(a[k] for k in order), " | ".join(b[k] for k in order))
