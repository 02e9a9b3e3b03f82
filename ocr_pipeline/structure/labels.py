"""Heading labels as printed (NĐ 30/2020): their forms, ranks and numerals.

The one owner of what a label is: "Phần I" / "PHẦN THỨ NHẤT", "Chương II", "Mục 1", a
roman "II.", "Điều 3." (or "Điều 3:"), an arabic "2." or "2)", a dotted "1.2.", a letter
"a)". Documents typed before today's rules (the archives' award reports of the 1990s and
2000s) close their labels with a hyphen or a slash ("I-", "II/", "1-", "2/", "a/") and open
their top parts with a capital letter ("A-", "B-"): read the same, a capital letter ranked
above the roman (under it where the document's romans come first, `sections`; "A." only
before a title in capitals, "A. ĐẶC ĐIỂM": before anything else it is a name's initial).
An annex after the signature opens with "Phụ lục I" (its title on the line or the next).
`parse_label` reads the label a line opens with; a label's rank (Phụ lục > Phần > Chương
> Mục > capital letter > roman > Điều > arabic > dotted > letter) sets the tree's
nesting, never the indentation. Weak labels (arabic, dotted, letter) open a section only
where the body builder allows (`sections`); strong ones (Phụ lục, Phần, Chương, Mục,
capital letter, roman) anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ocr_pipeline.label_repair import DASHED_MARK
from ocr_pipeline.structure.text import is_upper_line, starts_lower, starts_upper

_ROMAN_OK = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VAL = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
LETTERS_VI = "abcdđeghiklmnopqrstuvxy"
LETTERS_EN = "abcdefghijklmnopqrstuvwxyz"

_PART = re.compile(r"^(Phần|PHẦN)\s+([IVXLC]+|\d{1,2}|thứ\s*\S+|THỨ\s*\S+)\b\s*([.:]?)\s*(.*)$")
_ORDINAL = re.compile(r"^(thứ|THỨ)\s*")  # "Phần thứnhất": OCR lost the space
_SPECKS_ONLY = re.compile(r"^[\W_]*$")  # "Phần thứ nhất -": a speck after a centred label
_CHAPTER = re.compile(r"^(Chương|CHƯƠNG)\s+([IVXLC]+|\d{1,2})\b\s*([.:]?)\s*(.*)$")
_MUC = re.compile(r"^(Mục|MỤC)\s+([IVXLC]+|\d{1,2})\b\s*([.:]?)\s*(.*)$")
# an annex after the signature: "Phụ lục I", "PHỤ LỤC 01", "Phụ lục số 2" (its title on the
# line or the next one); "Phụ lục" alone opens one too (`annex_opening`)
_ANNEX = re.compile(
    r"^((?:Phụ\s+lục|PHỤ\s+LỤC)(?:\s+(?:số|SỐ))?)\s+([IVXLC]+|\d{1,2})\b\s*([.:]?)\s*(.*)$"
)
_ANNEX_ALONE = re.compile(r"^\s*(?:Phụ\s+lục|PHỤ\s+LỤC)\s*:?\s*$")
_ARTICLE = re.compile(rf"^(Điều|ĐIỀU)\s+(\d{{1,3}})\s*({DASHED_MARK}|[.:]?)\s*(.*)$")  # "Điều 1.-"
# an older typist's "I.-", "1.-" close the label with a period and a dash
_ROMAN = re.compile(rf"^([IVXLC]{{1,7}})\s*({DASHED_MARK}|[.)])\s*(.*)$")
# An older typist's "I- ", "1/ ", "a/ ": the mark is followed by a space and a letter, so a
# date ("quý IV/2025", "19/5"), a range ("III-IV", "1-2 triệu") or a word with a hyphen
# ("X-Quang") is no label
_OLD_MARK = r"\s*([/-])\s+(?=[^\W\d_])(.*)"
_ROMAN_OLD = re.compile(rf"^([IVXLC]{{1,7}}){_OLD_MARK}$")
# "A- SƠ LƯỢC LÝ LỊCH", "B/ ...": an older document's top parts ("Đ/C", "B-52", "G/V" glue
# the mark to the next word: no label)
ALPHA_LETTERS = "ABCDĐEGH"
_ALPHA = re.compile(rf"^([{ALPHA_LETTERS}]){_OLD_MARK}$")
# "A. ĐẶC ĐIỂM TÌNH HÌNH": with a period only before a title in capitals ("A. Tuấn" is an
# initial)
_ALPHA_DOT = re.compile(rf"^([{ALPHA_LETTERS}])(\.)\s+(\S.*)$")
# "I - II năm 2026": a range of romans, not a label and its title (the second roman
# followed by small letters, a figure, a mark or nothing; "III- VI PHẠM ..." is a title)
_ROMAN_WORD = re.compile(r"^[IVXLC]{1,7}(?:\s+[a-zà-ỹđ0-9]|\s*$|[^\w\s])")
_DOTTED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})(\.?)(?:\s+|(?<=\.)(?=[^\W\d_]))(.*)$")
_ARABIC = re.compile(rf"^(\d{{1,2}})\s*({DASHED_MARK}|[.)])(?:\s+|(?=[^\W\d_]))(.*)$")
_ARABIC_OLD = re.compile(rf"^(\d{{1,2}}){_OLD_MARK}$")
_LETTER = re.compile(r"^([a-zđ])\s*(\))\s*(.*)$")
_LETTER_OLD = re.compile(rf"^([a-zđ]){_OLD_MARK}$")
# "alpha_sub": capital-letter parts in a document whose roman labels come first ("I- TÌNH
# HÌNH" over "A- Về kinh tế"): ranked under the roman (`sections` decides per document)
RANKS = {"annex": -1, "part": 0, "chapter": 1, "muc": 2, "alpha": 3, "roman": 4, "alpha_sub": 5,
         "article": 6, "arabic": 7, "dotted2": 8, "dotted3": 9, "dotted4": 10,
         "letter": 12}  # fmt: skip
WEAK = {"arabic", "dotted2", "dotted3", "dotted4", "letter"}
STRONG = {"annex", "part", "chapter", "muc", "alpha", "roman", "alpha_sub"}


@dataclass(slots=True)
class Label:
    kind: str
    text: str
    nums: tuple[int, ...] | None
    rest: str

    @property
    def rank(self) -> int:
        return RANKS[self.kind]

    @property
    def marked(self) -> bool:
        """The label closes with a mark ("Điều 2.", "Điều 2:", "Điều 2.-"), not bare."""
        return self.text.endswith((".", ":", ".-"))


def roman_value(s: str) -> int | None:
    if not s or not _ROMAN_OK.match(s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=False):
        v = _ROMAN_VAL[a]
        total += -v if b != " " and _ROMAN_VAL[b] > v else v
    return total


def _num(tok: str) -> int | None:
    if tok.isdigit():
        return int(tok)
    return roman_value(tok.upper())


def _annex(text: str, any_title: bool = False) -> re.Match[str] | None:
    """ "Phụ lục I" alone on its line, or before its title in capitals ("PHỤ LỤC 02:
    DANH MỤC ..."); not a sentence that names an annex ("Phụ lục I Nghị định số 30/2020
    ... được áp dụng.", "Phụ lục 1: Biểu tổng hợp ..."). With `any_title` (after the
    document's closing, where no sentence names an annex), before a title in any case."""
    m = _ANNEX.match(text)
    if m is None or not (any_title or not m.group(4) or is_upper_line(m.group(4))):
        return None
    return m


def annex_opening(text: str, any_title: bool = False) -> bool:
    """`text` opens an annex: "Phụ lục", numbered or not, alone or before its title
    (`_annex`)."""
    return _ANNEX_ALONE.match(text) is not None or _annex(text, any_title) is not None


def annex_label(text: str, any_title: bool = False) -> Label | None:
    """The label of the annex `text` opens with its number (`_annex`), or None."""
    if (m := _annex(text, any_title)) is None:
        return None
    n = _num(m.group(2))
    lab = f"{' '.join(m.group(1).split())} {m.group(2)}{m.group(3)}"
    return Label("annex", lab, (n,) if n else None, m.group(4))


def parse_label(text: str) -> Label | None:
    """The heading label at the start of a line, or None."""
    if annex := annex_label(text):
        return annex
    if m := _PART.match(text):
        n = _num(m.group(2))
        number = _ORDINAL.sub(r"\1 ", m.group(2))
        rest = "" if _SPECKS_ONLY.match(m.group(4)) else m.group(4)
        return Label("part", f"{m.group(1)} {number}{m.group(3)}", (n,) if n else None, rest)
    if m := _CHAPTER.match(text):
        n = _num(m.group(2))
        lab = f"{m.group(1)} {m.group(2)}{m.group(3)}"
        return Label("chapter", lab, (n,) if n else None, m.group(4))
    if m := _MUC.match(text):
        n = _num(m.group(2))
        return Label(
            "muc", f"{m.group(1)} {m.group(2)}{m.group(3)}", (n,) if n else None, m.group(4)
        )
    if m := _ARTICLE.match(text):
        lab = f"{m.group(1)} {m.group(2)}{m.group(3).replace(' ', '')}"
        return Label("article", lab, (int(m.group(2)),), m.group(4))
    if m := _ROMAN.match(text) or _ROMAN_OLD.match(text):
        v = roman_value(m.group(1))
        rest = m.group(3)
        if (v and v <= 40 and (not rest or starts_upper(rest))
                and not (m.group(2) in "/-" and _ROMAN_WORD.match(rest))):  # fmt: skip
            return Label("roman", m.group(1) + m.group(2).replace(" ", ""), (v,), rest)
    if ((m := _ALPHA.match(text)) and starts_upper(m.group(3))) or (
        (m := _ALPHA_DOT.match(text)) and is_upper_line(m.group(3)) and len(m.group(3)) > 3
    ):
        v = ALPHA_LETTERS.index(m.group(1)) + 1
        return Label("alpha", m.group(1) + m.group(2), (v,), m.group(3))
    if m := _DOTTED.match(text):
        nums = tuple(int(x) for x in m.group(1).split("."))
        if starts_upper(m.group(3)) and not m.group(3)[:1].isdigit():
            return Label(f"dotted{len(nums)}", m.group(1) + m.group(2), nums, m.group(3))
    if m := _ARABIC.match(text) or _ARABIC_OLD.match(text):
        rest = m.group(3)
        if rest and starts_upper(rest) and not rest[:1].isdigit():
            mark = m.group(2).replace(" ", "")
            return Label("arabic", m.group(1) + mark, (int(m.group(1)),), rest)
    if m := _LETTER.match(text) or _LETTER_OLD.match(text):
        if m.group(3) and starts_upper(m.group(3)):
            index = (_letter_index(m.group(1)),)
            return Label("letter", m.group(1) + m.group(2), index, m.group(3))
    return None


def parse_small_point(text: str) -> Label | None:
    """A point whose text opens with a small letter ("a) việc chấp hành ...;"), as Party
    documents and lists completing a lead-in write them; None for any other line. Only a
    point in its place is one (`sections`): after a line ending with a colon, or right
    after the list's previous point. `parse_label` reads no such line: a wrapped line may
    open with "b) " too."""
    m = _LETTER.match(text)
    if m and m.group(2) == ")" and m.group(3) and starts_lower(m.group(3)):
        return Label("letter", m.group(1) + ")", (_letter_index(m.group(1)),), m.group(3))
    return None


def _letter_index(ch: str) -> int:
    return LETTERS_VI.index(ch) + 1 if ch in LETTERS_VI else LETTERS_EN.index(ch) + 1


def format_label(kind: str, nums: tuple[int, ...], mark: str = ".") -> str:
    """The label of `kind` numbered `nums` as printed with `mark` closing it ("." or ")",
    an older document's "-" or "/"): ("roman", (2,), "-") -> "II-"."""
    if kind == "roman":
        return to_roman(nums[0]) + mark
    if kind in ("alpha", "alpha_sub"):
        return ALPHA_LETTERS[nums[0] - 1] + mark if nums[0] <= len(ALPHA_LETTERS) else "?"
    if kind == "letter":
        letter = LETTERS_VI[nums[0] - 1] if nums[0] <= len(LETTERS_VI) else "?"
        return letter + (mark if mark in "/)" else ")")
    return ".".join(str(n) for n in nums) + mark


def to_roman(n: int) -> str:
    """The roman numeral of `n` (4 -> "IV")."""
    out = ""
    for v, s in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= v:
            out += s
            n -= v
    return out
