"""Text helpers shared by the structure modules: accent folding, casing tests, line joins.

`fold` maps every character to exactly one character (diacritics dropped, đ -> d, upper
case), so a regex match position in the folded string is the same position in the
original: anchors like the national title are found accent- and OCR-tolerantly and the
original text is sliced at the same offsets.
"""

from __future__ import annotations

import re
import unicodedata

from ocr_pipeline.doc_types import DOC_TYPES

# owned by the package's text tools (the layout pass uses it too); kept importable here
from ocr_pipeline.text import is_upper_line as is_upper_line
from ocr_pipeline.text import strip_marks

TERMINAL = tuple(".:;!?…")
# a typed table's row opening with its number, then its cells ("3 Hứa Thị Lan ...")
TABLE_ROW_NUMBER = re.compile(r"^(\d{1,3})\s+(?=\w)")
SEPARATOR_RE = re.compile(r"^[\s\-–—_=.*~]{3,}$")
# the note under an attached paper's or an annex's title, folded: "(Ban hành kèm theo
# Quyết định số ...)", "(Kèm theo Kế hoạch số ...)"
ATTACHMENT_NOTE = re.compile(r"^\(\s*(?:BAN\s+HANH\s+)?KEM\s+THEO\b")
# a note in brackets that is a line of its own: "(Đơn vị tính: triệu đồng)" under a table,
# "(Sử dụng cho nhà ở riêng lẻ)" under a permit's number
BRACKETED_LINE = re.compile(r"^\([^()]+\)$")


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "D"
    base = unicodedata.normalize("NFD", ch)[0]
    up = base.upper()
    return up if len(up) == 1 else base


class _FoldTable(dict):
    """str.translate table of `_fold_char`, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        value = self[code] = _fold_char(chr(code))
        return value


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Upper-case, accentless copy of `text` with the same length (1 char -> 1 char)."""
    return text.translate(_FOLD)


def squash(text: str) -> str:
    """Collapse runs of white space to one space and strip."""
    return " ".join(text.split())


# a typist's title with a space between its letters and two between its words ("B Á O  C Á O",
# "Q U Y Ế T  Đ Ị N H :"): single capitals, a closing mark alone after the last
_SPACED_WORD = re.compile(r"^\w(?: \w)+(?: ?[:.])?$")


def unspaced_letters(raw: str) -> str | None:
    """`raw` (a line before its spaces are squashed) written as words when it is a title
    typed with its letters spaced ("B Á O  C Á O" -> "BÁO CÁO"); None for any other line.
    Two words at least (or, with one space between words as between letters, a document
    type: "Q U Y Ế T Đ Ị N H"), four letters, all capitals: "A B C D" or "Đ Đ K Đ" in a
    table, "a b" in a sentence stay."""
    groups = re.split(r"\s{2,}", raw.strip())
    if not all(_SPACED_WORD.match(g) for g in groups):
        return None
    words = ["".join(g.split(" ")) for g in groups]
    letters = "".join(w.rstrip(":.") for w in words)
    if len(letters) < 4 or not letters.isupper() or not letters.isalpha():
        return None
    if len(groups) < 2:
        return _typed_type(words[0])
    return " ".join(words)


def _typed_type(word: str) -> str | None:
    """A document type's letters run together ("QUYẾTĐỊNH:") in its words ("QUYẾT ĐỊNH:")."""
    bare = word.rstrip(":.")
    for name in DOC_TYPES:
        if len(name) > len(bare) and strip_marks(name.replace(" ", "")) == strip_marks(bare):
            cuts = [len(w) for w in name.split()]
            parts, at = [], 0
            for n in cuts:
                parts.append(bare[at : at + n])
                at += n
            return " ".join(parts) + word[len(bare) :]
    return None


