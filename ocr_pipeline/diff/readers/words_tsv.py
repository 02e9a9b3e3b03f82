"""Reader for the word table ``NAME.words.tsv`` written by ``ocr-pipeline run``.

One row per word with page, box and Tesseract confidence (and ``ocr_text`` /
``restore_conf`` after restoration), grouped into lines by (page, block, par, line). The
format itself is owned by `ocr_pipeline.words_table`. Page sizes and turns for the word
crops come from the run metadata ``NAME.json`` beside the table, when there is one.
"""

from __future__ import annotations

import json
from pathlib import Path

from ocr_pipeline.diff.sides import DiffSide, SideLine, Token
from ocr_pipeline.errors import InputFileError
from ocr_pipeline.model import BBox
from ocr_pipeline.words_table import REQUIRED_COLUMNS, header_of, read_rows, unescape_field


def _float(value: str | None) -> float | None:
    if value is None or value.strip() == "":
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def _token(row: dict[str, str], page: int) -> Token:
    left, top = _int(row.get("left"), -1), _int(row.get("top"), -1)
    width, height = _int(row.get("width"), -1), _int(row.get("height"), -1)
    bbox = (
        BBox(left, top, left + width, top + height)
        if min(left, top) >= 0 and min(width, height) > 0
        else None
    )
    ocr_conf = _float(row.get("conf"))
    restore_conf = _float(row.get("restore_conf"))
    if restore_conf is not None:
        conf = restore_conf
    elif ocr_conf is not None and ocr_conf >= 0:
        conf = ocr_conf / 100.0
    else:
        conf = None
    ocr_text = row.get("ocr_text")
    return Token(
        text=unescape_field(row.get("text") or ""),
        confidence=conf,
        original=unescape_field(ocr_text) if ocr_text is not None else None,
        page=page,
        bbox=bbox,
        ocr_confidence=ocr_conf,
    )


def side_from_words_tsv(text: str, path: str = "<tsv>", name: str = "words") -> DiffSide:
    """A side from the `ocr-pipeline run` word table."""
    rows = text.splitlines()
    if not rows:
        return DiffSide(path, "words-tsv", [], name)
    missing = REQUIRED_COLUMNS - set(header_of(rows[0]))
    if missing:
        raise InputFileError(
            f"{path}: not a words table (header lacks {', '.join(sorted(missing))})"
            "; give the NAME.words.tsv written by ocr-pipeline run"
        )
    lines: list[SideLine] = []
    current: list[Token] = []
    current_key: tuple[int, ...] | None = None

    def flush() -> None:  # lines are numbered 1.. in reading order; the page is kept
        if current:
            line = SideLine.from_tokens(current, len(lines) + 1, current[0].page)
            if line.text:
                lines.append(line)

    for row in read_rows(rows):
        page = _int(row.get("page"), 1)
        key = (page, _int(row.get("block")), _int(row.get("par")), _int(row.get("line")))
        if key != current_key:
            flush()
            current, current_key = [], key
        current.append(_token(row, page))
    flush()
    return DiffSide(path, "words-tsv", lines, name)


def page_geometry(meta: Path) -> tuple[dict[int, tuple[int, int]], dict[int, float]]:
    """Page sizes and turns (orientation + skew) from the run metadata beside a words table."""
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        sizes = {int(p["number"]): (int(p["width"]), int(p["height"])) for p in data["pages"]}
        skew = {int(p["number"]): int(p.get("orientation") or 0) + float(p.get("skew_angle") or 0.0)
                for p in data["pages"]}  # fmt: skip
        return sizes, skew
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}, {}
