"""A copy's certification after the document: "SAO Y", "SAO LỤC", "TRÍCH SAO" (NĐ
30/2020, Phụ lục I, mẫu 3.x): the copying office's name, the copy's number, place and date,
its own "Nơi nhận:" and signer, typed (or stamped) under the original's signature.

Read as part of the original it made the original's signer's title run on through
"SAO Y BẢN CHÍNH" and the copying office, took the copy's signer for the document's, and
added the copy's recipients to the document's. Here the block is cut off the end of the
body lines (`split_copies`) and read on its own (`parse_copy`): the document's closing is
then read without it. The marker opens the block or stands after the copying office's
name on its line (two header columns merged: "UBND XÃ ĐỒNG TÂM SAO Y BẢN CHÍNH").
"""

from __future__ import annotations

import re

from ocr_pipeline.structure.closing import find_closing, parse_closing
from ocr_pipeline.structure.document import SrcLine, prov
from ocr_pipeline.structure.header import number_and_end, place_and_date
from ocr_pipeline.structure.text import is_upper_line

_MARK = re.compile(r"(?:^|(?<=\s))(SAO\s+Y(?:\s+BẢN\s+CHÍNH)?|SAO\s+LỤC|TRÍCH\s+SAO|BẢN\s+SAO)\s*$")
_NOI_NHAN = re.compile(r"^\s*Nơi\s+nhận\s*:", re.IGNORECASE)


def copy_start(lines: list[SrcLine]) -> int | None:
    """Where a copy's certification begins in `lines` (the body and closing lines), or
    None: the last line whose capitals end with a copy's marker, under the document's
    own closing (`find_closing` finds one before it); a capitals line of the copying
    office right before a marker alone on its line belongs to the block."""
    for i in range(len(lines) - 1, 0, -1):
        text = lines[i].text.strip()
        if not is_upper_line(text) or not _MARK.search(text):
            continue
        start = i - 1 if _MARK.match(text) and _office_line(lines[i - 1].text) else i
        return start if find_closing(lines[:start]) is not None else None
    return None


def _office_line(text: str) -> bool:
    """An office's name in capitals, not a signer's title or a note in brackets."""
    t = text.strip()
    return (is_upper_line(t) and not re.search(r"\d|[()]", t)
            and not re.match(r"(?:KT|TM|TL|TUQ|Q)\s*[./]", t))  # fmt: skip


def split_copies(lines: list[SrcLine]) -> tuple[list[SrcLine], list[SrcLine]]:
    """(the lines before a copy's certification, the certification's lines)."""
    start = copy_start(lines)
    if start is None:
        return lines, []
    return lines[:start], lines[start:]


def parse_copy(block: list[SrcLine]) -> dict:
    """The copy's certification as {kind, issuer, number, place, date, recipients,
    signature, page, prov}."""
    issuer: list[str] = []
    kind = None
    number = place = date = None
    rest = list(block)
    while rest and not _NOI_NHAN.match(rest[0].text):
        ln = rest.pop(0)
        text = ln.text.strip()
        if kind is None and (m := _MARK.search(text)):
            kind = re.sub(r"\s+", " ", m.group(1))
            if text[: m.start()].strip():
                issuer.append(text[: m.start()].strip())
            continue
        if number is None and (num := number_and_end(text)) is not None:
            number = num[0]
            if (found := place_and_date(text[num[1] :].strip())) is not None:
                place, date = found
            continue
        if date is None and (found := place_and_date(text)) is not None:
            place, date = found
            continue
        if kind is None or number is None:
            if is_upper_line(text) and not re.search(r"\d", text):
                issuer.append(text)
                continue
        rest.insert(0, ln)
        break
    cut = find_closing(rest)
    closing = rest[cut:] if cut is not None else rest
    recipients, signature, _others = parse_closing(closing)
    return {
        "kind": kind,
        "issuer": issuer,
        "number": number,
        "place": place,
        "date": date,
        "recipients": recipients,
        "signature": signature,
        "page": block[0].page,
        "prov": prov(block),
    }


__all__ = ["copy_start", "parse_copy", "split_copies"]
