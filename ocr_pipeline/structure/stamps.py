"""Stamps the OCR reads into a document's text: an electronic signature's box and a
"received" stamp, taken off the pages as furniture (they are no part of the document).

A document signed electronically and printed carries its signature box's text where the
stamp stands ("Ký bởi: Sở Tài chính" / "Email: ..." / "Cơ quan: ..." / "Thời gian ký:
12.03.2025 16:20:11 +07:00"); a paper received by an office carries its "ĐẾN" stamp ("CÔNG
VĂN ĐẾN" / "Số: 1450" / "Ngày: 14/3/2025" / "Chuyển: P.KT"), often in the header's margin.
Left in, the first became a recipient or the signer's title and the second the subject's
tail. A stamp is a run of lines each opening with one of its field names, with a field
only a stamp has ("Ký bởi", "Thời gian ký"; "ĐẾN" or "CÔNG VĂN ĐẾN" opening the run); a
stamp's fields glued after a line's own text ("... Tân Lạc, ngày 12/3/2025 Ký bởi: ...")
are cut off that line.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ocr_pipeline.model import BBox
from ocr_pipeline.structure.document import SrcLine, prov
from ocr_pipeline.structure.text import is_name_line

# an e-signature box's fields; the first group only a signature box has, with the value
# it prints ("Thời gian ký: 12.03.2025 ..."; a form or a contract's party block writes
# "Người ký:", "Ngày ký:", "Chức vụ:", and a sentence "Thời gian ký: dự kiến tháng 6")
_SIGNED = (r"(?:Ký\s+bởi\s*:|(?:Thời\s+gian\s+ký|Ký\s+ngày|Signing\s+time)\s*:\s*(?:\d|$)"
           r"|Signed\s+by\s*:)")  # fmt: skip
_SIGN_FIELD = (r"(?:Ký\s+bởi|Thời\s+gian\s+ký|Ký\s+ngày|Signed\s+by|Signing\s+time|Người\s+ký"
               r"|Ngày\s+ký|E-?mail|Cơ\s+quan|Chức\s+vụ|Tổ\s+chức)")  # fmt: skip
_SIGN_LINE = re.compile(rf"^\s*{_SIGN_FIELD}\s*:", re.IGNORECASE)
_SIGNED_LINE = re.compile(rf"^\s*{_SIGNED}", re.IGNORECASE)
# what a narrow box wraps onto lines of their own: the signing time's end ("+07:00",
# "16:20:11 +07:00", "12.03.2025 16:20:11")
_TIME_PART = re.compile(
    r"^\s*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\s*)?(?:\d{1,2}:\d{2}(?::\d{2})?\s*)?"
    r"(?:[+-]\d{2}:?\d{2})?\s*$"
)
# the box beside a line's own text, read on the same line: its signed field as the box
# prints it ("... Nguyễn Văn Bình Thời gian ký: 12.03.2025 ...")
_SIGNED_TAIL = re.compile(rf"\s+(?={_SIGNED})")

# a received stamp: its opening line, then its fields
_RECEIVED_OPEN = re.compile(
    r"^\s*(?:(?:CÔNG\s+VĂN|VĂN\s+BẢN)\s+)?ĐẾN\s*(?:(?:Số|Ngày)\s*:?\s*\d+\b.*)?$"
)
_RECEIVED_FIELD = re.compile(
    r"^\s*(?:Số\s*(?:đến)?\s*:?\s*\d+\b(?:\s+(?:Ngày|Giờ)\s*:.*)?\s*$|Ngày\s*(?:đến)?\s*:"
    r"|Giờ\s*:|Chuyển\s*:|Người\s+nhận\s*:|Lưu\s+hồ\s+sơ\s+số\s*:)",
    re.IGNORECASE,
)
# its fields glued after a header line's text: "... 2024 ĐẾN Số: 1450 Ngày: 14/3/2025"
_RECEIVED_TAIL = re.compile(r"\s+(?=(?:CÔNG\s+VĂN\s+)?ĐẾN\s+Số\s*:?\s*\d+\b)")

SIGNATURE_STAMP = "signature_stamp"
RECEIVED_STAMP = "received_stamp"


def _box_end(lines: list[SrcLine], j: int, kind: str) -> int:
    """Where a stamp's lines from `j` end: its fields, and for a signature box the time
    parts and a wrapped value ("tỉnh Tân Lạc") between two of its fields."""
    field = _SIGN_LINE if kind == SIGNATURE_STAMP else _RECEIVED_FIELD
    while j < len(lines):
        text = lines[j].text
        if field.match(text) or (kind == SIGNATURE_STAMP and text.strip()
                                 and _TIME_PART.match(text)):  # fmt: skip
            j += 1
        elif (kind == SIGNATURE_STAMP and j + 1 < len(lines) and len(text.split()) <= 4
              and not is_name_line(text) and field.match(lines[j + 1].text)):  # fmt: skip
            j += 2  # a value wrapped onto its own line, a field under it
        else:
            break
    return j


def _run(lines: list[SrcLine], i: int) -> tuple[int, str] | None:
    """The end (exclusive) and kind of a stamp starting at line `i`, or None."""
    text = lines[i].text
    if _RECEIVED_OPEN.match(text):
        j = _box_end(lines, i + 1, RECEIVED_STAMP)
        # a bare "ĐẾN" is a stamp only with its fields under it
        return (j, RECEIVED_STAMP) if j > i + 1 or re.search(r"\d", text) else None
    if not _SIGN_LINE.match(text):
        return None
    j = _box_end(lines, i, SIGNATURE_STAMP)
    if any(_SIGNED_LINE.match(lines[k].text) for k in range(i, j)):
        return j, SIGNATURE_STAMP
    return None


def _union(words: list[tuple[str, BBox]], default: BBox | None) -> BBox | None:
    if not words:
        return default
    boxes = [box for _w, box in words]
    return BBox(min(b.left for b in boxes), min(b.top for b in boxes),
                max(b.right for b in boxes), max(b.bottom for b in boxes))  # fmt: skip


def _cut_tail(ln: SrcLine) -> tuple[SrcLine, SrcLine | None, str | None]:
    """`ln` without a stamp's fields glued after its own text, the stamp's part of the
    line (its word boxes split between them), and the stamp's kind."""
    for pattern, kind in ((_SIGNED_TAIL, SIGNATURE_STAMP), (_RECEIVED_TAIL, RECEIVED_STAMP)):
        m = pattern.search(ln.text)
        if m and m.start() > 0:
            kept = ln.text[: m.start()]
            n = len(kept.split())
            words, tail_words = ln.words[:n], ln.words[n:]
            cut = replace(ln, text=kept, words=words, bbox=_union(words, ln.bbox),
                          confidences=ln.confidences[:n])  # fmt: skip
            tail = replace(ln, text=ln.text[m.end() :], words=tail_words,
                           bbox=_union(tail_words, ln.bbox),
                           confidences=ln.confidences[n:])  # fmt: skip
            return cut, tail, kind
    return ln, None, None


