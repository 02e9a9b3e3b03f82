"""Reading one input of `diff`: a file or ``-`` (stdin), checked and decoded to text.

Also `stem_of`, the document name of a file (NAME of NAME.words.tsv, NAME.alto.xml, ...),
used to find the run metadata and page images beside it and to pair folders.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from ocr_pipeline.errors import InputFileError
from ocr_pipeline.fileio import binary_kind, decode_text, open_regular

MAX_INPUT_BYTES = 512 * 1024 * 1024
STDIN = "-"

# longest first: NAME.words.tsv before NAME.tsv
SUFFIXES = (".words.tsv", ".alto.xml", ".page.xml", ".hocr.html", ".hocr", ".xml", ".html",
            ".json", ".tsv", ".txt")  # fmt: skip
TAGS = (".restored", ".gt", ".structure")


@dataclass(frozen=True, slots=True)
class Source:
    """An input's display path, document name, text (NFC not yet applied), and file path."""

    path: str
    name: str
    text: str
    file: Path | None  # None for stdin


def stem_of(path: Path) -> str:
    """The document name: NAME of NAME.words.tsv, NAME.alto.xml, NAME.gt.txt, NAME.json..."""
    name = path.name
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    else:
        name = path.stem
    for tag in TAGS:
        if name.endswith(tag) and len(name) > len(tag):
            name = name[: -len(tag)]
    return name


def read_source(path: Path | str) -> Source:
    """Read a file, or stdin for ``-``; one-line InputFileError for anything unreadable."""
    if str(path) == STDIN:
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise InputFileError("stdin is larger than 512 MB; split it before comparing")
        return Source("<stdin>", "stdin", decode(data, "stdin"), None)
    path = Path(path)
    if not path.exists():
        raise InputFileError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise InputFileError(f"{path} is a folder; give a file, or two folders for directory mode")
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise InputFileError(f"{path} is larger than 512 MB; split it before comparing")
        with open_regular(path) as fh:  # a FIFO or device: one line, not a wait forever
            data = fh.read()
    except OSError as err:
        raise InputFileError(f"cannot read {path}: {err.strerror}; check permissions") from None
    return Source(str(path), stem_of(path), decode(data, str(path)), path)


def decode(data: bytes, where: str) -> str:
    """The text of a file (`fileio.decode_text`: UTF-8, or UTF-16 with its byte-order mark;
    CRLF kept for the readers); refuses scans, binary data and other encodings."""
    what = binary_kind(data)
    if what is not None:
        raise InputFileError(
            f"{where} is {what}; run ocr-pipeline run on it first and compare its"
            " .txt, .alto.xml, .hocr or .words.tsv output"
        )
    return decode_text(data, where, "UTF-8 text, ALTO, PAGE-XML, hOCR, a .words.tsv or our JSON")
