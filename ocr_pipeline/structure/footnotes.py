"""Footnotes: bodies at page bottoms and the reference markers that point to them.

A footnote body starts a line with its number ("1 Vùng nuôi ...", "¹ Vùng ...") and may
continue over the following lines; the block runs to the bottom of the page. A block is
accepted when its opening number has a marker earlier in the text (a superscript digit,
or ASCII digits glued to the end of a word: "quy định2.", "97,8%6."), a separator rule
sits above it, or it is the next expected footnote with a lookalike mark or smaller type
than the line above. Inside a block the numbers run consecutively.

With word boxes (OCR) the rules allow for what Tesseract loses: up to MAX_LOST bodies may
be missing inside a block (a clear body start at the left edge after a sentence end), the
first number may skip as many, and a block whose markers were all lost is found from
layout alone (lines smaller or tighter than the page's median, or a wide white gap
above). Plain text keeps the strict rules. Markers are removed from the text and
returned so the caller records `footnote_refs`; a lookalike mark ("°", "?", "!") is taken
as the next free footnote above those linked so far (markers run in reading order).
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import replace

from ocr_pipeline.footnote_markers import (
    BODY_NUMBER,
    BODY_START_LOOKALIKE,
    DIGIT_SHAPES,
    GLUED_MARK,
    WILD_MARK,
    decode,
    has_glued_marker,
    is_unit,
    starts_raised,
    take_written,
)
from ocr_pipeline.structure.closing import ends_with_end_mark, is_closing_cue
from ocr_pipeline.structure.document import SrcLine, box_of, prov
from ocr_pipeline.structure.furniture import is_page_number
from ocr_pipeline.structure.text import (
    ends_in_figures,
    ends_sentence,
    ends_terminal,
    fold,
    is_separator,
    is_upper_line,
    join_lines,
)

# A footnote body ends with a sentence: a line ending in ";" or ":" goes on wrapped
# ("...; Năm 2021 ...;" / "Năm 2022 ...").

_START = BODY_NUMBER  # "1 Vùng ...", "¹ Vùng ..."
_START_ASCII_SPACE = re.compile(r"^\d{1,2}\s")
MAX_BLOCK = 24
INFER_MIN_LINES = 20  # a page shorter than this is not cut by infer_pages
MAX_LOST = 2  # bodies OCR may lose in a row inside a block (boxes only)


def _start_number(text: str) -> int | None:
    m = _START.match(text)
    if not m:
        return None
    if m.group(1) is not None:
        if not _START_ASCII_SPACE.match(text):  # "1Vùng" is not a footnote start
            return None
        return int(m.group(1))
    return decode(m.group(2))


_DIGIT_LED = re.compile(
    r"^(\d{1,2})\s+(?=\d)"
)  # "4 01 giải Nhì, ...": a body opening with a figure


def _next_body(prev: SrcLine, ln: SrcLine, number: int) -> bool:
    """`ln` opens body `number`, the next one inside a block: its number and a word, or
    (after a body that ended its sentence) its number and a figure ("4 02 giải Ba, ...":
    `_START` wants a word there, as a figure alone opens no body outside a block)."""
    if _start_number(ln.text) == number:
        return True
    if BODY_START_LOOKALIKE.match(ln.text) and ends_sentence(prev.text):
        return True  # "? Theo ...": the next number, raised, read as a mark
    m = _DIGIT_LED.match(ln.text)
    return m is not None and int(m.group(1)) == number and ends_sentence(prev.text)


_TABLE_HEAD = re.compile(r"^(?:S?TT|SO\s+TT)\b")  # "TT Họ và tên ...", "STT Nội dung ..."


def _table_row(lines: list[SrcLine], i: int) -> bool:
    """lines[i] is a numbered table row typed as a line, not a footnote body: two figures
    at least end it ("1 Máy bơm 02 3.500.000 7.000.000"; a body ends a sentence), or it is
    one of the rows numbered 1, 2, ... under a table's head line ("TT Họ và tên Chức vụ")."""
    text = lines[i].text
    if ends_in_figures(text):
        return True
    m = _START_ASCII_SPACE.match(text)
    n = int(m.group(0)) if m else 0
    k = i
    while n > 1:
        k -= 1
        head = _START_ASCII_SPACE.match(lines[k].text) if k >= 0 else None
        if head is None or int(head.group(0)) != n - 1:
            return False
        n -= 1
    return n == 1 and k > 0 and bool(_TABLE_HEAD.match(fold(lines[k - 1].text)))


