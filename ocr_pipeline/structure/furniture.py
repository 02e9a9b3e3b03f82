"""Page furniture: page numbers, running headers/footers and a printed form's code ("Mẫu
số 01" over the first page's header), removed from the body.

A page number is a lone number line ("3", "- 3 -", "Trang 3", "3/14") as the first or
last line of a page. A running header/footer is a top/bottom line repeated (digits
ignored) on at least half of the pages, two at least. In plain text a page number also
stands between two lines of one page when the text has no form feeds: a "- 3 -" line, or
a lone number inside a sentence (the line above unfinished, the one below in lower case),
or the next page's number between a finished line and a new block (or before a heading
label), the numbers rising through the text; the page is cut there (the form feed it lost).
"Trang 3/14" is one too, and in a text without form feeds a bare "Trang 3" after a
finished line or inside a sentence (a footer with the page's own number ends that page).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import replace

from ocr_pipeline.structure.document import SrcLine, prov
from ocr_pipeline.structure.text import (
    TABLE_ROW_NUMBER,
    ends_terminal,
    fold,
    starts_lower,
    starts_upper,
)

# a printed form's code ("Mẫu số 01", "MẪU 02A-HD KĐ, ĐG", "Mẫu số 01/TK-SDDPNN"), folded
FORM_CODE = re.compile(r"^MAU\s*(?:SO\s*)?:?\s*\d{1,3}[\w/.,\- ]{0,24}$")
FORM_CODE_LINES = 3  # the first page's lines a form's code is looked for in
_DASHED_PAGE_NO = re.compile(r"^[-–—]{1,2}\s*\d{1,3}\s*[-–—]{1,2}$")  # "- 2 -", "-- 2 --"
# "Trang 3", "Trang 3/14": a page number printed with its word (`_inner_page_numbers`)
_NAMED_PAGE_NO = re.compile(r"^\s*[Tt]rang\s*\d{1,3}\s*(?:/\s*(\d{1,3}))?\s*$")
_FOOTER_UNDER = 3  # lines under a footer's "Trang 1/2" for another page to begin there
_CONTENTS_GAP = 2  # "Trang n" lines this close together are a table of contents' entries
_FOOTER = "footer"  # `_inner_page_numbers`: a page number closing its page
_LABEL_START = re.compile(r"^(\d{1,2}(\.\d{1,2})*[.)]|[a-zđ]\)|[IVX]{1,5}\.)\s")
_PAGE_NO = re.compile(
    r"^(?:[-–—]{1,2}|[(\[])?\s*(?:[Tt]rang\s*)?(\d{1,3})\s*(?:/\s*\d{1,3})?\s*(?:[-–—]{1,2}|[)\]])?$"
)


def is_page_number(text: str) -> bool:
    """A printed page number alone on its line ("3", "- 3 -", "Trang 3", "3/5")."""
    return _PAGE_NO.match(text.strip()) is not None


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def split_furniture(pages: list[list[SrcLine]]) -> tuple[list[list[SrcLine]], list[dict]]:
    furniture: list[dict] = []
    n_pages = len(pages)
    edge_counts: Counter[str] = Counter()
    for lines in pages:
        keys = {_key(ln.text) for ln in lines[:1] + lines[-1:] if not _PAGE_NO.match(ln.text)}
        edge_counts.update(keys)
    repeated = {k for k, c in edge_counts.items() if c >= 2 and c >= n_pages / 2 and len(k) > 3}
    kept_pages = []
    added = 0  # pages found inside plain-text pages so far (lost form feeds)
    for lines in pages:
        drop: dict[int, str] = {}
        for pos in (0, len(lines) - 1):
            if not lines or pos in drop:
                continue
            ln = lines[pos]
            m = _PAGE_NO.match(ln.text)
            if m and 0 < int(m.group(1)) <= 2 * n_pages + 5 and (n_pages > 1 or len(lines) > 3):
                drop[pos] = "page_number"
            elif _key(ln.text) in repeated:
                drop[pos] = "page_header" if pos == 0 else "page_footer"
        if lines is pages[0]:
            # a printed form's code over the first page's header ("Mẫu số 01", "Mẫu
            # 02A-HD KĐ, ĐG"): the form's, no issuer's
            for pos in range(min(FORM_CODE_LINES, len(lines))):
                if pos not in drop and FORM_CODE.match(fold(lines[pos].text.strip())):
                    drop[pos] = "form_code"
        # a page number under a running header (or above a footer)
        for pos in (1, len(lines) - 2):
            if 0 <= pos < len(lines) and pos not in drop and _PAGE_NO.match(lines[pos].text):
                if (pos == 1 and 0 in drop) or (pos == len(lines) - 2 and len(lines) - 1 in drop):
                    drop[pos] = "page_number"
        cuts: list[int] = []
        if lines and lines[0].bbox is None:
            inner = _inner_page_numbers(lines, drop, named=n_pages == 1)
            # a page number inside a plain-text page is a page break that lost its form
            # feed: the number and the text under it are the next page's, or the text
            # under a footer's "Trang 2/5" on page 2 is the next page's
            cuts = sorted(pos + 1 if kind == _FOOTER else pos for pos, kind in inner.items())
            inner = {pos: "page_number" for pos in inner}
            drop.update(inner)
        if cuts or added:
            lines = [replace(ln, page=ln.page + added + bisect_right(cuts, i))
                     for i, ln in enumerate(lines)]  # fmt: skip
        added += len(cuts)
        for pos in sorted(drop):
            ln = lines[pos]
            furniture.append(
                {"kind": drop[pos], "text": ln.text, "page": ln.page, "prov": prov([ln])}
            )
        bounds = [0, *cuts, len(lines)]
        for start, end in zip(bounds, bounds[1:], strict=False):
            kept_pages.append([lines[i] for i in range(start, end) if i not in drop])
    return kept_pages, furniture


def _inner_page_numbers(
    lines: list[SrcLine], drop: dict[int, str], named: bool = True
) -> dict[int, str]:
    """Page numbers between two lines of a plain-text page (a page break lost its form
    feed): "- 3 -", "Trang 3/5", or a lone number that interrupts a sentence; numbers
    rise. With `named` (a text that has no form feeds at all), a bare "Trang 3" after a
    finished line or inside a sentence too; a table of contents' "Trang 5" lines are
    none."""
    found: dict[int, str] = {}
    last = 0
    named_at = [k for k, ln in enumerate(lines) if _NAMED_PAGE_NO.match(ln.text)]
    contents = {k for k in named_at if any(0 < abs(k - o) <= _CONTENTS_GAP for o in named_at)}
    for pos in range(1, len(lines) - 1):
        if pos in drop or pos in contents or not (m := _PAGE_NO.match(lines[pos].text)):
            continue
        n = int(m.group(1))
        mid_sentence = (not ends_terminal(lines[pos - 1].text)
                        and starts_lower(lines[pos + 1].text))  # fmt: skip
        # between two finished blocks (a footnote body or a paragraph, then a heading or a
        # new paragraph) only the next page's number: a numbered row of a table
        # ("1" / "Nguyễn Văn A" / "2") never follows a finished sentence
        # (or before a heading label, whatever ends the line above it: a typed table's
        # last row, "Gò Dưa 288 3 Thứ Bảy", then "2", then "3. Truyền thông.")
        between_blocks = n == max(last, 1) + 1 and (
            (lines[pos - 1].text.endswith(".") and starts_upper_or_label(lines[pos + 1].text))
            or (
                _LABEL_START.match(lines[pos + 1].text) is not None
                and not lines[pos - 1].text.rstrip().endswith(":")  # "… gồm:" / "2" / "a)"
            )
        )
        # between a typed table's rows "3 Hứa Thị Lan ..." and "4 Vũ Văn Tảo ...": the
        # rows number on around it
        rows = [TABLE_ROW_NUMBER.match(lines[p].text) for p in (pos - 1, pos + 1)]
        between_rows = (n == max(last, 1) + 1 and rows[0] is not None and rows[1] is not None
                        and int(rows[1].group(1)) == int(rows[0].group(1)) + 1)  # fmt: skip
        # "Trang 2/5" (its total printed) is a page number in any text; a bare "Trang 2"
        # only in a text without form feeds, after a finished line or inside a sentence,
        # and not among a table of contents' entries
        nm = _NAMED_PAGE_NO.match(lines[pos].text)
        is_named = nm is not None and (
            nm.group(1) is not None
            or (named and (mid_sentence or ends_terminal(lines[pos - 1].text)))
        )
        footer = (
            is_named
            and n == max(last, lines[0].page - 1) + 1
            and sum(1 for ln in lines[pos + 1 :] if ln.text.strip()) >= _FOOTER_UNDER
        )
        if footer:
            found[pos] = _FOOTER  # "Trang 2/5" under page 2's text
            last = n
        elif n > max(last, 1) and (
            _DASHED_PAGE_NO.match(lines[pos].text) or is_named
            or mid_sentence or between_blocks or between_rows
        ):  # fmt: skip
            found[pos] = "page_number"
            last = n
    return found


def starts_upper_or_label(text: str) -> bool:
    """The line opens a block: an upper-case letter or a heading label ("4. ", "b) ")."""
    return starts_upper(text) or bool(_LABEL_START.match(text))
