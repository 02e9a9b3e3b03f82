"""One side of a comparison (`DiffSide`), loaded from any file a reviewer compares.

Accepted inputs:

- plain UTF-8 text: one line per line, form feed (``\\f``) starts a new page;
- ``NAME.words.tsv`` from ``ocr-pipeline run``: one row per word with page, box and
  Tesseract confidence (and ``ocr_text``/``restore_conf`` after restoration), grouped into
  lines by (page, block, par, line);
- ``NAME.json`` from ``ocr-pipeline run`` (run metadata): the ``NAME.words.tsv`` (or else
  ``NAME.txt``) beside it is read;
- the JSON of ``ocr-pipeline restore --format json``: per-token original, chosen form,
  confidence and alternatives (see `ocr_pipeline.diff.restore_json`).

Blank lines are not compared. Line text is NFC with whitespace runs collapsed.
"""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from ocr_pipeline.diff.normalize import clean_line, graphemes
from ocr_pipeline.errors import InputFileError
from ocr_pipeline.model import BBox

log = logging.getLogger(__name__)

MAX_INPUT_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Token:
    """A word with what the pipeline knew about it.

    `confidence` is 0-1: the restore confidence when there is one, else Tesseract's
    word confidence / 100. `original` is the text before restoration (OCR output).
    """

    text: str
    confidence: float | None = None
    original: str | None = None
    alternatives: tuple[str, ...] = ()
    page: int | None = None
    bbox: BBox | None = None
    ocr_confidence: float | None = None  # Tesseract 0-100, when known
    glue: bool = False  # written right after the previous token, without a space


@dataclass(slots=True)
class SideLine:
    """One non-blank line: cleaned text, its 1-based number in the source, its page."""

    text: str
    number: int
    page: int | None = None
    tokens: tuple[Token, ...] | None = None
    numbers: tuple[int, ...] = ()  # all source line numbers when this joins several lines
    _units: list[str] | None = field(default=None, repr=False)

    @classmethod
    def from_tokens(cls, tokens: list[Token], number: int, page: int | None) -> SideLine:
        kept = tuple(
            replace(t, text=clean_line(t.text), glue=t.glue and i > 0)
            for i, t in enumerate(tok for tok in tokens if tok.text.strip())
        )
        text = "".join(("" if t.glue or not i else " ") + t.text for i, t in enumerate(kept))
        return cls(text, number, page, kept)

    @property
    def units(self) -> list[str]:
        """The line's grapheme clusters (token graphemes joined by single spaces)."""
        if self._units is None:
            if self.tokens is None:
                self._units = graphemes(self.text)
            else:
                units: list[str] = []
                for i, tok in enumerate(self.tokens):
                    if i and not tok.glue:
                        units.append(" ")
                    units.extend(graphemes(tok.text))
                self._units = units
        return self._units

    def word_spans(self) -> list[tuple[int, int, Token | None]]:
        """(start, end, token) grapheme ranges of the words; token None for plain text."""
        spans: list[tuple[int, int, Token | None]] = []
        if self.tokens is not None:
            pos = 0
            for i, tok in enumerate(self.tokens):
                if i and not tok.glue:
                    pos += 1
                n = len(graphemes(tok.text))
                spans.append((pos, pos + n, tok))
                pos += n
            return spans
        start = None
        for i, g in enumerate(self.units):
            if g.isspace():
                if start is not None:
                    spans.append((start, i, None))
                    start = None
            elif start is None:
                start = i
        if start is not None:
            spans.append((start, len(self.units), None))
        return spans


def join_lines(lines: list[SideLine]) -> SideLine:
    """Several lines as one (a line OCR split in two is compared with the joined text)."""
    if len(lines) == 1:
        return lines[0]
    numbers = tuple(n for ln in lines for n in (ln.numbers or (ln.number,)))
    if all(ln.tokens is not None for ln in lines):
        joined = SideLine.from_tokens([t for ln in lines for t in ln.tokens or ()],
                                      lines[0].number, lines[0].page)
        joined.numbers = numbers
        return joined
    return SideLine(" ".join(ln.text for ln in lines), lines[0].number, lines[0].page,
                    numbers=numbers)


@dataclass(slots=True)
class DiffSide:
    """Everything compared and shown for one side: its lines and where they came from."""

    path: str
    kind: str  # "text", "words-tsv", "restore-json"
    lines: list[SideLine]
    name: str  # file stem used to find page images (NAME-p001.png)
    page_sizes: dict[int, tuple[int, int]] = field(default_factory=dict)  # from run metadata
    page_skew: dict[int, float] = field(default_factory=dict)  # degrees turned (orientation + skew)

    @property
    def has_boxes(self) -> bool:
        return any(t.bbox is not None for ln in self.lines for t in (ln.tokens or ()))

    @property
    def has_confidence(self) -> bool:
        return any(t.confidence is not None for ln in self.lines for t in (ln.tokens or ()))


def side_from_text(text: str, path: str = "<text>", name: str = "text") -> DiffSide:
    """A side from plain text (lines; form feeds start pages)."""
    lines: list[SideLine] = []
    number = 0
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for page_no, page in enumerate(text.split("\f"), start=1):
        for raw in page.split("\n"):
            number += 1
            cleaned = clean_line(raw)
            if cleaned:
                lines.append(SideLine(cleaned, number, page_no))
    return DiffSide(path, "text", lines, name)