def split_stamps(pages: list[list[SrcLine]]) -> tuple[list[list[SrcLine]], list[dict]]:
    """`pages` without the stamps read into them, and the stamps as furniture entries
    (kind `SIGNATURE_STAMP` or `RECEIVED_STAMP`, the stamp's lines joined by newlines)."""
    found: list[dict] = []
    kept_pages = []
    for lines in pages:
        kept: list[SrcLine] = []
        i = 0
        while i < len(lines):
            run = _run(lines, i)
            if run is not None:
                end, kind = run
                block = lines[i:end]
                found.append({"kind": kind, "text": "\n".join(ln.text.strip() for ln in block),
                              "page": block[0].page, "prov": prov(block)})  # fmt: skip
                i = end
                continue
            ln, tail, tail_kind = _cut_tail(lines[i])
            if tail is not None and tail_kind is not None:
                end = _box_end(lines, i + 1, tail_kind)
                block = [tail, *lines[i + 1 : end]]
                found.append({"kind": tail_kind, "text": "\n".join(b.text.strip() for b in block),
                              "page": ln.page, "prov": prov(block)})  # fmt: skip
                kept.append(ln)
                i = end
                continue
            kept.append(ln)
            i += 1
        kept_pages.append(kept)
    return kept_pages, found


__all__ = ["RECEIVED_STAMP", "SIGNATURE_STAMP", "split_stamps"]
