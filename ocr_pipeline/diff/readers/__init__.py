"""Readers for every input `diff` compares, one module per format, chosen by content.

`load_side(path)` reads a file (or ``-``, stdin) and sniffs its format from the content,
not the name: ALTO (1.x-4.x), PAGE-XML, hOCR, our JSON (run metadata ``ocr_pipeline/run@``,
restore ``ocr_pipeline/restoration@``, structure ``ocr_pipeline/document@``), the words
table (``NAME.words.tsv``), else plain text. Binary files, other XML/HTML and other JSON
are refused with one line saying what to give (InputFileError, exit 2).
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from ocr_pipeline.diff.readers.alto import side_from_alto
from ocr_pipeline.diff.readers.hocr import side_from_hocr
from ocr_pipeline.diff.readers.page_xml import side_from_page_xml
from ocr_pipeline.diff.readers.restore_json import is_restore_json, side_from_restore_json
from ocr_pipeline.diff.readers.source import Source, read_source, stem_of
from ocr_pipeline.diff.readers.structure_json import is_structure_json, side_from_structure_json
from ocr_pipeline.diff.readers.text import side_from_text
from ocr_pipeline.diff.readers.words_tsv import page_geometry, side_from_words_tsv
from ocr_pipeline.diff.sides import DiffSide
from ocr_pipeline.errors import InputFileError
from ocr_pipeline.export.metadata import is_run_metadata
from ocr_pipeline.words_table import is_header

__all__ = ["FORMATS", "load_side", "side_from_text", "sniff", "stem_of"]

log = logging.getLogger(__name__)

FORMATS = ("text", "words-tsv", "alto", "hocr", "page-xml", "json")
ACCEPTED = "text, ALTO, PAGE-XML, hOCR, NAME.words.tsv, or run/restore/structure JSON"

_HEAD = 65536  # characters looked at to decide the format
_ALTO = re.compile(r"<(?:[\w.-]+:)?alto[\s>/]")
_PAGE = re.compile(r"<(?:[\w.-]+:)?PcGts[\s>/]")
_HOCR = re.compile(r"""class\s*=\s*["'][^"']*\bocr(?:_page|_carea|_par|_line|x_word|x_line)\b""")
_MARKUP = re.compile(r"<(?:\?xml|!DOCTYPE|html|[\w.-]+:[\w.-]+[\s>])", re.IGNORECASE)


def sniff(text: str) -> str:
    """The format of an input from its first characters: one of `FORMATS`, or "markup"
    for XML/HTML that is none of ALTO, PAGE-XML and hOCR."""
    head = text[:_HEAD].lstrip()
    if head.startswith("<"):
        if _ALTO.search(head):
            return "alto"
        if _PAGE.search(head):
            return "page-xml"
        if _HOCR.search(head) or _HOCR.search(text):
            return "hocr"
        if _MARKUP.match(head):
            return "markup"
    if head.startswith("{"):
        return "json"
    first = head.split("\n", 1)[0]
    if "\t" in first and is_header(first):
        return "words-tsv"
    return "text"


def load_side(path: Path | str) -> DiffSide:
    """Read one comparison side (a file, or ``-`` for stdin), choosing the reader by content."""
    src = read_source(path)
    kind = sniff(src.text)
    if kind == "text" and src.file is not None and src.file.name.endswith(".tsv"):
        kind = "words-tsv"  # a .tsv that is not a words table: its reader says why
    if kind == "markup":
        raise InputFileError(
            f"{src.path}: XML/HTML that is not ALTO, PAGE-XML or hOCR; give {ACCEPTED}"
        )
    if kind == "words-tsv":
        side = side_from_words_tsv(src.text, src.path, src.name)
        if src.file is not None:
            side.page_sizes, side.page_skew = page_geometry(src.file.with_name(f"{src.name}.json"))
        return side
    if kind == "alto":
        return side_from_alto(src.text, src.path, src.name)
    if kind == "page-xml":
        return side_from_page_xml(src.text, src.path, src.name)
    if kind == "hocr":
        return side_from_hocr(src.text, src.path, src.name)
    if kind == "json" or (src.file is not None and src.file.suffix.lower() == ".json"):
        try:
            data = json.loads(src.text)
        except json.JSONDecodeError as err:
            if kind == "json" and not (src.file is not None and src.file.suffix.lower() == ".json"):
                return side_from_text(src.text, src.path, src.name)  # text starting with {
            raise InputFileError(
                f"{src.path}: invalid JSON (line {err.lineno}); give the file as written"
            ) from None
        return _side_from_json(data, src)
    return side_from_text(src.text, src.path, src.name)


def _side_from_json(data: object, src: Source) -> DiffSide:
    schema = data.get("schema", "") if isinstance(data, dict) else ""
    if is_run_metadata(data):
        return _side_from_run_json(src)
    if is_structure_json(data):
        return side_from_structure_json(data, src.path, src.name)  # type: ignore[arg-type]
    if is_restore_json(data):
        return side_from_restore_json(data, src.path, src.name)  # type: ignore[arg-type]
    raise InputFileError(f"{src.path}: unknown JSON (schema {schema!r}); give {ACCEPTED}")


def _side_from_run_json(src: Source) -> DiffSide:
    """Run metadata names no text itself: the words table (or text) beside it is read."""
    if src.file is not None:
        name = src.name
        for sibling in (src.file.with_name(f"{name}.words.tsv"), src.file.with_name(f"{name}.txt")):
            if sibling.exists():
                log.info("%s is run metadata; comparing %s", src.path, sibling)
                return load_side(sibling)
    raise InputFileError(
        f"{src.path} is run metadata without {src.name}.words.tsv or {src.name}.txt beside"
        " it; give the words table or text file instead"
    )
