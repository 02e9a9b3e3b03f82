"""Slips Tesseract makes in table cells that the column or the kind of cell can undo.

- Numbers: in a column whose body cells are mostly numbers (STT, counts), a cell read
  as digits mixed with lookalike letters ("I1", "L7", a lone "I") is the number.
- Surnames: in a names column (most cells 2-5 capitalised syllables starting with a
  known surname), a name's first word that differs from a common Vietnamese surname
  only by its marks ("Đỉnh" for Đinh, "Ngõ" for Ngô) is that surname. Marks on small
  letters are where scans lose detail, and the surname is the most predictable word of
  a name.

- Repeated values: a cell that differs from its column's majority value only by marks
  or case ("Giãy khen" among thirty "Giấy khen") is that value.

All keep Tesseract's reading in `Word.ocr_text`. They change nothing else.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from ocr_pipeline.model import Word
from ocr_pipeline.tables.model import Cell

_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*%?$")
_LOOKALIKE = str.maketrans({"I": "1", "l": "1", "L": "1", "|": "1", "O": "0", "o": "0"})
#: a column is numeric when this share of its body cells are numbers
NUMERIC_COLUMN = 0.6
#: a column is a names column when this share of its body cells are names with a known surname
NAMES_COLUMN = 0.7

#: common Vietnamese surnames (family names), about 98% of the population
SURNAMES = frozenset(
    """
Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh
Lương Mai Đào Cao Lâm Tạ Hà Chu Đoàn Vương Tô Thái Lưu Kiều Quách Trương Tăng Lại
Hứa Nông Triệu Thân Lục Giang Âu Khúc Châu Quan Mạc Diệp Từ Văn Tôn Thạch Khổng
Kim Phùng Tống Doãn Nghiêm Lạc Ninh Đàm Hầu Cù Bế Ông Mẫn Lò
""".split()
)


def _fold(text: str) -> str:
    base = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in base if not unicodedata.combining(ch))


_BY_FOLD: dict[str, list[str]] = defaultdict(list)
for _name in sorted(SURNAMES):
    _BY_FOLD[_fold(_name)].append(_name)


def _set(word: Word, text: str) -> Word:
    return Word(text, word.bbox, word.confidence,
                ocr_text=word.ocr_text if word.ocr_text is not None else word.text,
                restore_confidence=word.restore_confidence)  # fmt: skip


def _cell_text(lines: list[list[Word]]) -> str:
    return " ".join(w.text for ln in lines for w in ln)


def fix_number_columns(cell_lines: list[tuple[Cell, list[list[Word]]]], body_from: int
                       ) -> list[tuple[Cell, list[list[Word]]]]:  # fmt: skip
    """Lookalike letters in the numbers of numeric columns made digits."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for cell, lines in cell_lines:
        text = _cell_text(lines)
        if cell.row >= body_from and cell.colspan == 1 and text:
            counts[cell.col][0] += bool(_NUMBER.match(text))
            counts[cell.col][1] += 1
    numeric = {c for c, (n, total) in counts.items() if total and n / total >= NUMERIC_COLUMN}
    out = []
    for cell, lines in cell_lines:
        if cell.row >= body_from and cell.col in numeric and len(lines) == 1 and len(lines[0]) == 1:
            word = lines[0][0]
            fixed = word.text.translate(_LOOKALIKE)
            if fixed != word.text and _NUMBER.match(fixed):
                lines = [[_set(word, fixed)]]
        out.append((cell, lines))
    return out


def _name_like(words: list[Word]) -> bool:
    return 2 <= len(words) <= 5 and all(
        w.text[:1].isupper() and w.text.isalpha() and not w.text.isupper() for w in words
    )


def fix_surnames(cell_lines: list[tuple[Cell, list[list[Word]]]], body_from: int
                 ) -> list[tuple[Cell, list[list[Word]]]]:  # fmt: skip
    """In a names column (most body cells name-like and starting with a known surname),
    a name's first word made the surname it differs from only by its marks."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for cell, lines in cell_lines:
        words = [w for ln in lines for w in ln]
        if cell.row >= body_from and cell.colspan == 1 and words:
            counts[cell.col][0] += _name_like(words) and words[0].text in SURNAMES
            counts[cell.col][1] += 1
    names = {c for c, (n, total) in counts.items() if total >= 3 and n / total >= NAMES_COLUMN}
    out = []
    for cell, lines in cell_lines:
        words = [w for ln in lines for w in ln]
        if (
            cell.row >= body_from
            and cell.col in names
            and _name_like(words)
            and words[0].text not in SURNAMES
        ):
            candidates = _BY_FOLD.get(_fold(words[0].text), [])
            if len(candidates) == 1:
                lines = [[_set(words[0], candidates[0]), *lines[0][1:]], *lines[1:]]
        out.append((cell, lines))
    return out


#: a reading is a column's majority form when it has this share of the cells that fold
#: to the same letters, and at least MAJORITY_MIN of them
MAJORITY_SHARE, MAJORITY_MIN = 0.6, 3


def _fold_cell(text: str) -> str:
    return " ".join(_fold(text).lower().split())


def fix_by_column_majority(
    cell_lines: list[tuple[Cell, list[list[Word]]]], body_from: int
) -> list[tuple[Cell, list[list[Word]]]]:
    """A cell that differs from its column's usual value only by marks or case is that value.

    Award forms, titles and units repeat down a column ("Giấy khen" thirty times); the
    reading most cells agree on is more trustworthy than the one cell where the scan lost
    a mark ("Giãy khen") or Tesseract changed case ("Cơ sở").
    """
    groups: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for cell, lines in cell_lines:
        text = _cell_text(lines)
        if cell.row >= body_from and text:
            groups[(cell.col, _fold_cell(text))][text] += 1
    majority: dict[tuple[int, str], str] = {}
    for key, forms in groups.items():
        best, n = max(forms.items(), key=lambda kv: kv[1])
        if n >= MAJORITY_MIN and n >= MAJORITY_SHARE * sum(forms.values()):
            majority[key] = best
    out = []
    for cell, lines in cell_lines:
        text = _cell_text(lines)
        usual = majority.get((cell.col, _fold_cell(text))) if cell.row >= body_from else None
        words = [w for ln in lines for w in ln]
        if usual and usual != text and len(usual.split()) == len(words):
            it = iter(usual.split())
            lines = [[w if w.text == (t := next(it)) else _set(w, t) for w in ln] for ln in lines]
        out.append((cell, lines))
    return out