def stem_of(path: Path) -> str:
    """The document name of a file: NAME of NAME.words.tsv, NAME.restored.txt, NAME.gt.txt,
    NAME.json."""
    name = path.name
    for suffix in (".words.tsv", ".json", ".tsv", ".txt"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    else:
        name = path.stem
    for tag in (".restored", ".gt"):
        if name.endswith(tag) and len(name) > len(tag):
            name = name[: -len(tag)]
    return name


def _read_text(path: Path) -> str:
    if not path.exists():
        raise InputFileError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise InputFileError(f"{path} is a folder; give a file, or two folders for directory mode")
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputFileError(f"{path} is larger than 512 MB; split it before comparing")
        data = path.read_bytes()
    except OSError as err:
        raise InputFileError(f"cannot read {path}: {err.strerror}; check permissions") from None
    if b"\x00" in data[:65536]:
        raise InputFileError(f"{path} looks binary; give UTF-8 text, a .words.tsv or JSON file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputFileError(
            f"{path} is not UTF-8 (byte {err.start}); convert it, e.g. iconv -t UTF-8"
        ) from None
    return text


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


def side_from_words_tsv(text: str, path: str = "<tsv>", name: str = "words") -> DiffSide:
    """A side from the `ocr-pipeline run` word table (see ocr_pipeline.export.words)."""
    from ocr_pipeline.export.words import unescape_field

    rows = text.splitlines()
    if not rows:
        return DiffSide(path, "words-tsv", [], name)
    header = rows[0].split("\t")
    need = {"page", "line", "text"}
    if not need <= set(header):
        raise InputFileError(
            f"{path}: not a words table (header lacks {', '.join(sorted(need - set(header)))})"
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

    for row in csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE):
        page = _int(row.get("page"), 1)
        key = (page, _int(row.get("block")), _int(row.get("par")), _int(row.get("line")))
        if key != current_key:
            flush()
            current, current_key = [], key
        left, top = _int(row.get("left"), -1), _int(row.get("top"), -1)
        width, height = _int(row.get("width"), -1), _int(row.get("height"), -1)
        bbox = BBox(left, top, left + width, top + height) if min(left, top) >= 0 and min(
            width, height) > 0 else None
        ocr_conf = _float(row.get("conf"))
        restore_conf = _float(row.get("restore_conf"))
        if restore_conf is not None:
            conf = restore_conf
        elif ocr_conf is not None and ocr_conf >= 0:
            conf = ocr_conf / 100.0
        else:
            conf = None
        ocr_text = row.get("ocr_text")
        current.append(Token(
            text=unescape_field(row.get("text") or ""),
            confidence=conf,
            original=unescape_field(ocr_text) if ocr_text is not None else None,
            page=page,
            bbox=bbox,
            ocr_confidence=ocr_conf,
        ))
    flush()
    return DiffSide(path, "words-tsv", lines, name)


def load_side(path: Path | str) -> DiffSide:
    """Read one comparison side, choosing the reader by file name and content."""
    path = Path(path)
    name = stem_of(path)
    text = _read_text(path)
    if path.name.endswith(".tsv"):
        side = side_from_words_tsv(text, str(path), name)
        side.page_sizes, side.page_skew = _page_geometry(path.with_name(f"{name}.json"))
        return side
    stripped = text.lstrip()
    if path.suffix.lower() == ".json" or stripped.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            if path.suffix.lower() == ".json":
                raise InputFileError(
                    f"{path}: invalid JSON (line {err.lineno}); give the file as written"
                ) from None
            return side_from_text(text, str(path), name)
        return _side_from_json(data, path, name)
    return side_from_text(text, str(path), name)


def _page_geometry(meta: Path) -> tuple[dict[int, tuple[int, int]], dict[int, float]]:
    """Page sizes and turns (orientation + skew) from the run metadata beside a words table."""
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        sizes = {int(p["number"]): (int(p["width"]), int(p["height"])) for p in data["pages"]}
        skew = {int(p["number"]): int(p.get("orientation") or 0) + float(p.get("skew_angle") or 0.0)
                for p in data["pages"]}  # fmt: skip
        return sizes, skew
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}, {}


def _side_from_json(data: object, path: Path, name: str) -> DiffSide:
    from ocr_pipeline.diff.restore_json import is_restore_json, side_from_restore_json

    schema = data.get("schema", "") if isinstance(data, dict) else ""
    if isinstance(schema, str) and schema.startswith("ocr_pipeline/run@"):
        for sibling in (path.with_name(f"{name}.words.tsv"), path.with_name(f"{name}.txt")):
            if sibling.exists():
                log.info("%s is run metadata; comparing %s", path, sibling)
                return load_side(sibling)
        raise InputFileError(
            f"{path} is run metadata without {name}.words.tsv or {name}.txt beside it;"
            " give the words table or text file instead"
        )
    if is_restore_json(data):
        return side_from_restore_json(data, str(path), name)
    raise InputFileError(
        f"{path}: unknown JSON (schema {schema!r}); give text, NAME.words.tsv, run or"
        " restore JSON"
    )
