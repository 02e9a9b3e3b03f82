"""Word table exporter: NAME.words.tsv, one row per word with its box and confidence.

The format (columns, field escaping) is owned by `ocr_pipeline.words_table`.
"""

from __future__ import annotations

from pathlib import Path

from ocr_pipeline.fileio import write_atomic
from ocr_pipeline.model import Document
from ocr_pipeline.words_table import (  # noqa: F401  (unescape_field: re-exported)
    BASE_COLUMNS,
    RESTORE_COLUMNS,
    escape_field,
    unescape_field,
)


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def has_restore_columns(document: Document) -> bool:
    return any(
        w.ocr_text is not None or w.restore_confidence is not None
        for p in document.pages
        for w in p.words
    )


def to_words_tsv(document: Document) -> str:
    """The TSV text: a header line, then one line per word in reading order."""
    restored = has_restore_columns(document)
    columns = BASE_COLUMNS + (RESTORE_COLUMNS if restored else ())
    rows = ["\t".join(columns)]
    for page in document.pages:
        for line in page.lines:
            for index, word in enumerate(line.words, start=1):
                b = word.bbox
                cells = [
                    str(page.number), str(line.block), str(line.paragraph), str(line.line),
                    str(index), str(b.left), str(b.top), str(b.width), str(b.height),
                    _num(word.confidence), escape_field(word.marked_text),
                ]  # fmt: skip
                if restored:
                    cells += [
                        escape_field(
                            word.ocr_text if word.ocr_text is not None else word.marked_text
                        ),
                        _num(word.restore_confidence),
                    ]
                rows.append("\t".join(cells))
    return "\n".join(rows) + "\n"


def write_words_tsv(document: Document, path: Path) -> None:
    write_atomic(Path(path), to_words_tsv(document))