def starts_lower(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
    return False


def starts_upper(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.isupper()
        if ch.isdigit():
            return True
    return False


SENTENCE_END = tuple(".!?…")


def ends_sentence(text: str) -> bool:
    """A sentence ends `text` (". ! ? …", also before a closing quote or bracket), not a
    list item's ";" nor a lead-in's ":"."""
    return text.rstrip(" \"”’')]»").endswith(SENTENCE_END)


# a line cut after a word that wants more: the sentence goes on below ("... hiện cư trú
# tại" / "Thôn 2, ...", "... kể từ" / "Ngày 09 tháng 3 năm 2026")
_WANTS_MORE = re.compile(
    r"\b(?:tại|của|ở|và|cho|với|từ|về|là|thuộc|đến|vào|trước|sau|hết)$", re.IGNORECASE
)


def wants_more(text: str) -> bool:
    """Whether `text` ends with a word its sentence goes on after (`_WANTS_MORE`)."""
    return _WANTS_MORE.search(text.rstrip()) is not None


def ends_terminal(text: str) -> bool:
    t = text.rstrip(" \"”’')]»")
    return t.endswith(TERMINAL)


def is_separator(text: str) -> bool:
    return bool(SEPARATOR_RE.match(text)) and any(c in "-–—_=" for c in text)


# the ornaments older typists set under a header's columns: "oOo", "o0o", "=0=", "***"
_ORNAMENT = re.compile(r"o[O0]o|(?<=[-=–—_*~])[O0o](?=[-=–—_*~])|\*{3}")


def is_header_rule(text: str) -> bool:
    """A line under the header's columns: a rule ("-----") or an older typist's ornament
    ("-----oOo-----", "=0= =0=", "*** ***", "* ***"), which a body never prints alone."""
    if is_separator(text):
        return True
    bare = _ORNAMENT.sub("", text)
    return bare != text and not bare.strip(" -–—_=.*~")


def join_lines(left: str, right: str) -> str:
    """Join two wrapped lines: de-hyphenate a word split at line end, else one space."""
    if not left:
        return right
    if not right:
        return left
    tail = left[-3:]  # the patterns end the string: searching all of a long paragraph was quadratic
    if re.search(r"[^\W\d_]-$", tail) and right[:1].isalpha() and right[:1].islower():
        return left[:-1] + right
    if re.search(r"\d-$", tail) and right[:1].isdigit():
        return left + right
    return left + " " + right


_TITLE_WORD = re.compile(r"^[^\W\d_][^\W\d_]*$")


# degrees and professional titles printed before a signer's name ("BS. Lò Văn An",
# "PGS.TS. Trần Thị Hoa", "NGƯT. Đỗ Văn Cường"): abbreviations, each with its full stop
# (a scan's "BSCKTI.", "BSCKL." for the specialist's "BSCKII.", "BSCKI."); and the rank a
# police or army officer signs with ("Thượng tá Lò Văn An", "Đại úy ...")
_RANK = r"(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy|uý)"
_NAME_PREFIX = re.compile(
    r"^(?:(?:(?:GS|PGS|TSKH|TS|ThS|BS|[BD]SCK[IlLT1|]{1,2}|[BD]SCK[12]|DS|KS|KTS|CN|LS|NGƯT|NGND"
    rf"|NSƯT|NSND|TTƯT|TTND)\.\s*)+|{_RANK}\s+)(?=\S)"
)
_SPECIALIST_READ = re.compile(r"^([BD]SCK)([IlLT1|]{1,2})(?=\.)")


def mend_name_prefix(name: str) -> str:
    """A signer's name with the specialist degree OCR misread written as printed:
    "BSCKTI. Mai Xuân Toản" -> "BSCKII. Mai Xuân Toản" (its I's read T, l, L, 1, |)."""
    return _SPECIALIST_READ.sub(lambda m: m.group(1) + "I" * len(m.group(2)), name)


def opens_with_name_prefix(text: str) -> bool:
    """`text` opens with a degree, a title or a rank printed before a name ("PGS.TS. Hà
    Văn Thuổng", "Thượng tá Lò Văn An")."""
    return _NAME_PREFIX.match(text) is not None


# the Ê Đê and Jarai prefix of a woman's name, alone or glued to the name ("H' Lim Niê",
# "H’Nhi")
_WOMAN_PREFIX = re.compile(r"^H['’](?:[^\W\d_][^\W\d_]*)?$")


def is_name_line(text: str) -> bool:
    """A personal name: 2-6 words, each capitalised letters only (Nguyễn Văn An), after
    a degree or title abbreviation or two if any ("BS. Lò Văn An", "PGS.TS. Trần Hoa")."""
    words = _NAME_PREFIX.sub("", text.strip()).split()
    if not 2 <= len(words) <= 6:
        return False
    for w in words:
        if _WOMAN_PREFIX.match(w):
            continue
        if not _TITLE_WORD.match(w) or not w[0].isupper():
            return False
        if len(w) > 1 and not w[1:].islower():
            return False
    return True


_FIGURES_AT_END = re.compile(r"(?:\s\d[\d.,]*%?){2,}$")


def ends_in_figures(text: str) -> bool:
    """A table row typed as a line: two figures at least end it, no punctuation after
    them ("1 Máy bơm 02 3.500.000 7.000.000"); prose and footnote bodies end a sentence."""
    return bool(_FIGURES_AT_END.search(text.rstrip()))


def upper_title(text: str) -> str:
    """An upper-case title as its text: the colon or the one closing period it was printed
    with dropped ("III. NỘI DUNG ĐỀ NGHỊ." -> "NỘI DUNG ĐỀ NGHỊ"), an ellipsis kept; a
    closing comma is that period as OCR reads it (a title never ends with a comma)."""
    title = squash(text).rstrip(":").strip()
    if title.endswith((".", ",")) and not title.endswith(".."):
        title = title[:-1].rstrip()
    return title


_QUOTES = '"“”'
_CLOSE_FOR = {'"': '"', "“": "”", "”": "”"}


def pair_quotes(text: str) -> str:
    """Quotation marks as OCR reads them made one printed pair again: the closing mark
    takes the opening one's shape (an opening '"' read with a closing '”', or with an
    apostrophe after the quoted word's last letter: 'trật tự'5;'), a closing mark read
    twice ('"”') is one, and the space OCR put before a closing mark ('học "') goes. A
    quote left open is left as it is, and so is a closing mark whose opening was lost: a
    mark between a space and a word always opens a quote."""
    out: list[str] = []
    opening: str | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        if (opening is not None and ch in "'’" and i > 0 and text[i - 1].isalpha()
                and not text[i + 1 : i + 2].isalpha()):  # fmt: skip
            ch = opening  # the closing mark read as an apostrophe
        if ch not in _QUOTES:
            out.append(ch)
            i += 1
            continue
        opens_a_word = i > 0 and text[i - 1] == " " and text[i + 1 : i + 2].isalpha()
        if opening is None or opens_a_word:
            # a mark between a space and a word opens a quote: one already "open" was a
            # closing mark whose opening OCR lost ('Dạy tốt" và "Học tốt"'); left as is
            opening = ch
            out.append(ch)
            i += 1
            continue
        while out and out[-1] == " ":
            out.pop()  # no space before a closing mark
        out.append(_CLOSE_FOR[opening])
        opening = None
        i += 1
        while i < len(text) and text[i] in '"”':
            i += 1  # the closing mark read twice
    return "".join(out)