def _number_in_sequence(lines: list[SrcLine], i: int, expected: int) -> int | None:
    """The footnote number lines[i] opens with: its digits, or `expected` when it opens
    with a lookalike of a raised digit ("% Năm ...", BODY_START_LOOKALIKE) and one of the
    next lines opens body `expected + 1` (the sequence calls for it; by a lookalike too),
    or the page ends within a block's length with no closing cue between (the page's last
    block). A table row opens no body (`_table_row`)."""
    text = lines[i].text
    if _table_row(lines, i):
        return None
    n = _start_number(text)
    if n is not None:
        return n
    m = BODY_START_LOOKALIKE.match(text)
    if m is None or not text[m.end() :][:1].isupper():
        return None
    rest = lines[i + 1 : i + 1 + MAX_BLOCK]
    for ln in rest:
        if _start_number(ln.text) == expected + 1 or BODY_START_LOOKALIKE.match(ln.text):
            return expected  # the next body, by its number or by a lookalike of it
        if is_closing_cue(ln.text):
            return None
    # the page ends within a block's length: the page's last block
    return expected if i + 1 + len(rest) >= len(lines) else None


def _body_text(text: str) -> str:
    """A body's first line without its number (or the lookalike standing for it)."""
    if _START.match(text):
        return _START.sub("", text, count=1).strip()
    if _DIGIT_LED.match(text):
        return _DIGIT_LED.sub("", text, count=1).strip()
    return BODY_START_LOOKALIKE.sub("", text, count=1).strip()


class _MarkersSeen:
    """The footnote markers in the lines read so far, kept up to date line by line: the
    lines' typed markers (`SrcLine.marks`), digits glued to a word and lookalike marks
    (`WILD_MARK`), each line searched once (searching the growing text at every candidate
    line made `infer_pages` quadratic).
    """

    def __init__(self) -> None:
        self.numbers: set[int] = set()
        self.wild = False

    def add(self, ln: SrcLine) -> None:
        text = ln.text
        self.numbers.update(ln.marks)
        for m in GLUED_MARK.finditer(text):
            number = int(m.group(1))
            if not is_unit(text, m.start(), number):
                self.numbers.add(number)
        self.wild = self.wild or WILD_MARK.search(text) is not None

    def any_for(self, number: int) -> bool:
        return number in self.numbers or self.wild


def infer_pages(pages: list[list[SrcLine]]) -> list[list[SrcLine]]:
    """Text without form feeds (legacy OCR dumps), or with some of them missing: a
    footnote block ends a page.

    A block opens on a line that starts with the next footnote number (or a lookalike of
    it, `_number_in_sequence`) and has a marker earlier in the text: after a blank line (a
    lookalike "!", "?" or "*" counts there), or anywhere when the number is followed by a
    capitalised word ("1 Theo ..."); it runs over continuation lines and the following
    numbers, and closes after a line that ends a sentence (".", not ";") when the next
    line is not the next footnote. Each page the form feeds gave (of INFER_MIN_LINES lines
    or more) is cut so, the footnote numbers running on from page to page. Linear in the
    text.
    """
    if not any(len(page) >= INFER_MIN_LINES for page in pages):
        return pages
    out: list[list[SrcLine]] = []
    expected = 1
    seen = _MarkersSeen()
    cut_any = False
    for lines in pages:
        current: list[SrcLine] = []
        i = 0
        while i < len(lines):
            ln = lines[i]
            n = _number_in_sequence(lines, i, expected)
            if n == expected and current and (
                    (ln.blank_before and seen.any_for(n))
                    or (_body_start(ln.text) and n in seen.numbers)):  # fmt: skip
                j, last = i + 1, n
                while j < len(lines) and j - i < 16:
                    if _ends_block(lines[j - 1], lines[j]):
                        break
                    if _next_body(lines[j - 1], lines[j], last + 1):
                        last += 1
                    elif ends_sentence(lines[j - 1].text):
                        break
                    j += 1
                expected = last + 1
                if len(lines) >= INFER_MIN_LINES and not all(
                    is_page_number(rest.text) for rest in lines[j:]
                ):
                    out.append(current + lines[i:j])  # text goes on: a page ends here
                    current = []
                    cut_any = True
                else:
                    current.extend(lines[i:j])  # the page's own bottom block
                i = j
                continue
            current.append(ln)
            seen.add(ln)
            i += 1
        if current:
            out.append(current)
    if not cut_any:
        return pages
    return [[replace(ln, page=number) for ln in page] for number, page in enumerate(out, start=1)]


