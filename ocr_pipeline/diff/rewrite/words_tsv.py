"""NAME.words.tsv as `WordLines`: rows grouped into lines by (page, block, par, line).

A table written without the restore columns gains them (``ocr_text`` = the word as read,
``restore_conf`` empty), so a corrected word can carry its confidence 1. Word numbers are
renumbered within each line; a line added after line L of a paragraph takes L's number
plus one and the paragraph's later lines move down one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ocr_pipeline.diff.word_edits import split_box, union
from ocr_pipeline.errors import InputFileError
from ocr_pipeline.model import BBox
from ocr_pipeline.words_table import (
    REQUIRED_COLUMNS,
    RESTORE_COLUMNS,
    escape_field,
    header_of,
    unescape_field,
)

HUMAN = "1"  # the confidence of a word the reviewer wrote


@dataclass(slots=True)
class _Segment:
    key: tuple[str, str, str, str]  # page, block, par, line as written
    rows: list[list[str]] = field(default_factory=list)


class WordsTable:
    def __init__(self, text: str, where: str) -> None:
        lines = text.splitlines()
        if not lines or not REQUIRED_COLUMNS <= set(header_of(lines[0])):
            raise InputFileError(f"{where}: not a words table; give NAME.words.tsv as written")
        self.columns = header_of(lines[0])
        for name in RESTORE_COLUMNS:
            if name not in self.columns:
                self.columns.append(name)
        self.col = {name: i for i, name in enumerate(self.columns)}
        width = len(header_of(lines[0]))
        self.segments: list[_Segment] = []
        for raw in lines[1:]:
            row = raw.split("\t")
            if len(row) != width:
                raise InputFileError(f"{where}: a row has {len(row)} fields, not {width}")
            if len(row) < len(self.columns):  # the restore columns added above
                row += [row[self.col["text"]], ""]
            key = tuple(self._get(row, c) for c in ("page", "block", "par", "line"))
            if not self.segments or self.segments[-1].key != key:
                self.segments.append(_Segment(key))  # type: ignore[arg-type]
            self.segments[-1].rows.append(row)
        # the lines as the diff counts them: segments with a non-blank word
        self.lines: list[tuple[_Segment, list[list[str]]]] = []
        for seg in self.segments:
            words = [r for r in seg.rows if unescape_field(r[self.col["text"]]).strip()]
            if words:
                self.lines.append((seg, words))

    def _get(self, row: list[str], column: str) -> str:
        i = self.col.get(column)
        return row[i] if i is not None and i < len(row) else ""

    def _box(self, row: list[str]) -> BBox:
        left, top = int(self._get(row, "left") or 0), int(self._get(row, "top") or 0)
        width, height = int(self._get(row, "width") or 0), int(self._get(row, "height") or 0)
        return BBox(left, top, left + width, top + height)

    def _set_box(self, row: list[str], box: BBox) -> None:
        for name, value in (("left", box.left), ("top", box.top),
                            ("width", box.width), ("height", box.height)):  # fmt: skip
            if name in self.col:
                row[self.col[name]] = str(value)

    def line_words(self) -> list[list[str]]:
        return [[unescape_field(r[self.col["text"]]) for r in words] for _, words in self.lines]

    def set_word(self, line: int, index: int, text: str) -> None:
        row = self.lines[line][1][index]
        row[self.col["text"]] = escape_field(text)
        row[self.col["restore_conf"]] = HUMAN

    def replace_words(self, line: int, start: int, end: int, texts: Sequence[str]) -> None:
        seg, words = self.lines[line]
        old = words[start:end]
        at = next(i for i, r in enumerate(seg.rows) if r is old[0])
        seg.rows[:] = [r for r in seg.rows if not any(r is o for o in old)]
        ocr = " ".join(unescape_field(r[self.col["ocr_text"]]) for r in old)
        confs = [float(c) for r in old if (c := self._get(r, "conf"))]
        new = []
        for i, box in enumerate(split_box(union([self._box(r) for r in old]), texts)):
            row = list(old[0])
            self._set_box(row, box)
            row[self.col["text"]] = escape_field(texts[i])
            row[self.col["ocr_text"]] = escape_field(ocr) if i == 0 else ""
            row[self.col["restore_conf"]] = HUMAN
            if "conf" in self.col and confs:
                row[self.col["conf"]] = _num(min(confs))
            new.append(row)
        seg.rows[at:at] = new

    def remove_line(self, line: int) -> None:
        self.lines[line][0].rows.clear()

    def insert_line(self, after: int, texts: Sequence[str]) -> None:
        ref_seg, ref_words = self.lines[max(after, 0)]
        page, block, par, number = ref_seg.key
        whole = union([self._box(r) for r in ref_words])
        at = self.segments.index(ref_seg) + (1 if after >= 0 else 0)
        new_number = int(number or 0) + (1 if after >= 0 else 0)
        for seg in self.segments[at:]:  # the paragraph's later lines move down one
            if seg.key[:3] == (page, block, par) and int(seg.key[3] or 0) >= new_number:
                seg.key = (page, block, par, str(int(seg.key[3] or 0) + 1))
                for row in seg.rows:
                    row[self.col["line"]] = seg.key[3]
        top = whole.bottom if after >= 0 else whole.top
        seg = _Segment((page, block, par, str(new_number)))
        for i, box in enumerate(split_box(BBox(whole.left, top, whole.right, top), texts)):
            row = list(ref_words[0])
            self._set_box(row, box)
            row[self.col["line"]] = str(new_number)
            row[self.col["text"]] = escape_field(texts[i])
            row[self.col["ocr_text"]] = ""  # nothing was read there
            row[self.col["restore_conf"]] = HUMAN
            if "conf" in self.col:
                row[self.col["conf"]] = "-1"  # Tesseract's "no word read"
            seg.rows.append(row)
        self.segments.insert(at, seg)

    def serialize(self) -> str:
        out = ["\t".join(self.columns)]
        word_col = self.col.get("word")
        for seg in self.segments:
            for n, row in enumerate(seg.rows, start=1):
                if word_col is not None:
                    row[word_col] = str(n)
                out.append("\t".join(row))
        return "\n".join(out) + "\n"


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.4f}".rstrip("0").rstrip(".")
