"""Plain-text exporter: NAME.txt, one line per OCR line, pages separated by form feed."""

from __future__ import annotations

from pathlib import Path

from ocr_pipeline.fileio import write_atomic
from ocr_pipeline.model import Document


def to_text(document: Document) -> str:
    """Page texts joined by "\\f" (so page N is the N-th form-feed field), newline-ended.

    A page that failed or timed out contributes an empty field, so page numbering holds.
    """
    return document.text + "\n"


def write_text(document: Document, path: Path) -> None:
    write_atomic(Path(path), to_text(document))
