"""Plain dataclasses used inside the structure stage, and provenance helpers.

`SrcLine` is one input line (plain text or an OCR line) with the layout signals the
later steps need; `prov` builds docling-style provenance (page, and bbox when known).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

SCHEMA_ID = "ocr_pipeline/document@1"

Box = tuple[int, int, int, int]


@dataclass(slots=True)
class SrcLine:
    text: str
    page: int
    bbox: Box | None = None
    blank_before: bool = False  # a blank line / large vertical gap precedes it
    indented: bool = False  # first-line indent (only known from word boxes)
    short: bool = False  # ends well before the right margin
    room: float | None = None  # characters that would still fit before the right margin
    column: str | None = None  # "left" / "right" for split header and closing segments
    page_width: int | None = None
    words: list[tuple[str, Box]] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)  # OCR confidence per word


def union(boxes: Iterable[Box]) -> Box | None:
    boxes = list(boxes)
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def prov(lines: Iterable[SrcLine]) -> list[dict]:
    """One entry per page the lines touch: {"page": n} plus "bbox" when boxes exist."""
    out: dict[int, list[Box]] = {}
    for ln in lines:
        out.setdefault(ln.page, [])
        if ln.bbox is not None:
            out[ln.page].append(ln.bbox)
    result = []
    for page, boxes in out.items():
        entry: dict = {"page": page}
        box = union(boxes)
        if box is not None:
            entry["bbox"] = list(box)
        result.append(entry)
    return result
