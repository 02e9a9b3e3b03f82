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
from ocr_pipeline.structure.text import is_name_line, is_upper_line

_MARK = re.compile(r"(?:^|(?<=\s))(SAO\s+Y(?:\s+BẢN\s+CHÍNH)?|SAO\s+LỤC|TRÍCH\s+SAO|BẢN\s+SAO)\s*$")
_NOI_NHAN = re.compile(r"^\s*Nơi\s+nhận\s*:", re.IGNORECASE)
_FIELDS_WITHIN = 4  # a certification's number or date stands this close under its marker


def copy_start(lines: list[SrcLine]) -> int | None:
    """Where the last copy's certification begins in `lines` (the body and closing
    lines), or None. It is a capitals line ending with a copy's marker, with the
    certification's own number ("Số: 27/SY-...") or date under it, after a closing the
    document signed (a name under its "Nơi nhận" or authority): a "BẢN SAO" line between
    the recipients and the signer, or a chapter "CẤP BẢN SAO" of an attached regulation,
    is none. The copying office's capitals line right above a marker alone on its line
    belongs to the block."""
    for i in range(len(lines) - 1, 0, -1):
        text = lines[i].text.strip()
        if not is_upper_line(text) or not _MARK.search(text):
            continue
        if not _has_fields(lines[i : i + 2 + _FIELDS_WITHIN]):
            continue
        start = i - 1 if _MARK.match(text) and _office_line(lines[i - 1].text) else i
        if _signed(lines[:start]):
            return start
    return None


def _has_fields(block: list[SrcLine]) -> bool:
    """A certification's number ("Số: 27/SY-...") or its "Place, ngày ..." line among its
    first lines; an attached paper's "(Kèm theo Quyết định số ... ngày ...)" is neither."""
    return any(
        not ln.text.lstrip().startswith("(")
        and (number_and_end(ln.text) is not None or place_and_date(ln.text) is not None)
        for ln in block[1:]
    )


def _signed(lines: list[SrcLine]) -> bool:
    """Whether `lines` end with a closing that carries a signer's name."""
    cut = find_closing(lines)
    return cut is not None and any(is_name_line(ln.text) for ln in lines[cut:])


def _office_line(text: str) -> bool:
    """An office's name in capitals, not a signer's title or a note in brackets."""
    t = text.strip()
    return (is_upper_line(t) and not re.search(r"\d|[()]", t)
            and not re.match(r"(?:KT|TM|TL|TUQ|Q)\s*[./]", t))  # fmt: skip


def split_copies(lines: list[SrcLine]) -> tuple[list[SrcLine], list[list[SrcLine]]]:
    """(the lines before the copies' certifications, each certification's lines in
    order): a copy of a copy (SAO LỤC, then SAO Y) has two."""
    blocks: list[list[SrcLine]] = []
    while (start := copy_start(lines)) is not None:
        blocks.insert(0, lines[start:])
        lines = lines[:start]
    return lines, blocks


def parse_copy(block: list[SrcLine]) -> dict:
    """The copy's certification as {kind, issuer, number, place, date, recipients,
    signature, text, page, prov}; `text` holds its lines read as none of those ("Sao gửi
    các phòng để biết ...")."""
    issuer: list[str] = []
    kind = None
    number = place = date = None
    rest = list(block)
    notes: list[str] = []
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
        if number is None and date is None and is_upper_line(text):
            issuer.append(text)  # "PHƯỜNG 3": the office's second line
            continue
        rest.insert(0, ln)
        break
    cut = find_closing(rest)
    if cut is None:
        cut = len(rest)
    notes = [ln.text.strip() for ln in rest[:cut] if ln.text.strip()]
    recipients, signature, _others = parse_closing(rest[cut:])
    return {
        "kind": kind,
        "issuer": issuer,
        "number": number,
        "place": place,
        "date": date,
        "recipients": recipients,
        "signature": signature,
        "text": notes,
        "page": block[0].page,
        "prov": prov(block),
    }


__all__ = ["parse_copy", "split_copies"]
