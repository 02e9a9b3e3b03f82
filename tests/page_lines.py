"""A helper the page-reading tests share: an OCR line of evenly spaced words."""

from __future__ import annotations

from ocr_pipeline.model import BBox, Line, Word


def text_line(text: str, top: int, left: int = 100, height: int = 30, conf: float = 95.0,
              block: int = 1, paragraph: int = 1, number: int = 1) -> Line:  # fmt: skip
    """A `Line` of `text`'s words, 20 px a letter and 15 px apart, from (`left`, `top`)."""
    words, x = [], left
    for part in text.split():
        words.append(Word(part, BBox(x, top, x + 20 * len(part), top + height), conf))
        x += 20 * len(part) + 15
    box = words[0].bbox
    for w in words[1:]:
        box = box.union(w.bbox)
    return Line(words=words, bbox=box, block=block, paragraph=paragraph, line=number)