def _body_start(text: str) -> bool:
    """ "1 Theo kế hoạch ...": a number, a space and a capitalised word, as a footnote body
    opens (a wrapped "... tại Điều / 1 và ..." goes on in lower case)."""
    m = _START.match(text)
    return (
        m is not None
        and m.group(1) is not None
        and bool(_START_ASCII_SPACE.match(text))
        and (text[m.end() :][:1].isupper())
    )


def split_footnotes(
    pages: list[list[SrcLine]], small_font: bool = False
) -> tuple[list[list[SrcLine]], list[dict]]:
    """Remove footnote blocks from page bottoms; return (pages, footnotes).

    Inside a block a line opening with number n starts a new body when n is the next one;
    with word boxes (OCR) up to MAX_LOST bodies may have been lost before it, if the line
    is a clear body start (see `_clear_start`). `expected` follows the highest number.
    """
    footnotes: list[dict] = []
    expected = 1
    before = ""  # body text seen so far, to look glued markers up
    marked: set[int] = set()  # the footnote markers on the body lines seen so far
    kept_pages = []
    for p, lines in enumerate(pages):
        next_page = pages[p + 1] if p + 1 < len(pages) else []
        cut = _find_block(lines, expected, before, next_page[0].text if next_page else None,
                          marked)  # fmt: skip
        if cut is None:
            kept_pages.append(lines)
            before += "\n" + "\n".join(ln.text for ln in lines)
            marked.update(n for ln in lines for n in ln.marks)
            continue
        lost_first = _lost_first_body(lines, cut, expected)
        if lost_first:
            cut -= 1
        body, block = lines[:cut], lines[cut:]
        end = _block_end(block)
        if end < len(block):
            restart = _restart(block, end)
            if restart is not None:  # the bodies sit under the closing: "Điều / 1 và ..."
                body, block = body + block[:restart], block[restart:]  # was body text
            else:
                body, block = body + block[end:], block[:end]
        before += "\n" + "\n".join(ln.text for ln in body)
        marked.update(n for ln in body for n in ln.marks)
        current: dict | None = None
        cur_lines: list[SrcLine] = []
        for k, ln in enumerate(block):
            if is_separator(ln.text):
                continue
            if current is None:
                n = expected if lost_first else _number_in_sequence(block, k, expected)
            elif _next_body(cur_lines[-1], ln, current["number"] + 1):
                n = current["number"] + 1
            else:
                n = _start_number(ln.text)
            if n is not None and (
                current is None
                or n == current["number"] + 1
                or (current["number"] + 1 < n <= current["number"] + 1 + MAX_LOST
                    and _clear_start(cur_lines[-1], ln))
            ):  # fmt: skip
                if current is not None:
                    current["prov"] = prov(cur_lines)
                    footnotes.append(current)
                text = _body_text(ln.text)
                current = {"number": n, "text": text, "page": ln.page}
                cur_lines = [ln]
            elif current is not None:
                current["text"] = join_lines(current["text"], ln.text)
                cur_lines.append(ln)
        if current is not None:
            current["prov"] = prov(cur_lines)
            footnotes.append(current)
            expected = max(expected, current["number"] + 1)
        kept_pages.append(body)
    return kept_pages, footnotes


def _marked(n: int, body_text: str, lines: list[SrcLine], marked: set[int] | None) -> bool:
    """The text so far carries a marker for footnote `n`: typed on a line before the page
    (`marked`), on the page's lines, or glued to a word."""
    return (
        n in (marked or ()) or any(n in ln.marks for ln in lines) or has_glued_marker(body_text, n)
    )


