"""Body: the section tree, its titles, paragraphs and dash-bullet list items.

Levels come from the label's form through a fixed ranking (`labels`: Phần > Chương >
Mục > roman > Điều > arabic > dotted 2 > dotted 3 > letter), never from indentation; a
node's `level` is its depth in the tree. Weak labels (arabic, dotted, letter) only open a
section at the start of a logical line, so "1. " inside wrapped prose or an amount like
"1.5 triệu" is not a heading (or right after an unlabelled ALL-CAPS title line).
Numbering slips are kept as printed and flagged with `numbering_warning`. Labels OCR lost
are put back by `lost_labels` (on the lines before, and a lost first parent on the tree
after the build).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ocr_pipeline.structure.closing import ends_with_end_mark, is_closing_cue
from ocr_pipeline.structure.document import SrcLine
from ocr_pipeline.structure.labels import (
    WEAK,
    Label,
    annex_label,
    format_label,
    parse_label,
    parse_small_point,
)
from ocr_pipeline.structure.lost_labels import wrap_lost_parent
from ocr_pipeline.structure.text import (
    ATTACHMENT_NOTE,
    BRACKETED_LINE,
    TABLE_ROW_NUMBER,
    ends_in_figures,
    ends_sentence,
    ends_terminal,
    fold,
    is_upper_line,
    join_lines,
    squash,
    starts_lower,
    starts_upper,
    upper_title,
)
from ocr_pipeline.text import SUPERSCRIPT_DIGITS

_LEADING_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}\b")  # a date wrapped to a line's start
# "KẾT QUẢ CÔNG TÁC ... NĂM" / "2024": an upper-case title's year wrapped to a line of its
# own (no page number runs into the thousands)
_LONE_YEAR = re.compile(r"^(?:19|20)\d\d$")
_LEGAL_BASIS = re.compile(r"^(CAN\s+CU|THEO\s+DE\s+NGHI|XET\s+DE\s+NGHI)\b")
# the closing paragraph's formula: "Trên đây là báo cáo ...", and a resolution's "Nghị
# quyết này đã được Hội đồng nhân dân ... thông qua"
# the sentence that closes a document's body, its own paragraph at the body's top level
# (not the last numbered section's): "Trên đây là báo cáo ...", "Trong quá trình thực
# hiện, nếu có vướng mắc ...", "Nhận được văn bản này, ..."
_CLOSING_FORMULA = re.compile(
    r"^(TREN\s+DAY\s+LA|NGHI\s+QUYET\s+NAY\s+DA\s+DUOC"
    r"|TRONG\s+QUA\s+TRINH\s+(?:TO\s+CHUC\s+)?THUC\s+HIEN\s*,?\s*NEU"
    r"|NHAN\s+DUOC\s+(?:CONG\s+VAN|VAN\s+BAN|THONG\s+BAO|KE\s+HOACH)\s+NAY)\b"
)
# the figures a title may hold: a year or a span of years ("năm 2026", "năm học 2026 -
# 2027", "giai đoạn 2021 - 2025", "nhiệm kỳ 2025 - 2030"), a reporting period ("6 tháng
# đầu năm") or a time of day ("Đón trẻ muộn sau 17 giờ 00")
_TITLE_FIGURES = re.compile(
    r"\b(?:năm(?: học)?|giai đoạn|nhiệm kỳ) \d{4}(?:\s*[-–]\s*\d{4})?\b"
    r"|\b\d{1,2} tháng (?:đầu|cuối) năm\b|\b\d{1,2} giờ(?: \d{2})?\b",
    re.IGNORECASE,  # "Năm học 2026 - 2027." opens a title too
)
# "... là ...": a statement of what something is ("Tổ phó là chuyên viên ..."), never a
# title, which names a topic without a verb of being
_COPULA = re.compile(r"(?<!\w)là(?!\w)")
_BULLET = re.compile(r"^[-–—•+∙]\s*(?=\S)(.*)$")
_INLINE_TITLE = re.compile(r"^([^:]{3,150}?):\s+(?=\S)(.*)$")
_SENTENCE_END_AT = re.compile(r"(\S+?)[.!?…]\s+(?=(\S))")
# a form's blank left for a value: dots, an ellipsis's, underscores ("Họ và tên: ......")
FORM_BLANK = r"(?:\.{4,}|…{2,}|_{4,})"
_DOT_LEADER = re.compile(rf"{FORM_BLANK}\s*$")  # "Ông (bà): ......": a form field

# "1. Đối tượng tham gia: sinh viên ..." is an inline title even in lower case after the
# colon (a lone point "a) Vòng 1: ngày 15/02" is not: points carry text, unless the list's
# points are all printed so, see `BodyBuilder._sibling_titles`)
TITLE_LINES = 4  # printed lines a heading's title may wrap over
INLINE_TITLE_WORDS = 6
# a time or condition clause put before the subject, then its comma ("Trong thời gian
# thử việc, người lao động:", "Trường hợp ..., đơn vị:"): a sentence, never a title
_FRONTED_CLAUSE = re.compile(
    r"^(?:Trong\s+(?:thời\s+gian|thời\s+hạn|quá\s+trình)|Khi|Sau\s+khi|Trước\s+khi|Nếu"
    r"|Trường\s+hợp|Kể\s+từ(?:\s+ngày)?)\s[^,:;]+,\s+\S[^:]*:$"
)
# a title has this many words at most: any label's longer text ending in ":" is a sentence
# its points complete (an article's, the decision itself), unless another label's opens
# with a noun that heads a report's section (`_NOMINAL_HEAD`)
TITLE_MAX_WORDS = 12
_TRAILING_BRACKETS = re.compile(r"\s*\([^()]*\)\s*:$")
_NOMINAL_HEAD = re.compile(
    r"^(?:Kết quả|Tình hình|Công tác|Nội dung|Nhiệm vụ|Giải pháp|Mục tiêu|Về)\s", re.IGNORECASE
)
# what makes a section noun's text a sentence: a verb of the kind a lead-in ends with
# ("Tình hình ... phức tạp, Ủy ban nhân dân tỉnh yêu cầu:"), a passive verb ("Công tác
# tuyên truyền được triển khai ...:")
_CLAUSE = re.compile(
    r"\b(?:yêu cầu|đề nghị|có ý kiến|chỉ đạo|gồm có|như sau)\s*:$"
    r"|(?<!đạt )\bđược\s+(?!giao\b)\w+"  # "... được triển khai ...", not "đạt được"
)
# "Về công tác ..., Ủy ban nhân dân huyện đã chỉ đạo ...:": a comma, then a subject and
# its verb ("đã", "sẽ", "đang" before it, or an office and a verb of directing: "...,
# Ủy ban nhân dân huyện giao Hạt Kiểm lâm chủ trì ...:"): a clause; a list of offices
# after a comma is no sentence ("... giữa Phòng Văn hóa và Thông tin, Phòng Giáo dục và
# Đào tạo:"), nor is what a bracket holds (`_BRACKETED`, left out first)
# an office or a body opening a clause ("Hội nghị", "Trường hợp" are none)
_OFFICE = (
    r"(?:UBND|HĐND|Ủy ban|Sở|Phòng|Ban|Bộ|Chi cục|Cục|Trường(?! hợp)|Công an|Hội(?! nghị)"
    r"|Đoàn|Đảng ủy|Chi bộ|Mặt trận)\b"
)
# after a comma, not a body named for what it does ("..., Ban chỉ đạo phong trào xã:",
# "Ban Tổ chức ...": no office and its verb)
_NAMED_FOR_ACTS = r"(?![Bb]an [Cc]hỉ đạo\b|[Bb]an [Tt]ổ chức\b)"
_SUBJECT_AFTER_COMMA = re.compile(
    rf",\s+(?:[^,]*?\b(?:đã|sẽ|đang)\s+\w|{_NAMED_FOR_ACTS}{_OFFICE}[^,]*?"
    r"\s(?:giao|chỉ đạo|yêu cầu|đề nghị|chủ trì|triển khai|tổ chức|ban hành|phối hợp)\s)"
)
_BRACKETED = re.compile(r"\([^()]*\)")
# an office or a body, then its verb and a colon: "Ủy ban nhân dân xã chỉ đạo:", "Ban đề
# nghị:" (a sentence its points complete; "Phòng Tài chính - Kế hoạch:" and "Ban Chỉ huy
# xã có trách nhiệm:" name whose tasks follow, titles, and so does a body named for
# directing: "Ban chỉ đạo:", `_OFFICE`)
_BODY_ACTS = re.compile(
    r"^(?![Bb]an [Cc]hỉ đạo\s*:$)"
    rf"(?:{_OFFICE}\s+(?:\S.*\s)?|Các\s+\S.*\s)(?:chỉ đạo|yêu cầu|đề nghị)\s*:$"
)
# an article's text ending in ":" that opens with the verb of a decision ("Thông qua ...:",
# "Phê duyệt ...:") is the decision introducing its content, however short; printed
# without the colon it is the article's title ("Điều 1. Thông qua danh mục ... năm 2027")
_DECISION_VERB = re.compile(
    r"^(Thông qua|Phê duyệt|Phê chuẩn|Ban hành|Thành lập|Giao(?! thông| dịch| lưu)|Gia hạn"
    r"|Điều chỉnh|Điều động|Công nhận|Phân bổ|Chấp thuận|Cho phép|Khen thưởng|Tặng"
    r"|Kiện toàn|Bãi bỏ|Hủy bỏ|Thu hồi|Sửa đổi|Bổ sung|Bổ nhiệm|Miễn nhiệm|Cử)\b"
)
# a printed A4 line holds about 90 characters: a longer line of plain text is a whole
# paragraph typed without wrapping, and a sentence ending it ends the paragraph
UNWRAPPED_LINE_CHARS = 120
PERIOD_TITLE_WORDS = 10  # "2. Tồn tại, hạn chế.": a title; longer text is a clause


FIELD_NAME_WORDS = 4
FIELD_LINE_CHARS = 80


def opens_legal_basis(text: str) -> bool:
    """Whether `text` opens a clause of a preamble ("Căn cứ Luật ...;", "Theo đề nghị
    ...;", "Xét đề nghị ..."): each such clause closes with a semicolon."""
    return bool(_LEGAL_BASIS.match(fold(text)))


def is_form_field(text: str) -> bool:
    """A form's field line: "Chức vụ: Công chức văn hóa" (a name of FIELD_NAME_WORDS words
    at most, a colon, a value) on a line shorter than a wrapped one (FIELD_LINE_CHARS)."""
    name, colon, value = text.partition(":")
    return (bool(colon) and bool(value.strip()) and len(text) <= FIELD_LINE_CHARS
            and 1 <= len(name.split()) <= FIELD_NAME_WORDS and starts_upper(name)
            and not parse_label(text) and not _BULLET.match(text))  # fmt: skip


def has_sentence_break(text: str) -> bool:
    """ "... kèm theo. Các thông tin ...": one sentence ends and another begins inside
    `text` (a word of lower-case letters or a number, a full stop, an upper-case word);
    "TP. Hồ Chí Minh" is an abbreviation, not a sentence end."""
    for m in _SENTENCE_END_AT.finditer(text):
        word, nxt = m.group(1), m.group(2)
        if not nxt[:1].isupper():
            continue
        if word.isdigit() or sum(c.islower() for c in word) >= 2:
            return True
    return False


_DASH_NUMBER = re.compile(r"^[-–—]\s*\d")
_DASH_COUNT = re.compile(r"^[-–—]\s+\d[\d.,]*%?\s+[^\W\d_]")


def is_bullet(text: str) -> bool:
    """A dash-bullet list item. A dash before a number is one only when a space follows the
    dash and words follow the number ("- 2 công trình ...", "- 100% sản phẩm ..."), not a
    page number ("- 3 -") or a negative amount ("-5%")."""
    if not _BULLET.match(text):
        return False
    return not _DASH_NUMBER.match(text) or bool(_DASH_COUNT.match(text))


# a typed table's numbered row: its index, its cells, a figure or a date closing it
_ROW = re.compile(r"^(\d{1,3})\s+\S.*\s\d[\d.,/]*$")
_CLAUSE_INSIDE = re.compile(r"[,;]\s|\.\s+\S")


def _numbered_rows(block_lines: list[SrcLine]) -> bool:
    """The block ends with two rows of a typed table numbered one after the other ("2 Xã
    B 18/4/2027" / "3 Xã C 23/4/2027"): rows, not a sentence that wrapped."""
    if len(block_lines) < 2:
        return False
    a, b = (_ROW.match(x.text.strip()) for x in block_lines[-2:])
    if a is None or b is None or int(b.group(1)) != int(a.group(1)) + 1:
        return False
    # a row's cells hold no clause: ", " or a full stop inside is prose that wrapped
    return not any(_CLAUSE_INSIDE.search(x.text.strip()) for x in block_lines[-2:])


COUNTED_ROWS = 3  # lines numbered one after the other that make a typed table
TABLE_HEAD_ROWS = 2  # as many under a head row
_TABLE_HEAD = re.compile(r"^(?:S?TT|Số\s+TT)\s+\S")  # "TT Nội dung ...", "STT Họ và tên ..."


def _counted_rows(block_lines: list[SrcLine], ln: SrcLine) -> bool:
    """The block ends with COUNTED_ROWS lines at least that open with the numbers 1, 2, 3
    ... of a typed table's first column (no stop after them: no labels), whatever the
    cells hold ("4 Bà Quàng Thị Ánh, công chức ... Số hóa hồ sơ"), and `ln` is no next
    row: the table ended."""
    numbers = []
    for x in block_lines[::-1]:
        m = TABLE_ROW_NUMBER.match(x.text.strip())
        if m is None:
            break
        numbers.append(int(m.group(1)))
    numbers.reverse()
    above = block_lines[-len(numbers) - 1].text if len(numbers) < len(block_lines) else ""
    # under the table's head row ("TT Nội dung Thời gian ..."), two rows make one
    least = TABLE_HEAD_ROWS if _TABLE_HEAD.match(above.strip()) else COUNTED_ROWS
    if len(numbers) < least or numbers != list(range(numbers[0], numbers[-1] + 1)):
        return False
    m = TABLE_ROW_NUMBER.match(ln.text.strip())
    return m is None or int(m.group(1)) != numbers[-1] + 1


_FIGURE = re.compile(r"^\d[\d.,]*%?$")
_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
TABLE_ROWS = 2  # typed rows that make a table
# a line of this many words under a table is a sentence, however the page was wrapped: a
# cell's text that wrapped is a few words
PROSE_LINE_WORDS = 12


def _cell_figure(text: str) -> bool:
    """A figure standing in a cell of its own: the line's last word, or followed by
    another figure or a capital (the next cell: "Xã Bình Lư 4 165 Thôn Nà Hin"); or a
    date ending a line that holds no clause ("2025 Bằng khen ... ngày 19/12/2025": prose
    that wraps after a date has its commas)."""
    words = text.split()
    for k, word in enumerate(words[1:], start=1):
        if _FIGURE.match(word):
            nxt = words[k + 1] if k + 1 < len(words) else None
            if nxt is None or _FIGURE.match(nxt) or nxt[:1].isupper():
                return True
    return len(words) > 1 and bool(_DATE.match(words[-1])) and not _CLAUSE_INSIDE.search(text)


def _row_like(ln: SrcLine) -> bool:
    """A typed table's row: a line opening with a cell (a capital or a figure) that holds
    a figure in a cell of its own and ends in no sentence mark."""
    text = ln.text.rstrip()
    return ((starts_upper(text) or text[:1].isdigit()) and _cell_figure(text)
            and not ends_terminal(text) and not text.endswith(":"))  # fmt: skip


def _rows_end(block_lines: list[SrcLine], ln: SrcLine) -> bool:
    """The block ends with TABLE_ROWS rows of a typed table and `ln` is prose: a capital,
    no row itself, a sentence that ends on its line, runs the full width or holds
    PROSE_LINE_WORDS words. Wrapped prose does not open line after line with a capital and
    leave each unfinished, so the sentence under a table opens a paragraph (the marker it
    carries is its own, not the table's)."""
    rows = block_lines[-TABLE_ROWS:]
    if len(rows) < TABLE_ROWS or not all(_row_like(x) for x in rows):
        return False
    return (starts_upper(ln.text) and not _row_like(ln)
            and (ends_terminal(ln.text) or not ln.short
                 or len(ln.text.split()) >= PROSE_LINE_WORDS))  # fmt: skip


def _fits_before(prev: SrcLine, ln: SrcLine) -> bool:
    """The first word of `ln` would have fitted at the end of `prev`: `prev` ended there by
    choice (a title line), it did not wrap."""
    if prev.room is None or not ln.text:
        return False
    return len(ln.text.split()[0]) + 2 <= prev.room


def _wraps(prev: SrcLine, ln: SrcLine) -> bool:
    """`ln` continues a wrapped heading line: lower-case start, or `prev` ran full width.

    Across a page break only a lower-case start after an unfinished line continues it
    ("Điều 5. Trưởng phòng ..., " / next page "phòng liên quan ... thi hành").
    """
    if is_bullet(ln.text) or _TABLE_HEAD.match(ln.text):
        return False  # a list's dash, a table's head row ("TT Họ và tên Số phiếu ...")
    lab = parse_label(ln.text)
    if lab is not None and not _bare_reference(lab, prev):
        return False
    if ln.page != prev.page:
        return starts_lower(ln.text) and not ends_terminal(prev.text)
    if ln.blank_before:
        return False
    if not ends_terminal(prev.text) and (lab is not None or _LEADING_DATE.match(ln.text)):
        # "... thực hiện theo" / "Điều 2 Quyết định số ...", "... trước ngày" / "15/12/2027"
        return True
    if starts_lower(ln.text):
        return True
    if _fits_before(prev, ln):
        return False
    return not prev.short and not ln.indented and not is_upper_line(ln.text)


def _wrapped_after_colon(prev: SrcLine, ln: SrcLine) -> bool:
    """ "a) Thuế ... quý III năm 2024:" / "151.300.000 đồng;": on a scan, the text after a
    point's colon that wrapped to the next line: `prev` ends with ":" and ran full width,
    `ln` is not indented, opens with a figure or a lower-case word (what a colon
    introduces on the next line is a label, a dash or a capital) and ends the item."""
    return (prev.bbox is not None and ln.bbox is not None and prev.text.endswith(":")
            and not prev.short and not ln.indented and ln.page == prev.page
            and (ln.text[:1].isdigit() or starts_lower(ln.text))
            and ln.text.endswith((";", ".")) and parse_label(ln.text) is None)  # fmt: skip


def _bare_reference(lab: Label, prev: SrcLine) -> bool:
    """ "Điều 2 Quyết định số ..." under an unfinished line: a reference to an article that
    wrapped to the start of a line, not an article (which prints "Điều 2." or "Điều 2:");
    and "... quy định tại tiểu mục" / "2.3. Mục II ...": a part's number that wrapped
    after the word naming it, the reference going on ("Mục II", "Phần II", "mục 1 Phần
    III"), not a point ("... đề ra tại điểm" / "2. Các thôn tổ chức ..." is one)."""
    if lab.kind == "article":
        return not lab.marked and not ends_terminal(prev.text)
    return (
        lab.kind in ("arabic", "dotted2", "dotted3")
        and bool(_LOCATOR_END.search(prev.text))
        and (bool(_REFERENCE_GOES_ON.match(lab.rest)) or starts_lower(lab.rest))
    )


# a line ending with a reference to a part, its number on the next line ("... quy định
# tại tiểu mục" / "2.3. Mục II ..."); not a noun ending so ("địa điểm", "danh mục", "hạng
# mục", "các khoản", "thời điểm"), whose next line's number is a point of its own
_LOCATOR_END = re.compile(r"\b(?:tại|theo|ở|của|và|hoặc)\s+(?:tiểu mục|mục|khoản|điểm)\s*$")
_REFERENCE_GOES_ON = re.compile(r"(?:Mục|Phần|Chương|Điều|Khoản|Điểm|Tiểu mục)\b")


UNWRAPPED_MIN_LINES = 2


def _typed_unwrapped(lines: list[SrcLine]) -> bool:
    """Plain text typed a paragraph a line (UNWRAPPED_MIN_LINES lines at least are longer
    than any printed line): a line that ends a sentence ends its paragraph, however short."""
    long_lines = sum(ln.bbox is None and len(ln.text) > UNWRAPPED_LINE_CHARS for ln in lines)
    return long_lines >= UNWRAPPED_MIN_LINES


def _capitals_under_romans(lines: list[SrcLine]) -> bool:
    """Whether the document's first roman label comes before its first capital-letter one
    ("I- TÌNH HÌNH" then "A- Về kinh tế"): its capital-letter parts are then under the
    romans, not over them."""
    kinds = [lab.kind for ln in lines if (lab := parse_label(ln.text)) is not None]
    return "roman" in kinds and "alpha" in kinds and kinds.index("roman") < kinds.index("alpha")


def _mark(lab: Label) -> str:
    """The mark closing `lab` as printed ("." where it has none of its own)."""
    return lab.text[-1] if lab.text[-1:] in (".", ")", "-", "/") else "."


def _new_paragraph_on_scan(last: SrcLine, ln: SrcLine) -> bool:
    """On a scan, an indented line under a line that stopped short of the right margin
    opens a new paragraph whatever the punctuation OCR read ("," for "." is common): a
    wrapped line of prose is never indented and the line it continues runs full width."""
    return (ln.bbox is not None and last.bbox is not None and ln.page == last.page
            and ln.indented and last.short and not starts_lower(ln.text))  # fmt: skip


class BodyBuilder:
    """Feeds body lines one by one into a tree of plain dict nodes (with `_lines`)."""

    def __init__(self, blank_mode: bool, after_closing: bool = False) -> None:
        self.blank_mode = blank_mode
        # the lines after the document's closing (an attached paper, what the closing
        # did not take): an annex's title there may be in any case (`labels.annex_label`)
        self.after_closing = after_closing
        self.root: list[dict] = []
        self.stack: list[tuple[Label, dict]] = []
        self.block: dict | None = None
        self.last: dict[int, dict] = {}  # id(container) -> {kind: (printed, expected)}
        self.last_article = 0
        self.labels: dict[int, Label] = {}  # id(section node) -> its label
        self.inline_titled: set[int] = set()  # id(section node) titled "Phrase: text"
        self.period_titled: dict[int, str] = {}  # id(section node) titled "Phrase." -> its text
        self.unwrapped = False  # plain text typed a paragraph a line (set by `feed`)

    # -- containers -------------------------------------------------------------
    def _container(self) -> list[dict]:
        return self.stack[-1][1]["children"] if self.stack else self.root

    def _close(self) -> None:
        self.block = None

    def _start_block(self, kind: str, text: str, ln: SrcLine) -> dict:
        if kind == "paragraph" and _CLOSING_FORMULA.match(fold(text)):
            self.stack.clear()  # the document's closing sentence closes every section
        node = {"kind": kind, "text": text, "page": ln.page, "_lines": [ln]}
        if kind == "list_item":
            node["marker"] = ln.text[0]
        self._container().append(node)
        self.block = node
        return node

    def _continues(self, ln: SrcLine) -> bool:
        if self.block is None:
            return False
        last: SrcLine = self.block["_lines"][-1]
        if is_closing_cue(ln.text) or ends_with_end_mark(last.text):
            return False  # the closing zone ends any block
        if ends_terminal(last.text) and _CLOSING_FORMULA.match(fold(ln.text)):
            return False  # "Trên đây là báo cáo ...": the closing paragraph starts
        if ends_terminal(last.text) and opens_legal_basis(ln.text):
            return False  # each "Căn cứ ...;" / "Theo đề nghị ..." is its own paragraph
        if _ends_attachment_note(self.block["_lines"]):
            return False  # "(Kèm theo Kế hoạch số ...)" under an annex's title: its own
        if last.text.rstrip().endswith(":") and _QUOTE_OPENS.match(ln.text):
            return False  # "... như sau:" / "“2. Chỉ tiêu: ...”": the quoted text, its own
        if ends_in_figures(last.text) and starts_upper(ln.text) and not ends_in_figures(ln.text):
            return False  # a typed table's last row: the text under the table is new
        if _numbered_rows(self.block["_lines"]) and starts_upper(ln.text) and (
                _ROW.match(ln.text) is None):  # fmt: skip
            return False  # "3 Xã A 23/4/2027" under "2 Xã B 18/4/2027": the table ends
        if starts_upper(ln.text) and not _row_like(ln) and _counted_rows(self.block["_lines"], ln):
            return False  # rows "1 Ủy ban ...", "2 Bộ phận ...", then a sentence (no total row)
        if _rows_end(self.block["_lines"], ln):
            return False  # "Xã B 4 165 Thôn C" rows, then a sentence: the text under a table
        if _DOT_LEADER.search(last.text) and not starts_lower(ln.text):
            return False  # "Chức vụ: ........": a form's field line stands alone (not "...
            # sắn...." over "và một số cây ăn quả khác.": a sentence's dots)
        if starts_upper(ln.text) and (
            (
                is_form_field(last.text)
                and len(self.block["_lines"]) == 1
                and (last.short or is_form_field(ln.text))
            )
            or (last.text.endswith(":") and is_form_field(ln.text))
        ):
            return False  # "... giới thiệu:" / "Ông: Trần Văn A" / "Chức vụ: ...": a field a line
        if self._list_ended(last, ln):
            return False
        if ln.page != last.page:
            if ln.indented:
                return False
            return not ends_terminal(last.text) or starts_lower(ln.text)
        if ln.blank_before:
            return False
        if _new_paragraph_on_scan(last, ln):
            return False
        if is_upper_line(ln.text) != is_upper_line(last.text) and ends_terminal(last.text):
            return False
        if (starts_upper(ln.text) and not is_upper_line(ln.text)
                and all(is_upper_line(x.text) for x in self.block["_lines"])):  # fmt: skip
            return False  # an ALL-CAPS line ("CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN") is no prose
        if ends_terminal(last.text) and ln.ends_text and starts_upper(ln.text):
            return False  # "... liên hệ./." after a finished item: the closing sentence
        if ln.bbox is None and ends_terminal(last.text) and starts_upper(ln.text):
            if last.text.rstrip().endswith(";") and self.block["kind"] == "paragraph":
                return False  # "Nghị quyết số ...;" / "Biên bản ...": one item a line
            if len(last.text) > UNWRAPPED_LINE_CHARS:
                return False  # a paragraph typed on one line (no printed line is this long)
            if self.unwrapped and ends_sentence(last.text):
                return False  # typed a paragraph a line: a short paragraph ends there too
            if (
                self.block["kind"] == "list_item"
                and last.text.rstrip().endswith(".")
                and last.short
            ):
                # "- ... phản ánh." (a short last line) then "Ngoài ...": the list has ended,
                # even in text with blank lines elsewhere; a full line may wrap mid-item
                return False
        if self.blank_mode:
            return True
        return not (ends_terminal(last.text) and (ln.indented or last.short))

    def _list_ended(self, last: SrcLine, ln: SrcLine) -> bool:
        """ "- a;" / "- b;" / "- c." then "Ban Quản lý ...": the item ending in "." after
        items ending in ";" is the list's last, and an upper-case line after it opens a
        new paragraph (the list does not run on into the text below it)."""
        block = self.block
        if block is None or block["kind"] != "list_item" or not last.text.endswith("."):
            return False
        if not starts_upper(ln.text) or is_bullet(ln.text) or ends_with_end_mark(last.text):
            return False
        container = self._container()
        at = next((k for k in range(len(container) - 1, -1, -1) if container[k] is block), None)
        prev = container[at - 1] if at else None
        return prev is not None and prev["kind"] == "list_item" and prev["text"].endswith(";")

    # -- sections ---------------------------------------------------------------
    def _check_numbering(self, lab: Label, node: dict, parent: dict | None) -> None:
        if lab.nums is None:
            return
        if lab.kind == "article":
            article = (self.last_article + 1,)
            ok = lab.nums == article
            self.last_article = lab.nums[0]
            if not ok:
                node["numbering_warning"] = f"expected Điều {article[0]}, found {lab.text}"
            return
        key = id(parent) if parent is not None else 0
        seen = self.last.setdefault(key, {})
        prev = seen.get(lab.kind)
        prefix: tuple[int, ...] = ()
        if lab.kind.startswith("dotted"):
            plab = self.stack[-1][0] if self.stack else None
            if plab and plab.nums and len(plab.nums) == len(lab.nums) - 1 and (
                    plab.kind == "arabic" or plab.kind.startswith("dotted")):  # fmt: skip
                prefix = plab.nums
            else:
                prefix = lab.nums[:-1]
        if prev is None:
            expected = [prefix + (1,)]
        else:
            printed, exp = prev
            expected = [prefix + (printed[-1] + 1,), prefix + (exp[-1] + 1,)]
        if lab.nums not in expected:
            node["numbering_warning"] = (
                f"expected {format_label(lab.kind, expected[-1], _mark(lab))}, found {lab.text}"
                if lab.kind not in ("part", "chapter", "muc")
                else f"expected {expected[-1][0]}, found {lab.text}"
            )
        seen[lab.kind] = (lab.nums, expected[-1])

    def _open_section(self, lab: Label, title: str | None, lines: list[SrcLine]) -> None:
        while self.stack and self.stack[-1][0].rank >= lab.rank:
            self.stack.pop()
        parent = self.stack[-1][1] if self.stack else None
        node = {
            "kind": "section",
            "label": lab.text,
            "level": len(self.stack) + 1,
            "title": title,
            "page": lines[0].page,
            "_lines": list(lines),
            "children": [],
        }
        self._check_numbering(lab, node, parent)
        if lines and lines[0].label_restored and "numbering_warning" not in node:
            node["numbering_warning"] = lines[0].label_restored  # printed as OCR lost it
        self.labels[id(node)] = lab
        self._container().append(node)
        self.stack.append((lab, node))
        self.block = None

    def _ends_enumeration(self, lab: Label) -> bool:
        """The previous point of `lab`'s list is text ending in ";" ("4. Ông A, ...,
        thành viên;"): `lab` goes on the enumeration (its last item, ending in ".", or
        one whose line wrapped early), it is text, not a title."""
        stack = list(self.stack)
        while stack and stack[-1][0].rank >= lab.rank:
            stack.pop()
        container = stack[-1][1]["children"] if stack else self.root
        prev = next((n for n in reversed(container) if n["kind"] == "section"), None)
        prev_lab = self.labels.get(id(prev)) if prev is not None else None
        if (
            prev is None
            or prev_lab is None
            or prev_lab.kind != lab.kind
            or prev["title"] is not None
        ):
            return False
        texts = [n["text"] for n in prev["children"] if n["kind"] != "section"]
        return bool(texts) and texts[-1].rstrip().endswith(";")

    # -- main loop ------------------------------------------------------------------
    def _in_sequence(self, lab: Label) -> bool:
        """An article label is the next one: Điều n+1 after Điều n."""
        return lab.nums is not None and lab.nums[0] == self.last_article + 1

    def _heading_allowed(self, lab: Label, ln: SrcLine) -> bool:
        before = self.block["_lines"][-1] if self.block is not None else None
        mid_text = before is not None and not ln.blank_before and before.page == ln.page
        if lab.kind == "article" and not lab.marked:
            # "Điều 5 Quyết định số ..." wrapped inside a sentence: a bare "Điều n" is an
            # article only as the next one, and not inside unfinished text
            return self._in_sequence(lab) and not (
                mid_text and before is not None and not ends_terminal(before.text)
            )
        if lab.kind not in WEAK:
            return True
        if self.block is None or ln.blank_before:
            return True
        last: SrcLine = self.block["_lines"][-1]
        if is_upper_line(last.text) and not is_upper_line(ln.text):
            return True  # after an unlabelled ALL-CAPS title line: prose does not wrap so
        if ends_in_figures(last.text):
            return True  # under a typed table's last row ("Cộng 12.000 9.500"): a new label
        if last.text[-1:].isdigit() and starts_upper(lab.rest) and self._next_sibling(lab):
            return True  # "Tổng cộng 1.245" (a table's row, one figure) then "3. Nguồn vốn"
        if BRACKETED_LINE.match(last.text) and self._next_sibling(lab):
            return True  # a table's "(Đơn vị tính: triệu đồng)" under it, then "3. ..."
        if _ends_attachment_note(self.block["_lines"]):
            return True  # "(Kèm theo Kế hoạch số ...)" under an annex's title, then "1. ..."
        if is_bullet(last.text) and starts_upper(lab.rest) and self._next_sibling(lab):
            return True  # "- Bà Lò Thị Ọn Cán bộ kỹ thuật" (a list of people), then "2. ..."
        if (_counted_rows(self.block["_lines"], ln) and starts_upper(lab.rest)
                and self._next_sibling(lab)):  # fmt: skip
            return True  # rows "1 Xã A ... Giải Nhất" ... "5 Xã E ... Giải Ba", then "2. Giải ..."
        if _new_paragraph_on_scan(last, replace(ln, text=lab.rest)):
            return True  # "năm 2026⁶," (OCR read the full stop as a comma), then "c) ..."
        return ends_terminal(last.text) or ln.page != last.page

    def _next_sibling(self, lab: Label) -> bool:
        """`lab` numbers the point after one open on the stack ("3." while "2." is open):
        the list goes on, whatever line it follows."""
        for open_lab, _node in reversed(self.stack):
            if open_lab.kind == lab.kind:
                return bool(open_lab.nums and lab.nums and len(open_lab.nums) == len(lab.nums)
                            and lab.nums[:-1] == open_lab.nums[:-1]
                            and lab.nums[-1] == open_lab.nums[-1] + 1)  # fmt: skip
        return False

    @staticmethod
    def _weak_label_next(lines: list[SrcLine], j: int) -> bool:
        """lines[j] opens with a clause or point label ("2.", "a)") right under the line
        before it (no blank line, same page)."""
        if j >= len(lines) or lines[j].blank_before or lines[j].page != lines[j - 1].page:
            return False
        nxt = parse_label(lines[j].text)
        return nxt is not None and nxt.kind in WEAK

    def _wrapped_dash(self, ln: SrcLine) -> bool:
        """On a scan, "- 5 gồm 09 giáo viên." at the left margin under an unfinished line is
        the wrap of "khối 4 - 5", not a list item (items start indented, or after a
        finished line)."""
        if self.block is None or ln.bbox is None or ln.indented:
            return False
        last: SrcLine = self.block["_lines"][-1]
        return last.page == ln.page and not last.short and not ends_terminal(last.text)

    def feed(self, lines: list[SrcLine]) -> list[dict]:
        self.unwrapped = _typed_unwrapped(lines)
        alpha_sub = _capitals_under_romans(lines)
        quote_end = -1  # the line closing a quotation open over lines
        i = 0
        while i < len(lines):
            ln = lines[i]
            end = _quotation_end(lines, i) if i > quote_end else None
            if end is not None or i <= quote_end:
                # another document's text quoted over lines ("1. Sửa đổi khoản 2 Điều 5 như
                # sau:" / "“2. ..." / "a) ..." / "...”"): its labels are that document's,
                # no headings of this one; the quotation is a paragraph of its own, unless
                # it opens inside a sentence (a line above ending without a stop or colon)
                block = self.block
                inside = block is not None and not ends_terminal(block["_lines"][-1].text)
                if block is not None and (end is None or inside):
                    block["text"] = join_lines(block["text"], ln.text)
                    block["_lines"].append(ln)
                else:
                    self._start_block("paragraph", ln.text, ln)
                quote_end = end if end is not None else quote_end
                i += 1
                continue
            lab = (
                parse_label(ln.text)
                or (annex_label(ln.text, any_title=True) if self.after_closing else None)
                or self._small_point(lines, i)
            )
            if lab is not None and lab.kind == "alpha" and alpha_sub:
                lab = replace(lab, kind="alpha_sub")
            if lab is not None and self._heading_allowed(lab, ln):
                i = self._heading(lab, lines, i)
                continue
            if (is_bullet(ln.text) and (bullet := _BULLET.match(ln.text))
                    and not self._wrapped_dash(ln)):  # fmt: skip
                self._start_block("list_item", bullet.group(1), ln)
            elif (block := self.block) is not None and self._continues(ln):
                block["text"] = join_lines(block["text"], ln.text)
                block["_lines"].append(ln)
            else:
                self._start_block("paragraph", ln.text, ln)
            i += 1
        wrap_lost_parent(self.root, self.labels)
        self._sibling_titles(self.root)
        return self.root

    def _small_point(self, lines: list[SrcLine], i: int) -> Label | None:
        """lines[i] as a point written in small letters (`parse_small_point`) where it
        stands as one: the first point ("a)") under a line ending with a colon, or the
        next point of the list open on the stack, its line after one that ended with
        ";", ":" or "."."""
        lab = parse_small_point(lines[i].text)
        if lab is None or i == 0 or not lab.nums:
            return None
        prev = lines[i - 1].text.rstrip()
        if lab.nums == (1,):
            return lab if prev.endswith(":") else None
        open_lab = self.stack[-1][0] if self.stack else None
        follows = (
            open_lab is not None
            and open_lab.kind == "letter"
            and open_lab.nums == (lab.nums[0] - 1,)
        )
        return lab if follows and prev.endswith((";", ":", ".")) else None

    def _sibling_period_titles(self, group: list[dict]) -> None:
        """ "4.1. Tỷ lệ hồ sơ ... trực tuyến." under "4.3. Tỷ lệ văn bản đi được ký số.": a
        list of one-line titles ending in "." is read alike: a member longer than a lone
        period title may be (PERIOD_TITLE_WORDS) is a title too when two of its siblings
        at least, and half of them, are such titles of the same shape: bare titles (a list
        of criteria) for a bare member, titles with text under them for a member with
        text under its line."""
        for with_text in (False, True):
            candidates = [n for n in group if _sibling_period_split(n, with_text) is not None]
            printed = [
                n for n in group if id(n) in self.period_titled and bool(n["children"]) == with_text
            ]
            if not candidates or len(printed) < max(2, len(group) / 2 - len(candidates)):
                continue
            for node in candidates:
                node["title"] = _sibling_period_split(node, with_text)
                node["children"].pop(0)

    def _lone_period_titles(self, group: list[dict]) -> None:
        """ "1. Hội viên ... đóng góp 50.000 đồng." / "2. Các tổ chức ... ủng hộ." / "3.
        Nguồn hợp pháp khác.": the last point of a list of one-line clauses, short enough
        to read as a period title and with nothing under it, is a clause like its
        siblings: when they are untitled one-line clauses ending in "." (two at least,
        more than such bare titles among them)."""
        bare = [n for n in group if id(n) in self.period_titled and not n["children"]]
        clauses = [n for n in group if _one_line_clause(n)]
        if not bare or len(clauses) < 2 or len(clauses) <= len(bare):
            return
        for node in bare:
            text = self.period_titled.pop(id(node))
            node["title"] = None
            para = {"kind": "paragraph", "text": text, "page": node["page"],
                    "_lines": list(node["_lines"])}  # fmt: skip
            node["children"].append(para)

    def _sibling_titles(self, nodes: list[dict]) -> None:
        """Points of one list printed alike are read alike (`_sibling_period_titles`), and
        "a) Nam: cự ly ...", "b) Nữ: cự ly ..." all take the phrase before the colon as
        their title, also where the text after it is in lower case or the phrase is longer
        than a lone point's would be: when two siblings of one label kind at least, and
        half of them, are printed that way or titled."""
        by_kind: dict[str, list[dict]] = {}
        for node in nodes:
            if node["kind"] == "section":
                self._sibling_titles(node["children"])
                if (lab := self.labels.get(id(node))) is not None:  # not a lost label's holder
                    by_kind.setdefault(lab.kind, []).append(node)
        for kind, group in by_kind.items():
            if kind not in WEAK:
                continue
            self._sibling_period_titles(group)
            self._lone_period_titles(group)
            candidates = [n for n in group if _sibling_title_split(n) is not None]
            # titled points, inline or with a title line of their own ("b) Điều kiện
            # riêng" over its items beside "a) Điều kiện chung: là công dân ...")
            printed = [n for n in group if id(n) in self.inline_titled or n["title"]]
            if len(candidates) + len(printed) < max(2, len(group) / 2):
                continue
            for node in candidates:
                title, text = _sibling_title_split(node) or ("", "")
                node["title"] = title
                node["children"][0]["text"] = text
                node["children"][0]["_inline"] = True

    def _heading(self, lab: Label, lines: list[SrcLine], i: int) -> int:
        rest = lab.rest.strip()
        used = [lines[i]]
        j = i + 1
        if not rest:
            if j < len(lines) and parse_label(lines[j].text) is None and not is_bullet(
                    lines[j].text) and (is_upper_line(lines[j].text)
                                        or not ends_terminal(lines[j].text)):  # fmt: skip
                rest = lines[j].text
                used.append(lines[j])
                j += 1
            else:
                self._open_section(lab, None, used)
                return j
        if _capitals_title(rest):
            while (j < len(lines) and len(used) < 4
                   and (is_upper_line(lines[j].text) or _LONE_YEAR.match(lines[j].text)
                        or (_capitals_title(lines[j].text)
                            and _wrapped_title(lines[j - 1], lines[j])))
                   and parse_label(lines[j].text) is None and not ends_terminal(rest)
                   and not lines[j].blank_before and lines[j].page == lines[j - 1].page
                   and not is_bullet(lines[j].text)):  # fmt: skip
                rest = join_lines(rest, lines[j].text)
                used.append(lines[j])
                j += 1
            self._open_section(lab, upper_title(rest), used)
            return j
        while (j < len(lines) and len(used) < TITLE_LINES
               and (not ends_terminal(rest) or _wrapped_after_colon(lines[j - 1], lines[j]))
               and _wraps(lines[j - 1], lines[j])):  # fmt: skip
            rest = join_lines(rest, lines[j].text)
            used.append(lines[j])
            j += 1
        rest = squash(rest)
        wrapped_reference = any(parse_label(u.text) for u in used[1:])
        if wrapped_reference and not ends_terminal(rest) and self._weak_label_next(lines, j):
            # "Điều 2. Kinh phí ... tại" / "Điều 5 Quyết định ... và" / "khoản" / "2. Nghị
            # định ...": text that runs over a wrapped reference into a numbered line is
            # no title (a wrapped title, "Điều 4. Trách nhiệm ... của" / "Chủ tịch xã",
            # has no reference inside it)
            self._open_section(lab, None, used[:1])
            self._start_block("paragraph", rest, used[-1])["_lines"] = used
            return j
        m = _INLINE_TITLE.match(rest)
        if (
            m
            # "3.1. Giá ... đồng (bằng chữ: Sáu tỷ ...)": a colon inside brackets is text's
            and m.group(1).count("(") <= m.group(1).count(")")
            and not ends_terminal(m.group(1))
            and not has_sentence_break(m.group(1))
            and (
                (starts_upper(m.group(2)) and not m.group(2)[:1].isdigit())
                or (lab.kind != "letter" and len(m.group(1).split()) <= INLINE_TITLE_WORDS)
                or (lab.kind != "letter" and _enumeration(m.group(2))
                    and len(m.group(1).split()) <= SIBLING_TITLE_WORDS)
            )
        ):  # fmt: skip
            # "1. Tổng số: 06 công trình, trong đó:": the phrase before the first colon is
            # the title even when the text after it ends with a colon of its own
            self._open_section(lab, m.group(1).strip(), used[:1])
            self.inline_titled.add(id(self.stack[-1][1]))
            rest_block = self._start_block("paragraph", m.group(2), used[-1])
            rest_block["_lines"] = used
            rest_block["_inline"] = True  # its markers are the heading line's (`_finish`)
            return j
        if rest.endswith(":") and has_sentence_break(rest):
            # "2. Rà soát ... kèm theo. Các nội dung gồm:": a sentence, then a lead-in to
            # the list below; a title is one phrase, never two sentences
            self._open_section(lab, None, used[:1])
            self._start_block("paragraph", rest, used[-1])["_lines"] = used
            return j
        if rest.endswith(":") and not _introduces_list(lab, rest):
            if not _sibling_next(lab, lines, j) and ":" not in rest[:-1]:
                self._open_section(lab, rest[:-1].strip(), used)
                return j
            # "1. Ông A, Phó Chủ tịch - Tổ trưởng:" right above "2. Bà B ...": a colon
            # introduces nothing there; an item whose ";" OCR read as ":". And "3. Tổ
            # trực đêm ở bến: 04 người, trong đó:": a phrase, a colon, text: never a whole
            # title; the phrase is the title when its siblings print one (_sibling_titles)
            self._open_section(lab, None, used[:1])
            self._start_block("paragraph", rest, used[-1])["_lines"] = used
            return j
        heading_then_text = (
            rest.endswith(";") and len(rest) <= 160 and j < len(lines)
            and parse_label(lines[j].text) is None and not is_bullet(lines[j].text)
            and not starts_lower(lines[j].text)  # "...; rà soát ...": the sentence goes on
        )  # fmt: skip
        if heading_then_text:
            self._open_section(lab, rest[:-1].strip(), used)
            return j
        if len(used) == 1 and _numbered_family(lab, lines, i):
            self._open_section(lab, rest[:-1].strip(), used)
            return j
        if _period_title(lab, rest, used, lines, j) and not self._ends_enumeration(lab):
            self._open_section(lab, rest[:-1].strip(), used)
            self.period_titled[id(self.stack[-1][1])] = rest
            return j
        # "2. Tồn tại, hạn chế.³": a footnote marker after a period title's stop is read
        # past; the title keeps the marker for linking, not the stop
        core = rest.rstrip(SUPERSCRIPT_DIGITS)
        marks = rest[len(core) :]
        if (marks and _period_title(lab, core, used, lines, j)
                and not self._ends_enumeration(lab)):  # fmt: skip
            self._open_section(lab, core[:-1].strip() + marks, used)
            self.period_titled[id(self.stack[-1][1])] = rest
            return j
        misread_stop = used[-1].bbox is not None and rest.endswith(",")
        if misread_stop and _period_title(lab, rest[:-1] + ".", used, lines, j):
            # "1. Ưu điểm," on a scan: a period title whose stop OCR read as a comma
            self._open_section(lab, rest[:-1].strip(), used)
            self.period_titled[id(self.stack[-1][1])] = rest
            return j
        # a title is one phrase: text still wrapping on past TITLE_LINES lines is a clause
        runs_on = (len(used) == TITLE_LINES and j < len(lines) and not ends_terminal(rest)
                   and _wraps(lines[j - 1], lines[j]))  # fmt: skip
        if ends_terminal(rest) or misread_stop or runs_on or _introduces_list(lab, rest):
            # on a scan a clause that stops at "," with nothing wrapped after it ended with
            # a full stop OCR read as a comma ("... trước ngày 15/11/2025¹⁰,"): no title
            # ends with a comma
            self._open_section(lab, None, used[:1])
            self._start_block("paragraph", rest, used[-1])["_lines"] = used
            return j
        if self._ends_enumeration(lab) or _LEAD_IN_END.search(rest):
            # "b) ... ;" then "c) Đề xuất danh sách ..., dự kiến gồm" / "12 hộ ...": the
            # point after a text item ending in ";" is text too, however its line wrapped;
            # and "1. ... phụ trách các lĩnh vực sau đây", its colon not printed, leads in
            self._open_section(lab, None, used[:1])
            self._start_block("paragraph", rest, used[-1])["_lines"] = used
            return j
        self._open_section(lab, rest, used)
        return j


# a note in brackets closing a title in capitals: "... CỦA TẬP THỂ (nếu có)"
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


WRAPPED_TITLE_CHARS = 45  # a title line this long went on to the next (or ran to the margin)


# a line opening a quotation of another document's text, and each opening mark's closing
_QUOTE_OPENS = re.compile(r'^\s*([“"])')
_QUOTE_PAIRS = {"“": "”", '"': '"'}
QUOTE_LINES = 60  # a quotation closes within this many lines, or its mark was no opening
# what may follow a quotation's closing mark at the end of its line: ”.  ”;  ”./.  ”)  ”¹.
# ”(đã được sửa đổi).
_AFTER_CLOSING = r"[\s.,;:!?/)…¹²³⁴⁵⁶⁷⁸⁹⁰]*(?:\([^()]*\)[\s.,;]*)?$"


def _closes_quotation(text: str, mark: str) -> bool:
    """`text` ends a quotation open above it: the closing `mark` at its end (nothing but
    punctuation after it) and one more closing than opening on the line (a phrase quoted
    whole inside the line, "... chợ “Đầu mối” và ...", or a straight-quoted one, '...
    "Ngày thứ Bảy xanh".', closes nothing above)."""
    if re.search(re.escape(mark) + _AFTER_CLOSING, text) is None:
        return False
    if mark == '"':
        return text.count('"') % 2 == 1
    return text.count(mark) > text.count("“")


def _quotation_end(lines: list[SrcLine], i: int) -> int | None:
    """The line closing the quotation lines[i] opens (`_QUOTE_OPENS`, `_closes_quotation`)
    when it does not close it itself and a line within QUOTE_LINES does; None otherwise: a
    quoted phrase closed on its own line ("“Đổi rác lấy quà” tổ chức ...") is text as any
    other, and a lost closing mark must not make the rest of the document one quoted
    paragraph (a quoted phrase further down, closing inside its line, closes nothing)."""
    opening = _QUOTE_OPENS.match(lines[i].text)
    if opening is None:
        return None
    mark = _QUOTE_PAIRS[opening.group(1)]
    if mark in lines[i].text[opening.end() :]:
        return None
    last = min(len(lines), i + 1 + QUOTE_LINES)
    return next((j for j in range(i + 1, last) if _closes_quotation(lines[j].text, mark)), None)


# (not "CÁC", "NHỮNG": "CÁC HỘ THUỘC THÔN 1" under "I. DANH SÁCH CÁC HỘ ..." is a row)
_CONNECTIVE = re.compile(r"^(?:VÀ|CỦA|CHO|VỚI|ĐỐI|TRONG|TẠI|VỀ|ĐẾN|TỪ)\b")


def _ends_attachment_note(block: list[SrcLine]) -> bool:
    """The block is an attached paper's or an annex's note, closed: "(Kèm theo Kế hoạch số
    45/KH-UBND ngày ...)" under its title."""
    return block[-1].text.rstrip().endswith(")") and bool(
        ATTACHMENT_NOTE.match(fold(block[0].text))
    )


def _wrapped_title(ln: SrcLine, below: SrcLine) -> bool:
    """A title's line that wrapped onto `below`: it ran to the margin, or is long ("V. LÀM
    RÕ TRÁCH NHIỆM CỦA CÁ NHÂN ĐỐI VỚI NHỮNG HẠN"), or the line below goes on with a
    connective ("VÀ CÁC CƠ QUAN LIÊN QUAN (nếu có)"); "I. DANH SÁCH CÁC HỘ" over "THÔN 1
    (05 hộ)" did not: that line is a row of its own."""
    return ((ln.bbox is not None and not ln.short) or len(ln.text) >= WRAPPED_TITLE_CHARS
            or _CONNECTIVE.match(below.text) is not None)  # fmt: skip


def _capitals_title(text: str) -> bool:
    """A title line in capitals, a bracketed note at its end in any case ("V. LÀM RÕ ...
    CỦA TẬP THỂ (nếu có)", its wrapped line "CHẾ, KHUYẾT ĐIỂM ... (nếu có)")."""
    return is_upper_line(_TRAILING_NOTE.sub("", text))


SIBLING_TITLE_WORDS = 16  # "Phrase: text" read alike with its siblings
SIBLING_FIGURE_WORDS = 6  # such a phrase with a figure in it has this many words at least
# a date or a numbered round in a phrase: a schedule's point, no title
_SCHEDULED = re.compile(r"\b(?:ngày|tháng|đợt|vòng|lần|kỳ)\s+\d|\d{1,2}/\d{1,2}", re.IGNORECASE)
SIBLING_PERIOD_TITLE_WORDS = 20  # "Phrase." read alike with its siblings
# a lead-in to the points below printed without its colon: "... các lĩnh vực sau đây",
# "..., trong đó tập trung" (no title ends so)
_LEAD_IN_END = re.compile(
    r"(?:\b(?:sau đây|như sau|bao gồm|gồm có|cụ thể là)|,\s*trong đó(?:\s+\S+){0,2})$"
)
# "Ông Lục Văn A thông qua dự thảo ...": a person is the subject of a sentence, no title
_PERSON_SUBJECT = re.compile(r"^(?:Ông|Bà(?!\s+Rịa)|Anh|Chị|Đồng chí|Đ/c)\s+(\w)")


ENUMERATION_ITEMS = 3
ENUMERATION_ITEM_WORDS = 3


def _enumeration(text: str) -> bool:
    """ "sốt, ho, đau họng, phát ban.": a bare list of ENUMERATION_ITEMS short items at
    least (ENUMERATION_ITEM_WORDS words each, lower case, no figures), ending in "." -
    what the phrase before a colon names examples of; the phrase is a title."""
    if not text.endswith(".") or re.search(r"[\d:;()]", text):
        return False
    items = [x.strip() for x in re.split(r",|\bvà\b", text[:-1])]
    return len(items) >= ENUMERATION_ITEMS and all(
        x and starts_lower(x) and len(x.split()) <= ENUMERATION_ITEM_WORDS for x in items
    )


def _sibling_title_split(node: dict) -> tuple[str, str] | None:
    """(phrase, text) of an untitled section whose own line reads "Phrase: text": a
    phrase of words only (no figures but a year, a period or a time, see _TITLE_FIGURES;
    no brackets but a note closing it, "Sở Nông nghiệp ... (Cơ quan thường trực): ...",
    whose words are not counted; "Vòng 1 (thi ...): ngày ..." is a point's text; commas may
    join its nouns: "Đơn về mốc giới, ranh giới: ..."), SIBLING_TITLE_WORDS words at most
    besides its year."""
    if node["title"] is not None or not node["children"]:
        return None
    first = node["children"][0]
    if first["kind"] != "paragraph" or first["_lines"][:1] != node["_lines"][:1]:
        return None
    m = re.match(r"^([^:]{2,150}?):\s+(?=\S)(.*)$", first["text"])  # "Nữ: ..." too
    if m is None:
        return None
    phrase = m.group(1).strip()
    undated = _TITLE_FIGURES.sub("", phrase)  # the year it names qualifies it: not counted
    # a note in words closing it, who the office is: "Sở Nông nghiệp ... (Cơ quan thường
    # trực Ban Chỉ huy): ..." (not counted either)
    undated = _TRAILING_NOTE.sub("", undated)
    if re.search(r"[();.!?]", undated) or not 1 <= len(undated.split()) <= SIBLING_TITLE_WORDS:
        return None
    # a figure in a short phrase, or a date or a round, makes a point's text ("Vòng 1:
    # ngày ...", "Đợt 1 từ ngày 15 tháng 3 đến ngày 30 tháng 4: tiêm ..."); a longer phrase
    # may name one ("Xã viên Bùi Thị Nhớn, đội trưởng đội 3: ...")
    if re.search(r"\d", undated) and (
        len(undated.split()) < SIBLING_FIGURE_WORDS or _SCHEDULED.search(undated)
    ):
        return None
    return phrase, m.group(2)


def _one_line_clause(node: dict) -> bool:
    """An untitled section whose only text is its own label line, ending in "."."""
    if node["title"] is not None or len(node["children"]) != 1:
        return False
    first = node["children"][0]
    return (first["kind"] == "paragraph" and first["_lines"] == node["_lines"][:1]
            and first["text"].rstrip().endswith("."))  # fmt: skip


def _sibling_period_split(node: dict, with_text: bool = False) -> str | None:
    """The title of an untitled section whose own label line is a paragraph of its own,
    one short phrase ending in "." (SIBLING_PERIOD_TITLE_WORDS words, no figures but a
    year, no ":;"): its only text, or (`with_text`) followed by the section's text."""
    if node["title"] is not None or not node["children"]:
        return None
    if (len(node["children"]) > 1) != with_text:
        return None
    first = node["children"][0]
    if first["kind"] != "paragraph" or first["_lines"] != node["_lines"][:1]:
        return None
    text = first["text"].strip()
    if not text.endswith(".") or text.endswith("..") or "." in text[:-1]:
        return None
    if re.search(r"[\d:;!?()]", _TITLE_FIGURES.sub("", text)) or has_sentence_break(text):
        return None
    if _COPULA.search(text) or ((m := _PERSON_SUBJECT.match(text)) and m.group(1).isupper()):
        return None
    return text[:-1] if 1 <= len(text.split()) <= SIBLING_PERIOD_TITLE_WORDS else None


def _period_title(lab: Label, rest: str, used: list[SrcLine], lines: list[SrcLine], j: int) -> bool:
    """ "2. Tồn tại, hạn chế.": a section title printed with a closing period. A short
    noun phrase (PERIOD_TITLE_WORDS words at most, commas only inside, no figures but a
    year: "Kết quả thi đua năm 2026.") alone on its line, under a section label (not an
    article or a point), with a new block of text starting on the next line. An article's
    ("Điều 2. Đối tượng áp dụng.") when it is shorter still (ARTICLE_PERIOD_TITLE_WORDS:
    "Điều 3. Quyết định này có hiệu lực kể từ ngày ký." is the article's text) and the
    document's other articles print titles (`_article_titles`)."""
    if lab.kind not in ("roman", "arabic", "dotted2", "dotted3", "article") or len(used) != 1:
        return False
    if not _period_phrase(rest):
        return False
    words = rest[:-1].split()
    if lab.kind == "article":
        titles = _article_titles(lines)
        longest = PERIOD_TITLE_WORDS if titles == "stopped" else ARTICLE_PERIOD_TITLE_WORDS
        if titles is None or len(words) > longest:
            return False
    if j >= len(lines):
        return False
    nxt = lines[j]
    return bool(parse_label(nxt.text)) or is_bullet(nxt.text) or starts_upper(nxt.text)


FAMILY_REACH = 120  # lines searched each way for the other points of a list
ARTICLE_PERIOD_TITLE_WORDS = 6  # "Điều 1. Phạm vi điều chỉnh.": a title; longer, a clause


TITLED_ARTICLES = 2  # article titles printed without a stop that make a titled document


def _article_titles(lines: list[SrcLine]) -> str | None:
    """How the document's articles carry titles (a quy chế, a quy định), if they do: None
    for bare decisions (a decision's "Điều 1. Phê duyệt danh sách ..." alone is a sentence
    whose stop was left off); "unstopped" when it prints TITLED_ARTICLES article titles
    without a closing stop ("Điều 3. Nguyên tắc quản lý"), or one in a document of chapters
    ("Chương I"); "stopped" in a document of chapters that prints its articles' titles with
    a stop ("Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng."), TITLED_ARTICLES of them at
    least and most of its articles: there a title is as long as a section's period title
    may be."""
    unstopped = chapters = stopped = articles = 0
    for ln in lines:
        lab = parse_label(ln.text)
        if lab is not None and lab.kind == "chapter":
            chapters += 1
        if lab is None or lab.kind != "article" or not lab.text.endswith("."):
            continue
        articles += 1
        rest = lab.rest.strip()
        if rest and not ends_terminal(rest) and not rest.endswith((":", ",")) and (
                len(rest.split()) <= TITLE_MAX_WORDS):  # fmt: skip
            unstopped += 1
        elif _period_phrase(rest):
            stopped += 1
    if chapters and stopped >= TITLED_ARTICLES and 2 * stopped > articles:
        return "stopped"
    if unstopped >= TITLED_ARTICLES or (unstopped >= 1 and chapters > 0):
        return "unstopped"
    return None


def _period_phrase(rest: str) -> bool:
    """ "Nguyên tắc kiểm tra.": a short phrase ending in "." (PERIOD_TITLE_WORDS words at
    most, no figure but a title's year, no clause marks, no "là"), as a title is printed
    with a stop."""
    bare = _TITLE_FIGURES.sub("", rest)
    if not rest.endswith(".") or rest.endswith("..") or re.search(r"[\d:;!?()]", bare):
        return False
    words = rest[:-1].split()
    return (
        1 <= len(words) <= PERIOD_TITLE_WORDS and "." not in rest[:-1] and not _COPULA.search(rest)
    )


def _figure_phrase_head(rest: str) -> str | None:
    """ "Rủi ro cấp độ 3 trở lên." -> "Rủi ro cấp độ": the words before the figure of a
    short phrase ending in "." (PERIOD_TITLE_WORDS words, no clause marks ":;!?()"), or
    None."""
    if not rest.endswith(".") or rest.endswith("..") or "." in rest[:-1]:
        return None
    if re.search(r"[:;!?()]", rest) or has_sentence_break(rest):
        return None
    if not 2 <= len(rest[:-1].split()) <= PERIOD_TITLE_WORDS:
        return None
    m = re.search(r"\s\d", rest)
    return rest[: m.start()] if m else None


def _numbered_family(lab: Label, lines: list[SrcLine], i: int) -> bool:
    """ "1. Rủi ro cấp độ 1." / "2. Rủi ro cấp độ 2." / "3. Rủi ro cấp độ 3 trở lên.": the
    points of one list (the labels of `lab`'s kind between two stronger labels), each
    one phrase ending in "." alone on its line, all printing the same words (two at
    least) before a figure of their own, name the grade or the zone each point is about:
    titles, though a figure elsewhere marks a clause ("2. Có 15 hộ tham gia.")."""
    if lab.kind not in WEAK or lab.kind == "letter":
        return False
    heads = []
    for step in (-1, 1):
        k = i if step == 1 else i - 1
        while 0 <= k < len(lines) and abs(k - i) <= FAMILY_REACH:
            other = parse_label(lines[k].text)
            if other is not None and other.rank < lab.rank:
                break
            if other is not None and other.kind == lab.kind:
                heads.append(_figure_phrase_head(other.rest.strip()))
            k += step
    if len(heads) < 2 or None in heads or len(set(heads)) != 1:
        return False
    return len(str(heads[0]).split()) >= 2


def _sibling_next(lab: Label, lines: list[SrcLine], j: int) -> bool:
    """The line after a heading is the next label of its own kind: nothing stands under
    the heading."""
    nxt = parse_label(lines[j].text) if j < len(lines) else None
    return nxt is not None and nxt.kind == lab.kind and lab.kind in WEAK


def _introduces_list(lab: Label, rest: str) -> bool:
    """Text that introduces what follows, not a title: any label's "... các dự án sau:"
    ("the following"), "... hồ sơ gồm:" ("consists of") or "..., cụ thể:" ("namely"),
    text of two clauses joined by ";" (not a short noun phrase ending in "cụ thể:",
    "specific"), and an article's long decision
    ("Điều 1. Phê duyệt Phương án ... với các nội dung chủ yếu:", "Điều 3. Thông qua
    phương án ...:", see _DECISION_VERB), not "Điều 2. Nhiệm vụ:"; and any label's text
    of more than TITLE_MAX_WORDS words that opens with no section's noun (a sentence)."""
    if not rest.endswith(":"):
        return False
    if re.search(r"\b(sau|gồm)\s*:$", rest) or ";" in rest:
        return True  # "... như sau:" ("as follows"); "...; ...:" two clauses, never a title
    if _FRONTED_CLAUSE.match(rest):
        return True  # "Trong thời gian ..., ông A:": a sentence its points complete
    if _BODY_ACTS.match(rest):
        return True  # "2. Ủy ban nhân dân xã chỉ đạo:": a body and its verb, then its tasks
    clause = _CLAUSE.search(rest) or _SUBJECT_AFTER_COMMA.search(_BRACKETED.sub("", rest))
    nominal = lab.kind != "article" and _NOMINAL_HEAD.match(rest) is not None and not clause
    # a note in brackets closing the phrase ("khu chợ tạm (bãi đất trống phía đông chợ):")
    # explains it, it does not make it longer
    if len(_TRAILING_BRACKETS.sub(":", rest).split()) > TITLE_MAX_WORDS and not nominal:
        return True  # "4. Đề nghị Ủy ban nhân dân các tỉnh ... phối hợp thực hiện:": a
        # sentence (a subject, its verb) that the points below complete, too long a title
    if re.search(r"\bcụ thể\s*:$", rest) and (
        re.search(r",\s*cụ thể\s*:$", rest) or len(rest.split()) > INLINE_TITLE_WORDS
    ):
        return True  # "..., cụ thể:" ("namely") after a clause; "Hoạt động cụ thể:" (the
        # specific activities) is a short noun phrase, a title
    return lab.kind == "article" and bool(_DECISION_VERB.match(rest))
