"""Helpers the structure rule tests share: a text's validated tree and its nodes in order."""

from __future__ import annotations

from collections.abc import Iterator

from ocr_pipeline.structure import structure_text, validate


def structured(lines: list[str]) -> dict:
    """The structure tree of `lines` (one text), checked against the JSON Schema."""
    doc = structure_text("\n".join(lines))
    validate(doc)
    return doc


def walk(nodes: list[dict]) -> Iterator[dict]:
    """Every node of a body, sections before their children, in reading order."""
    for n in nodes:
        yield n
        if n["kind"] == "section":
            yield from walk(n["children"])


def section_titles(doc: dict) -> list[tuple[str, str | None]]:
    """(label, title) of every section of a tree, in reading order."""
    return [(n["label"], n["title"]) for n in walk(doc["body"]) if n["kind"] == "section"]


def ocr_page(rows: list[tuple[int, int, int, str]], number: int = 1):
    """An OCR page from (left, top, right, text) rows of 40 px high words spread evenly
    between left and right."""
    from ocr_pipeline.model import BBox, Line, Page, Word

    lines = []
    for left, top, right, text in rows:
        items = text.split()
        step = (right - left) / len(items)
        words = [
            Word(w, BBox(int(left + k * step), top, int(left + (k + 1) * step) - 14, top + 40), 95)
            for k, w in enumerate(items)
        ]
        lines.append(Line(words, BBox(left, top, right, top + 40)))
    return Page(number=number, width=2480, height=3508, dpi=300, lines=lines)


def scanned(rows: list[tuple[int, int, str]]) -> dict:
    """The tree of an OCR page from (left, right, text) rows: 40 px lines at a 60 px
    pitch (`ocr_page`)."""
    from ocr_pipeline.structure import structure_pages

    page = ocr_page(
        [(left, 300 + 60 * k, right, text) for k, (left, right, text) in enumerate(rows)]
    )
    doc = structure_pages([page])
    validate(doc)
    return doc
