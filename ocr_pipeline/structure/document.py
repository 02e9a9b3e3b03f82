"""Plain dataclasses used inside the structure stage, and provenance helpers.

`SrcLine` is one input line (plain text or an OCR line) with the layout signals the
later steps need; it is immutable (a step that changes a line makes a new one). `prov`
builds docling-style provenance (page, and bbox when known).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ocr_pipeline.model import BBox

SCHEMA_ID = "ocr_pipeline/document@1"


@dataclass(frozen=True, slots=True)
class SrcLine:
    text: str
    page: int
    bbox: BBox | None = None  # page pixels, as the OCR word boxes (model.BBox)
    blank_before: bool = False  # a blank line / large vertical gap precedes it
    indented: bool = False  # first-line indent (only known from word boxes)
    short: bool = False  # ends well before the right margin
    room: float | None = None  # characters that would still fit before the right margin
    column: str | None = None  # "left" / "right" for split header and closing segments
    page_width: int | None = None
    words: list[tuple[str, BBox]] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)  # OCR confidence per word
    # the footnote numbers of the markers printed on the line, in reading order: typed,
    # from `Word.marker` (OCR pages) or read once from a text input (`markers_in`); `text`
    # and `words` are the line as printed, markers written in (the rules cut node text
    # from it), but which markers a line carries is read here, never from the text
    marks: tuple[int, ...] = ()
    ends_text: bool = False  # the line carried the "./." end mark (cut off by the builder)
    # the label the line opens with was put back, not read (`lost_labels.restore_lost_labels`): why
    label_restored: str | None = None


def box_of(ln: SrcLine) -> BBox:
    """`ln.bbox` of a line known to come from OCR word boxes (ValueError if it has none)."""
    if ln.bbox is None:
        raise ValueError(f"line on page {ln.page} has no box")
    return ln.bbox


def union(boxes: Iterable[BBox]) -> BBox | None:
    """The smallest box holding all `boxes` (None for none)."""
    out: BBox | None = None
    for b in boxes:
        out = b if out is None else out.union(b)
    return out


def prov(lines: Iterable[SrcLine]) -> list[dict]:
    """One entry per page the lines touch: {"page": n} plus "bbox" when boxes exist."""
    out: dict[int, list[BBox]] = {}
    for ln in lines:
        out.setdefault(ln.page, [])
        if ln.bbox is not None:
            out[ln.page].append(ln.bbox)
    result = []
    for page, boxes in out.items():
        entry: dict = {"page": page}
        box = union(boxes)
        if box is not None:
            entry["bbox"] = [box.left, box.top, box.right, box.bottom]
        result.append(entry)
    return result
