"""Reader for plain UTF-8 text: one line per line, a form feed (``\\f``) starts a page."""

from __future__ import annotations

from ocr_pipeline.diff.normalize import clean_line
from ocr_pipeline.diff.sides import DiffSide, SideLine


def side_from_text(text: str, path: str = "<text>", name: str = "text") -> DiffSide:
    """A side from plain text (lines; form feeds start pages; blank lines skipped)."""
    lines: list[SideLine] = []
    number = 0
    for page_no, page in enumerate(text.split("\f"), start=1):
        for raw in page.splitlines():
            number += 1
            cleaned = clean_line(raw)
            if cleaned:
                lines.append(SideLine(cleaned, number, page_no))
    return DiffSide(path, "text", lines, name)
