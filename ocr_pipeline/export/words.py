"""Word table exporter: NAME.words.tsv, one row per word with its box and confidence.

Columns: page, block, par, line, word, left, top, width, height, conf, text, and, when
the document went through the restore stage, ocr_text and restore_conf. Fields are
escaped like PostgreSQL's text format: backslash, tab, newline and carriage return
become \\\\, \\t, \\n and \\r, so every row is exactly one line with fixed columns.
"""

from __future__ import annotations

from pathlib import Path

from ocr_pipeline.fileio import write_atomic
from ocr_pipeline.model import Document

BASE_COLUMNS = (
    "page", "block", "par", "line", "word",
    "left", "top", "width", "height", "conf", "text",
)  # fmt: skip
RESTORE_COLUMNS = ("ocr_text", "restore_conf")

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def escape_field(value: str) -> str:
    return value.translate(_ESCAPES)


def unescape_field(value: str) -> str:
    """Inverse of `escape_field` (for readers of the TSV)."""
    out: list[str] = []
    chars = iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append(_UNESCAPES.get(nxt, "\\" + nxt))
        else:
            out.append(ch)
    return "".join(out)


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
                    _num(word.confidence), escape_field(word.text),
                ]  # fmt: skip
                if restored:
                    cells += [
                        escape_field(word.ocr_text if word.ocr_text is not None else word.text),
                        _num(word.restore_confidence),
                    ]
                rows.append("\t".join(cells))
    return "\n".join(rows) + "\n"


def write_words_tsv(document: Document, path: Path) -> None:
    write_atomic(Path(path), to_words_tsv(document))