def _lost_first_body(lines: list[SrcLine], cut: int, expected: int) -> bool:
    """The line above the block found at `cut` is the block's first body, its raised
    number lost on a scan: the block opens with a raised number read as a mark ("? Không
    kể ..."), the line above it is set in the block's small type, opens a sentence and
    ends one, and the page's text carries markers for both (`expected` and the next); read
    alone, the mark would take the first body's number and its footnote the wrong text."""
    if cut < 1 or not BODY_START_LOOKALIKE.match(lines[cut].text):
        return False
    above, first = lines[cut - 1], lines[cut]
    if above.bbox is None or first.bbox is None or _start_number(above.text) is not None:
        return False
    if not (above.text[:1].isupper() and ends_terminal(above.text)):
        return False
    marks = {n for ln in lines[: cut - 1] for n in ln.marks}
    if not {expected, expected + 1} <= marks:
        return False
    # a body is missing: fewer open in the block than the page's text has markers for
    opened = sum(1 for ln in lines[cut:] if _start_number(ln.text) is not None
                 or BODY_START_LOOKALIKE.match(ln.text))  # fmt: skip
    if opened >= len({n for n in marks if n >= expected}):
        return False
    heights = sorted(box_of(ln).height for ln in lines[: cut - 1])
    if not heights:
        return False
    body_height = heights[len(heights) // 2]
    small = box_of(above).height < 0.9 * body_height
    return small and abs(box_of(above).height - box_of(first).height) <= 0.2 * box_of(first).height


def _ends_block(prev: SrcLine, ln: SrcLine) -> bool:
    """`ln` is no footnote line: the closing zone opens there ("Nơi nhận:", "TM.", "XÁC
    NHẬN ...", or an ALL-CAPS line after a blank one or after a finished sentence: a
    signature title row such as "TRƯỞNG BAN   HIỆU TRƯỞNG", as a body is sentence text)
    or the line before ended the text with "./."."""
    if (_start_number(ln.text) is None and is_upper_line(ln.text)
            and (ln.blank_before or ends_sentence(prev.text))):  # fmt: skip
        return True
    return is_closing_cue(ln.text) or (
        ends_with_end_mark(prev.text) and _start_number(ln.text) is None
    )


def _block_end(block: list[SrcLine]) -> int:
    """Length of the footnote block proper: it stops where the closing zone starts (those
    lines go back to the text, where the closing is found)."""
    for k in range(1, len(block)):
        if _ends_block(block[k - 1], block[k]):
            return k
    return len(block)


def _restart(block: list[SrcLine], end: int) -> int | None:
    """Where the block opens again under the closing zone with its first number: then the
    footnotes are at the page bottom below the closing, and the line taken for their start
    above it was body text (a wrapped "Điều" / "1 và ..."). None when it does not."""
    first = _start_number(block[0].text)
    for k in range(end + 1, len(block)):
        if _start_number(block[k].text) == first and not is_closing_cue(block[k].text):
            return k
    return None


def _clear_start(prev: SrcLine, ln: SrcLine) -> bool:
    """A footnote body start although its number skips some (OCR lost those bodies).

    Only with boxes: the line opens with "n word" (or a superscript) at the block's left
    edge, not indented past the previous line, and the previous line ended a sentence.
    """
    if ln.bbox is None or prev.bbox is None:
        return False
    if not (_START_ASCII_SPACE.match(ln.text) or starts_raised(ln.text)):
        return False
    height = max(1, box_of(ln).height)
    return box_of(ln).left <= box_of(prev).left + 0.5 * height and ends_terminal(prev.text)


def _find_block(
    lines: list[SrcLine],
    expected: int,
    before: str,
    next_page: str | None = None,
    marked: set[int] | None = None,
) -> int | None:
    """Index where the page's footnote block starts, or None.

    Evidence for a block opening with number n: a separator rule above it, a marker for n
    in the text so far (a typed one: `marked` before the page and the lines' `marks`; or
    digits glued to a word), or, for the next expected number (with boxes: up to MAX_LOST
    further, as OCR may have lost the first bodies), a lookalike mark, layout (`_layout`),
    or a sentence the block interrupts (`_interrupts`: its marker may be lost).
    """
    n_lines = len(lines)
    best = None
    best_first: int | None = None  # the number the block found so far opens with
    # that number was assumed for a lookalike ("? Theo ..."): a lookalike above it, given the
    # same number, is the block's earlier body ("' Cơn bão ...", then "? Theo ...")
    best_assumed = False
    boxes = bool(lines) and all(ln.bbox is not None for ln in lines)
    stats = _body_stats(lines) if boxes else None
    # the closing zone below a block is not the page's text: the block stands in the
    # bottom 70% of the lines above the closing
    above_closing = next((k for k, ln in enumerate(lines) if is_closing_cue(ln.text)), n_lines)
    for i in range(n_lines - 1, max(-1, n_lines - 1 - MAX_BLOCK), -1):
        first = _number_in_sequence(lines, i, expected)
        if first is None:
            continue
        if i < min(n_lines, above_closing) * 0.3 and min(n_lines, above_closing) > 6:
            break  # never more than the bottom 70% of a page
        if first < expected and not _restarts(lines[i].text, first):
            continue  # that body was read already: a wrapped "5 năm ..." in a paragraph
        if best_first is not None and first > best_first:
            continue  # numbers rise down a block: "3 hằng năm." above body 1 is text
        assumed = _start_number(lines[i].text) is None  # a lookalike given the number due
        page_text = "\n".join(ln.text for ln in lines[:i])
        body_text = before + "\n" + page_text
        marker = _marked(first, body_text, lines[:i], marked)
        if first == best_first and not (best_assumed and (assumed or (
            marker and _marked(first + 1, body_text, lines[:i], marked)
        ))):  # fmt: skip
            # the same number again above is text too; but a body below given the number
            # due for its lookalike mark ("? Danh sách ...") is the next one when the line
            # above prints that number ("1 Kế hoạch số ...") and the text marks both
            # ("tỉnh¹", "điểm²"): a wrapped "1 ổ dịch mới ..." is text
            continue
        sep = i > 0 and is_separator(lines[i - 1].text)
        nextish = first == expected or (boxes and expected < first <= expected + MAX_LOST)
        lookalike = first == expected and WILD_MARK.search(page_text)
        if sep or marker or lookalike:
            best, best_first, best_assumed = (i - 1 if sep else i), first, assumed
        elif first == expected and (_gap_above(lines, i) or _interrupts(lines, i, next_page)):
            best, best_first, best_assumed = i, first, assumed
        elif nextish and stats is not None and _layout(lines, i, stats):
            best, best_first, best_assumed = i, first, assumed
    return best


def _interrupts(lines: list[SrcLine], i: int, next_page: str | None) -> bool:
    """lines[i:] sit between a sentence cut at the page's last body line and its lower-case
    continuation on the next page: what stands there is the page's footnote block."""
    if i == 0 or next_page is None or ends_terminal(lines[i - 1].text):
        return False
    if not _body_start(lines[i].text) and not BODY_START_LOOKALIKE.match(lines[i].text):
        return False
    head = next_page.strip()[:1]
    return head.isalpha() and head.islower()


def _restarts(text: str, first: int) -> bool:
    """Footnotes numbered again from 1 on a new page: a clear body start "1 Theo ..."
    (or a raised ¹)."""
    return first == 1 and (starts_raised(text) or _body_start(text))


def _body_stats(lines: list[SrcLine]) -> tuple[float, float, float] | None:
    """(median line height, median pitch, median white gap) of the page's lines."""
    heights = [box_of(ln).height for ln in lines]
    pitches, gaps = [], []
    for a, b in zip(lines, lines[1:], strict=False):
        pitch = box_of(b).top - box_of(a).top
        if 0 < pitch < 2.5 * box_of(a).height:  # same column, next line
            pitches.append(pitch)
            gaps.append(max(0, box_of(b).top - box_of(a).bottom))
    if len(heights) < 6 or len(pitches) < 4:
        return None
    return statistics.median(heights), statistics.median(pitches), statistics.median(gaps)


def _layout(lines: list[SrcLine], i: int, stats: tuple[float, float, float]) -> bool:
    """Layout evidence (boxes only) that lines[i:] are a footnote block at the page bottom.

    Footnotes are set smaller and tighter than the body text: the block's lines are lower
    or closer together than the page's typical line, or a clearly larger white gap than
    usual separates the block from the text above. Compared with the page's medians, not
    only with the line above (which may be a bold signature name or a heading).
    """
    height, pitch, gap = stats
    block = lines[i:]
    if i == 0:
        return False
    b_height = statistics.median(box_of(ln).height for ln in block)
    b_pitches = [box_of(b).top - box_of(a).top for a, b in zip(block, block[1:], strict=False)]
    if any(p <= 0 for p in b_pitches):
        return False  # not one column of lines going down
    smaller = b_height < 0.85 * height
    tighter = bool(b_pitches) and statistics.median(b_pitches) < 0.85 * pitch
    white = box_of(block[0]).top - box_of(lines[i - 1]).bottom
    apart = white > max(2.5 * gap, 0.8 * height)
    return smaller or tighter or apart


def _gap_above(lines: list[SrcLine], i: int) -> bool:
    """Layout evidence for a footnote without a marker: smaller type or a gap above."""
    ln = lines[i]
    if ln.bbox is not None and i > 0 and lines[i - 1].bbox is not None:
        h = box_of(ln).height
        ph = box_of(lines[i - 1]).height
        return h < 0.85 * ph
    return False


def markers_by_page(
    text: str,
    lines: list[SrcLine],
    known: set[int],
    linked: set[int],
    by_page: dict[int, set[int]],
    claimed: set[int] | None = None,
    guessed: set[int] | None = None,
) -> tuple[str, list[int]]:
    """`extract_markers` on a node's text, each stretch with the footnotes of its own page.

    A paragraph may run from one page to the next: a mark in its second page's part cites
    a body at the bottom of that page, not one of the page before (whose markers all
    stand above it). `lines` are the node's lines, whose text `text` joins.
    """
    refs: list[int] = []
    out = []
    for start, end, page in _page_stretches(text, lines):
        part, found = extract_markers(text[start:end], known, linked | set(refs),
                                      by_page.get(page, set()), claimed, guessed,
                                      passed_footnotes(by_page, page))  # fmt: skip
        out.append(part)
        refs += found
    return "".join(out), refs


def _page_stretches(text: str, lines: list[SrcLine]) -> list[tuple[int, int, int]]:
    """(start, end, page) of the stretches of `text` that come from each page's lines,
    found by the first words of the line where the page changes; one stretch when they
    cannot be found (a word joined across the break) or without lines."""
    if not lines:
        return [(0, len(text), 0)]
    cuts = [(0, lines[0].page)]
    for prev, ln in zip(lines, lines[1:], strict=False):
        if ln.page == prev.page:
            continue
        head = " ".join(ln.text.split()[:2])
        at = text.find(head, cuts[-1][0] + 1) if head else -1
        if at > 0 and text[at - 1] == " ":
            cuts.append((at, ln.page))
    ends = [c[0] for c in cuts[1:]] + [len(text)]
    return [(start, end, page) for (start, page), end in zip(cuts, ends, strict=True)]


def passed_footnotes(by_page: dict[int, set[int]], page: int) -> set[int]:
    """The footnotes whose bodies sit on pages before `page`: a marker stands on or above
    its body's page, so no mark on `page` is theirs (old OCR reads "phủ" as "pht1")."""
    return {n for p, numbers in by_page.items() if p < page for n in numbers}


def claimed_markers(lines: list[SrcLine], body_page: dict[int, int]) -> set[int]:
    """Footnotes with a (typed) marker on a body line at or above their body's page."""
    return {n for ln in lines for n in ln.marks if n in body_page and ln.page <= body_page[n]}


def extract_markers(
    text: str,
    known: set[int],
    linked: set[int],
    nearby: set[int] | None = None,
    claimed: set[int] | None = None,
    guessed: set[int] | None = None,
    passed: set[int] | None = None,
) -> tuple[str, list[int]]:
    """Remove footnote markers for `known` numbers from text; return (text, numbers).

    `nearby` are the footnotes whose bodies sit on the node's pages: OCR often reads a
    superscript as "!", "?", "*" or "'" glued to the word before punctuation ("minh!.");
    such a mark is taken as the next unlinked nearby footnote above every footnote linked
    so far (markers run in reading order), except that a "!" / "?" naming a footnote whose
    body OCR lost ("?" for ² with no body 2) is left alone. Numbers in `claimed` (a
    superscript for them stands elsewhere in the body) are not guessed; the numbers taken
    from such marks after letters (perhaps punctuation, not a marker) are added to
    `guessed` (weak links the caller may re-place), nor read from a flat digit glued to
    a word ("gia đình3;"). Numbers in `passed` (bodies on earlier
    pages, `passed_footnotes`) are not linked from this text.
    """
    known = known - (passed or set())
    text, refs = take_written(text, known.__contains__)  # the printed markers
    written = set(refs)

    def glued(m: re.Match) -> str:
        # a flat digit glued to a word is a weaker reading than a raised one: a number
        # printed raised elsewhere (`claimed`) is that marker's, not this digit's
        n = int(m.group(1))
        if n in (claimed or ()) and n not in written:
            return m.group(0)
        if n in known and n not in linked and n not in refs and not is_unit(text, m.start(), n):
            refs.append(n)
            return ""
        return m.group(0)

    text = GLUED_MARK.sub(glued, text)
    if nearby:
        text = _unreadable_marks(text, nearby, linked, refs, claimed or set())

        def wild(m: re.Match) -> str:
            # markers run in reading order: a mark after ³ is not ¹ even if ¹ is unlinked
            floor = max(linked | set(refs), default=0)
            free = sorted(n for n in nearby if n not in linked and n not in refs and n > floor
                          and n not in (claimed or ()))  # fmt: skip
            if m.group(1) and is_unit(text, m.start()):
                return m.group(0)  # "km?,": the unit's exponent
            guess = DIGIT_SHAPES.get(m.group(1) or m.group(2))
            # after letters the mark may be punctuation: a weak link; after a digit it
            # is a marker for sure ("2026?": no sentence ends so)
            weak = guessed if guessed is not None and m.group(1) else set()
            if guess in free:  # "!" looks like ¹, "?" like ²
                refs.append(guess)
                weak.add(guess)
                return ""
            if guess is not None and guess not in known and guess not in linked and (
                    not free or guess < free[0]):  # fmt: skip
                return m.group(0)  # "?" for ² whose body OCR lost: not the marker of ³
            if not free or (refs and free[0] < max(refs)):
                return m.group(0)
            refs.append(free[0])
            weak.add(free[0])
            return ""

        text = WILD_MARK.sub(wild, text)
    return text, refs


# a two-digit marker read as two lookalike marks ("Đông!°./." for Đông¹⁰./.): "!" is 1,
# "?" is 2, "°" is 0, and a "?" second is 2 or a ⁰ that lost its bottom ("ha!?;" for
# ha¹⁰;), a "9" second is 9 or a ⁰ read closed ("số 3!9./." for số 3¹⁰./.: after a
# figure too, where no sentence mark stands), whichever body is there
# (`_PAIR_SECOND_READINGS`); and a marker read as a digit
# and a symbol after a closing quote ("... học”3$;" for ⁸), or as a lone digit there that
# the glued-digit rule left ('... học"8' for ⁶, with ⁸ printed further on): no word ends
# so
_MARK_PAIR = re.compile(r"(?:(?<=[^\W\d_]{2})|(?<=\d))([!?][!?°9])(?=[.,;:]|$)")
_PAIR_READINGS = {"!": "1", "?": "2", "°": "0"}
_PAIR_SECOND_READINGS = {"!": "1", "?": "20", "°": "0", "9": "90"}
_QUOTE_JUNK = re.compile(r"(?<=[^\W\d_][”\"’])(\d[$§&#@^~]|[$§&#@^~]\d|\d{1,2})(?=[\s.,;:]|$)")


def _unreadable_marks(
    text: str, nearby: set[int], linked: set[int], refs: list[int], claimed: set[int]
) -> str:
    """Markers OCR read as marks no rule reads as a number (`_MARK_PAIR`, `_QUOTE_JUNK`)
    taken out of `text`, their numbers added to `refs`: a pair of lookalikes is the number
    its shapes spell when that body sits on the node's pages (`nearby`) and is neither
    linked yet nor claimed by a marker read elsewhere (`claimed`); a digit and a symbol
    after a closing quote is the next footnote there in reading order (above every
    footnote linked before this text)."""

    def pair(m: re.Match) -> str:
        first, second = m.group(1)
        for digit in _PAIR_SECOND_READINGS[second]:
            n = int(_PAIR_READINGS[first] + digit)
            if n in nearby and n not in linked and n not in refs and n not in claimed:
                refs.append(n)
                return ""
        return m.group(0)

    def junk(m: re.Match) -> str:
        floor = max(linked, default=0)
        free = sorted(n for n in nearby if n > floor and n not in linked and n not in refs
                      and n not in claimed)  # fmt: skip
        if not free:
            return m.group(0)
        refs.append(free[0])
        return ""

    return _QUOTE_JUNK.sub(junk, _MARK_PAIR.sub(pair, text))


LINK_RUN_WORDS = 4  # words a footnote body shares, in a row, with the text it explains
LINK_RUN_RARITY = 2.5  # the run's words' rarity summed (link_by_wording)
_WORD = re.compile(r"[^\W_]+")


def link_by_wording(body: list[dict], footnotes: list[dict], linked: set[int]) -> None:
    """A footnote whose marker was lost (old OCR read "Ninh³" as "th3" and restoration
    made it a word) is linked from the text its body explains: the one node, between the
    nodes holding the markers before and after it and on or above its body's page, that
    shares with the body the most telling run of words (accents and case folded): at least
    LINK_RUN_WORDS long, and its words' rarity in the document at least LINK_RUN_RARITY (a
    word's rarity: log(nodes / nodes holding it) over log(nodes), 1 for a word of one node
    only), so a stock phrase the document repeats ("ủy ban nhân dân xã") links nothing. A
    tie links nothing. Changes `body` nodes' `footnote_refs` and `linked`."""
    nodes = [n for n in _in_order(body) if n.get("text") or n.get("title")]
    texts = [_words(n.get("text") or n.get("title") or "") for n in nodes]
    spread: dict[str, int] = {}
    for words in texts:
        for w in set(words):
            spread[w] = spread.get(w, 0) + 1
    scale = math.log(len(nodes) + 1)
    rarity = {w: math.log((len(nodes) + 1) / n) / scale for w, n in spread.items()}
    for fn in footnotes:
        number = fn["number"]
        if number in linked:
            continue
        before = [
            k for k, n in enumerate(nodes) if any(r < number for r in n.get("footnote_refs", []))
        ]
        after = [
            k for k, n in enumerate(nodes) if any(r > number for r in n.get("footnote_refs", []))
        ]
        lo = before[-1] if before else 0
        hi = after[0] if after else len(nodes) - 1
        words = _words(fn["text"])
        scored = sorted(
            (_common_run(words, texts[k], rarity), k)
            for k in range(lo, hi + 1)
            if nodes[k].get("page", 0) <= fn["page"]
        )[::-1]
        if not scored:
            continue
        (best, length), k = scored[0]
        if length < LINK_RUN_WORDS or best < LINK_RUN_RARITY:
            continue
        if len(scored) > 1 and scored[1][0][0] >= best:
            continue  # another node shares as telling a run: no telling which
        node = nodes[k]
        node["footnote_refs"] = sorted([*node.get("footnote_refs", []), number])
        linked.add(number)


def link_by_order(body: list[dict], footnotes: list[dict], linked: set[int]) -> None:
    """A footnote whose marker stood on a line OCR lost ("... vào lớp" / [1⁵.] unread) is
    linked from the one text the sequence leaves for it: its neighbours n-1 and n+1 are
    linked from two different nodes, and between them stands exactly one paragraph or
    list item (headings aside), with no marker of its own and cut off unfinished (no mark
    ends it: its last line is what OCR lost), on or above the body's page. Changes `body`
    nodes' `footnote_refs` and `linked`."""
    nodes = [n for n in _in_order(body) if n.get("text") or n.get("title")]
    holder = {r: k for k, n in enumerate(nodes) for r in n.get("footnote_refs", [])}
    for fn in footnotes:
        number = fn["number"]
        if number in linked or number - 1 not in holder or number + 1 not in holder:
            continue
        lo, hi = holder[number - 1], holder[number + 1]
        between = [k for k in range(lo + 1, hi) if nodes[k]["kind"] != "section"]
        if lo >= hi or len(between) != 1:
            continue
        node = nodes[between[0]]
        if node.get("footnote_refs") or ends_terminal(node["text"]):
            continue
        if node.get("page", 0) > fn["page"]:
            continue
        node["footnote_refs"] = [number]
        linked.add(number)
        holder[number] = between[0]


def _in_order(nodes: list[dict]):
    for n in nodes:
        yield n
        if n["kind"] == "section":
            yield from _in_order(n["children"])


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _common_run(a: list[str], b: list[str], rarity: dict[str, float]) -> tuple[float, int]:
    """(rarity, length) of the run of words `a` and `b` share whose words' rarity adds up
    most."""
    best = (0.0, 0)
    prev = [(0.0, 0)] * (len(b) + 1)
    for x in a:
        cur = [(0.0, 0)] * (len(b) + 1)
        for j, y in enumerate(b, start=1):
            if x == y:
                r, n = prev[j - 1]
                cur[j] = (r + rarity.get(x, 0.0), n + 1)
                best = max(best, cur[j])
        prev = cur
    return best
