"""The words table format (NAME.words.tsv): its columns and field escaping, in one place.

One header line, then one line per word in reading order. Columns: page, block, par,
line, word, left, top, width, height, conf, text, and, when the document went through the
restore stage, ocr_text and restore_conf. ``conf`` is Tesseract's 0-100 word confidence;
``restore_conf`` (0-1) is the confidence a reviewer flags by: on `run`, the probability
that the word as written is right from the restorer's confidence and Tesseract's together
(`ocr_pipeline.page_confidence`), for every word of a restored page, numbers and codes
included. Fields are escaped like PostgreSQL's text
format: backslash, tab, newline and carriage return become \\\\, \\t, \\n and \\r, so every
row is exactly one line with fixed columns. Written by `ocr_pipeline.export.words`, read
by `ocr_pipeline.diff.readers.words_tsv`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

BASE_COLUMNS = (
    "page", "block", "par", "line", "word",
    "left", "top", "width", "height", "conf", "text",
)  # fmt: skip
RESTORE_COLUMNS = ("ocr_text", "restore_conf")
REQUIRED_COLUMNS = frozenset({"page", "line", "text"})  # what a reader cannot do without

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def escape_field(value: str) -> str:
    return value.translate(_ESCAPES)


def unescape_field(value: str) -> str:
    """Inverse of `escape_field` (for readers of the TSV)."""
    if "\\" not in value:
        return value
    out: list[str] = []
    chars = iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append(_UNESCAPES.get(nxt, "\\" + nxt))
        else:
            out.append(ch)
    return "".join(out)


def header_of(first_line: str) -> list[str]:
    return first_line.rstrip("\r\n").split("\t")


def is_header(first_line: str) -> bool:
    """True when a line is a words-table header (has at least the required columns)."""
    return REQUIRED_COLUMNS <= set(header_of(first_line))


def read_rows(lines: Iterable[str]) -> Iterator[dict[str, str]]:
    """The rows of a words table as {column: raw field}; fields are still escaped."""
    return csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
